package timeline

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/informerscope/informerscope/assets"
	"github.com/informerscope/informerscope/informer/scenario"
	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

func library(t *testing.T, name string) *scenario.Scenario {
	t.Helper()
	src, ok := assets.Scenario(name)
	if !ok {
		t.Fatalf("no scenario %s", name)
	}
	s, err := scenario.Parse(name, src)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The state at the cursor is the fold of the events before it, wherever
// the cursor got to: forward, back, or by seeking across checkpoints.
func TestSeekAndBackShowTheFoldOfThePrefix(t *testing.T) {
	tl := New(library(t, "slow-handler-backlog"))
	defer tl.Close()
	tl.Seek(3000)
	if tl.Len() < 3000 || tl.Cursor() != 3000 {
		t.Fatalf("after Seek(3000): len %d, cursor %d", tl.Len(), tl.Cursor())
	}
	events := make([]trace.Event, tl.Len())
	for i := range events {
		events[i], _ = tl.Event(i)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 40 {
		i := rng.IntN(len(events) + 1)
		tl.Seek(i)
		if d := trace.Diff(trace.Fold(events[:i]), tl.Snapshot()); d != "" {
			t.Fatalf("at %d: %s", i, d)
		}
	}
	tl.Seek(1000)
	tl.Back()
	if e, _ := tl.Event(tl.Cursor() - 1); tl.Cursor() >= 1000 || !Visible(e) {
		t.Errorf("Back went to %d, on a %v", tl.Cursor(), e.Kind)
	}
	for i := tl.Cursor(); i < 999; i++ {
		if e, _ := tl.Event(i); Visible(e) {
			t.Errorf("Back skipped the visible event %d (%v)", i, e.Kind)
		}
	}
	if d := trace.Diff(trace.Fold(events[:tl.Cursor()]), tl.Snapshot()); d != "" {
		t.Errorf("after Back: %s", d)
	}
}

// Stepping to the end runs the scenario to its end, where its
// expectations hold.
func TestStepToTheEnd(t *testing.T) {
	tl := New(library(t, "late-handler-hassynced"))
	defer tl.Close()
	steps := 0
	for tl.Step() {
		steps++
		if e, _ := tl.Event(tl.Cursor() - 1); !Visible(e) {
			t.Fatalf("Step stopped on a runtime event %v", e.Kind)
		}
	}
	if !tl.Ended() || tl.Err() != nil {
		t.Fatalf("ended %v, err %v", tl.Ended(), tl.Err())
	}
	if f := tl.Failures(); len(f) != 0 {
		t.Errorf("failures at the end: %v", f)
	}
	if tl.Now() > tl.Scenario.RunFor || steps == 0 {
		t.Errorf("%d steps, ended at %v", steps, tl.Now())
	}
}

// RunUntil stops on the first event its predicate accepts: a breakpoint.
func TestRunUntilBreakpoint(t *testing.T) {
	tl := New(library(t, "relist-tombstones"))
	defer tl.Close()
	deleted := func(e trace.Event, _ *trace.Snapshot) bool {
		return e.Kind == trace.HandlerStarted && e.Type == "delete"
	}
	if !tl.RunUntil(deleted, 100000) {
		t.Fatal("no handler got a delete in relist-tombstones")
	}
	if e, _ := tl.Event(tl.Cursor() - 1); e.Kind != trace.HandlerStarted || tl.Objects()[e.Obj-1].Key != "default/b" {
		t.Errorf("stopped at %v %s", e.Kind, e.Key)
	}
	if tl.RunUntil(func(e trace.Event, _ *trace.Snapshot) bool { return e.Kind == trace.MutationDetected }, 100000) {
		t.Error("a breakpoint that never matches fired")
	}
	if !tl.Ended() {
		t.Error("a breakpoint that never matches did not run to the end")
	}
}

// Stepping a chosen goroutine from a past cursor forks the run: the fork
// is exactly the run that had chosen that goroutine there in the first
// place.
func TestStepGoroutineForksFromThePast(t *testing.T) {
	s := library(t, "add-update-delete")
	direct := New(s)
	defer direct.Close()
	for range 30 {
		direct.Step()
	}
	direct.Seek(direct.Len()) // the end of the last step
	c := direct.Cursor()
	var id int
	for _, g := range direct.Runtime().Goroutines() {
		if g.State == sim.Runnable {
			id = g.ID // the last runnable one, rarely the seeded choice
		}
	}
	if id == 0 {
		t.Fatal("nothing runnable after 30 steps")
	}
	if err := direct.StepGoroutine(id); err != nil {
		t.Fatal(err)
	}

	forked := New(s)
	defer forked.Close()
	forked.Seek(c + 500)
	forked.Seek(c)
	if err := forked.StepGoroutine(id); err != nil {
		t.Fatal(err)
	}
	if forked.Len() != direct.Len() {
		t.Fatalf("the fork has %d events, the direct run %d", forked.Len(), direct.Len())
	}
	for i := range direct.Len() {
		a, _ := direct.Event(i)
		b, _ := forked.Event(i)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("event %d differs: %+v vs %+v", i, a, b)
		}
	}
	if forked.Cursor() != forked.Len() {
		t.Errorf("after stepping a goroutine the cursor is at %d of %d", forked.Cursor(), forked.Len())
	}
}

// An exported trace imports as the same run, which goes on as the
// original would; a bare recording imports for looking only; a trace whose
// events were changed is refused.
func TestExportImport(t *testing.T) {
	tl := New(library(t, "bookmarks"))
	defer tl.Close()
	tl.Seek(400)
	var buf bytes.Buffer
	if err := tl.Trace().Encode(&buf); err != nil {
		t.Fatal(err)
	}
	file := buf.Bytes()
	tr, err := trace.Decode(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	back, err := FromTrace(tr)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	tl.Seek(1 << 30)
	back.Seek(1 << 30)
	if tl.Len() != back.Len() || tl.Len() <= 400 {
		t.Fatalf("run to the end: %d events, the imported one %d", tl.Len(), back.Len())
	}
	for i := range tl.Len() {
		a, _ := tl.Event(i)
		b, _ := back.Event(i)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("event %d differs after import: %+v vs %+v", i, a, b)
		}
	}

	tr.Scenario, tr.Decisions = "", nil
	bare, err := FromTrace(tr)
	if err != nil {
		t.Fatal(err)
	}
	bare.Seek(1 << 30)
	if bare.Cursor() != len(tr.Events) || !bare.Ended() || bare.StepGoroutine(1) == nil {
		t.Errorf("a bare trace: cursor %d of %d, ended %v", bare.Cursor(), len(tr.Events), bare.Ended())
	}
	if d := trace.Diff(trace.Fold(tr.Events), bare.Snapshot()); d != "" {
		t.Errorf("a bare trace's state at its end: %s", d)
	}

	tampered, _ := trace.Decode(bytes.NewReader(file))
	tampered.Events[10].RV = "999999"
	if _, err := FromTrace(tampered); err == nil || !strings.Contains(err.Error(), "does not give its events") {
		t.Errorf("a changed trace imported: %v", err)
	}
}

// Before finds what a backwards scan of the trace finds.
func TestBefore(t *testing.T) {
	tl := New(library(t, "gone-410-relist"))
	defer tl.Close()
	tl.Seek(1 << 30)
	kinds := []trace.Kind{trace.HandlerStarted, trace.RelistNeeded, trace.WatchEventReceived}
	for _, c := range []int{0, 1, tl.Len() / 3, tl.Len() / 2, tl.Len()} {
		tl.Seek(c)
		var want []int
		for i := c - 1; i >= 0 && len(want) < 7; i-- {
			if e, _ := tl.Event(i); slices.Contains(kinds, e.Kind) {
				want = append(want, i)
			}
		}
		if got := tl.Before(7, kinds...); !slices.Equal(got, want) {
			t.Errorf("at %d: Before = %v, scan = %v", c, got, want)
		}
	}
}

// StepEnd is where the cursor's runtime step ends: every event up to it
// was made in that step, and the next one (if any) in a later step.
func TestStepEnd(t *testing.T) {
	tl := New(library(t, "add-update-delete"))
	defer tl.Close()
	tl.Seek(200)
	for c := 1; c < 150; c += 7 {
		tl.Seek(c)
		end := tl.StepEnd()
		if end < c || end > tl.Len() {
			t.Fatalf("at %d: StepEnd %d", c, end)
		}
		for j := c; j < end; j++ {
			if tl.r.step[j] != tl.r.step[c-1] {
				t.Errorf("at %d: event %d is of step %d, not %d", c, j, tl.r.step[j], tl.r.step[c-1])
			}
		}
		if end < tl.Len() && tl.r.step[end] == tl.r.step[c-1] {
			t.Errorf("at %d: StepEnd %d stops inside step %d", c, end, tl.r.step[c-1])
		}
	}
}
