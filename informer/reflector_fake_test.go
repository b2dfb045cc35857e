package informer

// A scripted, sim-aware ListerWatcher for the Reflector's tests, and a rig
// that runs a Reflector on the deterministic runtime against it, checking
// the fold of the trace against the Reflector at every event.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// lwCall is one List or Watch call the fake served, at a virtual time.
type lwCall struct {
	at   time.Duration // since sim.Epoch
	verb string        // "LIST" or "WATCH"
	opts metav1.ListOptions
}

// String prints a call as the spec writes it: LIST rv="0" limit=500,
// WATCH rv="5", WATCH rv="" sendInitialEvents=true rvMatch=NotOlderThan.
func (c lwCall) String() string {
	if c.verb == "LIST" {
		s := fmt.Sprintf("LIST rv=%q limit=%d", c.opts.ResourceVersion, c.opts.Limit)
		if c.opts.Continue != "" {
			s += fmt.Sprintf(" continue=%q", c.opts.Continue)
		}
		return s
	}
	s := fmt.Sprintf("WATCH rv=%q", c.opts.ResourceVersion)
	if c.opts.SendInitialEvents != nil {
		s += fmt.Sprintf(" sendInitialEvents=%v", *c.opts.SendInitialEvents)
	}
	if c.opts.ResourceVersionMatch != "" {
		s += fmt.Sprintf(" rvMatch=%s", c.opts.ResourceVersionMatch)
	}
	return s
}

// watchStep is one event of a scripted watch, sent after a pause.
type watchStep struct {
	after time.Duration
	event watch.Event
}

// watchScript is what one Watch call does: fail with err, or return a
// watch that plays steps and then closes (close, after closeAfter more) or
// stays open until stopped.
type watchScript struct {
	err        error
	steps      []watchStep
	close      bool
	closeAfter time.Duration
}

// listReply is what one List call returns.
type listReply struct {
	list runtime.Object
	err  error
}

// scriptedLW serves scripted lists and watches and records every call.
// Lists and watches are taken from their queues in call order; listFn and
// watchFn, when set, answer instead. Once the queues run out, a List fails
// and a Watch stays open and silent until stopped.
type scriptedLW struct {
	rt      sim.Runtime
	mu      sync.Mutex
	calls   []lwCall
	lists   []listReply
	watches []watchScript
	listFn  func(opts metav1.ListOptions) (runtime.Object, error)
	watchFn func(opts metav1.ListOptions) watchScript
	opened  []*scriptedWatch
}

var _ ListerWatcherWithContext = &scriptedLW{}

func newScriptedLW(rt sim.Runtime) *scriptedLW { return &scriptedLW{rt: rt} }

func (lw *scriptedLW) record(verb string, opts metav1.ListOptions) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	lw.calls = append(lw.calls, lwCall{at: lw.rt.Since(sim.Epoch), verb: verb, opts: opts})
}

func (lw *scriptedLW) List(opts metav1.ListOptions) (runtime.Object, error) {
	return lw.ListWithContext(context.Background(), opts)
}

func (lw *scriptedLW) ListWithContext(_ context.Context, opts metav1.ListOptions) (runtime.Object, error) {
	lw.record("LIST", opts)
	if lw.listFn != nil {
		return lw.listFn(opts)
	}
	lw.mu.Lock()
	defer lw.mu.Unlock()
	if len(lw.lists) == 0 {
		return nil, apierrors.NewInternalError(fmt.Errorf("no more scripted lists"))
	}
	reply := lw.lists[0]
	lw.lists = lw.lists[1:]
	return reply.list, reply.err
}

func (lw *scriptedLW) Watch(opts metav1.ListOptions) (watch.Interface, error) {
	return lw.WatchWithContext(context.Background(), opts)
}

func (lw *scriptedLW) WatchWithContext(_ context.Context, opts metav1.ListOptions) (watch.Interface, error) {
	lw.record("WATCH", opts)
	var script watchScript
	lw.mu.Lock()
	switch {
	case lw.watchFn != nil:
		script = lw.watchFn(opts)
	case len(lw.watches) > 0:
		script = lw.watches[0]
		lw.watches = lw.watches[1:]
	}
	lw.mu.Unlock()
	if script.err != nil {
		return nil, script.err
	}
	n := len(lw.opened) + 1
	w := &scriptedWatch{
		rt:     lw.rt,
		result: sim.NewChan[watch.Event](lw.rt, fmt.Sprintf("server.watch%d.result", n), 0),
		stop:   sim.NewChan[struct{}](lw.rt, fmt.Sprintf("server.watch%d.stop", n), 0),
		script: script,
	}
	lw.mu.Lock()
	lw.opened = append(lw.opened, w)
	lw.mu.Unlock()
	lw.rt.Go(fmt.Sprintf("server watch %d", n), w.serve)
	return w, nil
}

// log returns the calls as strings, without times.
func (lw *scriptedLW) log() []string {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	out := make([]string, len(lw.calls))
	for i, c := range lw.calls {
		out[i] = c.String()
	}
	return out
}

func (lw *scriptedLW) callsCopy() []lwCall {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	return append([]lwCall(nil), lw.calls...)
}

// watchListUnsupported is a scriptedLW that says it cannot serve streaming
// lists, as client-go's fake clientsets do.
type watchListUnsupported struct{ *scriptedLW }

func (watchListUnsupported) IsWatchListSemanticsUnSupported() bool { return true }

// scriptedWatch plays a watchScript from a server goroutine of its own.
type scriptedWatch struct {
	rt      sim.Runtime
	result  sim.Chan[watch.Event]
	stop    sim.Chan[struct{}]
	stopped bool
	script  watchScript
}

var _ SimWatch = &scriptedWatch{}

func (w *scriptedWatch) SimResultChan() sim.Chan[watch.Event] { return w.result }

// ResultChan is never read: the Reflector takes SimResultChan.
func (w *scriptedWatch) ResultChan() <-chan watch.Event { return nil }

// Stop is called by the consumer's goroutine; the server goroutine then
// returns from wherever it waits.
func (w *scriptedWatch) Stop() {
	if !w.stopped {
		w.stopped = true
		w.stop.Close()
	}
}

// pause waits d, or until the watch is stopped; it reports false on stop.
func (w *scriptedWatch) pause(d time.Duration) bool {
	if d <= 0 {
		return true
	}
	timer := w.rt.NewTimer(d)
	if chosen, _, _ := w.rt.Select(true, w.stop.RecvCase(), timer.C().RecvCase()); chosen == 0 {
		timer.Stop()
		return false
	}
	return true
}

func (w *scriptedWatch) serve() {
	for _, s := range w.script.steps {
		if !w.pause(s.after) {
			return
		}
		if chosen, _, _ := w.rt.Select(true, w.stop.RecvCase(), w.result.SendCase(s.event)); chosen == 0 {
			return
		}
	}
	if w.script.close {
		if w.pause(w.script.closeAfter) {
			w.result.Close()
		}
		return
	}
	w.stop.Recv()
}

// Objects and events.

func lwList(rv string, objs ...*metav1.PartialObjectMetadata) *metav1.PartialObjectMetadataList {
	l := &metav1.PartialObjectMetadataList{ListMeta: metav1.ListMeta{ResourceVersion: rv}}
	for _, o := range objs {
		l.Items = append(l.Items, *o)
	}
	return l
}

func lwPage(rv, cont string, objs ...*metav1.PartialObjectMetadata) *metav1.PartialObjectMetadataList {
	l := lwList(rv, objs...)
	l.Continue = cont
	return l
}

func evAdded(o runtime.Object) watch.Event    { return watch.Event{Type: watch.Added, Object: o} }
func evModified(o runtime.Object) watch.Event { return watch.Event{Type: watch.Modified, Object: o} }
func evDeleted(o runtime.Object) watch.Event  { return watch.Event{Type: watch.Deleted, Object: o} }

func evBookmark(rv string) watch.Event {
	return watch.Event{Type: watch.Bookmark, Object: &metav1.PartialObjectMetadata{ObjectMeta: metav1.ObjectMeta{ResourceVersion: rv}}}
}

// evEndBookmark is the bookmark that ends a streaming list's initial events.
func evEndBookmark(rv string) watch.Event {
	return watch.Event{Type: watch.Bookmark, Object: &metav1.PartialObjectMetadata{ObjectMeta: metav1.ObjectMeta{
		ResourceVersion: rv, Annotations: map[string]string{metav1.InitialEventsAnnotationKey: "true"}}}}
}

// evError carries err's Status, as a server sends it.
func evError(err apierrors.APIStatus) watch.Event {
	status := err.Status()
	return watch.Event{Type: watch.Error, Object: &status}
}

// instantly steps plays events without pauses.
func instantly(events ...watch.Event) []watchStep {
	steps := make([]watchStep, len(events))
	for i, e := range events {
		steps[i] = watchStep{event: e}
	}
	return steps
}

func expiredErr() *apierrors.StatusError {
	return apierrors.NewResourceExpired("The resourceVersion for the provided watch is too old.")
}

// reflRig runs a Reflector on a deterministic runtime against a scriptedLW.
type reflRig struct {
	t     *testing.T
	rt    *sim.Deterministic
	rec   *trace.Recorder
	lw    *scriptedLW
	r     *Reflector
	store ReflectorStore
	stop  sim.Chan[struct{}]

	fold     *trace.Snapshot
	mismatch string
	events   int
	// times holds the virtual time of each recorded event.
	times []time.Duration
	// handled records the errors the watch error handler got, with times.
	handled []string
}

// rigOptions configure a reflRig; the zero value is a plain Store, no
// streaming lists, and default reflector options.
type rigOptions struct {
	seed      uint64
	watchList bool
	fifo      bool // a RealFIFO (atomic, bookmarks) instead of a plain Store
	transform TransformFunc
	opts      ReflectorOptions
	// lw wraps the scripted LW, e.g. in watchListUnsupported.
	lw func(*scriptedLW) ListerWatcher
}

func newReflRig(t *testing.T, o rigOptions) *reflRig {
	t.Helper()
	rt := sim.NewDeterministic(sim.DeterministicOptions{Seed: o.seed})
	g := &reflRig{t: t, rt: rt, rec: trace.NewRecorder(), lw: newScriptedLW(rt), fold: trace.NewSnapshot()}
	if o.fifo {
		g.store = NewRealFIFOWithOptions(RealFIFOOptions{AtomicEvents: true, EmitDeltaTypeBookmark: true,
			Transformer: o.transform, Runtime: rt, Probe: g.rec.Probe("queue")})
	} else {
		g.store = NewStore(MetaNamespaceKeyFunc, WithProbe(g.rec.Probe("store")), WithTransformer(o.transform))
	}
	opts := o.opts
	opts.Runtime, opts.Probe, opts.UseWatchListClient = rt, g.rec.Probe("reflector"), &o.watchList
	if opts.Name == "" {
		opts.Name = "reflector"
	}
	var lw ListerWatcher = g.lw
	if o.lw != nil {
		lw = o.lw(g.lw)
	}
	g.r = NewReflectorWithOptions(lw, &metav1.PartialObjectMetadata{}, g.store, opts)
	g.r.setWatchErrorHandler(func(_ context.Context, _ *Reflector, err error) {
		g.handled = append(g.handled, fmt.Sprintf("%v %v", rt.Since(sim.Epoch), err))
	})
	g.stop = sim.NewChan[struct{}](rt, "stop", 0)
	g.rec.OnEvent(func(e trace.Event) {
		g.fold.Apply(e)
		g.events++
		g.times = append(g.times, g.at())
		if d := trace.Diff(g.fold, g.snapshot()); d != "" && g.mismatch == "" {
			g.mismatch = fmt.Sprintf("after event %d %+v: %s", g.events, e, d)
		}
	})
	return g
}

// snapshot is the components' own account of themselves.
func (g *reflRig) snapshot() *trace.Snapshot {
	s := trace.NewSnapshot()
	s.Reflectors["reflector"] = g.r.traceState()
	switch st := g.store.(type) {
	case *RealFIFO:
		s.Queues["queue"] = st.traceState()
	case *cache:
		s.Stores["store"] = st.traceState()
	}
	if name, st, ok := g.r.temporaryStoreState(); ok {
		s.Stores[name] = st
	}
	return s
}

// start runs the Reflector's loop on a goroutine of the runtime.
func (g *reflRig) start() {
	g.rt.Go("reflector", func() { g.r.RunWithStop(g.stop) })
}

// at is the virtual time elapsed.
func (g *reflRig) at() time.Duration { return g.rt.Since(sim.Epoch) }

// runUntil steps until cond holds, failing if it never does.
func (g *reflRig) runUntil(cond func() bool) {
	g.t.Helper()
	if err := g.rt.RunUntil(cond, 200000); err != nil {
		g.t.Fatalf("at %v: %v; calls %v", g.at(), err, g.lw.log())
	}
	g.checkFold()
}

// runFor steps until virtual time d has passed since now, or nothing can
// run.
func (g *reflRig) runFor(d time.Duration) {
	g.t.Helper()
	end := g.at() + d
	err := g.rt.RunUntil(func() bool { return g.at() >= end }, 200000)
	if err != nil && err != sim.ErrIdle {
		g.t.Fatalf("at %v: %v", g.at(), err)
	}
	g.checkFold()
}

// calls returns the number of calls served so far.
func (g *reflRig) calls() int { return len(g.lw.callsCopy()) }

// stopAndDrain closes stop and steps until nothing can run: every goroutine
// must then have returned, and no timer may be left armed.
func (g *reflRig) stopAndDrain() {
	g.t.Helper()
	g.stop.Close()
	g.drain()
}

// drain steps until nothing can run, and checks that every goroutine
// returned and the reflector stopped.
func (g *reflRig) drain() {
	g.t.Helper()
	for range 1000000 {
		err := g.rt.Step()
		if err == sim.ErrIdle {
			break
		}
		if err != nil {
			g.t.Fatalf("after stop: %v", err)
		}
	}
	for _, info := range g.rt.Goroutines() {
		if info.State != sim.Done {
			g.t.Errorf("goroutine %d (%s) is %s (%s) after stop", info.ID, info.Name, info.State, info.Waiting)
		}
	}
	if ph := g.r.traceState().Phase; ph != trace.PhaseStopped {
		g.t.Errorf("phase %q after stop, want stopped", ph)
	}
	g.checkFold()
}

func (g *reflRig) checkFold() {
	g.t.Helper()
	if g.mismatch != "" {
		g.t.Fatalf("the fold differs from the reflector %s", g.mismatch)
	}
}

// timedEvent is a recorded event and its virtual time.
type timedEvent struct {
	trace.Event
	at time.Duration
}

// eventsOf returns the recorded events of the given kinds, with their times.
func (g *reflRig) eventsOf(kinds ...trace.Kind) []timedEvent {
	var out []timedEvent
	for i, e := range g.rec.Events() {
		if slices.Contains(kinds, e.Kind) {
			out = append(out, timedEvent{e, g.times[i]})
		}
	}
	return out
}

// backoffs returns the waits of the BackoffStarted events so far.
func (g *reflRig) backoffs() []time.Duration {
	var out []time.Duration
	for _, e := range g.eventsOf(trace.BackoffStarted) {
		d, err := time.ParseDuration(e.Value)
		if err != nil {
			g.t.Fatalf("BackoffStarted with %q: %v", e.Value, err)
		}
		out = append(out, d)
	}
	return out
}

// storeKeys lists the plain store's items as name@rv, in key order.
func (g *reflRig) storeKeys() string {
	var parts []string
	for _, o := range g.store.(Store).List() {
		parts = append(parts, fmtObj(o))
	}
	return strings.Join(parts, " ")
}
