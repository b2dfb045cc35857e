// Package timeline is the page's model of one run of a scenario: the trace
// recorded so far, a cursor into it, and the state at the cursor. Moving
// forward past what is recorded runs the simulation one runtime step at a
// time; moving back only moves the cursor and folds the trace again from
// the nearest checkpoint. It knows nothing of go-app, so it is tested
// natively.
package timeline

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"time"

	"github.com/informerscope/informerscope/informer/scenario"
	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// checkpointEvery is how many events lie between two kept snapshots at
// least: a seek folds about this many events. Between larger snapshots the
// gap grows with their size (see keep), so that copying them costs no
// more than the events between them: a run over 10,000 objects would
// otherwise spend its time cloning.
const checkpointEvery = 256

// maxStepsPerEvent bounds the runtime steps spent looking for the next
// event, so a runaway scenario cannot hang the page.
const maxStepsPerEvent = 1_000_000

// Timeline is one run of a scenario, seen through its trace.
type Timeline struct {
	Scenario *scenario.Scenario
	source   scenario.Source // nil: the simulated server
	r        *run

	cursor int
	snap   *trace.Snapshot // the state after events[:cursor]
}

// run is what the simulation recorded: a fork replaces it whole.
type run struct {
	// sess is nil for a trace imported without its scenario: it can be
	// looked at, not run further.
	sess *scenario.Session
	// objects is the object table: a bare recording's, or a copy of the
	// recorder's, which only grows and is brought up to date on reading.
	objects []trace.Object
	events  []trace.Event
	// at is the virtual time of each event; step the runtime step during
	// which it was emitted (1 for the first step).
	at   []time.Duration
	step []int
	// stepStart[s] is how many decisions the runtime had made before step
	// s+1 began: replaying that many ends a fork exactly after step s.
	stepStart []int
	// checkpoints[k] is the state after events[:checkpointAt[k]]; next is
	// when the next one is due.
	checkpoints  []*trace.Snapshot
	checkpointAt []int
	next         int
	// byKind lists the indices of each kind's events, in order, so that a
	// view finds the last relist or handler call before the cursor without
	// scanning the trace.
	byKind map[trace.Kind][]int
	ended  bool
	// err is what stopped the run early: a panic in the simulation, or a
	// runaway loop.
	err error

	// live, liveRec and tail are a live run's (live.go): its feed, its
	// recorder, and the fold of every event pulled so far, for checkpoints.
	live    *liveFeed
	liveRec *trace.Recorder
	tail    *trace.Snapshot
}

// New starts a timeline at step 0: nothing has run.
func New(s *scenario.Scenario) *Timeline { return NewFrom(s, nil) }

// NewFrom is New with the informer fed by source instead of the simulated
// server (see scenario.StartFrom): a recorded stream, replayed.
func NewFrom(s *scenario.Scenario, source scenario.Source) *Timeline {
	return &Timeline{Scenario: s, source: source, r: newRun(s, nil, source), snap: trace.NewSnapshot()}
}

func newRun(s *scenario.Scenario, replay []uint64, source scenario.Source) *run {
	r := newRunState()
	r.sess = scenario.StartFrom(s, replay, source)
	// Building the session already recorded a few events (the indexer's
	// indexers, the scenario's goroutine): they come first, at step 0.
	r.events = r.sess.Recorder.Events()
	r.at = make([]time.Duration, len(r.events))
	r.step = make([]int, len(r.events))
	for i, e := range r.events {
		r.byKind[e.Kind] = append(r.byKind[e.Kind], i)
	}
	r.sess.OnEvent(func(e trace.Event) {
		r.byKind[e.Kind] = append(r.byKind[e.Kind], len(r.events))
		r.events = append(r.events, e)
		r.at = append(r.at, r.sess.Runtime.Since(sim.Epoch))
		r.step = append(r.step, r.sess.Runtime.Steps())
		// The session's own fold is exactly the state after this event.
		r.keep(r.sess.Fold)
	})
	return r
}

// Len is the number of events recorded so far; Cursor how many of them the
// view shows.
func (t *Timeline) Len() int    { return len(t.r.events) }
func (t *Timeline) Cursor() int { return t.cursor }

// Ended tells whether the run is over: the scenario's time is up and
// nothing more can happen before it, or the run broke (see Err).
func (t *Timeline) Ended() bool { return t.r.ended }

// Err is why the run stopped early, if it did.
func (t *Timeline) Err() error { return t.r.err }

// Snapshot is the state at the cursor. It belongs to the timeline: read
// it, do not change it.
func (t *Timeline) Snapshot() *trace.Snapshot { return t.snap }

// Event returns event i (0-based) and its virtual time.
func (t *Timeline) Event(i int) (trace.Event, time.Duration) { return t.r.events[i], t.r.at[i] }

// Objects is the object table of the trace: Objects()[r-1] is ObjRef r.
func (t *Timeline) Objects() []trace.Object {
	r := t.r
	switch {
	case r.sess != nil:
		r.objects = append(r.objects, r.sess.Recorder.ObjectsFrom(len(r.objects))...)
	case r.liveRec != nil:
		r.objects = append(r.objects, r.liveRec.ObjectsFrom(len(r.objects))...)
	}
	return r.objects
}

// Before returns the indices of the events of the given kinds before the
// cursor, newest first, at most n of them.
func (t *Timeline) Before(n int, kinds ...trace.Kind) []int {
	var out []int
	pos := make([]int, len(kinds)) // per kind, how many of its indices are before the cursor
	for k, kind := range kinds {
		idx := t.r.byKind[kind]
		pos[k] = sort.SearchInts(idx, t.cursor)
	}
	for len(out) < n {
		best, bk := -1, -1
		for k, kind := range kinds {
			if pos[k] > 0 {
				if i := t.r.byKind[kind][pos[k]-1]; i > best {
					best, bk = i, k
				}
			}
		}
		if bk < 0 {
			break
		}
		pos[bk]--
		out = append(out, best)
	}
	return out
}

// Trace is the run up to the cursor, for export: with the scenario and
// the runtime's decisions, so that FromTrace can make the run again (and
// go on past the cursor as this one would).
func (t *Timeline) Trace() *trace.Trace {
	if t.r.sess == nil {
		return &trace.Trace{Objects: t.Objects(), Events: t.r.events[:t.cursor]}
	}
	tr := t.r.sess.Recorder.Trace()
	tr.Events = tr.Events[:t.cursor]
	tr.Scenario = scenario.Format(t.Scenario)
	tr.Decisions = t.r.sess.Runtime.Decisions()
	return tr
}

// FromTrace opens a trace file's run. A trace that carries its scenario
// and decisions is made again, event for event, and can be run on; one
// that does not (or whose replay differs) can only be looked at.
func FromTrace(tr *trace.Trace) (*Timeline, error) {
	if tr.Scenario == "" {
		return fromEvents(tr), nil
	}
	s, err := scenario.Parse("imported", tr.Scenario)
	if err != nil {
		return nil, fmt.Errorf("the trace's scenario does not parse: %w", err)
	}
	t := &Timeline{Scenario: s, r: newRun(s, tr.Decisions, nil), snap: trace.NewSnapshot()}
	for len(t.r.events) < len(tr.Events) && t.r.record() {
	}
	if len(t.r.events) < len(tr.Events) || !sameEvents(t.r.events[:len(tr.Events)], tr.Events) {
		t.Close()
		return nil, fmt.Errorf("replaying the trace's scenario does not give its events: the file was changed, or made by another version")
	}
	return t, nil
}

// fromEvents is a timeline of a bare recording: already ended.
func fromEvents(tr *trace.Trace) *Timeline {
	r := newRunState()
	r.objects, r.events, r.ended = tr.Objects, tr.Events, true
	r.at = make([]time.Duration, len(r.events))
	r.step = make([]int, len(r.events))
	snap := trace.NewSnapshot()
	for i, e := range r.events {
		r.byKind[e.Kind] = append(r.byKind[e.Kind], i)
		snap.Apply(e)
		r.keepAt(i+1, snap)
	}
	return &Timeline{Scenario: &scenario.Scenario{Name: "imported trace"}, r: r, snap: trace.NewSnapshot()}
}

func sameEvents(a, b []trace.Event) bool {
	for i := range a {
		if !reflect.DeepEqual(a[i], b[i]) {
			return false
		}
	}
	return true
}

// Now is the virtual time at the cursor: that of the last event shown.
func (t *Timeline) Now() time.Duration {
	if t.cursor == 0 {
		return 0
	}
	return t.r.at[t.cursor-1]
}

// Runtime is the simulation's runtime, for its goroutine lanes. Its state
// is that of the live edge (the last event recorded), not of the cursor.
func (t *Timeline) Runtime() *sim.Deterministic {
	if t.r.sess == nil {
		return nil
	}
	return t.r.sess.Runtime
}

// Failures are the scenario's expectations that do not hold, checked once
// the run has ended; nil before.
func (t *Timeline) Failures() []string {
	if !t.r.ended || t.r.err != nil || t.r.sess == nil {
		return nil
	}
	return t.r.sess.CheckNow()
}

func newRunState() *run {
	return &run{checkpoints: []*trace.Snapshot{trace.NewSnapshot()}, checkpointAt: []int{0}, next: checkpointEvery, byKind: map[trace.Kind][]int{}}
}

// keep keeps a copy of s, the state after every event recorded, if a
// checkpoint is due.
func (r *run) keep(s *trace.Snapshot) { r.keepAt(len(r.events), s) }

func (r *run) keepAt(n int, s *trace.Snapshot) {
	if n < r.next {
		return
	}
	r.checkpoints = append(r.checkpoints, s.Clone())
	r.checkpointAt = append(r.checkpointAt, n)
	r.next = n + max(checkpointEvery, weight(s))
}

// weight is about how many entries a snapshot holds: what a clone copies.
func weight(s *trace.Snapshot) int {
	n := len(s.Goroutines)
	for _, st := range s.Stores {
		n += len(st.Items)
	}
	for _, q := range s.Queues {
		n += len(q.Entries)
	}
	for _, sv := range s.Servers {
		for _, r := range sv.Resources {
			n += len(r.Objects)
		}
	}
	return n
}

// record runs the simulation until it emits at least one more event, or
// ends. It reports whether an event came.
func (r *run) record() bool {
	if r.live != nil {
		return false // events come when the cluster sends them
	}
	n := len(r.events)
	for steps := 0; len(r.events) == n; steps++ {
		if r.ended {
			return false
		}
		rt := r.sess.Runtime
		if !rt.CanRunBy(r.sess.End()) || steps >= maxStepsPerEvent {
			if steps >= maxStepsPerEvent {
				r.err = fmt.Errorf("no event in %d runtime steps: the scenario loops without doing anything", maxStepsPerEvent)
			}
			r.ended = true
			return false
		}
		if err := r.stepOnce(0); err != nil {
			r.err, r.ended = err, true
		}
	}
	return true
}

// stepOnce runs one runtime step: goroutine id, or the runtime's choice
// when id is 0.
func (r *run) stepOnce(id int) error {
	rt := r.sess.Runtime
	r.stepStart = append(r.stepStart, rt.DecisionCount())
	var err error
	if id == 0 {
		err = rt.Step()
	} else {
		err = rt.StepGoroutine(id)
	}
	if errors.Is(err, sim.ErrIdle) {
		return nil
	}
	return err
}

// Forward moves the cursor one event on, running the simulation if the
// cursor is at the live edge. It reports false at the end of the run.
func (t *Timeline) Forward() bool {
	if t.cursor == len(t.r.events) && !t.r.record() {
		return false
	}
	t.snap.Apply(t.r.events[t.cursor])
	t.cursor++
	return true
}

// Next returns the event after the cursor, running the simulation to make
// it if needed, without moving the cursor; false at the end of the run.
func (t *Timeline) Next() (trace.Event, time.Duration, bool) {
	if t.cursor == len(t.r.events) && !t.r.record() {
		return trace.Event{}, 0, false
	}
	return t.r.events[t.cursor], t.r.at[t.cursor], true
}

// Seek moves the cursor to i events, running the simulation as far as
// needed (and no further than its end).
func (t *Timeline) Seek(i int) {
	r := t.r
	i = max(i, 0)
	for len(r.events) < i && r.record() {
	}
	i = min(i, len(r.events))
	k := sort.SearchInts(r.checkpointAt, i+1) - 1 // the last checkpoint at or before i
	if i >= t.cursor && i-t.cursor <= i-r.checkpointAt[k] {
		for t.cursor < i {
			t.snap.Apply(r.events[t.cursor])
			t.cursor++
		}
		return
	}
	t.snap = r.checkpoints[k].Clone()
	for j := r.checkpointAt[k]; j < i; j++ {
		t.snap.Apply(r.events[j])
	}
	t.cursor = i
}

// Visible tells whether an event is one a user steps to: the runtime's
// own lane changes are folded into the lanes but are not steps of their
// own.
func Visible(e trace.Event) bool { return e.Kind.Area() != "runtime" }

// Step moves the cursor to just after the next visible event. It reports
// false at the end of the run.
func (t *Timeline) Step() bool {
	for t.Forward() {
		if Visible(t.r.events[t.cursor-1]) {
			return true
		}
	}
	return false
}

// Back moves the cursor to just after the previous visible event (or to
// the start).
func (t *Timeline) Back() {
	i := t.cursor - 1
	for i > 0 && !Visible(t.r.events[i-1]) {
		i--
	}
	t.Seek(max(i, 0))
}

// RunUntil steps until hit holds for a visible event just applied (the
// snapshot passed is the state after it), for at most max events. It
// reports whether hit fired; false means the run ended or max was reached.
func (t *Timeline) RunUntil(hit func(e trace.Event, s *trace.Snapshot) bool, max int) bool {
	for range max {
		if !t.Step() {
			return false
		}
		if hit(t.r.events[t.cursor-1], t.snap) {
			return true
		}
	}
	return false
}

// StepEnd is where the runtime step of the event before the cursor ends:
// the cursor there shows the goroutines as they are between steps, which
// is where StepGoroutine can choose one.
func (t *Timeline) StepEnd() int {
	if t.cursor == 0 || t.r.sess == nil {
		return t.cursor
	}
	s, j := t.r.step[t.cursor-1], t.cursor
	for j < len(t.r.events) && t.r.step[j] == s {
		j++
	}
	return j
}

// StepGoroutine runs goroutine id for one step from the state at the
// cursor. At the live edge that is one more step of the run. In the past,
// it forks: a new run replays this one's decisions to the end of the step
// the cursor is in, then runs id instead of what came next; the events
// after the cursor's step are dropped.
func (t *Timeline) StepGoroutine(id int) error {
	if t.r.live != nil {
		return ErrLive
	}
	if t.r.sess == nil {
		return fmt.Errorf("this trace was imported without its scenario: it can be replayed, not run further")
	}
	if t.cursor < len(t.r.events) {
		if err := t.fork(); err != nil {
			return err
		}
	} else if t.r.ended {
		return fmt.Errorf("the run has ended")
	}
	if err := t.r.stepOnce(id); err != nil {
		t.r.stepStart = t.r.stepStart[:len(t.r.stepStart)-1]
		return err
	}
	t.Seek(len(t.r.events))
	return nil
}

// fork replaces the run with one that replays it to the end of the step
// of the event before the cursor. The events up to the cursor are the same
// in both, so the state shown stays.
func (t *Timeline) fork() error {
	steps := 0
	if t.cursor > 0 {
		steps = t.r.step[t.cursor-1]
	}
	decisions := t.r.sess.Runtime.Decisions()
	cut := len(decisions)
	if steps < len(t.r.stepStart) {
		cut = t.r.stepStart[steps]
	}
	f := newRun(t.Scenario, decisions[:cut], t.source)
	for f.sess.Runtime.Steps() < steps {
		before := f.sess.Runtime.DecisionCount()
		if err := f.stepOnce(0); err != nil {
			f.sess.Runtime.Shutdown()
			return fmt.Errorf("replaying to step %d: %w", steps, err)
		}
		if f.sess.Runtime.DecisionCount() == before {
			// Nothing could run: the replay cannot reach the step, and
			// must not spin trying.
			f.sess.Runtime.Shutdown()
			return fmt.Errorf("the replay stopped at step %d of %d", f.sess.Runtime.Steps(), steps)
		}
	}
	if len(f.events) < t.cursor {
		f.sess.Runtime.Shutdown()
		return fmt.Errorf("the replay made %d events, not the %d shown", len(f.events), t.cursor)
	}
	t.Close()
	t.r = f
	return nil
}

// Close stops the simulation's goroutines.
func (t *Timeline) Close() {
	if t.r.sess != nil {
		t.r.sess.Runtime.Shutdown()
	}
}
