package trace

import "fmt"

// GoroutineState is one lane of the deterministic runtime.
type GoroutineState struct {
	Name    string
	State   string // "runnable", "blocked", "sleeping" or "done"
	Waiting string // what a blocked goroutine waits for
	Until   int64  // when a sleeping goroutine wakes, in ns of virtual time
	Panic   string
}

func (s *Snapshot) applyRuntime(e Event) {
	id := e.Count
	if e.Kind == GoroutineStarted {
		for len(s.Goroutines) < id {
			s.Goroutines = append(s.Goroutines, GoroutineState{})
		}
		s.Goroutines[id-1] = GoroutineState{Name: e.Value, State: "runnable"}
		return
	}
	if id < 1 || id > len(s.Goroutines) {
		return
	}
	g := &s.Goroutines[id-1]
	switch e.Kind {
	case GoroutineBlocked:
		g.State, g.Waiting, g.Until = "blocked", e.Reason, 0
	case GoroutineSleeping:
		g.State, g.Waiting, g.Until = "sleeping", "", e.Until
	case GoroutineReady:
		g.State, g.Waiting, g.Until = "runnable", "", 0
	case GoroutineDone:
		g.State, g.Waiting, g.Until, g.Panic = "done", "", 0, e.Reason
	}
}

func diffGoroutines(a, b []GoroutineState) string {
	if fa, fb := fmt.Sprintf("%+v", a), fmt.Sprintf("%+v", b); fa != fb {
		return "goroutines " + fa + " != " + fb
	}
	return ""
}
