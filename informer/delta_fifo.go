package informer

import (
	"fmt"
	"slices"

	"k8s.io/apimachinery/pkg/util/sets"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// DeltaFIFOOptions configures a DeltaFIFO. The zero value is usable.
type DeltaFIFOOptions struct {
	// Name names the queue in HasSyncedChecker and in traces. Optional, the
	// default is "DeltaFIFO".
	Name string
	// KeyFunction keys queued objects. Optional, the default is
	// MetaNamespaceKeyFunc.
	KeyFunction KeyFunc
	// KnownObjects is the consumer's store. Delete consults it to decide
	// whether a delete is worth queueing, Replace to find objects that were
	// deleted while the watch was down, and Resync to know what to resync.
	// May be nil if you can tolerate missing deletions on Replace.
	KnownObjects KeyListerGetter
	// EmitDeltaTypeReplaced makes Replace queue Replaced deltas instead of
	// Sync, so that a consumer can tell a relist from a resync. Informers set
	// it.
	EmitDeltaTypeReplaced bool
	// Transformer, if set, is applied to every object queued by Add, Update,
	// Delete and Replace, but not to Sync deltas from Resync nor to
	// tombstones.
	Transformer TransformFunc

	// Probe, if set, receives a trace event for every change of the queue.
	Probe *trace.Probe
	// Runtime does the waiting of Pop. Optional, the default is sim.Native().
	Runtime sim.Runtime
}

// DeltaFIFO is a producer-consumer queue of keys, each with the list of
// Deltas accumulated for it since it was queued. A consumer pops a key and
// gets all of its Deltas at once, so changes to one object are grouped, and
// keys are served in the order they were first queued.
//
// The embedded fifoState's lock guards every field. A key is in queue if and
// only if it is in items, and each items[key] holds at least one Delta.
type DeltaFIFO struct {
	fifoState

	items map[string]Deltas
	queue []string

	// processing is what the running process function was given; only
	// traces look at it.
	processing Deltas

	keyFunc               KeyFunc
	knownObjects          KeyListerGetter
	emitDeltaTypeReplaced bool
	transformer           TransformFunc
}

var (
	_ = Queue(&DeltaFIFO{})             // DeltaFIFO is a Queue
	_ = TransformingStore(&DeltaFIFO{}) // and shares its transformer with the Reflector
	_ = DoneChecker(&DeltaFIFO{})       // and signals when it has synced
)

// NewDeltaFIFO returns a DeltaFIFO that does not emit Replaced deltas.
//
// Deprecated: use NewDeltaFIFOWithOptions.
func NewDeltaFIFO(keyFunc KeyFunc, knownObjects KeyListerGetter) *DeltaFIFO {
	return NewDeltaFIFOWithOptions(DeltaFIFOOptions{KeyFunction: keyFunc, KnownObjects: knownObjects})
}

// NewDeltaFIFOWithOptions returns an empty DeltaFIFO.
func NewDeltaFIFOWithOptions(opts DeltaFIFOOptions) *DeltaFIFO {
	if opts.KeyFunction == nil {
		opts.KeyFunction = MetaNamespaceKeyFunc
	}
	f := &DeltaFIFO{
		items:                 map[string]Deltas{},
		queue:                 []string{},
		keyFunc:               opts.KeyFunction,
		knownObjects:          opts.KnownObjects,
		emitDeltaTypeReplaced: opts.EmitDeltaTypeReplaced,
		transformer:           opts.Transformer,
	}
	name := "DeltaFIFO"
	if opts.Name != "" {
		name = opts.Name
	}
	f.init(name, opts.Runtime, opts.Probe)
	return f
}

// HasSyncedChecker returns the queue itself.
func (f *DeltaFIFO) HasSyncedChecker() DoneChecker { return f }

// Transformer returns the queue's transformer.
func (f *DeltaFIFO) Transformer() TransformFunc { return f.transformer }

// KeyOf keys obj, a Deltas (by its newest object), or a tombstone (by the
// key it carries).
func (f *DeltaFIFO) KeyOf(obj any) (string, error) {
	if d, ok := obj.(Deltas); ok {
		if len(d) == 0 {
			return "", KeyError{obj, ErrZeroLengthDeltasObject}
		}
		obj = d.Newest().Object
	}
	if d, ok := obj.(DeletedFinalStateUnknown); ok {
		return d.Key, nil
	}
	return f.keyFunc(obj)
}

// Add queues an Added delta for obj.
func (f *DeltaFIFO) Add(obj any) error {
	f.lock.Lock()
	defer f.lock.Unlock()
	f.markPopulatedLocked(0)
	return f.queueActionLocked(Added, obj)
}

// Update queues an Updated delta for obj.
func (f *DeltaFIFO) Update(obj any) error {
	f.lock.Lock()
	defer f.lock.Unlock()
	f.markPopulatedLocked(0)
	return f.queueActionLocked(Updated, obj)
}

// Delete queues a Deleted delta for obj, unless neither the queue nor the
// known objects have its key: then the consumer has nothing to delete and
// the delete is dropped. Without KnownObjects only the queue is consulted.
func (f *DeltaFIFO) Delete(obj any) error {
	id, err := f.KeyOf(obj)
	if err != nil {
		return KeyError{obj, err}
	}
	f.lock.Lock()
	defer f.lock.Unlock()
	f.markPopulatedLocked(0)
	_, queued := f.items[id]
	known := false
	var knownErr error
	if f.knownObjects != nil {
		_, known, knownErr = f.knownObjects.GetByKey(id)
	}
	if !queued && !known && knownErr == nil {
		if f.probe != nil {
			f.probe.Emit(trace.Event{Kind: trace.DeltaDropped, Key: id, Type: string(Deleted), Obj: f.probe.Ref(obj),
				Reason: "key is neither queued nor known"})
		}
		return nil
	}
	return f.queueActionLocked(Deleted, obj)
}

func (f *DeltaFIFO) queueActionLocked(actionType DeltaType, obj any) error {
	return f.queueActionInternalLocked(actionType, actionType, obj)
}

// queueActionInternalLocked appends Delta{actionType, obj} to the entry of
// obj's key. internalActionType decides the transform: a relist queues Sync
// deltas that are still transformed, a resync's are not.
func (f *DeltaFIFO) queueActionInternalLocked(actionType, internalActionType DeltaType, obj any) error {
	id, err := f.KeyOf(obj)
	if err != nil {
		return KeyError{obj, err}
	}
	if f.transformer != nil {
		if _, isTombstone := obj.(DeletedFinalStateUnknown); !isTombstone && internalActionType != Sync {
			if obj, err = f.transformer(obj); err != nil {
				return err
			}
		}
	}
	old, queued := f.items[id]
	deltas := append(old, Delta{actionType, obj})
	f.items[id] = deltas
	if !queued {
		// A queued key keeps its place: updates never move it back.
		f.queue = append(f.queue, id)
	}
	if f.probe != nil {
		e := trace.Event{Kind: trace.DeltaAppended, Key: id, Type: string(actionType), Obj: f.probe.Ref(obj), Pos: len(f.queue) - 1}
		if queued {
			e.Kind, e.Pos = trace.DeltaMerged, slices.Index(f.queue, id)
		}
		f.probe.Emit(e)
	}
	if deduped, reason := dedupDeltas(deltas); len(deduped) < len(deltas) {
		f.items[id] = deduped
		if f.probe != nil {
			f.probe.Emit(trace.Event{Kind: trace.DeltaDeduped, Key: id, Pos: slices.Index(f.queue, id), Reason: reason})
		}
	}
	f.cond.Broadcast()
	return nil
}

// dedupDeltas collapses the last two deltas when both are deletions: the
// object is gone either way. The older one is kept unless it is only a
// tombstone, whose final state is less exact than a real delete's. Nothing
// else is ever merged. It returns the deltas and which one was kept.
func dedupDeltas(deltas Deltas) (Deltas, string) {
	n := len(deltas)
	if n < 2 {
		return deltas, ""
	}
	newer, older := deltas[n-1], deltas[n-2]
	if newer.Type != Deleted || older.Type != Deleted {
		return deltas, ""
	}
	if _, ok := older.Object.(DeletedFinalStateUnknown); ok {
		deltas[n-2] = newer
		return deltas[:n-1], trace.KeptNewer
	}
	return deltas[:n-1], trace.KeptOlder
}

// Pop waits for an entry, takes the head key out with all its Deltas and
// calls process with them, holding the lock. The initial population count
// drops before process runs, so the queue may count as synced while the
// last initial entry is still being processed. The returned object is a
// Deltas.
func (f *DeltaFIFO) Pop(process PopProcessFunc) (any, error) {
	f.lock.Lock()
	defer f.lock.Unlock()
	for len(f.queue) == 0 {
		if f.closed {
			return nil, ErrFIFOClosed
		}
		f.cond.Wait()
	}
	isInInitialList := !f.syncedClosed
	id := f.queue[0]
	f.queue = f.queue[1:]
	item := f.items[id]
	delete(f.items, id)
	if f.initialPopulationCount > 0 {
		f.initialPopulationCount--
	}
	f.processing = item
	if f.probe != nil {
		f.probe.Emit(trace.Event{Kind: trace.QueuePopped, Key: id, Count: len(item), Initial: isInInitialList, Left: f.initialPopulationCount})
	}
	f.checkSyncedLocked()
	err := process(item, isInInitialList)
	f.processing = nil
	if f.probe != nil {
		f.probe.Emit(trace.Event{Kind: trace.QueueProcessed, Key: id, Left: f.initialPopulationCount, Reason: errText(err)})
	}
	return item, err
}

// Replace queues list as a relist: a Replaced (or Sync) delta for every
// item, in list order, then a Deleted tombstone for every key that is queued
// or known but not in the list. The first Replace sets the initial
// population count. resourceVersion is not used.
func (f *DeltaFIFO) Replace(list []any, _ string) error {
	f.lock.Lock()
	defer f.lock.Unlock()
	keys := make(sets.Set[string], len(list))
	action := Sync
	if f.emitDeltaTypeReplaced {
		action = Replaced
	}
	for _, item := range list {
		key, err := f.KeyOf(item)
		if err != nil {
			return KeyError{item, err}
		}
		keys.Insert(key)
		if err := f.queueActionInternalLocked(action, Replaced, item); err != nil {
			return fmt.Errorf("couldn't enqueue object: %v", err)
		}
	}

	// Keys queued but not relisted: their newest queued object is the best
	// known final state. client-go walks a map here; queue order is one of
	// the orders it can produce.
	queuedDeletions := 0
	for _, k := range slices.Clone(f.queue) {
		if keys.Has(k) {
			continue
		}
		var last any
		if n := f.items[k].Newest(); n != nil {
			last = n.Object
			if d, ok := last.(DeletedFinalStateUnknown); ok {
				last = d.Obj
			}
		}
		queuedDeletions++
		if err := f.queueTombstoneLocked(k, last, "queue"); err != nil {
			return err
		}
	}

	// Keys the consumer knows, not relisted and not queued.
	if f.knownObjects != nil {
		for _, k := range f.knownObjects.ListKeys() {
			if keys.Has(k) || len(f.items[k]) > 0 {
				continue
			}
			known, exists, err := f.knownObjects.GetByKey(k)
			if err != nil || !exists {
				known = nil
			}
			queuedDeletions++
			if err := f.queueTombstoneLocked(k, known, "known objects"); err != nil {
				return err
			}
		}
	}

	f.markPopulatedLocked(keys.Len() + queuedDeletions)
	return nil
}

func (f *DeltaFIFO) queueTombstoneLocked(key string, last any, source string) error {
	tombstone := DeletedFinalStateUnknown{Key: key, Obj: last}
	if f.probe != nil {
		f.probe.Emit(trace.Event{Kind: trace.TombstoneMade, Key: key, Obj: f.probe.Ref(tombstone), Reason: source})
	}
	return f.queueActionLocked(Deleted, tombstone)
}

// Resync queues a Sync delta for every known object whose key has nothing
// queued, in the order KnownObjects lists them. Without KnownObjects it does
// nothing.
func (f *DeltaFIFO) Resync() error {
	f.lock.Lock()
	defer f.lock.Unlock()
	if f.knownObjects == nil {
		return nil
	}
	for _, k := range f.knownObjects.ListKeys() {
		obj, exists, err := f.knownObjects.GetByKey(k)
		if err != nil || !exists {
			continue
		}
		id, err := f.KeyOf(obj)
		if err != nil {
			return KeyError{obj, err}
		}
		if len(f.items[id]) > 0 {
			continue
		}
		if err := f.queueActionLocked(Sync, obj); err != nil {
			return fmt.Errorf("couldn't queue object: %v", err)
		}
	}
	return nil
}

// traceState returns the queue as a trace shows it. The caller must keep
// writers out.
func (f *DeltaFIFO) traceState() *trace.QueueState {
	q := f.fifoState.traceState()
	q.Processing = traceDeltas(f.probe, f.processing)
	for _, k := range f.queue {
		q.Entries = append(q.Entries, trace.Entry{Key: k, Deltas: traceDeltas(f.probe, f.items[k])})
	}
	return q
}

func traceDeltas(p *trace.Probe, ds []Delta) []trace.Delta {
	if len(ds) == 0 {
		return nil
	}
	out := make([]trace.Delta, len(ds))
	for i, d := range ds {
		out[i] = trace.Delta{Type: string(d.Type), Obj: p.Ref(d.Object)}
	}
	return out
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
