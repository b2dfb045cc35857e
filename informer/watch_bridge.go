package informer

import (
	"errors"
	"fmt"

	"k8s.io/apimachinery/pkg/watch"

	"github.com/informerscope/informerscope/informer/sim"
)

// SimWatch is a watch whose events goroutines of a sim.Runtime can wait
// for: a ListerWatcher that serves a deterministic runtime returns watches
// that implement it. SimResultChan delivers what ResultChan would, and is
// closed when the watch ends; Stop, as always, tells the producer that the
// consumer is gone.
type SimWatch interface {
	watch.Interface
	SimResultChan() sim.Chan[watch.Event]
}

// ErrWatchNotWaitable is why a Reflector on a runtime other than the native
// one cannot use a watch that is not a SimWatch: its ResultChan is a plain
// channel, which only the Go scheduler can wait on.
var ErrWatchNotWaitable = errors.New("informer: the watch's ResultChan is a plain channel, which a deterministic runtime cannot wait on; the ListerWatcher must return a SimWatch")

// watchEvents is an open watch as a Reflector consumes it: the watch and a
// runtime channel of its events. For a plain watch under the native
// runtime, a bridge goroutine copies ResultChan into events until the watch
// ends or stop is called.
type watchEvents struct {
	w      watch.Interface
	events sim.Chan[watch.Event]
	// quit stops the bridge; nil when there is none.
	quit *doneSignal
}

// newWatchEvents makes w consumable on rt. name labels the bridge's
// goroutine and channel.
func newWatchEvents(rt sim.Runtime, name string, w watch.Interface) (*watchEvents, error) {
	if sw, ok := w.(SimWatch); ok {
		return &watchEvents{w: w, events: sw.SimResultChan()}, nil
	}
	if rt != sim.Native() {
		return nil, fmt.Errorf("%w (got %T)", ErrWatchNotWaitable, w)
	}
	e := &watchEvents{
		w:      w,
		events: sim.NewChan[watch.Event](rt, name+".watchEvents", 0),
		quit:   newDoneSignal(rt, name+".watchBridgeQuit"),
	}
	rt.Go(name+" watch bridge", func() { e.bridge(rt) })
	return e, nil
}

// bridge copies the plain result channel into events, one event at a time,
// and closes events when the result channel closes. It returns early when
// quit is closed, whether it waits for the watch or for the reflector.
// It runs only under the native runtime, where a plain select is a
// runtime operation like any other.
func (e *watchEvents) bridge(rt sim.Runtime) {
	defer e.events.Close()
	in := e.w.ResultChan()
	for {
		var event watch.Event
		var ok bool
		select {
		case event, ok = <-in:
		case <-e.quit.plain:
			return
		}
		if !ok {
			return
		}
		if chosen, _, _ := rt.Select(true, e.events.SendCase(event), e.quit.inSim.RecvCase()); chosen == 1 {
			return
		}
	}
}

// stop stops the watch and the bridge. The caller calls it once, and reads
// no more events.
func (e *watchEvents) stop() {
	if e.quit != nil {
		e.quit.close()
	}
	e.w.Stop()
}
