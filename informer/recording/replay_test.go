package recording_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/informerscope/informerscope/informer"
	"github.com/informerscope/informerscope/informer/mock"
	"github.com/informerscope/informerscope/informer/recording"
	"github.com/informerscope/informerscope/informer/sim"
)

// calls records handler calls; safe on real goroutines too.
type calls struct {
	mu sync.Mutex
	s  []string
}

func name(o any) string {
	if t, ok := o.(informer.DeletedFinalStateUnknown); ok {
		return "tombstone " + name(t.Obj)
	}
	u := o.(*unstructured.Unstructured)
	return fmt.Sprintf("%s@%s", u.GetName(), u.GetResourceVersion())
}

func (c *calls) add(s string) { c.mu.Lock(); c.s = append(c.s, s); c.mu.Unlock() }
func (c *calls) OnAdd(o any, initial bool) {
	c.add(fmt.Sprintf("OnAdd(%s,%v)", name(o), initial))
}
func (c *calls) OnUpdate(old, o any) { c.add(fmt.Sprintf("OnUpdate(%s->%s)", name(old), name(o))) }
func (c *calls) OnDelete(o any)      { c.add(fmt.Sprintf("OnDelete(%s)", name(o))) }
func (c *calls) get() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.s)
}

func storeOf(inf informer.SharedIndexInformer) []string {
	var got []string
	for _, o := range inf.GetIndexer().List() {
		u := o.(*unstructured.Unstructured)
		data, _, _ := unstructured.NestedStringMap(u.Object, "data")
		got = append(got, fmt.Sprintf("%s@%s%v", u.GetName(), u.GetResourceVersion(), data))
	}
	slices.Sort(got)
	return got
}

// session drives a mock server through writes and faults while an informer
// watches it through a Recorder: wait lets the informer catch up.
type session struct {
	t    *testing.T
	cms  *mock.ResourceClient
	srv  *mock.Server
	wait func()
}

func (s *session) create(n string) {
	o := &unstructured.Unstructured{Object: map[string]any{"data": map[string]any{"k": "v"}}}
	o.SetName(n)
	if _, err := s.cms.Create(context.Background(), o, metav1.CreateOptions{}); err != nil {
		s.t.Fatal(err)
	}
}

func (s *session) update(n, v string) {
	o, err := s.cms.Get(context.Background(), n, metav1.GetOptions{})
	if err != nil {
		s.t.Fatal(err)
	}
	o.Object["data"] = map[string]any{"k": v}
	if _, err := s.cms.Update(context.Background(), o, metav1.UpdateOptions{}); err != nil {
		s.t.Fatal(err)
	}
}

func (s *session) remove(n string) {
	if err := s.cms.Delete(context.Background(), n, metav1.DeleteOptions{}); err != nil {
		s.t.Fatal(err)
	}
}

// run is the scripted session: writes, a dropped connection whose rewatch
// is too old (a relist), a clean close at a watch's end, more writes.
func (s *session) run() {
	s.wait()
	s.create("a")
	s.update("pre-0", "changed")
	s.remove("pre-1")
	s.wait()
	s.srv.ExpireNextWatch()
	s.srv.DropConnections()
	s.create("b")
	s.remove("pre-2")
	s.wait()
	s.srv.CloseWatches()
	s.update("a", "again")
	s.wait()
}

// A session recorded against the simulated server, replayed from its file
// on a fresh deterministic runtime (another seed), gives the informer the
// same handler calls and the same store; the replay makes exactly the
// recorded calls. Recorded both on the deterministic runtime and natively
// (real goroutines and time, as a live session is).
func TestReplayGivesTheSameInformer(t *testing.T) {
	for _, c := range []struct {
		name   string
		gates  informer.FeatureGates
		native bool
	}{
		{"streaming lists, deterministic", informer.FeatureGates{}, false},
		{"list and watch, DeltaFIFO, deterministic", informer.FeatureGates{DisableWatchListClient: true, DisableInOrderInformers: true}, false},
		{"streaming lists, native", informer.FeatureGates{}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var rt sim.Runtime = sim.Native()
			var det *sim.Deterministic
			if !c.native {
				det = sim.NewDeterministic(sim.DeterministicOptions{Seed: 3})
				defer det.Shutdown()
				rt = det
			}
			srv := mock.NewServer(mock.Options{Runtime: rt, BookmarkInterval: 2 * time.Second})
			s := &session{t: t, srv: srv, cms: srv.Resource(mock.ConfigMaps.Resource).Namespace("ns")}
			for i := range 3 {
				s.create(fmt.Sprintf("pre-%d", i))
			}
			rec := recording.NewRecorder(rt, srv.ListerWatcher(mock.ConfigMaps.Resource, "ns"), "configmaps in ns, simulated")
			inf := informer.NewSharedIndexInformerWithOptions(rec, &unstructured.Unstructured{},
				informer.SharedIndexInformerOptions{Runtime: rt, Gates: c.gates})
			live := &calls{}
			if _, err := inf.AddEventHandler(live); err != nil {
				t.Fatal(err)
			}
			if c.native {
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan struct{})
				go func() { inf.RunWithContext(ctx); close(done) }()
				settled := func() {
					// Until the store equals the server and the
					// handler is quiet.
					deadline := time.Now().Add(15 * time.Second)
					for prev := -1; ; time.Sleep(300 * time.Millisecond) {
						l, _ := s.cms.List(context.Background(), metav1.ListOptions{})
						var server []string
						for _, it := range l.Items {
							server = append(server, it.GetName()+"@"+it.GetResourceVersion())
						}
						var store []string
						for _, k := range storeOf(inf) {
							store = append(store, k[:strings.Index(k, "map[")])
						}
						n := len(live.get())
						if slices.Equal(server, store) && n == prev && inf.HasSynced() {
							return
						}
						prev = n
						if time.Now().After(deadline) {
							t.Fatal("the informer did not settle")
						}
					}
				}
				s.wait = settled
				s.run()
				cancel()
				<-done
			} else {
				stop := sim.NewChan[struct{}](det, "test stop", 0)
				det.Go("informer", func() { inf.RunWithStop(stop) })
				s.wait = func() {
					end := det.Since(sim.Epoch) + 5*time.Second
					if err := det.RunUntil(func() bool { return det.Since(sim.Epoch) >= end }, 1_000_000); err != nil && err != sim.ErrIdle {
						t.Fatal(err)
					}
				}
				s.run()
			}
			wantCalls, wantStore := live.get(), storeOf(inf)

			var file bytes.Buffer
			if err := rec.Recording().Encode(&file); err != nil {
				t.Fatal(err)
			}
			got, err := recording.Decode(&file)
			if err != nil {
				t.Fatal(err)
			}
			relists := 0
			for _, call := range got.Calls {
				if call.Verb == recording.VerbList || call.Options.SendInitialEvents != nil {
					relists++
				}
			}
			if relists < 2 {
				t.Fatalf("the session should have listed again after the 410; calls: %d, lists: %d", len(got.Calls), relists)
			}

			rt2 := sim.NewDeterministic(sim.DeterministicOptions{Seed: 99})
			defer rt2.Shutdown()
			rp := recording.NewReplayer(rt2, got)
			inf2 := informer.NewSharedIndexInformerWithOptions(rp, &unstructured.Unstructured{},
				informer.SharedIndexInformerOptions{Runtime: rt2, Gates: c.gates})
			replayed := &calls{}
			if _, err := inf2.AddEventHandler(replayed); err != nil {
				t.Fatal(err)
			}
			stop2 := sim.NewChan[struct{}](rt2, "test stop", 0)
			rt2.Go("informer", func() { inf2.RunWithStop(stop2) })
			err = rt2.RunUntil(func() bool {
				return rp.Served() == len(got.Calls) && len(replayed.get()) >= len(wantCalls)
			}, 5_000_000)
			if err != nil && err != sim.ErrIdle {
				t.Fatal(err)
			}
			// Let anything still due run, then compare.
			end := rt2.Since(sim.Epoch) + time.Minute
			if err := rt2.RunUntil(func() bool { return rt2.Since(sim.Epoch) >= end }, 1_000_000); err != nil && err != sim.ErrIdle {
				t.Fatal(err)
			}
			if d := rp.Diverged(); len(d) > 0 {
				t.Errorf("the replay diverged:\n  %s", strings.Join(d, "\n  "))
			}
			if rp.Served() != len(got.Calls) {
				t.Errorf("served %d of %d recorded calls", rp.Served(), len(got.Calls))
			}
			if g := replayed.get(); strings.Join(g, "\n") != strings.Join(wantCalls, "\n") {
				t.Errorf("handler calls differ\nreplayed:\n  %s\nrecorded:\n  %s", strings.Join(g, "\n  "), strings.Join(wantCalls, "\n  "))
			}
			if g := storeOf(inf2); strings.Join(g, " ") != strings.Join(wantStore, " ") {
				t.Errorf("store %v, recorded session's %v", g, wantStore)
			}
		})
	}
}
