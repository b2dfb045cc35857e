package recording

import (
	"context"
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/informerscope/informerscope/informer"
	"github.com/informerscope/informerscope/informer/sim"
)

// Recorder is a ListerWatcher that passes every call on to another and
// records it. Its watches are SimWatches, served by a goroutine of the
// runtime that notes each event as it passes (so an informer on any
// runtime can consume them); the inner watch may be a SimWatch of the same
// runtime or, on the native runtime, a plain one (the remote
// ListerWatcher's).
//
// Its lock guards the recording only and is never held across a runtime
// call.
type Recorder struct {
	rt    sim.Runtime
	inner informer.ListerWatcherWithContext
	start time.Time

	mu  sync.Mutex
	rec Recording
}

// NewRecorder records the calls made to lw, timed by rt's clock from now.
// source describes lw for the file's reader.
func NewRecorder(rt sim.Runtime, lw informer.ListerWatcher, source string) *Recorder {
	rt = sim.Or(rt)
	r := &Recorder{rt: rt, inner: informer.ToListerWatcherWithContext(lw), start: rt.Now()}
	r.rec.Source = source
	if u, ok := lw.(interface{ IsWatchListSemanticsUnSupported() bool }); ok {
		r.rec.WatchListUnsupported = u.IsWatchListSemanticsUnSupported()
	}
	return r
}

// IsWatchListSemanticsUnSupported answers what the recorded source does.
func (r *Recorder) IsWatchListSemanticsUnSupported() bool { return r.rec.WatchListUnsupported }

// Recording returns a copy of what has been recorded so far; a watch still
// open has no End yet.
func (r *Recorder) Recording() *Recording {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.rec
	c.Calls = make([]Call, len(r.rec.Calls))
	for i, call := range r.rec.Calls {
		call.Events = append([]Event(nil), call.Events...)
		if call.End != nil {
			end := *call.End
			call.End = &end
		}
		c.Calls[i] = call
	}
	return &c
}

// begin notes a call and returns its index.
func (r *Recorder) begin(verb string, opts metav1.ListOptions) int {
	at := r.rt.Since(r.start)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rec.Calls = append(r.rec.Calls, Call{Verb: verb, At: at, Options: opts})
	return len(r.rec.Calls) - 1
}

func (r *Recorder) update(i int, fn func(c *Call)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fn(&r.rec.Calls[i])
}

// List lists without a context.
//
// Deprecated: use ListWithContext.
func (r *Recorder) List(opts metav1.ListOptions) (runtime.Object, error) {
	return r.ListWithContext(context.Background(), opts)
}

// ListWithContext lists through the inner ListerWatcher and records the
// page or the error.
func (r *Recorder) ListWithContext(ctx context.Context, opts metav1.ListOptions) (runtime.Object, error) {
	i := r.begin(VerbList, opts)
	obj, err := r.inner.ListWithContext(ctx, opts)
	var raw []byte
	if err == nil {
		raw, err = encodeObject(obj)
	}
	r.update(i, func(c *Call) {
		if err != nil {
			c.Error = recordError(err)
		} else {
			c.List = raw
		}
	})
	return obj, err
}

// Watch watches without a context.
//
// Deprecated: use WatchWithContext.
func (r *Recorder) Watch(opts metav1.ListOptions) (watch.Interface, error) {
	return r.WatchWithContext(context.Background(), opts)
}

// WatchWithContext opens a watch through the inner ListerWatcher and
// returns one that records what passes through it.
func (r *Recorder) WatchWithContext(ctx context.Context, opts metav1.ListOptions) (watch.Interface, error) {
	i := r.begin(VerbWatch, opts)
	w, err := r.inner.WatchWithContext(ctx, opts)
	if err != nil {
		r.update(i, func(c *Call) { c.Error = recordError(err) })
		return nil, err
	}
	rw := &recordedWatch{r: r, call: i, inner: w, opened: r.rt.Now(),
		out:       sim.NewChan[watch.Event](r.rt, "recorded watch result", 0),
		stop:      sim.NewChan[struct{}](r.rt, "recorded watch stop", 0),
		plainStop: make(chan struct{}),
	}
	r.rt.Go("recorder watch", rw.run)
	return rw, nil
}

// recordedWatch forwards and records one watch's events.
type recordedWatch struct {
	r      *Recorder
	call   int
	inner  watch.Interface
	opened time.Time

	out       sim.Chan[watch.Event]
	stop      sim.Chan[struct{}] // closed by Stop
	plainStop chan struct{}      // closed by Stop, for a plain inner watch
	stopOnce  sync.Once
	plain     plainBridge
}

var _ informer.SimWatch = &recordedWatch{}

func (w *recordedWatch) SimResultChan() sim.Chan[watch.Event] { return w.out }

// ResultChan offers the events on a plain channel, for consumers that are
// not goroutines of a runtime; only under the native runtime.
func (w *recordedWatch) ResultChan() <-chan watch.Event {
	return w.plain.start(w.r.rt, w.out, w.plainStop)
}

// Stop ends the watch and records that the consumer ended it.
func (w *recordedWatch) Stop() {
	w.stopOnce.Do(func() {
		w.end(EndedByClient)
		close(w.plainStop)
		w.stop.Close()
		w.inner.Stop()
	})
}

// end records how the watch ended, unless it already has.
func (w *recordedWatch) end(by string) {
	at := w.r.rt.Since(w.opened)
	w.r.update(w.call, func(c *Call) {
		if c.End == nil {
			c.End = &End{At: at, By: by}
		}
	})
}

// run forwards the inner watch's events until it ends or Stop is called.
func (w *recordedWatch) run() {
	defer w.out.Close()
	for {
		ev, ok, stopped := w.next()
		if stopped {
			return
		}
		if !ok {
			w.end(EndedByServer)
			return
		}
		w.record(ev)
		if chosen, _, _ := w.r.rt.Select(true, w.out.SendCase(ev), w.stop.RecvCase()); chosen == 1 {
			return
		}
	}
}

// next waits for the inner watch's next event, or for Stop.
func (w *recordedWatch) next() (ev watch.Event, ok, stopped bool) {
	if sw, isSim := w.inner.(informer.SimWatch); isSim {
		chosen, v, ok := w.r.rt.Select(true, sw.SimResultChan().RecvCase(), w.stop.RecvCase())
		if chosen == 1 {
			return ev, false, true
		}
		return sim.As[watch.Event](v), ok, false
	}
	// A plain channel: only the native runtime's goroutines may wait on
	// one, and there a plain select is a runtime operation like any other.
	select {
	case ev, ok = <-w.inner.ResultChan():
		return ev, ok, false
	case <-w.plainStop:
		return ev, false, true
	}
}

func (w *recordedWatch) record(ev watch.Event) {
	at := w.r.rt.Since(w.opened)
	raw, err := encodeObject(ev.Object)
	if err != nil {
		raw = nil
	}
	w.r.update(w.call, func(c *Call) {
		c.Events = append(c.Events, Event{At: at, Type: ev.Type, Object: raw})
	})
}
