package scenario

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"
)

// BenchmarkMockEvents: how many of the simulated server's watch events per
// second of real time an informer takes on the deterministic runtime, with
// one handler and no trace consumer beyond the fold. Every operation of the
// workload is one watch event.
func BenchmarkMockEvents(b *testing.B) {
	const ops = 20_000
	src := fmt.Sprintf("seed 1\nhandler h1\nrun 21s\nat 0s workload rate=%d/s for=20s mix=create:1,update:8,delete:1 objects=1000\n", ops/20)
	s := mustParseB(b, src)
	var calls int
	for b.Loop() {
		x := Start(s)
		failures, err := x.Run()
		if err != nil || len(failures) > 0 {
			b.Fatal(err, failures)
		}
		calls = len(x.Calls("h1"))
	}
	if calls != ops {
		b.Fatalf("the handler got %d calls for %d operations", calls, ops)
	}
	b.ReportMetric(float64(ops)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkInitialList10k: 10,000 objects on the simulated server, then an
// informer starts and syncs: by streaming list (the v0.37 default) and by
// paged LIST. It reports the time from start to synced and the peak heap
// growth while syncing, sampled every 10,000 runtime steps.
func BenchmarkInitialList10k(b *testing.B) {
	const n = 10_000
	var objects strings.Builder
	for i := range n {
		fmt.Fprintf(&objects, "object ns%d/cm-%d app=web\n", i%10, i)
	}
	for _, mode := range []struct{ name, gate string }{
		{"watchlist", ""},
		{"list", "gate WatchListClient=false\n"},
	} {
		b.Run(mode.name, func(b *testing.B) {
			s := mustParseB(b, "seed 1\n"+mode.gate+objects.String()+"handler h1\nrun 1s\nexpect store count=10000\n")
			var peak uint64
			var took time.Duration
			for b.Loop() {
				b.StopTimer()
				x := Start(s)
				// Let the driver create the objects; the informer starts
				// after it, at the same instant.
				if err := x.Runtime.RunUntil(func() bool { return x.Server.ResourceVersion() >= n }, maxSteps); err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				base := heapBytes()
				b.StartTimer()
				start := time.Now()
				steps := 0
				err := x.Runtime.RunUntil(func() bool {
					if steps++; steps%10_000 == 0 {
						peak = max(peak, heapBytes()-min(base, heapBytes()))
					}
					return x.Informer.HasSynced() && len(x.Calls("h1")) == n
				}, maxSteps)
				took = time.Since(start)
				b.StopTimer()
				if err != nil {
					b.Fatal(err)
				}
				if msgs, err := x.Run(); err != nil || len(msgs) > 0 {
					b.Fatal(err, msgs)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(took.Milliseconds()), "ms-to-synced")
			b.ReportMetric(float64(n)/took.Seconds(), "objects/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// heapBytes is the live and not yet swept heap, read without stopping the
// world.
func heapBytes() uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}

func mustParseB(b *testing.B, src string) *Scenario {
	b.Helper()
	s, err := Parse("bench", src)
	if err != nil {
		b.Fatal(err)
	}
	return s
}
