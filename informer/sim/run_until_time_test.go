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
