package informer

// A shared informer on the deterministic runtime against the mock
// kube-apiserver: through writes, a relist forced by compaction, and a
// restart of the server, its indexer must equal the server's list after
// each phase.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/informerscope/informerscope/informer/mock"
	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

func TestInformerAgainstTheMockServer(t *testing.T) {
	for _, mode := range []struct {
		name  string
		gates FeatureGates
	}{
		{"streaming lists, RealFIFO", FeatureGates{}},
		{"list and watch, RealFIFO", FeatureGates{DisableWatchListClient: true}},
		{"list and watch, DeltaFIFO", FeatureGates{DisableWatchListClient: true, DisableInOrderInformers: true}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			rt := sim.NewDeterministic(sim.DeterministicOptions{Seed: 7})
			defer rt.Shutdown()
			rec := trace.NewRecorder()
			fold := trace.NewSnapshot()
			srv := mock.NewServer(mock.Options{Runtime: rt})
			cms := srv.Resource(mock.ConfigMaps.Resource).Namespace("ns")
			bg := context.Background()
			write := func(what string, err error) {
				t.Helper()
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
			}
			create := func(name string) {
				t.Helper()
				o := &unstructured.Unstructured{Object: map[string]any{"data": map[string]any{"k": "v"}}}
				o.SetName(name)
				_, err := cms.Create(bg, o, metav1.CreateOptions{})
				write("create "+name, err)
			}
			update := func(name, value string) {
				t.Helper()
				o, err := cms.Get(bg, name, metav1.GetOptions{})
				write("get "+name, err)
				o.Object["data"] = map[string]any{"k": value}
				_, err = cms.Update(bg, o, metav1.UpdateOptions{})
				write("update "+name, err)
			}
			remove := func(name string) { t.Helper(); write("delete "+name, cms.Delete(bg, name, metav1.DeleteOptions{})) }

			for i := range 3 {
				create(fmt.Sprintf("pre-%d", i))
			}
			var inf *sharedIndexInformer
			var mismatch string
			rec.OnEvent(func(e trace.Event) {
				fold.Apply(e)
				if inf == nil || mismatch != "" {
					return
				}
				snap := inf.traceSnapshot()
				snap.Goroutines = traceLanes(rt)
				if d := trace.Diff(fold, snap); d != "" {
					mismatch = fmt.Sprintf("after %s %+v: %s", e.Kind, e, d)
				}
			})
			TraceRuntime(rt, rec.Probe("runtime"))
			inf = NewSharedIndexInformerWithOptions(srv.ListerWatcher(mock.ConfigMaps.Resource, "ns"), &unstructured.Unstructured{},
				SharedIndexInformerOptions{Runtime: rt, Recorder: rec, Gates: mode.gates}).(*sharedIndexInformer)
			stop := sim.NewChan[struct{}](rt, "test stop", 0)
			rt.Go("informer", func() { inf.RunWithStop(stop) })

			at := func() time.Duration { return rt.Since(sim.Epoch) }
			runFor := func(d time.Duration) {
				t.Helper()
				end := at() + d
				if err := rt.RunUntil(func() bool { return at() >= end }, 2_000_000); err != nil && err != sim.ErrIdle {
					t.Fatalf("at %v: %v", at(), err)
				}
				if mismatch != "" {
					t.Fatalf("the fold differs from the informer %s", mismatch)
				}
			}
			cycles := func() int {
				n := 0
				for _, e := range rec.Events() {
					if e.Kind == trace.ListAndWatchStarted {
						n++
					}
				}
				return n
			}
			equalsServer := func(phase string) {
				t.Helper()
				l, err := cms.List(bg, metav1.ListOptions{})
				if err != nil {
					t.Fatal(err)
				}
				var want, got []string
				for _, it := range l.Items {
					want = append(want, it.GetName()+"@"+it.GetResourceVersion())
				}
				for _, o := range inf.GetIndexer().List() {
					u := o.(*unstructured.Unstructured)
					got = append(got, u.GetName()+"@"+u.GetResourceVersion())
				}
				slices.Sort(got)
				if strings.Join(got, " ") != strings.Join(want, " ") {
					t.Errorf("after %s, at %v: indexer %v, server %v", phase, at(), got, want)
				}
				if !inf.HasSynced() {
					t.Errorf("after %s: not synced", phase)
				}
			}

			runFor(5 * time.Second)
			equalsServer("the initial sync")

			create("a")
			update("pre-0", "changed")
			remove("pre-1")
			runFor(5 * time.Second)
			equalsServer("create, update, delete")

			// Keep the next events from the informer, compact past them and
			// break the watch: the rewatch from the informer's last
			// resourceVersion is too old, so it must relist.
			before := cycles()
			srv.DelayEvents(time.Minute)
			create("b")
			update("a", "again")
			remove("pre-2")
			srv.Compact()
			srv.DropConnections()
			srv.DelayEvents(0)
			runFor(30 * time.Second)
			if cycles() == before {
				t.Errorf("no new list-and-watch cycle after the compaction")
			}
			equalsServer("a relist forced by compaction")
			expired := slices.ContainsFunc(rec.Events(), func(e trace.Event) bool {
				return e.Kind == trace.WatchEnded && strings.Contains(e.Value, "too old resource version")
			})
			if !expired {
				t.Error("the rewatch after the compaction was not expired")
			}

			// A restart: requests are refused for 10 s, then the server is
			// back with an empty window.
			srv.Restart(10 * time.Second)
			runFor(time.Second)
			if _, err := cms.List(bg, metav1.ListOptions{}); err == nil {
				t.Fatal("the server answers while down")
			}
			runFor(10 * time.Second)
			create("c")
			update("b", "after restart")
			runFor(60 * time.Second)
			equalsServer("a restart")
			refused := slices.ContainsFunc(rec.Events(), func(e trace.Event) bool {
				return strings.Contains(e.Reason, "connection refused") || strings.Contains(e.Value, "connection refused")
			})
			if !refused {
				t.Error("the informer never met the restart's refused connections")
			}

			stop.Close()
			for {
				err := rt.Step()
				if err == sim.ErrIdle {
					break
				}
				if err != nil {
					t.Fatalf("after stop: %v", err)
				}
			}
			for _, g := range rt.Goroutines() {
				if g.State != sim.Done {
					t.Errorf("goroutine %d (%s) is %s (%s) after stop", g.ID, g.Name, g.State, g.Waiting)
				}
			}
		})
	}
}
