package ui

import (
	"time"

	"github.com/informerscope/informerscope/informer/trace"
)

// breakpoints pause playing at the first event that matches any that is
// set. They are predicates over events and the state after them.
type breakpoints struct {
	Key       string // an event about this key
	DeltaType string // a delta of this type queued (Added, Updated, Deleted, Replaced, Sync, ...)
	Tombstone bool   // a DeletedFinalStateUnknown made
	Relist    bool   // the reflector must list again
	Backlog   int    // a listener's pendingNotifications longer than this; 0 is off
	Latency   time.Duration
	Mutation  bool
}

func (b breakpoints) any() bool {
	return b.Key != "" || b.DeltaType != "" || b.Tombstone || b.Relist || b.Backlog > 0 || b.Latency > 0 || b.Mutation
}

// handlerClock remembers when each listener's handler call began, for the
// latency breakpoint.
type handlerClock map[string]time.Duration

// hit tells why the event e, at virtual time at, with s the state after
// it, stops a play; "" when it does not.
func (b breakpoints) hit(e trace.Event, at time.Duration, s *trace.Snapshot, clock handlerClock) string {
	switch e.Kind {
	case trace.HandlerStarted:
		clock[e.Comp] = at
	case trace.HandlerFinished:
		if took := at - clock[e.Comp]; b.Latency > 0 && took > b.Latency {
			return "a handler call took " + took.String()
		}
	}
	switch {
	case b.Key != "" && (e.Key == b.Key || containsKey(e.Keys, b.Key)):
		return "an event about " + b.Key
	case b.DeltaType != "" && (e.Kind == trace.DeltaAppended || e.Kind == trace.DeltaMerged) && e.Type == b.DeltaType:
		return "a " + b.DeltaType + " delta"
	case b.Tombstone && e.Kind == trace.TombstoneMade:
		return "a tombstone for " + e.Key
	case b.Relist && e.Kind == trace.RelistNeeded:
		return "a relist: " + e.Reason
	case b.Mutation && e.Kind == trace.MutationDetected:
		return "a mutation of the cache"
	case b.Backlog > 0 && e.Kind == trace.RingPushed && e.Count > b.Backlog:
		return "a backlog over " + itoa(b.Backlog)
	}
	return ""
}

func containsKey(keys []string, k string) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}
