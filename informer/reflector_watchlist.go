package informer

import (
	"context"
	"errors"
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// initialEventsEndWarningInterval is how often a streaming list that waits
// for the bookmark ending its initial events says so.
const initialEventsEndWarningInterval = 10 * time.Second

// watchList gets the initial state by a streaming list: a watch with
// sendInitialEvents=true, whose server first sends every object as an Added
// event and then a bookmark annotated k8s.io/initial-events-end at the
// resourceVersion the state is at. The events go into a temporary store
// (keyed like the informer's, transformed by the store's transformer, so
// objects are transformed once here and again in the store); the bookmark
// hands its contents to the store in one Replace. The watch then stays
// open, and is returned for the cycle to watch on.
//
// A stream that ends before the bookmark, without an error, is requested
// again at once. A refused request (429, connection refused) is retried
// after a backoff wait that, as in client-go, a stop does not cut short; an
// expired or too large resourceVersion is retried from "". Any other error,
// a very short watch included, is returned, and the cycle falls back to
// LIST. A stop returns (nil, nil).
func (r *Reflector) watchList(ctx context.Context, stop sim.Chan[struct{}]) (*watchEvents, error) {
	var storeOpts []StoreOption
	if ts, ok := r.store.(TransformingStore); ok && ts.Transformer() != nil {
		storeOpts = append(storeOpts, WithTransformer(ts.Transformer()))
	}
	defer r.dropTemporaryStore()
	retriable := func(err error) bool {
		if isWatchErrorRetriable(err) {
			r.rt.Sleep(r.startBackoff("watch-list refused: " + err.Error()))
			r.setPhase(trace.PhaseWatchListing)
			return true
		}
		if isExpiredError(err) || isTooLargeResourceVersionError(err) {
			r.setResourceVersionUnavailable(true, err)
			return true
		}
		return false
	}
	var w *watchEvents
	var resourceVersion string
	for {
		if isClosed(r.rt, stop) {
			return nil, nil
		}
		resourceVersion = ""
		temporaryStore := r.newTemporaryStore(storeOpts)
		timeout := r.watchTimeoutSeconds()
		sendInitialEvents := true
		options := metav1.ListOptions{
			ResourceVersion:      r.rewatchResourceVersion(),
			AllowWatchBookmarks:  true,
			SendInitialEvents:    &sendInitialEvents,
			ResourceVersionMatch: metav1.ResourceVersionMatchNotOlderThan,
			TimeoutSeconds:       &timeout,
		}
		start := r.rt.Now()
		var err error
		if w, err = r.openWatch(ctx, options); err != nil {
			if retriable(err) {
				continue
			}
			return nil, err
		}
		// Only events other than Added carry the resourceVersion the state
		// is at; normally that is the closing bookmark.
		done, err := r.handleAnyWatch(stop, start, w, temporaryStore, func(rv string, pastInitialAdds bool) {
			if pastInitialAdds {
				resourceVersion = rv
			}
		}, true, sim.Chan[error]{})
		if err != nil {
			if errors.Is(err, errStopRequested) {
				return nil, nil
			}
			if retriable(err) {
				continue
			}
			return nil, err
		}
		if done {
			break
		}
	}
	r.setResourceVersionUnavailable(false, nil)
	if err := r.store.Replace(r.tempStore.List(), resourceVersion); err != nil {
		err = fmt.Errorf("unable to sync watch-list result: %w", err)
		r.endWatch(w, trace.WatchError, err)
		return nil, err
	}
	r.setLastSyncResourceVersion(resourceVersion)
	return w, nil
}

// newTemporaryStore starts an empty temporary store for a streaming list
// attempt, keyed like an informer's indexer, and reports it: it replaces
// the previous attempt's.
func (r *Reflector) newTemporaryStore(opts []StoreOption) *cache {
	probe := r.probe.Child("temporary-store")
	store := newCache(DeletionHandlingMetaNamespaceKeyFunc, Indexers{}, append(opts, WithProbe(probe)))
	name := probe.Component()
	r.update(func() { r.tempStore, r.tempStoreName = store, name },
		trace.Event{Kind: trace.TemporaryStoreCreated, Key: name})
	return store
}

// dropTemporaryStore discards the temporary store, if any.
func (r *Reflector) dropTemporaryStore() {
	if r.tempStore == nil {
		return
	}
	r.update(func() { r.tempStore, r.tempStoreName = nil, "" }, trace.Event{Kind: trace.TemporaryStoreDropped})
}

// initialEventsEndTicker reports, every initialEventsEndWarningInterval, a
// streaming list that waits for the bookmark ending its initial events and
// has had no event for that long. A nil ticker, for watches that are not
// streaming lists, never ticks.
type initialEventsEndTicker struct {
	r         *Reflector
	ticker    sim.Ticker
	start     time.Time
	lastEvent time.Time
}

func (r *Reflector) newInitialEventsEndTicker(start time.Time, enabled bool) *initialEventsEndTicker {
	if !enabled {
		return nil
	}
	return &initialEventsEndTicker{r: r, ticker: r.rt.NewTicker(initialEventsEndWarningInterval), start: start}
}

// c is the channel the ticks come on.
func (t *initialEventsEndTicker) c() sim.Chan[time.Time] {
	if t == nil {
		return sim.Chan[time.Time]{}
	}
	return t.ticker.C()
}

func (t *initialEventsEndTicker) stop() {
	if t != nil {
		t.ticker.Stop()
	}
}

// observe records the time of an event.
func (t *initialEventsEndTicker) observe(now time.Time) {
	if t != nil {
		t.lastEvent = now
	}
}

// warnIfExpired reports the wait, on a tick, when no event came for a whole
// interval.
func (t *initialEventsEndTicker) warnIfExpired() {
	if t == nil {
		return
	}
	var warning string
	now := t.r.rt.Now()
	switch {
	case t.lastEvent.IsZero():
		warning = fmt.Sprintf("%s: awaiting required bookmark event for initial events stream, no events received for %v", t.r.name, now.Sub(t.start))
	case now.Sub(t.lastEvent) >= initialEventsEndWarningInterval:
		warning = fmt.Sprintf("%s: hasn't received required bookmark event marking the end of initial events stream, received last event %v ago", t.r.name, now.Sub(t.lastEvent))
	default:
		return
	}
	t.r.probe.Emit(trace.Event{Kind: trace.InitialEventsEndAwaited, Reason: warning})
}
