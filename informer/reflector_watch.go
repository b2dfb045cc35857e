package informer

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilnet "k8s.io/apimachinery/pkg/util/net"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// veryShortWatch: a watch that the server closes sooner than this, without
// an event, ends in a VeryShortWatchError.
const veryShortWatch = time.Second

// internalErrorRetryReset: internal errors further apart than this start a
// new streak for MaxInternalErrorRetryDuration.
const internalErrorRetryReset = time.Minute

// watchWithResync watches with a resync goroutine beside it: the goroutine
// ticks every resyncPeriod (never when it is zero) and, when ShouldResync
// allows, tells the store to Resync. A failed Resync ends the watch. The
// resync clock starts afresh with each cycle.
func (r *Reflector) watchWithResync(ctx context.Context, stop sim.Chan[struct{}], w *watchEvents) error {
	resyncErrs := sim.NewChan[error](r.rt, r.name+".resyncErrs", 1)
	cancel := sim.NewChan[struct{}](r.rt, r.name+".cancelResync", 0)
	finished := sim.NewChan[struct{}](r.rt, r.name+".resyncFinished", 0)
	r.rt.Go(r.name+" resync", func() {
		defer finished.Close()
		r.startResync(stop, cancel, resyncErrs)
	})
	defer func() {
		// Wait for the goroutine, so that it never touches the store
		// after this cycle.
		cancel.Close()
		finished.Recv()
	}()
	return r.watch(ctx, stop, w, resyncErrs)
}

// startResync is the resync goroutine. A timer is armed afresh after each
// resync, so the period runs from the end of the previous one.
func (r *Reflector) startResync(stop, cancel sim.Chan[struct{}], errs sim.Chan[error]) {
	var timer sim.Timer
	var tick sim.Chan[time.Time] // nil, never ready, when resyncPeriod is 0
	arm := func() {
		if r.resyncPeriod != 0 {
			timer = r.rt.NewTimer(r.resyncPeriod)
			tick = timer.C()
		}
	}
	arm()
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		if chosen, _, _ := r.rt.Select(true, tick.RecvCase(), stop.RecvCase(), cancel.RecvCase()); chosen != 0 {
			return
		}
		if r.ShouldResync == nil || r.ShouldResync() {
			r.probe.Emit(trace.Event{Kind: trace.ResyncTriggered})
			if err := r.store.Resync(); err != nil {
				errs.Send(fmt.Errorf("resync failed: %w", err))
				return
			}
		} else {
			r.probe.Emit(trace.Event{Kind: trace.ResyncTriggered, Reason: "ShouldResync returned false"})
		}
		timer.Stop()
		arm()
	}
}

// watch consumes w, or watches afresh from the last resourceVersion when w
// is nil, and re-watches for as long as it can: after a watch the server
// closed, after a refused open (429, connection refused: after a backoff
// wait), after a 429 in the stream (after a backoff wait), and after an
// internal error within MaxInternalErrorRetryDuration. Anything else ends
// the cycle: an error to open a watch is returned; a watch that expired,
// was very short or ended with another error returns nil, and the next
// cycle lists again. A stop returns nil. Every watch is stopped before
// watch returns.
func (r *Reflector) watch(ctx context.Context, stop sim.Chan[struct{}], w *watchEvents, resyncErrs sim.Chan[error]) error {
	retry := NewRetryWithDeadline(r.MaxInternalErrorRetryDuration, internalErrorRetryReset, apierrors.IsInternalError, r.rt)
	r.setPhase(trace.PhaseWatching)
	for {
		if isClosed(r.rt, stop) {
			if w != nil {
				r.endWatch(w, trace.WatchStopRequested, nil)
			}
			return nil
		}
		// The clock starts before the request: some proxies send nothing
		// until the first event.
		start := r.rt.Now()
		// A watch opened at "" or "0" starts with synthetic Added events in
		// no particular resourceVersion order; their resourceVersions are
		// recorded only once another kind of event shows they are over. A
		// watch handed over by a streaming list is past them.
		propagateRVFromStart := true
		if w == nil {
			timeout := r.watchTimeoutSeconds()
			options := metav1.ListOptions{
				ResourceVersion:     r.LastSyncResourceVersion(),
				TimeoutSeconds:      &timeout,
				AllowWatchBookmarks: true,
			}
			if options.ResourceVersion == "" || options.ResourceVersion == "0" {
				propagateRVFromStart = false
			}
			var err error
			if w, err = r.openWatch(ctx, options); err != nil {
				if isWatchErrorRetriable(err) {
					if !r.sleepBackoff(stop, "watch refused: "+err.Error()) {
						return nil
					}
					r.setPhase(trace.PhaseWatching)
					continue
				}
				return err
			}
		}
		_, err := r.handleAnyWatch(stop, start, w, r.store, func(rv string, pastInitialAdds bool) {
			if propagateRVFromStart || pastInitialAdds {
				r.setLastSyncResourceVersion(rv)
				if u, ok := r.store.(ResourceVersionUpdater); ok {
					u.UpdateResourceVersion(rv)
				}
			}
		}, false, resyncErrs)
		w = nil // handleAnyWatch stopped it
		retry.After(err)
		if err == nil {
			continue // the server closed the watch: watch on from where it ended
		}
		if errors.Is(err, errStopRequested) {
			return nil
		}
		switch {
		case isExpiredError(err):
			// The next list asks for data at least as fresh as the last
			// resourceVersion, which the relist can serve.
		case apierrors.IsTooManyRequests(err):
			if !r.sleepBackoff(stop, "watch ended with 429") {
				return nil
			}
			r.setPhase(trace.PhaseWatching)
			continue
		case apierrors.IsInternalError(err) && retry.ShouldRetry():
			continue
		}
		r.probe.Emit(trace.Event{Kind: trace.RelistNeeded, Reason: err.Error()})
		return nil
	}
}

// watchTimeoutSeconds draws a watch timeout in [minWatchTimeout,
// maxWatchTimeout].
func (r *Reflector) watchTimeoutSeconds() int64 {
	lo, hi := r.minWatchTimeout.Seconds(), r.maxWatchTimeout.Seconds()
	return int64(lo + r.rt.Float64()*(hi-lo))
}

// watchRequest is how a trace shows a watch's options.
func watchRequest(options metav1.ListOptions) trace.ReflectorRequest {
	req := trace.ReflectorRequest{Verb: "WATCH", ResourceVersion: options.ResourceVersion,
		ResourceVersionMatch: string(options.ResourceVersionMatch)}
	if options.TimeoutSeconds != nil {
		req.TimeoutSeconds = int(*options.TimeoutSeconds)
	}
	if options.SendInitialEvents != nil {
		req.SendInitialEvents = *options.SendInitialEvents
	}
	return req
}

func watchRequestEvent(kind trace.Kind, req trace.ReflectorRequest) trace.Event {
	return trace.Event{Kind: kind, RV: req.ResourceVersion, Count: req.TimeoutSeconds,
		Initial: req.SendInitialEvents, Value: req.ResourceVersionMatch}
}

// openWatch starts a watch. A watch whose events this runtime cannot wait
// for is stopped and reported as an error.
func (r *Reflector) openWatch(ctx context.Context, options metav1.ListOptions) (*watchEvents, error) {
	req := watchRequest(options)
	r.update(func() { r.request = &req }, watchRequestEvent(trace.WatchRequested, req))
	w, err := r.listerWatcher.WatchWithContext(ctx, options)
	var events *watchEvents
	if err == nil {
		if events, err = newWatchEvents(r.rt, r.name, w); err != nil {
			w.Stop()
		}
	}
	if err != nil {
		r.update(func() { r.request = nil }, trace.Event{Kind: trace.WatchOpenFailed, Reason: err.Error()})
		return nil, err
	}
	r.update(func() { r.request, r.openedWatch = nil, &trace.ReflectorWatch{ReflectorRequest: req} },
		watchRequestEvent(trace.WatchOpened, req))
	return events, nil
}

// endWatch records that w ended for reason (a trace.Watch* reason), then
// stops it.
func (r *Reflector) endWatch(w *watchEvents, reason string, err error) {
	e := trace.Event{Kind: trace.WatchEnded, Reason: reason}
	if err != nil {
		e.Value = err.Error()
	}
	r.update(func() { r.openedWatch = nil }, e)
	w.stop()
}

// handleAnyWatch passes the events of w to store until the watch ends, stop
// is closed, or errs delivers a resync failure; setRV hears of the
// resourceVersion of each event store got, and whether an event other than
// Added came yet. With exitOnInitialEventsEnd, it returns as soon as the
// bookmark that ends a streaming list's initial events arrives, leaving w
// open; otherwise it stops w before it returns. It reports whether that
// bookmark arrived.
func (r *Reflector) handleAnyWatch(stop sim.Chan[struct{}], start time.Time, w *watchEvents, store ReflectorStore,
	setRV func(rv string, pastInitialAdds bool), exitOnInitialEventsEnd bool, errs sim.Chan[error]) (bool, error) {
	initialEventsEnd := false
	pastInitialAdds := false
	eventCount := 0
	ticker := r.newInitialEventsEndTicker(start, exitOnInitialEventsEnd)
	defer ticker.stop()
	for {
		chosen, v, ok := r.rt.Select(true, stop.RecvCase(), errs.RecvCase(), w.events.RecvCase(), ticker.c().RecvCase())
		switch chosen {
		case 0:
			r.endWatch(w, trace.WatchStopRequested, nil)
			return initialEventsEnd, errStopRequested
		case 1:
			err := sim.As[error](v)
			r.endWatch(w, trace.WatchError, err)
			return initialEventsEnd, err
		case 3:
			ticker.warnIfExpired()
			continue
		}
		if !ok {
			break
		}
		event := v.(watch.Event)
		if event.Type == watch.Error {
			err := apierrors.FromObject(event.Object)
			r.endWatch(w, trace.WatchError, err)
			return initialEventsEnd, err
		}
		m, reason := r.checkEventObject(event.Object)
		if reason != "" {
			r.probe.Emit(trace.Event{Kind: trace.WatchEventDropped, Type: string(event.Type), Obj: r.probe.Ref(event.Object), Reason: reason})
			continue
		}
		rv := m.GetResourceVersion()
		isEnd := event.Type == watch.Bookmark && m.GetAnnotations()[metav1.InitialEventsAnnotationKey] == "true"
		r.receivedEvent(event, rv, isEnd)
		var err error
		switch event.Type {
		case watch.Added:
			err = store.Add(event.Object)
		case watch.Modified:
			pastInitialAdds = true
			err = store.Update(event.Object)
		case watch.Deleted:
			// The store gets the object's last state, as the event has it.
			pastInitialAdds = true
			err = store.Delete(event.Object)
		case watch.Bookmark:
			// The watch has synced up to rv.
			pastInitialAdds = true
			initialEventsEnd = initialEventsEnd || isEnd
			if b, ok := store.(ReflectorBookmarkStore); ok {
				err = b.Bookmark(rv)
			}
		default:
			err = fmt.Errorf("unknown watch event type %q", event.Type)
		}
		if err != nil {
			r.probe.Emit(trace.Event{Kind: trace.StoreCallFailed, Type: string(event.Type), Obj: r.probe.Ref(event.Object), Reason: err.Error()})
		}
		setRV(rv, pastInitialAdds)
		eventCount++
		if exitOnInitialEventsEnd && initialEventsEnd {
			return true, nil // w stays open, for the watch that follows
		}
		ticker.observe(r.rt.Now())
	}
	if r.rt.Since(start) < veryShortWatch && eventCount == 0 {
		err := &VeryShortWatchError{Name: r.name}
		r.endWatch(w, trace.WatchVeryShort, err)
		return initialEventsEnd, err
	}
	r.endWatch(w, trace.WatchClosed, nil)
	return initialEventsEnd, nil
}

// receivedEvent counts an event the open watch delivered and reports it.
func (r *Reflector) receivedEvent(event watch.Event, rv string, initialEventsEnd bool) {
	e := trace.Event{Kind: trace.WatchEventReceived, Type: string(event.Type), RV: rv, Initial: initialEventsEnd}
	if r.probe != nil {
		e.Obj = r.probe.Ref(event.Object)
	}
	r.update(func() {
		if r.openedWatch != nil {
			w := *r.openedWatch
			w.Events++
			r.openedWatch = &w
		}
	}, e)
}

// checkEventObject returns obj's metadata, or why the event is dropped: an
// object of another Go type or kind than the expected one, a Table, or an
// object without metadata.
func (r *Reflector) checkEventObject(obj runtime.Object) (metav1.Object, string) {
	if obj == nil {
		return nil, "no object"
	}
	if r.expectedType != nil {
		if got := reflect.TypeOf(obj); got != r.expectedType {
			return nil, fmt.Sprintf("unexpected object type %v, expected %v", got, r.expectedType)
		}
	}
	if r.expectedGVK != nil {
		if got := obj.GetObjectKind().GroupVersionKind(); got != *r.expectedGVK {
			return nil, fmt.Sprintf("unexpected object gvk %v, expected %v", got, *r.expectedGVK)
		}
	}
	if isUnsupportedTableObject(obj) {
		return nil, fmt.Sprintf("unsupported object gvk %v", obj.GetObjectKind().GroupVersionKind())
	}
	m, err := meta.Accessor(obj)
	if err != nil {
		return nil, fmt.Sprintf("unable to understand watch event: %v", err)
	}
	return m, ""
}

// isExpiredError tells whether err says a resourceVersion is too old: 410
// Gone, with reason Expired (or Gone, from servers before 1.18).
func isExpiredError(err error) bool {
	return apierrors.IsResourceExpired(err) || apierrors.IsGone(err)
}

// isTooLargeResourceVersionError tells whether err says a resourceVersion
// is newer than anything the server has (a server whose cache lags behind
// another's), in the forms servers have said it since 1.17.
func isTooLargeResourceVersionError(err error) bool {
	if apierrors.HasStatusCause(err, metav1.CauseTypeResourceVersionTooLarge) {
		return true
	}
	if !apierrors.IsTimeout(err) {
		return false
	}
	var status apierrors.APIStatus
	if !errors.As(err, &status) || status.Status().Details == nil {
		return false
	}
	for _, cause := range status.Status().Details.Causes {
		if cause.Message == "Too large resource version" {
			return true
		}
	}
	return strings.Contains(status.Status().Message, "Too large resource version")
}

// isWatchErrorRetriable tells whether opening a watch may simply be tried
// again (after a backoff wait), rather than listing again: the server is
// down (connection refused) or busy (429).
func isWatchErrorRetriable(err error) bool {
	return utilnet.IsConnectionRefused(err) || apierrors.IsTooManyRequests(err)
}
