// Package sim is where the informer core does all of its waiting.
//
// Core code never blocks on a bare sync.Cond, channel or timer: it asks a
// Runtime. The native runtime maps the calls onto the Go runtime; a
// deterministic runtime (one goroutine at a time, on a virtual clock) can be
// plugged in through the same interface, which is what lets the visualiser
// step through the informer one event at a time.
package sim

import "sync"

// Runtime creates the blocking primitives core code uses.
type Runtime interface {
	// NewCond returns a condition variable tied to l, as sync.NewCond.
	NewCond(l sync.Locker) Cond
}

// Cond is a condition variable. Wait must be called with the locker held;
// it releases it while waiting and holds it again on return.
type Cond interface {
	Wait()
	Broadcast()
}

// Native returns the runtime backed by real goroutines and sync.Cond.
func Native() Runtime { return native{} }

type native struct{}

func (native) NewCond(l sync.Locker) Cond { return sync.NewCond(l) }

// Or returns rt, or the native runtime when rt is nil, so that a nil Runtime
// in an options struct means "native".
func Or(rt Runtime) Runtime {
	if rt == nil {
		return native{}
	}
	return rt
}
