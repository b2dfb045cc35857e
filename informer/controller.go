package informer

import (
	"context"
	"errors"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/runtime"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// ProcessFunc processes one popped item (a Deltas).
type ProcessFunc func(obj any, isInInitialList bool) error

// ShouldResyncFunc tells the Reflector whether a resync is due; the shared
// informer's processor decides it per listener.
type ShouldResyncFunc func() bool

// Config is what a controller is built from: where to list and watch, the
// queue between the Reflector and the processing, and how to process.
type Config struct {
	// Queue receives the Reflector's writes and is popped by the
	// controller.
	Queue
	// ListerWatcher is where the Reflector lists and watches.
	ListerWatcher
	// Process handles one popped item.
	Process ProcessFunc
	// ProcessBatch, if set and the queue can pop batches, handles a batch.
	ProcessBatch ProcessBatchFunc
	// ObjectType is an example of the objects listed, to check types.
	ObjectType runtime.Object
	// ObjectDescription names the objects in logs, instead of ObjectType.
	ObjectDescription string
	// FullResyncPeriod is how often the Reflector asks ShouldResync.
	FullResyncPeriod time.Duration
	// MinWatchTimeout raises the Reflector's watch timeout, if above 5 min.
	MinWatchTimeout time.Duration
	// ShouldResync, if set, is asked before every resync.
	ShouldResync ShouldResyncFunc
	// WatchErrorHandler (preferred) or WatchErrorHandlerWithContext is called
	// when a list or a watch fails to start.
	WatchErrorHandler            WatchErrorHandler
	WatchErrorHandlerWithContext WatchErrorHandlerWithContext
	// WatchListPageSize is the Reflector's page size for lists.
	WatchListPageSize int64

	// Runtime runs the controller's goroutines; nil means native.
	Runtime sim.Runtime
	// Name prefixes the names of the controller's goroutines and trace
	// components ("<Name>/reflector").
	Name string
	// Recorder, if set, receives the Reflector's trace events.
	Recorder *trace.Recorder
	// Gates are the feature gates; the zero value is v0.37.2's defaults.
	Gates FeatureGates
}

// Controller runs a Reflector into a queue and processes what it pops.
type Controller interface {
	RunWithContext(ctx context.Context)
	Run(stopCh <-chan struct{})
	// RunWithStop is Run for goroutines of the runtime: it returns once
	// stop is closed and everything it started has ended.
	RunWithStop(stop sim.Chan[struct{}])
	HasSynced() bool
	HasSyncedChecker() DoneChecker
	LastSyncResourceVersion() string
}

type controller struct {
	config Config
	rt     sim.Runtime
	// reflectorMutex guards reflector, which Run sets and
	// LastSyncResourceVersion reads from any goroutine.
	reflectorMutex sync.RWMutex
	reflector      *Reflector
}

// New returns a controller built from c.
func New(c *Config) Controller {
	return &controller{config: *c, rt: sim.Or(c.Runtime)}
}

// Run runs until stopCh is closed. Under a deterministic runtime use
// RunWithStop.
func (c *controller) Run(stopCh <-chan struct{}) {
	runBridged(c.rt, c.config.Name, stopCh, c.RunWithStop)
}

// RunWithContext runs until ctx is done. Under a deterministic runtime use
// RunWithStop.
func (c *controller) RunWithContext(ctx context.Context) {
	runBridged(c.rt, c.config.Name, ctx.Done(), c.RunWithStop)
}

// RunWithStop starts the Reflector, then pops and processes until stop is
// closed: stop closes the queue, and the loop ends once what is queued has
// been popped.
func (c *controller) RunWithStop(stop sim.Chan[struct{}]) {
	name := c.config.Name
	c.rt.Go(name+" queue closer", func() {
		stop.Recv()
		c.config.Queue.Close()
	})
	useWatchList := !c.config.Gates.DisableWatchListClient
	r := NewReflectorWithOptions(c.config.ListerWatcher, c.config.ObjectType, c.config.Queue, ReflectorOptions{
		Name:               name + "/reflector",
		TypeDescription:    c.config.ObjectDescription,
		ResyncPeriod:       c.config.FullResyncPeriod,
		MinWatchTimeout:    c.config.MinWatchTimeout,
		Runtime:            c.rt,
		Probe:              c.config.Recorder.Probe(name + "/reflector"),
		UseWatchListClient: &useWatchList,
	})
	r.ShouldResync = c.config.ShouldResync
	r.WatchListPageSize = c.config.WatchListPageSize
	switch {
	case c.config.WatchErrorHandler != nil:
		h := c.config.WatchErrorHandler
		r.setWatchErrorHandler(func(_ context.Context, r *Reflector, err error) { h(r, err) })
	case c.config.WatchErrorHandlerWithContext != nil:
		r.setWatchErrorHandler(c.config.WatchErrorHandlerWithContext)
	}
	c.reflectorMutex.Lock()
	c.reflector = r
	c.reflectorMutex.Unlock()

	wg := sim.NewGroup(c.rt)
	wg.Go(name+" reflector", func() { r.RunWithStop(stop) })
	// As wait.Until(processLoop, 1s): the loop only returns when the queue
	// is closed, so the pause matters only if it returns early.
	for {
		c.processLoop(stop)
		if isClosed(c.rt, stop) {
			break
		}
		t := c.rt.NewTimer(time.Second)
		chosen, _, _ := c.rt.Select(true, stop.RecvCase(), t.C().RecvCase())
		t.Stop()
		if chosen == 0 {
			break
		}
	}
	wg.Wait()
}

// processLoop pops until the queue is closed. Errors from processing are
// dropped, as client-go drops them: nothing is retried.
func (c *controller) processLoop(stop sim.Chan[struct{}]) {
	batchQueue, canBatch := c.config.Queue.(QueueWithBatch)
	useBatch := canBatch && c.config.ProcessBatch != nil && !c.config.Gates.DisableInOrderInformersBatchProcess
	for !isClosed(c.rt, stop) {
		var err error
		if useBatch {
			err = batchQueue.PopBatch(c.config.ProcessBatch, PopProcessFunc(c.config.Process))
		} else {
			_, err = c.config.Queue.Pop(PopProcessFunc(c.config.Process))
		}
		if errors.Is(err, ErrFIFOClosed) {
			return
		}
	}
}

// HasSynced tells whether the queue has synced: the initial list was
// popped and processed (for a RealFIFO) or popped (for a DeltaFIFO).
func (c *controller) HasSynced() bool { return c.config.Queue.HasSynced() }

func (c *controller) HasSyncedChecker() DoneChecker { return c.config.Queue.HasSyncedChecker() }

// LastSyncResourceVersion is the Reflector's, "" before Run.
func (c *controller) LastSyncResourceVersion() string {
	c.reflectorMutex.RLock()
	defer c.reflectorMutex.RUnlock()
	if c.reflector == nil {
		return ""
	}
	return c.reflector.LastSyncResourceVersion()
}
