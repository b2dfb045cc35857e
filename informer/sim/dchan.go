package sim

import "strings"

// dchan is a channel of the deterministic runtime: a buffer and the queues
// of goroutines waiting to send and to receive, as in Go's own runtime.
type dchan struct {
	rt     *Deterministic
	label  string
	size   int
	buf    []any
	closed bool
	recvq  []*waiter
	sendq  []*waiter
}

// waiter is a goroutine waiting in a select on one case.
type waiter struct {
	sel   *selectWait
	index int // the case's index in its select
	val   any // the value to send
}

// selectWait is one parked select; the first case to fire wins it, and the
// waiters of the other cases are then stale and skipped.
type selectWait struct {
	g      *goroutine
	fired  bool
	chosen int
	val    any
	ok     bool
	// sendClosed is set when the winning case is a send on a channel that
	// got closed: the sender panics, as in Go.
	sendClosed bool
}

func (rt *Deterministic) newChan(name string, size int) chanImpl {
	return &dchan{rt: rt, label: name, size: size}
}

func (c *dchan) name() string { return c.label }
func (c *dchan) len() int     { return len(c.buf) }
func (c *dchan) cap() int     { return c.size }

func (c *dchan) send(v any) { c.rt.Select(true, Case{ch: c, send: true, val: v}) }

func (c *dchan) recv() (any, bool) {
	_, v, ok := c.rt.Select(true, Case{ch: c})
	return v, ok
}

// close wakes every receiver with (nil, false) and every sender with a
// panic, as closing a Go channel does.
func (c *dchan) close() {
	if c.closed {
		panic("close of closed channel")
	}
	c.closed = true
	for _, w := range c.recvq {
		w.fire(nil, false)
	}
	for _, w := range c.sendq {
		if w.fire(nil, false) {
			w.sel.sendClosed = true
		}
	}
	c.recvq, c.sendq = nil, nil
	c.rt.yieldRunnable()
}

// fire completes the waiter's select with this case, unless another case
// already did; it reports whether this case won.
func (w *waiter) fire(v any, ok bool) bool {
	s := w.sel
	if s.fired {
		return false
	}
	s.fired, s.chosen, s.val, s.ok = true, w.index, v, ok
	s.g.owner.ready(s.g)
	return true
}

// popLive removes and returns the first waiter whose select has not fired.
func popLive(q *[]*waiter) *waiter {
	for len(*q) > 0 {
		w := (*q)[0]
		(*q)[0] = nil
		*q = (*q)[1:]
		if !w.sel.fired {
			return w
		}
	}
	return nil
}

func hasLive(q []*waiter) bool {
	for _, w := range q {
		if !w.sel.fired {
			return true
		}
	}
	return false
}

// canSend tells whether a send would proceed now (a send on a closed
// channel proceeds, to its panic).
func (c *dchan) canSend() bool {
	return c.closed || hasLive(c.recvq) || len(c.buf) < c.size
}

func (c *dchan) canRecv() bool {
	return len(c.buf) > 0 || hasLive(c.sendq) || c.closed
}

// doSend performs a send that canSend allowed.
func (c *dchan) doSend(v any) {
	if c.closed {
		panic("send on closed channel")
	}
	if w := popLive(&c.recvq); w != nil {
		w.fire(v, true)
		return
	}
	c.buf = append(c.buf, v)
}

// doRecv performs a receive that canRecv allowed.
func (c *dchan) doRecv() (any, bool) {
	if len(c.buf) > 0 {
		v := c.buf[0]
		c.buf[0] = nil
		c.buf = c.buf[1:]
		// A waiting sender's value takes the freed slot.
		if w := popLive(&c.sendq); w != nil {
			c.buf = append(c.buf, w.val)
			w.fire(nil, false)
		}
		return v, true
	}
	if w := popLive(&c.sendq); w != nil {
		w.fire(nil, false)
		return w.val, true
	}
	return nil, false // closed
}

// Select performs one ready case, chosen at random among the ready ones, or
// parks the goroutine until a case fires. Every Select, blocking or not, is
// a point where the scheduler may run another goroutine.
func (rt *Deterministic) Select(block bool, cases ...Case) (int, any, bool) {
	var ready []int
	for i, cs := range cases {
		c, _ := cs.ch.(*dchan)
		if c == nil {
			continue
		}
		if (cs.send && c.canSend()) || (!cs.send && c.canRecv()) {
			ready = append(ready, i)
		}
	}
	if len(ready) > 0 {
		i := ready[0]
		if len(ready) > 1 {
			i = ready[rt.decideN(len(ready))]
		}
		c := cases[i].ch.(*dchan)
		var v any
		var ok bool
		if cases[i].send {
			c.doSend(cases[i].val)
		} else {
			v, ok = c.doRecv()
		}
		rt.yieldRunnable()
		return i, v, ok
	}
	if !block {
		rt.yieldRunnable()
		return -1, nil, false
	}
	g := rt.cur
	if g == nil {
		panic("sim: " + describeCases(cases) + " would block outside a goroutine of the runtime")
	}
	sel := &selectWait{g: g}
	for i, cs := range cases {
		c, _ := cs.ch.(*dchan)
		if c == nil {
			continue
		}
		w := &waiter{sel: sel, index: i, val: cs.val}
		if cs.send {
			c.sendq = append(c.sendq, w)
		} else {
			c.recvq = append(c.recvq, w)
		}
	}
	g.sel = sel
	rt.block(describeCases(cases))
	g.sel = nil
	if sel.sendClosed {
		panic("send on closed channel")
	}
	return sel.chosen, sel.val, sel.ok
}

// describeCases says what a select waits for: "send on addCh",
// "select: receive from addCh, send on nextCh".
func describeCases(cases []Case) string {
	var parts []string
	for _, cs := range cases {
		name := "nil"
		if cs.ch != nil {
			name = cs.ch.name()
		}
		if cs.send {
			parts = append(parts, "send on "+name)
		} else {
			parts = append(parts, "receive from "+name)
		}
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "select: " + strings.Join(parts, ", ")
}
