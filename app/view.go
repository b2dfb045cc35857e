package ui

import (
	"fmt"
	"sort"

	"github.com/informerscope/informerscope/informer/trace"
)

// view is what the page shows after some steps of the demo, as text.
type view struct {
	Step  int    // operations applied so far
	Steps int    // operations in the script
	Done  string // the last operation applied, "" before the first
	Next  string // the next operation, "" after the last

	DeltaFIFO queueView
	RealFIFO  queueView
	// Store is the DeltaFIFO consumer's indexer, one "key: object" per row,
	// sorted by key.
	Store []string
}

// queueView is one queue: its entries from head to tail, HasSynced, and
// what the last Pop returned.
type queueView struct {
	Rows    []string
	Synced  bool
	LastPop string
}

// view folds the demo's trace into what the page shows. It reads nothing
// but the trace (and which pops were skipped), as every view must.
func (d *demo) view() view {
	l := labeler{objects: d.rec.Objects()}
	snap := trace.NewSnapshot()
	lastPop := map[string]string{}
	for _, e := range d.rec.Events() {
		snap.Apply(e)
		if e.Kind == trace.QueuePopped {
			// Just after the pop, Processing is exactly what Pop handed out.
			lastPop[e.Comp] = fmt.Sprintf("%s (isInInitialList=%v)",
				l.entry(e.Key, snap.Queue(e.Comp).Processing), e.Initial)
		}
	}
	v := view{Step: d.next, Steps: len(script)}
	if d.next > 0 {
		v.Done = script[d.next-1].desc
	}
	if d.next < len(script) {
		v.Next = script[d.next].desc
	}
	v.DeltaFIFO = d.queueView(l, snap, lastPop, deltaFIFOName)
	v.RealFIFO = d.queueView(l, snap, lastPop, realFIFOName)
	st := snap.Store(storeName)
	keys := make([]string, 0, len(st.Items))
	for k := range st.Items {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v.Store = append(v.Store, k+": "+l.object(st.Items[k]))
	}
	return v
}

func (d *demo) queueView(l labeler, snap *trace.Snapshot, lastPop map[string]string, name string) queueView {
	q := snap.Queue(name)
	qv := queueView{Synced: q.Synced, LastPop: lastPop[name]}
	for _, ent := range q.Entries {
		qv.Rows = append(qv.Rows, l.entry(ent.Key, ent.Deltas))
	}
	if d.blocked[name] {
		qv.LastPop = "not called: the queue is empty, so Pop would wait for a producer"
	}
	return qv
}
