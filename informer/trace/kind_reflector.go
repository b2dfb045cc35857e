package trace

// The kinds of the Reflector: its list and watch calls, the events it
// receives, its backoff and its resync timer. A reflector's events are named
// by the reflector (Comp). The fields they use:
//
//   - RV: a resourceVersion (requested, returned, or of an event's object);
//   - Count: a list's limit or item count, a watch's timeoutSeconds, a cycle
//     number;
//   - Value: a continue token, a ResourceVersionMatch, a duration (as
//     time.Duration prints it), or an error's text;
//   - Until: the virtual time a backoff wait ends, in ns since sim.Epoch;
//   - Initial: a streaming list (sendInitialEvents=true), or the bookmark
//     that ends its initial events;
//   - Type: a watch event's type (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR);
//   - Reason: a phase, or why something happened.
//
// A reflector runs ListAndWatch cycles. Each starts with a streaming list
// (phase "watch-listing") or a LIST (phase "listing"), goes on to watch
// (phase "watching") until the watch must be relisted, and is followed by a
// backoff wait (phase "backing-off"). The main goroutine is in exactly one
// phase; a resync goroutine runs beside it while it watches.
const (
	// ListAndWatchStarted: cycle Count began, in phase Reason ("listing" or
	// "watch-listing").
	ListAndWatchStarted Kind = reflectorBase + iota
	// ReflectorPhase: the main goroutine moved to phase Reason: "listing",
	// "watch-listing", "watching" or "stopped". Any backoff is over.
	ReflectorPhase
	// ListRequested: a LIST call is in flight with resourceVersion RV,
	// limit Count and continue token Value.
	ListRequested
	// ListReturned: the LIST call returned a page of Count items Objs at
	// resourceVersion RV, with continue token Value for the next page; or
	// it failed with the error Reason.
	ListReturned
	// WatchRequested: a WATCH call is in flight with resourceVersion RV,
	// timeoutSeconds Count, sendInitialEvents Initial and
	// resourceVersionMatch Value. Bookmarks are always allowed.
	WatchRequested
	// WatchOpened: the WATCH call returned an open watch, opened with the
	// options it repeats (as WatchRequested's).
	WatchOpened
	// WatchOpenFailed: the WATCH call failed with the error Reason. A watch
	// whose events the runtime cannot wait for (a plain one on a
	// deterministic runtime) fails this way too, and is stopped.
	WatchOpenFailed
	// WatchEventReceived: the open watch delivered an event of Type for
	// object Obj at RV, which the reflector passes to its store (or to the
	// temporary store of a streaming list). Initial marks the bookmark that
	// ends a streaming list's initial events.
	WatchEventReceived
	// WatchEventDropped: an event of Type for Obj was dropped, for Reason
	// (an unexpected type or GVK, a Table, no object metadata). The watch
	// goes on.
	WatchEventDropped
	// StoreCallFailed: the store refused the object Obj of an event of
	// Type, with the error Reason, or Type is not one the store has a call
	// for. The watch goes on, and the event still counts.
	StoreCallFailed
	// WatchEnded: the open watch was stopped or closed, for Reason: "closed"
	// (the server ended it), "very short watch" (closed within a second
	// with no event), "error" (an Error event, a resync failure, or a
	// streaming list's result the store refused), or "stop requested";
	// Value holds the error, if any.
	WatchEnded
	// RelistNeeded: the watch loop gave up on the watch and ends the cycle,
	// so the next cycle lists again; Reason says why.
	RelistNeeded
	// LastSyncResourceVersionChanged: LastSyncResourceVersion became RV.
	LastSyncResourceVersionChanged
	// ResourceVersionUnavailable: Value "true" when a list at the last
	// resourceVersion failed as expired or too large (error Reason), so
	// lists start over from ""; "false" when a list succeeded again.
	ResourceVersionUnavailable
	// BackoffStarted: the main goroutine waits Value, until the virtual
	// time Until, before going on, for Reason. Initial is set when the
	// backoff progression started over for this wait.
	BackoffStarted
	// ResyncTriggered: the resync timer fired; Reason is "" when the store
	// was told to resync, or says why it was not.
	ResyncTriggered
	// TemporaryStoreCreated: a streaming list attempt fills a new, empty
	// store, the component named Key.
	TemporaryStoreCreated
	// TemporaryStoreDropped: the streaming list is over; its temporary
	// store is discarded (after a success, its items were handed to the
	// store in one Replace).
	TemporaryStoreDropped
	// WatchListFallback: the streaming list failed with the error Reason;
	// the cycle falls back to LIST (phase "listing").
	WatchListFallback
	// InitialEventsEndAwaited: the streaming list has waited long for the
	// bookmark that ends its initial events; Reason is the warning.
	InitialEventsEndAwaited
	// WatchErrorHandled: ListAndWatch returned the error Reason, which was
	// handed to the watch error handler.
	WatchErrorHandled
)

var reflectorKinds = map[Kind]string{
	ListAndWatchStarted:            "ListAndWatchStarted",
	ReflectorPhase:                 "ReflectorPhase",
	ListRequested:                  "ListRequested",
	ListReturned:                   "ListReturned",
	WatchRequested:                 "WatchRequested",
	WatchOpened:                    "WatchOpened",
	WatchOpenFailed:                "WatchOpenFailed",
	WatchEventReceived:             "WatchEventReceived",
	WatchEventDropped:              "WatchEventDropped",
	StoreCallFailed:                "StoreCallFailed",
	WatchEnded:                     "WatchEnded",
	RelistNeeded:                   "RelistNeeded",
	LastSyncResourceVersionChanged: "LastSyncResourceVersionChanged",
	ResourceVersionUnavailable:     "ResourceVersionUnavailable",
	BackoffStarted:                 "BackoffStarted",
	ResyncTriggered:                "ResyncTriggered",
	TemporaryStoreCreated:          "TemporaryStoreCreated",
	TemporaryStoreDropped:          "TemporaryStoreDropped",
	WatchListFallback:              "WatchListFallback",
	InitialEventsEndAwaited:        "InitialEventsEndAwaited",
	WatchErrorHandled:              "WatchErrorHandled",
}

// The phases of a reflector's main goroutine (ReflectorState.Phase).
const (
	PhaseListing      = "listing"
	PhaseWatchListing = "watch-listing"
	PhaseWatching     = "watching"
	PhaseBackingOff   = "backing-off"
	PhaseStopped      = "stopped"
)

// The reasons of WatchEnded.
const (
	WatchClosed        = "closed"
	WatchVeryShort     = "very short watch"
	WatchError         = "error"
	WatchStopRequested = "stop requested"
)
