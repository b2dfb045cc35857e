package informer

import (
	"strings"
	"testing"
	"time"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// runDetector runs a detector on virtual time; mutate is called at
// mutateAt. It returns the failure message and when it came.
func runDetector(t *testing.T, mutateAt time.Duration) (msg string, at time.Duration, events []trace.Event) {
	t.Helper()
	rt := sim.NewDeterministic(sim.DeterministicOptions{})
	rec := trace.NewRecorder()
	stop := sim.NewChan[struct{}](rt, "stop", 0)
	d := newCacheMutationDetector(rt, "*v1.PartialObjectMetadata", true, rec.Probe("informer"), func(m string) {
		msg, at = m, rt.Since(sim.Epoch)
	})
	o := objLabels("a", "1", map[string]string{"app": "x"})
	d.AddObject(o)
	d.AddObject(DeletedFinalStateUnknown{Key: "ns/b"}) // ignored
	rt.Go("detector", func() { d.RunWithStop(stop) })
	rt.Go("mutator", func() {
		rt.Sleep(mutateAt)
		o.Labels["app"] = "changed" // what a handler must never do
		rt.Sleep(10 * time.Minute)
		stop.Close()
	})
	for rt.Step() == nil {
	}
	return msg, at, rec.Events()
}

func TestMutationDetectorCatchesAModifiedObjectWithinAPeriod(t *testing.T) {
	msg, at, events := runDetector(t, 1500*time.Millisecond)
	if msg != "cache *v1.PartialObjectMetadata modified" {
		t.Fatalf("failure %q", msg)
	}
	if at != 2*time.Second {
		t.Fatalf("caught at %v, want at the next comparison, 2s", at)
	}
	if len(events) != 1 || events[0].Kind != trace.MutationDetected || !strings.Contains(events[0].Reason, "changed") {
		t.Fatalf("events %+v", events)
	}
}

func TestMutationDetectorForgetsObjectsAfterRetention(t *testing.T) {
	// Kept for 2 to 4 minutes: a change after 5 minutes goes unseen.
	if msg, _, _ := runDetector(t, 5*time.Minute); msg != "" {
		t.Fatalf("a change after retention was reported: %q", msg)
	}
	if msg, _, _ := runDetector(t, 3*time.Minute); msg == "" {
		t.Fatal("a change within retention was not reported")
	}
}

func TestMutationDetectorDisabledDoesNothing(t *testing.T) {
	d := newCacheMutationDetector(sim.Native(), "x", false, nil, func(string) { t.Fatal("called") })
	d.AddObject(obj("a", "1"))
	d.RunWithStop(sim.Chan[struct{}]{}) // returns at once
}
