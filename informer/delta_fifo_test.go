package informer

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// checkDeltaFIFOInvariants asserts the invariants DeltaFIFO documents on its
// fields: a key is in queue if and only if it is in items, queue has no
// duplicates, and every entry holds at least one Delta.
func checkDeltaFIFOInvariants(t *testing.T, f *DeltaFIFO) {
	t.Helper()
	f.lock.Lock()
	defer f.lock.Unlock()
	seen := map[string]bool{}
	for _, k := range f.queue {
		if seen[k] {
			t.Errorf("key %q is queued twice: %v", k, f.queue)
		}
		seen[k] = true
		if len(f.items[k]) == 0 {
			t.Errorf("queued key %q has no deltas", k)
		}
	}
	for k := range f.items {
		if !seen[k] {
			t.Errorf("key %q has deltas but is not queued", k)
		}
	}
}

// drainDeltaFIFO closes f, checks its invariants first, and pops it empty.
func drainDeltaFIFO(t *testing.T, f *DeltaFIFO) []string {
	t.Helper()
	checkDeltaFIFOInvariants(t, f)
	f.Close()
	return popAll(f)
}

// TestDeltaFIFOMatchesObservedClientGoScenarios encodes spec §2.A, the
// DeltaFIFO behaviour observed on client-go v0.37.2. D15-D18 need their own
// tests below.
func TestDeltaFIFOMatchesObservedClientGoScenarios(t *testing.T) {
	known := func() KeyListerGetter { return indexerOf(obj("a", "1"), obj("b", "1"), obj("c", "1")) }
	var transformed []string // D12's transformer log
	tests := []struct {
		name string
		opts DeltaFIFOOptions
		ops  []fifoOp
		// syncedBeforePop is HasSynced after ops, before any Pop.
		syncedBeforePop bool
		want            []popSegment
		check           func(t *testing.T)
	}{{
		name:            "D1 deltas of one key are popped together and an Add syncs at once",
		ops:             []fifoOp{opAdd(obj("a", "1")), opAdd(obj("b", "1")), opUpdate(obj("a", "2"))},
		syncedBeforePop: true,
		want:            []popSegment{inOrder("[Added(a@1), Updated(a@2)] init=false", "[Added(b@1)] init=false")},
	}, {
		name:            "D2 delete of a never-seen key is dropped without known objects",
		ops:             []fifoOp{opDelete(obj("x", "5"))},
		syncedBeforePop: true,
	}, {
		name:            "D3 delete of a never-seen key is dropped with empty known objects",
		opts:            DeltaFIFOOptions{KnownObjects: indexerOf()},
		ops:             []fifoOp{opDelete(obj("x", "5"))},
		syncedBeforePop: true,
	}, {
		name:            "D4 delete of a key only in known objects is queued",
		opts:            DeltaFIFOOptions{KnownObjects: indexerOf(obj("k", "3"))},
		ops:             []fifoOp{opDelete(obj("k", "4"))},
		syncedBeforePop: true,
		want:            []popSegment{inOrder("[Deleted(k@4)] init=false")},
	}, {
		name:            "D5 two deletes in a row keep the older one",
		ops:             []fifoOp{opAdd(obj("a", "1")), opDelete(obj("a", "2")), opDelete(obj("a", "3"))},
		syncedBeforePop: true,
		want:            []popSegment{inOrder("[Added(a@1), Deleted(a@2)] init=false")},
	}, {
		name:            "D6 replace tombstones carry the queued object and emit Sync",
		opts:            DeltaFIFOOptions{KnownObjects: known()},
		ops:             []fifoOp{opUpdate(obj("b", "2")), opReplace("", obj("a", "1"), obj("d", "7"))},
		syncedBeforePop: true,
		want: []popSegment{inOrder(
			"[Updated(b@2), Deleted(DFSU{ns/b,b@2})] init=false",
			"[Sync(a@1)] init=false",
			"[Sync(d@7)] init=false",
			"[Deleted(DFSU{ns/c,c@1})] init=false",
		)},
	}, {
		name: "D7 first replace counts its tombstones in the initial population",
		opts: DeltaFIFOOptions{KnownObjects: known(), EmitDeltaTypeReplaced: true},
		ops:  []fifoOp{opReplace("", obj("a", "1"), obj("d", "7"))},
		want: []popSegment{
			inOrder("[Replaced(a@1)] init=true", "[Replaced(d@7)] init=true"),
			anyOrder("[Deleted(DFSU{ns/b,b@1})] init=true", "[Deleted(DFSU{ns/c,c@1})] init=true"),
		},
	}, {
		name:            "D8 resync skips keys with queued deltas",
		opts:            DeltaFIFOOptions{KnownObjects: known()},
		ops:             []fifoOp{opUpdate(obj("b", "2")), opResync()},
		syncedBeforePop: true,
		want: []popSegment{
			inOrder("[Updated(b@2)] init=false"),
			anyOrder("[Sync(a@1)] init=false", "[Sync(c@1)] init=false"),
		},
	}, {
		name:            "D9 replace tombstone is deduplicated against a queued real delete",
		ops:             []fifoOp{opAdd(obj("a", "1")), opDelete(obj("a", "2")), opReplace("")},
		syncedBeforePop: true,
		want:            []popSegment{inOrder("[Added(a@1), Deleted(a@2)] init=false")},
	}, {
		name: "D10 a real delete replaces a queued tombstone",
		opts: DeltaFIFOOptions{KnownObjects: indexerOf(obj("a", "1"))},
		ops:  []fifoOp{opReplace(""), opDelete(obj("a", "9"))},
		want: []popSegment{inOrder("[Deleted(a@9)] init=true")},
	}, {
		name: "D11 only the first replace sets the initial population count",
		opts: DeltaFIFOOptions{EmitDeltaTypeReplaced: true},
		ops:  []fifoOp{opReplace("", obj("a", "1"), obj("b", "1")), opReplace("", obj("a", "2"), obj("c", "2"))},
		want: []popSegment{inOrder(
			"[Replaced(a@1), Replaced(a@2)] init=true",
			"[Replaced(b@1), Deleted(DFSU{ns/b,b@1})] init=true",
			"[Replaced(c@2)] init=false",
		)},
	}, {
		name: "D12 transformer skips resync Syncs and tombstones",
		opts: DeltaFIFOOptions{
			KnownObjects:          knownObjects{obj("z", "1")},
			EmitDeltaTypeReplaced: true,
			Transformer: func(o any) (any, error) {
				transformed = append(transformed, fmtObj(o))
				return o, nil
			},
		},
		ops:             []fifoOp{opAdd(obj("a", "1")), opResync(), opReplace("", obj("a", "2")), opDelete(obj("a", "4"))},
		syncedBeforePop: true,
		want: []popSegment{inOrder(
			"[Added(a@1), Replaced(a@2), Deleted(a@4)] init=false",
			"[Sync(z@1), Deleted(DFSU{ns/z,z@1})] init=false",
		)},
		check: func(t *testing.T) {
			if got, want := fmtStrings(transformed), "[a@1 a@2 a@4]"; got != want {
				t.Errorf("transformer saw %s, want %s", got, want)
			}
		},
	}, {
		name: "D13 later deltas join a queued initial key",
		opts: DeltaFIFOOptions{EmitDeltaTypeReplaced: true},
		ops:  []fifoOp{opReplace("", obj("a", "1")), opAdd(obj("b", "2")), opUpdate(obj("a", "3"))},
		want: []popSegment{inOrder("[Replaced(a@1), Updated(a@3)] init=true", "[Added(b@2)] init=false")},
	}, {
		name:            "D14 an empty first replace syncs at once",
		ops:             []fifoOp{opReplace("")},
		syncedBeforePop: true,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewDeltaFIFOWithOptions(tt.opts)
			applyOps(t, f, tt.ops...)
			if got := f.HasSynced(); got != tt.syncedBeforePop {
				t.Errorf("HasSynced before popping = %v, want %v", got, tt.syncedBeforePop)
			}
			checkPops(t, drainDeltaFIFO(t, f), tt.want...)
			if !f.HasSynced() {
				t.Error("HasSynced after popping everything = false, want true")
			}
			if tt.check != nil {
				tt.check(t)
			}
		})
	}
}

func fmtStrings(s []string) string { return "[" + strings.Join(s, " ") + "]" }

// TestDeltaFIFOConcurrentProducersKeepTheirOrder ports TestDeltaFIFO_basic.
func TestDeltaFIFOConcurrentProducersKeepTheirOrder(t *testing.T) {
	checkConcurrentProducers(t, NewDeltaFIFOWithOptions(DeltaFIFOOptions{}))
}

// TestDeltaFIFOReplaceAfterQueuedDeleteStillQueuesSync is the regression
// test for kubernetes issue 83810: a relist that contains an object whose
// previous incarnation has a queued Deleted must still queue it, or an
// informer misses the re-creation.
func TestDeltaFIFOReplaceAfterQueuedDeleteStillQueuesSync(t *testing.T) {
	f := NewDeltaFIFOWithOptions(DeltaFIFOOptions{KnownObjects: knownObjects{obj("foo", "1")}})
	applyOps(t, f, opDelete(obj("foo", "1")), opReplace("", obj("foo", "2")))
	checkPops(t, drainDeltaFIFO(t, f), inOrder("[Deleted(foo@1), Sync(foo@2)] init=false"))
}

// TestDeltaFIFOReplaceMakesDeletionsForObjectsOnlyInQueue: a key that is
// only queued (the consumer has never seen it) still gets exactly one
// deletion when a relist no longer has it, with or without known objects.
func TestDeltaFIFOReplaceMakesDeletionsForObjectsOnlyInQueue(t *testing.T) {
	foo2, foo3 := obj("foo", "2"), obj("foo", "3")
	tests := []struct {
		name     string
		replaced bool
		ops      []fifoOp
		want     string
	}{{
		name: "added object gets a tombstone",
		ops:  []fifoOp{opAdd(foo2), opReplace("0")},
		want: "[Added(foo@2), Deleted(DFSU{ns/foo,foo@2})] init=false",
	}, {
		name:     "replaced object gets a single tombstone",
		replaced: true,
		ops:      []fifoOp{opAdd(foo2), opReplace("0", foo2), opReplace("0")},
		want:     "[Added(foo@2), Replaced(foo@2), Deleted(DFSU{ns/foo,foo@2})] init=false",
	}, {
		name: "deleted object keeps its real delete only",
		ops:  []fifoOp{opAdd(foo2), opDelete(foo2), opReplace("0")},
		want: "[Added(foo@2), Deleted(foo@2)] init=false",
	}, {
		name: "synced object gets a single tombstone",
		ops:  []fifoOp{opAdd(foo2), opReplace("0", foo2), opReplace("0", foo2), opReplace("0")},
		want: "[Added(foo@2), Sync(foo@2), Sync(foo@2), Deleted(DFSU{ns/foo,foo@2})] init=false",
	}, {
		name: "added object gets a single tombstone over several replaces",
		ops:  []fifoOp{opAdd(foo2), opReplace("0"), opReplace("1")},
		want: "[Added(foo@2), Deleted(DFSU{ns/foo,foo@2})] init=false",
	}, {
		name: "added, deleted and re-added object gets a tombstone of the newest",
		ops:  []fifoOp{opAdd(foo2), opDelete(foo2), opAdd(foo3), opReplace("0")},
		want: "[Added(foo@2), Deleted(foo@2), Added(foo@3), Deleted(DFSU{ns/foo,foo@3})] init=false",
	}}
	for _, tt := range tests {
		for _, withKnown := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/known=%v", tt.name, withKnown), func(t *testing.T) {
				opts := DeltaFIFOOptions{EmitDeltaTypeReplaced: tt.replaced}
				if withKnown {
					opts.KnownObjects = knownObjects{}
				}
				f := NewDeltaFIFOWithOptions(opts)
				applyOps(t, f, tt.ops...)
				checkPops(t, drainDeltaFIFO(t, f), inOrder(tt.want))
			})
		}
	}
}

// TestDeltaFIFOGroupsByKeyAndDropsDeletesOfUnknownKeys covers which writes
// are queued and how they group: Add/Update/Delete of one key pop together, a
// delete is dropped only when neither the queue nor the known objects have
// the key.
func TestDeltaFIFOGroupsByKeyAndDropsDeletesOfUnknownKeys(t *testing.T) {
	tests := []struct {
		name  string
		known KeyListerGetter
		ops   []fifoOp
		want  []string
	}{{
		name: "add update delete of one key pop as one entry",
		ops:  []fifoOp{opAdd(obj("foo", "10")), opUpdate(obj("foo", "12")), opDelete(obj("foo", "15"))},
		want: []string{"[Added(foo@10), Updated(foo@12), Deleted(foo@15)] init=false"},
	}, {
		name: "delete of an unknown unqueued key is dropped without known objects",
		ops: []fifoOp{opAdd(obj("foo", "10")), opUpdate(obj("bar", "15")), opAdd(obj("qux", "17")),
			opDelete(obj("qux", "18")), opDelete(obj("baz", "20"))},
		want: []string{
			"[Added(foo@10)] init=false",
			"[Updated(bar@15)] init=false",
			"[Added(qux@17), Deleted(qux@18)] init=false",
		},
	}, {
		name:  "delete of a known key is queued",
		known: knownObjects{obj("foo", "5"), obj("bar", "6"), obj("baz", "7")},
		ops:   []fifoOp{opAdd(obj("foo", "10")), opUpdate(obj("bar", "15")), opDelete(obj("baz", "20"))},
		want:  []string{"[Added(foo@10)] init=false", "[Updated(bar@15)] init=false", "[Deleted(baz@20)] init=false"},
	}, {
		name:  "delete of a queued key is queued though the known objects lack it",
		known: knownObjects{},
		ops:   []fifoOp{opAdd(obj("foo", "5")), opDelete(obj("foo", "6"))},
		want:  []string{"[Added(foo@5), Deleted(foo@6)] init=false"},
	}, {
		name:  "delete is queued when the known objects fail to answer",
		known: ghostKnownObjects{ghosts: []string{"ns/foo"}, err: errors.New("lookup failed")},
		ops:   []fifoOp{opDelete(obj("foo", "6"))},
		want:  []string{"[Deleted(foo@6)] init=false"},
	}, {
		name: "add then replace of the same key pop as one entry",
		ops:  []fifoOp{opAdd(obj("foo", "10")), opReplace("0", obj("foo", "15"))},
		want: []string{"[Added(foo@10), Sync(foo@15)] init=false"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewDeltaFIFOWithOptions(DeltaFIFOOptions{KnownObjects: tt.known})
			applyOps(t, f, tt.ops...)
			checkPops(t, drainDeltaFIFO(t, f), inOrder(tt.want...))
		})
	}
}

// TestDeltaFIFOTransformerRunsOnceAndNeverOnTombstones ports
// TestDeltaFIFO_transformer: every object that enters through Add, Update,
// Delete or Replace is transformed exactly once; tombstones are not.
func TestDeltaFIFOTransformerRunsOnceAndNeverOnTombstones(t *testing.T) {
	const mark = "transformed"
	var calls []string
	xfrm := func(o any) (any, error) {
		m, ok := o.(interface {
			GetAnnotations() map[string]string
			SetAnnotations(map[string]string)
		})
		if !ok {
			return nil, fmt.Errorf("transformer got %s", fmtObj(o))
		}
		calls = append(calls, fmtObj(o))
		n, _ := strconv.Atoi(m.GetAnnotations()[mark])
		m.SetAnnotations(map[string]string{mark: strconv.Itoa(n + 1)})
		return o, nil
	}
	f := NewDeltaFIFOWithOptions(DeltaFIFOOptions{Transformer: xfrm})
	applyOps(t, f,
		opAdd(obj("foo", "10")), opAdd(obj("bar", "11")), opUpdate(obj("foo", "12")), opDelete(obj("foo", "15")),
		opReplace(""), opAdd(obj("bar", "16")), opReplace(""))

	if got, want := fmtStrings(calls), "[foo@10 bar@11 foo@12 foo@15 bar@16]"; got != want {
		t.Errorf("transformer calls = %s, want %s", got, want)
	}
	var popped []string
	f.Close()
	for {
		_, err := f.Pop(func(o any, _ bool) error {
			for _, d := range o.(Deltas) {
				inner := d.Object
				if dfsu, ok := inner.(DeletedFinalStateUnknown); ok {
					inner = dfsu.Obj
				}
				if n := inner.(interface{ GetAnnotations() map[string]string }).GetAnnotations()[mark]; n != "1" {
					t.Errorf("%s transformed %q times, want 1", fmtObj(d.Object), n)
				}
			}
			popped = append(popped, fmtDeltas(o.(Deltas)))
			return nil
		})
		if err != nil {
			break
		}
	}
	want := []string{
		"[Added(foo@10), Updated(foo@12), Deleted(foo@15)]",
		"[Added(bar@11), Deleted(DFSU{ns/bar,bar@11}), Added(bar@16), Deleted(DFSU{ns/bar,bar@16})]",
	}
	checkPops(t, popped, inOrder(want...))
}

// TestDeltaFIFOResyncQueuesSyncOnlyForIdleKnownKeys: Resync queues a Sync of
// the known object for every known key that has nothing queued; keys with
// queued deltas (even a Deleted) and keys the known objects cannot return
// are skipped, and without known objects it does nothing.
func TestDeltaFIFOResyncQueuesSyncOnlyForIdleKnownKeys(t *testing.T) {
	tests := []struct {
		name  string
		known KeyListerGetter
		ops   []fifoOp
		want  []string
	}{{
		name:  "known key gets a Sync",
		known: knownObjects{obj("foo", "5")},
		ops:   []fifoOp{opResync()},
		// A Resync does not populate the queue, so it is not synced.
		want: []string{"[Sync(foo@5)] init=true"},
	}, {
		name:  "key with a queued delete gets none",
		known: knownObjects{obj("foo", "5")},
		ops:   []fifoOp{opDelete(obj("foo", "10")), opResync()},
		want:  []string{"[Deleted(foo@10)] init=false"},
	}, {
		name:  "key with a queued update gets none (update/resync race)",
		known: knownObjects{obj("foo", "5")},
		ops:   []fifoOp{opUpdate(obj("foo", "6")), opResync()},
		want:  []string{"[Updated(foo@6)] init=false"},
	}, {
		name:  "keys the known objects cannot return are skipped",
		known: ghostKnownObjects{knownObjects: knownObjects{obj("foo", "5")}, ghosts: []string{"ns/gone", "ns/broken"}},
		ops:   []fifoOp{opResync()},
		want:  []string{"[Sync(foo@5)] init=true"},
	}, {
		name: "no known objects, no Sync",
		ops:  []fifoOp{opAdd(obj("foo", "1")), opResync()},
		want: []string{"[Added(foo@1)] init=false"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewDeltaFIFOWithOptions(DeltaFIFOOptions{KnownObjects: tt.known})
			applyOps(t, f, tt.ops...)
			checkPops(t, drainDeltaFIFO(t, f), inOrder(tt.want...))
		})
	}
}

// TestDeltaFIFOReplaceMakesTombstonesForMissingKeys ports
// TestDeltaFIFO_ReplaceMakesDeletions, ..Replaced and ..DeltaType: a key
// missing from the relist gets a tombstone carrying its newest queued
// object, else the known object; a queued real delete wins over it.
func TestDeltaFIFOReplaceMakesTombstonesForMissingKeys(t *testing.T) {
	known := knownObjects{obj("foo", "5"), obj("bar", "6"), obj("baz", "7")}
	tests := []struct {
		name     string
		known    KeyListerGetter
		replaced bool
		ops      []fifoOp
		want     []string
	}{{
		name:  "queued delete is kept, unqueued known key gets a tombstone",
		known: known,
		ops:   []fifoOp{opDelete(obj("baz", "10")), opReplace("0", obj("foo", "5"))},
		want:  []string{"[Deleted(baz@10)]", "[Sync(foo@5)]", "[Deleted(DFSU{ns/bar,bar@6})]"},
	}, {
		name:  "queued add gets a tombstone of the added object",
		known: known,
		ops:   []fifoOp{opAdd(obj("baz", "10")), opReplace("0", obj("foo", "5"))},
		want:  []string{"[Added(baz@10), Deleted(DFSU{ns/baz,baz@10})]", "[Sync(foo@5)]", "[Deleted(DFSU{ns/bar,bar@6})]"},
	}, {
		name:  "deleted and re-added key gets a tombstone of the queued object, not the known one",
		known: known,
		ops:   []fifoOp{opDelete(obj("bar", "6")), opAdd(obj("bar", "100")), opReplace("0", obj("foo", "5"))},
		want: []string{
			"[Deleted(bar@6), Added(bar@100), Deleted(DFSU{ns/bar,bar@100})]",
			"[Sync(foo@5)]",
			"[Deleted(DFSU{ns/baz,baz@7})]",
		},
	}, {
		name:  "a second replace uses the newest relisted object and does not repeat tombstones",
		known: known,
		ops:   []fifoOp{opReplace("0", obj("bar", "100"), obj("foo", "5")), opReplace("0", obj("foo", "5"))},
		want: []string{
			"[Sync(bar@100), Deleted(DFSU{ns/bar,bar@100})]",
			"[Sync(foo@5), Sync(foo@5)]",
			"[Deleted(DFSU{ns/baz,baz@7})]",
		},
	}, {
		name: "without known objects only queued keys get tombstones",
		ops:  []fifoOp{opAdd(obj("baz", "10")), opReplace("0", obj("foo", "5"))},
		want: []string{"[Added(baz@10), Deleted(DFSU{ns/baz,baz@10})]", "[Sync(foo@5)]"},
	}, {
		name:     "with EmitDeltaTypeReplaced the relisted objects are Replaced",
		known:    known,
		replaced: true,
		ops:      []fifoOp{opDelete(obj("baz", "10")), opReplace("0", obj("foo", "6"))},
		want:     []string{"[Deleted(baz@10)]", "[Replaced(foo@6)]", "[Deleted(DFSU{ns/bar,bar@6})]"},
	}, {
		name:     "with EmitDeltaTypeReplaced an unchanged object is Replaced too",
		known:    knownObjects{obj("foo", "5")},
		replaced: true,
		ops:      []fifoOp{opReplace("0", obj("foo", "5"))},
		want:     []string{"[Replaced(foo@5)]"},
	}, {
		name:  "known key that cannot be returned gets a tombstone with no object",
		known: ghostKnownObjects{knownObjects: knownObjects{obj("foo", "5")}, ghosts: []string{"ns/gone"}, err: errors.New("boom")},
		ops:   []fifoOp{opReplace("0", obj("foo", "5"))},
		want:  []string{"[Sync(foo@5)]", "[Deleted(DFSU{ns/gone,nil})]"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewDeltaFIFOWithOptions(DeltaFIFOOptions{KnownObjects: tt.known, EmitDeltaTypeReplaced: tt.replaced})
			applyOps(t, f, tt.ops...)
			checkPops(t, stripInit(drainDeltaFIFO(t, f)), inOrder(tt.want...))
		})
	}
}

// TestDeltaFIFOReplaceCountsTombstonesInInitialPopulation ports
// TestDeltaFIFO_HasSyncedCorrectOnDeletion: the tombstones of the first
// Replace belong to the initial list; the queue syncs only after them.
func TestDeltaFIFOReplaceCountsTombstonesInInitialPopulation(t *testing.T) {
	f := NewDeltaFIFOWithOptions(DeltaFIFOOptions{
		KnownObjects: knownObjects{obj("foo", "5"), obj("bar", "6"), obj("baz", "7")},
	})
	applyOps(t, f, opReplace("0", obj("foo", "5")))
	want := []string{
		"[Sync(foo@5)] init=true",
		"[Deleted(DFSU{ns/bar,bar@6})] init=true",
		"[Deleted(DFSU{ns/baz,baz@7})] init=true",
	}
	var got []string
	for range want {
		if f.HasSynced() {
			t.Error("HasSynced = true before the last initial entry was popped")
		}
		_, err := f.Pop(func(o any, initial bool) error {
			got = append(got, fmt.Sprintf("%s init=%v", fmtDeltas(o.(Deltas)), initial))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	checkPops(t, got, inOrder(want...))
	if !f.HasSynced() {
		t.Error("HasSynced = false after the initial entries were popped")
	}
}

// TestDeltaFIFOUpdatesDoNotMoveAQueuedKey is spec D18 and ports
// TestDeltaFIFO_detectLineJumpers: a key keeps the place it was first queued
// at, however many deltas join it; once popped, it queues at the tail.
func TestDeltaFIFOUpdatesDoNotMoveAQueuedKey(t *testing.T) {
	f := NewDeltaFIFOWithOptions(DeltaFIFOOptions{})
	applyOps(t, f, opAdd(obj("foo", "10")), opAdd(obj("bar", "1")), opAdd(obj("foo", "11")),
		opAdd(obj("foo", "13")), opAdd(obj("zab", "30")))
	var got []string
	pop := func() {
		t.Helper()
		if _, err := f.Pop(func(o any, _ bool) error {
			got = append(got, fmtDeltas(o.(Deltas)))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	pop()
	applyOps(t, f, opAdd(obj("foo", "14")))
	pop()
	pop()
	pop()
	checkPops(t, got, inOrder(
		"[Added(foo@10), Added(foo@11), Added(foo@13)]",
		"[Added(bar@1)]",
		"[Added(zab@30)]",
		"[Added(foo@14)]",
	))
}

// TestDeltaFIFOKeyOfUsesNewestDeltaAndTombstoneKey is spec D16 and ports
// TestDeltaFIFO_KeyOf: a Deltas is keyed by its newest object, a tombstone by
// the key it carries.
func TestDeltaFIFOKeyOfUsesNewestDeltaAndTombstoneKey(t *testing.T) {
	f := NewDeltaFIFOWithOptions(DeltaFIFOOptions{})
	tests := []struct {
		name    string
		obj     any
		want    string
		wantErr error
	}{
		{name: "object", obj: obj("a", "1"), want: "ns/a"},
		{name: "tombstone", obj: DeletedFinalStateUnknown{Key: "ns/zz"}, want: "ns/zz"},
		{name: "deltas", obj: Deltas{{Added, obj("p", "1")}, {Updated, obj("q", "2")}}, want: "ns/q"},
		{name: "deltas ending in a tombstone", obj: Deltas{{Deleted, DeletedFinalStateUnknown{Key: "D"}}}, want: "D"},
		{name: "empty deltas", obj: Deltas{}, wantErr: ErrZeroLengthDeltasObject},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.KeyOf(tt.obj)
			if tt.wantErr != nil {
				var keyErr KeyError
				if !errors.As(err, &keyErr) || !errors.Is(err, tt.wantErr) {
					t.Fatalf("KeyOf error = %v, want a KeyError wrapping %v", err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), "0 length Deltas object") {
					t.Errorf("KeyOf error = %q, want it to mention the 0 length Deltas object", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("KeyOf = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestDeltaFIFOHasSyncedAfterFirstWriteOrInitialListPopped ports
// TestDeltaFIFO_HasSynced: the queue syncs on a first Add/Update/Delete, or
// once every entry of the first Replace has been popped.
func TestDeltaFIFOHasSyncedAfterFirstWriteOrInitialListPopped(t *testing.T) {
	a1, a2, b2 := obj("a", "1"), obj("a", "2"), obj("b", "2")
	tests := []struct {
		name string
		ops  []fifoOp
		pops int
		want bool
	}{
		{name: "nothing happened", want: false},
		{name: "first add", ops: []fifoOp{opAdd(a1)}, want: true},
		{name: "first update", ops: []fifoOp{opUpdate(a1)}, want: true},
		{name: "first delete, even dropped", ops: []fifoOp{opDelete(a1)}, want: true},
		{name: "empty replace", ops: []fifoOp{opReplace("0")}, want: true},
		{name: "replace not popped", ops: []fifoOp{opReplace("0", a1, b2)}, want: false},
		{name: "replace half popped", ops: []fifoOp{opReplace("0", a1, b2)}, pops: 1, want: false},
		{name: "replace popped", ops: []fifoOp{opReplace("0", a1, b2)}, pops: 2, want: true},
		// A broken list with a key twice: one entry, one pop.
		{name: "replace with a duplicate key popped", ops: []fifoOp{opReplace("0", a1, a2)}, pops: 1, want: true},
		{name: "resync alone", ops: []fifoOp{opResync()}, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewDeltaFIFOWithOptions(DeltaFIFOOptions{})
			applyOps(t, f, tt.ops...)
			for range tt.pops {
				if _, err := f.Pop(func(any, bool) error { return nil }); err != nil {
					t.Fatal(err)
				}
			}
			if got := f.HasSynced(); got != tt.want {
				t.Errorf("HasSynced = %v, want %v", got, tt.want)
			}
			if got := IsDone(f.HasSyncedChecker()); got != tt.want {
				t.Errorf("IsDone(HasSyncedChecker()) = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestDeltaFIFOCloseUnblocksWaitingPops is spec D15 and ports
// TestDeltaFIFO_PopShouldUnblockWhenClosed: Pops waiting on an empty queue
// return ErrFIFOClosed once it is closed.
func TestDeltaFIFOCloseUnblocksWaitingPops(t *testing.T) {
	f := NewDeltaFIFOWithOptions(DeltaFIFOOptions{KnownObjects: knownObjects{obj("foo", "5")}})
	const jobs = 10
	errs := make(chan error, jobs)
	var wg sync.WaitGroup
	for range jobs {
		wg.Go(func() {
			_, err := f.Pop(func(any, bool) error { return errors.New("nothing should be popped") })
			errs <- err
		})
	}
	if f.IsClosed() {
		t.Error("IsClosed before Close = true")
	}
	f.Close()
	wg.Wait()
	close(errs)
	for err := range errs {
		if !errors.Is(err, ErrFIFOClosed) {
			t.Errorf("Pop after Close = %v, want ErrFIFOClosed", err)
		}
	}
	if !f.IsClosed() {
		t.Error("IsClosed after Close = false")
	}
	if ErrFIFOClosed.Error() != "DeltaFIFO: manipulating with closed queue" {
		t.Errorf("ErrFIFOClosed = %q", ErrFIFOClosed)
	}
}

// TestDeltaFIFOCloseKeepsQueuedItems: Close does not discard what is
// queued; Pop serves it and only then returns ErrFIFOClosed.
func TestDeltaFIFOCloseKeepsQueuedItems(t *testing.T) {
	f := NewDeltaFIFOWithOptions(DeltaFIFOOptions{})
	applyOps(t, f, opAdd(obj("a", "1")))
	f.Close()
	applyOps(t, f, opAdd(obj("b", "1"))) // a closed queue still accepts writes
	checkPops(t, popAll(f), inOrder("[Added(a@1)] init=false", "[Added(b@1)] init=false"))
}

// TestDeltaFIFOIsDoneWhileProcessingLastInitialItem is spec D17: DeltaFIFO
// counts an initial entry as delivered before processing it, so Done is
// already closed while the last one is processed. (RealFIFO differs: R11.)
func TestDeltaFIFOIsDoneWhileProcessingLastInitialItem(t *testing.T) {
	f := NewDeltaFIFOWithOptions(DeltaFIFOOptions{EmitDeltaTypeReplaced: true})
	applyOps(t, f, opReplace("1", obj("a", "1")))
	var doneDuring, initial bool
	if _, err := f.Pop(func(_ any, isInInitialList bool) error {
		doneDuring, initial = IsDone(f), isInInitialList
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !doneDuring {
		t.Error("IsDone while processing the last initial entry = false, want true")
	}
	if !initial {
		t.Error("isInInitialList = false, want true")
	}
}

// TestDeltaFIFOPopReturnsProcessErrorWithoutRequeue: Pop hands back the
// process error and the Deltas; the entry is gone, not requeued.
func TestDeltaFIFOPopReturnsProcessErrorWithoutRequeue(t *testing.T) {
	f := NewDeltaFIFOWithOptions(DeltaFIFOOptions{})
	applyOps(t, f, opAdd(obj("a", "1")), opUpdate(obj("a", "2")))
	boom := errors.New("boom")
	got, err := f.Pop(func(any, bool) error { return boom })
	if !errors.Is(err, boom) {
		t.Errorf("Pop error = %v, want %v", err, boom)
	}
	if d, ok := got.(Deltas); !ok || fmtDeltas(d) != "[Added(a@1), Updated(a@2)]" {
		t.Errorf("Pop returned %#v, want the popped Deltas", got)
	}
	checkPops(t, drainDeltaFIFO(t, f))
}

// TestDeltaFIFOProcessRunsUnderTheLock: Pop holds the queue lock while
// process runs, so a producer waits until processing is over.
func TestDeltaFIFOProcessRunsUnderTheLock(t *testing.T) {
	f := NewDeltaFIFOWithOptions(DeltaFIFOOptions{})
	applyOps(t, f, opAdd(obj("a", "1")))
	added := make(chan struct{})
	if _, err := f.Pop(func(any, bool) error {
		go func() {
			defer close(added)
			_ = f.Add(obj("b", "1"))
		}()
		select {
		case <-added:
			t.Error("Add completed while process was running")
		case <-time.After(20 * time.Millisecond):
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	<-added
	checkPops(t, drainDeltaFIFO(t, f), inOrder("[Added(b@1)] init=false"))
}

// TestDeltaFIFOKnownObjectsLoopsFollowListKeysOrder asserts an order this
// package documents: tombstones for known keys (Replace) and Syncs (Resync)
// are queued in KnownObjects.ListKeys() order. client-go iterates ListKeys()
// too, so with an ordered lister its order is the same.
func TestDeltaFIFOKnownObjectsLoopsFollowListKeysOrder(t *testing.T) {
	known := knownObjects{obj("c", "1"), obj("a", "1"), obj("b", "1")}
	t.Run("replace", func(t *testing.T) {
		f := NewDeltaFIFOWithOptions(DeltaFIFOOptions{KnownObjects: known})
		applyOps(t, f, opReplace("1"))
		checkPops(t, drainDeltaFIFO(t, f), inOrder(
			"[Deleted(DFSU{ns/c,c@1})] init=true",
			"[Deleted(DFSU{ns/a,a@1})] init=true",
			"[Deleted(DFSU{ns/b,b@1})] init=true",
		))
	})
	t.Run("resync", func(t *testing.T) {
		f := NewDeltaFIFOWithOptions(DeltaFIFOOptions{KnownObjects: known})
		applyOps(t, f, opResync())
		checkPops(t, drainDeltaFIFO(t, f), inOrder(
			"[Sync(c@1)] init=true",
			"[Sync(a@1)] init=true",
			"[Sync(b@1)] init=true",
		))
	})
}

// TestDeltaFIFOZeroOptionsAreUsable: the zero options give a usable queue
// named "DeltaFIFO", keyed by MetaNamespaceKeyFunc, that is its own
// DoneChecker.
func TestDeltaFIFOZeroOptionsAreUsable(t *testing.T) {
	f := NewDeltaFIFOWithOptions(DeltaFIFOOptions{})
	if f.Name() != "DeltaFIFO" {
		t.Errorf("Name = %q, want DeltaFIFO", f.Name())
	}
	if f.HasSyncedChecker() != DoneChecker(f) {
		t.Error("HasSyncedChecker is not the queue itself")
	}
	if f.Transformer() != nil {
		t.Error("Transformer is set by default")
	}
	if named := NewDeltaFIFOWithOptions(DeltaFIFOOptions{Name: "pods"}); named.Name() != "pods" {
		t.Errorf("Name = %q, want pods", named.Name())
	}
	if err := f.Add("not an object"); !errors.As(err, new(KeyError)) {
		t.Errorf("Add of a non-object = %v, want a KeyError", err)
	}
	// The deprecated constructor does not emit Replaced.
	old := NewDeltaFIFO(MetaNamespaceKeyFunc, nil)
	applyOps(t, old, opReplace("1", obj("a", "1")))
	checkPops(t, drainDeltaFIFO(t, old), inOrder("[Sync(a@1)] init=true"))
}
