package informer

// The trace is only useful if folding it gives back exactly what the
// components hold. These tests fold the events of many random runs as they
// are emitted and compare, at every event, with the components' own
// snapshots; then they check that the trace file round trip and a re-run
// give the same trace.

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/informerscope/informerscope/informer/trace"
)

// foldChecker folds events as they are recorded and compares the fold with
// snapshot() after each one.
type foldChecker struct {
	t        *testing.T
	fold     *trace.Snapshot
	snapshot func() *trace.Snapshot
	events   int
	seen     map[trace.Kind]bool
	where    func() string
}

func newFoldChecker(t *testing.T, rec *trace.Recorder, seen map[trace.Kind]bool, where func() string) *foldChecker {
	c := &foldChecker{t: t, fold: trace.NewSnapshot(), seen: seen, where: where,
		snapshot: func() *trace.Snapshot { return nil }}
	rec.OnEvent(func(e trace.Event) {
		c.fold.Apply(e)
		c.events++
		c.seen[e.Kind] = true
		// snapshot is nil until the components exist.
		snap := c.snapshot()
		if snap == nil {
			return
		}
		if d := trace.Diff(c.fold, snap); d != "" {
			t.Fatalf("%s: after event %d %+v the fold differs from the components: %s", c.where(), c.events, e, d)
		}
	})
	return c
}

func TestFoldEqualsQueueAndStoreAtEveryEvent(t *testing.T) {
	runs := 60
	if testing.Short() {
		runs = 10
	}
	seen := map[trace.Kind]bool{}
	for m := range allQueueModes {
		rng := rand.New(rand.NewPCG(uint64(m), 99))
		for run := range runs {
			data := make([]byte, 2+rng.IntN(80))
			for j := range data {
				data[j] = byte(rng.UintN(256))
			}
			data[0] = byte(m)
			_, cmds := genScript(data)

			rec := trace.NewRecorder()
			var side *ourSide
			var cmd string
			c := newFoldChecker(t, rec, seen, func() string { return fmt.Sprintf("mode %d run %d command %q", m, run, cmd) })
			c.snapshot = func() *trace.Snapshot {
				if side == nil || side.q == nil {
					return nil
				}
				return side.traceSnapshot()
			}
			r := &scriptRun{pool: objectPool{}, newSide: func(m queueMode) queueSide {
				side = newTracedSide(m, rec)
				return side
			}}
			for _, cmd = range cmds {
				if _, err := r.exec(cmd); err != nil {
					t.Fatal(err)
				}
			}
			if c.events == 0 {
				t.Fatalf("mode %d run %d recorded no events", m, run)
			}
			checkTraceRoundTrip(t, rec, side.traceSnapshot())
		}
	}
	// Store-only runs reach what queue scripts do not: transactions and
	// AddIndexers on a populated store.
	for run := range runs {
		rec := trace.NewRecorder()
		var store Indexer
		c := newFoldChecker(t, rec, seen, func() string { return fmt.Sprintf("store run %d", run) })
		c.snapshot = func() *trace.Snapshot {
			if store == nil {
				return nil
			}
			s := trace.NewSnapshot()
			s.Stores["store"] = store.(*cache).traceState()
			return s
		}
		store = NewIndexer(MetaNamespaceKeyFunc, Indexers{"app": labelIndex("app"), "labels": allLabels}, WithProbe(rec.Probe("store")))
		randomStoreOps(rand.New(rand.NewPCG(uint64(run), 3)), store, 40)
		checkTraceRoundTrip(t, rec, c.snapshot())
	}
	for _, k := range trace.Kinds() {
		if k.Area() == "queue" && !seen[k] {
			t.Errorf("no run emitted %s: the random runs do not cover the whole vocabulary", k)
		}
	}
}

// randomStoreOps applies n random writes to store.
func randomStoreOps(rng *rand.Rand, store Indexer, n int) {
	rv := 0
	newObj := func() *metav1.PartialObjectMetadata {
		rv++
		o := objLabels([]string{"a", "b", "c"}[rng.IntN(3)], fmt.Sprint(rv), map[string]string{})
		if rng.IntN(3) > 0 {
			o.Labels["app"] = []string{"x", "y"}[rng.IntN(2)]
		}
		if rng.IntN(2) == 0 {
			o.Labels["tier"] = []string{"fe", "be"}[rng.IntN(2)]
		}
		return o
	}
	for range n {
		switch rng.IntN(7) {
		case 0:
			store.Add(newObj())
		case 1:
			store.Update(newObj())
		case 2:
			store.Delete(newObj())
		case 3:
			var list []any
			for range rng.IntN(4) {
				list = append(list, newObj())
			}
			store.Replace(list, fmt.Sprint(rv))
		case 4:
			var txns []Transaction
			for range 1 + rng.IntN(3) {
				typ := []TransactionType{TransactionTypeAdd, TransactionTypeUpdate, TransactionTypeDelete}[rng.IntN(3)]
				txns = append(txns, Transaction{Object: newObj(), Type: typ})
			}
			store.(TransactionStore).Transaction(txns...)
		case 5:
			store.Bookmark(fmt.Sprint(rv))
		case 6:
			store.AddIndexers(Indexers{"tier": labelIndex("tier")})
		}
	}
}

// checkTraceRoundTrip encodes the recorded trace, decodes it, and checks
// that its fold is the final state.
func checkTraceRoundTrip(t *testing.T, rec *trace.Recorder, final *trace.Snapshot) {
	t.Helper()
	var buf bytes.Buffer
	if err := rec.Trace().Encode(&buf); err != nil {
		t.Fatal(err)
	}
	decoded, err := trace.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if d := trace.Diff(trace.Fold(decoded.Events), final); d != "" {
		t.Fatalf("the decoded trace folds to another state: %s", d)
	}
}

// TestTraceIsDeterministic runs the same scripts twice and expects the very
// same trace file: a trace depends on its inputs only, never on map order.
func TestTraceIsDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for run := range 40 {
		data := make([]byte, 60)
		for j := range data {
			data[j] = byte(rng.UintN(256))
		}
		data[0] = byte(run % len(allQueueModes))
		_, cmds := genScript(data)
		record := func() []byte {
			rec := trace.NewRecorder()
			r := &scriptRun{pool: objectPool{}, newSide: func(m queueMode) queueSide { return newTracedSide(m, rec) }}
			for _, cmd := range cmds {
				if _, err := r.exec(cmd); err != nil {
					t.Fatal(err)
				}
			}
			var buf bytes.Buffer
			if err := rec.Trace().Encode(&buf); err != nil {
				t.Fatal(err)
			}
			return buf.Bytes()
		}
		if a, b := record(), record(); !bytes.Equal(a, b) {
			t.Fatalf("run %d: two runs of the same script gave different traces (%d and %d bytes)", run, len(a), len(b))
		}
	}
}
