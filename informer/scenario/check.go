package scenario

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/informerscope/informerscope/informer/trace"
)

// The components of a scenario's informer, as it names them in the trace.
const (
	informerComp = "informer"
	indexerComp  = "informer/indexer"
	// A plain informer's store and queue.
	storeComp = "informer/store"
	queueComp = "informer/queue"
)

// check tells what is wrong with e now: "" when it holds, else a message
// that gives the line, the expectation and what was found instead.
func (x *Session) check(e Expect) string {
	got, ok := x.evaluate(e)
	if ok {
		return ""
	}
	return fmt.Sprintf("%s:%d: %s: %s", x.Scenario.Name, e.Line, e.Text, got)
}

// evaluate reports whether e holds, and what was found.
func (x *Session) evaluate(e Expect) (string, bool) {
	switch e.Subject {
	case "store":
		return x.checkStore(e)
	case "informer":
		synced := x.Fold.Informer(informerComp).Synced
		if x.Scenario.Plain {
			// A plain informer is synced when its queue is.
			q := x.Fold.Queues[queueComp]
			synced = q != nil && q.Synced
		}
		return fmt.Sprintf("the informer's HasSynced is %v", synced), synced == e.Is
	case "trace":
		n := 0
		for _, ev := range x.Recorder.Events() {
			if ev.Kind == e.TraceKind && eventMatches(ev, e.TraceFields) {
				n++
			}
		}
		return fmt.Sprintf("%d such events, want %s", n, e.Count), e.Count.Holds(n)
	}
	return x.checkHandler(e)
}

func (x *Session) checkStore(e Expect) (string, bool) {
	comp := indexerComp
	if x.Scenario.Plain {
		comp = storeComp
	}
	keys := slices.Sorted(maps.Keys(x.Fold.Store(comp).Items))
	found := fmt.Sprintf("the store holds %d objects: [%s]", len(keys), strings.Join(keys, " "))
	if e.Count.Set {
		return found, e.Count.Holds(len(keys))
	}
	return found, slices.Equal(keys, slices.Sorted(slices.Values(e.StoreKeys)))
}

func eventMatches(ev trace.Event, fields map[string]string) bool {
	for name, want := range fields {
		var got string
		switch name {
		case "comp":
			got = ev.Comp
		case "key":
			got = ev.Key
		case "type":
			got = ev.Type
		case "reason":
			got = ev.Reason
		case "rv":
			got = ev.RV
		case "value":
			got = ev.Value
		}
		if got != want {
			return false
		}
	}
	return true
}

func (x *Session) checkHandler(e Expect) (string, bool) {
	calls := x.handlers[e.Subject].calls
	switch {
	case e.Synced:
		l := x.listener(e.Subject)
		synced := l != nil && l.Synced
		return fmt.Sprintf("the registration's HasSynced is %v", synced), synced == e.Is
	case e.RingCap || e.RingLen:
		l := x.listener(e.Subject)
		if l == nil {
			return "the handler has no listener", false
		}
		n, what := l.RingCap, "capacity"
		if e.RingLen {
			n, what = len(l.Ring), "length"
		}
		return fmt.Sprintf("pendingNotifications %s is %d, want %s", what, n, e.Count), e.Count.Holds(n)
	case len(e.Order) > 0:
		next := 0
		for _, c := range calls {
			if next < len(e.Order) && c.matches(e.Order[next]) {
				next++
			}
		}
		if next == len(e.Order) {
			return "", true
		}
		return fmt.Sprintf("no %s after the calls before it; calls: %s", e.Order[next], summarize(calls)), false
	}
	n := 0
	for _, c := range calls {
		if c.matches(e.Pattern) {
			n++
		}
	}
	return fmt.Sprintf("%d calls match %s, want %s; calls: %s", n, e.Pattern, e.Count, summarize(calls)), e.Count.Holds(n)
}

// listener returns the fold's state of a handler's listener: the latest
// one, as a handler removed and added again gets a new listener.
func (x *Session) listener(handler string) *trace.ListenerState {
	var found *trace.ListenerState
	for _, comp := range slices.Sorted(maps.Keys(x.Fold.Listeners)) {
		if l := x.Fold.Listeners[comp]; l.Handler == handler {
			found = l
		}
	}
	return found
}

// summarize prints calls for a failure message, eliding the middle of a
// long list.
func summarize(calls []Call) string {
	const head, tail = 8, 4
	parts := make([]string, 0, head+tail+1)
	for i, c := range calls {
		switch {
		case i < head || i >= len(calls)-tail:
			parts = append(parts, c.String())
		case i == head:
			parts = append(parts, fmt.Sprintf("... %d more ...", len(calls)-head-tail))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
