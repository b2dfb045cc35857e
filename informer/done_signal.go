package informer

import "github.com/informerscope/informerscope/informer/sim"

// doneSignal is a one-shot completion signal: a channel closed once. It is
// two channels closed together, a plain one for DoneChecker.Done (callers
// outside the runtime select on it) and one of the runtime for goroutines of
// the runtime, which must not block on a plain channel.
type doneSignal struct {
	plain  chan struct{}
	inSim  sim.Chan[struct{}]
	closed bool
}

func newDoneSignal(rt sim.Runtime, name string) *doneSignal {
	return &doneSignal{plain: make(chan struct{}), inSim: sim.NewChan[struct{}](rt, name, 0)}
}

// close signals completion; later calls do nothing. Callers serialize.
func (d *doneSignal) close() {
	if d.closed {
		return
	}
	d.closed = true
	close(d.plain)
	d.inSim.Close()
}

// runtimeDone is a DoneChecker that goroutines of a sim.Runtime can wait
// for. Every DoneChecker of this package is one.
type runtimeDone interface {
	DoneChecker
	doneSignal() *doneSignal
}
