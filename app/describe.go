package ui

import (
	"fmt"
	"path"
	"strings"

	"github.com/informerscope/informerscope/informer/trace"
)

// describe says in words what an event did: the event log's rows and what
// the aria-live region announces at each step.
func describe(e trace.Event, l labeler) string {
	who := shortComp(e.Comp)
	obj := l.object(e.Obj)
	switch e.Kind {
	case trace.StoreAdded:
		return fmt.Sprintf("The indexer stores %s under %s.", obj, e.Key)
	case trace.StoreUpdated:
		return fmt.Sprintf("The indexer replaces %s with %s.", e.Key, obj)
	case trace.StoreDeleted:
		return fmt.Sprintf("The indexer deletes %s.", e.Key)
	case trace.StoreReplaced:
		return fmt.Sprintf("The %s is replaced whole: %d objects at resourceVersion %s.", who, len(e.Keys), e.RV)
	case trace.StoreBookmark:
		return fmt.Sprintf("The %s's resourceVersion moves to %s (a bookmark).", who, e.RV)
	case trace.IndexerAdded:
		return fmt.Sprintf("The %s gets the index %q.", who, e.Index)
	case trace.IndexEntryAdded:
		return fmt.Sprintf("Index %s: %s joins the set for %q.", e.Index, e.Key, e.Value)
	case trace.IndexEntryRemoved:
		return fmt.Sprintf("Index %s: %s leaves the set for %q.", e.Index, e.Key, e.Value)
	case trace.DeltaAppended:
		return fmt.Sprintf("The queue appends %s %s for %s at position %d.", e.Type, obj, keyOr(e.Key), e.Pos)
	case trace.DeltaMerged:
		return fmt.Sprintf("The queue adds %s %s to the deltas already waiting for %s.", e.Type, obj, e.Key)
	case trace.DeltaDeduped:
		return fmt.Sprintf("Two deletes of %s in a row become one (%s).", e.Key, e.Reason)
	case trace.DeltaDropped:
		return fmt.Sprintf("The queue drops %s %s for %s: %s.", e.Type, obj, e.Key, e.Reason)
	case trace.TombstoneMade:
		return fmt.Sprintf("%s is missing from the relist: a DeletedFinalStateUnknown tombstone is made (last state from the %s).", e.Key, e.Reason)
	case trace.QueuePopulated:
		return fmt.Sprintf("The queue has its first items: %d make up the initial list.", e.Left)
	case trace.QueuePopped:
		return fmt.Sprintf("The controller pops %s (%d deltas).", keyOr(e.Key), e.Count)
	case trace.QueueBatchPopped:
		return fmt.Sprintf("The controller pops a batch of %d: %s.", e.Count, strings.Join(e.Keys, ", "))
	case trace.QueueProcessed:
		return "The controller finished processing what it popped."
	case trace.QueueSynced:
		return "The queue has handed out the whole initial list: it has synced."
	case trace.QueueClosed:
		return "The queue is closed."

	case trace.ListAndWatchStarted:
		return fmt.Sprintf("The reflector starts ListAndWatch cycle %d (%s).", e.Count, e.Reason)
	case trace.ReflectorPhase:
		return fmt.Sprintf("The reflector is now %s.", e.Reason)
	case trace.ListRequested:
		return fmt.Sprintf("The reflector sends LIST resourceVersion=%q limit=%d%s.", e.RV, e.Count, ifSet(" continue=", e.Value))
	case trace.ListReturned:
		if e.Reason != "" {
			return fmt.Sprintf("The LIST failed: %s.", e.Reason)
		}
		return fmt.Sprintf("The LIST returns %d objects at resourceVersion %s%s.", e.Count, e.RV, ifSet(", more to come", e.Value))
	case trace.WatchRequested:
		if e.Initial {
			return fmt.Sprintf("The reflector opens a streaming list: WATCH sendInitialEvents=true resourceVersion=%q.", e.RV)
		}
		return fmt.Sprintf("The reflector sends WATCH from resourceVersion %q, timeout %ds.", e.RV, e.Count)
	case trace.WatchOpened:
		return fmt.Sprintf("The watch from resourceVersion %q is open.", e.RV)
	case trace.WatchOpenFailed:
		return fmt.Sprintf("The WATCH failed: %s.", e.Reason)
	case trace.WatchEventReceived:
		if e.Initial {
			return fmt.Sprintf("The bookmark that ends the initial events arrives at resourceVersion %s.", e.RV)
		}
		if e.Type == "BOOKMARK" {
			return fmt.Sprintf("A bookmark arrives: resourceVersion %s.", e.RV)
		}
		return fmt.Sprintf("The watch delivers %s %s.", e.Type, obj)
	case trace.WatchEventDropped:
		return fmt.Sprintf("The reflector drops a %s event: %s.", e.Type, e.Reason)
	case trace.StoreCallFailed:
		return fmt.Sprintf("The queue refused a %s event: %s.", e.Type, e.Reason)
	case trace.WatchEnded:
		return fmt.Sprintf("The watch ended: %s%s.", e.Reason, ifSet(": ", e.Value))
	case trace.RelistNeeded:
		return fmt.Sprintf("The reflector must list again: %s.", e.Reason)
	case trace.LastSyncResourceVersionChanged:
		return fmt.Sprintf("The reflector's last synced resourceVersion is now %s.", e.RV)
	case trace.ResourceVersionUnavailable:
		if e.Value == "true" {
			return fmt.Sprintf("Listing at the last resourceVersion failed (%s): the next list starts from \"\".", e.Reason)
		}
		return "Listing at a resourceVersion works again."
	case trace.BackoffStarted:
		return fmt.Sprintf("The reflector backs off for %s: %s.", e.Value, e.Reason)
	case trace.ResyncTriggered:
		if e.Reason != "" {
			return "The resync timer fired, but no resync is due: " + e.Reason + "."
		}
		return "The resync timer fired: every cached object is queued again, with no API call."
	case trace.TemporaryStoreCreated:
		return "A streaming list begins: its objects go into a temporary store."
	case trace.TemporaryStoreDropped:
		return "The streaming list is over; its temporary store is dropped."
	case trace.WatchListFallback:
		return fmt.Sprintf("The streaming list failed (%s): falling back to LIST.", e.Reason)
	case trace.InitialEventsEndAwaited:
		return "Still waiting for the bookmark that ends the initial events: " + e.Reason
	case trace.WatchErrorHandled:
		return "The watch error handler got: " + e.Reason

	case trace.ListenerAdded:
		return fmt.Sprintf("Handler %s is added, with a ring of %d.", e.Value, e.Cap)
	case trace.ListenerRemoved:
		return fmt.Sprintf("The handler of %s is removed.", who)
	case trace.NotificationDistributed:
		return fmt.Sprintf("The processor hands %s to %d listeners%s.", notification(e, l), len(e.Keys), ifSet(" (", e.Reason, ")"))
	case trace.NotificationSent:
		return fmt.Sprintf("%s: %s goes into addCh.", who, notification(e, l))
	case trace.NotificationOffered:
		return fmt.Sprintf("%s: %s is offered on nextCh.", who, notification(e, l))
	case trace.RingPushed:
		return fmt.Sprintf("%s: the handler is busy, so %s waits in pendingNotifications (%d of %d).", who, notification(e, l), e.Count, e.Cap)
	case trace.NotificationHandedOff:
		return fmt.Sprintf("%s: run takes %s from nextCh.", who, notification(e, l))
	case trace.HandlerStarted:
		return fmt.Sprintf("%s: the handler runs %s.", who, call(e, l))
	case trace.HandlerFinished:
		return fmt.Sprintf("%s: the handler returns%s.", who, ifSet(", panicking: ", e.Reason))
	case trace.ListenerSynced:
		return fmt.Sprintf("%s: the registration has synced (its handler saw the initial list).", who)
	case trace.ListenerStopped:
		return fmt.Sprintf("%s has stopped.", who)
	case trace.ResyncChecked:
		return fmt.Sprintf("The processor checks which listeners resync: %s.", strings.Join(e.Keys, ", "))

	case trace.InformerStarted:
		return "The informer starts."
	case trace.InformerSynced:
		return "The informer has synced (HasSynced is true)."
	case trace.InformerStopped:
		return "The informer has stopped."
	case trace.MutationDetected:
		return fmt.Sprintf("The mutation detector found %s changed in the cache: %s", obj, e.Reason)
	}
	if s := describeServer(e, l); s != "" {
		return s
	}
	return fmt.Sprintf("%s %s", e.Kind, who)
}

// describeServer covers the simulated API server's events; "" for any
// other event.
func describeServer(e trace.Event, l labeler) string {
	switch e.Kind {
	case trace.ServerResourceRegistered:
		return fmt.Sprintf("The API server serves %s from resourceVersion %s.", e.Index, e.RV)
	case trace.ServerObjectWritten:
		verb := map[string]string{"ADDED": "creates", "MODIFIED": "updates", "DELETED": "deletes"}[e.Type]
		s := fmt.Sprintf("The API server %s %s: resourceVersion %s", verb, e.Key, e.RV)
		if n := len(e.Keys); n > 0 {
			s += fmt.Sprintf(", queued on %d watches", n)
		}
		return s + "."
	case trace.ServerWatchOpened:
		if e.Reason != "" {
			return fmt.Sprintf("The API server answers a watch of %s from resourceVersion %s with 410 (%s).", e.Index, e.RV, e.Reason)
		}
		return fmt.Sprintf("The API server opens %s from resourceVersion %s (%d events queued at once).", e.Key, e.RV, e.Count)
	case trace.ServerWatchRefused:
		return fmt.Sprintf("The API server refuses a watch of %s: %s.", e.Index, e.Reason)
	case trace.ServerBookmarkQueued:
		return fmt.Sprintf("The API server queues a bookmark at resourceVersion %s on %s.", e.RV, e.Key)
	case trace.ServerWatchEventSent:
		switch {
		case e.Initial:
			return fmt.Sprintf("%s sends the bookmark that ends the initial events (resourceVersion %s).", e.Key, e.RV)
		case e.Type == "BOOKMARK":
			return fmt.Sprintf("%s sends a bookmark: resourceVersion %s.", e.Key, e.RV)
		case e.Type == "ERROR":
			return fmt.Sprintf("%s sends an ERROR: %s.", e.Key, e.Reason)
		}
		return fmt.Sprintf("%s sends %s %s.", e.Key, e.Type, l.object(e.Obj))
	case trace.ServerWatchEnding:
		return fmt.Sprintf("%s is ending (%s), %d events still queued.", e.Key, e.Reason, e.Count)
	case trace.ServerWatchClosed:
		return fmt.Sprintf("%s is closed (%s)%s.", e.Key, e.Reason, map[bool]string{true: fmt.Sprintf(", %d events lost", e.Count), false: ""}[e.Count > 0])
	case trace.ServerListServed:
		if e.Reason != "" {
			return fmt.Sprintf("The API server fails a LIST of %s: %s.", e.Index, e.Reason)
		}
		return fmt.Sprintf("The API server answers a LIST of %s: %d items at resourceVersion %s%s.", e.Index, e.Count, e.RV, ifSet(", with a continue token", e.Key))
	case trace.ServerFault:
		return fmt.Sprintf("Fault: %s%s.", e.Reason, ifSet(" ", e.Value))
	case trace.ServerBack:
		return fmt.Sprintf("The API server is back; its new watch cache starts at resourceVersion %s.", e.RV)
	}
	return ""
}

// call writes a handler call as client-go names it.
func call(e trace.Event, l labeler) string {
	switch e.Type {
	case "add":
		return fmt.Sprintf("OnAdd(%s, isInInitialList=%v)", l.object(e.Obj), e.Initial)
	case "update":
		return fmt.Sprintf("OnUpdate(%s → %s)", l.object(e.Old), l.object(e.Obj))
	case "delete":
		return fmt.Sprintf("OnDelete(%s)", l.object(e.Obj))
	}
	return e.Type
}

func notification(e trace.Event, l labeler) string {
	return e.Type + " " + l.object(e.Obj)
}

// shortComp names a component by its last part: "queue", "listener-2".
func shortComp(comp string) string {
	if comp == "" {
		return "the informer"
	}
	return path.Base(comp)
}

func keyOr(key string) string {
	if key == "" {
		return "the whole list"
	}
	return key
}

// ifSet returns the parts joined when v is not empty: ifSet(" (", v, ")").
func ifSet(prefix, v string, suffix ...string) string {
	if v == "" {
		return ""
	}
	return prefix + v + strings.Join(suffix, "")
}
