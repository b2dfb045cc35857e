package trace

import (
	"sync"
	"testing"
)

// TestRecorderOrdersConcurrentEvents: components on several goroutines,
// some sharing a component, record at once; the trace holds every event
// once, each goroutine's in the order it emitted them, and a trace taken
// meanwhile is a prefix of the final one, at least as long as Len said
// before it.
func TestRecorderOrdersConcurrentEvents(t *testing.T) {
	rec := NewRecorder()
	const goroutines, each = 4, 5000
	var wg sync.WaitGroup
	for g := range goroutines {
		p := rec.Probe([]string{"a", "b"}[g%2])
		wg.Go(func() {
			for i := range each {
				p.Emit(Event{Kind: QueuePopped, Count: g, Pos: i})
			}
		})
	}
	var mid []Event
	var midLen int
	wg.Go(func() {
		midLen = rec.Len()
		mid = rec.Events()
	})
	wg.Wait()

	all := rec.Events()
	if len(all) != goroutines*each || rec.Len() != len(all) {
		t.Fatalf("%d events, Len %d, want %d", len(all), rec.Len(), goroutines*each)
	}
	next := make([]int, goroutines)
	for _, e := range all {
		if e.Pos != next[e.Count] {
			t.Fatalf("goroutine %d: event %d came where %d was due", e.Count, e.Pos, next[e.Count])
		}
		next[e.Count]++
	}
	if len(mid) < midLen {
		t.Fatalf("Len said %d, then Events gave %d", midLen, len(mid))
	}
	for i := range mid {
		if mid[i].Comp != all[i].Comp || mid[i].Count != all[i].Count || mid[i].Pos != all[i].Pos {
			t.Fatalf("event %d of a trace taken meanwhile differs: %+v, finally %+v", i, mid[i], all[i])
		}
	}
}
