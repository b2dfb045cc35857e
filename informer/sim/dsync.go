package sim

import "sync"

// dmutex is a reader/writer lock of the deterministic runtime. A goroutine
// that cannot take it parks, so the goroutine holding it can run on, which a
// real mutex would not allow. Lock hands-off: Unlock passes the lock to the
// waiters directly, in arrival order.
type dmutex struct {
	rt      *Deterministic
	label   string
	writer  bool // held for writing
	readers int  // holders for reading
	waiters []*lockWaiter
}

type lockWaiter struct {
	g       *goroutine
	write   bool
	granted bool
}

// NewRWMutex returns a lock whose waiters park in the runtime.
func (rt *Deterministic) NewRWMutex(name string) RWMutex {
	return &dmutex{rt: rt, label: name}
}

func (m *dmutex) Lock() {
	if !m.writer && m.readers == 0 && len(m.waiters) == 0 {
		m.writer = true
		return
	}
	m.wait(true)
}

func (m *dmutex) RLock() {
	if !m.writer && !m.writerWaiting() {
		m.readers++
		return
	}
	m.wait(false)
}

func (m *dmutex) writerWaiting() bool {
	for _, w := range m.waiters {
		if w.write {
			return true
		}
	}
	return false
}

// wait parks the current goroutine until Unlock or RUnlock grants it the
// lock.
func (m *dmutex) wait(write bool) {
	w := &lockWaiter{g: m.rt.cur, write: write}
	if w.g == nil {
		panic("sim: lock " + m.label + " is held; taking it would block outside a goroutine of the runtime")
	}
	m.waiters = append(m.waiters, w)
	what := "lock " + m.label
	if !write {
		what = "read-lock " + m.label
	}
	for !w.granted {
		m.rt.block(what)
	}
}

func (m *dmutex) Unlock() {
	if !m.writer {
		panic("sim: unlock of unlocked " + m.label)
	}
	m.writer = false
	m.grant()
}

func (m *dmutex) RUnlock() {
	if m.readers == 0 {
		panic("sim: runlock of unlocked " + m.label)
	}
	m.readers--
	m.grant()
}

// grant hands the free lock to the first waiter, or to every reader at the
// head of the line.
func (m *dmutex) grant() {
	for len(m.waiters) > 0 && !m.writer {
		w := m.waiters[0]
		if w.write {
			if m.readers > 0 {
				return
			}
			m.writer = true
		} else {
			m.readers++
		}
		m.waiters = m.waiters[1:]
		w.granted = true
		m.rt.ready(w.g)
	}
}

// dcond is a condition variable whose waiters park in the runtime.
type dcond struct {
	rt      *Deterministic
	l       sync.Locker
	waiters []*goroutine
}

// NewCond returns a condition variable on l, which must come from
// NewRWMutex: a waiter that wakes re-takes l, and must park if it is held.
func (rt *Deterministic) NewCond(l sync.Locker) Cond {
	return &dcond{rt: rt, l: l}
}

func (c *dcond) Wait() {
	g := c.rt.cur
	if g == nil {
		panic("sim: Cond.Wait outside a goroutine of the runtime")
	}
	c.waiters = append(c.waiters, g)
	c.l.Unlock()
	c.rt.block("condition")
	c.l.Lock()
}

func (c *dcond) Broadcast() {
	for _, g := range c.waiters {
		c.rt.ready(g)
	}
	c.waiters = nil
}
