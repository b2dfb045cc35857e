package mock

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// defaultMinRequestTimeout is kube-apiserver's --min-request-timeout: a
// watch without timeoutSeconds ends after a random time in [1x, 2x) of it.
const defaultMinRequestTimeout = 1800 * time.Second

// preTimeoutBookmark is how long before its deadline a watch gets its last
// bookmark (cache_watcher.go's nextBookmarkTime).
const preTimeoutBookmark = 2 * time.Second

// Watch is one open watch. One goroutine of the runtime serves it,
// delivering its queue on SimResultChan; ResultChan offers the same events
// on a plain channel to native consumers.
//
// The queue and the end flags are guarded by the server's lock: writers
// append to the queue under it and then ring the watch's doorbell (wakeCh,
// a one-slot channel), so that no writer ever blocks on a slow watcher —
// the real cacher's buffered watcher input, without its size limit.
type Watch struct {
	s     *Server
	store *kindStore // nil for a watch that only carries an error
	name  string
	ns    string
	sel   selector
	// fromRV: events at or below it are not offered (a watch from a
	// resourceVersion ahead of the server sees only later ones).
	fromRV    int64
	bookmarks bool
	deadline  time.Time // zero: none

	result sim.Chan[watch.Event]
	stopCh sim.Chan[struct{}]
	wakeCh sim.Chan[struct{}]

	stopped   atomic.Bool
	plainStop chan struct{} // closed by Stop, for the ResultChan bridge
	plainOnce sync.Once
	plain     chan watch.Event

	// Guarded by s.mu.
	queue        []queued
	nextBookmark time.Time // zero: none
	draining     bool      // end once the queue is delivered
	aborted      bool      // end now
	ending       string    // why it is draining or aborted (trace.WatchEnd...)
	finished     bool      // its goroutine is done

	// For the trace only (see trace.go), set when the server is traced;
	// guarded by s.mu.
	resource, request string
	sent              int
	lastSentRV        string
}

// queued is an event and when it may be delivered (DelayEvents).
type queued struct {
	ev watch.Event
	at time.Time
}

// SimResultChan delivers the watch's events to goroutines of the server's
// runtime; it is closed when the watch ends.
func (w *Watch) SimResultChan() sim.Chan[watch.Event] { return w.result }

// ResultChan delivers the same events on a plain channel, for consumers
// that are not goroutines of a runtime (client-go's own code). It works
// only under sim.Native(): a deterministic runtime's goroutines cannot wait
// on plain channels. A watch's events go to one reader: use either
// ResultChan or SimResultChan, not both.
func (w *Watch) ResultChan() <-chan watch.Event {
	if w.s.rt != sim.Native() {
		panic("mock: ResultChan is a plain channel, which only the native runtime can feed; read SimResultChan")
	}
	w.plainOnce.Do(func() {
		w.plain = make(chan watch.Event)
		go w.bridge()
	})
	return w.plain
}

// bridge copies the runtime channel onto the plain one until the watch
// ends or is stopped.
func (w *Watch) bridge() {
	defer close(w.plain)
	for {
		ev, ok := w.result.Recv()
		if !ok {
			return
		}
		select {
		case w.plain <- ev:
		case <-w.plainStop:
			return
		}
	}
}

// Stop ends the watch; it may be called more than once, from any
// goroutine.
func (w *Watch) Stop() {
	if w.stopped.CompareAndSwap(false, true) {
		close(w.plainStop)
		w.stopCh.Close()
	}
}

func (w *Watch) wakeChans() []sim.Chan[struct{}] { return []sim.Chan[struct{}]{w.wakeCh} }

// watch opens a watch; see the package doc for what it sends first.
func (s *Server) watch(ctx context.Context, gvr schema.GroupVersionResource, ns string, opts metav1.ListOptions) (*Watch, error) {
	w, err := s.openWatch(ctx, gvr, ns, opts)
	if err != nil {
		s.traceRequest(trace.Event{Kind: trace.ServerWatchRefused}, gvr, ns, opts, err)
	}
	return w, err
}

func (s *Server) openWatch(_ context.Context, gvr schema.GroupVersionResource, ns string, opts metav1.ListOptions) (*Watch, error) {
	if err := s.refused("GET", gvr, ns, ""); err != nil {
		return nil, err
	}
	sel, err := checkOptions(opts, true)
	if err != nil {
		return nil, err
	}
	var from int64
	if rv := opts.ResourceVersion; rv != "" && rv != "0" {
		if from, err = parseRV(rv); err != nil {
			return nil, err
		}
	}
	initial := opts.SendInitialEvents != nil && *opts.SendInitialEvents
	legacyInitial := opts.SendInitialEvents == nil && from == 0
	if initial && from > 0 {
		// A streaming list NotOlderThan from waits for the server.
		if err := s.waitForRV(from); err != nil {
			return nil, err
		}
	}

	s.mu.Lock()
	st, err := s.storeLocked(gvr)
	if err != nil {
		s.mu.Unlock()
		return nil, err
	}
	now := s.rt.Now()
	s.watchSeq++
	w := &Watch{
		s: s, store: st, ns: ns, sel: sel, bookmarks: opts.AllowWatchBookmarks,
		name:      fmt.Sprintf("apiserver watch %d (%s)", s.watchSeq, gvr.Resource),
		plainStop: make(chan struct{}),
	}
	w.result = sim.NewChan[watch.Event](s.rt, w.name+" result", 0)
	w.stopCh = sim.NewChan[struct{}](s.rt, w.name+" stop", 0)
	w.wakeCh = sim.NewChan[struct{}](s.rt, w.name+" wake", 1)

	switch {
	case s.expireNext:
		s.expireNext = false
		w.store = nil
		w.failLocked(now, fmt.Sprintf("too old resource version: %d (%d)", from, s.rv), trace.WatchEndExpireFault)
	case !initial && !legacyInitial && from > 0 && from < st.since:
		w.store = nil
		w.failLocked(now, fmt.Sprintf("too old resource version: %d (%d)", from, st.since), trace.WatchEndExpired)
	default:
		w.startLocked(opts, from, initial || legacyInitial, now)
		st.watches = append(st.watches, w)
	}
	s.open = append(s.open, w)
	if s.probe != nil {
		w.resource, w.request = resourceName(gvr), requestString(gvr, ns, opts, true)
		s.traceLocked(trace.Event{Kind: trace.ServerWatchOpened, Key: w.name, Index: w.resource, Value: w.request,
			RV: w.startRV(), Until: virtualOrZero(w.deadline), Count: len(w.queue), Reason: w.ending}, nil, nil)
	}
	s.mu.Unlock()
	s.flushTrace()
	s.rt.Go(w.name, w.serve)
	return w, nil
}

// failLocked makes w a watch that sends the watch cache's 410 ERROR event
// and ends, for why (trace.WatchEndExpired or trace.WatchEndExpireFault).
func (w *Watch) failLocked(now time.Time, msg, why string) {
	status := apierrors.NewResourceExpired(msg).Status()
	w.queue = []queued{{ev: watch.Event{Type: watch.Error, Object: &status}, at: now}}
	w.draining, w.ending = true, why
}

// startLocked queues what a new watch sends before live events, sets its
// deadline and first bookmark, and where live events start.
func (w *Watch) startLocked(opts metav1.ListOptions, from int64, initial bool, now time.Time) {
	s, st := w.s, w.store
	at := now.Add(s.delay)
	switch {
	case initial:
		// The current objects as ADDED, in key order, then, if the client
		// takes bookmarks, the bookmark that says they are all there.
		for _, key := range sortedKeys(st.objects) {
			o := st.objects[key]
			if w.inScope(key) && w.sel.matches(o) {
				w.queue = append(w.queue, queued{ev: watch.Event{Type: watch.Added, Object: o}, at: at})
			}
		}
		if w.bookmarks {
			w.queue = append(w.queue, queued{ev: w.bookmark(s.rv, true), at: at})
		}
		w.fromRV = s.rv
	case from == 0:
		// sendInitialEvents=false: from now.
		w.fromRV = s.rv
	default:
		events, _ := st.eventsAfter(from)
		w.fromRV = from
		for _, e := range events {
			w.offerLocked(e, now, s.delay)
		}
		// Later events are all above s.rv; a watch from ahead of the
		// server skips those up to from.
		w.fromRV = max(from, s.rv)
	}
	timeout := defaultMinRequestTimeout + time.Duration(s.rt.Float64()*float64(defaultMinRequestTimeout))
	if opts.TimeoutSeconds != nil && *opts.TimeoutSeconds > 0 {
		timeout = time.Duration(*opts.TimeoutSeconds) * time.Second
	}
	w.deadline = now.Add(timeout)
	if w.bookmarks {
		w.nextBookmark = w.bookmarkAfter(now)
	}
}

// bookmarkAfter is when the next periodic bookmark is due after one at t:
// a bookmark interval later, but no later than 2 s before the deadline;
// zero when that is not after t.
func (w *Watch) bookmarkAfter(t time.Time) time.Time {
	next := t.Add(w.s.bookmarkInterval)
	if !w.deadline.IsZero() {
		if pre := w.deadline.Add(-preTimeoutBookmark); pre.Before(next) {
			next = pre
		}
	}
	if !next.After(t) {
		return time.Time{}
	}
	return next
}

// bookmark is a BOOKMARK event at rv: an object of the watched kind with
// only its resourceVersion (and, for the end of initial events, the
// annotation).
func (w *Watch) bookmark(rv int64, initialEnd bool) watch.Event {
	o := &unstructured.Unstructured{Object: map[string]any{}}
	o.SetAPIVersion(w.store.kind.apiVersion())
	o.SetKind(w.store.kind.Kind)
	o.SetResourceVersion(strconv.FormatInt(rv, 10))
	if initialEnd {
		o.SetAnnotations(map[string]string{metav1.InitialEventsAnnotationKey: "true"})
	}
	return watch.Event{Type: watch.Bookmark, Object: o}
}

func (w *Watch) inScope(key string) bool {
	return !w.store.kind.Namespaced || w.ns == "" || strings.HasPrefix(key, w.ns+"/")
}

// offerLocked queues e if the watcher wants it, as the cacher's
// convertToWatchEvent decides: an object that enters the selection is
// ADDED, one that leaves it is DELETED (the old object at the new
// resourceVersion). It reports whether anything was queued.
func (w *Watch) offerLocked(e event, now time.Time, delay time.Duration) bool {
	if e.rv <= w.fromRV || !w.inScope(e.key) || w.draining || w.aborted {
		return false
	}
	cur := e.typ != watch.Deleted && w.sel.matches(e.obj)
	old := e.prev != nil && w.sel.matches(e.prev)
	var ev watch.Event
	switch {
	case cur && old:
		ev = watch.Event{Type: e.typ, Object: e.obj}
	case cur:
		ev = watch.Event{Type: watch.Added, Object: e.obj}
	case old && e.typ == watch.Deleted:
		ev = watch.Event{Type: watch.Deleted, Object: e.obj}
	case old:
		gone := e.prev.DeepCopy()
		gone.SetResourceVersion(strconv.FormatInt(e.rv, 10))
		ev = watch.Event{Type: watch.Deleted, Object: gone}
	default:
		return false
	}
	w.queue = append(w.queue, queued{ev: ev, at: now.Add(delay)})
	return true
}

// drainLocked ends w cleanly: what is queued is delivered, then a bookmark
// at rv if w takes them, then the end.
func (w *Watch) drainLocked(now time.Time, rv int64, delay time.Duration) {
	if w.draining || w.aborted {
		return
	}
	if w.bookmarks && w.store != nil {
		w.queue = append(w.queue, queued{ev: w.bookmark(rv, false), at: now.Add(delay)})
	}
	w.draining, w.ending = true, trace.WatchEndClosed
	w.traceEndingLocked()
}

// abortLocked ends w at its goroutine's next step, for why
// (trace.WatchEndDropped or trace.WatchEndRestart).
func (w *Watch) abortLocked(why string) {
	if w.aborted {
		return
	}
	w.aborted, w.ending = true, why
	w.traceEndingLocked()
}

func (w *Watch) traceEndingLocked() {
	w.s.traceLocked(trace.Event{Kind: trace.ServerWatchEnding, Key: w.name, Reason: w.ending, Count: len(w.queue)}, nil, nil)
}

// step is what the serving goroutine does next.
type step struct {
	done bool
	end  string        // why it is done (trace.WatchEnd...)
	ev   *watch.Event  // the event to send, if one is due
	wait time.Duration // until something is due; 0: nothing is
}

// next decides the next step, queueing a bookmark if one is due.
func (w *Watch) next() step {
	s := w.s
	s.mu.Lock()
	st := w.nextLocked()
	s.mu.Unlock()
	s.flushTrace()
	return st
}

func (w *Watch) nextLocked() step {
	s := w.s
	now := s.rt.Now()
	if w.aborted {
		return step{done: true, end: w.ending}
	}
	if !w.deadline.IsZero() && !now.Before(w.deadline) {
		return step{done: true, end: trace.WatchEndTimeout}
	}
	if !w.nextBookmark.IsZero() && !now.Before(w.nextBookmark) && !w.draining {
		w.queue = append(w.queue, queued{ev: w.bookmark(s.rv, false), at: now.Add(s.delay)})
		w.nextBookmark = w.bookmarkAfter(now)
		s.traceLocked(trace.Event{Kind: trace.ServerBookmarkQueued, Key: w.name, RV: rvString(s.rv)}, nil, nil)
	}
	var st step
	var due []time.Time
	if len(w.queue) > 0 {
		if head := w.queue[0]; !head.at.After(now) {
			st.ev = &head.ev
		} else {
			due = append(due, head.at)
		}
	} else if w.draining {
		return step{done: true, end: w.ending}
	}
	if !w.deadline.IsZero() {
		due = append(due, w.deadline)
	}
	if !w.nextBookmark.IsZero() && !w.draining {
		due = append(due, w.nextBookmark)
	}
	for _, t := range due {
		if d := t.Sub(now); st.wait == 0 || d < st.wait {
			st.wait = d
		}
	}
	return st
}

// pop drops the event just delivered.
func (w *Watch) pop() {
	s := w.s
	s.mu.Lock()
	head := w.queue[0]
	w.queue = w.queue[1:]
	if s.probe != nil {
		e, obj := w.sentEvent(head.ev)
		w.sent++
		if e.RV != "" {
			w.lastSentRV = e.RV
		}
		s.traceLocked(e, obj, nil)
	}
	s.mu.Unlock()
	s.flushTrace()
}

// serve is the watch's goroutine: it delivers due events one at a time,
// and otherwise waits for the doorbell, a due time, or Stop.
func (w *Watch) serve() {
	end := trace.WatchEndStopped
	defer func() { w.finish(end) }()
	for {
		st := w.next()
		if st.done {
			end = st.end
			return
		}
		cases := []sim.Case{w.stopCh.RecvCase(), w.wakeCh.RecvCase()}
		if st.ev != nil {
			ev := *st.ev
			ev.Object = ev.Object.DeepCopyObject() // each consumer owns what it gets
			cases = append(cases, w.result.SendCase(ev))
		}
		var timer sim.Timer
		if st.wait > 0 {
			timer = w.s.rt.NewTimer(st.wait)
			cases = append(cases, timer.C().RecvCase())
		}
		chosen, _, _ := w.s.rt.Select(true, cases...)
		if timer != nil {
			timer.Stop()
		}
		switch {
		case chosen == 0:
			return
		case chosen == 2 && st.ev != nil:
			w.pop()
		}
	}
}

// finish unregisters the watch, which ended for why, and closes its
// result channel.
func (w *Watch) finish(why string) {
	s := w.s
	s.mu.Lock()
	if w.store != nil {
		w.store.watches = without(w.store.watches, w)
	}
	s.open = without(s.open, w)
	s.traceLocked(trace.Event{Kind: trace.ServerWatchClosed, Key: w.name, Reason: why, Count: len(w.queue)}, nil, nil)
	w.queue = nil
	w.finished = true
	s.mu.Unlock()
	s.flushTrace()
	w.result.Close()
}

// without returns ws without w, in a new array: the old one may be held by
// a caller iterating it.
func without(ws []*Watch, w *Watch) []*Watch {
	for i, o := range ws {
		if o == w {
			return append(ws[:i:i], ws[i+1:]...)
		}
	}
	return ws
}

var _ watch.Interface = (*Watch)(nil)
