package informer

// client-go v0.37.2's own shared informer and controller tests
// (shared_informer_test.go, controller_test.go), ported onto our rig: the
// deterministic runtime, a scripted server, and the trace fold checked at
// every event. Those that are about what reaches handlers when are also
// scenarios of the differential test (informer_differential_test.go):
// TestSharedInformerWatchDisruption, TestListenerResyncPeriods,
// TestEventPanics, TestReplaceEvents, TestResetWatch,
// TestStoreResourceVersion.

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	kcache "k8s.io/client-go/tools/cache"

	"github.com/informerscope/informerscope/informer/sim"
)

// serve answers the rig's lists and watches as an infServer does: streaming
// lists are refused, plain watches play in order.
func (g *informerRig) serve(lists []listReply, watches ...watchScript) {
	srv := (&infScenario{lists: lists, watches: watches}).newServer()
	g.lw.listFn = srv.list
	g.lw.watchFn = srv.watch
}

// do runs fn on a goroutine of the runtime and steps until it has returned.
func (g *informerRig) do(fn func()) {
	g.t.Helper()
	done := false
	g.rt.Go("test action", func() {
		fn()
		done = true
	})
	if err := g.rt.RunUntil(func() bool { return done }, 2_000_000); err != nil {
		g.t.Fatalf("at %v: %v", g.at(), err)
	}
	g.check()
}

func (g *informerRig) handlerCount() int {
	g.inf.processor.listenersLock.RLock()
	defer g.inf.processor.listenersLock.RUnlock()
	return len(g.inf.processor.listeners)
}

func (g *informerRig) isRegistered(h ResourceEventHandlerRegistration) bool {
	return g.inf.processor.getListener(h) != nil
}

// names lists the names of the objects a handler was given by OnAdd and
// OnUpdate, as client-go's testListener collects them.
func names(h *recordingHandler) []string {
	var out []string
	for _, c := range h.calls {
		var obj string
		switch {
		case strings.HasPrefix(c, "OnAdd("):
			obj = strings.TrimPrefix(c, "OnAdd(")
		case strings.HasPrefix(c, "OnUpdate("):
			_, obj, _ = strings.Cut(c, "->")
		default:
			continue
		}
		name, _, _ := strings.Cut(obj, "@")
		out = append(out, name)
	}
	return out
}

func labelKeys(o any) ([]string, error) {
	m, err := metaAccessor(o)
	if err != nil {
		return nil, err
	}
	var keys []string
	for k := range m.GetLabels() {
		keys = append(keys, k)
	}
	return keys, nil
}

func objNames(objs []any) string {
	var out []string
	for _, o := range objs {
		out = append(out, o.(*metav1.PartialObjectMetadata).Name)
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

// TestSharedInformerIndexer is client-go's TestIndexer.
func TestSharedInformerIndexer(t *testing.T) {
	g := newInformerRig(t, informerRigOptions{resync: time.Second})
	pod1 := objLabels("pod1", "1", map[string]string{"a": "a-val", "b": "b-val1"})
	pod2 := objLabels("pod2", "2", map[string]string{"b": "b-val2"})
	pod3 := objLabels("pod3", "3", map[string]string{"a": "a-val2"})
	g.serve([]listReply{{list: lwList("2", pod1, pod2)}}, watchScript{steps: spaced(evAdded(pod3))})
	if err := g.inf.AddIndexers(Indexers{"labels": labelKeys}); err != nil {
		t.Fatal(err)
	}
	g.start()
	g.runFor(500 * time.Millisecond)
	if res, err := g.inf.GetIndexer().ByIndex("labels", "a"); err != nil || objNames(res) != "pod1" {
		t.Fatalf("ByIndex(labels, a) = %v, %v", objNames(res), err)
	}
	g.runFor(time.Second) // pod3 arrives at 1s
	if res, _ := g.inf.GetIndexer().ByIndex("labels", "a"); objNames(res) != "pod1 pod3" {
		t.Fatalf("after pod3, ByIndex(labels, a) = %v", objNames(res))
	}
	// An index added while running indexes what the cache holds at once.
	if err := g.inf.AddIndexers(Indexers{"labels-again": labelKeys}); err != nil {
		t.Fatal(err)
	}
	if res, _ := g.inf.GetIndexer().ByIndex("labels-again", "a"); objNames(res) != "pod1 pod3" {
		t.Fatalf("ByIndex(labels-again, a) = %v", objNames(res))
	}
	for _, index := range []string{"labels", "labels-again"} {
		got := g.inf.GetIndexer().ListIndexFuncValues(index)
		slices.Sort(got)
		if strings.Join(got, ",") != "a,b" {
			t.Fatalf("ListIndexFuncValues(%s) = %v", index, got)
		}
	}
	g.stopAndDrain()
}

// TestSharedInformerResyncCheckPeriod is client-go's TestResyncCheckPeriod,
// differential: the same handlers added to both informers, before and after
// start, leave the same check period and listener periods (client-go's read
// by reflection).
func TestSharedInformerResyncCheckPeriod(t *testing.T) {
	theirsPeriods := func(inf kcache.SharedIndexInformer, regs []kcache.ResourceEventHandlerRegistration) string {
		s := fmt.Sprintf("check=%v", time.Duration(reflect.ValueOf(inf).Elem().FieldByName("resyncCheckPeriod").Int()))
		for _, r := range regs {
			s += fmt.Sprintf(" %v", time.Duration(reflect.ValueOf(r).Elem().FieldByName("resyncPeriod").Int()))
		}
		return s
	}
	oursPeriods := func(inf *sharedIndexInformer, regs []ResourceEventHandlerRegistration) string {
		s := fmt.Sprintf("check=%v", inf.resyncCheckPeriod)
		for _, r := range regs {
			s += fmt.Sprintf(" %v", r.(*processorListener).resyncPeriod)
		}
		return s
	}
	g := newInformerRig(t, informerRigOptions{resync: 12 * time.Hour})
	theirs := kcache.NewSharedIndexInformer(&theirLW{}, &metav1.PartialObjectMetadata{}, 12*time.Hour, kcache.Indexers{})
	var ourRegs []ResourceEventHandlerRegistration
	var theirRegs []kcache.ResourceEventHandlerRegistration
	steps := []string{
		"check=12h0m0s 0s",
		"check=1m0s 0s 1m0s",
		"check=55s 0s 1m0s 55s",
		"check=5s 0s 1m0s 55s 5s",
	}
	for i, period := range []time.Duration{0, time.Minute, 55 * time.Second, 5 * time.Second} {
		r, err := g.inf.AddEventHandlerWithResyncPeriod(&recordingHandler{}, period)
		if err != nil {
			t.Fatal(err)
		}
		ourRegs = append(ourRegs, r)
		tr, err := theirs.AddEventHandlerWithResyncPeriod(&infRecorder{}, period)
		if err != nil {
			t.Fatal(err)
		}
		theirRegs = append(theirRegs, tr)
		o, th := oursPeriods(g.inf, ourRegs), theirsPeriods(theirs, theirRegs)
		if o != th || o != steps[i] {
			t.Fatalf("after adding a handler with resync %v: ours %s, client-go %s, want %s", period, o, th, steps[i])
		}
	}
	// After start, a short period is raised to the check period (and 100ms
	// first to the 1s minimum); the check period stays.
	g.serve([]listReply{{list: lwList("1")}})
	g.start()
	g.runFor(time.Second)
	g.do(func() {
		for _, period := range []time.Duration{100 * time.Millisecond, 2 * time.Second, time.Minute} {
			r, err := g.inf.AddEventHandlerWithResyncPeriod(&recordingHandler{}, period)
			if err != nil {
				t.Error(err)
				return
			}
			ourRegs = append(ourRegs, r)
		}
	})
	if got, want := oursPeriods(g.inf, ourRegs), "check=5s 0s 1m0s 55s 5s 5s 5s 1m0s"; got != want {
		t.Fatalf("after start: %s, want %s", got, want)
	}
	g.stopAndDrain()
}

// TestSharedInformerInitializationRace is client-go's test of the same
// name (kubernetes#59822): a handler added while Run starts. On the
// deterministic runtime every seed orders the two differently; none may
// deadlock, and the handler gets the object either way.
func TestSharedInformerInitializationRace(t *testing.T) {
	for seed := range uint64(20) {
		g := newInformerRig(t, informerRigOptions{seed: seed, resync: time.Second})
		g.serve([]listReply{{list: lwList("1", obj("pod1", "1"))}})
		h := &recordingHandler{}
		g.rt.Go("adder", func() {
			if _, err := g.inf.AddEventHandlerWithResyncPeriod(h, 0); err != nil {
				t.Error(err)
			}
		})
		g.start()
		g.runFor(time.Second)
		if got := joined(h); got != "OnAdd(pod1@1,true)" {
			t.Fatalf("seed %d: calls %q", seed, got)
		}
		g.stopAndDrain()
	}
}

// TestSharedInformerErrorHandling is client-go's test of the same name.
func TestSharedInformerErrorHandling(t *testing.T) {
	g := newInformerRig(t, informerRigOptions{resync: time.Second})
	g.serve(nil)
	g.lw.listFn = func(metav1.ListOptions) (runtime.Object, error) { return nil, errors.New("Access Denied") }
	var got []string
	if err := g.inf.SetWatchErrorHandler(func(_ *Reflector, err error) {
		got = append(got, fmt.Sprintf("%v %v", g.at(), err))
	}); err != nil {
		t.Fatal(err)
	}
	g.start()
	g.runFor(time.Second)
	if len(got) == 0 || !strings.Contains(got[0], "Access Denied") || !strings.HasPrefix(got[0], "0s ") {
		t.Fatalf("the error handler got %q", got)
	}
	g.stopAndDrain()
}

// TestSharedInformerTransformerPort is client-go's TestSharedInformerTransformer:
// the transformer may change objects in place; handlers get them changed.
func TestSharedInformerTransformerPort(t *testing.T) {
	g := newInformerRig(t, informerRigOptions{resync: time.Second})
	g.serve([]listReply{{list: lwList("2", obj("pod1", "1"), obj("pod2", "2"))}})
	if err := g.inf.SetTransform(func(o any) (any, error) {
		if m, ok := o.(*metav1.PartialObjectMetadata); ok {
			if upper := strings.ToUpper(m.Name); upper != m.Name {
				m.Name = upper
			}
		}
		return o, nil
	}); err != nil {
		t.Fatal(err)
	}
	h, _ := g.handler()
	g.start()
	g.runFor(time.Second)
	if got := strings.Join(names(h), " "); got != "POD1 POD2" {
		t.Fatalf("the handler got %q", got)
	}
	g.stopAndDrain()
}

// TestSharedInformerRegistrations ports TestSharedInformerRemoveHandler,
// TestSharedInformerRemoveForeignHandler,
// TestSharedInformerMultipleRegistration and
// TestRemovingRemovedSharedInformer: registrations before Run.
func TestSharedInformerRegistrations(t *testing.T) {
	g := newInformerRig(t, informerRigOptions{resync: time.Second})
	g2 := newInformerRig(t, informerRigOptions{resync: time.Second})
	handler := &ResourceEventHandlerFuncs{}
	h1, err := g.inf.AddEventHandler(handler)
	if err != nil {
		t.Fatal(err)
	}
	// The same handler twice: two registrations.
	h2, err := g.inf.AddEventHandler(handler)
	if err != nil {
		t.Fatal(err)
	}
	if g.handlerCount() != 2 || !g.isRegistered(h1) || !g.isRegistered(h2) || h1 == h2 {
		t.Fatalf("%d handlers, h1 registered %v, h2 registered %v", g.handlerCount(), g.isRegistered(h1), g.isRegistered(h2))
	}
	// Removing at another informer does nothing, and is no error.
	if err := g2.inf.RemoveEventHandler(h1); err != nil || g.handlerCount() != 2 || g2.handlerCount() != 0 || g2.isRegistered(h1) {
		t.Fatalf("foreign removal: %v, %d and %d handlers", err, g.handlerCount(), g2.handlerCount())
	}
	if err := g.inf.RemoveEventHandler(h1); err != nil || g.handlerCount() != 1 || g.isRegistered(h1) || !g.isRegistered(h2) {
		t.Fatalf("removing h1: %v, %d handlers", err, g.handlerCount())
	}
	// Removing twice is no error.
	if err := g.inf.RemoveEventHandler(h1); err != nil || g.handlerCount() != 1 {
		t.Fatalf("removing h1 again: %v, %d handlers", err, g.handlerCount())
	}
	if err := g.inf.RemoveEventHandler(h2); err != nil || g.handlerCount() != 0 {
		t.Fatalf("removing h2: %v, %d handlers", err, g.handlerCount())
	}
	// A handle that is not a registration of this package is an error.
	if err := g.inf.RemoveEventHandler(foreignRegistration{}); err == nil {
		t.Fatal("removing a foreign handle type succeeded")
	}
}

type foreignRegistration struct{}

func (foreignRegistration) HasSynced() bool               { return true }
func (foreignRegistration) HasSyncedChecker() DoneChecker { return nil }

// TestSharedInformerStartedStopped ports TestStateSharedInformer,
// TestAddOnStoppedSharedInformer and TestRemoveOnStoppedSharedInformer.
func TestSharedInformerStartedStopped(t *testing.T) {
	g := newInformerRig(t, informerRigOptions{resync: time.Second})
	g.serve([]listReply{{list: lwList("1", obj("pod1", "1"))}})
	h, reg := g.handler()
	if g.inf.HasStarted() || g.inf.IsStopped() {
		t.Fatal("started or stopped before Run")
	}
	g.start()
	g.runFor(time.Second)
	if got := joined(h); got != "OnAdd(pod1@1,true)" {
		t.Fatalf("calls %q", got)
	}
	if !g.inf.HasStarted() || g.inf.IsStopped() {
		t.Fatal("not started, or stopped, while running")
	}
	g.stopAndDrain()
	if !g.inf.HasStarted() || !g.inf.IsStopped() {
		t.Fatal("not started, or not stopped, after stop")
	}
	_, err := g.inf.AddEventHandlerWithResyncPeriod(&recordingHandler{}, 0)
	if err == nil || !strings.HasSuffix(err.Error(), "was not added to shared informer because it has stopped already") {
		t.Fatalf("adding to a stopped informer: %v", err)
	}
	if err := g.inf.RemoveEventHandler(reg); err != nil {
		t.Fatalf("removing from a stopped informer: %v", err)
	}
}

// TestSharedInformerRemoveWhileActive is client-go's TestRemoveWhileActive.
func TestSharedInformerRemoveWhileActive(t *testing.T) {
	g := newInformerRig(t, informerRigOptions{})
	g.serve([]listReply{{list: lwList("1")}},
		watchScript{steps: []watchStep{withAfter(time.Second, evAdded(obj("pod1", "2"))), withAfter(2*time.Second, evAdded(obj("pod2", "3")))}})
	h, reg := g.handler()
	g.start()
	g.runFor(1500 * time.Millisecond)
	if got := joined(h); got != "OnAdd(pod1@2,false)" {
		t.Fatalf("calls %q", got)
	}
	g.do(func() {
		if err := g.inf.RemoveEventHandler(reg); err != nil {
			t.Error(err)
		}
	})
	if g.isRegistered(reg) {
		t.Fatal("still registered after removal")
	}
	g.runFor(3 * time.Second)
	if got := joined(h); got != "OnAdd(pod1@2,false)" {
		t.Fatalf("after removal, calls %q", got)
	}
	g.stopAndDrain()
}

// TestSharedInformerAddWhileActive is client-go's TestAddWhileActive.
func TestSharedInformerAddWhileActive(t *testing.T) {
	g := newInformerRig(t, informerRigOptions{})
	g.serve([]listReply{{list: lwList("1")}},
		watchScript{steps: []watchStep{withAfter(time.Second, evAdded(obj("pod1", "2"))), withAfter(2*time.Second, evAdded(obj("pod2", "3")))}})
	h1, reg1 := g.handler()
	if reg1.HasSynced() {
		t.Fatal("synced before Run")
	}
	g.start()
	g.runFor(1500 * time.Millisecond)
	if got := joined(h1); got != "OnAdd(pod1@2,false)" || !reg1.HasSynced() {
		t.Fatalf("calls %q, synced %v", got, reg1.HasSynced())
	}
	h2 := &recordingHandler{}
	var reg2 ResourceEventHandlerRegistration
	syncedAtOnce := true
	g.do(func() {
		reg2, _ = g.inf.AddEventHandler(ResourceEventHandlerDetailedFuncs{
			AddFunc: func(o any, initial bool) {
				g.rt.Sleep(10 * time.Millisecond) // hold it before it has synced
				h2.OnAdd(o, initial)
			},
		})
		syncedAtOnce = reg2.HasSynced()
	})
	if syncedAtOnce {
		t.Fatal("the late registration synced before processing anything")
	}
	g.runFor(2 * time.Second)
	if got := joined(h2); got != "OnAdd(pod1@2,true) OnAdd(pod2@3,false)" || !reg2.HasSynced() {
		t.Fatalf("late handler calls %q, synced %v", got, reg2.HasSynced())
	}
	if got := joined(h1); got != "OnAdd(pod1@2,false) OnAdd(pod2@3,false)" {
		t.Fatalf("first handler calls %q", got)
	}
	if !g.isRegistered(reg1) || !g.isRegistered(reg2) {
		t.Fatal("a handler is not registered")
	}
	g.stopAndDrain()
}

// TestSharedInformerShutdown is client-go's TestShutdown (goroutine cleanup,
// which stopAndDrain checks) and TestShutDownEventHandler_Lifecycles.
func TestSharedInformerShutdown(t *testing.T) {
	t.Run("handler added before Run", func(t *testing.T) {
		g := newInformerRig(t, informerRigOptions{resync: time.Second})
		g.serve([]listReply{{list: lwList("1")}})
		_, reg := g.handler()
		g.start()
		g.runFor(time.Second)
		if !g.inf.HasSynced() {
			t.Fatal("not synced")
		}
		g.do(func() {
			if err := ShutDownEventHandler(g.inf, reg); err != nil {
				t.Error(err)
			}
		})
		g.stopAndDrain()
	})
	t.Run("handler added after sync", func(t *testing.T) {
		g := newInformerRig(t, informerRigOptions{resync: time.Second})
		g.serve([]listReply{{list: lwList("1", obj("a", "1"))}})
		g.start()
		g.runFor(time.Second)
		g.do(func() {
			reg, err := g.inf.AddEventHandler(&recordingHandler{})
			if err != nil {
				t.Error(err)
				return
			}
			if err := ShutDownEventHandler(g.inf, reg); err != nil {
				t.Error(err)
			}
		})
		g.stopAndDrain()
	})
	t.Run("never run", func(t *testing.T) {
		g := newInformerRig(t, informerRigOptions{resync: time.Second})
		_, reg := g.handler()
		// Nothing runs, so the shutdown returns at once.
		if err := ShutDownEventHandler(g.inf, reg); err != nil {
			t.Fatal(err)
		}
		for _, info := range g.rt.Goroutines() {
			t.Errorf("goroutine %s started without Run", info.Name)
		}
	})
}

// TestSharedInformerRemoveEventHandlerBlocked ports
// TestRemoveEventHandler_AsynchronousPanic and
// TestRemoveEventHandler_SynchronousShutdown: RemoveEventHandler returns
// while the handler is still in a call; ShutDownEventHandler waits for the
// call to return.
func TestSharedInformerRemoveEventHandlerBlocked(t *testing.T) {
	for _, shutdown := range []bool{false, true} {
		t.Run(fmt.Sprintf("shutdown=%v", shutdown), func(t *testing.T) {
			g := newInformerRig(t, informerRigOptions{})
			g.serve([]listReply{{list: lwList("1")}}, watchScript{steps: spaced(evAdded(obj("pod1", "2")))})
			block := sim.NewChan[struct{}](g.rt, "block", 0)
			var started, finished bool
			reg, err := g.inf.AddEventHandler(ResourceEventHandlerFuncs{AddFunc: func(any) {
				started = true
				block.Recv()
				finished = true
			}})
			if err != nil {
				t.Fatal(err)
			}
			g.start()
			g.runFor(1500 * time.Millisecond)
			if !started || finished {
				t.Fatalf("started %v finished %v", started, finished)
			}
			removed := false
			g.rt.Go("remover", func() {
				if shutdown {
					err = ShutDownEventHandler(g.inf, reg)
				} else {
					err = g.inf.RemoveEventHandler(reg)
				}
				removed = true
			})
			g.runFor(100 * time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
			if removed == shutdown {
				t.Fatalf("removal returned %v while the handler is still in its call (shutdown %v)", removed, shutdown)
			}
			g.do(func() { block.Close() })
			g.runFor(100 * time.Millisecond)
			if !removed || !finished {
				t.Fatalf("removed %v finished %v", removed, finished)
			}
			g.stopAndDrain()
		})
	}
}

// TestSharedInformerHandlerAbuse is client-go's test of the same name:
// workers add and remove handlers at random while events flow; on the
// deterministic runtime every seed interleaves them differently.
func TestSharedInformerHandlerAbuse(t *testing.T) {
	seeds := 2
	if testing.Short() || raceDetector {
		seeds = 1
	}
	for seed := range uint64(seeds) {
		g := newInformerRig(t, informerRigOptions{seed: seed, resync: time.Second})
		var events []watchStep
		for i := range 30 {
			e := evAdded(obj(fmt.Sprintf("pod%d", i%7), fmt.Sprint(i+2)))
			if i%3 == 2 {
				e = evDeleted(obj(fmt.Sprintf("pod%d", i%7), fmt.Sprint(i+2)))
			}
			events = append(events, watchStep{after: 100 * time.Millisecond, event: e})
		}
		g.serve([]listReply{{list: lwList("1")}}, watchScript{steps: events})
		g.start()
		for w := range 3 {
			g.rt.Go(fmt.Sprintf("worker %d", w), func() {
				var regs []ResourceEventHandlerRegistration
				for range 10 {
					if len(regs) == 0 || g.rt.Int64N(2) == 0 {
						reg, err := g.inf.AddEventHandlerWithResyncPeriod(ResourceEventHandlerDetailedFuncs{}, time.Second)
						if err != nil {
							return // stopped
						}
						regs = append(regs, reg)
					} else {
						i := int(g.rt.Int64N(int64(len(regs))))
						if err := g.inf.RemoveEventHandler(regs[i]); err != nil {
							t.Errorf("remove: %v", err)
						}
						regs = slices.Delete(regs, i, i+1)
					}
					g.rt.Sleep(time.Duration(g.rt.Int64N(int64(300 * time.Millisecond))))
				}
			})
		}
		g.runFor(4 * time.Second)
		g.stopAndDrain()
	}
}

// TestSharedInformerUpdatePaths is controller_test.go's TestUpdate on the
// shared informer: an object added FROM then modified TO, with resyncs in
// between; every update seen is FROM->TO, or a resync FROM->FROM or TO->TO.
func TestSharedInformerUpdatePaths(t *testing.T) {
	pod := func(name, check, rv string) *metav1.PartialObjectMetadata {
		return objLabels(name, rv, map[string]string{"check": check})
	}
	g := newInformerRig(t, informerRigOptions{resync: time.Second})
	var steps []watchStep
	for i := range 3 {
		name := fmt.Sprintf("a-%d", i)
		steps = append(steps,
			watchStep{after: 700 * time.Millisecond, event: evAdded(pod(name, "from", fmt.Sprint(10*i+2)))},
			watchStep{after: 700 * time.Millisecond, event: evModified(pod(name, "to", fmt.Sprint(10*i+3)))},
			watchStep{after: 700 * time.Millisecond, event: evDeleted(pod(name, "to", fmt.Sprint(10*i+4)))})
	}
	g.serve([]listReply{{list: lwList("1")}}, watchScript{steps: steps})
	var transitions []string
	deleted := 0
	g.inf.AddEventHandler(ResourceEventHandlerFuncs{
		UpdateFunc: func(old, new any) {
			o, n := old.(*metav1.PartialObjectMetadata), new.(*metav1.PartialObjectMetadata)
			transitions = append(transitions, o.Labels["check"]+"->"+n.Labels["check"])
		},
		DeleteFunc: func(any) { deleted++ },
	})
	g.start()
	g.runFor(8 * time.Second)
	allowed := map[string]bool{"from->to": true, "to->to": true, "from->from": true}
	for _, tr := range transitions {
		if !allowed[tr] {
			t.Errorf("transition %s", tr)
		}
	}
	if deleted != 3 || slices.Index(transitions, "from->to") < 0 {
		t.Fatalf("deleted %d, transitions %v", deleted, transitions)
	}
	g.stopAndDrain()
}

// TestSharedInformerTransformingPort is controller_test.go's
// TestTransformingInformer on the shared informer: the transformer's
// output is what the store holds and what handlers get, old and new.
func TestSharedInformerTransformingPort(t *testing.T) {
	g := newInformerRig(t, informerRigOptions{})
	g.serve([]listReply{{list: lwList("2", obj("pod1", "2"))}},
		watchScript{steps: spaced(evAdded(obj("pod2", "3")), evAdded(obj("pod3", "4")), evModified(obj("pod2", "5")), evDeleted(obj("pod1", "6")))})
	if err := g.inf.SetTransform(func(o any) (any, error) {
		m, ok := o.(*metav1.PartialObjectMetadata)
		if !ok {
			return nil, fmt.Errorf("unexpected object type: %T", o)
		}
		m.Labels = map[string]string{"transformed": "yes"}
		m.ResourceVersion = "t" + m.ResourceVersion
		return m, nil
	}); err != nil {
		t.Fatal(err)
	}
	var calls []string
	transformed := func(o any) string {
		m := o.(*metav1.PartialObjectMetadata)
		if m.Labels["transformed"] != "yes" {
			return m.Name + "(untransformed)"
		}
		return m.Name + "@" + m.ResourceVersion
	}
	g.inf.AddEventHandler(ResourceEventHandlerFuncs{
		AddFunc:    func(o any) { calls = append(calls, "add "+transformed(o)) },
		UpdateFunc: func(old, new any) { calls = append(calls, "update "+transformed(old)+"->"+transformed(new)) },
		DeleteFunc: func(o any) { calls = append(calls, "delete "+transformed(o)) },
	})
	g.start()
	g.runFor(6 * time.Second)
	want := "add pod1@t2|add pod2@t3|add pod3@t4|update pod2@t3->pod2@t5|delete pod1@t6"
	if got := strings.Join(calls, "|"); got != want {
		t.Fatalf("calls %s, want %s", got, want)
	}
	var stored []string
	for _, o := range g.inf.GetStore().List() {
		stored = append(stored, transformed(o))
	}
	slices.Sort(stored)
	if got := strings.Join(stored, " "); got != "pod2@t5 pod3@t4" {
		t.Fatalf("store %s", got)
	}
	g.stopAndDrain()
}
