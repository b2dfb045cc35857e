package informer

import "time"

// Clock is the part of a clock RetryWithDeadline reads. A sim.Runtime is
// one, and so is k8s.io/utils/clock.Clock.
type Clock interface {
	Now() time.Time
}

// RetryWithDeadline decides whether an error may be retried: errors of one
// kind are retried for a while after the first of them, as long as they keep
// coming. The Reflector uses one to re-watch after internal errors for up to
// its MaxInternalErrorRetryDuration.
type RetryWithDeadline interface {
	// After records the outcome of an attempt (err may be nil).
	After(err error)
	// ShouldRetry tells whether the last error may be retried.
	ShouldRetry() bool
}

// retryWithDeadline is the RetryWithDeadline. A streak of retryable errors
// starts at the first one (firstErrorTime) and ends when none came for
// minResetPeriod; within a streak, errors are retried until maxRetryDuration
// has passed since its start. The zero times mean "no streak".
type retryWithDeadline struct {
	firstErrorTime   time.Time
	lastErrorTime    time.Time
	maxRetryDuration time.Duration
	minResetPeriod   time.Duration
	isRetryable      func(error) bool
	clock            Clock
}

// NewRetryWithDeadline returns a RetryWithDeadline that retries the errors
// isRetryable accepts for up to maxRetryDuration after the first of a
// streak; a pause of minResetPeriod between two such errors starts a new
// streak. A non-positive maxRetryDuration retries nothing.
func NewRetryWithDeadline(maxRetryDuration, minResetPeriod time.Duration, isRetryable func(error) bool, clock Clock) RetryWithDeadline {
	return &retryWithDeadline{
		maxRetryDuration: maxRetryDuration,
		minResetPeriod:   minResetPeriod,
		isRetryable:      isRetryable,
		clock:            clock,
	}
}

func (r *retryWithDeadline) reset() {
	r.firstErrorTime, r.lastErrorTime = time.Time{}, time.Time{}
}

// After records err. Errors isRetryable rejects, nil included, change
// nothing: they neither extend nor end a streak.
func (r *retryWithDeadline) After(err error) {
	if !r.isRetryable(err) {
		return
	}
	now := r.clock.Now()
	if now.Sub(r.lastErrorTime) >= r.minResetPeriod {
		r.reset()
	}
	if r.firstErrorTime.IsZero() {
		r.firstErrorTime = now
	}
	r.lastErrorTime = now
}

// ShouldRetry tells whether the streak is still young enough; once it is
// not, the streak is forgotten.
func (r *retryWithDeadline) ShouldRetry() bool {
	if r.maxRetryDuration <= 0 {
		return false
	}
	if r.clock.Now().Sub(r.firstErrorTime) <= r.maxRetryDuration {
		return true
	}
	r.reset()
	return false
}
