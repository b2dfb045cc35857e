package mock

import (
	"net/url"
	"strconv"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// TraceComponent names the server in a trace (trace.Event.Comp).
const TraceComponent = "apiserver"

// The server reports each change of its state as one trace event (see
// trace/kind_server.go). A change is made under s.mu, and its event is
// queued there, in the order of the changes; once the lock is released the
// queue is flushed, before anything that may switch goroutines. The
// recorder is never called with s.mu held, so a recorder's OnEvent
// callback may call the server; and since one flush at a time drains the
// queue, events reach the recorder in the order of the changes even when
// native goroutines write at once.

// tracedEvent is a queued event and the objects it refers to, which are
// interned when it is flushed, outside the lock.
type tracedEvent struct {
	e        trace.Event
	obj, old *unstructured.Unstructured
}

// traceLocked queues e, with obj and old as its Obj and Old.
func (s *Server) traceLocked(e trace.Event, obj, old *unstructured.Unstructured) {
	if s.probe == nil {
		return
	}
	s.traceQ = append(s.traceQ, tracedEvent{e: e, obj: obj, old: old})
}

// flushTrace hands the queued events to the recorder, in order. Call it
// without s.mu. A call made while another flush runs (from an OnEvent
// callback, or another native goroutine) leaves its events to that flush,
// which drains the queue until it is empty.
func (s *Server) flushTrace() {
	if s.probe == nil {
		return
	}
	s.mu.Lock()
	if s.flushing {
		s.mu.Unlock()
		return
	}
	s.flushing = true
	for len(s.traceQ) > 0 {
		q := s.traceQ
		s.traceQ = s.traceSpare[:0]
		s.mu.Unlock()
		for i := range q {
			t := &q[i]
			if t.obj != nil {
				t.e.Obj = s.probe.Ref(t.obj)
			}
			if t.old != nil {
				t.e.Old = s.probe.Ref(t.old)
			}
			s.probe.Emit(t.e)
			*t = tracedEvent{} // let the objects go
		}
		s.mu.Lock()
		s.traceSpare = q[:0]
	}
	s.flushing = false
	s.mu.Unlock()
}

// TraceState returns the server as its trace shows it: what folding the
// events it recorded must give (trace.ServerState), for tests of the
// trace. It is nil when the server records nothing. Under the
// deterministic runtime, call it between steps or from the recorder's
// OnEvent callback: each change is then recorded before the next is made,
// so the fold and the server agree at every event.
func (s *Server) TraceState() *trace.ServerState {
	if s.probe == nil {
		return nil
	}
	type stored struct {
		res *trace.ServerResource
		key string
		obj *unstructured.Unstructured
	}
	var objs []stored
	st := trace.NewServerState()
	s.mu.Lock()
	st.RV = rvString(s.rv)
	st.Restarting, st.ExpireNext = s.restarting, s.expireNext
	if s.restarting {
		st.DownUntil = virtual(s.downUntil)
	}
	if s.delay > 0 {
		st.Delay = s.delay.String()
	}
	for gvr, ks := range s.kinds {
		r := st.Resource(resourceName(gvr))
		r.OldestRV = rvString(ks.since)
		for key, o := range ks.objects {
			objs = append(objs, stored{r, key, o})
		}
	}
	for _, w := range s.open {
		st.Watches = append(st.Watches, w.traceStateLocked())
	}
	s.mu.Unlock()
	for _, o := range objs {
		o.res.Objects[o.key] = s.probe.Ref(o.obj)
	}
	return st
}

// traceStateLocked is the watch as its trace shows it.
func (w *Watch) traceStateLocked() trace.ServerWatch {
	return trace.ServerWatch{
		Name: w.name, Resource: w.resource, Request: w.request, StartRV: w.startRV(),
		Deadline: virtualOrZero(w.deadline), Pending: len(w.queue),
		Sent: w.sent, LastSentRV: w.lastSentRV, Ending: w.ending,
	}
}

// startRV is where the watch's live events start, as its trace says it:
// "" for a watch that only carries an ERROR.
func (w *Watch) startRV() string {
	if w.store == nil {
		return ""
	}
	return rvString(w.fromRV)
}

// sentEvent describes the delivery of ev, the head of w's queue; obj is
// the server's object it carries, if any.
func (w *Watch) sentEvent(ev watch.Event) (e trace.Event, obj *unstructured.Unstructured) {
	e = trace.Event{Kind: trace.ServerWatchEventSent, Key: w.name, Type: string(ev.Type)}
	switch o := ev.Object.(type) {
	case *metav1.Status:
		e.Reason = o.Message
	case *unstructured.Unstructured:
		e.RV = o.GetResourceVersion()
		if ev.Type == watch.Bookmark {
			e.Initial = o.GetAnnotations()[metav1.InitialEventsAnnotationKey] == "true"
		} else {
			obj = o
		}
	}
	return e, obj
}

// requestString is a request's path and query as the wire carries it, for
// a trace: only the options given, in the query's sorted order.
func requestString(gvr schema.GroupVersionResource, ns string, opts metav1.ListOptions, isWatch bool) string {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	if isWatch {
		q.Set("watch", "true")
	}
	set("resourceVersion", opts.ResourceVersion)
	set("resourceVersionMatch", string(opts.ResourceVersionMatch))
	set("labelSelector", opts.LabelSelector)
	set("fieldSelector", opts.FieldSelector)
	set("continue", opts.Continue)
	if opts.AllowWatchBookmarks {
		q.Set("allowWatchBookmarks", "true")
	}
	if opts.TimeoutSeconds != nil {
		q.Set("timeoutSeconds", strconv.FormatInt(*opts.TimeoutSeconds, 10))
	}
	if opts.SendInitialEvents != nil {
		q.Set("sendInitialEvents", strconv.FormatBool(*opts.SendInitialEvents))
	}
	if opts.Limit > 0 {
		q.Set("limit", strconv.FormatInt(opts.Limit, 10))
	}
	p := requestPath(gvr, ns, "")
	if len(q) == 0 {
		return p
	}
	return p + "?" + q.Encode()
}

// traceRequest records a LIST served, or a WATCH refused: events that
// change nothing, recorded once the request is answered.
func (s *Server) traceRequest(e trace.Event, gvr schema.GroupVersionResource, ns string, opts metav1.ListOptions, err error) {
	if s.probe == nil {
		return
	}
	e.Index = resourceName(gvr)
	e.Value = requestString(gvr, ns, opts, e.Kind == trace.ServerWatchRefused)
	if err != nil {
		e.Reason = err.Error()
	}
	s.mu.Lock()
	s.traceLocked(e, nil, nil)
	s.mu.Unlock()
	s.flushTrace()
}

// resourceName names a resource as the server's errors do: "configmaps",
// "widgets.example.com".
func resourceName(gvr schema.GroupVersionResource) string { return gvr.GroupResource().String() }

func rvString(rv int64) string { return strconv.FormatInt(rv, 10) }

// virtual is t as a trace writes times: ns since sim.Epoch.
func virtual(t time.Time) int64 { return t.Sub(sim.Epoch).Nanoseconds() }

func virtualOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return virtual(t)
}
