package sim

import "sync"

// Group runs goroutines and waits for all of them to return, as
// k8s.io/apimachinery's wait.Group does, with the waiting done in the
// runtime.
type Group struct {
	mu   RWMutex
	cond Cond
	n    int
	rt   Runtime
}

// NewGroup returns an empty group of rt's goroutines.
func NewGroup(rt Runtime) *Group {
	mu := rt.NewRWMutex("group")
	return &Group{rt: rt, mu: mu, cond: rt.NewCond(mu)}
}

// Go starts fn as a goroutine of the group.
func (g *Group) Go(name string, fn func()) {
	g.mu.Lock()
	g.n++
	g.mu.Unlock()
	g.rt.Go(name, func() {
		defer func() {
			g.mu.Lock()
			g.n--
			g.cond.Broadcast()
			g.mu.Unlock()
		}()
		fn()
	})
}

// Wait returns once every goroutine started with Go has returned.
func (g *Group) Wait() {
	g.mu.Lock()
	for g.n > 0 {
		g.cond.Wait()
	}
	g.mu.Unlock()
}

// RLocker returns a Locker whose Lock and Unlock read-lock and read-unlock
// m, as sync.RWMutex.RLocker does, for a condition waited on under a read
// lock.
func RLocker(m RWMutex) sync.Locker { return rlocker{m} }

type rlocker struct{ m RWMutex }

func (r rlocker) Lock()   { r.m.RLock() }
func (r rlocker) Unlock() { r.m.RUnlock() }
