// Package mock is an in-memory kube-apiserver: the informer's default
// source. It behaves like kube-apiserver v1.37.2 with its watch cache, as
// far as an informer can tell: one resourceVersion counter across all
// kinds, list pagination with opaque continue tokens, watches from a
// resourceVersion served from a bounded event window (410 Expired beyond
// it), bookmarks, watch timeouts, the streaming-list protocol, selectors,
// and faults to inject (watch closes, dropped connections, expiry,
// compaction, a restart, slow delivery).
//
// Everything that waits goes through a sim.Runtime, so the same server runs
// on the deterministic runtime (the visualiser's stepping) and natively.
// Each open watch is served by one goroutine of the runtime, named
// "apiserver watch N (resource)", which is a lane in the visualiser.
//
// With Options.Recorder, the server records each change of its state as
// one trace event (trace/kind_server.go): writes with the watches they are
// queued on, watches opened, fed and ended, lists served, faults. Folding
// them gives trace.ServerState, which TraceState returns from the server
// itself.
//
// # What the real server does, and where the mock follows it
//
// Observed with curl against kube-apiserver v1.37.2 + etcd 3.7.0
// (hack/kube-apiserver), and read in the apiserver's storage/cacher
// package (delegator.go, watch_cache.go, cache_watcher.go):
//
//   - Lists: resourceVersion "" is a consistent read served from the watch
//     cache, and honours limit (a continue token and remainingItemCount
//     come back). resourceVersion "0" is served from the cache at whatever
//     it holds and ignores limit: every item in one page. An exact list
//     (resourceVersionMatch=Exact, or the legacy form: a resourceVersion
//     other than "" and "0" with a limit) and every continued page are read
//     from etcd at that revision. NotOlderThan (and the legacy form without
//     a limit) waits for the cache to catch up; a resourceVersion ahead of
//     the server fails after 3 s with 504 "Timeout: Too large resource
//     version: R, current: C" (cause ResourceVersionTooLarge). An exact list
//     ahead of the server fails the same way.
//   - Continue tokens are base64url (unpadded) JSON
//     {"v":"meta.k8s.io/v1","rv":N,"start":"/<key after the list's
//     prefix>\u0000"}; the mock writes the same shape. A continue with a
//     resourceVersion is 400 "specifying resource version is not allowed
//     when using continue"; a compacted one is 410 Expired with the long
//     "The provided continue parameter is too old ..." message and a token
//     for the inconsistent remainder.
//   - Watches with resourceVersion "" or "0" start with synthetic ADDED
//     events for every current object, in key order (the cache's
//     getAllEventsSinceLocked returns the store's contents "to keep
//     backward compatibility"), and then, when bookmarks are allowed, a
//     BOOKMARK annotated k8s.io/initial-events-end at the cache's
//     resourceVersion: both were seen on the wire, even without
//     sendInitialEvents. With sendInitialEvents=false, "0" starts at now,
//     without the synthetic events. A watch from resourceVersion R gets
//     every event after R; from before the window, an ERROR event with a
//     410 Status "too old resource version: R (oldest-1)" and the end of
//     the stream.
//   - sendInitialEvents=true requires resourceVersionMatch=NotOlderThan
//     (422 otherwise); allowWatchBookmarks is not required (the server then
//     sends the initial events without the closing bookmark). The mock runs
//     apimachinery's own ValidateListOptions, so these answers are the real
//     ones, word for word.
//   - Bookmarks: roughly every minute, and one 2 s before the watch's
//     deadline (cache_watcher.go's nextBookmarkTime). A bookmark's object is
//     an object of the watched kind with only kind, apiVersion and
//     metadata.resourceVersion. Without timeoutSeconds the server picks a
//     deadline in [30 min, 60 min) (min-request-timeout 1800 s times
//     1+rand).
//   - A selector change is seen by a watcher as the object entering
//     (ADDED) or leaving (DELETED, carrying the old object at the new
//     resourceVersion) its selection (cache_watcher.go's
//     convertToWatchEvent).
//   - Field selectors: metadata.name and metadata.namespace; anything else
//     is 400 "\"f\" is not a known field selector: only \"metadata.name\",
//     \"metadata.namespace\"". (The real server knows a few more for some
//     kinds, spec.nodeName and status.phase for pods; the mock does not.)
//   - Objects: uid, creationTimestamp and resourceVersion on create;
//     metadata.generation 1 on create and +1 on an update that changes
//     anything outside metadata and status, for kinds that track it (pods,
//     deployments, custom resources; not configmaps, which have none).
//     Conflict, AlreadyExists and NotFound errors carry the real messages.
//     A custom resource's update must carry a resourceVersion (422
//     otherwise); the built-in kinds take unconditional updates.
//
// # Where the mock is simpler
//
//   - One window stands for both the watch cache's event buffer and etcd's
//     history: it holds the last WindowSize events of each kind, and serves
//     watches from an old resourceVersion, exact lists and continued pages.
//     On a real server the two are separate: etcd's compaction (every
//     5 min) makes exact lists and continue tokens 410 but not watches,
//     which the watch cache serves from its own window (a watch from
//     resourceVersion 1 minutes after start was replayed in full); a watch
//     gets 410 once it is older than the cache, as after the cache is
//     rebuilt. Compact here does both at once.
//   - The resourceVersion counter starts at 1, so that an empty server's
//     list is at "1": no real server is ever at "0", which means "any".
//   - No admission, defaulting, managedFields, finalizers or graceful
//     deletion: a delete removes the object at once.
package mock
