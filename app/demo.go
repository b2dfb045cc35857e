package ui

import (
	"github.com/informerscope/informerscope/informer"
	"github.com/informerscope/informerscope/informer/trace"
)

// The names the queues and the store report under in the trace.
const (
	deltaFIFOName = "DeltaFIFO"
	realFIFOName  = "RealFIFO"
	storeName     = "indexer"
)

// demo runs the script against a DeltaFIFO and a RealFIFO side by side.
//
// The DeltaFIFO is set up as a classic informer sets it up: its pops feed an
// indexer, which is also its KnownObjects, and it emits Replaced deltas. The
// RealFIFO is set up as a v0.37 informer sets it up: atomic, so a relist is
// one ReplacedAll delta and the consumer reconciles. Everything the page
// shows is folded from the trace both queues and the store write to.
type demo struct {
	rec       *trace.Recorder
	deltaFIFO *informer.DeltaFIFO
	realFIFO  *informer.RealFIFO
	store     informer.Indexer

	// next is the index in script of the next operation.
	next int
	// blocked names the queues the last operation did not pop because they
	// were empty: Pop would have waited forever.
	blocked map[string]bool
}

func newDemo() *demo {
	rec := trace.NewRecorder()
	store := informer.NewIndexer(informer.DeletionHandlingMetaNamespaceKeyFunc, nil,
		informer.WithProbe(rec.Probe(storeName)))
	return &demo{
		rec: rec,
		deltaFIFO: informer.NewDeltaFIFOWithOptions(informer.DeltaFIFOOptions{
			Name:                  deltaFIFOName,
			KnownObjects:          store,
			EmitDeltaTypeReplaced: true,
			Probe:                 rec.Probe(deltaFIFOName),
		}),
		realFIFO: informer.NewRealFIFOWithOptions(informer.RealFIFOOptions{
			Name:         realFIFOName,
			AtomicEvents: true,
			Probe:        rec.Probe(realFIFOName),
		}),
		store: store,
	}
}

// replay returns a new demo that has run the first n operations. Going back
// a step is a replay: the queues cannot be undone, but they are
// deterministic, so running the script again gives the same state.
func replay(n int) *demo {
	d := newDemo()
	for d.next < n && d.advance() {
	}
	return d
}

// advance applies the next operation; false means the script is over.
func (d *demo) advance() bool {
	if d.next >= len(script) {
		return false
	}
	d.blocked = nil
	script[d.next].apply(d)
	d.next++
	return true
}

// The operations. Their errors are dropped: with these objects and options
// the queues cannot fail, and a failure would show in the trace anyway.

func (d *demo) add(o any) {
	_ = d.deltaFIFO.Add(o)
	_ = d.realFIFO.Add(o)
}

func (d *demo) update(o any) {
	_ = d.deltaFIFO.Update(o)
	_ = d.realFIFO.Update(o)
}

func (d *demo) replace(rv string, objs ...any) {
	// Each queue takes ownership of its list.
	_ = d.deltaFIFO.Replace(append([]any(nil), objs...), rv)
	_ = d.realFIFO.Replace(append([]any(nil), objs...), rv)
}

func (d *demo) resync() {
	_ = d.deltaFIFO.Resync()
	_ = d.realFIFO.Resync()
}

// pop pops each queue that has something queued. Pop on an empty queue
// waits for a producer, and there is none while the page waits for a click.
func (d *demo) pop() {
	snap := trace.Fold(d.rec.Events())
	d.blocked = map[string]bool{}
	if len(snap.Queue(deltaFIFOName).Entries) == 0 {
		d.blocked[deltaFIFOName] = true
	} else {
		_, _ = d.deltaFIFO.Pop(d.processDeltas)
	}
	if len(snap.Queue(realFIFOName).Entries) == 0 {
		d.blocked[realFIFOName] = true
	} else {
		_, _ = d.realFIFO.Pop(func(any, bool) error { return nil })
	}
}

// processDeltas is the DeltaFIFO's consumer: it writes what it pops into
// the store, as an informer does before calling the event handlers.
func (d *demo) processDeltas(obj any, _ bool) error {
	for _, delta := range obj.(informer.Deltas) {
		if delta.Type == informer.Deleted {
			if err := d.store.Delete(delta.Object); err != nil {
				return err
			}
			continue
		}
		_, exists, err := d.store.Get(delta.Object)
		if err != nil {
			return err
		}
		if exists {
			err = d.store.Update(delta.Object)
		} else {
			err = d.store.Add(delta.Object)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
