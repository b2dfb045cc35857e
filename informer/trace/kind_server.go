package trace

import "fmt"

// The kinds of the simulated API server (package mock): the objects it
// stores and their resourceVersions, the event window of each resource, the
// watches it serves and what it sends on them, the lists it serves, and the
// faults injected into it. A server's events are named by the server
// (Comp). The fields they use:
//
//   - Index: a resource, as the server names it in its errors:
//     "configmaps", "deployments.apps", "widgets.example.com";
//   - Key: an object's key; for the kinds of one watch, the watch's name,
//     which is also the name of the goroutine that serves it ("apiserver
//     watch 3 (configmaps)");
//   - Value: a request as the wire carries it, path and query
//     ("/api/v1/namespaces/ns1/configmaps?resourceVersion=7&watch=true"),
//     or a fault's argument;
//   - RV: a resourceVersion;
//   - Type: a write's or a watch event's type (ADDED, MODIFIED, DELETED,
//     BOOKMARK, ERROR);
//   - Obj, Old: the server's own objects. A stored object keeps its
//     reference from the write that made it to every watch event that
//     sends it, so a view can follow it; what a client receives is a copy,
//     with a reference of its own;
//   - Count: a number of events or items;
//   - Until: a virtual time, in ns since sim.Epoch;
//   - Reason: why something happened, or an error's text.
//
// Each watch is served by its own goroutine: events written are queued on
// the watches that want them (ServerObjectWritten says which), and the
// goroutine delivers them one at a time (ServerWatchEventSent).
const (
	// ServerResourceRegistered: the server serves resource Index, with no
	// objects; its event window starts at RV, the server's resourceVersion.
	ServerResourceRegistered Kind = serverBase + iota
	// ServerObjectWritten: a create, update or delete (Type ADDED, MODIFIED
	// or DELETED) of the object at Key of resource Index gave it RV, the
	// server's new resourceVersion. Obj is the object after the write (for a
	// delete, its last state stamped with RV), Old the one before (none for
	// a create). Keys are the watches the change was queued on, in opening
	// order; each got one event, an ADDED or DELETED where the change moves
	// the object into or out of the watch's selector. Value, when set, is
	// the resource window's new oldest resourceVersion: the write pushed the
	// window's oldest event out.
	ServerObjectWritten
	// ServerWatchOpened: the watch Key on resource Index was opened for the
	// request Value. Count events were queued on it at once: the current
	// objects as ADDED (and the bookmark that ends them), or the window's
	// events after the requested resourceVersion. Changes above RV are
	// queued as they are written. It times out at Until (0: never). Reason,
	// when set, says it only carries a 410 ERROR and ends: WatchEndExpired,
	// or WatchEndExpireFault (it used up ExpireNextWatch); RV is then "".
	ServerWatchOpened
	// ServerWatchRefused: the WATCH request Value on resource Index failed
	// with the error Reason (the server is down, the options are invalid,
	// the resourceVersion is too large, the resource is unknown); no watch
	// was opened.
	ServerWatchRefused
	// ServerBookmarkQueued: the periodic bookmark at RV was queued on the
	// watch Key.
	ServerBookmarkQueued
	// ServerWatchEventSent: the watch Key delivered the oldest event queued
	// on it, of Type at RV ("" for an ERROR), carrying Obj (for ADDED,
	// MODIFIED and DELETED). Initial marks the bookmark that ends the
	// initial events; Reason is an ERROR's message. It is recorded when the
	// watch's goroutine sees the hand-off done: when the receiver was not
	// already waiting, the receiver's record of the event comes first.
	ServerWatchEventSent
	// ServerWatchEnding: the watch Key will end, for Reason: WatchEndClosed
	// (it first delivers its Count queued events, the last a bookmark if it
	// takes them), or WatchEndDropped or WatchEndRestart (at its goroutine's
	// next step; what is queued is lost).
	ServerWatchEnding
	// ServerWatchClosed: the watch Key ended, and its goroutine returns, for
	// Reason: WatchEndTimeout, WatchEndStopped, or the reason it was ending
	// for. Count queued events were never delivered.
	ServerWatchClosed
	// ServerListServed: the LIST request Value on resource Index returned
	// Count items at resourceVersion RV, with the continue token Key for the
	// next page ("" on the last); or it failed with the error Reason. A list
	// changes nothing.
	ServerListServed
	// ServerFault: the fault Reason (FaultCloseWatches, ...) was injected,
	// with the argument Value. ExpireNextWatch sets ExpireNext; DelayEvents
	// sets Delay to Value ("" for none); Compact starts every resource's
	// window at RV, the server's resourceVersion; Restart does too, and takes
	// the server down until Until. CloseWatches, DropConnections and Restart
	// end the open watches: each watch that changes has its
	// ServerWatchEnding after this event.
	ServerFault
	// ServerBack: the restarted server is back (at the first request or
	// write after its downtime): its new watch cache starts at RV, so every
	// resource's window starts there.
	ServerBack
)

var serverKinds = map[Kind]string{
	ServerResourceRegistered: "ServerResourceRegistered",
	ServerObjectWritten:      "ServerObjectWritten",
	ServerWatchOpened:        "ServerWatchOpened",
	ServerWatchRefused:       "ServerWatchRefused",
	ServerBookmarkQueued:     "ServerBookmarkQueued",
	ServerWatchEventSent:     "ServerWatchEventSent",
	ServerWatchEnding:        "ServerWatchEnding",
	ServerWatchClosed:        "ServerWatchClosed",
	ServerListServed:         "ServerListServed",
	ServerFault:              "ServerFault",
	ServerBack:               "ServerBack",
}

// The faults of ServerFault, named as the mock's methods.
const (
	FaultCloseWatches    = "CloseWatches"
	FaultDropConnections = "DropConnections"
	FaultExpireNextWatch = "ExpireNextWatch"
	FaultCompact         = "Compact"
	FaultRestart         = "Restart"
	FaultDelayEvents     = "DelayEvents"
)

// Why a server's watch ends (ServerWatchEnding, ServerWatchClosed,
// ServerWatch.Ending).
const (
	WatchEndTimeout     = "timeout"      // its deadline passed
	WatchEndStopped     = "stopped"      // the client stopped it
	WatchEndClosed      = "closed"       // CloseWatches: cleanly, after its queue
	WatchEndDropped     = "dropped"      // DropConnections: at once
	WatchEndRestart     = "restart"      // Restart: at once
	WatchEndExpired     = "expired"      // its resourceVersion was older than the window
	WatchEndExpireFault = "expire fault" // ExpireNextWatch
)

// checkServer reports a server event that lacks what its kind needs: a
// view would draw it nowhere.
func checkServer(e Event) error {
	need := func(what, v string) error {
		if v == "" {
			return fmt.Errorf("names no %s", what)
		}
		return nil
	}
	switch e.Kind {
	case ServerResourceRegistered:
		return need("resource", e.Index)
	case ServerObjectWritten:
		if err := need("resource", e.Index); err != nil {
			return err
		}
		if err := need("key", e.Key); err != nil {
			return err
		}
		if e.Type != "ADDED" && e.Type != "MODIFIED" && e.Type != "DELETED" {
			return fmt.Errorf("has write type %q, not ADDED, MODIFIED or DELETED", e.Type)
		}
	case ServerWatchOpened:
		if err := need("resource", e.Index); err != nil {
			return err
		}
		return need("watch", e.Key)
	case ServerBookmarkQueued, ServerWatchEnding, ServerWatchClosed:
		return need("watch", e.Key)
	case ServerWatchEventSent:
		if err := need("watch", e.Key); err != nil {
			return err
		}
		switch e.Type {
		case "ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR":
		default:
			return fmt.Errorf("has watch event type %q", e.Type)
		}
	case ServerFault:
		return need("fault", e.Reason)
	}
	return nil
}
