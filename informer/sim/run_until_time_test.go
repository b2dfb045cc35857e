package sim

import (
	"fmt"
	"testing"
	"time"
)

// RunUntilTime runs everything due by t, and nothing later, and leaves the
// clock at t.
func TestRunUntilTime(t *testing.T) {
	rt := NewDeterministic(DeterministicOptions{Seed: 1})
	var log []string
	for _, d := range []time.Duration{3 * time.Second, time.Second, 2 * time.Second} {
		rt.Go("sleeper", func() {
			rt.Sleep(d)
			log = append(log, d.String())
		})
	}
	for _, tc := range []struct {
		at   time.Duration
		want string
	}{
		{500 * time.Millisecond, "[]"},
		{2 * time.Second, "[1s 2s]"}, // a timer due exactly at t fires
		{10 * time.Second, "[1s 2s 3s]"},
	} {
		if err := rt.RunUntilTime(Epoch.Add(tc.at), 1000); err != nil {
			t.Fatal(err)
		}
		if got := rt.Since(Epoch); got != tc.at {
			t.Errorf("clock at %v after RunUntilTime(%v)", got, tc.at)
		}
		if got := fmt.Sprint(log); got != tc.want {
			t.Errorf("by %v: %s, want %s", tc.at, got, tc.want)
		}
	}
	// A step budget too small is an error, not a silent stop.
	rt.Go("spinner", func() {
		for {
			rt.Sleep(time.Millisecond)
		}
	})
	if err := rt.RunUntilTime(Epoch.Add(time.Hour), 50); err == nil {
		t.Error("RunUntilTime with too few steps returned nil")
	}
	rt.Shutdown()
}

// CanRunBy sees runnable goroutines and due timers, and DecisionCount
// counts what Decisions holds.
func TestCanRunByAndDecisionCount(t *testing.T) {
	rt := NewDeterministic(DeterministicOptions{Seed: 1})
	if rt.CanRunBy(Epoch.Add(time.Hour)) {
		t.Error("an empty runtime can run")
	}
	rt.Go("sleeper", func() { rt.Sleep(time.Second) })
	if !rt.CanRunBy(Epoch) {
		t.Error("a new goroutine is runnable")
	}
	if err := rt.Step(); err != nil {
		t.Fatal(err)
	}
	if rt.CanRunBy(Epoch.Add(999*time.Millisecond)) || !rt.CanRunBy(Epoch.Add(time.Second)) {
		t.Error("CanRunBy does not follow the sleeper's timer")
	}
	if rt.DecisionCount() != len(rt.Decisions()) || rt.DecisionCount() == 0 {
		t.Errorf("DecisionCount %d, Decisions %d", rt.DecisionCount(), len(rt.Decisions()))
	}
	rt.Shutdown()
}
