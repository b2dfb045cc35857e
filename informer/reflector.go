package informer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/klog/v2"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// The bounds of a watch's timeout: each watch asks the server to end it
// after a random time in [minWatchTimeout, maxWatchTimeout], so that the
// watches of many clients do not all restart at once.
const (
	defaultMinWatchTimeout = 5 * time.Minute
	defaultMaxWatchTimeout = 2 * defaultMinWatchTimeout
)

// defaultExpectedTypeName describes the objects of a reflector that was
// given no expected type.
const defaultExpectedTypeName = "<unspecified>"

// ReflectorBookmarkStore is a store that wants to hear of watch bookmarks:
// the Reflector passes each bookmark's resourceVersion to Bookmark. A Store's
// own Bookmark returns nothing, so a plain Store is not one; RealFIFO is.
type ReflectorBookmarkStore interface {
	Bookmark(resourceVersion string) error
}

// ResourceVersionUpdater is a store that tracks the Reflector's
// resourceVersion: UpdateResourceVersion is called with the resourceVersion
// of every watch event the Reflector records (not with a list's).
type ResourceVersionUpdater interface {
	UpdateResourceVersion(resourceVersion string)
}

// WatchErrorHandler is called with every error ListAndWatch returns, that
// is, when a list fails or a watch cannot be opened, before the Reflector
// backs off and tries again. It must return quickly.
type WatchErrorHandler func(r *Reflector, err error)

// WatchErrorHandlerWithContext is a WatchErrorHandler that also receives the
// context the Reflector runs with.
type WatchErrorHandlerWithContext func(ctx context.Context, r *Reflector, err error)

// DefaultWatchErrorHandler logs err through the context's klog logger, as
// client-go does: expired watches at V(4), io.EOF not at all,
// io.ErrUnexpectedEOF at V(1), and anything else as an error. The trace
// records every error whichever handler runs.
func DefaultWatchErrorHandler(ctx context.Context, r *Reflector, err error) {
	logger := klog.FromContext(ctx)
	switch {
	case isExpiredError(err):
		// The next list asks for data at least as fresh as the last
		// resourceVersion, which is what an expired watch needs.
		logger.V(4).Info("Watch closed", "reflector", r.name, "type", r.typeDescription, "err", err)
	case err == io.EOF:
	case err == io.ErrUnexpectedEOF:
		logger.V(1).Info("Watch closed with unexpected EOF", "reflector", r.name, "type", r.typeDescription, "err", err)
	default:
		logger.Error(err, "Failed to watch", "reflector", r.name, "type", r.typeDescription)
	}
}

// VeryShortWatchError is what a watch that the server closed within a
// second, without a single event, ends with: a sign that something is wrong,
// so the Reflector lists again (after its backoff) rather than re-watch.
type VeryShortWatchError struct {
	// Name is the Reflector's.
	Name string
}

func (e *VeryShortWatchError) Error() string {
	return fmt.Sprintf("very short watch: %s: Unexpected watch close - watch lasted less than a second and no items received", e.Name)
}

// errStopRequested ends a watch that the Reflector's stop channel ended.
var errStopRequested = errors.New("stop requested")

// ReflectorOptions configures a Reflector. The zero value is client-go's
// defaults on the native runtime, untraced.
type ReflectorOptions struct {
	// Name names the Reflector. Optional, the default is the file:line of
	// the code that created it.
	Name string
	// TypeDescription describes the objects, for messages. Optional, the
	// default is derived from the expected type: its apiVersion and kind for
	// an Unstructured that has them, else its Go type, else
	// "<unspecified>".
	TypeDescription string
	// ResyncPeriod is how often the store is told to Resync while the
	// Reflector watches. Zero, the default, never resyncs.
	ResyncPeriod time.Duration
	// MinWatchTimeout, when above the default of 5 minutes, is the least
	// timeout a watch asks for, and twice it the most.
	MinWatchTimeout time.Duration
	// Backoff times the waits after each ListAndWatch and before retrying a
	// refused watch. Optional, the default is client-go's: 800ms doubling
	// to 30s, jitter 1.0. The progression starts over two minutes after it
	// started or last started over.
	Backoff *Backoff
	// UseWatchListClient says whether to try a streaming list before LIST:
	// client-go's WatchListClient feature gate. Nil means true, v0.37.2's
	// default. A ListerWatcher whose IsWatchListSemanticsUnSupported answers
	// true turns streaming lists off whatever this says.
	UseWatchListClient *bool

	// Runtime runs the Reflector's goroutines and owns its clock and
	// randomness. Optional, the default is sim.Native().
	Runtime sim.Runtime
	// Probe, if set, receives a trace event for every change of the
	// Reflector. Its temporary stores report to Probe.Child("temporary-store").
	Probe *trace.Probe
}

// Reflector keeps a store in step with a resource on the server: it lists
// the resource, replaces the store's contents with the list, then watches
// and applies each change, and starts over when the watch cannot go on.
//
// Each ListAndWatch cycle runs on the goroutine that calls it (Run loops
// over cycles, with a backoff wait after each). A cycle uses two goroutines
// of its own: one for each list call, which the cycle abandons when it is
// stopped, and one that resyncs the store while the cycle watches.
//
// mu guards lastSyncResourceVersion, isLastSyncResourceVersionUnavailable
// and the fields that only traces read. It is never held across a runtime
// call or a store call, and events are emitted after it is released. The
// other unexported fields are set at construction, or belong to the
// goroutine that runs the cycles.
type Reflector struct {
	name            string
	typeDescription string
	// expectedType is the Go type of the objects the store gets; events of
	// another type are dropped. Nil accepts any type.
	expectedType reflect.Type
	// expectedGVK, for an Unstructured expected type that has one, is the
	// apiVersion and kind the objects must have.
	expectedGVK   *schema.GroupVersionKind
	store         ReflectorStore
	listerWatcher ListerWatcherWithContext
	resyncPeriod  time.Duration
	backoff       *backoffManager
	// A watch asks for a timeout in [minWatchTimeout, maxWatchTimeout].
	minWatchTimeout time.Duration
	maxWatchTimeout time.Duration
	// paginatedResult is set once a list at resourceVersion "0" came back
	// in pages: the server's watch cache is off, so later lists page too.
	paginatedResult bool
	// useWatchList makes each cycle try a streaming list before LIST.
	useWatchList      bool
	watchErrorHandler WatchErrorHandlerWithContext
	rt                sim.Runtime
	probe             *trace.Probe

	// WatchListPageSize, if not zero, is the page size of every list.
	// Otherwise lists page by 500, except those at a resourceVersion other
	// than "" and "0", which the server may then serve from its watch
	// cache in one piece; unless an initial list came back in pages.
	WatchListPageSize int64
	// ShouldResync is asked at each resync tick; the store resyncs when it
	// answers true. Nil always resyncs.
	ShouldResync func() bool
	// MaxInternalErrorRetryDuration is how long a watch that keeps ending
	// with internal errors is re-opened at once, instead of listing again.
	// Zero never re-opens.
	MaxInternalErrorRetryDuration time.Duration

	mu sync.Mutex
	// lastSyncResourceVersion is the resourceVersion of the last list, or
	// of the last watch event recorded.
	lastSyncResourceVersion string
	// isLastSyncResourceVersionUnavailable is set when a list at
	// lastSyncResourceVersion failed as expired or too large: lists then
	// start over from "", the server's latest.
	isLastSyncResourceVersionUnavailable bool
	// What traceState reports: see trace.ReflectorState.
	phase         string
	cycle         int
	request       *trace.ReflectorRequest
	openedWatch   *trace.ReflectorWatch
	backoffWait   string
	backoffUntil  int64
	tempStore     *cache
	tempStoreName string
}

// NewReflector returns a Reflector named after the code that calls it.
func NewReflector(lw ListerWatcher, expectedType any, store ReflectorStore, resyncPeriod time.Duration) *Reflector {
	return NewReflectorWithOptions(lw, expectedType, store, ReflectorOptions{ResyncPeriod: resyncPeriod})
}

// NewNamedReflector returns a Reflector with the given name.
func NewNamedReflector(name string, lw ListerWatcher, expectedType any, store ReflectorStore, resyncPeriod time.Duration) *Reflector {
	return NewReflectorWithOptions(lw, expectedType, store, ReflectorOptions{Name: name, ResyncPeriod: resyncPeriod})
}

// NewNamespaceKeyedIndexerAndReflector returns an Indexer keyed and indexed
// by namespace, and a Reflector that fills it.
func NewNamespaceKeyedIndexerAndReflector(lw ListerWatcher, expectedType any, resyncPeriod time.Duration) (Indexer, *Reflector) {
	indexer := NewIndexer(MetaNamespaceKeyFunc, Indexers{NamespaceIndex: MetaNamespaceIndexFunc})
	return indexer, NewReflector(lw, expectedType, indexer, resyncPeriod)
}

// NewReflectorWithOptions returns a Reflector that keeps store in step with
// what lw lists and watches. It puts only objects of expectedType's Go type
// into store (and, for an Unstructured with an apiVersion and kind, of that
// kind); a nil expectedType accepts anything.
func NewReflectorWithOptions(lw ListerWatcher, expectedType any, store ReflectorStore, options ReflectorOptions) *Reflector {
	rt := sim.Or(options.Runtime)
	minWatchTimeout, maxWatchTimeout := defaultMinWatchTimeout, defaultMaxWatchTimeout
	if options.MinWatchTimeout > defaultMinWatchTimeout {
		minWatchTimeout, maxWatchTimeout = options.MinWatchTimeout, 2*options.MinWatchTimeout
	}
	backoff := defaultBackoff()
	if options.Backoff != nil {
		backoff = *options.Backoff
	}
	r := &Reflector{
		name:              options.Name,
		typeDescription:   options.TypeDescription,
		expectedType:      reflect.TypeOf(expectedType),
		expectedGVK:       getExpectedGVKFromObject(expectedType),
		store:             store,
		listerWatcher:     ToListerWatcherWithContext(lw),
		resyncPeriod:      options.ResyncPeriod,
		backoff:           newBackoffManager(rt, backoff, defaultBackoffReset),
		minWatchTimeout:   minWatchTimeout,
		maxWatchTimeout:   maxWatchTimeout,
		watchErrorHandler: DefaultWatchErrorHandler,
		rt:                rt,
		probe:             options.Probe,
	}
	if r.name == "" {
		r.name = nameFromCallsite()
	}
	if r.typeDescription == "" {
		r.typeDescription = getTypeDescriptionFromObject(expectedType)
	}
	// The capability is asked of lw itself: ToListerWatcherWithContext may
	// have wrapped it in a type that does not have it.
	r.useWatchList = (options.UseWatchListClient == nil || *options.UseWatchListClient) &&
		!doesClientNotSupportWatchListSemantics(lw)
	return r
}

// getTypeDescriptionFromObject describes expectedType for messages.
func getTypeDescriptionFromObject(expectedType any) string {
	if expectedType == nil {
		return defaultExpectedTypeName
	}
	if u, ok := expectedType.(*unstructured.Unstructured); ok {
		if gvk := u.GroupVersionKind(); !gvk.Empty() {
			return gvk.String()
		}
	}
	return reflect.TypeOf(expectedType).String()
}

// getExpectedGVKFromObject returns the apiVersion and kind of an
// Unstructured expected type, or nil.
func getExpectedGVKFromObject(expectedType any) *schema.GroupVersionKind {
	u, ok := expectedType.(*unstructured.Unstructured)
	if !ok {
		return nil
	}
	if gvk := u.GroupVersionKind(); !gvk.Empty() {
		return &gvk
	}
	return nil
}

// Name returns the Reflector's name.
func (r *Reflector) Name() string { return r.name }

// TypeDescription describes the Reflector's objects.
func (r *Reflector) TypeDescription() string { return r.typeDescription }

// setWatchErrorHandler makes handler the one ListAndWatch errors go to (nil
// restores DefaultWatchErrorHandler). An informer calls it before Run, for
// its SetWatchErrorHandler; nothing may call it once the Reflector runs.
func (r *Reflector) setWatchErrorHandler(handler WatchErrorHandlerWithContext) {
	if handler == nil {
		handler = DefaultWatchErrorHandler
	}
	r.watchErrorHandler = handler
}

// Run runs ListAndWatch cycles, with a backoff wait after each, until stopCh
// is closed. Under a deterministic runtime only a nil or already closed
// stopCh can be used; use RunWithStop.
func (r *Reflector) Run(stopCh <-chan struct{}) {
	r.runBridged(context.Background(), stopCh)
}

// RunWithContext is Run until ctx is done. The context reaches the
// ListerWatcher's calls and the watch error handler. Under a deterministic
// runtime only a context that is never or already done can be used; use
// RunWithStop.
func (r *Reflector) RunWithContext(ctx context.Context) {
	r.runBridged(ctx, ctx.Done())
}

// RunWithStop is Run until stop is closed: the form a goroutine of a
// deterministic runtime can stop.
func (r *Reflector) RunWithStop(stop sim.Chan[struct{}]) {
	r.run(context.Background(), stop)
}

func (r *Reflector) runBridged(ctx context.Context, done <-chan struct{}) {
	stop, release, err := bridgeStop(r.rt, r.name, done)
	if err != nil {
		panic(err)
	}
	defer release()
	r.run(ctx, stop)
}

// run is the loop of Run: a cycle, the error (if any) to the handler, a
// backoff wait, and again.
func (r *Reflector) run(ctx context.Context, stop sim.Chan[struct{}]) {
	for {
		if err := r.listAndWatchContext(ctx, stop); err != nil {
			r.probe.Emit(trace.Event{Kind: trace.WatchErrorHandled, Reason: err.Error()})
			r.watchErrorHandler(ctx, r, err)
		}
		if isClosed(r.rt, stop) || !r.sleepBackoff(stop, "after ListAndWatch") || isClosed(r.rt, stop) {
			break
		}
	}
	r.setPhase(trace.PhaseStopped)
}

// ListAndWatch runs one cycle: it lists (or streams the initial list), then
// watches until the watch cannot go on, or until stopCh is closed. It
// returns an error when the list failed or a watch could not be opened, nil
// otherwise. Under a deterministic runtime only a nil or already closed
// stopCh can be used; use the runtime-native form that RunWithStop uses.
func (r *Reflector) ListAndWatch(stopCh <-chan struct{}) error {
	return r.listAndWatchBridged(context.Background(), stopCh)
}

// ListAndWatchWithContext is ListAndWatch until ctx is done.
func (r *Reflector) ListAndWatchWithContext(ctx context.Context) error {
	return r.listAndWatchBridged(ctx, ctx.Done())
}

func (r *Reflector) listAndWatchBridged(ctx context.Context, done <-chan struct{}) error {
	stop, release, err := bridgeStop(r.rt, r.name, done)
	if err != nil {
		return err
	}
	defer release()
	return r.listAndWatchContext(ctx, stop)
}

// listAndWatch is ListAndWatch until stop is closed.
func (r *Reflector) listAndWatch(stop sim.Chan[struct{}]) error {
	return r.listAndWatchContext(context.Background(), stop)
}

func (r *Reflector) listAndWatchContext(parent context.Context, stop sim.Chan[struct{}]) error {
	ctx, cancel := requestContext(r.rt, r.name, parent, stop)
	defer cancel()
	phase := trace.PhaseListing
	if r.useWatchList {
		phase = trace.PhaseWatchListing
	}
	r.mu.Lock()
	r.cycle++
	cycle := r.cycle
	r.phase, r.backoffWait, r.backoffUntil = phase, "", 0
	r.mu.Unlock()
	r.probe.Emit(trace.Event{Kind: trace.ListAndWatchStarted, Count: cycle, Reason: phase})

	var w *watchEvents
	fallbackToList := !r.useWatchList
	if r.useWatchList {
		var err error
		w, err = r.watchList(ctx, stop)
		if w == nil && err == nil {
			return nil // stopped
		}
		if err != nil {
			// The server may not serve streaming lists; nothing is
			// remembered, the next cycle tries again.
			r.update(func() { r.phase, r.backoffWait, r.backoffUntil = trace.PhaseListing, "", 0 },
				trace.Event{Kind: trace.WatchListFallback, Reason: err.Error()})
			fallbackToList, w = true, nil
		}
	}
	if fallbackToList {
		if err := r.list(ctx, stop); err != nil {
			return err
		}
	}
	return r.watchWithResync(ctx, stop, w)
}

// requestContext returns the context a cycle's list and watch calls get: it
// is cancelled when the cycle returns and, under the native runtime, as soon
// as stop is closed, which aborts a call in flight. (A call on a
// deterministic runtime waits through the runtime, which stop reaches by
// other means.)
func requestContext(rt sim.Runtime, name string, parent context.Context, stop sim.Chan[struct{}]) (context.Context, func()) {
	ctx, cancel := context.WithCancel(parent)
	if rt != sim.Native() {
		return ctx, cancel
	}
	finished := sim.NewChan[struct{}](rt, name+".cycleFinished", 0)
	rt.Go(name+" cancel on stop", func() {
		rt.Select(true, stop.RecvCase(), finished.RecvCase())
		cancel()
	})
	return ctx, func() {
		finished.Close()
		cancel()
	}
}

// sleepBackoff waits for the next backoff wait, or until stop is closed; it
// reports whether the wait ran out.
func (r *Reflector) sleepBackoff(stop sim.Chan[struct{}], reason string) bool {
	wait := r.startBackoff(reason)
	timer := r.rt.NewTimer(wait)
	if chosen, _, _ := r.rt.Select(true, stop.RecvCase(), timer.C().RecvCase()); chosen == 0 {
		timer.Stop()
		return false
	}
	return true
}

// startBackoff takes the next backoff wait and records that it starts.
func (r *Reflector) startBackoff(reason string) time.Duration {
	wait, restarted := r.backoff.next()
	until := r.rt.Now().Add(wait).Sub(sim.Epoch).Nanoseconds()
	r.update(func() { r.phase, r.backoffWait, r.backoffUntil = trace.PhaseBackingOff, wait.String(), until },
		trace.Event{Kind: trace.BackoffStarted, Value: wait.String(), Until: until, Reason: reason, Initial: restarted})
	return wait
}

// LastSyncResourceVersion returns the resourceVersion the Reflector last
// synced to: its last list's, or its last recorded watch event's. The
// store may not have caught up with it yet.
func (r *Reflector) LastSyncResourceVersion() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lastSyncResourceVersion
}

func (r *Reflector) setLastSyncResourceVersion(v string) {
	r.mu.Lock()
	changed := r.lastSyncResourceVersion != v
	r.lastSyncResourceVersion = v
	r.mu.Unlock()
	if changed {
		r.probe.Emit(trace.Event{Kind: trace.LastSyncResourceVersionChanged, RV: v})
	}
}

// relistResourceVersion is the resourceVersion to list at: "0" (any data
// the server has, served from its cache) before anything was synced; ""
// (the latest, read from etcd) after the last one turned out unavailable;
// otherwise the last one, so that a relist never goes back in time.
func (r *Reflector) relistResourceVersion() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.isLastSyncResourceVersionUnavailable {
		return ""
	}
	if r.lastSyncResourceVersion == "" {
		return "0"
	}
	return r.lastSyncResourceVersion
}

// rewatchResourceVersion is the resourceVersion a streaming list starts
// at: the last one, or "" (the latest) when that turned out unavailable.
func (r *Reflector) rewatchResourceVersion() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.isLastSyncResourceVersionUnavailable {
		return ""
	}
	return r.lastSyncResourceVersion
}

// setResourceVersionUnavailable records whether the last resourceVersion
// is unavailable; cause is the error that says so.
func (r *Reflector) setResourceVersionUnavailable(unavailable bool, cause error) {
	r.mu.Lock()
	changed := r.isLastSyncResourceVersionUnavailable != unavailable
	r.isLastSyncResourceVersionUnavailable = unavailable
	r.mu.Unlock()
	if changed && r.probe != nil {
		e := trace.Event{Kind: trace.ResourceVersionUnavailable, Value: fmt.Sprint(unavailable)}
		if cause != nil {
			e.Reason = cause.Error()
		}
		r.probe.Emit(e)
	}
}

// update makes a change to what traces see, under mu, then reports it.
func (r *Reflector) update(change func(), e trace.Event) {
	r.mu.Lock()
	change()
	r.mu.Unlock()
	r.probe.Emit(e)
}

func (r *Reflector) setPhase(phase string) {
	r.update(func() { r.phase, r.backoffWait, r.backoffUntil = phase, "", 0 }, trace.Event{Kind: trace.ReflectorPhase, Reason: phase})
}

// traceState returns the Reflector as a trace shows it. The caller must
// keep the Reflector's goroutines still. The temporary store of a
// streaming list is a component of its own (see temporaryStoreState).
func (r *Reflector) traceState() *trace.ReflectorState {
	return &trace.ReflectorState{
		Phase:                      r.phase,
		Cycle:                      r.cycle,
		LastSyncResourceVersion:    r.lastSyncResourceVersion,
		ResourceVersionUnavailable: r.isLastSyncResourceVersionUnavailable,
		Request:                    r.request,
		Watch:                      r.openedWatch,
		Backoff:                    r.backoffWait,
		BackoffUntil:               r.backoffUntil,
		TemporaryStore:             r.tempStoreName,
	}
}

// temporaryStoreState returns the name and state of the temporary store of
// the streaming list in progress; ok is false when there is none or it is
// not traced.
func (r *Reflector) temporaryStoreState() (name string, st *trace.StoreState, ok bool) {
	if r.tempStore == nil || r.tempStoreName == "" {
		return "", nil, false
	}
	return r.tempStoreName, r.tempStore.traceState(), true
}
