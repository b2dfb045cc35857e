package informer

import (
	"fmt"
	"strings"
	"testing"

	"github.com/informerscope/informerscope/informer/sim"
)

// TestQueuesWaitThroughTheDeterministicRuntime runs a consumer that pops
// from an empty queue (and so waits) and a producer, both as goroutines of a
// deterministic runtime: every interleaving the seeds pick must deliver the
// same deltas, and the consumer's waits must park in the runtime.
func TestQueuesWaitThroughTheDeterministicRuntime(t *testing.T) {
	for _, mode := range []string{"deltafifo", "realfifo", "realfifo-unlocked"} {
		for seed := range uint64(10) {
			rt := sim.NewDeterministic(sim.DeterministicOptions{Seed: seed})
			var q Queue
			switch mode {
			case "deltafifo":
				q = NewDeltaFIFOWithOptions(DeltaFIFOOptions{Runtime: rt})
			case "realfifo":
				q = NewRealFIFOWithOptions(RealFIFOOptions{AtomicEvents: true, Runtime: rt})
			default:
				q = NewRealFIFOWithOptions(RealFIFOOptions{AtomicEvents: true, UnlockWhileProcessing: true, Runtime: rt})
			}
			var popped []string
			sawWaiting := false
			rt.Go("consumer", func() {
				for {
					_, err := q.Pop(func(o any, _ bool) error {
						for _, d := range o.(Deltas) {
							popped = append(popped, fmtObj(d.Object))
						}
						return nil
					})
					if err == ErrFIFOClosed {
						return
					}
				}
			})
			rt.Go("producer", func() {
				for i := range 5 {
					q.Add(obj(fmt.Sprint("o", i), fmt.Sprint(i)))
					rt.Sleep(1) // let the consumer drain and wait again
				}
				q.Close()
			})
			for {
				for _, g := range rt.Goroutines() {
					if g.Name == "consumer" && g.Waiting == "condition" {
						sawWaiting = true
					}
				}
				if err := rt.Step(); err != nil {
					if err != sim.ErrIdle {
						t.Fatal(err)
					}
					break
				}
			}
			if got := strings.Join(popped, " "); got != "o0@0 o1@1 o2@2 o3@3 o4@4" {
				t.Fatalf("%s seed %d: popped %q", mode, seed, got)
			}
			if !sawWaiting {
				t.Fatalf("%s seed %d: the consumer never waited in the runtime", mode, seed)
			}
			for _, g := range rt.Goroutines() {
				if g.State != sim.Done {
					t.Fatalf("%s seed %d: %s is %s", mode, seed, g.Name, g.State)
				}
			}
		}
	}
}
