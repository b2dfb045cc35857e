package sim

// Contract tests: the same programs on both runtimes must behave as Go's
// own goroutines and channels do. A program runs inside the runtime and
// reports through a result the test reads after it finished.

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// runOn runs main as a goroutine of rt and waits for it (and everything it
// started and joined) to finish.
func runOn(t *testing.T, rt Runtime, main func(rt Runtime)) {
	t.Helper()
	done := make(chan struct{})
	finished := false
	rt.Go("main", func() {
		main(rt)
		finished = true
		if _, ok := rt.(native); ok {
			close(done)
		}
	})
	switch r := rt.(type) {
	case native:
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("native run did not finish")
		}
	case *Deterministic:
		err := r.RunUntil(func() bool { return finished }, 100000)
		if err != nil {
			t.Fatalf("deterministic run: %v", err)
		}
		r.Shutdown()
	}
}

func bothRuntimes(t *testing.T, fn func(t *testing.T, rt Runtime)) {
	t.Run("native", func(t *testing.T) { fn(t, Native()) })
	for seed := range uint64(5) {
		t.Run(fmt.Sprintf("deterministic-seed%d", seed), func(t *testing.T) {
			fn(t, NewDeterministic(DeterministicOptions{Seed: seed}))
		})
	}
}

// log is a goroutine-safe list of lines (native goroutines do run at once).
type log struct {
	mu    sync.Mutex
	lines []string
}

func (l *log) add(format string, args ...any) {
	l.mu.Lock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
	l.mu.Unlock()
}

func (l *log) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, " ")
}

func TestUnbufferedChannelHandsOffInOrder(t *testing.T) {
	bothRuntimes(t, func(t *testing.T, rt Runtime) {
		var got log
		runOn(t, rt, func(rt Runtime) {
			ch := NewChan[int](rt, "ch", 0)
			done := NewChan[struct{}](rt, "done", 0)
			rt.Go("consumer", func() {
				for {
					v, ok := ch.Recv()
					if !ok {
						break
					}
					got.add("%d", v)
				}
				done.Send(struct{}{})
			})
			for i := range 5 {
				ch.Send(i)
			}
			ch.Close()
			done.Recv()
		})
		if got.String() != "0 1 2 3 4" {
			t.Fatalf("received %q", got.String())
		}
	})
}

func TestBufferedChannelKeepsOrderAndCapacity(t *testing.T) {
	bothRuntimes(t, func(t *testing.T, rt Runtime) {
		var lens []int
		var got []int
		runOn(t, rt, func(rt Runtime) {
			ch := NewChan[int](rt, "buf", 3)
			for i := range 3 {
				ch.Send(i) // never blocks: the buffer has room
				lens = append(lens, ch.Len())
			}
			if _, _, ok := rt.Select(false, ch.SendCase(9)); ok {
				panic("a full buffer took a value")
			}
			for range 3 {
				v, _ := ch.Recv()
				got = append(got, v)
			}
			ch.Close()
			v, ok := ch.Recv()
			got = append(got, v)
			if ok {
				panic("receive from a closed, empty channel reported ok")
			}
		})
		if fmt.Sprint(lens, got) != "[1 2 3] [0 1 2 0]" {
			t.Fatalf("lens %v got %v", lens, got)
		}
	})
}

func TestSelectTakesAReadyCaseAndNeverANilChannel(t *testing.T) {
	bothRuntimes(t, func(t *testing.T, rt Runtime) {
		var results []string
		runOn(t, rt, func(rt Runtime) {
			a := NewChan[string](rt, "a", 1)
			var never Chan[string]
			i, _, _ := rt.Select(false, a.RecvCase(), never.RecvCase())
			results = append(results, fmt.Sprint(i)) // nothing ready: default
			a.Send("x")
			i, v, ok := rt.Select(true, never.RecvCase(), a.RecvCase(), never.SendCase("y"))
			results = append(results, fmt.Sprintf("%d %s %v", i, As[string](v), ok))
			b := NewChan[string](rt, "b", 0)
			rt.Go("sender", func() { b.Send("from b") })
			i, v, ok = rt.Select(true, a.RecvCase(), b.RecvCase())
			results = append(results, fmt.Sprintf("%d %s %v", i, As[string](v), ok))
		})
		if got := strings.Join(results, "|"); got != "-1|1 x true|1 from b true" {
			t.Fatalf("got %q", got)
		}
	})
}

func TestCloseWakesEveryReceiver(t *testing.T) {
	bothRuntimes(t, func(t *testing.T, rt Runtime) {
		var got log
		runOn(t, rt, func(rt Runtime) {
			ch := NewChan[int](rt, "ch", 0)
			done := NewChan[int](rt, "done", 3)
			for i := range 3 {
				rt.Go(fmt.Sprintf("r%d", i), func() {
					v, ok := ch.Recv()
					got.add("%d:%v", v, ok)
					done.Send(i)
				})
			}
			ch.Close()
			for range 3 {
				done.Recv()
			}
		})
		if got.String() != "0:false 0:false 0:false" {
			t.Fatalf("got %q", got.String())
		}
	})
}

// TestRWMutexHeldAcrossABlockingCall holds a runtime lock while blocked on a
// channel, as a queue does while its consumer processes: the other
// goroutine must wait for the lock, not deadlock the runtime.
func TestRWMutexHeldAcrossABlockingCall(t *testing.T) {
	bothRuntimes(t, func(t *testing.T, rt Runtime) {
		var got log
		runOn(t, rt, func(rt Runtime) {
			mu := rt.NewRWMutex("queue")
			handoff := NewChan[int](rt, "handoff", 0)
			done := NewChan[struct{}](rt, "done", 0)
			mu.Lock()
			rt.Go("other", func() {
				handoff.Recv()
				mu.Lock() // held by main until it has sent again
				got.add("other locked")
				mu.Unlock()
				done.Send(struct{}{})
			})
			handoff.Send(1)
			got.add("main sent")
			mu.Unlock()
			done.Recv()
		})
		if got.String() != "main sent other locked" {
			t.Fatalf("got %q", got.String())
		}
	})
}

func TestCondWaitWakesOnBroadcast(t *testing.T) {
	bothRuntimes(t, func(t *testing.T, rt Runtime) {
		var got []int
		runOn(t, rt, func(rt Runtime) {
			mu := rt.NewRWMutex("q")
			cond := rt.NewCond(mu)
			var items []int
			done := NewChan[struct{}](rt, "done", 0)
			rt.Go("popper", func() {
				mu.Lock()
				for len(items) < 3 {
					cond.Wait()
				}
				got = slices.Clone(items)
				mu.Unlock()
				done.Send(struct{}{})
			})
			for i := range 3 {
				mu.Lock()
				items = append(items, i)
				cond.Broadcast()
				mu.Unlock()
				rt.Sleep(time.Millisecond)
			}
			done.Recv()
		})
		if fmt.Sprint(got) != "[0 1 2]" {
			t.Fatalf("got %v", got)
		}
	})
}

func TestTimersFireInDeadlineOrder(t *testing.T) {
	bothRuntimes(t, func(t *testing.T, rt Runtime) {
		var got log
		runOn(t, rt, func(rt Runtime) {
			slow := rt.NewTimer(30 * time.Millisecond)
			fast := rt.NewTimer(10 * time.Millisecond)
			stopped := rt.NewTimer(20 * time.Millisecond)
			if !stopped.Stop() {
				panic("Stop of an armed timer reported false")
			}
			for range 2 {
				i, _, _ := rt.Select(true, slow.C().RecvCase(), fast.C().RecvCase(), stopped.C().RecvCase())
				got.add("%d", i)
			}
		})
		if got.String() != "1 0" {
			t.Fatalf("fired %q", got.String())
		}
	})
}

func TestDeterministicClockMovesOnlyWhenAllWait(t *testing.T) {
	rt := NewDeterministic(DeterministicOptions{})
	var stamps []time.Duration
	runOn(t, rt, func(r Runtime) {
		start := r.Now()
		r.Sleep(5 * time.Second)
		stamps = append(stamps, r.Since(start))
		tk := r.NewTicker(time.Second)
		for range 3 {
			tk.C().Recv()
			stamps = append(stamps, r.Since(start))
		}
		tk.Stop()
		r.Sleep(10 * time.Second) // two ticks come due meanwhile, one is kept
		stamps = append(stamps, r.Since(start))
	})
	if fmt.Sprint(stamps) != "[5s 6s 7s 8s 18s]" {
		t.Fatalf("virtual time stamps %v", stamps)
	}
}

// interleaving runs three goroutines that each log several times and
// returns the interleaving and the choices made.
func interleaving(t *testing.T, opts DeterministicOptions) (string, []uint64) {
	rt := NewDeterministic(opts)
	var got log
	runOn(t, rt, func(r Runtime) {
		done := NewChan[struct{}](r, "done", 3)
		for _, name := range []string{"a", "b", "c"} {
			r.Go(name, func() {
				for i := range 4 {
					got.add("%s%d", name, i)
					r.Select(false) // a point where others may run
				}
				done.Send(struct{}{})
			})
		}
		for range 3 {
			done.Recv()
		}
	})
	return got.String(), rt.Decisions()
}

func TestDeterministicSameSeedSameRun(t *testing.T) {
	seen := map[string]bool{}
	for seed := range uint64(20) {
		a, ca := interleaving(t, DeterministicOptions{Seed: seed})
		b, cb := interleaving(t, DeterministicOptions{Seed: seed})
		if a != b || !slices.Equal(ca, cb) {
			t.Fatalf("seed %d ran two ways:\n%s\n%s", seed, a, b)
		}
		seen[a] = true
	}
	if len(seen) < 5 {
		t.Fatalf("20 seeds gave only %d interleavings: the choice is not random", len(seen))
	}
}

func TestDeterministicReplayAndFork(t *testing.T) {
	run, choices := interleaving(t, DeterministicOptions{Seed: 1})
	// Replaying the choices under another seed gives the same run.
	again, _ := interleaving(t, DeterministicOptions{Seed: 999, Replay: choices})
	if again != run {
		t.Fatalf("replay differs:\n%s\n%s", run, again)
	}
	// A fork shares the replayed prefix and may then diverge.
	prefix := choices[:len(choices)/2]
	forked := 0
	for seed := range uint64(10) {
		fork, fc := interleaving(t, DeterministicOptions{Seed: 100 + seed, Replay: prefix})
		if !slices.Equal(fc[:len(prefix)], prefix) {
			t.Fatal("a fork did not follow its prefix")
		}
		if fork != run {
			forked++
		}
	}
	if forked == 0 {
		t.Fatal("no fork diverged from the original run")
	}
}

func TestDeterministicStepGoroutineAndLanes(t *testing.T) {
	rt := NewDeterministic(DeterministicOptions{})
	ch := NewChan[int](rt, "addCh", 0)
	rt.Go("producer", func() { ch.Send(1) })
	rt.Go("sleeper", func() { rt.Sleep(time.Minute) })
	if err := rt.StepGoroutine(1); err != nil {
		t.Fatal(err)
	}
	if err := rt.StepGoroutine(2); err != nil {
		t.Fatal(err)
	}
	lanes := rt.Goroutines()
	if got := fmt.Sprintf("%s %s %q | %s %s %v", lanes[0].Name, lanes[0].State, lanes[0].Waiting,
		lanes[1].Name, lanes[1].State, lanes[1].WakeAt.Sub(Epoch)); got != `producer blocked "send on addCh" | sleeper sleeping 1m0s` {
		t.Fatalf("lanes: %s", got)
	}
	if err := rt.StepGoroutine(1); err == nil {
		t.Fatal("stepping a blocked goroutine should fail")
	}
	rt.Go("consumer", func() { ch.Recv() })
	if err := rt.RunUntil(func() bool { return rt.Goroutines()[0].State == Done }, 100); err != nil {
		t.Fatal(err)
	}
	// Only the sleeper is left: the clock jumps a minute and it finishes.
	for rt.Step() == nil {
	}
	if rt.Now().Sub(Epoch) != time.Minute {
		t.Fatalf("clock at %v", rt.Now().Sub(Epoch))
	}
	for _, g := range rt.Goroutines() {
		if g.State != Done {
			t.Fatalf("%s is %s", g.Name, g.State)
		}
	}
}

func TestDeterministicReportsPanicsAndBlockingOutside(t *testing.T) {
	rt := NewDeterministic(DeterministicOptions{})
	rt.Go("boom", func() { panic("cache modified") })
	err := rt.Step()
	if pe, ok := err.(*PanicError); !ok || pe.Value != "cache modified" || !strings.Contains(pe.Error(), "boom") {
		t.Fatalf("Step returned %v", err)
	}
	if err := rt.Step(); err != ErrIdle {
		t.Fatalf("after the panic: %v", err)
	}
	ch := NewChan[int](rt, "x", 0)
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "outside a goroutine") {
			t.Fatalf("blocking outside the runtime: %v", r)
		}
	}()
	ch.Send(1)
}

func TestShutdownLeavesNoGoroutine(t *testing.T) {
	before := runtime.NumGoroutine()
	rt := NewDeterministic(DeterministicOptions{})
	mu := rt.NewRWMutex("m")
	ch := NewChan[int](rt, "never", 0)
	unlocked := false
	for i := range 10 {
		rt.Go(fmt.Sprint(i), func() {
			mu.Lock()
			defer func() { unlocked = true; mu.Unlock() }()
			ch.Recv()
		})
	}
	for rt.Step() == nil {
	}
	rt.Shutdown()
	if !unlocked {
		t.Fatal("deferred calls did not run on Shutdown")
	}
	for range 100 {
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("%d goroutines before, %d after Shutdown", before, runtime.NumGoroutine())
}
