package informer

import (
	"math"
	"time"

	"github.com/informerscope/informerscope/informer/sim"
)

// The Reflector's default backoff, as in client-go v0.37.2: waits start at
// 800ms and double up to 30s, each stretched by a random factor in [1, 2),
// and the progression starts over once more than two minutes have passed
// since it started or last started over. With these, a reflector that keeps
// failing asks the server about once every [30s, 60s).
const (
	defaultBackoffInit   = 800 * time.Millisecond
	defaultBackoffMax    = 30 * time.Second
	defaultBackoffReset  = 2 * time.Minute
	defaultBackoffFactor = 2.0
	defaultBackoffJitter = 1.0
)

// Backoff describes an exponential backoff, with the meaning of the fields
// of k8s.io/apimachinery's wait.Backoff.
type Backoff struct {
	// Duration is the first wait.
	Duration time.Duration
	// Factor multiplies the wait after each step, while Steps and Cap
	// allow. Zero keeps the wait constant.
	Factor float64
	// Jitter stretches each wait by a random amount in [0, Jitter×wait).
	// The stretch is not carried into the next wait.
	Jitter float64
	// Steps is how many more times the wait may grow; when it is not
	// positive the wait stays as it is.
	Steps int
	// Cap, if positive, bounds the growing wait: reaching it sets the wait
	// to Cap and stops the growth.
	Cap time.Duration
}

// defaultBackoff returns client-go's Reflector backoff.
func defaultBackoff() Backoff {
	return Backoff{
		Duration: defaultBackoffInit,
		Cap:      defaultBackoffMax,
		Steps:    int(math.Ceil(float64(defaultBackoffMax) / float64(defaultBackoffInit))),
		Factor:   defaultBackoffFactor,
		Jitter:   defaultBackoffJitter,
	}
}

// step returns the next wait, drawing the jitter from rt, and moves b on.
func (b *Backoff) step(rt sim.Runtime) time.Duration {
	wait := b.Duration
	if b.Steps >= 1 {
		b.Steps--
		if b.Factor != 0 {
			next := time.Duration(float64(b.Duration) * b.Factor)
			if b.Cap > 0 && next > b.Cap {
				next, b.Steps = b.Cap, 0
			}
			b.Duration = next
		}
	}
	if b.Jitter > 0 {
		wait += time.Duration(rt.Float64() * b.Jitter * float64(wait))
	}
	return wait
}

// backoffManager hands out the waits of one Backoff, starting over once
// more than resetInterval has passed since the progression started (or last
// started over), whether or not anything failed in between: the Reflector's
// delay function (client-go's Backoff.DelayWithReset).
//
// Only the goroutine that runs the reflector's loop calls next.
type backoffManager struct {
	rt            sim.Runtime
	initial       Backoff
	current       Backoff
	resetInterval time.Duration
	lastStart     time.Time
}

// newBackoffManager returns a manager whose progression starts now. A
// non-positive resetInterval never lets the wait grow; a Backoff without a
// positive Factor never starts over (it never grows either).
func newBackoffManager(rt sim.Runtime, b Backoff, resetInterval time.Duration) *backoffManager {
	if b.Factor > 0 && resetInterval <= 0 {
		b.Steps, b.Factor = 0, 0
	}
	return &backoffManager{rt: rt, initial: b, current: b, resetInterval: resetInterval, lastStart: rt.Now()}
}

// next returns the next wait, and whether the progression started over for
// it.
func (m *backoffManager) next() (wait time.Duration, restarted bool) {
	if m.initial.Factor > 0 && m.rt.Since(m.lastStart) > m.resetInterval {
		m.current, m.lastStart, restarted = m.initial, m.rt.Now(), true
	}
	return m.current.step(m.rt), restarted
}
