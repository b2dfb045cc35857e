package trace

import (
	"fmt"
	"testing"
)

// TestFoldQueueEvents walks a DeltaFIFO-like queue through the queue kinds.
func TestFoldQueueEvents(t *testing.T) {
	events := []Event{
		{Kind: DeltaAppended, Comp: "q", Key: "ns/a", Type: "Added", Obj: 1},
		{Kind: DeltaAppended, Comp: "q", Key: "ns/b", Type: "Added", Obj: 2, Pos: 1},
		{Kind: DeltaMerged, Comp: "q", Key: "ns/a", Type: "Deleted", Obj: 3, Pos: 0},
		{Kind: DeltaMerged, Comp: "q", Key: "ns/a", Type: "Deleted", Obj: 4, Pos: 0},
		{Kind: DeltaDeduped, Comp: "q", Key: "ns/a", Pos: 0, Reason: KeptOlder},
		{Kind: DeltaDropped, Comp: "q", Key: "ns/z", Type: "Deleted"},
		{Kind: QueuePopulated, Comp: "q", Left: 2},
		{Kind: QueuePopped, Comp: "q", Key: "ns/a", Count: 2, Initial: true, Left: 1},
	}
	q := Fold(events).Queues["q"]
	if got, want := fmt.Sprint(q.Entries), "[{ns/b [{Added 2}]}]"; got != want {
		t.Errorf("entries %s, want %s", got, want)
	}
	if got, want := fmt.Sprint(q.Processing), "[{Added 1} {Deleted 3}]"; got != want {
		t.Errorf("processing %s, want %s", got, want)
	}
	if !q.Populated || q.InitialLeft != 1 || q.Synced {
		t.Errorf("populated/left/synced = %v/%d/%v", q.Populated, q.InitialLeft, q.Synced)
	}
	more := append(events,
		Event{Kind: QueueProcessed, Comp: "q", Left: 1},
		Event{Kind: QueueBatchPopped, Comp: "q", Keys: []string{"ns/b"}, Count: 1, Left: 0},
		Event{Kind: QueueSynced, Comp: "q"},
		Event{Kind: QueueClosed, Comp: "q"},
	)
	q = Fold(more).Queues["q"]
	if len(q.Entries) != 0 || !q.Synced || !q.Closed || fmt.Sprint(q.Processing) != "[{Added 2}]" {
		t.Errorf("after the batch pop: %+v", q)
	}
}

// TestFoldDedupKeepsNewerAfterTombstone checks the "kept newer" rule: a
// real delete replaces a tombstone.
func TestFoldDedupKeepsNewerAfterTombstone(t *testing.T) {
	q := Fold([]Event{
		{Kind: DeltaAppended, Comp: "q", Key: "k", Type: "Deleted", Obj: 1},
		{Kind: DeltaMerged, Comp: "q", Key: "k", Type: "Deleted", Obj: 2},
		{Kind: DeltaDeduped, Comp: "q", Key: "k", Reason: KeptNewer},
	}).Queues["q"]
	if got := fmt.Sprint(q.Entries); got != "[{k [{Deleted 2}]}]" {
		t.Errorf("entries %s", got)
	}
}

// TestFoldStoreEvents covers items, the resourceVersion rules and indices.
func TestFoldStoreEvents(t *testing.T) {
	cases := []struct {
		name   string
		events []Event
		want   string
	}{
		{"add sets rv", []Event{{Kind: StoreAdded, Key: "a", Obj: 1, RV: "3"}}, "items [a=1] rv 3"},
		{"keepRV leaves rv", []Event{{Kind: StoreAdded, Key: "a", Obj: 1, RV: "3"}, {Kind: StoreUpdated, Key: "a", Obj: 2, KeepRV: true}}, "items [a=2] rv 3"},
		{"delete of a missing key still moves rv", []Event{{Kind: StoreDeleted, Key: "x", RV: "9"}}, "items [] rv 9"},
		{"replace swaps all", []Event{{Kind: StoreAdded, Key: "a", Obj: 1}, {Kind: StoreReplaced, Keys: []string{"b", "c"}, Objs: []ObjRef{2, 3}, RV: "7"}}, "items [b=2 c=3] rv 7"},
		{"bookmark", []Event{{Kind: StoreBookmark, RV: "12"}}, "items [] rv 12"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for i := range c.events {
				c.events[i].Comp = "s"
			}
			st := Fold(c.events).Stores["s"]
			if got := fmt.Sprintf("items %v rv %s", sortedMap(st.Items), st.RV); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}

	st := Fold([]Event{
		{Kind: IndexerAdded, Comp: "s", Index: "ns"},
		{Kind: IndexEntryAdded, Comp: "s", Index: "ns", Value: "x", Key: "x/b"},
		{Kind: IndexEntryAdded, Comp: "s", Index: "ns", Value: "x", Key: "x/a"},
		{Kind: IndexEntryAdded, Comp: "s", Index: "ns", Value: "y", Key: "y/c"},
		{Kind: IndexEntryRemoved, Comp: "s", Index: "ns", Value: "y", Key: "y/c"},
	}).Stores["s"]
	if got := formatIndices(st.Indices); got != "ns{x:[x/a x/b] } " {
		t.Errorf("indices %q: keys must be sorted and empty sets dropped", got)
	}
	if fmt.Sprint(st.Indexers) != "[ns]" {
		t.Errorf("indexers %v", st.Indexers)
	}
}

func TestDiffReportsDifferences(t *testing.T) {
	a := Fold([]Event{{Kind: StoreAdded, Comp: "s", Key: "a", Obj: 1}})
	b := Fold([]Event{{Kind: StoreAdded, Comp: "s", Key: "a", Obj: 2}})
	if Diff(a, a) != "" {
		t.Error("a snapshot differs from itself")
	}
	if d := Diff(a, b); d == "" {
		t.Error("different items reported equal")
	}
	if d := Diff(a, NewSnapshot()); d == "" {
		t.Error("a missing store reported equal to a populated one")
	}
}
