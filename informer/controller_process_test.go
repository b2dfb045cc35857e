package informer

import (
	"fmt"
	"strings"
	"testing"
)

// recordingHandler records handler calls as OnAdd(a@1,true), OnUpdate(a@1->a@2),
// OnDelete(DFSU{ns/b,b@1}).
type recordingHandler struct{ calls []string }

func (r *recordingHandler) OnAdd(o any, initial bool) {
	r.calls = append(r.calls, fmt.Sprintf("OnAdd(%s,%v)", fmtObj(o), initial))
}
func (r *recordingHandler) OnUpdate(old, o any) {
	r.calls = append(r.calls, fmt.Sprintf("OnUpdate(%s->%s)", fmtObj(old), fmtObj(o)))
}
func (r *recordingHandler) OnDelete(o any) {
	r.calls = append(r.calls, fmt.Sprintf("OnDelete(%s)", fmtObj(o)))
}

func storeWith(objs ...any) Indexer {
	s := NewIndexer(DeletionHandlingMetaNamespaceKeyFunc, Indexers{})
	for _, o := range objs {
		s.Add(o)
	}
	return s
}

func TestProcessDeltas(t *testing.T) {
	a1, a2, b1, c1, x1, z20 := obj("a", "1"), obj("a", "2"), obj("b", "1"), obj("c", "1"), obj("x", "14"), obj("z", "20")
	cases := []struct {
		name    string
		store   []any
		deltas  Deltas
		initial bool
		calls   string
		keys    string
	}{
		{"add then update", nil, Deltas{{Added, a1}, {Updated, a2}}, true,
			"OnAdd(a@1,true) OnUpdate(a@1->a@2)", "ns/a=a@2"},
		{"sync of a stored object is an update", []any{a1}, Deltas{{Sync, a1}}, false,
			"OnUpdate(a@1->a@1)", "ns/a=a@1"},
		{"delete of an object never stored still calls OnDelete", nil, Deltas{{Deleted, a1}}, false,
			"OnDelete(a@1)", ""},
		{"tombstone", []any{b1}, Deltas{{Deleted, DeletedFinalStateUnknown{Key: "ns/b", Obj: b1}}}, false,
			"OnDelete(DFSU{ns/b,b@1})", ""},
		// I3: deletions first (the store's objects), then list order.
		{"atomic relist", []any{a1, c1, x1}, Deltas{{ReplacedAll, ReplacedAllInfo{ResourceVersion: "20", Objects: []any{a1, c1, z20}}}}, false,
			"OnDelete(DFSU{ns/x,x@14}) OnUpdate(a@1->a@1) OnUpdate(c@1->c@1) OnAdd(z@20,false)", "ns/a=a@1 ns/c=c@1 ns/z=z@20"},
		{"sync all, and what follows is ignored", []any{a1, b1}, Deltas{{SyncAll, SyncAllInfo{}}, {Added, c1}}, false,
			"OnUpdate(a@1->a@1) OnUpdate(b@1->b@1)", "ns/a=a@1 ns/b=b@1"},
		{"bookmark calls nothing", []any{a1}, Deltas{{Bookmark, BookmarkInfo{ResourceVersion: "77"}}}, false,
			"", "ns/a=a@1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := storeWith(c.store...)
			h := &recordingHandler{}
			if err := processDeltas(h, s, c.deltas, c.initial, DeletionHandlingMetaNamespaceKeyFunc); err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(h.calls, " "); got != c.calls {
				t.Errorf("calls %q, want %q", got, c.calls)
			}
			var keys []string
			for _, o := range s.List() {
				k, _ := MetaNamespaceKeyFunc(o)
				keys = append(keys, k+"="+fmtObj(o))
			}
			if got := strings.Join(keys, " "); got != c.keys {
				t.Errorf("store %q, want %q", got, c.keys)
			}
		})
	}
	t.Run("a bookmark moves the store's resourceVersion", func(t *testing.T) {
		s := storeWith()
		processDeltas(&recordingHandler{}, s, Deltas{{Bookmark, BookmarkInfo{ResourceVersion: "77"}}}, false, MetaNamespaceKeyFunc)
		if s.LastStoreSyncResourceVersion() != "77" {
			t.Fatalf("rv %q", s.LastStoreSyncResourceVersion())
		}
	})
	t.Run("wrong payloads are errors", func(t *testing.T) {
		for _, d := range []Delta{{ReplacedAll, "x"}, {SyncAll, "x"}, {Bookmark, "x"}} {
			if err := processDeltas(&recordingHandler{}, storeWith(), Deltas{d}, false, MetaNamespaceKeyFunc); err == nil {
				t.Errorf("%s with a %T payload did not fail", d.Type, d.Object)
			}
		}
	})
}

func TestProcessDeltasInBatchWritesOnceThenCalls(t *testing.T) {
	a1, a2, b1 := obj("a", "1"), obj("a", "2"), obj("b", "1")
	s := storeWith(a1)
	var seenByHandler []string
	h := ResourceEventHandlerDetailedFuncs{
		AddFunc: func(o any, initial bool) {
			// The whole batch is in the store before any handler runs.
			seenByHandler = append(seenByHandler, fmt.Sprint(len(s.ListKeys())))
		},
		UpdateFunc: func(old, o any) { seenByHandler = append(seenByHandler, "update "+fmtObj(old)+"->"+fmtObj(o)) },
	}
	err := processDeltasInBatch(h, s, []Delta{{Updated, a2}, {Added, b1}}, false, DeletionHandlingMetaNamespaceKeyFunc)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(seenByHandler, "|"); got != "update a@1->a@2|2" {
		t.Fatalf("handler saw %q", got)
	}
	if rv := s.LastStoreSyncResourceVersion(); rv != "1" {
		t.Fatalf("the store's rv is the last transaction's: %q", rv)
	}

	// A delta whose object cannot be keyed: the others' handlers still run.
	h2 := &recordingHandler{}
	err = processDeltasInBatch(h2, s, []Delta{{Added, obj("c", "3")}, {Added, "not an object"}, {Deleted, b1}}, false, DeletionHandlingMetaNamespaceKeyFunc)
	if err == nil || !strings.Contains(err.Error(), "not all items in the batch") {
		t.Fatalf("error %v", err)
	}
	if got := strings.Join(h2.calls, " "); got != "OnAdd(c@3,false) OnDelete(b@1)" {
		t.Fatalf("calls %q", got)
	}
	if err := processDeltasInBatch(h2, s, []Delta{{SyncAll, SyncAllInfo{}}}, false, MetaNamespaceKeyFunc); err == nil {
		t.Fatal("a SyncAll in a batch should be refused")
	}
}
