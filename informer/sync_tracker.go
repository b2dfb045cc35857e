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
type singleFileTracker struct {
	name string
	// mu guards count and upstreamSynced; the add and the handler call run
	// on different goroutines.
	mu             sync.Mutex
	count          int64
	upstreamSynced bool
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

// Finished counts one initial add handled. More Finished than Start calls is
// a logic error, and panics.
func (t *singleFileTracker) Finished() {
	t.mu.Lock()
	t.count--
	if t.count < 0 {
		t.mu.Unlock()
		panic("synctrack: negative counter; this logic error means HasSynced may return incorrect value")
	}
	synced := t.count == 0 && t.upstreamSynced
	t.mu.Unlock()
	if synced {
		t.done.close()
	}
}

// UpstreamHasSynced records that the informer has synced.
func (t *singleFileTracker) UpstreamHasSynced() {
	t.mu.Lock()
	t.upstreamSynced = true
	synced := t.count == 0
	t.mu.Unlock()
	if synced {
		t.done.close()
	}
}

// HasSynced tells whether the tracker has synced.
func (t *singleFileTracker) HasSynced() bool { return IsDone(t) }

// pending returns the count of initial adds not yet handled.
func (t *singleFileTracker) pending() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return int(t.count)
}

func (t *singleFileTracker) Name() string            { return t.name }
func (t *singleFileTracker) Done() <-chan struct{}   { return t.done.plain }
func (t *singleFileTracker) doneSignal() *doneSignal { return t.done }
