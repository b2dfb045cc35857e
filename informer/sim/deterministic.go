package sim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// Epoch is where the deterministic clock starts.
var Epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// DeterministicOptions configures a Deterministic runtime.
type DeterministicOptions struct {
	// Seed seeds every random choice: which goroutine runs next, which
	// ready case a select takes, and the core's own randomness.
	Seed uint64
	// Replay, if set, are the decisions of an earlier run (see Decisions):
	// the run makes the same ones, in order, whatever the seed, then seeded
	// choices take over. Replaying a prefix and stepping on is a fork. A
	// replayed decision that no longer fits (the program changed) ends the
	// replay there.
	Replay []uint64
}

// Deterministic is a Runtime that runs one goroutine at a time. It is also
// the driver that decides who runs: Step, StepGoroutine and RunUntil move the
// run forward, Goroutines lists who is waiting for what.
//
// The driver methods must be called from one goroutine that is not one of
// the runtime's. Between two driver calls every goroutine of the runtime is
// parked, so that goroutine may also call the runtime's non-blocking
// operations (a send that a buffer or a waiting receiver takes, Close,
// Broadcast, an uncontended Lock); anything that would block panics there.
type Deterministic struct {
	rng      *rand.Rand
	now      time.Time
	gs       []*goroutine // by id, id = index + 1
	cur      *goroutine   // the goroutine holding the baton, nil between steps
	yield    chan struct{}
	timers   timerQueue
	timerSeq int

	choices []int // goroutine ids run so far, one per step
	// decisions are every choice the run made, in order: the goroutine of
	// each step, the case of each select with several ready, and every
	// random number drawn. replay are those to make again.
	decisions []uint64
	replay    []uint64
	killing   bool
	// onLane, if set, hears every lane change; see OnLaneChange.
	onLane func(LaneChange)
}

// LaneChange reports that goroutine ID became State: started (Runnable,
// with its Name), Blocked on Waiting, Sleeping until WakeAt, Runnable again,
// or Done (with what it panicked with, if it did). A goroutine runs only
// inside a step, so between steps these are the states there are.
type LaneChange struct {
	New     bool // the goroutine was just started
	ID      int
	Name    string
	State   State
	Waiting string
	WakeAt  time.Time
	Panic   any
}

// OnLaneChange makes fn hear every lane change, on the goroutine that
// causes it. fn must not call the runtime.
func (rt *Deterministic) OnLaneChange(fn func(LaneChange)) { rt.onLane = fn }

func (rt *Deterministic) laneChanged(g *goroutine) {
	if rt.onLane != nil {
		rt.onLane(LaneChange{ID: g.id, Name: g.name, State: g.state, Waiting: g.waiting, WakeAt: g.wakeAt, Panic: g.panicked})
	}
}

var _ Runtime = (*Deterministic)(nil)

// NewDeterministic returns a runtime with no goroutines, at Epoch.
func NewDeterministic(opts DeterministicOptions) *Deterministic {
	return &Deterministic{
		rng:    rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)),
		now:    Epoch,
		yield:  make(chan struct{}),
		replay: slices.Clone(opts.Replay),
	}
}

// State is what a goroutine is doing.
type State int

const (
	Runnable State = iota // ready to run; waits for the scheduler
	Running               // holds the baton
	Blocked               // waits on channels, a lock or a condition
	Sleeping              // waits for the clock
	Done                  // returned or panicked
)

func (s State) String() string {
	return [...]string{"runnable", "running", "blocked", "sleeping", "done"}[s]
}

// goroutine is one goroutine of the runtime: a real goroutine that runs only
// while it holds the baton.
type goroutine struct {
	id    int
	name  string
	state State
	// waiting says what a blocked or sleeping goroutine waits for.
	waiting string
	wakeAt  time.Time
	wake    chan struct{}
	// panicked holds what the goroutine panicked with, if it did;
	// reported records that a Step returned it.
	panicked any
	reported bool
	// sel is the select a blocked goroutine waits in.
	sel   *selectWait
	owner *Deterministic
}

// GoroutineInfo describes a goroutine for the driver's caller.
type GoroutineInfo struct {
	ID      int
	Name    string
	State   State
	Waiting string    // for Blocked: "send on addCh", "lock indexer", ...
	WakeAt  time.Time // for Sleeping
	Panic   any       // for Done: what it panicked with, if it did
}

// Goroutines lists every goroutine ever started, by id.
func (rt *Deterministic) Goroutines() []GoroutineInfo {
	out := make([]GoroutineInfo, len(rt.gs))
	for i, g := range rt.gs {
		out[i] = GoroutineInfo{ID: g.id, Name: g.name, State: g.state, Waiting: g.waiting, WakeAt: g.wakeAt, Panic: g.panicked}
	}
	return out
}

// Choices returns the id of the goroutine each step ran, in order.
func (rt *Deterministic) Choices() []int { return slices.Clone(rt.choices) }

// Decisions returns every decision made so far; with Replay they reproduce
// the run exactly, under any seed.
func (rt *Deterministic) Decisions() []uint64 { return slices.Clone(rt.decisions) }

// DecisionCount is len(Decisions()), without the copy: a driver notes it
// before each step to know where to cut a replay that forks there.
func (rt *Deterministic) DecisionCount() int { return len(rt.decisions) }

// replayed returns the next decision to replay, if any is left and valid
// says it fits; a misfit ends the replay.
func (rt *Deterministic) replayed(valid func(uint64) bool) (uint64, bool) {
	n := len(rt.decisions)
	if n >= len(rt.replay) {
		return 0, false
	}
	if v := rt.replay[n]; valid(v) {
		return v, true
	}
	rt.replay = rt.replay[:n]
	return 0, false
}

// decideN picks a number in [0, n): replayed, or seeded.
func (rt *Deterministic) decideN(n int) int {
	seeded := uint64(rt.rng.IntN(n)) // drawn anyway; see Step
	v, ok := rt.replayed(func(v uint64) bool { return v < uint64(n) })
	if !ok {
		v = seeded
	}
	rt.decisions = append(rt.decisions, v)
	return int(v)
}

// Steps returns how many steps have run.
func (rt *Deterministic) Steps() int { return len(rt.choices) }

// Go starts fn as a new goroutine, runnable; it first runs when the
// scheduler picks it.
func (rt *Deterministic) Go(name string, fn func()) {
	g := &goroutine{id: len(rt.gs) + 1, name: name, wake: make(chan struct{}), owner: rt}
	rt.gs = append(rt.gs, g)
	if rt.onLane != nil {
		rt.onLane(LaneChange{New: true, ID: g.id, Name: name, State: Runnable})
	}
	go rt.body(g, fn)
}

// errKilled unwinds a goroutine that Shutdown ends.
var errKilled = errors.New("sim: goroutine ended by Shutdown")

func (rt *Deterministic) body(g *goroutine, fn func()) {
	<-g.wake
	defer func() {
		if r := recover(); r != nil && r != errKilled {
			g.panicked = r
		}
		g.state = Done
		g.waiting = ""
		rt.laneChanged(g)
		rt.cur = nil
		rt.yield <- struct{}{}
	}()
	fn()
}

// ErrIdle is returned by Step when no goroutine can run and no timer is
// armed: the run is over, or waits for input from outside.
var ErrIdle = errors.New("sim: no goroutine can run and no timer is armed")

// PanicError reports a goroutine that panicked. The run can go on; the
// goroutine is Done.
type PanicError struct {
	Goroutine string
	Value     any
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("sim: goroutine %s panicked: %v", e.Goroutine, e.Value)
}

// Step runs one goroutine until it next blocks, yields or returns. When no
// goroutine is runnable it first moves the clock to the earliest timer. The
// goroutine is the next replayed choice, else a seeded one. Step returns
// ErrIdle when nothing can run, and a *PanicError when the goroutine
// panicked.
func (rt *Deterministic) Step() error {
	runnable := rt.runnable()
	if len(runnable) == 0 {
		if !rt.advanceClock() {
			return ErrIdle
		}
		runnable = rt.runnable()
		if len(runnable) == 0 {
			// Only timers with nobody waiting on them fired.
			return nil
		}
	}
	// The seeded source is drawn from even when a replayed decision wins:
	// a replay of the same seed then leaves the source where the original
	// run left it, so the run goes on exactly as the original did.
	seeded := uint64(runnable[rt.rng.IntN(len(runnable))].id)
	id, ok := rt.replayed(func(v uint64) bool {
		return v >= 1 && v <= uint64(len(rt.gs)) && rt.gs[v-1].state == Runnable
	})
	if !ok {
		id = seeded
	}
	return rt.run(rt.gs[id-1])
}

// StepGoroutine runs the goroutine with the given id, which must be
// runnable, until it next blocks, yields or returns.
func (rt *Deterministic) StepGoroutine(id int) error {
	if id < 1 || id > len(rt.gs) {
		return fmt.Errorf("sim: no goroutine %d", id)
	}
	g := rt.gs[id-1]
	if g.state != Runnable {
		return fmt.Errorf("sim: goroutine %d (%s) is %s, not runnable", id, g.name, g.state)
	}
	// An explicit choice forks the run: the replay, if any, ends here.
	rt.replay = rt.replay[:min(len(rt.replay), len(rt.decisions))]
	return rt.run(g)
}

// RunUntil steps until done returns true, checking it before every step,
// for at most maxSteps steps. It stops early on ErrIdle or a panic.
func (rt *Deterministic) RunUntil(done func() bool, maxSteps int) error {
	for range maxSteps {
		if done() {
			return nil
		}
		if err := rt.Step(); err != nil {
			return err
		}
	}
	if done() {
		return nil
	}
	return fmt.Errorf("sim: condition not reached in %d steps", maxSteps)
}

// run hands the baton to g and waits until g gives it back.
func (rt *Deterministic) run(g *goroutine) error {
	rt.choices = append(rt.choices, g.id)
	rt.decisions = append(rt.decisions, uint64(g.id))
	g.state = Running
	rt.cur = g
	g.wake <- struct{}{}
	<-rt.yield
	rt.cur = nil
	if g.state == Done && g.panicked != nil && !g.reported {
		g.reported = true
		return &PanicError{Goroutine: fmt.Sprintf("%d (%s)", g.id, g.name), Value: g.panicked}
	}
	return nil
}

func (rt *Deterministic) runnable() []*goroutine {
	var out []*goroutine
	for _, g := range rt.gs {
		if g.state == Runnable {
			out = append(out, g)
		}
	}
	return out
}

// park gives the baton back to the scheduler and waits to be run again. The
// caller has set g's state (Runnable to merely yield).
func (rt *Deterministic) park(what string) {
	g := rt.cur
	if g == nil {
		panic("sim: " + what + " would block outside a goroutine of the runtime")
	}
	if rt.killing {
		panic(errKilled)
	}
	rt.cur = nil
	rt.yield <- struct{}{}
	<-g.wake
	if rt.killing {
		panic(errKilled)
	}
}

// yieldRunnable ends the current goroutine's step without blocking it: every
// runtime call is a point where the scheduler may switch goroutines.
func (rt *Deterministic) yieldRunnable() {
	g := rt.cur
	if g == nil || rt.killing {
		return
	}
	g.state = Runnable
	rt.park("yield")
}

// block parks the current goroutine as Blocked on what.
func (rt *Deterministic) block(what string) {
	g := rt.cur
	if g == nil {
		panic("sim: " + what + " would block outside a goroutine of the runtime")
	}
	g.state = Blocked
	g.waiting = what
	rt.laneChanged(g)
	rt.park(what)
	g.waiting = ""
}

// ready makes a blocked or sleeping goroutine runnable.
func (rt *Deterministic) ready(g *goroutine) {
	if g.state == Blocked || g.state == Sleeping {
		g.state = Runnable
		g.waiting = ""
		g.wakeAt = time.Time{}
		rt.laneChanged(g)
	}
}

// Shutdown ends every goroutine that has not returned, so that none
// outlives the run: each unwinds from the point it is parked at, running its
// deferred calls, which must not block.
func (rt *Deterministic) Shutdown() {
	rt.killing = true
	for _, g := range rt.gs {
		if g.state == Done {
			continue
		}
		g.state = Running
		rt.cur = g
		g.wake <- struct{}{}
		<-rt.yield
		rt.cur = nil
	}
	rt.timers = nil
}

// Float64 draws from the runtime's seeded source (or the replay).
func (rt *Deterministic) Float64() float64 {
	seeded := math.Float64bits(rt.rng.Float64()) // drawn anyway; see Step
	v, ok := rt.replayed(func(v uint64) bool { f := math.Float64frombits(v); return f >= 0 && f < 1 })
	if !ok {
		v = seeded
	}
	rt.decisions = append(rt.decisions, v)
	return math.Float64frombits(v)
}

// Int64N draws from the runtime's seeded source (or the replay).
func (rt *Deterministic) Int64N(n int64) int64 {
	seeded := uint64(rt.rng.Int64N(n)) // drawn anyway; see Step
	v, ok := rt.replayed(func(v uint64) bool { return v < uint64(n) })
	if !ok {
		v = seeded
	}
	rt.decisions = append(rt.decisions, v)
	return int64(v)
}
