package ui

import (
	"reflect"
	"testing"
)

// wantViews is what the page must show after each step of the script
// (wantViews[0] is before the first). The
// browser test checks the same rows in the DOM for the first steps.
var wantViews = []struct {
	deltaFIFO, realFIFO []string
	dfSynced, rfSynced  bool
	dfPop, rfPop        string
	store               []string
}{
	0: {},
	1: {
		deltaFIFO: []string{"ns/a: Replaced a@1", "ns/b: Replaced b@2"},
		realFIFO:  []string{"ReplacedAll ReplacedAllInfo{rv=2,[a@1 b@2]}"},
	},
	2: {
		deltaFIFO: []string{"ns/a: Replaced a@1, Updated a@3", "ns/b: Replaced b@2"},
		realFIFO:  []string{"ReplacedAll ReplacedAllInfo{rv=2,[a@1 b@2]}", "ns/a: Updated a@3"},
	},
	// The RealFIFO has synced once its one initial delta is processed; the
	// DeltaFIFO waits for its second key.
	3: {
		deltaFIFO: []string{"ns/b: Replaced b@2"},
		realFIFO:  []string{"ns/a: Updated a@3"},
		rfSynced:  true,
		dfPop:     "ns/a: Replaced a@1, Updated a@3 (isInInitialList=true)",
		rfPop:     "ReplacedAll ReplacedAllInfo{rv=2,[a@1 b@2]} (isInInitialList=true)",
		store:     []string{"ns/a: a@3"},
	},
	4: {
		dfSynced: true, rfSynced: true,
		dfPop: "ns/b: Replaced b@2 (isInInitialList=true)",
		rfPop: "ns/a: Updated a@3 (isInInitialList=false)",
		store: []string{"ns/a: a@3", "ns/b: b@2"},
	},
	5: {
		deltaFIFO: []string{"ns/c: Added c@4"},
		realFIFO:  []string{"ns/c: Added c@4"},
		dfSynced:  true, rfSynced: true,
		dfPop: "ns/b: Replaced b@2 (isInInitialList=true)",
		rfPop: "ns/a: Updated a@3 (isInInitialList=false)",
		store: []string{"ns/a: a@3", "ns/b: b@2"},
	},
	// Resync: the DeltaFIFO queues what its store knows and has nothing
	// queued; the atomic RealFIFO queues one SyncAll.
	6: {
		deltaFIFO: []string{"ns/c: Added c@4", "ns/a: Sync a@3", "ns/b: Sync b@2"},
		realFIFO:  []string{"ns/c: Added c@4", "SyncAll SyncAllInfo{}"},
		dfSynced:  true, rfSynced: true,
		dfPop: "ns/b: Replaced b@2 (isInInitialList=true)",
		rfPop: "ns/a: Updated a@3 (isInInitialList=false)",
		store: []string{"ns/a: a@3", "ns/b: b@2"},
	},
	// The relist misses b: the DeltaFIFO queues a tombstone for it, the
	// RealFIFO leaves that to its consumer.
	7: {
		deltaFIFO: []string{"ns/c: Added c@4, Replaced c@4", "ns/a: Sync a@3, Replaced a@5", "ns/b: Sync b@2, Deleted DFSU{ns/b,b@2}"},
		realFIFO:  []string{"ns/c: Added c@4", "SyncAll SyncAllInfo{}", "ReplacedAll ReplacedAllInfo{rv=6,[a@5 c@4]}"},
		dfSynced:  true, rfSynced: true,
		dfPop: "ns/b: Replaced b@2 (isInInitialList=true)",
		rfPop: "ns/a: Updated a@3 (isInInitialList=false)",
		store: []string{"ns/a: a@3", "ns/b: b@2"},
	},
	8: {
		deltaFIFO: []string{"ns/a: Sync a@3, Replaced a@5", "ns/b: Sync b@2, Deleted DFSU{ns/b,b@2}"},
		realFIFO:  []string{"SyncAll SyncAllInfo{}", "ReplacedAll ReplacedAllInfo{rv=6,[a@5 c@4]}"},
		dfSynced:  true, rfSynced: true,
		dfPop: "ns/c: Added c@4, Replaced c@4 (isInInitialList=false)",
		rfPop: "ns/c: Added c@4 (isInInitialList=false)",
		store: []string{"ns/a: a@3", "ns/b: b@2", "ns/c: c@4"},
	},
	9: {
		deltaFIFO: []string{"ns/b: Sync b@2, Deleted DFSU{ns/b,b@2}"},
		realFIFO:  []string{"ReplacedAll ReplacedAllInfo{rv=6,[a@5 c@4]}"},
		dfSynced:  true, rfSynced: true,
		dfPop: "ns/a: Sync a@3, Replaced a@5 (isInInitialList=false)",
		rfPop: "SyncAll SyncAllInfo{} (isInInitialList=false)",
		store: []string{"ns/a: a@5", "ns/b: b@2", "ns/c: c@4"},
	},
	// The tombstone's pop deletes b from the store.
	10: {
		dfSynced: true, rfSynced: true,
		dfPop: "ns/b: Sync b@2, Deleted DFSU{ns/b,b@2} (isInInitialList=false)",
		rfPop: "ReplacedAll ReplacedAllInfo{rv=6,[a@5 c@4]} (isInInitialList=false)",
		store: []string{"ns/a: a@5", "ns/c: c@4"},
	},
	11: {
		dfSynced: true, rfSynced: true,
		dfPop: blockedPop, rfPop: blockedPop,
		store: []string{"ns/a: a@5", "ns/c: c@4"},
	},
}

const blockedPop = "not called: the queue is empty, so Pop would wait for a producer"

func TestDemoShowsBothQueuesAfterEveryStep(t *testing.T) {
	if len(wantViews) != len(script)+1 {
		t.Fatalf("%d expected views for a script of %d steps", len(wantViews), len(script))
	}
	d := newDemo()
	for step := 0; step <= len(script); step++ {
		if step > 0 && !d.advance() {
			t.Fatalf("advance to step %d: script over", step)
		}
		w := wantViews[step]
		v := d.view()
		check := func(what string, got, want any) {
			t.Helper()
			if !reflect.DeepEqual(got, want) {
				t.Errorf("step %d: %s = %#v, want %#v", step, what, got, want)
			}
		}
		check("DeltaFIFO rows", v.DeltaFIFO.Rows, w.deltaFIFO)
		check("RealFIFO rows", v.RealFIFO.Rows, w.realFIFO)
		check("DeltaFIFO HasSynced", v.DeltaFIFO.Synced, w.dfSynced)
		check("RealFIFO HasSynced", v.RealFIFO.Synced, w.rfSynced)
		check("DeltaFIFO last pop", v.DeltaFIFO.LastPop, w.dfPop)
		check("RealFIFO last pop", v.RealFIFO.LastPop, w.rfPop)
		check("store", v.Store, w.store)
	}
	if d.advance() {
		t.Error("advance after the last step: want false")
	}
}

// Back is a replay; it must land exactly where stepping forward did.
func TestReplayEqualsStepping(t *testing.T) {
	d := newDemo()
	for n := 0; n <= len(script); n++ {
		if got, want := replay(n).view(), d.view(); !reflect.DeepEqual(got, want) {
			t.Errorf("replay(%d).view() = %+v, want %+v", n, got, want)
		}
		d.advance()
	}
}
