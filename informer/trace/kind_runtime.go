package trace

// The kinds of the deterministic runtime: the goroutine lanes. Count is the
// goroutine's id. Only changes between steps are reported: a goroutine runs
// only inside a step, so between steps each is runnable, blocked, sleeping
// or done.
const (
	// GoroutineStarted: goroutine Count, named Value, is runnable.
	GoroutineStarted Kind = runtimeBase + iota
	// GoroutineBlocked: it waits for Reason ("send on addCh", "lock ...").
	GoroutineBlocked
	// GoroutineSleeping: it waits for the clock to reach Until.
	GoroutineSleeping
	// GoroutineReady: what it waited for happened; it is runnable.
	GoroutineReady
	// GoroutineDone: it returned, or panicked with Reason.
	GoroutineDone
)

var runtimeKinds = map[Kind]string{
	GoroutineStarted:  "GoroutineStarted",
	GoroutineBlocked:  "GoroutineBlocked",
	GoroutineSleeping: "GoroutineSleeping",
	GoroutineReady:    "GoroutineReady",
	GoroutineDone:     "GoroutineDone",
}
