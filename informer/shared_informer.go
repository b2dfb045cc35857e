package informer

import (
	"context"
	"fmt"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// SharedInformer keeps a cache of one kind of object up to date from a
// ListerWatcher and tells any number of handlers about every change. Each
// handler gets every change in order, on its own goroutine, never blocking
// the others; the cache already holds a change when a handler hears of it.
// Handlers must not modify the objects they receive: the cache shares them.
type SharedInformer interface {
	AddEventHandler(handler ResourceEventHandler) (ResourceEventHandlerRegistration, error)
	AddEventHandlerWithResyncPeriod(handler ResourceEventHandler, resyncPeriod time.Duration) (ResourceEventHandlerRegistration, error)
	AddEventHandlerWithOptions(handler ResourceEventHandler, options HandlerOptions) (ResourceEventHandlerRegistration, error)
	RemoveEventHandler(handle ResourceEventHandlerRegistration) error
	GetStore() Store
	GetController() Controller
	Run(stopCh <-chan struct{})
	RunWithContext(ctx context.Context)
	// RunWithStop is Run for goroutines of the runtime.
	RunWithStop(stop sim.Chan[struct{}])
	HasSynced() bool
	HasSyncedChecker() DoneChecker
	LastSyncResourceVersion() string
	SetWatchErrorHandler(handler WatchErrorHandler) error
	SetWatchErrorHandlerWithContext(handler WatchErrorHandlerWithContext) error
	SetTransform(handler TransformFunc) error
	IsStopped() bool
}

// SharedIndexInformer is a SharedInformer whose cache is an Indexer.
type SharedIndexInformer interface {
	SharedInformer
	AddIndexers(indexers Indexers) error
	GetIndexer() Indexer
}

// HandlerOptions configures one handler.
type HandlerOptions struct {
	// ResyncPeriod, if set, replaces the informer's default resync period
	// for this handler.
	ResyncPeriod *time.Duration
}

// SharedIndexInformerOptions configures a shared informer.
type SharedIndexInformerOptions struct {
	// ResyncPeriod is the default resync period of handlers; 0 means none.
	ResyncPeriod time.Duration
	// Indexers index the cache.
	Indexers Indexers
	// ObjectDescription names the objects in logs and sync checkers.
	ObjectDescription string

	// Name names the informer's goroutines and trace components:
	// "<Name>/indexer", "<Name>/queue", "<Name>/reflector",
	// "<Name>/processor". Optional, the default is "informer".
	Name string
	// Runtime runs the informer; nil means native.
	Runtime sim.Runtime
	// Recorder, if set, receives a trace of every component.
	Recorder *trace.Recorder
	// Gates are the feature gates; the zero value is v0.37.2's defaults.
	Gates FeatureGates
	// DetectMutations turns the cache mutation detector on: a handler that
	// modifies a cached object stops the informer, with a MutationDetected
	// event.
	DetectMutations bool
}

// minimumResyncPeriod is the shortest resync period a handler gets.
const minimumResyncPeriod = 1 * time.Second

// sharedIndexInformer is the SharedIndexInformer.
//
// startedLock guards started, stopped, controller, transform,
// watchErrorHandler and resyncCheckPeriod. blockDeltas is held while popped
// deltas are processed and while a late handler joins, so that it gets the
// cache's contents and then every later change, with nothing in between.
// Both are held while notifications are sent, so they come from the
// runtime.
type sharedIndexInformer struct {
	rt       sim.Runtime
	name     string
	recorder *trace.Recorder
	probe    *trace.Probe
	gates    FeatureGates

	indexer               Indexer
	controller            Controller
	processor             *sharedProcessor
	synced                *doneSignal
	cacheMutationDetector MutationDetector
	// crashed is closed when the mutation detector fails; it stops the run.
	crashed     sim.Chan[struct{}]
	crashedOnce sync.Once

	listerWatcher     ListerWatcher
	objectType        runtime.Object
	objectDescription string

	resyncCheckPeriod               time.Duration
	defaultEventHandlerResyncPeriod time.Duration

	startedLock      sim.RWMutex
	started, stopped bool
	blockDeltas      sim.RWMutex
	// syncedSeen is set, with the InformerSynced event, just before synced
	// is closed; traces read it.
	syncedSeen bool

	watchErrorHandler WatchErrorHandlerWithContext
	transform         TransformFunc
	keyFunc           KeyFunc
}

var _ SharedIndexInformer = &sharedIndexInformer{}

// NewSharedInformer returns an informer without indexes.
func NewSharedInformer(lw ListerWatcher, exampleObject runtime.Object, defaultEventHandlerResyncPeriod time.Duration) SharedInformer {
	return NewSharedIndexInformer(lw, exampleObject, defaultEventHandlerResyncPeriod, Indexers{})
}

// NewSharedIndexInformer returns an informer whose cache is indexed by
// indexers.
func NewSharedIndexInformer(lw ListerWatcher, exampleObject runtime.Object, defaultEventHandlerResyncPeriod time.Duration, indexers Indexers) SharedIndexInformer {
	return NewSharedIndexInformerWithOptions(lw, exampleObject, SharedIndexInformerOptions{ResyncPeriod: defaultEventHandlerResyncPeriod, Indexers: indexers})
}

// NewSharedIndexInformerWithOptions returns an informer; nothing runs until
// Run.
func NewSharedIndexInformerWithOptions(lw ListerWatcher, exampleObject runtime.Object, options SharedIndexInformerOptions) SharedIndexInformer {
	rt := sim.Or(options.Runtime)
	name := options.Name
	if name == "" {
		name = "informer"
	}
	rec := options.Recorder
	s := &sharedIndexInformer{
		rt:       rt,
		name:     name,
		recorder: rec,
		probe:    rec.Probe(name),
		gates:    options.Gates,
		indexer: NewIndexer(DeletionHandlingMetaNamespaceKeyFunc, options.Indexers,
			WithProbe(rec.Probe(name+"/indexer")), WithFeatureGates(options.Gates)),
		processor:                       newSharedProcessor(rt, name+"/processor", rec.Probe(name+"/processor")),
		synced:                          newDoneSignal(rt, name+" synced"),
		listerWatcher:                   lw,
		objectType:                      exampleObject,
		objectDescription:               options.ObjectDescription,
		resyncCheckPeriod:               options.ResyncPeriod,
		defaultEventHandlerResyncPeriod: options.ResyncPeriod,
		startedLock:                     rt.NewRWMutex(name + ".startedLock"),
		blockDeltas:                     rt.NewRWMutex(name + ".blockDeltas"),
		keyFunc:                         DeletionHandlingMetaNamespaceKeyFunc,
		crashed:                         sim.NewChan[struct{}](rt, name+" crashed", 0),
	}
	s.cacheMutationDetector = newCacheMutationDetector(rt, fmt.Sprintf("%T", exampleObject), options.DetectMutations, s.probe,
		func(string) { s.crashedOnce.Do(s.crashed.Close) })
	return s
}

// Run runs until stopCh is closed. Under a deterministic runtime use
// RunWithStop.
func (s *sharedIndexInformer) Run(stopCh <-chan struct{}) {
	runBridged(s.rt, s.name, stopCh, s.RunWithStop)
}

// RunWithContext runs until ctx is done. Under a deterministic runtime use
// RunWithStop.
func (s *sharedIndexInformer) RunWithContext(ctx context.Context) {
	runBridged(s.rt, s.name, ctx.Done(), s.RunWithStop)
}

// RunWithStop runs the informer until stop is closed (or the mutation
// detector fails), then stops its processor and waits for every goroutine
// it started. An informer runs once: a second Run returns at once.
func (s *sharedIndexInformer) RunWithStop(userStop sim.Chan[struct{}]) {
	s.startedLock.Lock()
	if s.started {
		s.startedLock.Unlock()
		return
	}
	fifo := s.gates.newQueueFIFO(queueOptions{
		name: s.name + "/queue", clientState: s.indexer, transform: s.transform,
		probe: s.recorder.Probe(s.name + "/queue"), rt: s.rt,
	})
	s.controller = New(&Config{
		Queue:                        fifo,
		ListerWatcher:                s.listerWatcher,
		ObjectType:                   s.objectType,
		ObjectDescription:            s.objectDescription,
		FullResyncPeriod:             s.resyncCheckPeriod,
		ShouldResync:                 s.processor.shouldResync,
		Process:                      s.handleDeltas,
		ProcessBatch:                 s.handleBatchDeltas,
		WatchErrorHandlerWithContext: s.watchErrorHandler,
		Runtime:                      s.rt,
		Name:                         s.name,
		Recorder:                     s.recorder,
		Gates:                        s.gates,
	})
	s.started = true
	s.probe.Emit(trace.Event{Kind: trace.InformerStarted})
	s.startedLock.Unlock()

	// The processor stops only after the controller: the last popped
	// deltas still reach the handlers.
	stop := sim.NewChan[struct{}](s.rt, s.name+" stop", 0)
	processorStop := sim.NewChan[struct{}](s.rt, s.name+" processor stop", 0)
	wg := sim.NewGroup(s.rt)
	wg.Go(s.name+" stopper", func() {
		s.rt.Select(true, userStop.RecvCase(), s.crashed.RecvCase())
		stop.Close()
	})
	wg.Go(s.name+" mutation detector", func() { s.cacheMutationDetector.RunWithStop(processorStop) })
	wg.Go(s.name+"/processor run", func() { s.processor.run(processorStop) })
	queueSynced := fifo.HasSyncedChecker().(runtimeDone).doneSignal().inSim
	wg.Go(s.name+" synced", func() {
		if chosen, _, _ := s.rt.Select(true, stop.RecvCase(), queueSynced.RecvCase()); chosen == 1 {
			s.syncedSeen = true
			s.probe.Emit(trace.Event{Kind: trace.InformerSynced})
			s.synced.close()
		}
	})

	s.controller.RunWithStop(stop)

	s.startedLock.Lock()
	s.stopped = true
	s.probe.Emit(trace.Event{Kind: trace.InformerStopped})
	s.startedLock.Unlock()
	processorStop.Close()
	wg.Wait()
}

// HasStarted tells whether Run was called.
func (s *sharedIndexInformer) HasStarted() bool {
	s.startedLock.Lock()
	defer s.startedLock.Unlock()
	return s.started
}

// IsStopped tells whether Run has returned (or is returning).
func (s *sharedIndexInformer) IsStopped() bool {
	s.startedLock.Lock()
	defer s.startedLock.Unlock()
	return s.stopped
}

// HasSynced tells whether the initial list has been processed. It does not
// tell whether handlers have handled it: ask their registrations.
func (s *sharedIndexInformer) HasSynced() bool { return IsDone(s.HasSyncedChecker()) }

// HasSyncedChecker signals when HasSynced becomes true.
func (s *sharedIndexInformer) HasSyncedChecker() DoneChecker { return informerSynced{s} }

// informerSynced is the informer's DoneChecker.
type informerSynced struct{ s *sharedIndexInformer }

func (c informerSynced) Name() string {
	if c.s.objectDescription != "" {
		return "SharedIndexInformer " + c.s.objectDescription
	}
	return fmt.Sprintf("SharedIndexInformer %T", c.s.objectType)
}
func (c informerSynced) Done() <-chan struct{}   { return c.s.synced.plain }
func (c informerSynced) doneSignal() *doneSignal { return c.s.synced }

func (s *sharedIndexInformer) LastSyncResourceVersion() string {
	s.startedLock.Lock()
	defer s.startedLock.Unlock()
	if s.controller == nil {
		return ""
	}
	return s.controller.LastSyncResourceVersion()
}

func (s *sharedIndexInformer) GetStore() Store           { return s.indexer }
func (s *sharedIndexInformer) GetIndexer() Indexer       { return s.indexer }
func (s *sharedIndexInformer) GetController() Controller { return &dummyController{s} }

// AddIndexers indexes the cache further; it works while the informer runs,
// indexing what the cache holds, but not once it has stopped.
func (s *sharedIndexInformer) AddIndexers(indexers Indexers) error {
	s.startedLock.Lock()
	defer s.startedLock.Unlock()
	if s.stopped {
		return fmt.Errorf("indexer was not added because it has stopped already")
	}
	return s.indexer.AddIndexers(indexers)
}

// SetTransform sets the transformer objects go through before the queue;
// only before Run.
func (s *sharedIndexInformer) SetTransform(handler TransformFunc) error {
	s.startedLock.Lock()
	defer s.startedLock.Unlock()
	if s.started {
		return fmt.Errorf("informer has already started")
	}
	s.transform = handler
	return nil
}

func (s *sharedIndexInformer) SetWatchErrorHandler(handler WatchErrorHandler) error {
	return s.SetWatchErrorHandlerWithContext(func(_ context.Context, r *Reflector, err error) { handler(r, err) })
}

// SetWatchErrorHandlerWithContext sets what is called when a list or a
// watch fails to start; only before Run.
func (s *sharedIndexInformer) SetWatchErrorHandlerWithContext(handler WatchErrorHandlerWithContext) error {
	s.startedLock.Lock()
	defer s.startedLock.Unlock()
	if s.started {
		return fmt.Errorf("informer has already started")
	}
	s.watchErrorHandler = handler
	return nil
}

func (s *sharedIndexInformer) AddEventHandler(handler ResourceEventHandler) (ResourceEventHandlerRegistration, error) {
	return s.AddEventHandlerWithOptions(handler, HandlerOptions{})
}

func (s *sharedIndexInformer) AddEventHandlerWithResyncPeriod(handler ResourceEventHandler, resyncPeriod time.Duration) (ResourceEventHandlerRegistration, error) {
	return s.AddEventHandlerWithOptions(handler, HandlerOptions{ResyncPeriod: &resyncPeriod})
}

// AddEventHandlerWithOptions adds a handler. A resync period below 1s is
// raised to 1s; one below the informer's check period lowers the check
// period before Run, and is raised to it after. A handler added while the
// informer runs first gets an add, flagged as initial, for every object in
// the cache; its registration syncs once it has handled them. Under the
// deterministic runtime, adding a handler to a running informer sends on
// channels, so it must be done from a goroutine of the runtime.
func (s *sharedIndexInformer) AddEventHandlerWithOptions(handler ResourceEventHandler, options HandlerOptions) (ResourceEventHandlerRegistration, error) {
	s.startedLock.Lock()
	defer s.startedLock.Unlock()
	if s.stopped {
		return nil, fmt.Errorf("handler %v was not added to shared informer because it has stopped already", handler)
	}
	resyncPeriod := s.defaultEventHandlerResyncPeriod
	if options.ResyncPeriod != nil {
		resyncPeriod = *options.ResyncPeriod
	}
	if resyncPeriod > 0 {
		resyncPeriod = max(resyncPeriod, minimumResyncPeriod)
		if resyncPeriod < s.resyncCheckPeriod {
			if s.started {
				resyncPeriod = s.resyncCheckPeriod
			} else {
				s.resyncCheckPeriod = resyncPeriod
				s.processor.resyncCheckPeriodChanged(resyncPeriod)
			}
		}
	}
	name := s.processor.newListenerName()
	l := newProcessListener(s.rt, name, handler, resyncPeriod, determineResyncPeriod(resyncPeriod, s.resyncCheckPeriod),
		s.rt.Now(), initialBufferSize, s.HasSyncedChecker(), s.recorder.Probe(name))
	if !s.started {
		handle, _ := s.processor.addListener(l)
		return handle, nil
	}
	s.blockDeltas.Lock()
	defer s.blockDeltas.Unlock()
	handle, started := s.processor.addListener(l)
	for _, item := range s.indexer.List() {
		l.add(addNotification{newObj: item, isInInitialList: true})
	}
	if started {
		s.processor.wg.Go(l.name+" watchSynced", l.watchSynced)
	}
	return handle, nil
}

// RemoveEventHandler removes a handler: what it has pending is dropped, and
// the call in progress, if any, finishes. Removing twice is fine.
func (s *sharedIndexInformer) RemoveEventHandler(handle ResourceEventHandlerRegistration) error {
	s.startedLock.Lock()
	defer s.startedLock.Unlock()
	s.blockDeltas.Lock()
	defer s.blockDeltas.Unlock()
	return s.processor.removeListener(handle)
}

func (s *sharedIndexInformer) handleDeltas(obj any, isInInitialList bool) error {
	s.blockDeltas.Lock()
	defer s.blockDeltas.Unlock()
	deltas, ok := obj.(Deltas)
	if !ok {
		return fmt.Errorf("object given as Process argument is not Deltas")
	}
	return processDeltas(s, s.indexer, deltas, isInInitialList, s.keyFunc)
}

func (s *sharedIndexInformer) handleBatchDeltas(deltas []Delta, isInInitialList bool) error {
	s.blockDeltas.Lock()
	defer s.blockDeltas.Unlock()
	return processDeltasInBatch(s, s.indexer, deltas, isInInitialList, s.keyFunc)
}

// OnAdd, OnUpdate and OnDelete make the informer the handler of its own
// controller: they distribute to the listeners.

func (s *sharedIndexInformer) OnAdd(obj any, isInInitialList bool) {
	s.cacheMutationDetector.AddObject(obj)
	distributeNotification(s.processor, addNotification{newObj: obj, isInInitialList: isInInitialList}, false)
}

// OnUpdate sends a sync notification (only to syncing listeners) when the
// resourceVersion did not change: a resync, a relist of an unchanged
// object, or a watch event that changed nothing.
func (s *sharedIndexInformer) OnUpdate(old, new any) {
	isSync := false
	if n, err := meta.Accessor(new); err == nil {
		if o, err := meta.Accessor(old); err == nil {
			isSync = n.GetResourceVersion() == o.GetResourceVersion()
		}
	}
	s.cacheMutationDetector.AddObject(new)
	distributeNotification(s.processor, updateNotification{oldObj: old, newObj: new}, isSync)
}

func (s *sharedIndexInformer) OnDelete(old any) {
	distributeNotification(s.processor, deleteNotification{oldObj: old}, false)
}

// dummyController is what GetController returns: the informer runs its own
// controller, so this one does not run.
type dummyController struct{ informer *sharedIndexInformer }

func (v *dummyController) RunWithContext(context.Context) {}
func (v *dummyController) Run(<-chan struct{})            {}
func (v *dummyController) RunWithStop(sim.Chan[struct{}]) {}
func (v *dummyController) HasSynced() bool                { return v.informer.HasSynced() }
func (v *dummyController) HasSyncedChecker() DoneChecker  { return v.informer.HasSyncedChecker() }
func (v *dummyController) LastSyncResourceVersion() string {
	return v.informer.LastSyncResourceVersion()
}

// ShutDownEventHandler removes a handler and waits until its last call has
// returned. Under the deterministic runtime, call it from a goroutine of the
// runtime.
func ShutDownEventHandler(informer SharedInformer, handle ResourceEventHandlerRegistration) error {
	if err := informer.RemoveEventHandler(handle); err != nil {
		return err
	}
	l, ok := handle.(*processorListener)
	if !ok {
		return fmt.Errorf("handle does not support ShutdownChan()")
	}
	l.runFinished.inSim.Recv()
	return nil
}

// traceSnapshot returns every component of the informer as a trace shows
// it. The caller must keep the informer's goroutines still (between steps of
// a deterministic runtime).
func (s *sharedIndexInformer) traceSnapshot() *trace.Snapshot {
	snap := trace.NewSnapshot()
	snap.Stores[s.name+"/indexer"] = s.indexer.(*cache).traceState()
	snap.Listeners = s.processor.traceState()
	inf := &trace.InformerState{Started: s.started, Stopped: s.stopped, Synced: s.syncedSeen}
	if d, ok := s.cacheMutationDetector.(*cacheMutationDetector); ok {
		inf.Mutations = d.traceMutations()
	}
	snap.Informers[s.name] = inf
	if s.controller == nil {
		return snap
	}
	c := s.controller.(*controller)
	switch q := c.config.Queue.(type) {
	case *DeltaFIFO:
		snap.Queues[s.name+"/queue"] = q.traceState()
	case *RealFIFO:
		snap.Queues[s.name+"/queue"] = q.traceState()
	}
	c.reflectorMutex.RLock()
	r := c.reflector
	c.reflectorMutex.RUnlock()
	if r != nil {
		snap.Reflectors[r.name] = r.traceState()
		if name, st, ok := r.temporaryStoreState(); ok {
			snap.Stores[name] = st
		}
	}
	return snap
}
