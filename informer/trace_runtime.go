package informer

import (
	"fmt"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// TraceRuntime reports the goroutine lanes of rt to p: every goroutine
// started, blocked (on what), sleeping (until when), ready again, or done.
func TraceRuntime(rt *sim.Deterministic, p *trace.Probe) {
	if p == nil {
		return
	}
	rt.OnLaneChange(func(c sim.LaneChange) { p.Emit(laneEvent(c)) })
}

func laneEvent(c sim.LaneChange) trace.Event {
	e := trace.Event{Count: c.ID}
	switch c.State {
	case sim.Runnable:
		e.Kind = trace.GoroutineReady
		if c.New {
			e.Kind, e.Value = trace.GoroutineStarted, c.Name
		}
	case sim.Blocked:
		e.Kind, e.Reason = trace.GoroutineBlocked, c.Waiting
	case sim.Sleeping:
		e.Kind, e.Until = trace.GoroutineSleeping, c.WakeAt.Sub(sim.Epoch).Nanoseconds()
	case sim.Done:
		e.Kind = trace.GoroutineDone
		if c.Panic != nil {
			e.Reason = fmt.Sprint(c.Panic)
		}
	}
	return e
}

// traceLanes returns rt's goroutines as a trace shows them. Between steps
// none is running; inside one, the running goroutine counts as runnable.
func traceLanes(rt *sim.Deterministic) []trace.GoroutineState {
	infos := rt.Goroutines()
	out := make([]trace.GoroutineState, len(infos))
	for i, g := range infos {
		st := trace.GoroutineState{Name: g.Name, State: g.State.String(), Waiting: g.Waiting}
		switch g.State {
		case sim.Running:
			st.State = "runnable"
		case sim.Sleeping:
			st.Until = g.WakeAt.Sub(sim.Epoch).Nanoseconds()
		}
		if g.Panic != nil {
			st.Panic = fmt.Sprint(g.Panic)
		}
		out[i] = st
	}
	return out
}

// StepEvent steps rt until rec has recorded at least one more event: the
// "one step is one trace event" of the visualiser. A goroutine runs from one
// runtime call to the next, so a step may record several events; a view
// shows them one at a time from the recording. It returns sim.ErrIdle when
// nothing can run, and stops at a panic.
func StepEvent(rt *sim.Deterministic, rec *trace.Recorder, maxSteps int) error {
	n := rec.Len()
	return rt.RunUntil(func() bool { return rec.Len() > n }, maxSteps)
}
