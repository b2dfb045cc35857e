package informer

import (
	"fmt"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// informerRig runs a shared informer on a deterministic runtime against a
// scriptedLW, and checks at every trace event that the fold equals the
// informer's components.
type informerRig struct {
	t        *testing.T
	rt       *sim.Deterministic
	rec      *trace.Recorder
	lw       *scriptedLW
	inf      *sharedIndexInformer
	stop     sim.Chan[struct{}]
	fold     *trace.Snapshot
	mismatch string
}

type informerRigOptions struct {
	seed    uint64
	replay  []uint64 // decisions of an earlier run to replay
	gates   FeatureGates
	resync  time.Duration
	mutants bool // detect mutations
}

func newInformerRig(t *testing.T, o informerRigOptions) *informerRig {
	rt := sim.NewDeterministic(sim.DeterministicOptions{Seed: o.seed, Replay: o.replay})
	g := &informerRig{t: t, rt: rt, rec: trace.NewRecorder(), lw: newScriptedLW(rt), fold: trace.NewSnapshot(),
		stop: sim.NewChan[struct{}](rt, "test stop", 0)}
	g.rec.OnEvent(func(e trace.Event) {
		g.fold.Apply(e)
		if g.inf == nil || g.mismatch != "" {
			return
		}
		snap := g.inf.traceSnapshot()
		snap.Goroutines = traceLanes(rt)
		if d := trace.Diff(g.fold, snap); d != "" {
			g.mismatch = fmt.Sprintf("at %v after %s %+v: %s", rt.Since(sim.Epoch), e.Kind, e, d)
		}
	})
	TraceRuntime(rt, g.rec.Probe("runtime"))
	g.inf = NewSharedIndexInformerWithOptions(g.lw, &metav1.PartialObjectMetadata{}, SharedIndexInformerOptions{
		ResyncPeriod: o.resync, Runtime: rt, Recorder: g.rec, Gates: o.gates, DetectMutations: o.mutants,
	}).(*sharedIndexInformer)
	return g
}

// handler adds a recording handler.
func (g *informerRig) handler() (*recordingHandler, ResourceEventHandlerRegistration) {
	h := &recordingHandler{}
	reg, err := g.inf.AddEventHandler(h)
	if err != nil {
		g.t.Fatal(err)
	}
	return h, reg
}

func (g *informerRig) start() { g.rt.Go("informer", func() { g.inf.RunWithStop(g.stop) }) }

func (g *informerRig) at() time.Duration { return g.rt.Since(sim.Epoch) }

// runFor steps until d more virtual time has passed or nothing can run.
func (g *informerRig) runFor(d time.Duration) {
	g.t.Helper()
	end := g.at() + d
	if err := g.rt.RunUntil(func() bool { return g.at() >= end }, 2_000_000); err != nil && err != sim.ErrIdle {
		g.t.Fatalf("at %v: %v", g.at(), err)
	}
	g.check()
}

func (g *informerRig) check() {
	g.t.Helper()
	if g.mismatch != "" {
		g.t.Fatalf("the fold differs from the informer %s", g.mismatch)
	}
}

// stopAndDrain stops the informer and checks that none of its goroutines
// outlives it.
func (g *informerRig) stopAndDrain() {
	g.t.Helper()
	g.stop.Close()
	for {
		err := g.rt.Step()
		if err == sim.ErrIdle {
			break
		}
		if err != nil {
			g.t.Fatalf("after stop: %v", err)
		}
	}
	g.check()
	for _, info := range g.rt.Goroutines() {
		if info.State != sim.Done {
			g.t.Errorf("goroutine %d (%s) is %s (%s) after stop", info.ID, info.Name, info.State, info.Waiting)
		}
	}
	if !g.inf.IsStopped() {
		g.t.Error("IsStopped is false after stop")
	}
}

func badRequest() error {
	return apierrors.NewBadRequest("sendInitialEvents is not supported")
}

// spaced plays events one second apart, so each is processed before the
// next arrives.
func spaced(events ...watch.Event) []watchStep {
	steps := make([]watchStep, len(events))
	for i, e := range events {
		steps[i] = watchStep{after: time.Second, event: e}
	}
	return steps
}

func joined(h *recordingHandler) string { return strings.Join(h.calls, " ") }

// TestInformerI1InitialListReachesHandlersAsInitialAdds is the spec's I1.
func TestInformerI1InitialListReachesHandlersAsInitialAdds(t *testing.T) {
	for _, mode := range []struct {
		name  string
		gates FeatureGates
	}{{"realfifo", FeatureGates{}}, {"deltafifo", FeatureGates{DisableInOrderInformers: true}}} {
		t.Run(mode.name, func(t *testing.T) {
			g := newInformerRig(t, informerRigOptions{gates: mode.gates})
			g.lw.lists = []listReply{{list: lwList("10", obj("a", "1"), obj("b", "2"))}}
			g.lw.watches = []watchScript{{err: badRequest()}}
			h, reg := g.handler()
			if reg.HasSynced() || g.inf.HasSynced() {
				t.Fatal("synced before Run")
			}
			g.start()
			g.runFor(time.Second)
			if got := joined(h); got != "OnAdd(a@1,true) OnAdd(b@2,true)" {
				t.Fatalf("calls %q", got)
			}
			if !g.inf.HasSynced() || !reg.HasSynced() {
				t.Fatalf("informer synced %v, registration synced %v", g.inf.HasSynced(), reg.HasSynced())
			}
			if rv := g.inf.LastSyncResourceVersion(); rv != "10" {
				t.Fatalf("LastSyncResourceVersion %q", rv)
			}
			want := `WATCH rv="" sendInitialEvents=true rvMatch=NotOlderThan|LIST rv="0" limit=500|WATCH rv="10"`
			if got := strings.Join(g.lw.log(), "|"); got != want {
				t.Fatalf("calls to the server:\n%s\nwant\n%s", got, want)
			}
			g.stopAndDrain()
		})
	}
}

// TestInformerI2WatchEventsInOrder is the spec's I2, with events spaced so
// that DeltaFIFO pops each before the next arrives.
func TestInformerI2WatchEventsInOrder(t *testing.T) {
	events := spaced(evAdded(obj("c", "11")), evModified(obj("a", "12")), evDeleted(obj("b", "13")),
		evModified(obj("x", "14")), evDeleted(obj("y", "15")), evAdded(obj("a", "16")))
	for _, mode := range []struct {
		name, want string
		gates      FeatureGates
	}{
		// RealFIFO passes on the delete of y, which it never had.
		{"realfifo", "OnAdd(c@11,false) OnUpdate(a@1->a@12) OnDelete(b@13) OnAdd(x@14,false) OnDelete(y@15) OnUpdate(a@12->a@16)", FeatureGates{}},
		// DeltaFIFO drops it: neither queued nor known.
		{"deltafifo", "OnAdd(c@11,false) OnUpdate(a@1->a@12) OnDelete(b@13) OnAdd(x@14,false) OnUpdate(a@12->a@16)", FeatureGates{DisableInOrderInformers: true}},
		{"realfifo-nonatomic", "OnAdd(c@11,false) OnUpdate(a@1->a@12) OnDelete(b@13) OnAdd(x@14,false) OnDelete(y@15) OnUpdate(a@12->a@16)", FeatureGates{DisableAtomicFIFO: true}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			g := newInformerRig(t, informerRigOptions{gates: mode.gates, seed: 7})
			g.lw.lists = []listReply{{list: lwList("10", obj("a", "1"), obj("b", "2"))}}
			g.lw.watches = []watchScript{{err: badRequest()}, {steps: events}}
			h, _ := g.handler()
			g.start()
			g.runFor(10 * time.Second)
			if got := strings.TrimPrefix(joined(h), "OnAdd(a@1,true) OnAdd(b@2,true) "); got != mode.want {
				t.Fatalf("calls\n%s\nwant\n%s", got, mode.want)
			}
			if keys := strings.Join(g.inf.GetStore().ListKeys(), " "); keys != "ns/a ns/c ns/x" {
				t.Fatalf("store keys %q", keys)
			}
			if rv := g.inf.LastSyncResourceVersion(); rv != "16" {
				t.Fatalf("LastSyncResourceVersion %q", rv)
			}
			g.stopAndDrain()
		})
	}
}

// TestInformerI3RelistAfterExpired is the spec's I3: after a 410 the
// informer relists at the last resourceVersion; the atomic relist delivers
// the deletion first, then unchanged objects as updates (every listener is
// syncing when the informer does not resync), then the new one.
func TestInformerI3RelistAfterExpired(t *testing.T) {
	for _, mode := range []struct {
		name, want string
		gates      FeatureGates
	}{
		{"realfifo", "OnDelete(DFSU{ns/x,x@14}) OnUpdate(a@16->a@16) OnUpdate(c@11->c@11) OnAdd(z@20,false)", FeatureGates{}},
		{"realfifo-nonatomic", "OnDelete(DFSU{ns/x,x@14}) OnUpdate(a@16->a@16) OnUpdate(c@11->c@11) OnAdd(z@20,false)", FeatureGates{DisableAtomicFIFO: true}},
		// DeltaFIFO: queue order, the tombstone last.
		{"deltafifo", "OnUpdate(a@16->a@16) OnUpdate(c@11->c@11) OnAdd(z@20,false) OnDelete(DFSU{ns/x,x@14})", FeatureGates{DisableInOrderInformers: true}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			g := newInformerRig(t, informerRigOptions{gates: mode.gates, seed: 3})
			a16, c11, x14 := obj("a", "16"), obj("c", "11"), obj("x", "14")
			g.lw.lists = []listReply{
				{list: lwList("10", obj("a", "1"))},
				{list: lwList("20", a16, c11, obj("z", "20"))},
			}
			g.lw.watches = []watchScript{
				{err: badRequest()},
				{steps: spaced(evModified(a16), evAdded(c11), evAdded(x14), evError(expiredErr()))},
				{err: badRequest()},
			}
			h, _ := g.handler()
			g.start()
			g.runFor(time.Minute)
			calls := joined(h)
			i := strings.Index(calls, "OnAdd(x@14,false) ")
			if i < 0 {
				t.Fatalf("calls %q", calls)
			}
			if got := calls[i+len("OnAdd(x@14,false) "):]; got != mode.want {
				t.Fatalf("after the relist\n%s\nwant\n%s", got, mode.want)
			}
			log := g.lw.log()
			if got := log[len(log)-2]; got != `LIST rv="14" limit=0` { // the last resourceVersion seen
				t.Fatalf("the relist was %s; calls %v", got, log)
			}
			g.stopAndDrain()
		})
	}
}

// TestInformerI4LateHandlerGetsTheCacheAsInitialAdds is the spec's I4.
func TestInformerI4LateHandlerGetsTheCacheAsInitialAdds(t *testing.T) {
	g := newInformerRig(t, informerRigOptions{seed: 11})
	g.lw.lists = []listReply{{list: lwList("10", obj("a", "16"), obj("c", "11"), obj("z", "20"))}}
	g.lw.watches = []watchScript{{err: badRequest()}}
	g.handler()
	g.start()
	g.runFor(time.Second)
	var h2 *recordingHandler
	var reg2 ResourceEventHandlerRegistration
	syncedAtOnce := true
	// A running informer sends to the new listener: add it from a goroutine
	// of the runtime.
	g.rt.Go("late handler", func() {
		h2 = &recordingHandler{}
		reg2, _ = g.inf.AddEventHandler(h2)
		syncedAtOnce = reg2.HasSynced()
	})
	g.runFor(time.Second)
	if syncedAtOnce {
		t.Fatal("the late registration was synced before handling its adds")
	}
	if got := joined(h2); got != "OnAdd(a@16,true) OnAdd(c@11,true) OnAdd(z@20,true)" {
		t.Fatalf("late handler calls %q", got)
	}
	if !reg2.HasSynced() {
		t.Fatal("the late registration never synced")
	}
	// I6: once removed, it hears nothing more.
	g.lw.watches = nil
	g.rt.Go("remove", func() {
		if err := g.inf.RemoveEventHandler(reg2); err != nil {
			panic(err)
		}
	})
	g.runFor(time.Second)
	g.stopAndDrain()
}

// TestInformerI7I9SettersAfterStartAndStop is the spec's I7 and I9.
func TestInformerI7I9SettersAfterStartAndStop(t *testing.T) {
	g := newInformerRig(t, informerRigOptions{})
	g.lw.lists = []listReply{{list: lwList("10", obj("a", "1"))}}
	g.lw.watches = []watchScript{{err: badRequest()}}
	g.start()
	g.runFor(time.Second)
	if err := g.inf.SetTransform(func(o any) (any, error) { return o, nil }); err == nil || err.Error() != "informer has already started" {
		t.Fatalf("SetTransform after start: %v", err)
	}
	if err := g.inf.SetWatchErrorHandler(func(*Reflector, error) {}); err == nil {
		t.Fatal("SetWatchErrorHandler after start succeeded")
	}
	if err := g.inf.AddIndexers(Indexers{"byName": func(o any) ([]string, error) { return []string{o.(metav1.Object).GetName()}, nil }}); err != nil {
		t.Fatalf("AddIndexers while running: %v", err)
	}
	if keys, _ := g.inf.GetIndexer().IndexKeys("byName", "a"); strings.Join(keys, ",") != "ns/a" {
		t.Fatalf("the new index holds %v", keys)
	}
	g.stopAndDrain()
	if _, err := g.inf.AddEventHandler(&recordingHandler{}); err == nil {
		t.Fatal("AddEventHandler after stop succeeded")
	}
	if err := g.inf.AddIndexers(Indexers{"x": MetaNamespaceIndexFunc}); err == nil {
		t.Fatal("AddIndexers after stop succeeded")
	}
}

// TestInformerMutationDetectorStopsTheRun is the spec's M1, without the
// panic: a handler that modifies a cached object stops the informer.
func TestInformerMutationDetectorStopsTheRun(t *testing.T) {
	g := newInformerRig(t, informerRigOptions{mutants: true})
	g.lw.lists = []listReply{{list: lwList("10", obj("a", "1"))}}
	g.lw.watches = []watchScript{{err: badRequest()}}
	g.inf.AddEventHandler(ResourceEventHandlerFuncs{AddFunc: func(o any) {
		o.(*metav1.PartialObjectMetadata).Labels = map[string]string{"touched": "yes"}
	}})
	g.start()
	g.runFor(5 * time.Second)
	if !g.inf.IsStopped() {
		t.Fatal("the informer still runs after a cache mutation")
	}
	var found bool
	for _, e := range g.rec.Events() {
		found = found || (e.Kind == trace.MutationDetected && strings.Contains(e.Reason, "touched"))
	}
	if !found {
		t.Fatal("no MutationDetected event with the diff")
	}
	for _, info := range g.rt.Goroutines() {
		if info.State != sim.Done {
			t.Errorf("%s is %s", info.Name, info.State)
		}
	}
	g.check()
}

// TestStepEventAdvancesByEvents steps an informer run event by event, then
// replays the run's choices under another seed to the very same trace.
func TestStepEventAdvancesByEvents(t *testing.T) {
	run := func(o informerRigOptions) (*informerRig, string) {
		g := newInformerRig(t, o)
		g.lw.lists = []listReply{{list: lwList("10", obj("a", "1"), obj("b", "2"))}}
		g.lw.watches = []watchScript{{err: badRequest()}, {steps: spaced(evModified(obj("a", "3")))}}
		g.handler()
		g.start()
		// Step until the informer waits for the server, which then
		// sends nothing more: the runtime goes idle.
		for {
			before := g.rec.Len()
			err := StepEvent(g.rt, g.rec, 1000)
			if err == sim.ErrIdle {
				break
			}
			if err != nil {
				t.Fatalf("after %d events: %v", before, err)
			}
			if g.rec.Len() <= before {
				t.Fatal("StepEvent returned without a new event")
			}
		}
		if g.rec.Len() < 50 {
			t.Fatalf("only %d events", g.rec.Len())
		}
		g.check()
		digest, _ := traceDigest(g.rec)
		return g, digest
	}
	g, digest := run(informerRigOptions{seed: 5})
	_, replayed := run(informerRigOptions{seed: 99, replay: g.rt.Decisions()})
	if replayed != digest {
		t.Fatal("replaying the choices gave another trace")
	}
}
