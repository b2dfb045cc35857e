package informer

import (
	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// fifoState is what DeltaFIFO and RealFIFO share: the lock and the wait for
// items, the closed flag, and the initial-population bookkeeping behind
// HasSynced.
//
// lock and cond guard the fields below them and the embedding queue's own
// fields. Methods named ...Locked expect lock held.
type fifoState struct {
	name string
	// lock comes from the runtime: it is held while a process function runs,
	// and that function may block on channels.
	lock sim.RWMutex
	cond sim.Cond

	// synced is closed once populated && initialPopulationCount == 0;
	// syncedClosed records that it was.
	synced       *doneSignal
	syncedClosed bool
	// populated is set by the first Add, Update, Delete or Replace.
	populated bool
	// initialPopulationCount is what the first Replace queued (entries for
	// DeltaFIFO, deltas for RealFIFO) and the consumer has not yet popped.
	initialPopulationCount int
	closed                 bool

	probe *trace.Probe
}

func (f *fifoState) init(name string, rt sim.Runtime, probe *trace.Probe) {
	rt = sim.Or(rt)
	f.name = name
	f.synced = newDoneSignal(rt, name+" synced")
	f.lock = rt.NewRWMutex(name)
	f.cond = rt.NewCond(f.lock)
	f.probe = probe
}

// Name names the queue.
func (f *fifoState) Name() string { return f.name }

// Done is closed once the queue has synced.
func (f *fifoState) Done() <-chan struct{} { return f.synced.plain }

func (f *fifoState) doneSignal() *doneSignal { return f.synced }

// HasSynced tells whether the initial population (the first Replace) was
// all popped, or the first write was an Add, Update or Delete. Do not call
// it from a process function, which may run under the lock: use IsDone(f).
func (f *fifoState) HasSynced() bool {
	f.lock.Lock()
	defer f.lock.Unlock()
	return f.syncedClosed
}

// Close makes Pop return ErrFIFOClosed once the queue is empty; what is
// queued stays.
func (f *fifoState) Close() {
	f.lock.Lock()
	defer f.lock.Unlock()
	if !f.closed {
		f.closed = true
		f.probe.Emit(trace.Event{Kind: trace.QueueClosed})
	}
	f.cond.Broadcast()
}

// IsClosed tells whether Close was called.
func (f *fifoState) IsClosed() bool {
	f.lock.Lock()
	defer f.lock.Unlock()
	return f.closed
}

// markPopulatedLocked records the first write, which sets the initial
// population count.
func (f *fifoState) markPopulatedLocked(initialCount int) {
	if f.populated {
		return
	}
	f.populated = true
	f.initialPopulationCount = initialCount
	f.probe.Emit(trace.Event{Kind: trace.QueuePopulated, Left: initialCount})
	f.checkSyncedLocked()
}

func (f *fifoState) checkSyncedLocked() {
	if f.populated && f.initialPopulationCount == 0 && !f.syncedClosed {
		f.syncedClosed = true
		// The event goes first: closing may let other goroutines run, and
		// they must not see a change the trace has not told yet.
		f.probe.Emit(trace.Event{Kind: trace.QueueSynced})
		f.synced.close()
	}
}

// traceState returns the bookkeeping part of a queue's trace state.
func (f *fifoState) traceState() *trace.QueueState {
	return &trace.QueueState{
		Populated:   f.populated,
		InitialLeft: f.initialPopulationCount,
		Synced:      f.syncedClosed,
		Closed:      f.closed,
	}
}
