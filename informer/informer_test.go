package informer

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// TestPlainInformerCallsItsHandlerAndFillsItsStore runs NewInformerWithOptions
// in each queue mode on the deterministic runtime.
func TestPlainInformerCallsItsHandlerAndFillsItsStore(t *testing.T) {
	for _, gates := range []FeatureGates{{}, {DisableAtomicFIFO: true}, {DisableInOrderInformers: true}} {
		rt := sim.NewDeterministic(sim.DeterministicOptions{Seed: 2})
		lw := newScriptedLW(rt)
		lw.lists = []listReply{{list: lwList("10", obj("a", "1"), obj("b", "2"))}}
		lw.watches = []watchScript{{err: badRequest()}, {steps: spaced(evModified(obj("a", "11")), evDeleted(obj("b", "12")))}}
		h := &recordingHandler{}
		rec := trace.NewRecorder()
		store, ctrl := NewInformerWithOptions(InformerOptions{
			ListerWatcher: lw, ObjectType: &metav1.PartialObjectMetadata{}, Handler: h,
			Indexers: Indexers{NamespaceIndex: MetaNamespaceIndexFunc}, Runtime: rt, Recorder: rec, Gates: gates,
		})
		stop := sim.NewChan[struct{}](rt, "stop", 0)
		rt.Go("controller", func() { ctrl.RunWithStop(stop) })
		if err := rt.RunUntil(func() bool { return rt.Since(sim.Epoch) > 5*time.Second }, 100000); err != nil && err != sim.ErrIdle {
			t.Fatal(err)
		}
		if got := strings.Join(h.calls, " "); got != "OnAdd(a@1,true) OnAdd(b@2,true) OnUpdate(a@1->a@11) OnDelete(b@12)" {
			t.Fatalf("%+v: calls %q", gates, got)
		}
		if keys, _ := store.(Indexer).IndexKeys(NamespaceIndex, "ns"); strings.Join(keys, ",") != "ns/a" || !ctrl.HasSynced() {
			t.Fatalf("%+v: indexed %v, synced %v", gates, keys, ctrl.HasSynced())
		}
		if rv := ctrl.LastSyncResourceVersion(); rv != "12" {
			t.Fatalf("%+v: rv %q", gates, rv)
		}
		stop.Close()
		for rt.Step() == nil {
		}
		for _, g := range rt.Goroutines() {
			if g.State != sim.Done {
				t.Fatalf("%+v: %s is %s", gates, g.Name, g.State)
			}
		}
	}
}
