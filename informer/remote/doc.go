// Package remote is a ListerWatcher over HTTP: the informer's source when it
// watches a real cluster. It speaks the Kubernetes API (lists with limit and
// continue, watches with bookmarks and timeoutSeconds, the streaming-list
// protocol) to a base URL, which is InformerScope's read-only proxy
// (server.go, path /cluster): the proxy holds the credentials, so neither
// this package nor the page ever does.
//
// One implementation serves both places it runs. Natively it uses net/http
// as any Go client does; compiled to js/wasm, Do calls the browser's Fetch
// API itself and streams response bodies, so a watch delivers each event as
// it arrives. Decoding is apimachinery's: objects become
// *unstructured.Unstructured, lists *unstructured.UnstructuredList. The
// package does not import client-go, which must stay out of app.wasm.
//
// # Errors, as client-go's REST client delivers them
//
// The Reflector branches on the errors its source returns (410 relists,
// connection refused and 429 back off and re-watch, ...), so they take the
// shapes client-go's rest.Request gives them:
//
//   - a response that is not 2xx is an *apierrors.StatusError: the
//     response's own Status when the body is one, else a generic one built
//     from the code (apierrors.NewGenericServerResponse), as client-go's
//     newUnstructuredResponseError does;
//   - a watch's ERROR event carries the server's *metav1.Status, which the
//     Reflector turns back into an error with apierrors.FromObject;
//   - a request that never got a response is net/http's *url.Error, whose
//     cause a connection refused keeps (utilnet.IsConnectionRefused);
//   - a watch stream that breaks or ends closes ResultChan; one that holds
//     something that is not a watch event ends with an ERROR event carrying
//     an InternalError Status ("unable to decode an event from the watch
//     stream"), which is apimachinery's StreamWatcher, the one client-go
//     uses;
//   - a 200 list that cannot be decoded is a *DecodeError.
//
// Explain turns any of them into a sentence for the page: what happened and
// what to do.
//
// One difference is deliberate: client-go retries a request by itself when
// the answer carries Retry-After or the connection dropped (up to 10 times).
// This package does not, so that every failure reaches the Reflector, and
// the trace, where the visualiser can show it; the Reflector's own backoff
// then paces the retries.
package remote
