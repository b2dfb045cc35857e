package sim

import (
	"testing"
	"time"
)

// BenchmarkDeterministicSteps measures scheduler steps per second: two
// goroutines play ping-pong on unbuffered channels, so every step is one
// channel operation and one baton hand-off.
func BenchmarkDeterministicSteps(b *testing.B) {
	rt := NewDeterministic(DeterministicOptions{Seed: 1})
	ping := NewChan[int](rt, "ping", 0)
	pong := NewChan[int](rt, "pong", 0)
	rt.Go("pinger", func() {
		for i := 0; ; i++ {
			ping.Send(i)
			pong.Recv()
		}
	})
	rt.Go("ponger", func() {
		for {
			v, _ := ping.Recv()
			pong.Send(v)
		}
	})
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		if err := rt.Step(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "steps/s")
	b.StopTimer()
	rt.Shutdown()
}
