package informer

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// obj returns an object named name in namespace "ns" at resourceVersion rv.
// Tests write it as name@rv.
func obj(name, rv string) *metav1.PartialObjectMetadata {
	return &metav1.PartialObjectMetadata{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name, ResourceVersion: rv}}
}

// objLabels is obj with labels.
func objLabels(name, rv string, labels map[string]string) *metav1.PartialObjectMetadata {
	o := obj(name, rv)
	o.Labels = labels
	return o
}

// fmtObj prints an object the way the spec and the tests write it:
// a@1, DFSU{ns/b,b@2}, ReplacedAllInfo{rv=10,[a@1 b@1]}, ...
func fmtObj(o any) string {
	switch v := o.(type) {
	case nil:
		return "nil"
	case *metav1.PartialObjectMetadata:
		return v.Name + "@" + v.ResourceVersion
	case DeletedFinalStateUnknown:
		return fmt.Sprintf("DFSU{%s,%s}", v.Key, fmtObj(v.Obj))
	case ReplacedAllInfo:
		return fmt.Sprintf("ReplacedAllInfo{rv=%s,%s}", v.ResourceVersion, fmtObjs(v.Objects))
	case SyncAllInfo:
		return "SyncAllInfo{}"
	case BookmarkInfo:
		return fmt.Sprintf("BookmarkInfo{rv=%s}", v.ResourceVersion)
	case ExplicitKey:
		return "key:" + string(v)
	}
	return fmt.Sprintf("%T(%v)", o, o)
}

func fmtObjs(objs []any) string {
	parts := make([]string, len(objs))
	for i, o := range objs {
		parts[i] = fmtObj(o)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// fmtDeltas prints deltas as [Added(a@1), Updated(a@2)].
func fmtDeltas(ds []Delta) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = fmt.Sprintf("%s(%s)", d.Type, fmtObj(d.Object))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// knownObjects is a KeyListerGetter over a fixed list, listing keys in list
// order.
type knownObjects []any

func (k knownObjects) ListKeys() []string {
	keys := make([]string, 0, len(k))
	for _, o := range k {
		key, _ := MetaNamespaceKeyFunc(o)
		keys = append(keys, key)
	}
	return keys
}

func (k knownObjects) GetByKey(key string) (any, bool, error) {
	for _, o := range k {
		if k2, _ := MetaNamespaceKeyFunc(o); k2 == key {
			return o, true, nil
		}
	}
	return nil, false, nil
}

// popAll pops q (which must be closed) until it is empty and returns each
// pop as "[deltas] init=<bool>".
func popAll(q Queue) []string {
	var out []string
	for {
		_, err := q.Pop(func(o any, initial bool) error {
			out = append(out, fmt.Sprintf("%s init=%v", fmtDeltas(o.(Deltas)), initial))
			return nil
		})
		if err == ErrFIFOClosed {
			return out
		}
	}
}

// popSegment is a run of expected pops, as popAll prints them. The pops of
// an anyOrder segment may come in any order: client-go produces them by
// iterating a Go map.
type popSegment struct {
	pops     []string
	anyOrder bool
}

// inOrder expects pops in exactly this order.
func inOrder(pops ...string) popSegment { return popSegment{pops: pops} }

// anyOrder expects these pops, in some order.
func anyOrder(pops ...string) popSegment { return popSegment{pops: pops, anyOrder: true} }

// checkPops fails t unless got is the concatenation of the segments in want.
func checkPops(t *testing.T, got []string, want ...popSegment) {
	t.Helper()
	var wantAll []string
	for _, s := range want {
		wantAll = append(wantAll, s.pops...)
	}
	if len(got) != len(wantAll) {
		t.Errorf("got %d pops, want %d\n got: %s\nwant: %s", len(got), len(wantAll),
			strings.Join(got, "\n      "), strings.Join(wantAll, "\n      "))
		return
	}
	i := 0
	for _, s := range want {
		seg := got[i : i+len(s.pops)]
		wantSeg := s.pops
		if s.anyOrder {
			seg, wantSeg = slices.Sorted(slices.Values(seg)), slices.Sorted(slices.Values(wantSeg))
		}
		if !slices.Equal(seg, wantSeg) {
			t.Errorf("pops %d..%d: got %q, want %q (any order: %v)", i, i+len(seg)-1, seg, wantSeg, s.anyOrder)
		}
		i += len(s.pops)
	}
}

// indexerOf returns an Indexer holding objs. Used as known objects, it lists
// its keys in map order, as client-go's does.
func indexerOf(objs ...any) Indexer {
	idx := NewIndexer(MetaNamespaceKeyFunc, Indexers{})
	for _, o := range objs {
		if err := idx.Add(o); err != nil {
			panic(err)
		}
	}
	return idx
}

// ghostKnownObjects is a knownObjects that also lists keys it cannot return:
// GetByKey of a ghost gives (nil, false, err).
type ghostKnownObjects struct {
	knownObjects
	ghosts []string
	err    error
}

func (g ghostKnownObjects) ListKeys() []string {
	return append(g.knownObjects.ListKeys(), g.ghosts...)
}

func (g ghostKnownObjects) GetByKey(key string) (any, bool, error) {
	if slices.Contains(g.ghosts, key) {
		return nil, false, g.err
	}
	return g.knownObjects.GetByKey(key)
}

// fifoOp is one producer call on a queue (or any ReflectorStore).
type fifoOp func(q ReflectorStore) error

func opAdd(o any) fifoOp    { return func(q ReflectorStore) error { return q.Add(o) } }
func opUpdate(o any) fifoOp { return func(q ReflectorStore) error { return q.Update(o) } }
func opDelete(o any) fifoOp { return func(q ReflectorStore) error { return q.Delete(o) } }
func opResync() fifoOp      { return func(q ReflectorStore) error { return q.Resync() } }

// opReplace replaces with objs, listed at resourceVersion rv.
func opReplace(rv string, objs ...any) fifoOp {
	return func(q ReflectorStore) error { return q.Replace(objs, rv) }
}

// opBookmark calls Bookmark(rv) on a queue that has one (RealFIFO).
func opBookmark(rv string) fifoOp {
	return func(q ReflectorStore) error {
		return q.(interface{ Bookmark(string) error }).Bookmark(rv)
	}
}

// applyOps runs ops on q and fails the test on the first error.
func applyOps(t *testing.T, q ReflectorStore, ops ...fifoOp) {
	t.Helper()
	for i, op := range ops {
		if err := op(q); err != nil {
			t.Fatalf("op %d: %v", i, err)
		}
	}
}

// checkConcurrentProducers has two goroutines add 500 objects each, with
// distinct keys, while the test pops q: every object comes out exactly once,
// and each producer's objects in the order it added them. It closes q.
func checkConcurrentProducers(t *testing.T, q Queue) {
	t.Helper()
	const amount = 500
	var producers sync.WaitGroup
	for _, prefix := range []string{"a", "b"} {
		producers.Go(func() {
			for i := range amount {
				if err := q.Add(obj(fmt.Sprintf("%s-%d", prefix, i), strconv.Itoa(i+1))); err != nil {
					t.Errorf("Add: %v", err)
				}
			}
		})
	}
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		producers.Wait()
		q.Close()
	}()
	defer func() { <-closed }()

	last := map[string]int{}
	count := 0
	for {
		_, err := q.Pop(func(o any, _ bool) error {
			d := o.(Deltas)
			if len(d) != 1 {
				t.Errorf("distinct keys should pop one delta each, got %s", fmtDeltas(d))
			}
			m := d.Newest().Object.(*metav1.PartialObjectMetadata)
			prefix, _, _ := strings.Cut(m.Name, "-")
			rv, _ := strconv.Atoi(m.ResourceVersion)
			if rv <= last[prefix] {
				t.Errorf("producer %s: got rv %d after %d", prefix, rv, last[prefix])
			}
			last[prefix] = rv
			count++
			return nil
		})
		if err == ErrFIFOClosed {
			break
		}
	}
	if count != 2*amount {
		t.Errorf("popped %d objects, want %d", count, 2*amount)
	}
}

// stripInit drops the " init=..." suffix popAll puts on each pop.
func stripInit(pops []string) []string {
	out := make([]string, len(pops))
	for i, p := range pops {
		out[i], _, _ = strings.Cut(p, " init=")
	}
	return out
}
