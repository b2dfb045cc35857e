package sim

import (
	"container/heap"
	"fmt"
	"time"
)

// timer is an armed deadline: a sleeping goroutine to wake, or a channel to
// deliver the time on.
type timer struct {
	when   time.Time
	seq    int // arming order, so that equal deadlines fire in order
	sleepy *goroutine
	c      *dchan        // for timers and tickers
	period time.Duration // for tickers
	index  int           // in the heap; -1 when not armed
}

// timerQueue is a min-heap of armed timers by deadline.
type timerQueue []*timer

func (q timerQueue) Len() int { return len(q) }
func (q timerQueue) Less(i, j int) bool {
	if !q[i].when.Equal(q[j].when) {
		return q[i].when.Before(q[j].when)
	}
	return q[i].seq < q[j].seq
}
func (q timerQueue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].index, q[j].index = i, j
}
func (q *timerQueue) Push(x any) {
	t := x.(*timer)
	t.index = len(*q)
	*q = append(*q, t)
}
func (q *timerQueue) Pop() any {
	old := *q
	t := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	t.index = -1
	return t
}

func (rt *Deterministic) arm(t *timer, d time.Duration) {
	t.when = rt.now.Add(max(d, 0))
	rt.timerSeq++
	t.seq = rt.timerSeq
	heap.Push(&rt.timers, t)
}

func (rt *Deterministic) disarm(t *timer) bool {
	if t.index < 0 {
		return false
	}
	heap.Remove(&rt.timers, t.index)
	return true
}

// advanceClock moves the clock to the earliest deadline and fires every
// timer due then. It reports false when no timer is armed.
func (rt *Deterministic) advanceClock() bool {
	if len(rt.timers) == 0 {
		return false
	}
	rt.now = rt.timers[0].when
	for len(rt.timers) > 0 && !rt.timers[0].when.After(rt.now) {
		t := heap.Pop(&rt.timers).(*timer)
		switch {
		case t.sleepy != nil:
			rt.ready(t.sleepy)
		case t.c.canSend() && !t.c.closed:
			// A buffered channel of one: a tick nobody took is dropped.
			t.c.doSend(rt.now)
		}
		if t.period > 0 {
			rt.arm(t, t.period)
		}
	}
	return true
}

// Now returns the virtual time.
func (rt *Deterministic) Now() time.Time { return rt.now }

// Since returns the virtual time elapsed since t.
func (rt *Deterministic) Since(t time.Time) time.Duration { return rt.now.Sub(t) }

// Sleep parks the goroutine until the clock reaches now+d.
func (rt *Deterministic) Sleep(d time.Duration) {
	g := rt.cur
	if g == nil {
		panic("sim: Sleep outside a goroutine of the runtime")
	}
	t := &timer{sleepy: g, index: -1}
	rt.arm(t, d)
	g.state = Sleeping
	g.wakeAt = t.when
	rt.laneChanged(g)
	rt.park("sleep")
	g.waiting = ""
}

type dtimer struct {
	rt *Deterministic
	t  *timer
}

// NewTimer returns a timer that delivers the time on its channel after d.
func (rt *Deterministic) NewTimer(d time.Duration) Timer {
	t := &timer{c: &dchan{rt: rt, label: "timer", size: 1}, index: -1}
	rt.arm(t, d)
	return &dtimer{rt: rt, t: t}
}

func (t *dtimer) C() Chan[time.Time] { return Chan[time.Time]{c: t.t.c} }
func (t *dtimer) Stop() bool         { return t.rt.disarm(t.t) }
func (t *dtimer) Reset(d time.Duration) bool {
	was := t.rt.disarm(t.t)
	t.rt.arm(t.t, d)
	return was
}

type dticker struct {
	rt *Deterministic
	t  *timer
}

// NewTicker returns a ticker that delivers the time every d.
func (rt *Deterministic) NewTicker(d time.Duration) Ticker {
	if d <= 0 {
		panic("sim: non-positive interval for NewTicker")
	}
	t := &timer{c: &dchan{rt: rt, label: "ticker", size: 1}, period: d, index: -1}
	rt.arm(t, d)
	return &dticker{rt: rt, t: t}
}

func (t *dticker) C() Chan[time.Time] { return Chan[time.Time]{c: t.t.c} }
func (t *dticker) Stop()              { t.rt.disarm(t.t) }

// RunUntilTime steps until nothing can run at or before t, for at most
// maxSteps steps, then moves the clock to t if it is still earlier: the
// state "at t" once everything due by then has happened. It stops early on
// a panic, and ErrIdle is not an error here: an idle runtime has simply
// reached t.
func (rt *Deterministic) RunUntilTime(t time.Time, maxSteps int) error {
	for range maxSteps {
		if !rt.CanRunBy(t) {
			if rt.now.Before(t) {
				rt.now = t
			}
			return nil
		}
		if err := rt.Step(); err != nil && err != ErrIdle {
			return err
		}
	}
	return fmt.Errorf("sim: %v not reached in %d steps", t.Sub(Epoch), maxSteps)
}

// CanRunBy tells whether a step can happen at or before t: a goroutine is
// runnable, or a timer is due by then.
func (rt *Deterministic) CanRunBy(t time.Time) bool {
	return len(rt.runnable()) > 0 || (len(rt.timers) > 0 && !rt.timers[0].when.After(t))
}
