package informer

import (
	"fmt"

	"k8s.io/apimachinery/pkg/util/sets"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// RealFIFOOptions configures a RealFIFO.
type RealFIFOOptions struct {
	// Name names the queue in HasSyncedChecker and in traces. Optional, the
	// default is "RealFIFO".
	Name string
	// KeyFunction keys queued objects. Optional, the default is
	// MetaNamespaceKeyFunc.
	KeyFunction KeyFunc
	// KnownObjects is the consumer's store, used by a non-atomic queue to
	// find deletions on Replace and objects to resync. Required when
	// AtomicEvents is false, forbidden when it is true.
	KnownObjects KeyListerGetter
	// Transformer, if set, is applied to every object of Add, Update, Delete
	// and Replace, but not to Sync deltas nor to tombstones.
	Transformer TransformFunc
	// AtomicEvents makes Replace queue one ReplacedAll delta and Resync one
	// SyncAll delta, leaving the reconciliation to the consumer, which
	// compares with its own store. client-go v0.37 informers set it (the
	// AtomicFIFO feature gate, on by default).
	AtomicEvents bool
	// UnlockWhileProcessing releases the lock while a process function runs,
	// so producers are not blocked by slow consumers. Requires AtomicEvents.
	UnlockWhileProcessing bool
	// EmitDeltaTypeBookmark makes Bookmark queue a Bookmark delta. Requires
	// AtomicEvents.
	EmitDeltaTypeBookmark bool

	// Probe, if set, receives a trace event for every change of the queue.
	Probe *trace.Probe
	// Runtime does the waiting of Pop. Optional, the default is sim.Native().
	Runtime sim.Runtime
}

// defaultBatchSize is the most deltas one PopBatch takes.
const defaultBatchSize = 1000

// RealFIFO is a plain queue of Deltas, in the order they arrived: nothing is
// grouped by key and nothing is deduplicated, so a consumer sees every event
// in order. It is the queue of client-go v0.37 informers.
//
// The embedded fifoState's lock guards every field.
type RealFIFO struct {
	fifoState

	items []Delta

	// processing is what the running process function was given; only
	// traces look at it.
	processing []Delta

	keyFunc               KeyFunc
	knownObjects          KeyListerGetter
	transformer           TransformFunc
	batchSize             int
	emitAtomicEvents      bool
	unlockWhileProcessing bool
	emitDeltaTypeBookmark bool
}

var (
	_ = QueueWithBatch(&RealFIFO{})    // RealFIFO is a Queue that pops batches
	_ = TransformingStore(&RealFIFO{}) // and shares its transformer with the Reflector
	_ = DoneChecker(&RealFIFO{})       // and signals when it has synced
)

// NewRealFIFO returns a non-atomic RealFIFO.
//
// Deprecated: use NewRealFIFOWithOptions.
func NewRealFIFO(keyFunc KeyFunc, knownObjects KeyListerGetter, transformer TransformFunc) *RealFIFO {
	return NewRealFIFOWithOptions(RealFIFOOptions{KeyFunction: keyFunc, KnownObjects: knownObjects, Transformer: transformer})
}

// NewRealFIFOWithOptions returns an empty RealFIFO. It panics on options
// that contradict each other.
func NewRealFIFOWithOptions(opts RealFIFOOptions) *RealFIFO {
	if opts.KeyFunction == nil {
		opts.KeyFunction = MetaNamespaceKeyFunc
	}
	if opts.AtomicEvents {
		if opts.KnownObjects != nil {
			panic("coding error: knownObjects must not be provided when AtomicEvents is true")
		}
	} else {
		if opts.UnlockWhileProcessing {
			panic("coding error: UnlockWhileProcessing must be false when AtomicEvents is false")
		}
		if opts.KnownObjects == nil {
			panic("coding error: knownObjects must be provided when AtomicEvents is false")
		}
		if opts.EmitDeltaTypeBookmark {
			panic("coding error: EmitDeltaTypeBookmark must be false when AtomicEvents is false")
		}
	}
	f := &RealFIFO{
		items:                 make([]Delta, 0, 10),
		keyFunc:               opts.KeyFunction,
		knownObjects:          opts.KnownObjects,
		transformer:           opts.Transformer,
		batchSize:             defaultBatchSize,
		emitAtomicEvents:      opts.AtomicEvents,
		unlockWhileProcessing: opts.UnlockWhileProcessing,
		emitDeltaTypeBookmark: opts.EmitDeltaTypeBookmark,
	}
	name := "RealFIFO"
	if opts.Name != "" {
		name = opts.Name
	}
	f.init(name, opts.Runtime, opts.Probe)
	return f
}

// HasSyncedChecker returns the queue itself.
func (f *RealFIFO) HasSyncedChecker() DoneChecker { return f }

// Transformer returns the queue's transformer.
func (f *RealFIFO) Transformer() TransformFunc { return f.transformer }

// keyOf keys an object, a Delta, a Deltas (by its newest) or a tombstone.
func (f *RealFIFO) keyOf(obj any) (string, error) {
	if d, ok := obj.(Deltas); ok {
		if len(d) == 0 {
			return "", KeyError{obj, ErrZeroLengthDeltasObject}
		}
		obj = d.Newest().Object
	}
	if d, ok := obj.(Delta); ok {
		obj = d.Object
	}
	if d, ok := obj.(DeletedFinalStateUnknown); ok {
		return d.Key, nil
	}
	return f.keyFunc(obj)
}

// traceKey is the key a trace shows for d: "" for the whole-queue deltas
// (ReplacedAll, SyncAll, Bookmark), which have none. It is keyOf(d)
// without putting d in an interface, which would allocate on every traced
// delta.
func (f *RealFIFO) traceKey(d Delta) string {
	if t, ok := d.Object.(DeletedFinalStateUnknown); ok {
		return t.Key
	}
	key, err := f.keyFunc(d.Object)
	if err != nil {
		return ""
	}
	return key
}

// appendLocked puts d at the tail and wakes a waiting Pop.
func (f *RealFIFO) appendLocked(d Delta) {
	f.items = append(f.items, d)
	if f.probe != nil {
		e := trace.Event{Kind: trace.DeltaAppended, Key: f.traceKey(d), Type: string(d.Type), Obj: f.probe.Ref(d.Object), Pos: len(f.items) - 1}
		switch info := d.Object.(type) {
		case ReplacedAllInfo:
			e.RV = info.ResourceVersion
		case BookmarkInfo:
			e.RV = info.ResourceVersion
		}
		f.probe.Emit(e)
	}
	f.cond.Broadcast()
}

// addToItemsLocked queues Delta{deltaType, obj}, transforming obj unless it
// is a tombstone or skipTransform is set.
func (f *RealFIFO) addToItemsLocked(deltaType DeltaType, skipTransform bool, obj any) error {
	if _, err := f.keyOf(obj); err != nil {
		return KeyError{obj, err}
	}
	if f.transformer != nil && !skipTransform {
		if _, isTombstone := obj.(DeletedFinalStateUnknown); !isTombstone {
			var err error
			if obj, err = f.transformer(obj); err != nil {
				return err
			}
		}
	}
	f.appendLocked(Delta{Type: deltaType, Object: obj})
	return nil
}

// Add queues an Added delta.
func (f *RealFIFO) Add(obj any) error {
	f.lock.Lock()
	defer f.lock.Unlock()
	f.markPopulatedLocked(0)
	return f.addToItemsLocked(Added, false, obj)
}

// Update queues an Updated delta.
func (f *RealFIFO) Update(obj any) error {
	f.lock.Lock()
	defer f.lock.Unlock()
	f.markPopulatedLocked(0)
	return f.addToItemsLocked(Updated, false, obj)
}

// Delete queues a Deleted delta, always: the watch said so, and deciding
// what the consumer has seen is the consumer's business.
func (f *RealFIFO) Delete(obj any) error {
	f.lock.Lock()
	defer f.lock.Unlock()
	f.markPopulatedLocked(0)
	return f.addToItemsLocked(Deleted, false, obj)
}

// Bookmark queues a Bookmark delta when the queue emits them; otherwise it
// does nothing. It does not count as the queue's first write.
func (f *RealFIFO) Bookmark(resourceVersion string) error {
	if !f.emitDeltaTypeBookmark {
		return nil
	}
	f.lock.Lock()
	defer f.lock.Unlock()
	f.appendLocked(Delta{Type: Bookmark, Object: BookmarkInfo{ResourceVersion: resourceVersion}})
	return nil
}

// Replace queues a relist. An atomic queue queues it as one ReplacedAll
// delta. Otherwise it queues a tombstone for every key that is queued or
// known but not relisted, then a Replaced delta per item, in list order. The
// first Replace sets the initial population count to everything queued.
func (f *RealFIFO) Replace(newItems []any, resourceVersion string) error {
	f.lock.Lock()
	defer f.lock.Unlock()
	var err error
	if f.emitAtomicEvents {
		err = f.replaceAtomicLocked(newItems, resourceVersion)
	} else {
		err = f.reconcileReplacementLocked(newItems)
	}
	if err != nil {
		return err
	}
	f.markPopulatedLocked(len(f.items))
	return nil
}

func (f *RealFIFO) replaceAtomicLocked(objs []any, resourceVersion string) error {
	if f.transformer != nil {
		transformed := make([]any, len(objs))
		for i, obj := range objs {
			t, err := f.transformer(obj)
			if err != nil {
				return err
			}
			transformed[i] = t
		}
		objs = transformed
	}
	f.appendLocked(Delta{Type: ReplacedAll, Object: ReplacedAllInfo{ResourceVersion: resourceVersion, Objects: objs}})
	return nil
}

// reconcileReplacementLocked does a non-atomic relist: deletions first, so
// that they are delivered before the replacements.
func (f *RealFIFO) reconcileReplacementLocked(newItems []any) error {
	return reconcileReplacement(f.items, f.knownObjects, newItems, f.keyOf,
		func(key string, last any, source string) error { return f.queueTombstoneLocked(key, last, source) },
		func(obj any) error { return f.addToItemsLocked(Replaced, false, obj) })
}

// reconcileReplacement compares a relist (newItems) with what is queued and
// what the consumer knows, and reports, in this order: a deletion for every
// queued key missing from the list whose last queued delta is not already a
// deletion (with that delta's object, source "queue"), a deletion for every
// known key missing from the list and not queued (with the known object, or
// nil, source "known objects"), then every new item, in list order. Queued
// keys go in first-queued order, known keys in ListKeys order.
//
// A non-atomic RealFIFO queues what it reports; an informer that pops an
// atomic ReplacedAll delta reconciles it against its store the same way.
func reconcileReplacement(queued []Delta, known KeyListerGetter, newItems []any, keyOf KeyFunc,
	onDelete func(key string, last any, source string) error, onReplace func(obj any) error) error {
	newKeys := sets.Set[string]{}
	for _, obj := range newItems {
		key, err := keyOf(obj)
		if err != nil {
			return KeyError{obj, err}
		}
		newKeys.Insert(key)
	}

	// The last queued delta of each queued key, keys in first-queued order.
	var queuedKeys []string
	last := map[string]Delta{}
	for _, d := range queued {
		key, err := keyOf(d.Object)
		if err != nil {
			return KeyError{d.Object, err}
		}
		if _, seen := last[key]; !seen {
			queuedKeys = append(queuedKeys, key)
		}
		last[key] = d
	}
	for _, key := range queuedKeys {
		// A key whose last delta is a deletion is already going away.
		if newKeys.Has(key) || last[key].Type == Deleted {
			continue
		}
		if err := onDelete(key, last[key].Object, "queue"); err != nil {
			return err
		}
	}

	for _, key := range known.ListKeys() {
		if newKeys.Has(key) {
			continue
		}
		if _, isQueued := last[key]; isQueued {
			continue
		}
		obj, exists, err := known.GetByKey(key)
		if err != nil || !exists {
			obj = nil
		}
		if err := onDelete(key, obj, "known objects"); err != nil {
			return err
		}
	}

	for _, obj := range newItems {
		if err := onReplace(obj); err != nil {
			return fmt.Errorf("couldn't enqueue object: %w", err)
		}
	}
	return nil
}

func (f *RealFIFO) queueTombstoneLocked(key string, last any, source string) error {
	tombstone := DeletedFinalStateUnknown{Key: key, Obj: last}
	if f.probe != nil {
		f.probe.Emit(trace.Event{Kind: trace.TombstoneMade, Key: key, Obj: f.probe.Ref(tombstone), Reason: source})
	}
	if err := f.addToItemsLocked(Deleted, true, tombstone); err != nil {
		return fmt.Errorf("couldn't enqueue object: %w", err)
	}
	return nil
}

// Resync queues one SyncAll delta in an atomic queue, every time. Otherwise
// it queues a Sync delta for every known object with nothing queued, in the
// order KnownObjects lists them.
func (f *RealFIFO) Resync() error {
	f.lock.Lock()
	defer f.lock.Unlock()
	if f.emitAtomicEvents {
		f.appendLocked(Delta{Type: SyncAll, Object: SyncAllInfo{}})
		return nil
	}
	if f.knownObjects == nil {
		return nil
	}
	queued := sets.Set[string]{}
	for _, d := range f.items {
		key, err := f.keyOf(d.Object)
		if err != nil {
			return KeyError{d, err}
		}
		queued.Insert(key)
	}
	for _, key := range f.knownObjects.ListKeys() {
		if queued.Has(key) {
			continue
		}
		obj, exists, err := f.knownObjects.GetByKey(key)
		if err != nil || !exists {
			continue
		}
		if err := f.addToItemsLocked(Sync, true, obj); err != nil {
			return fmt.Errorf("couldn't queue object: %w", err)
		}
	}
	return nil
}

// waitLocked waits for a delta; false means the queue is closed and empty.
func (f *RealFIFO) waitLocked() bool {
	for len(f.items) == 0 {
		if f.closed {
			return false
		}
		f.cond.Wait()
	}
	return true
}

// Pop waits for a delta, takes exactly one off the head and calls process
// with it as a one-element Deltas. The initial population count drops after
// process returns, so the queue is not synced while the last initial delta
// is being processed.
func (f *RealFIFO) Pop(process PopProcessFunc) (any, error) {
	f.lock.Lock()
	defer f.lock.Unlock()
	if !f.waitLocked() {
		return nil, ErrFIFOClosed
	}
	isInInitialList := !f.syncedClosed
	item := f.items[0]
	f.items[0] = Delta{} // let the object be collected once processed
	f.items = f.items[1:]
	f.processing = []Delta{item}
	if f.probe != nil {
		f.probe.Emit(trace.Event{Kind: trace.QueuePopped, Key: f.traceKey(item), Count: 1, Initial: isInInitialList, Left: f.initialPopulationCount})
	}
	var err error
	defer func() { f.doneProcessingLocked(1, err) }()
	err = f.whileProcessingLocked(func() error { return process(Deltas{item}, isInInitialList) })
	return Deltas{item}, err
}

// doneProcessingLocked accounts for n processed deltas.
func (f *RealFIFO) doneProcessingLocked(n int, err error) {
	if f.initialPopulationCount > 0 {
		f.initialPopulationCount -= n
	}
	f.processing = nil
	if f.probe != nil {
		f.probe.Emit(trace.Event{Kind: trace.QueueProcessed, Left: f.initialPopulationCount, Reason: errText(err)})
	}
	f.checkSyncedLocked()
}

// whileProcessingLocked runs process, without the lock when the queue
// unlocks while processing and is not too long.
func (f *RealFIFO) whileProcessingLocked(process func() error) error {
	if f.unlockWhileProcessing && len(f.items) < f.batchSize*2 {
		f.lock.Unlock()
		defer f.lock.Lock()
	}
	return process()
}

// batchable are the delta types PopBatch may put in a batch; the others
// concern the whole queue and are popped alone.
var batchable = map[DeltaType]bool{Sync: true, Replaced: true, Added: true, Updated: true, Deleted: true}

// PopBatch waits for deltas and takes up to batchSize of them off the head.
// A batch stops before: the end of the initial population, a key already in
// the batch, or a non-batchable delta (which, at the head, is popped alone).
// A delta whose key fails ends the batch, included. One delta goes to
// processSingle, more to processBatch.
func (f *RealFIFO) PopBatch(processBatch ProcessBatchFunc, processSingle PopProcessFunc) error {
	f.lock.Lock()
	defer f.lock.Unlock()
	if !f.waitLocked() {
		return ErrFIFOClosed
	}
	isInInitialList := !f.syncedClosed
	var keys []string
	keysTo := &keys
	if f.probe == nil {
		keysTo = nil
	}
	n := f.batchLenLocked(keysTo)
	deltas := make([]Delta, n)
	copy(deltas, f.items[:n])
	clear(f.items[:n])
	f.items = f.items[n:]
	f.processing = deltas
	if f.probe != nil {
		f.probe.Emit(trace.Event{Kind: trace.QueueBatchPopped, Keys: keys, Count: n, Initial: isInInitialList, Left: f.initialPopulationCount})
	}
	var err error
	defer func() { f.doneProcessingLocked(n, err) }()
	if n == 1 {
		err = f.whileProcessingLocked(func() error { return processSingle(Deltas{deltas[0]}, isInInitialList) })
		return err
	}
	err = f.whileProcessingLocked(func() error { return processBatch(deltas, isInInitialList) })
	return err
}

// batchLenLocked returns how many head deltas the next batch takes. If
// traceKeys is not nil, it also returns their keys as traceKey gives them,
// which it mostly has at hand: a traced batch then keys each delta once.
func (f *RealFIFO) batchLenLocked(traceKeys *[]string) int {
	unique := sets.Set[string]{}
	n := 0
	for i := 0; i < f.batchSize && i < len(f.items); i++ {
		if f.initialPopulationCount > 0 && i >= f.initialPopulationCount {
			break
		}
		item := f.items[i]
		if !batchable[item.Type] {
			if n == 0 {
				n = 1
				if traceKeys != nil {
					*traceKeys = append(*traceKeys, f.traceKey(item))
				}
			}
			break
		}
		key, err := f.keyOf(item)
		if err != nil {
			n++
			if traceKeys != nil {
				*traceKeys = append(*traceKeys, "")
			}
			break
		}
		if unique.Has(key) {
			break
		}
		unique.Insert(key)
		n++
		if traceKeys != nil {
			*traceKeys = append(*traceKeys, key)
		}
	}
	return n
}

// traceState returns the queue as a trace shows it. The caller must keep
// writers out.
func (f *RealFIFO) traceState() *trace.QueueState {
	q := f.fifoState.traceState()
	q.Processing = traceDeltas(f.probe, f.processing)
	for _, d := range f.items {
		q.Entries = append(q.Entries, trace.Entry{Key: f.traceKey(d), Deltas: traceDeltas(f.probe, []Delta{d})})
	}
	return q
}
