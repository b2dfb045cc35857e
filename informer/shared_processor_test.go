package informer

import (
	"fmt"
	"testing"
	"time"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// testUpstream stands for the informer a registration waits for.
type testUpstream struct{ sig *doneSignal }

func (u testUpstream) Name() string            { return "upstream" }
func (u testUpstream) Done() <-chan struct{}   { return u.sig.plain }
func (u testUpstream) doneSignal() *doneSignal { return u.sig }

// processorRig is a processor with listeners on a deterministic runtime.
type processorRig struct {
	rt   *sim.Deterministic
	rec  *trace.Recorder
	up   testUpstream
	p    *sharedProcessor
	stop sim.Chan[struct{}]
}

func newProcessorRig(seed uint64) *processorRig {
	rt := sim.NewDeterministic(sim.DeterministicOptions{Seed: seed})
	rec := trace.NewRecorder()
	return &processorRig{
		rt: rt, rec: rec,
		up:   testUpstream{newDoneSignal(rt, "upstream")},
		p:    newSharedProcessor(rt, "processor", rec.Probe("processor")),
		stop: sim.NewChan[struct{}](rt, "stop", 0),
	}
}

func (r *processorRig) addListener(h ResourceEventHandler, bufferSize int) *processorListener {
	name := r.p.newListenerName()
	l := newProcessListener(r.rt, name, h, 0, 0, r.rt.Now(), bufferSize, r.up, r.rec.Probe(name))
	r.p.addListener(l)
	return l
}

// runAll steps until nothing can run, failing on a panic.
func (r *processorRig) runAll(t *testing.T) {
	t.Helper()
	for {
		if err := r.rt.Step(); err != nil {
			if err == sim.ErrIdle {
				return
			}
			t.Fatal(err)
		}
	}
}

// TestProcessorDeliversInOrderAndBuffersForASlowHandler distributes initial
// adds to a fast and a slow handler: both get every add in order, the slow
// listener's ring grows, both registrations sync once their adds are
// handled, and the fold of the trace equals the listeners at every event.
func TestProcessorDeliversInOrderAndBuffersForASlowHandler(t *testing.T) {
	const n = 40
	for seed := range uint64(8) {
		r := newProcessorRig(seed)
		// The check runs on the runtime's goroutines, where t.Fatal must not
		// be called: it records the first difference, and the test stops
		// stepping then.
		fold := trace.NewSnapshot()
		maxCap := 0
		var slowL *processorListener
		var mismatch string
		r.rec.OnEvent(func(e trace.Event) {
			fold.Apply(e)
			got := trace.NewSnapshot()
			got.Listeners = r.p.traceState()
			if d := trace.Diff(fold, got); d != "" && mismatch == "" {
				mismatch = fmt.Sprintf("after %+v: %s", e, d)
			}
			if slowL != nil {
				maxCap = max(maxCap, slowL.pendingNotifications.Cap())
			}
		})
		var fast, slow []string
		fastL := r.addListener(ResourceEventHandlerDetailedFuncs{AddFunc: func(o any, initial bool) {
			fast = append(fast, fmt.Sprintf("%s/%v", fmtObj(o), initial))
		}}, 2)
		slowL = r.addListener(ResourceEventHandlerDetailedFuncs{AddFunc: func(o any, initial bool) {
			r.rt.Sleep(20 * time.Millisecond)
			slow = append(slow, fmt.Sprintf("%s/%v", fmtObj(o), initial))
		}}, 2)

		r.rt.Go("processor", func() { r.p.run(r.stop) })
		r.rt.Go("distributor", func() {
			for i := range n {
				r.p.distribute(addNotification{newObj: obj(fmt.Sprint("o", i), fmt.Sprint(i)), isInInitialList: true}, false)
			}
			r.up.sig.close() // the informer has synced
		})
		r.runAll(t)
		if mismatch != "" {
			t.Fatalf("seed %d: the fold differs from the listeners %s", seed, mismatch)
		}

		var want []string
		for i := range n {
			want = append(want, fmt.Sprintf("o%d@%d/true", i, i))
		}
		if fmt.Sprint(fast) != fmt.Sprint(want) || fmt.Sprint(slow) != fmt.Sprint(want) {
			t.Fatalf("seed %d: fast %v\nslow %v", seed, fast, slow)
		}
		if maxCap < 32 {
			t.Fatalf("seed %d: the slow listener's ring peaked at capacity %d; it should have grown from 2", seed, maxCap)
		}
		if !fastL.HasSynced() || !slowL.HasSynced() {
			t.Fatalf("seed %d: registrations synced fast=%v slow=%v", seed, fastL.HasSynced(), slowL.HasSynced())
		}
		// Stop: every goroutine ends.
		r.rt.Go("stopper", func() { r.stop.Close() })
		r.runAll(t)
		if mismatch != "" {
			t.Fatalf("seed %d: while stopping, the fold differs from the listeners %s", seed, mismatch)
		}
		for _, g := range r.rt.Goroutines() {
			if g.State != sim.Done {
				t.Fatalf("seed %d: %s is still %s (%s)", seed, g.Name, g.State, g.Waiting)
			}
		}
		if got := r.rec.Len(); got == 0 {
			t.Fatal("no events")
		}
	}
}

// TestSlowHandlerRingGrowsTo4096 is the spec's S1: 3000 adds to a fast and a
// slow handler; the fast one gets all 3000 while the slow one's ring has
// grown from 1024 to 4096.
func TestSlowHandlerRingGrowsTo4096(t *testing.T) {
	r := newProcessorRig(1)
	fast, slow := 0, 0
	r.addListener(ResourceEventHandlerFuncs{AddFunc: func(any) { fast++ }}, initialBufferSize)
	slowL := r.addListener(ResourceEventHandlerFuncs{AddFunc: func(any) { r.rt.Sleep(20 * time.Millisecond); slow++ }}, initialBufferSize)
	r.rt.Go("processor", func() { r.p.run(r.stop) })
	r.rt.Go("distributor", func() {
		for i := range 3000 {
			r.p.distribute(addNotification{newObj: obj(fmt.Sprint("o", i), "1")}, false)
		}
	})
	// Run until the fast handler has all 3000, then look at the slow one.
	if err := r.rt.RunUntil(func() bool { return fast == 3000 }, 1_000_000); err != nil {
		t.Fatal(err)
	}
	if pending := slowL.pendingNotificationsLength.Load(); slow+int(pending) > 3000 || pending < 2900 {
		t.Fatalf("slow handled %d with %d pending", slow, pending)
	}
	if got := slowL.pendingNotifications.Cap(); got != 4096 {
		t.Fatalf("the slow listener's ring has capacity %d, want 4096", got)
	}
	r.runAll(t)
	if slow != 3000 {
		t.Fatalf("slow handled %d in the end", slow)
	}
	r.rt.Shutdown()
}

// TestProcessorSyncNotificationsGoToSyncingListenersOnly checks the resync
// flags: a listener with resync period 0 is syncing until the first check,
// then no longer gets sync notifications.
func TestProcessorSyncNotificationsGoToSyncingListenersOnly(t *testing.T) {
	r := newProcessorRig(3)
	got := map[string]int{}
	add := func(name string, period time.Duration) {
		l := newProcessListener(r.rt, name, ResourceEventHandlerFuncs{UpdateFunc: func(_, _ any) { got[name]++ }},
			period, period, r.rt.Now(), initialBufferSize, r.up, r.rec.Probe(name))
		r.p.addListener(l)
	}
	add("never", 0)
	add("often", time.Second)
	r.rt.Go("processor", func() { r.p.run(r.stop) })
	r.rt.Go("driver", func() {
		a := obj("a", "1")
		r.p.distribute(updateNotification{oldObj: a, newObj: a}, true) // both still syncing
		r.rt.Sleep(time.Second)
		if !r.p.shouldResync() {
			panic("the 1s listener should be due")
		}
		r.p.distribute(updateNotification{oldObj: a, newObj: a}, true)              // only "often"
		r.p.distribute(updateNotification{oldObj: a, newObj: obj("a", "2")}, false) // both
		r.stop.Close()
	})
	r.runAll(t)
	if got["never"] != 2 || got["often"] != 3 {
		t.Fatalf("updates: %v", got)
	}
}

func TestRemoveListenerIsIdempotentAndRejectsForeignHandles(t *testing.T) {
	r := newProcessorRig(0)
	l := r.addListener(ResourceEventHandlerFuncs{}, initialBufferSize)
	if err := r.p.removeListener(l); err != nil {
		t.Fatal(err)
	}
	if err := r.p.removeListener(l); err != nil {
		t.Fatalf("second removal: %v", err)
	}
	if err := r.p.removeListener(nil); err == nil {
		t.Fatal("a nil handle should be refused")
	}
	if r.p.getListener(l) != nil {
		t.Fatal("a removed listener is still found")
	}
	select {
	case <-l.ShutdownChan():
	default:
		t.Fatal("removing a listener of a processor not started should finish it")
	}
}
