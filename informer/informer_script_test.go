package informer

// One scenario drives a whole shared informer on both sides: ours on the
// deterministic runtime against a scriptedLW, and client-go v0.37.2's inside
// a testing/synctest bubble against plain-channel watches played by
// goroutines. Time is virtual on both: backoff, resync, watch pauses and
// slow handlers. Each side reports the same outcome, printed as lines:
// every handler's calls, the store, the sync signals, the resourceVersions,
// the List and Watch calls, and whatever the scenario probes.

import (
	"context"
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
	_ "unsafe" // go:linkname, to reach client-go's mutation detector switch

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/apimachinery/pkg/watch"
	clientfeatures "k8s.io/client-go/features"
	clientfeaturestesting "k8s.io/client-go/features/testing"
	kcache "k8s.io/client-go/tools/cache"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// infMode is the informer's queue, set by feature gates on both sides.
type infMode int

const (
	modeAtomic    infMode = iota // RealFIFO, atomic: the v0.37 default
	modeNonAtomic                // RealFIFO with AtomicFIFO off
	modeDelta                    // DeltaFIFO: InOrderInformers off
)

var allInfModes = []infMode{modeAtomic, modeNonAtomic, modeDelta}

func (m infMode) String() string {
	return [...]string{"atomic", "nonatomic", "deltafifo"}[m]
}

// infHandlerSpec is one handler of a scenario.
type infHandlerSpec struct {
	name string
	// resync, if set, is the handler's own resync period.
	resync *time.Duration
	// addAt, if set, adds the handler while the informer runs, at this
	// virtual time; otherwise it is added before Run.
	addAt time.Duration
	// removeAt, if set, removes the handler at this virtual time.
	removeAt time.Duration
	// sleep is how long each call takes.
	sleep time.Duration
	// mutate makes the handler modify the objects it is given by OnAdd
	// for a watch event (not the initial list, so that the mutation
	// detector's first comparison is not racing it).
	mutate bool
	// panics makes the handler panic in every OnAdd, after recording it.
	panics bool
}

func resyncOf(d time.Duration) *time.Duration { return &d }

// callClass names a kind of handler call whose order client-go leaves to
// map iteration: a maximal run of consecutive calls of such a class is
// compared as a multiset.
type callClass int

const (
	// initialAdds: OnAdd(x,true). A streaming list's initial objects, and a
	// late handler's synthetic adds (every late handler's, always).
	initialAdds callClass = iota
	// tombstones: OnDelete(DFSU{...}), from a relist. Always.
	tombstones
	// syncUpdates: OnUpdate(x@n->x@n), from a resync (SyncAll, or Sync
	// deltas in known-objects order).
	syncUpdates
)

func (c callClass) has(call string) bool {
	switch c {
	case initialAdds:
		return strings.HasPrefix(call, "OnAdd(") && strings.HasSuffix(call, ",true)")
	case tombstones:
		return strings.HasPrefix(call, "OnDelete(DFSU{")
	case syncUpdates:
		inner, ok := strings.CutPrefix(call, "OnUpdate(")
		if !ok {
			return false
		}
		old, new, _ := strings.Cut(strings.TrimSuffix(inner, ")"), "->")
		return old == new
	}
	return false
}

// canonicalCalls sorts every maximal run of consecutive calls of one of
// classes.
func canonicalCalls(calls []string, classes []callClass) []string {
	out := slices.Clone(calls)
	for _, c := range classes {
		for i := 0; i < len(out); {
			if !c.has(out[i]) {
				i++
				continue
			}
			j := i
			for j < len(out) && c.has(out[j]) {
				j++
			}
			sort.Strings(out[i:j])
			i = j
		}
	}
	return out
}

// infAPI is a set of calls the driver makes on the informer at a time.
type infAPI int

const (
	// apiSetters: SetTransform, SetWatchErrorHandler and AddIndexers on a
	// running informer, and the new index (I7).
	apiSetters infAPI = iota + 1
)

// infScenario is everything both sides are given.
type infScenario struct {
	name  string
	modes []infMode // default: allInfModes
	seed  uint64
	// resync is the informer's default resync period.
	resync time.Duration
	// watchListOff turns the WatchListClient gate off (G1).
	watchListOff bool

	// The server. lists answer LISTs in order; once they run out a LIST
	// fails with listErr (default: an internal error). watches answer
	// plain WATCHes in order; once they run out a WATCH stays open and
	// silent. streams answer WATCHes with sendInitialEvents=true in order;
	// without streams (or once they run out) such a WATCH is rejected with
	// 400 Bad Request, as by a server without streaming lists.
	lists   []listReply
	listErr error
	watches []watchScript
	streams []watchScript

	handlers []infHandlerSpec
	// transform counts the calls of a transform that changes nothing.
	transform bool
	// transformFails names an object the transform fails on.
	transformFails string
	// detectMutations turns the cache mutation detector on.
	detectMutations bool
	// probes are virtual times at which every handler's call count,
	// pending notifications and ring capacity are printed.
	probes []time.Duration
	// api are calls made on the running informer at a time.
	api map[time.Duration]infAPI
	// duration is how long the informer runs.
	duration time.Duration
	// anyOrder lists the classes compared as multisets for every handler
	// (tombstones always are, and initialAdds for late handlers).
	anyOrder []callClass
	// noFold skips checking our trace fold at every event (big scenarios).
	noFold bool
	// racyTheirs: client-go's side races by design (its mutation detector
	// reads what a handler writes, with nothing ordering the two), so
	// under the race detector only our side runs.
	racyTheirs bool
	// expect, if set, checks each side's outcome in a mode.
	expect func(t *testing.T, side string, mode infMode, o *infOutcome)
	// random are lines client-go prints differently from run to run (in
	// the modes given): never compared.
	random []knownDiff
}

// knownDiff names outcome lines starting with prefix, in modes (all when
// nil), and why they are special.
type knownDiff struct {
	modes  []infMode
	prefix string
	why    string
}

// randomLine tells whether client-go prints line l differently from run to
// run in mode.
func (sc *infScenario) randomLine(mode infMode, l string) bool {
	// A DeltaFIFO writes a resync, and the objects of a streaming list, to
	// the store one by one in the order of a map of client-go's; the
	// store's resourceVersion is the last one's.
	if mode == modeDelta && (sc.resync > 0 || sc.streams != nil) && strings.HasPrefix(l, "store rv: ") {
		return true
	}
	for _, k := range sc.random {
		if (k.modes == nil || slices.Contains(k.modes, mode)) && strings.HasPrefix(l, k.prefix) {
			return true
		}
	}
	return false
}

func (sc *infScenario) modeList() []infMode {
	if sc.modes == nil {
		return allInfModes
	}
	return sc.modes
}

// infServer is one side's copy of the scenario's server: every object is
// a deep copy, so that the two informers share nothing.
type infServer struct {
	mu      sync.Mutex
	lists   []listReply
	listErr error
	watches []watchScript
	streams []watchScript
	serve   bool // streams are served at all
}

func copyObject(o runtime.Object) runtime.Object {
	if o == nil {
		return nil
	}
	return o.DeepCopyObject()
}

func copyScripts(in []watchScript) []watchScript {
	out := make([]watchScript, len(in))
	for i, w := range in {
		out[i] = w
		out[i].steps = make([]watchStep, len(w.steps))
		for j, s := range w.steps {
			out[i].steps[j] = watchStep{after: s.after, event: watch.Event{Type: s.event.Type, Object: copyObject(s.event.Object)}}
		}
	}
	return out
}

func (sc *infScenario) newServer() *infServer {
	s := &infServer{listErr: sc.listErr, watches: copyScripts(sc.watches), streams: copyScripts(sc.streams), serve: sc.streams != nil}
	for _, l := range sc.lists {
		s.lists = append(s.lists, listReply{list: copyObject(l.list), err: l.err})
	}
	if s.listErr == nil {
		s.listErr = apierrors.NewInternalError(fmt.Errorf("no more scripted lists"))
	}
	return s
}

func (s *infServer) list(metav1.ListOptions) (runtime.Object, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.lists) == 0 {
		return nil, s.listErr
	}
	r := s.lists[0]
	s.lists = s.lists[1:]
	return r.list, r.err
}

func (s *infServer) watch(opts metav1.ListOptions) watchScript {
	s.mu.Lock()
	defer s.mu.Unlock()
	if opts.SendInitialEvents != nil && *opts.SendInitialEvents {
		if !s.serve || len(s.streams) == 0 {
			return watchScript{err: badRequest()}
		}
		w := s.streams[0]
		s.streams = s.streams[1:]
		return w
	}
	if len(s.watches) == 0 {
		return watchScript{}
	}
	w := s.watches[0]
	s.watches = s.watches[1:]
	return w
}

// infOutcome is what one side observed.
type infOutcome struct {
	calls map[string][]string // per handler, in order
	lines []string            // everything else, printed
	// errAt are the times the watch error handler was called.
	errAt []time.Duration
	// mutationAt is when the mutation detector fired, if it did.
	mutationAt time.Duration
	transforms int
	sc         *infScenario
	mode       infMode
	// ring is each handler's backlog at the last probe.
	ring map[string]string
}

func (o *infOutcome) add(format string, args ...any) {
	o.lines = append(o.lines, fmt.Sprintf(format, args...))
}

// probe prints a handler's calls so far and, for a slow handler, its
// backlog. A handler that keeps up has a backlog only for as long as
// client-go's goroutines, which run in parallel within an instant, take
// to pass notifications on: that is kept in ring, not compared, with our
// ring's capacity (capacity is -1 for client-go's).
func (o *infOutcome) probe(at time.Duration, h infHandlerSpec, calls, pending, capacity int64) {
	if h.sleep > 0 {
		o.add("probe %v: %s calls=%d pending=%d", at, h.name, calls, pending)
	} else {
		o.add("probe %v: %s calls=%d", at, h.name, calls)
	}
	if o.ring == nil {
		o.ring = map[string]string{}
	}
	o.ring[h.name] = fmt.Sprintf("pending=%d cap=%d", pending, capacity)
}

// print lists the outcome as lines, with the calls canonical.
func (o *infOutcome) print(sc *infScenario) []string {
	var out []string
	for _, h := range sc.handlers {
		classes := append([]callClass{tombstones}, sc.anyOrder...)
		if h.addAt > 0 {
			classes = append(classes, initialAdds)
		}
		for _, c := range canonicalCalls(o.calls[h.name], classes) {
			out = append(out, h.name+": "+c)
		}
	}
	return append(out, o.lines...)
}

// callCount counts a handler's calls that hold substr.
func (o *infOutcome) callCount(handler, substr string) int {
	n := 0
	for _, c := range o.calls[handler] {
		if strings.Contains(c, substr) {
			n++
		}
	}
	return n
}

// syncCount counts a handler's OnUpdate(x->x) calls.
func (o *infOutcome) syncCount(handler string) int {
	n := 0
	for _, c := range o.calls[handler] {
		if syncUpdates.has(c) {
			n++
		}
	}
	return n
}

// joinedCalls is a handler's calls, space-separated, canonical for the
// scenario.
func (o *infOutcome) joinedCalls(sc *infScenario, handler string) string {
	classes := append([]callClass{tombstones}, sc.anyOrder...)
	for _, h := range sc.handlers {
		if h.name == handler && h.addAt > 0 {
			classes = append(classes, initialAdds)
		}
	}
	return strings.Join(canonicalCalls(o.calls[handler], classes), " ")
}

// line returns the outcome line starting with prefix, or "".
func (o *infOutcome) line(prefix string) string {
	for _, l := range o.lines {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

// infRecorder records a handler's calls, as recordingHandler prints them,
// on either side.
type infRecorder struct {
	mu     sync.Mutex
	calls  []string
	sleep  func(time.Duration)
	spec   infHandlerSpec
	starts atomic.Int64
}

func (r *infRecorder) record(call string) {
	r.mu.Lock()
	r.calls = append(r.calls, call)
	r.mu.Unlock()
	r.starts.Add(1)
	if r.spec.sleep > 0 {
		r.sleep(r.spec.sleep)
	}
}

func (r *infRecorder) OnAdd(o any, initial bool) {
	if r.spec.mutate && !initial {
		if m, ok := o.(*metav1.PartialObjectMetadata); ok {
			m.Labels = map[string]string{"touched": "yes"}
		}
	}
	r.record(fmt.Sprintf("OnAdd(%s,%v)", fmtAny(o), initial))
	if r.spec.panics {
		panic("fake panic")
	}
}

func (r *infRecorder) OnUpdate(old, o any) {
	r.record(fmt.Sprintf("OnUpdate(%s->%s)", fmtAny(old), fmtAny(o)))
}

func (r *infRecorder) OnDelete(o any) { r.record(fmt.Sprintf("OnDelete(%s)", fmtAny(o))) }

func (r *infRecorder) snapshot() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.calls)
}

// countingTransform counts its calls and changes nothing; it fails on the
// object named fail.
type countingTransform struct {
	n    atomic.Int64
	fail string
}

func (c *countingTransform) transform(o any) (any, error) {
	c.n.Add(1)
	if m, ok := o.(metav1.Object); ok && c.fail != "" && m.GetName() == c.fail {
		return nil, fmt.Errorf("cannot transform %s", c.fail)
	}
	return o, nil
}

// infEvent is something the driver does at a time.
type infEvent struct {
	at   time.Duration
	kind string // "add", "remove", "probe", "api"
	h    int    // handler index
	api  infAPI
}

// timeline lists the scenario's timed events in time order; at equal times
// adds come before probes, then removals.
func (sc *infScenario) timeline() []infEvent {
	var ev []infEvent
	for i, h := range sc.handlers {
		if h.addAt > 0 {
			ev = append(ev, infEvent{at: h.addAt, kind: "add", h: i})
		}
		if h.removeAt > 0 {
			ev = append(ev, infEvent{at: h.removeAt, kind: "remove", h: i})
		}
	}
	for _, p := range sc.probes {
		ev = append(ev, infEvent{at: p, kind: "probe"})
	}
	for _, at := range slices.Sorted(maps.Keys(sc.api)) {
		ev = append(ev, infEvent{at: at, kind: "api", api: sc.api[at]})
	}
	order := map[string]int{"add": 0, "api": 1, "probe": 2, "remove": 3}
	sort.SliceStable(ev, func(i, j int) bool {
		if ev[i].at != ev[j].at {
			return ev[i].at < ev[j].at
		}
		return order[ev[i].kind] < order[ev[j].kind]
	})
	return ev
}

func byNameIndex(o any) ([]string, error) {
	m, err := metaAccessor(o)
	if err != nil {
		return nil, err
	}
	return []string{m.GetName()}, nil
}

func metaAccessor(o any) (metav1.Object, error) {
	m, ok := o.(metav1.Object)
	if !ok {
		return nil, fmt.Errorf("%T has no metadata", o)
	}
	return m, nil
}

// stoppedTail drops the handler's printed value from the error of adding
// a handler to a stopped informer.
func stoppedTail(err error) string {
	s := errString(err)
	if i := strings.Index(s, " was not added"); i >= 0 {
		return "handler ..." + s[i:]
	}
	return s
}

// ---- our side ----

// runInfOurs runs the scenario on our informer, on the deterministic
// runtime, checking the trace fold at every event unless noFold.
func runInfOurs(t *testing.T, sc *infScenario, mode infMode) *infOutcome {
	t.Helper()
	rt := sim.NewDeterministic(sim.DeterministicOptions{Seed: sc.seed})
	elapsed := func() time.Duration { return rt.Since(sim.Epoch) }
	out := &infOutcome{calls: map[string][]string{}, mutationAt: -1}
	lw := newScriptedLW(rt)
	srv := sc.newServer()
	lw.listFn = srv.list
	lw.watchFn = srv.watch

	var inf *sharedIndexInformer
	var rec *trace.Recorder
	var fold *trace.Snapshot
	var mismatch, mutationName string
	rec = trace.NewRecorder()
	fold = trace.NewSnapshot()
	rec.OnEvent(func(e trace.Event) {
		if e.Kind == trace.MutationDetected && out.mutationAt < 0 {
			out.mutationAt = elapsed()
			first, _, _ := strings.Cut(e.Reason, "\n")
			name, _, _ := strings.Cut(strings.TrimPrefix(first, "CACHE "), "[")
			mutationName = name
		}
		if sc.noFold {
			return
		}
		fold.Apply(e)
		if inf == nil || mismatch != "" {
			return
		}
		if d := trace.Diff(fold, inf.traceSnapshot()); d != "" {
			mismatch = fmt.Sprintf("at %v after %s %+v: %s", elapsed(), e.Kind, e, d)
		}
	})
	opts := SharedIndexInformerOptions{
		ResyncPeriod: sc.resync, Indexers: Indexers{}, Runtime: rt, DetectMutations: sc.detectMutations,
		Gates: FeatureGates{
			DisableInOrderInformers: mode == modeDelta,
			DisableAtomicFIFO:       mode == modeNonAtomic,
			DisableWatchListClient:  sc.watchListOff,
		},
	}
	if !sc.noFold || sc.detectMutations {
		opts.Recorder = rec
	}
	inf = NewSharedIndexInformerWithOptions(lw, &metav1.PartialObjectMetadata{}, opts).(*sharedIndexInformer)
	tr := &countingTransform{fail: sc.transformFails}
	if sc.transform {
		if err := inf.SetTransform(tr.transform); err != nil {
			t.Fatal(err)
		}
	}
	var errs []string
	if err := inf.SetWatchErrorHandler(func(_ *Reflector, err error) {
		errs = append(errs, err.Error())
		out.errAt = append(out.errAt, elapsed())
	}); err != nil {
		t.Fatal(err)
	}

	recs := make([]*infRecorder, len(sc.handlers))
	regs := make([]ResourceEventHandlerRegistration, len(sc.handlers))
	add := func(i int) {
		h := sc.handlers[i]
		recs[i] = &infRecorder{spec: h, sleep: rt.Sleep}
		reg, err := inf.AddEventHandlerWithOptions(recs[i], HandlerOptions{ResyncPeriod: h.resync})
		if err != nil {
			t.Errorf("adding %s: %v", h.name, err)
			return
		}
		regs[i] = reg
	}
	for i, h := range sc.handlers {
		if h.addAt == 0 {
			add(i)
		}
	}

	stop := sim.NewChan[struct{}](rt, "test stop", 0)
	runDone := sim.NewChan[struct{}](rt, "run done", 0)
	rt.Go("informer", func() {
		inf.RunWithStop(stop)
		runDone.Close()
	})
	// settle lets everything due now run first, as synctest.Wait does.
	settle := func() { rt.Sleep(0) }
	sleepUntil := func(at time.Duration) {
		if d := at - elapsed(); d > 0 {
			rt.Sleep(d)
		}
		settle()
	}
	var finalCalls [][]string
	rt.Go("driver", func() {
		for _, ev := range sc.timeline() {
			sleepUntil(ev.at)
			switch ev.kind {
			case "add":
				add(ev.h)
				if regs[ev.h] != nil {
					out.add("%s", lateAddLine(sc.handlers[ev.h], ev.at, regs[ev.h].HasSynced, settle))
				}
			case "remove":
				out.add("%s removed at %v: %s", sc.handlers[ev.h].name, ev.at, errString(inf.RemoveEventHandler(regs[ev.h])))
			case "probe":
				for i, h := range sc.handlers {
					if regs[i] == nil {
						continue
					}
					l := regs[i].(*processorListener)
					out.probe(ev.at, h, recs[i].starts.Load(), l.pendingNotificationsLength.Load(), int64(l.pendingNotifications.Cap()))
				}
			case "api":
				out.add("I7 SetTransform: %s", errString(inf.SetTransform(func(o any) (any, error) { return o, nil })))
				out.add("I7 SetWatchErrorHandler: %s", errString(inf.SetWatchErrorHandler(func(*Reflector, error) {})))
				out.add("I7 AddIndexers: %s", errString(inf.AddIndexers(Indexers{"byName": byNameIndex})))
				keys, err := inf.GetIndexer().IndexKeys("byName", "a")
				out.add("I7 IndexKeys(byName, a): %v %s", keys, errString(err))
			}
		}
		sleepUntil(sc.duration)
		printFinal(out, inf.GetStore(), inf.HasSynced(), inf.IsStopped(), inf.LastSyncResourceVersion(), sc.handlers, func(i int) (bool, bool) {
			if regs[i] == nil {
				return false, false
			}
			return regs[i].HasSynced(), true
		}, func(i int) string {
			if i < 0 {
				return inf.HasSyncedChecker().Name() + " | controller rv " + inf.GetController().LastSyncResourceVersion()
			}
			if regs[i] == nil {
				return ""
			}
			return regs[i].HasSyncedChecker().Name()
		})
		finalCalls = make([][]string, len(recs))
		for i, r := range recs {
			if r != nil {
				finalCalls[i] = r.snapshot()
			}
		}
		stop.Close()
		runDone.Recv()
		printAfterStop(out, inf.IsStopped(), stoppedTail(errOnly(inf.AddEventHandler(&infRecorder{}))),
			errString(inf.RemoveEventHandler(regs[0])), errString(inf.AddIndexers(Indexers{"late": byNameIndex})))
	})
	for steps := 0; ; steps++ {
		err := rt.Step()
		if err == sim.ErrIdle {
			break
		}
		if err != nil {
			t.Fatalf("ours at %v: %v", elapsed(), err)
		}
		if steps > 20_000_000 {
			t.Fatalf("ours: still running at %v", elapsed())
		}
	}
	if mismatch != "" {
		t.Fatalf("ours: the fold differs from the informer %s", mismatch)
	}
	for _, info := range rt.Goroutines() {
		if info.State != sim.Done {
			t.Errorf("ours: goroutine %d (%s) is %s (%s) after stop", info.ID, info.Name, info.State, info.Waiting)
		}
	}
	if finalCalls == nil {
		t.Fatalf("ours: the driver did not finish")
	}
	finishOutcome(out, sc, finalCalls, recs, errs, int(tr.n.Load()), lw.log(), mutationName)
	return out
}

func errOnly(_ any, err error) error { return err }

// lateAddLine reports a late handler's HasSynced. A slow handler cannot
// have handled its initial adds when AddEventHandler returns, so it is
// read at once. A handler with no latency may already have, on
// client-go's goroutines, which run beside the test's: so for it the
// line waits until everything due now has run (settle), when both sides
// must agree.
func lateAddLine(h infHandlerSpec, at time.Duration, synced func() bool, settle func()) string {
	if h.sleep > 0 {
		return fmt.Sprintf("%s added at %v: synced at once %v", h.name, at, synced())
	}
	settle()
	return fmt.Sprintf("%s added at %v: synced once settled %v", h.name, at, synced())
}

// printFinal prints what both sides report at the end of the run, before
// the informer is stopped.
func printFinal(out *infOutcome, store interface {
	ListKeys() []string
	GetByKey(string) (any, bool, error)
	LastStoreSyncResourceVersion() string
}, synced, stopped bool, lastRV string, handlers []infHandlerSpec, regSynced func(int) (synced, ok bool), names func(int) string) {
	keys := store.ListKeys()
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		o, _, _ := store.GetByKey(k)
		parts[i] = k + "=" + fmtAny(o)
	}
	out.add("store: [%s]", strings.Join(parts, " "))
	out.add("store rv: %q", store.LastStoreSyncResourceVersion())
	out.add("informer synced: %v", synced)
	out.add("informer stopped before the end: %v", stopped)
	for i, h := range handlers {
		if s, ok := regSynced(i); ok {
			out.add("%s synced: %v", h.name, s)
		}
	}
	out.add("sync checkers: %s", names(-1))
	for i, h := range handlers {
		if n := names(i); n != "" {
			out.add("%s sync checker: %s", h.name, n)
		}
	}
	out.add("last sync rv: %q", lastRV)
}

func printAfterStop(out *infOutcome, stopped bool, addErr, removeErr, indexErr string) {
	out.add("after stop: stopped %v", stopped)
	out.add("after stop: AddEventHandler: %s", addErr)
	out.add("after stop: RemoveEventHandler: %s", removeErr)
	out.add("after stop: AddIndexers: %s", indexErr)
}

func finishOutcome(out *infOutcome, sc *infScenario, calls [][]string, recs []*infRecorder, errs []string, transforms int, lw []string, mutation string) {
	out.sc = sc
	for i, h := range sc.handlers {
		if recs[i] != nil {
			out.calls[h.name] = calls[i]
		}
	}
	for _, c := range lw {
		out.add("server: %s", c)
	}
	for _, e := range errs {
		out.add("watch error handler: %s", e)
	}
	if sc.transform {
		out.add("transform calls: %d", transforms)
		out.transforms = transforms
	}
	if out.mutationAt >= 0 {
		out.add("mutation detected at %v in %s", out.mutationAt, mutation)
	}
}

// ---- client-go's side ----

// theirLW serves client-go's Reflector: plain-channel watches played by
// goroutines that sleep on the bubble's clock.
type theirLW struct {
	srv   *infServer
	mu    sync.Mutex
	calls []string
	wg    sync.WaitGroup
}

func (lw *theirLW) record(verb string, opts metav1.ListOptions) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	lw.calls = append(lw.calls, lwCall{verb: verb, opts: opts}.String())
}

func (lw *theirLW) List(opts metav1.ListOptions) (runtime.Object, error) {
	lw.record("LIST", opts)
	return lw.srv.list(opts)
}

func (lw *theirLW) Watch(opts metav1.ListOptions) (watch.Interface, error) {
	lw.record("WATCH", opts)
	script := lw.srv.watch(opts)
	if script.err != nil {
		return nil, script.err
	}
	// The same plain watch client-go's Reflector is fed in
	// reflector_differential_test.go.
	w := &plainWatch{result: make(chan watch.Event), stop: make(chan struct{})}
	lw.wg.Go(func() { w.serve(script) })
	return w, nil
}

func (lw *theirLW) log() []string {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	return slices.Clone(lw.calls)
}

// setTheirGates sets client-go's feature gates for mode until t ends.
func setTheirGates(t *testing.T, mode infMode, watchListOff bool) {
	switch mode {
	case modeNonAtomic:
		clientfeaturestesting.SetFeatureDuringTest(t, clientfeatures.AtomicFIFO, false)
	case modeDelta:
		clientfeaturestesting.SetFeatureDuringTest(t, clientfeatures.InOrderInformers, false)
	}
	if watchListOff {
		clientfeaturestesting.SetFeatureDuringTest(t, clientfeatures.WatchListClient, false)
	}
}

// silenceHandleError keeps client-go's HandleError from logging and from
// sleeping between errors, which would move its clock in the bubble.
func silenceHandleError(t *testing.T) {
	saved := utilruntime.ErrorHandlers
	utilruntime.ErrorHandlers = []utilruntime.ErrorHandler{func(context.Context, error, string, ...any) {}}
	t.Cleanup(func() { utilruntime.ErrorHandlers = saved })
}

// kcacheMutationDetectionEnabled is client-go's KUBE_CACHE_MUTATION_DETECTOR
// switch, read from the environment once, at init: the test turns it on
// for the informers it builds.
//
//go:linkname kcacheMutationDetectionEnabled k8s.io/client-go/tools/cache.mutationDetectionEnabled
var kcacheMutationDetectionEnabled bool

// setTheirFailureFunc replaces the panic of client-go's mutation detector
// of inf with fn (the failureFunc its own tests inject).
func setTheirFailureFunc(t *testing.T, inf kcache.SharedIndexInformer, fn func(string)) {
	d := reflect.ValueOf(inf).Elem().FieldByName("cacheMutationDetector").Elem()
	if d.Kind() != reflect.Pointer {
		t.Fatalf("client-go's mutation detector is a %v, not the default one", d.Type())
	}
	f := d.Elem().FieldByName("failureFunc")
	*(*func(string))(f.Addr().UnsafePointer()) = fn
}

// theirPending reads a client-go listener's pendingNotificationsLength,
// atomically as its pop goroutine writes it. (Its ring's capacity is not
// read: pop writes it plainly, with nothing ordering that after a read.)
func theirPending(reg kcache.ResourceEventHandlerRegistration) int64 {
	f := reflect.ValueOf(reg).Elem().FieldByName("pendingNotificationsLength")
	return (*atomic.Int64)(f.Addr().UnsafePointer()).Load()
}

// runInfTheirs runs the scenario on client-go's informer in a synctest
// bubble. The caller has set the gates.
func runInfTheirs(t *testing.T, sc *infScenario) *infOutcome {
	t.Helper()
	out := &infOutcome{calls: map[string][]string{}, mutationAt: -1}
	var (
		finalCalls [][]string
		recs       = make([]*infRecorder, len(sc.handlers))
		errs       []string
		lwLog      []string
		mutation   string
		transforms int
	)
	for _, h := range sc.handlers {
		if h.panics {
			saved := utilruntime.ReallyCrash
			utilruntime.ReallyCrash = false
			defer func() { utilruntime.ReallyCrash = saved }()
			break
		}
	}
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		elapsed := func() time.Duration { return time.Since(start) }
		lw := &theirLW{srv: sc.newServer()}
		if sc.detectMutations {
			kcacheMutationDetectionEnabled = true
		}
		// Indexers must not be nil: client-go's AddIndexers would then
		// write to a nil map and panic (ours copes).
		inf := kcache.NewSharedIndexInformerWithOptions(lw, &metav1.PartialObjectMetadata{},
			kcache.SharedIndexInformerOptions{ResyncPeriod: sc.resync, Indexers: kcache.Indexers{}})
		kcacheMutationDetectionEnabled = false
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var mu sync.Mutex
		if sc.detectMutations {
			setTheirFailureFunc(t, inf, func(msg string) {
				mu.Lock()
				if out.mutationAt < 0 {
					out.mutationAt = elapsed()
					mutation = strings.TrimSuffix(strings.TrimPrefix(msg, "cache "), " modified")
				}
				mu.Unlock()
				cancel() // as our informer stops when it detects a mutation
			})
		}
		tr := &countingTransform{fail: sc.transformFails}
		if sc.transform {
			if err := inf.SetTransform(tr.transform); err != nil {
				t.Fatal(err)
			}
		}
		if err := inf.SetWatchErrorHandler(func(_ *kcache.Reflector, err error) {
			mu.Lock()
			defer mu.Unlock()
			errs = append(errs, err.Error())
			out.errAt = append(out.errAt, elapsed())
		}); err != nil {
			t.Fatal(err)
		}
		regs := make([]kcache.ResourceEventHandlerRegistration, len(sc.handlers))
		add := func(i int) {
			h := sc.handlers[i]
			recs[i] = &infRecorder{spec: h, sleep: time.Sleep}
			reg, err := inf.AddEventHandlerWithOptions(recs[i], kcache.HandlerOptions{ResyncPeriod: h.resync})
			if err != nil {
				t.Errorf("adding %s: %v", h.name, err)
				return
			}
			regs[i] = reg
		}
		for i, h := range sc.handlers {
			if h.addAt == 0 {
				add(i)
			}
		}
		runDone := make(chan struct{})
		go func() {
			defer close(runDone)
			inf.RunWithContext(ctx)
		}()
		sleepUntil := func(at time.Duration) {
			if d := at - elapsed(); d > 0 {
				time.Sleep(d)
			}
			synctest.Wait()
		}
		for _, ev := range sc.timeline() {
			sleepUntil(ev.at)
			switch ev.kind {
			case "add":
				add(ev.h)
				if regs[ev.h] != nil {
					out.add("%s", lateAddLine(sc.handlers[ev.h], ev.at, regs[ev.h].HasSynced, synctest.Wait))
				}
			case "remove":
				out.add("%s removed at %v: %s", sc.handlers[ev.h].name, ev.at, errString(inf.RemoveEventHandler(regs[ev.h])))
			case "probe":
				for i, h := range sc.handlers {
					if regs[i] == nil {
						continue
					}
					out.probe(ev.at, h, recs[i].starts.Load(), theirPending(regs[i]), -1)
				}
			case "api":
				out.add("I7 SetTransform: %s", errString(inf.SetTransform(func(o any) (any, error) { return o, nil })))
				out.add("I7 SetWatchErrorHandler: %s", errString(inf.SetWatchErrorHandler(func(*kcache.Reflector, error) {})))
				out.add("I7 AddIndexers: %s", errString(inf.AddIndexers(kcache.Indexers{"byName": byNameIndex})))
				keys, err := inf.GetIndexer().IndexKeys("byName", "a")
				out.add("I7 IndexKeys(byName, a): %v %s", keys, errString(err))
			}
		}
		sleepUntil(sc.duration)
		printFinal(out, inf.GetStore(), inf.HasSynced(), inf.IsStopped(), inf.LastSyncResourceVersion(), sc.handlers, func(i int) (bool, bool) {
			if regs[i] == nil {
				return false, false
			}
			return regs[i].HasSynced(), true
		}, func(i int) string {
			if i < 0 {
				return inf.HasSyncedChecker().Name() + " | controller rv " + inf.GetController().LastSyncResourceVersion()
			}
			if regs[i] == nil {
				return ""
			}
			return regs[i].HasSyncedChecker().Name()
		})
		finalCalls = make([][]string, len(recs))
		for i, r := range recs {
			if r != nil {
				finalCalls[i] = r.snapshot()
			}
		}
		cancel()
		<-runDone
		lw.wg.Wait()
		printAfterStop(out, inf.IsStopped(), stoppedTail(errOnly(inf.AddEventHandler(&infRecorder{}))),
			errString(inf.RemoveEventHandler(regs[0])), errString(inf.AddIndexers(kcache.Indexers{"late": byNameIndex})))
		mu.Lock()
		defer mu.Unlock()
		lwLog = lw.log()
		transforms = int(tr.n.Load())
	})
	if finalCalls == nil {
		t.Fatalf("client-go: the run did not finish")
	}
	finishOutcome(out, sc, finalCalls, recs, errs, transforms, lwLog, mutation)
	return out
}

// ---- both ----

// dropRandom leaves out the lines client-go prints differently from run to
// run.
func dropRandom(sc *infScenario, mode infMode, theirs, ours []string) ([]string, []string) {
	drop := func(lines []string) []string {
		var kept []string
		for _, l := range lines {
			if !sc.randomLine(mode, l) {
				kept = append(kept, l)
			}
		}
		return kept
	}
	return drop(theirs), drop(ours)
}

// wantLine checks that o has line.
func wantLine(t *testing.T, side string, o *infOutcome, line string) {
	t.Helper()
	if !slices.Contains(o.lines, line) {
		t.Errorf("%s: no line %q in\n  %s", side, line, strings.Join(o.lines, "\n  "))
	}
}

// wantCalls checks a handler's calls, canonical for the scenario.
func wantCalls(t *testing.T, side string, o *infOutcome, handler, want string) {
	t.Helper()
	if got := o.joinedCalls(o.sc, handler); got != want {
		t.Errorf("%s: %s calls\n  %s\nwant\n  %s", side, handler, got, want)
	}
}

// serverCalls returns the List and Watch calls the server saw.
func (o *infOutcome) serverCalls() []string {
	var out []string
	for _, l := range o.lines {
		if c, ok := strings.CutPrefix(l, "server: "); ok {
			out = append(out, c)
		}
	}
	return out
}

// runInfDifferential runs the scenario in each of its modes on both sides
// and compares their outcomes, then runs the scenario's own checks on
// each. INFORMER_DUMP=1 logs both outcomes (with -v).
func runInfDifferential(t *testing.T, sc *infScenario) {
	t.Helper()
	silenceHandleError(t)
	for _, mode := range sc.modeList() {
		t.Run(sc.name+"/"+mode.String(), func(t *testing.T) {
			if sc.racyTheirs && raceDetector {
				ours := runInfOurs(t, sc, mode)
				ours.mode = mode
				if sc.expect != nil {
					sc.expect(t, "ours", mode, ours)
				}
				t.Skip("client-go's side races by design; ours checked alone")
			}
			setTheirGates(t, mode, sc.watchListOff)
			began := time.Now()
			theirs := runInfTheirs(t, sc)
			mid := time.Now()
			ours := runInfOurs(t, sc, mode)
			t.Logf("client-go %v, ours %v", mid.Sub(began).Round(time.Millisecond), time.Since(mid).Round(time.Millisecond))
			ours.mode, theirs.mode = mode, mode
			want, got := theirs.print(sc), ours.print(sc)
			if os.Getenv("INFORMER_DUMP") != "" {
				t.Logf("client-go:\n  %s\nours:\n  %s", strings.Join(want, "\n  "), strings.Join(got, "\n  "))
			}
			want, got = dropRandom(sc, mode, want, got)
			if d := diffLines(want, got); d != "" {
				t.Errorf("ours differs from client-go (want is client-go's):\n%s", d)
			}
			if sc.expect != nil {
				sc.expect(t, "client-go", mode, theirs)
				sc.expect(t, "ours", mode, ours)
			}
		})
	}
}
