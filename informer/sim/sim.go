// Package sim is where the informer core does everything concurrent:
// starting goroutines, channels and select, locks held across blocking calls,
// condition variables, sleeping, timers and the clock, and randomness.
//
// Core code never uses a bare go statement, channel, sync.Cond, time call or
// the global random source; it asks a Runtime. Two runtimes exist:
//
//   - Native maps every call onto the Go runtime: real goroutines, real
//     time. Use it against a real cluster and for benchmarks.
//   - Deterministic runs one goroutine at a time on a virtual clock. Which
//     runnable goroutine goes next is a seeded choice, or the caller's, and
//     every choice is recorded, so that a run can be replayed exactly and
//     forked at any step. This is what lets the visualiser step through an
//     informer.
//
// # Blocking
//
// A goroutine blocks only in a Runtime call: a channel operation or select, a
// contended RWMutex, Cond.Wait, or Sleep. Under the deterministic runtime
// these are also the only points where another goroutine may run, so plain
// sync.Mutex locks are fine in core code as long as they are never held
// across a Runtime call; a lock that is (a queue's lock is held while its
// consumer processes, and the consumer sends on channels) must come from
// NewRWMutex.
//
// # Time
//
// Under the deterministic runtime, time moves only when no goroutine can run:
// the clock then jumps to the earliest timer. Time never passes while a
// goroutine runs.
package sim

import (
	"sync"
	"time"
)

// Runtime creates goroutines and the primitives they block on.
type Runtime interface {
	// Go starts fn on a new goroutine. name labels it in the deterministic
	// runtime's goroutine list (the visualiser's lanes).
	Go(name string, fn func())

	// NewRWMutex returns a reader/writer lock that may be held across
	// blocking Runtime calls. name labels what waiters wait for.
	NewRWMutex(name string) RWMutex
	// NewCond returns a condition variable tied to l, as sync.NewCond. l
	// must be a lock from NewRWMutex when the deterministic runtime is used.
	NewCond(l sync.Locker) Cond

	// Select waits until one of cases can proceed, performs it and returns
	// its index, with the value received (nil for a send) and, for a
	// receive, whether the channel was still open. When several cases are
	// ready, one is chosen at random. With block false, Select returns -1
	// at once when no case is ready. A case of a nil Chan is never ready.
	Select(block bool, cases ...Case) (chosen int, v any, ok bool)

	// The clock.
	Now() time.Time
	Since(t time.Time) time.Duration
	Sleep(d time.Duration)
	NewTimer(d time.Duration) Timer
	NewTicker(d time.Duration) Ticker

	// Randomness, from the runtime's own source.
	Float64() float64
	Int64N(n int64) int64

	newChan(name string, size int) chanImpl
}

// RWMutex is a reader/writer lock.
type RWMutex interface {
	sync.Locker
	RLock()
	RUnlock()
}

// Cond is a condition variable. Wait must be called with the locker held;
// it releases it while waiting and holds it again on return.
type Cond interface {
	Wait()
	Broadcast()
}

// Timer fires once on its channel, as time.Timer.
type Timer interface {
	C() Chan[time.Time]
	// Stop prevents the timer from firing; it reports whether it was armed.
	Stop() bool
	// Reset re-arms the timer; it reports whether it was armed.
	Reset(d time.Duration) bool
}

// Ticker fires on its channel every period, dropping ticks nobody received,
// as time.Ticker.
type Ticker interface {
	C() Chan[time.Time]
	Stop()
}

// chanImpl is a runtime's channel. Values are carried as any; Chan[T]
// restores the type.
type chanImpl interface {
	send(v any)
	recv() (any, bool)
	close()
	len() int
	cap() int
	name() string
}

// Chan is a channel of T made by a Runtime. The zero Chan is a nil channel:
// sending or receiving on it blocks forever, and its cases are never ready
// in a Select.
type Chan[T any] struct {
	c chanImpl
}

// NewChan returns a channel with a buffer of size (0: unbuffered). name
// labels it in the goroutine list ("blocked sending on addCh").
func NewChan[T any](rt Runtime, name string, size int) Chan[T] {
	return Chan[T]{c: rt.newChan(name, size)}
}

// IsNil tells whether c is the zero, nil channel.
func (c Chan[T]) IsNil() bool { return c.c == nil }

// Send sends v, blocking until it is received or buffered.
func (c Chan[T]) Send(v T) { c.c.send(v) }

// Recv receives a value; ok is false when the channel is closed and empty.
func (c Chan[T]) Recv() (v T, ok bool) {
	x, ok := c.c.recv()
	return As[T](x), ok
}

// Close closes the channel.
func (c Chan[T]) Close() { c.c.close() }

// Len is the number of buffered values.
func (c Chan[T]) Len() int { return c.c.len() }

// Cap is the buffer size.
func (c Chan[T]) Cap() int { return c.c.cap() }

// Name is the channel's label.
func (c Chan[T]) Name() string {
	if c.c == nil {
		return "nil"
	}
	return c.c.name()
}

// SendCase is a Select case sending v on c.
func (c Chan[T]) SendCase(v T) Case { return Case{ch: c.c, send: true, val: v} }

// RecvCase is a Select case receiving from c; As[T] types the value Select
// returns.
func (c Chan[T]) RecvCase() Case { return Case{ch: c.c} }

// Case is one case of a Select.
type Case struct {
	ch   chanImpl
	send bool
	val  any
}

// As returns v as a T, or T's zero value when v is nil (a receive from a
// closed channel).
func As[T any](v any) T {
	if v == nil {
		var zero T
		return zero
	}
	return v.(T)
}

// Or returns rt, or the native runtime when rt is nil, so that a nil Runtime
// in an options struct means native.
func Or(rt Runtime) Runtime {
	if rt == nil {
		return nativeRuntime
	}
	return rt
}
