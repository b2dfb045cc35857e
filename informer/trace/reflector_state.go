package trace

import "fmt"

// ReflectorState is what a Reflector holds. The pointers are never changed
// in place: an update replaces them, so a snapshot may share them.
type ReflectorState struct {
	// Phase is what the main goroutine does: "" before it first runs, then
	// one of PhaseListing, PhaseWatchListing, PhaseWatching,
	// PhaseBackingOff and PhaseStopped.
	Phase string
	// Cycle counts the ListAndWatch cycles started.
	Cycle int
	// LastSyncResourceVersion is the resourceVersion the reflector last
	// synced to: a list's, or a watch event's.
	LastSyncResourceVersion string
	// ResourceVersionUnavailable: the last list at LastSyncResourceVersion
	// failed as expired or too large, so lists start over from "".
	ResourceVersionUnavailable bool
	// Request is the LIST or WATCH call in flight; nil when none.
	Request *ReflectorRequest
	// Watch is the open watch; nil when none.
	Watch *ReflectorWatch
	// Backoff is the length of the backoff wait in progress, as
	// time.Duration prints it, and BackoffUntil when it ends, in ns of
	// virtual time since sim.Epoch; "" and 0 when not backing off.
	Backoff      string
	BackoffUntil int64
	// TemporaryStore names the store component a streaming list fills, while
	// one is in progress; "" otherwise.
	TemporaryStore string
}

// ReflectorRequest is a LIST or WATCH call and its options.
type ReflectorRequest struct {
	Verb            string // "LIST" or "WATCH"
	ResourceVersion string
	// Limit and Continue page a LIST.
	Limit    int
	Continue string
	// The options of a WATCH: bookmarks are always allowed.
	TimeoutSeconds       int
	SendInitialEvents    bool
	ResourceVersionMatch string
}

// ReflectorWatch is an open watch: the options it was opened with and how
// many events it delivered to a store.
type ReflectorWatch struct {
	ReflectorRequest
	Events int
}

// Reflector returns the state of the named reflector, creating it empty.
func (s *Snapshot) Reflector(comp string) *ReflectorState {
	r := s.Reflectors[comp]
	if r == nil {
		r = &ReflectorState{}
		s.Reflectors[comp] = r
	}
	return r
}

// watchRequestOf reads the options a WatchRequested or WatchOpened carries.
func watchRequestOf(e Event) ReflectorRequest {
	return ReflectorRequest{Verb: "WATCH", ResourceVersion: e.RV, TimeoutSeconds: e.Count,
		SendInitialEvents: e.Initial, ResourceVersionMatch: e.Value}
}

func (s *Snapshot) applyReflector(e Event) {
	r := s.Reflector(e.Comp)
	switch e.Kind {
	case ListAndWatchStarted:
		r.Cycle, r.Phase, r.Backoff, r.BackoffUntil = e.Count, e.Reason, "", 0
	case ReflectorPhase:
		r.Phase, r.Backoff, r.BackoffUntil = e.Reason, "", 0
	case ListRequested:
		r.Request = &ReflectorRequest{Verb: "LIST", ResourceVersion: e.RV, Limit: e.Count, Continue: e.Value}
	case ListReturned, WatchOpenFailed:
		r.Request = nil
	case WatchRequested:
		req := watchRequestOf(e)
		r.Request = &req
	case WatchOpened:
		r.Request = nil
		r.Watch = &ReflectorWatch{ReflectorRequest: watchRequestOf(e)}
	case WatchEventReceived:
		if r.Watch != nil {
			w := *r.Watch
			w.Events++
			r.Watch = &w
		}
	case WatchEnded:
		r.Watch = nil
	case LastSyncResourceVersionChanged:
		r.LastSyncResourceVersion = e.RV
	case ResourceVersionUnavailable:
		r.ResourceVersionUnavailable = e.Value == "true"
	case BackoffStarted:
		r.Phase, r.Backoff, r.BackoffUntil = PhaseBackingOff, e.Value, e.Until
	case TemporaryStoreCreated:
		r.TemporaryStore = e.Key
		s.Stores[e.Key] = NewStoreState()
	case TemporaryStoreDropped:
		if r.TemporaryStore != "" {
			delete(s.Stores, r.TemporaryStore)
		}
		r.TemporaryStore = ""
	case WatchListFallback:
		r.Phase, r.Backoff, r.BackoffUntil = PhaseListing, "", 0
	case WatchEventDropped, StoreCallFailed, RelistNeeded, ResyncTriggered, InitialEventsEndAwaited, WatchErrorHandled:
		// Informational: the reflector did not change.
	}
}

func diffReflector(a, b *ReflectorState) string {
	if a == nil {
		a = &ReflectorState{}
	}
	if b == nil {
		b = &ReflectorState{}
	}
	if fa, fb := formatReflector(a), formatReflector(b); fa != fb {
		return fa + " != " + fb
	}
	return ""
}

func formatReflector(r *ReflectorState) string {
	req, w := "-", "-"
	if r.Request != nil {
		req = fmt.Sprintf("%+v", *r.Request)
	}
	if r.Watch != nil {
		w = fmt.Sprintf("%+v", *r.Watch)
	}
	return fmt.Sprintf("{phase %q cycle %d lastSyncRV %q unavailable %v request %s watch %s backoff %q until %d temporaryStore %q}",
		r.Phase, r.Cycle, r.LastSyncResourceVersion, r.ResourceVersionUnavailable, req, w, r.Backoff, r.BackoffUntil, r.TemporaryStore)
}
