package informer

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// popAllBatches closes f and pops it empty with PopBatch, printing each
// call as "batch [deltas] init=<bool>" or, when PopBatch hands a single
// delta to processSingle, "single [delta] init=<bool>".
func popAllBatches(f *RealFIFO) []string {
	f.Close()
	var out []string
	for {
		err := f.PopBatch(func(deltas []Delta, initial bool) error {
			out = append(out, fmt.Sprintf("batch %s init=%v", fmtDeltas(deltas), initial))
			return nil
		}, func(o any, initial bool) error {
			out = append(out, fmt.Sprintf("single %s init=%v", fmtDeltas(o.(Deltas)), initial))
			return nil
		})
		if errors.Is(err, ErrFIFOClosed) {
			return out
		}
	}
}

// drainRealFIFO closes f and pops it empty.
func drainRealFIFO(f *RealFIFO) []string {
	f.Close()
	return popAll(f)
}

// nonAtomicOpts returns the options of a non-atomic RealFIFO over known,
// which must not be nil.
func nonAtomicOpts(known KeyListerGetter) RealFIFOOptions {
	return RealFIFOOptions{KnownObjects: known}
}

// TestRealFIFOMatchesObservedClientGoScenarios encodes spec §2.B, the
// RealFIFO behaviour observed on client-go v0.37.2. R9-R12 need their own
// tests below.
func TestRealFIFOMatchesObservedClientGoScenarios(t *testing.T) {
	known := func() KeyListerGetter { return indexerOf(obj("a", "1"), obj("b", "1"), obj("c", "1")) }
	tests := []struct {
		name string
		opts RealFIFOOptions
		ops  []fifoOp
		// syncedBeforePop is HasSynced after ops, before any Pop.
		syncedBeforePop bool
		// unpopulated means no op counts as the queue's first write, so it
		// never syncs.
		unpopulated bool
		want        []popSegment
	}{{
		name:            "R1 every delta is its own pop, in arrival order",
		opts:            nonAtomicOpts(knownObjects{}),
		ops:             []fifoOp{opAdd(obj("a", "1")), opAdd(obj("b", "1")), opUpdate(obj("a", "2"))},
		syncedBeforePop: true,
		want:            []popSegment{inOrder("[Added(a@1)] init=false", "[Added(b@1)] init=false", "[Updated(a@2)] init=false")},
	}, {
		name:            "R2 delete of a never-seen key is queued anyway",
		opts:            nonAtomicOpts(knownObjects{}),
		ops:             []fifoOp{opDelete(obj("x", "5"))},
		syncedBeforePop: true,
		want:            []popSegment{inOrder("[Deleted(x@5)] init=false")},
	}, {
		name:            "R2 delete of a never-seen key is queued anyway (atomic)",
		opts:            RealFIFOOptions{AtomicEvents: true},
		ops:             []fifoOp{opDelete(obj("x", "5"))},
		syncedBeforePop: true,
		want:            []popSegment{inOrder("[Deleted(x@5)] init=false")},
	}, {
		name:            "R3 repeated deletes are not deduplicated",
		opts:            nonAtomicOpts(knownObjects{}),
		ops:             []fifoOp{opDelete(obj("x", "5")), opDelete(obj("x", "6"))},
		syncedBeforePop: true,
		want:            []popSegment{inOrder("[Deleted(x@5)] init=false", "[Deleted(x@6)] init=false")},
	}, {
		name:            "R4 replace queues deletions before replacements",
		opts:            nonAtomicOpts(known()),
		ops:             []fifoOp{opUpdate(obj("b", "2")), opReplace("", obj("a", "1"), obj("d", "7"))},
		syncedBeforePop: true,
		want: []popSegment{inOrder(
			"[Updated(b@2)] init=false",
			"[Deleted(DFSU{ns/b,b@2})] init=false",
			"[Deleted(DFSU{ns/c,c@1})] init=false",
			"[Replaced(a@1)] init=false",
			"[Replaced(d@7)] init=false",
		)},
	}, {
		name: "R5 first replace counts every queued delta as initial",
		opts: nonAtomicOpts(known()),
		ops:  []fifoOp{opReplace("", obj("a", "1"), obj("d", "7"))},
		want: []popSegment{
			anyOrder("[Deleted(DFSU{ns/b,b@1})] init=true", "[Deleted(DFSU{ns/c,c@1})] init=true"),
			inOrder("[Replaced(a@1)] init=true", "[Replaced(d@7)] init=true"),
		},
	}, {
		name:            "R6 resync skips keys with a queued delta",
		opts:            nonAtomicOpts(known()),
		ops:             []fifoOp{opUpdate(obj("b", "2")), opResync()},
		syncedBeforePop: true,
		want: []popSegment{
			inOrder("[Updated(b@2)] init=false"),
			anyOrder("[Sync(a@1)] init=false", "[Sync(c@1)] init=false"),
		},
	}, {
		name: "R7 atomic relist, resync and bookmark are one delta each",
		opts: RealFIFOOptions{AtomicEvents: true, EmitDeltaTypeBookmark: true},
		ops: []fifoOp{opReplace("10", obj("a", "1"), obj("b", "1")), opAdd(obj("c", "11")), opResync(),
			opBookmark("12"), opDelete(obj("zz", "13"))},
		want: []popSegment{inOrder(
			"[ReplacedAll(ReplacedAllInfo{rv=10,[a@1 b@1]})] init=true",
			"[Added(c@11)] init=false",
			"[SyncAll(SyncAllInfo{})] init=false",
			"[Bookmark(BookmarkInfo{rv=12})] init=false",
			"[Deleted(zz@13)] init=false",
		)},
	}, {
		name:        "R8 non-atomic bookmark is a no-op and does not populate",
		opts:        nonAtomicOpts(knownObjects{}),
		ops:         []fifoOp{opBookmark("1")},
		unpopulated: true,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewRealFIFOWithOptions(tt.opts)
			applyOps(t, f, tt.ops...)
			if got := f.HasSynced(); got != tt.syncedBeforePop {
				t.Errorf("HasSynced before popping = %v, want %v", got, tt.syncedBeforePop)
			}
			checkPops(t, drainRealFIFO(f), tt.want...)
			if got, want := f.HasSynced(), !tt.unpopulated; got != want {
				t.Errorf("HasSynced after popping everything = %v, want %v", got, want)
			}
		})
	}
}

// TestRealFIFOConcurrentProducersKeepTheirOrder ports TestRealFIFO_basic.
func TestRealFIFOConcurrentProducersKeepTheirOrder(t *testing.T) {
	checkConcurrentProducers(t, NewRealFIFOWithOptions(nonAtomicOpts(knownObjects{})))
}

// TestRealFIFOReplaceAfterQueuedDeleteStillQueuesReplaced is the RealFIFO
// regression test for kubernetes issue 83810: the relisted object is queued
// after the queued delete of its previous incarnation.
func TestRealFIFOReplaceAfterQueuedDeleteStillQueuesReplaced(t *testing.T) {
	f := NewRealFIFOWithOptions(nonAtomicOpts(knownObjects{obj("foo", "1")}))
	applyOps(t, f, opDelete(obj("foo", "1")), opReplace("", obj("foo", "2")))
	checkPops(t, drainRealFIFO(f), inOrder("[Deleted(foo@1)] init=false", "[Replaced(foo@2)] init=false"))
}

// TestRealFIFOReplaceMakesDeletionsForObjectsOnlyInQueue: a key that is only
// queued gets exactly one deletion when a relist no longer has it; a key
// whose last queued delta is a Deleted gets none.
func TestRealFIFOReplaceMakesDeletionsForObjectsOnlyInQueue(t *testing.T) {
	foo2, foo3 := obj("foo", "2"), obj("foo", "3")
	tests := []struct {
		name string
		ops  []fifoOp
		want []string
	}{{
		name: "added object gets a tombstone",
		ops:  []fifoOp{opAdd(foo2), opReplace("0")},
		want: []string{"[Added(foo@2)]", "[Deleted(DFSU{ns/foo,foo@2})]"},
	}, {
		name: "deleted object keeps its real delete only",
		ops:  []fifoOp{opAdd(foo2), opDelete(foo2), opReplace("0")},
		want: []string{"[Added(foo@2)]", "[Deleted(foo@2)]"},
	}, {
		name: "replaced object gets a single tombstone",
		ops:  []fifoOp{opAdd(foo2), opReplace("0", foo2), opReplace("0", foo2), opReplace("0")},
		want: []string{"[Added(foo@2)]", "[Replaced(foo@2)]", "[Replaced(foo@2)]", "[Deleted(DFSU{ns/foo,foo@2})]"},
	}, {
		name: "added object gets a single tombstone over several replaces",
		ops:  []fifoOp{opAdd(foo2), opReplace("0"), opReplace("1")},
		want: []string{"[Added(foo@2)]", "[Deleted(DFSU{ns/foo,foo@2})]"},
	}, {
		name: "added, deleted and re-added object gets a tombstone of the newest",
		ops:  []fifoOp{opAdd(foo2), opDelete(foo2), opAdd(foo3), opReplace("0")},
		want: []string{"[Added(foo@2)]", "[Deleted(foo@2)]", "[Added(foo@3)]", "[Deleted(DFSU{ns/foo,foo@3})]"},
	}, {
		name: "non-atomic bookmark adds nothing",
		ops:  []fifoOp{opBookmark("123"), opReplace("0"), opReplace("1")},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewRealFIFOWithOptions(nonAtomicOpts(knownObjects{}))
			applyOps(t, f, tt.ops...)
			checkPops(t, stripInit(drainRealFIFO(f)), inOrder(tt.want...))
		})
	}
}

// TestRealFIFOQueuesEveryWriteAsItsOwnDelta: every write is queued as its own
// delta, in order; nothing is grouped by key and no delete is dropped.
func TestRealFIFOQueuesEveryWriteAsItsOwnDelta(t *testing.T) {
	tests := []struct {
		name  string
		known knownObjects
		ops   []fifoOp
		want  []string
	}{{
		name: "add update delete of one key are three pops",
		ops:  []fifoOp{opAdd(obj("foo", "10")), opUpdate(obj("foo", "12")), opDelete(obj("foo", "15"))},
		want: []string{"[Added(foo@10)]", "[Updated(foo@12)]", "[Deleted(foo@15)]"},
	}, {
		name: "delete of an unknown key is queued",
		ops: []fifoOp{opAdd(obj("foo", "10")), opUpdate(obj("bar", "15")), opAdd(obj("qux", "17")),
			opDelete(obj("qux", "18")), opDelete(obj("baz", "20"))},
		want: []string{"[Added(foo@10)]", "[Updated(bar@15)]", "[Added(qux@17)]", "[Deleted(qux@18)]", "[Deleted(baz@20)]"},
	}, {
		name:  "delete of a known key is queued",
		known: knownObjects{obj("foo", "5"), obj("bar", "6"), obj("baz", "7")},
		ops:   []fifoOp{opAdd(obj("foo", "10")), opUpdate(obj("bar", "15")), opDelete(obj("baz", "20"))},
		want:  []string{"[Added(foo@10)]", "[Updated(bar@15)]", "[Deleted(baz@20)]"},
	}, {
		name: "add then delete of one key are two pops",
		ops:  []fifoOp{opAdd(obj("foo", "5")), opDelete(obj("foo", "6"))},
		want: []string{"[Added(foo@5)]", "[Deleted(foo@6)]"},
	}, {
		name: "add then replace of one key are two pops",
		ops:  []fifoOp{opAdd(obj("foo", "10")), opReplace("0", obj("foo", "15"))},
		want: []string{"[Added(foo@10)]", "[Replaced(foo@15)]"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewRealFIFOWithOptions(nonAtomicOpts(tt.known))
			applyOps(t, f, tt.ops...)
			checkPops(t, stripInit(drainRealFIFO(f)), inOrder(tt.want...))
		})
	}
}

// TestRealFIFOTransformerRunsOnceAndNeverOnTombstones ports
// TestRealFIFO_transformer: objects entering through Add, Update, Delete and
// Replace are transformed once, tombstones and Syncs never. An atomic queue
// transforms every object of a relist's ReplacedAll.
func TestRealFIFOTransformerRunsOnceAndNeverOnTombstones(t *testing.T) {
	tests := []struct {
		name      string
		opts      RealFIFOOptions
		ops       []fifoOp
		wantCalls string
		want      []string
	}{{
		name: "non-atomic",
		opts: nonAtomicOpts(knownObjects{}),
		ops: []fifoOp{opAdd(obj("foo", "10")), opAdd(obj("bar", "11")), opUpdate(obj("foo", "12")),
			opDelete(obj("foo", "15")), opReplace(""), opAdd(obj("bar", "16")), opReplace("")},
		wantCalls: "[foo@10 bar@11 foo@12 foo@15 bar@16]",
		want: []string{
			"[Added(foo@10)]", "[Added(bar@11)]", "[Updated(foo@12)]", "[Deleted(foo@15)]",
			"[Deleted(DFSU{ns/bar,bar@11})]", "[Added(bar@16)]", "[Deleted(DFSU{ns/bar,bar@16})]",
		},
	}, {
		name:      "non-atomic resync",
		opts:      nonAtomicOpts(knownObjects{obj("z", "1")}),
		ops:       []fifoOp{opResync(), opReplace("", obj("a", "2"))},
		wantCalls: "[a@2]",
		want:      []string{"[Sync(z@1)]", "[Deleted(DFSU{ns/z,z@1})]", "[Replaced(a@2)]"},
	}, {
		name:      "atomic",
		opts:      RealFIFOOptions{AtomicEvents: true, EmitDeltaTypeBookmark: true},
		ops:       []fifoOp{opReplace("3", obj("a", "1"), obj("b", "1")), opResync(), opBookmark("4"), opAdd(obj("c", "5")), opDelete(obj("c", "6"))},
		wantCalls: "[a@1 b@1 c@5 c@6]",
		want: []string{
			"[ReplacedAll(ReplacedAllInfo{rv=3,[a@1 b@1]})]", "[SyncAll(SyncAllInfo{})]",
			"[Bookmark(BookmarkInfo{rv=4})]", "[Added(c@5)]", "[Deleted(c@6)]",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls []string
			tt.opts.Transformer = func(o any) (any, error) {
				if _, ok := o.(DeletedFinalStateUnknown); ok {
					return nil, fmt.Errorf("transformer got a tombstone %s", fmtObj(o))
				}
				calls = append(calls, fmtObj(o))
				return o, nil
			}
			f := NewRealFIFOWithOptions(tt.opts)
			applyOps(t, f, tt.ops...)
			if got := fmtStrings(calls); got != tt.wantCalls {
				t.Errorf("transformer calls = %s, want %s", got, tt.wantCalls)
			}
			checkPops(t, stripInit(drainRealFIFO(f)), inOrder(tt.want...))
		})
	}
}

// TestRealFIFOResyncQueuesSyncOnlyForIdleKnownKeys: a non-atomic Resync
// queues a Sync for every known key with no queued delta, skipping keys the
// known objects cannot return; an atomic Resync always queues one SyncAll.
// Neither populates the queue.
func TestRealFIFOResyncQueuesSyncOnlyForIdleKnownKeys(t *testing.T) {
	tests := []struct {
		name string
		opts RealFIFOOptions
		ops  []fifoOp
		want []string
	}{{
		name: "known key gets a Sync",
		opts: nonAtomicOpts(knownObjects{obj("foo", "5")}),
		ops:  []fifoOp{opResync()},
		want: []string{"[Sync(foo@5)] init=true"},
	}, {
		name: "key with a queued delete gets none",
		opts: nonAtomicOpts(knownObjects{obj("foo", "5")}),
		ops:  []fifoOp{opDelete(obj("foo", "10")), opResync()},
		want: []string{"[Deleted(foo@10)] init=false"},
	}, {
		name: "key with a queued update gets none (update/resync race)",
		opts: nonAtomicOpts(knownObjects{obj("foo", "5")}),
		ops:  []fifoOp{opUpdate(obj("foo", "6")), opResync()},
		want: []string{"[Updated(foo@6)] init=false"},
	}, {
		name: "keys the known objects cannot return are skipped",
		opts: nonAtomicOpts(ghostKnownObjects{knownObjects: knownObjects{obj("foo", "5")}, ghosts: []string{"ns/gone", "ns/broken"}}),
		ops:  []fifoOp{opResync()},
		want: []string{"[Sync(foo@5)] init=true"},
	}, {
		name: "atomic resync is one SyncAll",
		opts: RealFIFOOptions{AtomicEvents: true},
		ops:  []fifoOp{opResync()},
		want: []string{"[SyncAll(SyncAllInfo{})] init=true"},
	}, {
		name: "atomic resync is queued even after a queued one and after an add",
		opts: RealFIFOOptions{AtomicEvents: true},
		ops:  []fifoOp{opAdd(obj("foo", "2")), opResync(), opResync()},
		want: []string{"[Added(foo@2)] init=false", "[SyncAll(SyncAllInfo{})] init=false", "[SyncAll(SyncAllInfo{})] init=false"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewRealFIFOWithOptions(tt.opts)
			applyOps(t, f, tt.ops...)
			checkPops(t, drainRealFIFO(f), inOrder(tt.want...))
		})
	}
}

// TestRealFIFOReplaceQueuesDeletionsBeforeReplacements ports
// TestRealFIFO_ReplaceMakesDeletions and ..Replaced: a relist first queues
// a tombstone for every missing key whose last queued delta is not a
// Deleted (carrying that delta's object), then for every missing known key
// with nothing queued (carrying the known object), then the relisted
// objects as Replaced.
func TestRealFIFOReplaceQueuesDeletionsBeforeReplacements(t *testing.T) {
	known := knownObjects{obj("foo", "5"), obj("bar", "6"), obj("baz", "7")}
	tests := []struct {
		name  string
		known KeyListerGetter
		ops   []fifoOp
		want  []string
	}{{
		name:  "queued delete is kept, unqueued known key gets a tombstone",
		known: known,
		ops:   []fifoOp{opDelete(obj("baz", "10")), opReplace("0", obj("foo", "5"))},
		want:  []string{"[Deleted(baz@10)]", "[Deleted(DFSU{ns/bar,bar@6})]", "[Replaced(foo@5)]"},
	}, {
		name:  "queued add gets a tombstone of the added object",
		known: known,
		ops:   []fifoOp{opAdd(obj("baz", "10")), opReplace("0", obj("foo", "5"))},
		want: []string{"[Added(baz@10)]", "[Deleted(DFSU{ns/baz,baz@10})]", "[Deleted(DFSU{ns/bar,bar@6})]",
			"[Replaced(foo@5)]"},
	}, {
		name:  "deleted and re-added key gets a tombstone of the queued object, not the known one",
		known: known,
		ops:   []fifoOp{opDelete(obj("bar", "6")), opAdd(obj("bar", "100")), opReplace("0", obj("foo", "5"))},
		want: []string{"[Deleted(bar@6)]", "[Added(bar@100)]", "[Deleted(DFSU{ns/bar,bar@100})]",
			"[Deleted(DFSU{ns/baz,baz@7})]", "[Replaced(foo@5)]"},
	}, {
		name:  "a second replace uses the newest relisted object and does not repeat tombstones",
		known: known,
		ops:   []fifoOp{opReplace("0", obj("bar", "100"), obj("foo", "5")), opReplace("0", obj("foo", "5"))},
		want: []string{"[Deleted(DFSU{ns/baz,baz@7})]", "[Replaced(bar@100)]", "[Replaced(foo@5)]",
			"[Deleted(DFSU{ns/bar,bar@100})]", "[Replaced(foo@5)]"},
	}, {
		name:  "empty known objects: only queued keys get tombstones",
		known: knownObjects{},
		ops:   []fifoOp{opAdd(obj("baz", "10")), opReplace("0", obj("foo", "5"))},
		want:  []string{"[Added(baz@10)]", "[Deleted(DFSU{ns/baz,baz@10})]", "[Replaced(foo@5)]"},
	}, {
		name:  "relisted object with a new version is Replaced",
		known: known,
		ops:   []fifoOp{opDelete(obj("baz", "10")), opReplace("0", obj("foo", "6"))},
		want:  []string{"[Deleted(baz@10)]", "[Deleted(DFSU{ns/bar,bar@6})]", "[Replaced(foo@6)]"},
	}, {
		name:  "known key that cannot be returned gets a tombstone with no object",
		known: ghostKnownObjects{knownObjects: knownObjects{obj("foo", "5")}, ghosts: []string{"ns/gone"}, err: errors.New("boom")},
		ops:   []fifoOp{opReplace("0", obj("foo", "5"))},
		want:  []string{"[Deleted(DFSU{ns/gone,nil})]", "[Replaced(foo@5)]"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewRealFIFOWithOptions(nonAtomicOpts(tt.known))
			applyOps(t, f, tt.ops...)
			checkPops(t, stripInit(drainRealFIFO(f)), inOrder(tt.want...))
		})
	}
}

// TestRealFIFOReplaceCountsTombstonesInInitialPopulation ports
// TestRealFIFO_HasSyncedCorrectOnDeletion: the queue syncs only once the
// first Replace's tombstones and replacements have all been processed.
func TestRealFIFOReplaceCountsTombstonesInInitialPopulation(t *testing.T) {
	f := NewRealFIFOWithOptions(nonAtomicOpts(knownObjects{obj("foo", "5"), obj("bar", "6"), obj("baz", "7")}))
	applyOps(t, f, opReplace("0", obj("foo", "5")))
	want := []string{
		"[Deleted(DFSU{ns/bar,bar@6})] init=true",
		"[Deleted(DFSU{ns/baz,baz@7})] init=true",
		"[Replaced(foo@5)] init=true",
	}
	var got []string
	for range want {
		if f.HasSynced() {
			t.Error("HasSynced = true before the last initial delta was processed")
		}
		if _, err := f.Pop(func(o any, initial bool) error {
			got = append(got, fmt.Sprintf("%s init=%v", fmtDeltas(o.(Deltas)), initial))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	checkPops(t, got, inOrder(want...))
	if !f.HasSynced() {
		t.Error("HasSynced = false after the initial deltas were processed")
	}
}

// TestRealFIFODeliversEveryDeltaInArrivalOrder ports
// TestRealFIFO_detectLineJumpers: unlike DeltaFIFO (D18), a key's later
// deltas do not join its first one; every delta keeps its arrival place.
func TestRealFIFODeliversEveryDeltaInArrivalOrder(t *testing.T) {
	f := NewRealFIFOWithOptions(nonAtomicOpts(knownObjects{}))
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
	for range 5 {
		pop()
	}
	checkPops(t, got, inOrder(
		"[Added(foo@10)]", "[Added(bar@1)]", "[Added(foo@11)]", "[Added(foo@13)]", "[Added(zab@30)]", "[Added(foo@14)]",
	))
}

// TestRealFIFOKeyOfUsesNewestDeltaAndTombstoneKey ports TestRealFIFO_KeyOf:
// Deltas are keyed by their newest delta, a Delta by its object, a tombstone
// by its key.
func TestRealFIFOKeyOfUsesNewestDeltaAndTombstoneKey(t *testing.T) {
	f := NewRealFIFOWithOptions(RealFIFOOptions{AtomicEvents: true})
	tests := []struct {
		name string
		obj  any
		want string
	}{
		{name: "object", obj: obj("a", "1"), want: "ns/a"},
		{name: "tombstone", obj: DeletedFinalStateUnknown{Key: "B"}, want: "B"},
		{name: "deltas", obj: Deltas{{Added, obj("p", "1")}, {Updated, obj("c", "1")}}, want: "ns/c"},
		{name: "deltas ending in a tombstone", obj: Deltas{{Deleted, DeletedFinalStateUnknown{Key: "D"}}}, want: "D"},
		{name: "delta", obj: Delta{Updated, obj("e", "1")}, want: "ns/e"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := f.keyOf(tt.obj); err != nil || got != tt.want {
				t.Errorf("keyOf = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	if _, err := f.keyOf(Deltas{}); !errors.Is(err, ErrZeroLengthDeltasObject) {
		t.Errorf("keyOf(Deltas{}) error = %v, want ErrZeroLengthDeltasObject", err)
	}
	if _, err := f.keyOf(Delta{ReplacedAll, ReplacedAllInfo{}}); err == nil {
		t.Error("keyOf(ReplacedAll delta) succeeded, want an error: whole-queue deltas have no key")
	}
}

// TestRealFIFOHasSyncedAfterFirstWriteOrInitialListProcessed ports
// TestRealFIFO_HasSynced: the queue syncs on a first Add/Update/Delete, or
// once every delta queued by the first Replace has been processed.
func TestRealFIFOHasSyncedAfterFirstWriteOrInitialListProcessed(t *testing.T) {
	a1, a2, b2 := obj("a", "1"), obj("a", "2"), obj("b", "2")
	tests := []struct {
		name string
		opts RealFIFOOptions
		ops  []fifoOp
		pops int
		want bool
	}{
		{name: "nothing happened", want: false},
		{name: "first add", ops: []fifoOp{opAdd(a1)}, want: true},
		{name: "first update", ops: []fifoOp{opUpdate(a1)}, want: true},
		{name: "first delete", ops: []fifoOp{opDelete(a1)}, want: true},
		{name: "empty replace", ops: []fifoOp{opReplace("0")}, want: true},
		{name: "replace not popped", ops: []fifoOp{opReplace("0", a1, b2)}, want: false},
		{name: "replace half popped", ops: []fifoOp{opReplace("0", a1, b2)}, pops: 1, want: false},
		{name: "replace popped", ops: []fifoOp{opReplace("0", a1, b2)}, pops: 2, want: true},
		// A broken list with a key twice: two deltas, two pops.
		{name: "replace with a duplicate key popped once", ops: []fifoOp{opReplace("0", a1, a2)}, pops: 1, want: false},
		{name: "replace with a duplicate key popped twice", ops: []fifoOp{opReplace("0", a1, a2)}, pops: 2, want: true},
		{name: "resync alone", ops: []fifoOp{opResync()}, want: false},
		{name: "atomic replace not popped", opts: RealFIFOOptions{AtomicEvents: true}, ops: []fifoOp{opReplace("0", a1, b2)}, want: false},
		{name: "atomic replace popped", opts: RealFIFOOptions{AtomicEvents: true}, ops: []fifoOp{opReplace("0", a1, b2)}, pops: 1, want: true},
		{name: "atomic empty replace is still one delta", opts: RealFIFOOptions{AtomicEvents: true}, ops: []fifoOp{opReplace("0")}, want: false},
		{
			name: "atomic bookmark before the first replace counts as initial",
			opts: RealFIFOOptions{AtomicEvents: true, EmitDeltaTypeBookmark: true},
			ops:  []fifoOp{opBookmark("1"), opReplace("2")}, pops: 1, want: false,
		},
		{name: "atomic bookmark alone", opts: RealFIFOOptions{AtomicEvents: true, EmitDeltaTypeBookmark: true}, ops: []fifoOp{opBookmark("1")}, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.opts.AtomicEvents {
				tt.opts.KnownObjects = knownObjects{}
			}
			f := NewRealFIFOWithOptions(tt.opts)
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

// TestRealFIFOCloseUnblocksWaitingPops ports
// TestRealFIFO_PopShouldUnblockWhenClosed, for Pop and PopBatch.
func TestRealFIFOCloseUnblocksWaitingPops(t *testing.T) {
	f := NewRealFIFOWithOptions(nonAtomicOpts(knownObjects{obj("foo", "5")}))
	const jobs = 10
	errs := make(chan error, 2*jobs)
	var wg sync.WaitGroup
	fail := func(any, bool) error { return errors.New("nothing should be popped") }
	for range jobs {
		wg.Go(func() {
			_, err := f.Pop(fail)
			errs <- err
		})
		wg.Go(func() {
			errs <- f.PopBatch(func([]Delta, bool) error { return errors.New("nothing should be popped") }, fail)
		})
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
}

// TestRealFIFOCloseKeepsQueuedItems: Close does not discard what is queued.
func TestRealFIFOCloseKeepsQueuedItems(t *testing.T) {
	f := NewRealFIFOWithOptions(RealFIFOOptions{AtomicEvents: true})
	applyOps(t, f, opAdd(obj("a", "1")))
	f.Close()
	applyOps(t, f, opAdd(obj("b", "1")))
	checkPops(t, drainRealFIFO(f), inOrder("[Added(a@1)] init=false", "[Added(b@1)] init=false"))
}

// TestRealFIFOPopBatchSplitsBatches ports
// TestRealFIFO_PopMultipleDeltaInBatch and encodes spec R9 and R10: a batch
// holds at most batchSize deltas of distinct keys, never crosses the end of
// the initial list, and a non-batchable delta (ReplacedAll, SyncAll,
// Bookmark) is popped alone. A single delta goes to processSingle.
func TestRealFIFOPopBatchSplitsBatches(t *testing.T) {
	const unlimited = 999999
	f1, f2, f3, f4 := obj("foo1", "5"), obj("foo2", "5"), obj("foo3", "5"), obj("foo4", "5")
	tests := []struct {
		name      string
		atomic    bool
		initial   []any // replaced first, and the known objects of a non-atomic queue
		ops       []fifoOp
		batchSize int
		want      []string
	}{{
		name:      "unique initial items make one batch",
		initial:   []any{f1, f2, f3},
		batchSize: unlimited,
		want:      []string{"batch [Replaced(foo1@5), Replaced(foo2@5), Replaced(foo3@5)] init=true"},
	}, {
		name:      "the end of the initial list splits",
		initial:   []any{f1, f2},
		ops:       []fifoOp{opUpdate(f3), opUpdate(f4)},
		batchSize: 2,
		want:      []string{"batch [Replaced(foo1@5), Replaced(foo2@5)] init=true", "batch [Updated(foo3@5), Updated(foo4@5)] init=false"},
	}, {
		name:      "a repeated key splits, leaving singles",
		initial:   []any{f1},
		ops:       []fifoOp{opUpdate(f1), opUpdate(f1)},
		batchSize: unlimited,
		want:      []string{"single [Replaced(foo1@5)] init=true", "single [Updated(foo1@5)] init=false", "single [Updated(foo1@5)] init=false"},
	}, {
		name:      "a repeated key at the start of the next batch",
		initial:   []any{f1, f2},
		ops:       []fifoOp{opUpdate(f2), opUpdate(f3)},
		batchSize: unlimited,
		want:      []string{"batch [Replaced(foo1@5), Replaced(foo2@5)] init=true", "batch [Updated(foo2@5), Updated(foo3@5)] init=false"},
	}, {
		name:      "a repeated key after the initial list",
		initial:   []any{f1, f2, f3},
		ops:       []fifoOp{opUpdate(f2)},
		batchSize: unlimited,
		want:      []string{"batch [Replaced(foo1@5), Replaced(foo2@5), Replaced(foo3@5)] init=true", "single [Updated(foo2@5)] init=false"},
	}, {
		name:      "batch size splits the initial list",
		initial:   []any{f1, f2, f3},
		batchSize: 2,
		want:      []string{"batch [Replaced(foo1@5), Replaced(foo2@5)] init=true", "single [Replaced(foo3@5)] init=true"},
	}, {
		name:      "batch size splits later deltas",
		ops:       []fifoOp{opUpdate(f1), opUpdate(f2), opUpdate(f3)},
		batchSize: 2,
		want:      []string{"batch [Updated(foo1@5), Updated(foo2@5)] init=false", "single [Updated(foo3@5)] init=false"},
	}, {
		name:      "batch size and the initial list split together",
		initial:   []any{f1, f2, f3},
		ops:       []fifoOp{opUpdate(f4)},
		batchSize: 2,
		want: []string{"batch [Replaced(foo1@5), Replaced(foo2@5)] init=true", "single [Replaced(foo3@5)] init=true",
			"single [Updated(foo4@5)] init=false"},
	}, {
		name:   "R9 a ReplacedAll is popped alone and cuts the batch before it",
		atomic: true,
		ops: []fifoOp{opAdd(obj("a", "1")), opAdd(obj("b", "1")), opAdd(obj("c", "1")), opUpdate(obj("a", "2")),
			opReplace("5", obj("a", "2")), opAdd(obj("d", "1")), opAdd(obj("e", "1"))},
		batchSize: defaultBatchSize,
		want: []string{
			"batch [Added(a@1), Added(b@1), Added(c@1)] init=false",
			"single [Updated(a@2)] init=false",
			"single [ReplacedAll(ReplacedAllInfo{rv=5,[a@2]})] init=false",
			"batch [Added(d@1), Added(e@1)] init=false",
		},
	}, {
		name:      "R10 the initial replacements and later adds are separate batches",
		initial:   []any{obj("a", "1"), obj("b", "1"), obj("c", "1")},
		ops:       []fifoOp{opAdd(obj("d", "1")), opAdd(obj("e", "1"))},
		batchSize: defaultBatchSize,
		want: []string{
			"batch [Replaced(a@1), Replaced(b@1), Replaced(c@1)] init=true",
			"batch [Added(d@1), Added(e@1)] init=false",
		},
	}, {
		name:   "SyncAll and Bookmark are popped alone",
		atomic: true,
		ops: []fifoOp{opAdd(obj("a", "1")), opResync(), opAdd(obj("b", "1")), opAdd(obj("c", "1")),
			opBookmark("7"), opDelete(obj("c", "8"))},
		batchSize: defaultBatchSize,
		want: []string{
			"single [Added(a@1)] init=false",
			"single [SyncAll(SyncAllInfo{})] init=false",
			"batch [Added(b@1), Added(c@1)] init=false",
			"single [Bookmark(BookmarkInfo{rv=7})] init=false",
			"single [Deleted(c@8)] init=false",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := RealFIFOOptions{AtomicEvents: tt.atomic, EmitDeltaTypeBookmark: tt.atomic}
			if !tt.atomic {
				opts.KnownObjects = knownObjects(tt.initial)
			}
			f := NewRealFIFOWithOptions(opts)
			f.batchSize = tt.batchSize
			if !tt.atomic {
				applyOps(t, f, opReplace("123", tt.initial...))
			}
			applyOps(t, f, tt.ops...)
			checkPops(t, popAllBatches(f), inOrder(tt.want...))
			if !f.HasSynced() {
				t.Error("HasSynced after popping everything = false")
			}
		})
	}
}

// TestRealFIFOPopBatchHoldsAtMostBatchSizeDeltas: the default batch size is
// 1000.
func TestRealFIFOPopBatchHoldsAtMostBatchSizeDeltas(t *testing.T) {
	f := NewRealFIFOWithOptions(RealFIFOOptions{AtomicEvents: true})
	for i := range 1500 {
		applyOps(t, f, opAdd(obj(fmt.Sprint(i), "1")))
	}
	f.Close()
	var sizes []int
	for {
		err := f.PopBatch(func(d []Delta, _ bool) error {
			sizes = append(sizes, len(d))
			return nil
		}, func(any, bool) error {
			sizes = append(sizes, 1)
			return nil
		})
		if err != nil {
			break
		}
	}
	if fmt.Sprint(sizes) != "[1000 500]" {
		t.Errorf("batch sizes = %v, want [1000 500]", sizes)
	}
}

// TestRealFIFOPopBatchEndsABatchAtAKeyError ports
// TestRealFIFO_PopBrokenItemsInBatch: a delta whose key cannot be computed
// is still popped, as the last delta of its batch.
func TestRealFIFOPopBatchEndsABatchAtAKeyError(t *testing.T) {
	ok1, ok2, bad3, bad4 := obj("foo1", "5"), obj("foo2", "5"), obj("foo3", "5"), obj("foo4", "5")
	keyFunc := func(o any) (string, error) {
		if o == any(bad3) || o == any(bad4) {
			return "", errors.New("test key func error")
		}
		return MetaNamespaceKeyFunc(o)
	}
	tests := []struct {
		name     string
		incoming []any
		want     []string
	}{{
		name:     "first item broken",
		incoming: []any{bad3},
		want:     []string{"single [Added(foo3@5)]"},
	}, {
		name:     "last item broken",
		incoming: []any{ok1, ok2, bad3},
		want:     []string{"batch [Added(foo1@5), Added(foo2@5), Added(foo3@5)]"},
	}, {
		name:     "several items broken",
		incoming: []any{ok1, ok2, bad3, bad4},
		want:     []string{"batch [Added(foo1@5), Added(foo2@5), Added(foo3@5)]", "single [Added(foo4@5)]"},
	}, {
		name:     "first and later items broken",
		incoming: []any{bad3, ok1, bad4},
		want:     []string{"single [Added(foo3@5)]", "batch [Added(foo1@5), Added(foo4@5)]"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewRealFIFOWithOptions(RealFIFOOptions{KeyFunction: keyFunc, KnownObjects: knownObjects{}})
			f.batchSize = 999999
			// Add refuses objects it cannot key, so queue them directly.
			for _, o := range tt.incoming {
				f.items = append(f.items, Delta{Added, o})
			}
			checkPops(t, stripInit(popAllBatches(f)), inOrder(tt.want...))
		})
	}
}

// TestRealFIFOAtomicReplaceQueuesOneReplacedAll ports
// TestRealFIFO_ReplaceAtomic and ..ReplaceAtomicPop: an atomic relist is one
// ReplacedAll delta carrying the list and its resourceVersion; relists stay
// in order and are never merged with bookmarks or other deltas.
func TestRealFIFOAtomicReplaceQueuesOneReplacedAll(t *testing.T) {
	foo := obj("foo", "2")
	tests := []struct {
		name string
		ops  []fifoOp
		want []string
	}{{
		name: "empty replace",
		ops:  []fifoOp{opReplace("123")},
		want: []string{"[ReplacedAll(ReplacedAllInfo{rv=123,[]})] init=true"},
	}, {
		name: "queued add stays before the replace",
		ops:  []fifoOp{opAdd(foo), opReplace("123")},
		want: []string{"[Added(foo@2)] init=false", "[ReplacedAll(ReplacedAllInfo{rv=123,[]})] init=false"},
	}, {
		name: "several replaces stay in order",
		ops:  []fifoOp{opAdd(foo), opReplace("10", foo), opReplace("20", foo), opReplace("56")},
		want: []string{
			"[Added(foo@2)] init=false",
			"[ReplacedAll(ReplacedAllInfo{rv=10,[foo@2]})] init=false",
			"[ReplacedAll(ReplacedAllInfo{rv=20,[foo@2]})] init=false",
			"[ReplacedAll(ReplacedAllInfo{rv=56,[]})] init=false",
		},
	}, {
		name: "a bookmark is not folded into the replace",
		ops:  []fifoOp{opBookmark("123"), opReplace("1234")},
		// Both are initial: the first Replace counts every queued delta.
		want: []string{"[Bookmark(BookmarkInfo{rv=123})] init=true", "[ReplacedAll(ReplacedAllInfo{rv=1234,[]})] init=true"},
	}, {
		name: "add then replace of the same key",
		ops:  []fifoOp{opAdd(obj("foo", "10")), opReplace("20", obj("foo", "15"))},
		want: []string{"[Added(foo@10)] init=false", "[ReplacedAll(ReplacedAllInfo{rv=20,[foo@15]})] init=false"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewRealFIFOWithOptions(RealFIFOOptions{AtomicEvents: true, EmitDeltaTypeBookmark: true})
			applyOps(t, f, tt.ops...)
			checkPops(t, drainRealFIFO(f), inOrder(tt.want...))
		})
	}
}

// TestRealFIFOIsNotDoneWhileProcessingLastInitialItem is spec R11: RealFIFO
// counts an initial delta as delivered only after processing it, so Done is
// still open while the last one is processed. (DeltaFIFO differs: D17.)
func TestRealFIFOIsNotDoneWhileProcessingLastInitialItem(t *testing.T) {
	t.Run("Pop", func(t *testing.T) {
		f := NewRealFIFOWithOptions(RealFIFOOptions{AtomicEvents: true})
		applyOps(t, f, opReplace("1", obj("a", "1")))
		var doneDuring bool
		if _, err := f.Pop(func(any, bool) error {
			doneDuring = IsDone(f)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if doneDuring {
			t.Error("IsDone while processing the last initial delta = true, want false")
		}
		if !IsDone(f) {
			t.Error("IsDone after processing = false, want true")
		}
	})
	t.Run("PopBatch", func(t *testing.T) {
		f := NewRealFIFOWithOptions(nonAtomicOpts(knownObjects{}))
		applyOps(t, f, opReplace("1", obj("a", "1"), obj("b", "1")))
		var doneDuring bool
		if err := f.PopBatch(func([]Delta, bool) error {
			doneDuring = IsDone(f)
			return nil
		}, func(any, bool) error { return errors.New("want a batch") }); err != nil {
			t.Fatal(err)
		}
		if doneDuring {
			t.Error("IsDone while processing the initial batch = true, want false")
		}
		if !IsDone(f) {
			t.Error("IsDone after processing = false, want true")
		}
	})
}

// TestRealFIFOConstructorRejectsContradictoryOptions is spec R12.
func TestRealFIFOConstructorRejectsContradictoryOptions(t *testing.T) {
	tests := []struct {
		name      string
		opts      RealFIFOOptions
		wantPanic bool
	}{
		{name: "atomic with known objects", opts: RealFIFOOptions{AtomicEvents: true, KnownObjects: knownObjects{}}, wantPanic: true},
		{name: "non-atomic without known objects", opts: RealFIFOOptions{}, wantPanic: true},
		{name: "unlock while processing without atomic", opts: RealFIFOOptions{KnownObjects: knownObjects{}, UnlockWhileProcessing: true}, wantPanic: true},
		{name: "bookmarks without atomic", opts: RealFIFOOptions{KnownObjects: knownObjects{}, EmitDeltaTypeBookmark: true}, wantPanic: true},
		{name: "non-atomic with known objects", opts: RealFIFOOptions{KnownObjects: knownObjects{}}},
		{name: "atomic", opts: RealFIFOOptions{AtomicEvents: true}},
		{name: "atomic with everything", opts: RealFIFOOptions{AtomicEvents: true, UnlockWhileProcessing: true, EmitDeltaTypeBookmark: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var recovered any
			func() {
				defer func() { recovered = recover() }()
				NewRealFIFOWithOptions(tt.opts)
			}()
			if !tt.wantPanic {
				if recovered != nil {
					t.Errorf("panicked: %v", recovered)
				}
				return
			}
			if msg := fmt.Sprint(recovered); !strings.HasPrefix(msg, "coding error: ") {
				t.Errorf("recovered %q, want a \"coding error: ...\" panic", msg)
			}
		})
	}
}

// TestRealFIFOUnlocksWhileProcessingOnlyWhenAskedAndQueueIsShort: by default
// process runs under the queue lock; with UnlockWhileProcessing it runs
// without it, so producers are not held up, but only while fewer than
// 2*batchSize deltas are queued.
func TestRealFIFOUnlocksWhileProcessingOnlyWhenAskedAndQueueIsShort(t *testing.T) {
	tests := []struct {
		name       string
		opts       RealFIFOOptions
		batchSize  int
		queued     int // deltas queued before the Pop
		wantLocked bool
	}{
		{name: "non-atomic holds the lock", opts: nonAtomicOpts(knownObjects{}), batchSize: defaultBatchSize, queued: 1, wantLocked: true},
		{name: "atomic holds the lock by default", opts: RealFIFOOptions{AtomicEvents: true}, batchSize: defaultBatchSize, queued: 1, wantLocked: true},
		{name: "unlock while processing", opts: RealFIFOOptions{AtomicEvents: true, UnlockWhileProcessing: true}, batchSize: defaultBatchSize, queued: 1},
		{
			name: "unlock while processing keeps the lock on a long queue",
			opts: RealFIFOOptions{AtomicEvents: true, UnlockWhileProcessing: true}, batchSize: 1, queued: 3, wantLocked: true,
		},
		{name: "unlock while processing below the limit", opts: RealFIFOOptions{AtomicEvents: true, UnlockWhileProcessing: true}, batchSize: 1, queued: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewRealFIFOWithOptions(tt.opts)
			f.batchSize = tt.batchSize
			for i := range tt.queued {
				applyOps(t, f, opAdd(obj(fmt.Sprint(i), "1")))
			}
			added := make(chan struct{})
			if _, err := f.Pop(func(any, bool) error {
				go func() {
					defer close(added)
					_ = f.Add(obj("late", "1"))
				}()
				wait := time.Second // generous: the Add is expected to finish
				if tt.wantLocked {
					wait = 20 * time.Millisecond // short: the Add is expected to wait
				}
				select {
				case <-added:
					if tt.wantLocked {
						t.Error("Add completed while process was running")
					}
				case <-time.After(wait):
					if !tt.wantLocked {
						t.Error("Add did not complete while process was running")
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			<-added
			if got := stripInit(drainRealFIFO(f)); len(got) == 0 || got[len(got)-1] != "[Added(late@1)]" {
				t.Errorf("remaining pops = %v, want the late add last", got)
			}
		})
	}
}

// TestRealFIFOPopReturnsProcessErrorWithoutRequeue: Pop and PopBatch hand
// back the process error; the deltas are gone, not requeued.
func TestRealFIFOPopReturnsProcessErrorWithoutRequeue(t *testing.T) {
	boom := errors.New("boom")
	f := NewRealFIFOWithOptions(RealFIFOOptions{AtomicEvents: true})
	applyOps(t, f, opAdd(obj("a", "1")), opAdd(obj("b", "1")), opAdd(obj("c", "1")), opAdd(obj("c", "2")))
	got, err := f.Pop(func(any, bool) error { return boom })
	if !errors.Is(err, boom) {
		t.Errorf("Pop error = %v, want %v", err, boom)
	}
	if d, ok := got.(Deltas); !ok || fmtDeltas(d) != "[Added(a@1)]" {
		t.Errorf("Pop returned %#v, want the popped delta", got)
	}
	err = f.PopBatch(func([]Delta, bool) error { return boom }, func(any, bool) error { return errors.New("want a batch") })
	if !errors.Is(err, boom) {
		t.Errorf("PopBatch error = %v, want %v", err, boom)
	}
	checkPops(t, drainRealFIFO(f), inOrder("[Added(c@2)] init=false"))
}

// TestRealFIFOKnownObjectsLoopFollowsListKeysOrder asserts an order this
// package documents: tombstones for known keys (Replace) and Syncs (Resync)
// are queued in KnownObjects.ListKeys() order. client-go iterates ListKeys()
// too, and queues tombstones of queued keys in first-queued order.
func TestRealFIFOKnownObjectsLoopFollowsListKeysOrder(t *testing.T) {
	known := knownObjects{obj("c", "1"), obj("a", "1"), obj("b", "1")}
	t.Run("replace", func(t *testing.T) {
		f := NewRealFIFOWithOptions(nonAtomicOpts(known))
		applyOps(t, f, opAdd(obj("z", "2")), opAdd(obj("y", "2")), opReplace("1"))
		checkPops(t, stripInit(drainRealFIFO(f)), inOrder(
			"[Added(z@2)]", "[Added(y@2)]",
			"[Deleted(DFSU{ns/z,z@2})]", "[Deleted(DFSU{ns/y,y@2})]",
			"[Deleted(DFSU{ns/c,c@1})]", "[Deleted(DFSU{ns/a,a@1})]", "[Deleted(DFSU{ns/b,b@1})]",
		))
	})
	t.Run("resync", func(t *testing.T) {
		f := NewRealFIFOWithOptions(nonAtomicOpts(known))
		applyOps(t, f, opResync())
		checkPops(t, stripInit(drainRealFIFO(f)), inOrder("[Sync(c@1)]", "[Sync(a@1)]", "[Sync(b@1)]"))
	})
}

// TestRealFIFODefaultNameAndKeyErrors: the queue is named "RealFIFO" unless
// told otherwise, is its own DoneChecker, and refuses objects it cannot key.
func TestRealFIFODefaultNameAndKeyErrors(t *testing.T) {
	f := NewRealFIFO(nil, knownObjects{}, nil) // deprecated: non-atomic
	if f.Name() != "RealFIFO" {
		t.Errorf("Name = %q, want RealFIFO", f.Name())
	}
	if f.HasSyncedChecker() != DoneChecker(f) {
		t.Error("HasSyncedChecker is not the queue itself")
	}
	if named := NewRealFIFOWithOptions(RealFIFOOptions{Name: "pods", AtomicEvents: true}); named.Name() != "pods" {
		t.Errorf("Name = %q, want pods", named.Name())
	}
	applyOps(t, f, opReplace("1", obj("a", "1")))
	checkPops(t, drainRealFIFO(f), inOrder("[Replaced(a@1)] init=true"))
	if err := f.Add("not an object"); !errors.As(err, new(KeyError)) {
		t.Errorf("Add of a non-object = %v, want a KeyError", err)
	}
}
