package informer

// Differential tests: the same operations go to our queues and to the real
// client-go v0.37.2 queues (a test-only dependency), and everything a
// consumer can observe is compared: every pop (types, keys, objects,
// isInInitialList), HasSynced after every operation, and the consumer store
// the pops feed.

import (
	"fmt"
	"sort"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kcache "k8s.io/client-go/tools/cache"

	"github.com/informerscope/informerscope/informer/trace"
)

// queueMode is one configuration of a queue, set up the same way on both
// sides.
type queueMode struct {
	delta     bool // DeltaFIFO; otherwise RealFIFO
	known     bool // KnownObjects is the consumer store
	replaced  bool // DeltaFIFO EmitDeltaTypeReplaced
	atomic    bool // RealFIFO AtomicEvents
	unlock    bool // RealFIFO UnlockWhileProcessing
	bookmarks bool // RealFIFO EmitDeltaTypeBookmark
	transform bool // a transformer that records what it sees
}

func (m queueMode) String() string {
	s := "realfifo"
	if m.delta {
		s = "deltafifo"
	}
	for _, f := range []struct {
		on   bool
		name string
	}{{m.known, "known"}, {m.replaced, "replaced"}, {m.atomic, "atomic"}, {m.unlock, "unlock"}, {m.bookmarks, "bookmarks"}, {m.transform, "transform"}} {
		if f.on {
			s += " " + f.name
		}
	}
	return s
}

// valid reports whether the mode is one client-go accepts.
func (m queueMode) valid() bool {
	if m.delta {
		return !m.atomic && !m.unlock && !m.bookmarks
	}
	if m.replaced {
		return false
	}
	if m.atomic {
		return !m.known
	}
	return m.known && !m.unlock && !m.bookmarks
}

// allQueueModes are the modes the random tests cover.
var allQueueModes = []queueMode{
	{delta: true},
	{delta: true, known: true},
	{delta: true, replaced: true},
	{delta: true, known: true, replaced: true, transform: true},
	{known: true},
	{known: true, transform: true},
	{atomic: true, bookmarks: true},
	{atomic: true, bookmarks: true, unlock: true, transform: true},
	{atomic: true},
}

// queueSide is one implementation under test, with its consumer store.
type queueSide interface {
	add(o any) error
	update(o any) error
	delete(o any) error
	replace(objs []any, rv string) error
	resync() error
	bookmark(rv string) error
	// pop pops once, the batch way when batch is set, and prints what the
	// process function got. ok is false when the pop did not return within
	// a few seconds: the queue was (wrongly) empty.
	pop(batch bool) (out string, ok bool)
	hasSynced() bool
	close()
	// store prints the consumer store, sorted, and its resourceVersion.
	store() string
	// transformed lists what the transformer saw.
	transformed() []string
	// know puts o into the consumer store, as if it had been popped before.
	know(o any)
}

// sortedKnown lists the keys of a store sorted, so that both sides see the
// consumer's keys in the same order (client-go's own order is map order).
type sortedKnown struct {
	store interface {
		ListKeys() []string
		GetByKey(string) (any, bool, error)
	}
}

func (s sortedKnown) ListKeys() []string {
	keys := s.store.ListKeys()
	sort.Strings(keys)
	return keys
}

func (s sortedKnown) GetByKey(k string) (any, bool, error) { return s.store.GetByKey(k) }

// applyDelta is the consumer both sides share: what processDeltas does to
// the store, without the handlers.
func applyDelta(store interface {
	Add(any) error
	Update(any) error
	Delete(any) error
	Get(any) (any, bool, error)
	Replace([]any, string) error
	Bookmark(string)
}, typ string, o any, replacedAll func(any) ([]any, string, bool), bookmarkRV func(any) (string, bool)) {
	switch typ {
	case "Added", "Updated", "Sync", "Replaced":
		if _, exists, _ := store.Get(o); exists {
			store.Update(o)
		} else {
			store.Add(o)
		}
	case "Deleted":
		store.Delete(o)
	case "ReplacedAll":
		if objs, rv, ok := replacedAll(o); ok {
			store.Replace(objs, rv)
		}
	case "Bookmark":
		if rv, ok := bookmarkRV(o); ok {
			store.Bookmark(rv)
		}
	}
}

func printStore(keys []string, get func(string) (any, bool, error), rv string) string {
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		o, _, _ := get(k)
		parts[i] = k + "=" + fmtAny(o)
	}
	return fmt.Sprintf("store [%s] rv=%q", strings.Join(parts, " "), rv)
}

// fmtAny prints our types and client-go's the same way.
func fmtAny(o any) string {
	switch v := o.(type) {
	case kcache.DeletedFinalStateUnknown:
		return fmt.Sprintf("DFSU{%s,%s}", v.Key, fmtAny(v.Obj))
	case kcache.ReplacedAllInfo:
		parts := make([]string, len(v.Objects))
		for i, o := range v.Objects {
			parts[i] = fmtAny(o)
		}
		return fmt.Sprintf("ReplacedAllInfo{rv=%s,[%s]}", v.ResourceVersion, strings.Join(parts, " "))
	case kcache.SyncAllInfo:
		return "SyncAllInfo{}"
	case kcache.BookmarkInfo:
		return fmt.Sprintf("BookmarkInfo{rv=%s}", v.ResourceVersion)
	}
	return fmtObj(o)
}

func fmtCacheDeltas(ds []kcache.Delta) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = fmt.Sprintf("%s(%s)", d.Type, fmtAny(d.Object))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// recordingTransformer records the objects it sees and returns them as they
// are, so both sides queue the very same objects.
type recordingTransformer struct{ seen []string }

func (r *recordingTransformer) transform(o any) (any, error) {
	r.seen = append(r.seen, fmtAny(o))
	return o, nil
}

// ---- our side ----

type ourSide struct {
	mode     queueMode
	delta    *DeltaFIFO
	real     *RealFIFO
	q        Queue
	consumer Indexer
	tr       recordingTransformer
}

func newOurSide(m queueMode) *ourSide { return newTracedSide(m, nil) }

// newTracedSide is newOurSide reporting to rec: the queue as "queue", the
// consumer store as "store". The consumer is indexed (by namespace, and by
// name plus "all", a multi-valued index) so that index events occur too.
func newTracedSide(m queueMode, rec *trace.Recorder) *ourSide {
	s := &ourSide{mode: m, consumer: NewIndexer(DeletionHandlingMetaNamespaceKeyFunc, Indexers{
		NamespaceIndex: MetaNamespaceIndexFunc,
		"name":         nameAndAll,
	}, WithProbe(rec.Probe("store")))}
	var known KeyListerGetter
	if m.known {
		known = sortedKnown{s.consumer}
	}
	var tr TransformFunc
	if m.transform {
		tr = s.tr.transform
	}
	if m.delta {
		s.delta = NewDeltaFIFOWithOptions(DeltaFIFOOptions{KnownObjects: known, EmitDeltaTypeReplaced: m.replaced, Transformer: tr,
			Probe: rec.Probe("queue")})
		s.q = s.delta
	} else {
		s.real = NewRealFIFOWithOptions(RealFIFOOptions{KnownObjects: known, AtomicEvents: m.atomic,
			UnlockWhileProcessing: m.unlock, EmitDeltaTypeBookmark: m.bookmarks, Transformer: tr, Probe: rec.Probe("queue")})
		s.q = s.real
	}
	return s
}

// nameAndAll indexes an object by its name and by "all".
func nameAndAll(o any) ([]string, error) {
	key, err := DeletionHandlingMetaNamespaceKeyFunc(o)
	if err != nil {
		return nil, err
	}
	_, name, _ := SplitMetaNamespaceKey(key)
	return []string{name, "all"}, nil
}

// traceSnapshot is the side's own account of its state, as a trace shows it.
func (s *ourSide) traceSnapshot() *trace.Snapshot {
	snap := trace.NewSnapshot()
	snap.Stores["store"] = s.consumer.(*cache).traceState()
	if s.delta != nil {
		snap.Queues["queue"] = s.delta.traceState()
	} else {
		snap.Queues["queue"] = s.real.traceState()
	}
	return snap
}

func (s *ourSide) add(o any) error                     { return s.q.Add(o) }
func (s *ourSide) update(o any) error                  { return s.q.Update(o) }
func (s *ourSide) delete(o any) error                  { return s.q.Delete(o) }
func (s *ourSide) replace(objs []any, rv string) error { return s.q.Replace(objs, rv) }
func (s *ourSide) resync() error                       { return s.q.Resync() }
func (s *ourSide) hasSynced() bool                     { return s.q.HasSynced() }
func (s *ourSide) close()                              { s.q.Close() }
func (s *ourSide) transformed() []string               { return s.tr.seen }
func (s *ourSide) know(o any)                          { s.consumer.Add(o) }

func (s *ourSide) bookmark(rv string) error {
	if s.real != nil {
		return s.real.Bookmark(rv)
	}
	return nil
}

// empty tells whether a Pop would block; only our side can tell.
func (s *ourSide) empty() bool {
	if s.delta != nil {
		s.delta.lock.Lock()
		defer s.delta.lock.Unlock()
		return len(s.delta.queue) == 0 && !s.delta.closed
	}
	s.real.lock.Lock()
	defer s.real.lock.Unlock()
	return len(s.real.items) == 0 && !s.real.closed
}

func (s *ourSide) consume(ds []Delta) {
	for _, d := range ds {
		applyDelta(s.consumer, string(d.Type), d.Object,
			func(o any) ([]any, string, bool) {
				i, ok := o.(ReplacedAllInfo)
				return i.Objects, i.ResourceVersion, ok
			},
			func(o any) (string, bool) { i, ok := o.(BookmarkInfo); return i.ResourceVersion, ok })
	}
}

func (s *ourSide) pop(batch bool) (string, bool) {
	if s.empty() {
		return "", false
	}
	var out string
	single := func(o any, initial bool) error {
		ds := o.(Deltas)
		out = fmt.Sprintf("pop %s init=%v", fmtDeltas(ds), initial)
		s.consume(ds)
		return nil
	}
	var err error
	if batch && s.real != nil {
		err = s.real.PopBatch(func(ds []Delta, initial bool) error {
			out = fmt.Sprintf("batch %s init=%v", fmtDeltas(ds), initial)
			s.consume(ds)
			return nil
		}, single)
	} else {
		_, err = s.q.Pop(single)
	}
	if err != nil {
		return "pop error: " + err.Error(), true
	}
	return out, true
}

func (s *ourSide) store() string {
	return printStore(s.consumer.ListKeys(), s.consumer.GetByKey, s.consumer.LastStoreSyncResourceVersion())
}

// ---- client-go's side ----

type theirSide struct {
	mode     queueMode
	delta    *kcache.DeltaFIFO
	real     *kcache.RealFIFO
	q        kcache.Queue
	consumer kcache.Indexer
	tr       recordingTransformer
}

func newTheirSide(m queueMode) *theirSide {
	s := &theirSide{mode: m, consumer: kcache.NewIndexer(kcache.DeletionHandlingMetaNamespaceKeyFunc, kcache.Indexers{})}
	var known kcache.KeyListerGetter
	if m.known {
		known = sortedKnown{s.consumer}
	}
	var tr kcache.TransformFunc
	if m.transform {
		tr = s.tr.transform
	}
	if m.delta {
		s.delta = kcache.NewDeltaFIFOWithOptions(kcache.DeltaFIFOOptions{KnownObjects: known, EmitDeltaTypeReplaced: m.replaced, Transformer: tr})
		s.q = s.delta
	} else {
		s.real = kcache.NewRealFIFOWithOptions(kcache.RealFIFOOptions{KnownObjects: known, AtomicEvents: m.atomic,
			UnlockWhileProcessing: m.unlock, EmitDeltaTypeBookmark: m.bookmarks, Transformer: tr})
		s.q = s.real
	}
	return s
}

func (s *theirSide) add(o any) error                     { return s.q.Add(o) }
func (s *theirSide) update(o any) error                  { return s.q.Update(o) }
func (s *theirSide) delete(o any) error                  { return s.q.Delete(o) }
func (s *theirSide) replace(objs []any, rv string) error { return s.q.Replace(objs, rv) }
func (s *theirSide) resync() error                       { return s.q.Resync() }
func (s *theirSide) hasSynced() bool                     { return s.q.HasSynced() }
func (s *theirSide) close()                              { s.q.Close() }
func (s *theirSide) transformed() []string               { return s.tr.seen }
func (s *theirSide) know(o any)                          { s.consumer.Add(o) }

func (s *theirSide) bookmark(rv string) error {
	if s.real != nil {
		return s.real.Bookmark(rv)
	}
	return nil
}

func (s *theirSide) consume(ds []kcache.Delta) {
	for _, d := range ds {
		applyDelta(s.consumer, string(d.Type), d.Object,
			func(o any) ([]any, string, bool) {
				i, ok := o.(kcache.ReplacedAllInfo)
				return i.Objects, i.ResourceVersion, ok
			},
			func(o any) (string, bool) { i, ok := o.(kcache.BookmarkInfo); return i.ResourceVersion, ok })
	}
}

// pop runs the blocking client-go Pop on its own goroutine, so that a queue
// that is empty where ours is not fails the test instead of hanging it. On
// a timeout the queue is closed, which ends that goroutine.
func (s *theirSide) pop(batch bool) (string, bool) {
	done := make(chan string, 1)
	go func() {
		var out string
		single := func(o any, initial bool) error {
			ds := o.(kcache.Deltas)
			out = fmt.Sprintf("pop %s init=%v", fmtCacheDeltas(ds), initial)
			s.consume(ds)
			return nil
		}
		var err error
		if batch && s.real != nil {
			err = s.real.PopBatch(func(ds []kcache.Delta, initial bool) error {
				out = fmt.Sprintf("batch %s init=%v", fmtCacheDeltas(ds), initial)
				s.consume(ds)
				return nil
			}, single)
		} else {
			_, err = s.q.Pop(single)
		}
		if err != nil {
			out = "pop error: " + err.Error()
		}
		done <- out
	}()
	select {
	case out := <-done:
		return out, true
	case <-time.After(2 * time.Second):
		s.q.Close()
		<-done
		return "", false
	}
}

func (s *theirSide) store() string {
	return printStore(s.consumer.ListKeys(), s.consumer.GetByKey, s.consumer.LastStoreSyncResourceVersion())
}

// ---- objects ----

// objectPool hands out one object per name@rv, so that the same token means
// the same pointer everywhere in a script (for both sides).
type objectPool map[string]*metav1.PartialObjectMetadata

func (p objectPool) get(token string) *metav1.PartialObjectMetadata {
	if o, ok := p[token]; ok {
		return o
	}
	name, rv, _ := strings.Cut(token, "@")
	o := obj(name, rv)
	p[token] = o
	return o
}
