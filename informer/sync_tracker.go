package informer

import (
	"sync"

	"github.com/informerscope/informerscope/informer/sim"
)

// singleFileTracker tells when a handler has processed everything its
// informer delivered as the initial list: it counts the initial adds handed
// to the handler and not yet handled, and is synced, for good, once the
// informer has synced and that count is zero. It is client-go's
// synctrack.SingleFileTracker, for handlers that process one item at a time.
//
// Finished and UpstreamHasSynced are split in two for tracing: the ...Count
// and markUpstream halves change the state and say whether the tracker just
// synced; signal then wakes whoever waits. Between the two, the caller
// reports the change.
type singleFileTracker struct {
	name string
	// mu guards count, upstreamSynced and synced: Start runs on distribute's
	// goroutine, Finished on the handler's.
	mu             sync.Mutex
	count          int64
	upstreamSynced bool
	synced         bool
	done           *doneSignal
}

var _ runtimeDone = &singleFileTracker{}

func newSingleFileTracker(rt sim.Runtime, name string) *singleFileTracker {
	return &singleFileTracker{name: name, done: newDoneSignal(rt, name)}
}

// Start counts one initial add handed over.
func (t *singleFileTracker) Start() {
	t.mu.Lock()
	t.count++
	t.mu.Unlock()
}

// Finished counts one initial add handled.
func (t *singleFileTracker) Finished() {
	if _, synced := t.finishedCount(); synced {
		t.signal()
	}
}

// finishedCount counts one initial add handled and returns the count left
// and whether the tracker synced now. More Finished than Start calls is a
// logic error, and panics.
func (t *singleFileTracker) finishedCount() (left int, syncedNow bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.count--
	if t.count < 0 {
		panic("synctrack: negative counter; this logic error means HasSynced may return incorrect value")
	}
	return int(t.count), t.syncIfDoneLocked()
}

// UpstreamHasSynced records that the informer has synced.
func (t *singleFileTracker) UpstreamHasSynced() {
	if t.markUpstream() {
		t.signal()
	}
}

func (t *singleFileTracker) markUpstream() (syncedNow bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.upstreamSynced = true
	return t.syncIfDoneLocked()
}

func (t *singleFileTracker) syncIfDoneLocked() bool {
	if t.synced || !t.upstreamSynced || t.count != 0 {
		return false
	}
	t.synced = true
	return true
}

// signal closes Done; call it once, after finishedCount or markUpstream
// said the tracker synced.
func (t *singleFileTracker) signal() { t.done.close() }

// HasSynced tells whether the tracker has synced.
func (t *singleFileTracker) HasSynced() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.synced
}

// pending returns the count of initial adds not yet handled.
func (t *singleFileTracker) pending() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return int(t.count)
}

func (t *singleFileTracker) Name() string            { return t.name }
func (t *singleFileTracker) Done() <-chan struct{}   { return t.done.plain }
func (t *singleFileTracker) doneSignal() *doneSignal { return t.done }
