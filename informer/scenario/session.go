package scenario

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/informerscope/informerscope/informer"
	"github.com/informerscope/informerscope/informer/mock"
	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// Session is one run of a scenario on the deterministic runtime: the
// simulated server, the informer, its handlers and the trace, ready to be
// stepped. Start builds it at virtual time 0 with nothing run yet; the page
// steps its Runtime, tests call Run.
type Session struct {
	Scenario *Scenario
	Runtime  *sim.Deterministic
	Recorder *trace.Recorder
	Server   *mock.Server
	// Informer is the shared informer; nil when the scenario runs a plain
	// one, which is only a Controller filling a store.
	Informer   informer.SharedIndexInformer
	Controller informer.Controller
	// Fold is the trace folded so far: the state every view draws.
	Fold *trace.Snapshot

	kind     mock.Kind
	handlers map[string]*handler
	regs     map[string]informer.ResourceEventHandlerRegistration
	stop     sim.Chan[struct{}]
	// errs are what went wrong inside the run: a failed API call of the
	// scenario driver, a handler that could not be added.
	errs []string
	// timed are the "at T expect" lines, by time; checked counts those done.
	timed         []Action
	checked       int
	timedFailures []string
	observers     []func(trace.Event)
	workloads     int
}

// OnEvent makes fn see every event of the run, after the Fold has it. fn
// runs inside the runtime's step, so it must be quick and must not step.
func (x *Session) OnEvent(fn func(trace.Event)) { x.observers = append(x.observers, fn) }

// End is the virtual time the scenario runs until.
func (x *Session) End() time.Time { return sim.Epoch.Add(x.Scenario.RunFor) }

// CheckNow checks the expectations that have no time of their own against
// the run as it is now, with the errors of the run so far; the page shows
// them when a run reaches its end.
func (x *Session) CheckNow() []string {
	failures := append([]string(nil), x.errs...)
	for _, e := range x.Scenario.Expects {
		if msg := x.check(e); msg != "" {
			failures = append(failures, msg)
		}
	}
	return failures
}

// kinds maps a scenario's resource to the server's kind.
var kinds = map[string]mock.Kind{
	"configmaps":  mock.ConfigMaps,
	"pods":        mock.Pods,
	"deployments": mock.Deployments,
	"widgets":     mock.Widgets,
}

// maxSteps bounds every run: a scenario that needs more steps than this
// has a runaway loop, and the page must stay responsive.
const maxSteps = 20_000_000

// Start builds a session for s. Nothing runs until its runtime is stepped.
func Start(s *Scenario) *Session { return StartReplay(s, nil) }

// StartReplay builds a session that makes the given decisions of an
// earlier run of s first (see sim.DeterministicOptions.Replay): stepped as
// far, it is where that run was, and from there it may go another way.
func StartReplay(s *Scenario, decisions []uint64) *Session { return StartFrom(s, decisions, nil) }

// Source makes the informer's source on the session's runtime, in place of
// the simulated server: a recorded stream replayed, for one.
type Source func(rt *sim.Deterministic) informer.ListerWatcher

// StartFrom is StartReplay with another source than the simulated server
// when source is not nil. The server still exists, and the scenario's
// objects and actions still change it, but the informer does not see it.
func StartFrom(s *Scenario, decisions []uint64, source Source) *Session {
	rt := sim.NewDeterministic(sim.DeterministicOptions{Seed: s.Seed, Replay: decisions})
	x := &Session{
		Scenario: s,
		Runtime:  rt,
		Recorder: trace.NewRecorder(),
		Fold:     trace.NewSnapshot(),
		kind:     kinds[s.Resource],
		handlers: map[string]*handler{},
		regs:     map[string]informer.ResourceEventHandlerRegistration{},
		stop:     sim.NewChan[struct{}](rt, "scenario stop", 0),
	}
	x.Recorder.OnEvent(func(e trace.Event) {
		x.Fold.Apply(e)
		for _, fn := range x.observers {
			fn(e)
		}
	})
	informer.TraceRuntime(rt, x.Recorder.Probe("runtime"))
	x.Server = mock.NewServer(mock.Options{Runtime: rt, WindowSize: s.Window, BookmarkInterval: s.Bookmarks, Recorder: x.Recorder})
	var lw informer.ListerWatcher = &selectingLW{inner: x.Server.ListerWatcher(x.kind.Resource, s.Namespace), selector: s.Selector}
	if source != nil {
		lw = source(rt)
	}
	for _, h := range s.Handlers {
		x.handlers[h.Name] = &handler{spec: h, rt: rt}
	}
	indexers := informer.Indexers{informer.NamespaceIndex: informer.MetaNamespaceIndexFunc}
	if s.Plain {
		_, x.Controller = informer.NewInformerWithOptions(informer.InformerOptions{
			ListerWatcher: lw,
			ObjectType:    &unstructured.Unstructured{},
			Handler:       x.handlers[s.Handlers[0].Name],
			ResyncPeriod:  s.Resync,
			Indexers:      indexers,
			Runtime:       rt,
			Recorder:      x.Recorder,
			Gates:         gatesOf(s),
		})
	} else {
		x.Informer = informer.NewSharedIndexInformerWithOptions(lw, &unstructured.Unstructured{}, informer.SharedIndexInformerOptions{
			ResyncPeriod:    s.Resync,
			Indexers:        indexers,
			Runtime:         rt,
			Recorder:        x.Recorder,
			Gates:           gatesOf(s),
			DetectMutations: s.DetectMutations,
		})
		x.Controller = x.Informer.GetController()
	}
	for _, a := range s.Actions {
		if a.Verb == VerbExpect {
			x.timed = append(x.timed, a)
		}
	}
	rt.Go("scenario", x.drive)
	return x
}

// gatesOf turns the scenario's queue and gates into the informer's.
func gatesOf(s *Scenario) informer.FeatureGates {
	g := informer.FeatureGates{
		DisableInOrderInformers: s.Queue == DeltaFIFO,
		DisableAtomicFIFO:       s.Queue == RealFIFONonAtomic,
	}
	for _, name := range s.Gates {
		switch name {
		case "UnlockWhileProcessingFIFO":
			g.DisableUnlockWhileProcessingFIFO = true
		case "InOrderInformersBatchProcess":
			g.DisableInOrderInformersBatchProcess = true
		case "WatchListClient":
			g.DisableWatchListClient = true
		}
	}
	return g
}

// step is one entry of the driver's timeline.
type step struct {
	at   time.Duration
	line int
	what string
	do   func()
}

// drive is the scenario's own goroutine: it creates the initial objects,
// adds the first handlers, starts the informer, then does each action at
// its time. Doing this inside the runtime puts every change on the trace,
// in order with what it causes.
func (x *Session) drive() {
	s := x.Scenario
	for _, o := range s.Objects {
		x.apply(Action{Line: o.Line, Verb: VerbCreate, Object: o})
	}
	var timeline []step
	for _, h := range s.Handlers {
		if s.Plain {
			break // its one handler is the controller's
		}
		if !h.Late {
			x.addHandler(h)
		} else {
			timeline = append(timeline, step{h.At, h.Line, "add handler " + h.Name, func() { x.addHandler(h) }})
		}
		if h.Removed {
			timeline = append(timeline, step{h.RemoveAt, h.Line, "remove handler " + h.Name, func() { x.removeHandler(h) }})
		}
	}
	if s.Plain {
		x.Runtime.Go("controller", func() { x.Controller.RunWithStop(x.stop) })
	} else {
		x.Runtime.Go("informer", func() { x.Informer.RunWithStop(x.stop) })
	}
	for _, a := range s.Actions {
		if a.Verb != VerbExpect {
			timeline = append(timeline, step{a.At, a.Line, a.Verb.String(), func() { x.apply(a) }})
		}
	}
	slices.SortStableFunc(timeline, func(a, b step) int {
		if a.at != b.at {
			return int(a.at - b.at)
		}
		return a.line - b.line
	})
	for _, st := range timeline {
		if wait := st.at - x.Runtime.Since(sim.Epoch); wait > 0 {
			x.Runtime.Sleep(wait)
		}
		st.do()
	}
}

func (x *Session) addHandler(h Handler) {
	reg, err := x.Informer.AddEventHandlerWithOptions(x.handlers[h.Name], informer.HandlerOptions{ResyncPeriod: h.Resync})
	if err != nil {
		x.failf(h.Line, "adding handler %s: %v", h.Name, err)
		return
	}
	x.regs[h.Name] = reg
}

func (x *Session) removeHandler(h Handler) {
	if reg := x.regs[h.Name]; reg != nil {
		if err := x.Informer.RemoveEventHandler(reg); err != nil {
			x.failf(h.Line, "removing handler %s: %v", h.Name, err)
		}
	}
}

func (x *Session) failf(line int, format string, args ...any) {
	x.errs = append(x.errs, fmt.Sprintf("%s:%d: %s", x.Scenario.Name, line, fmt.Sprintf(format, args...)))
}

// apply does one action to the server. A failed API call is a scenario
// error, not a crash: the run goes on and the error is reported.
func (x *Session) apply(a Action) {
	ctx := context.Background()
	res := x.writer()
	var err error
	switch a.Verb {
	case VerbCreate:
		_, err = res.Namespace(a.Object.Namespace).Create(ctx, newObject(x.kind, a.Object), createOptions)
	case VerbUpdate:
		err = x.update(a.Object)
	case VerbDelete:
		err = res.Namespace(a.Object.Namespace).Delete(ctx, a.Object.Name, deleteOptions)
	case VerbRecreate:
		old, gerr := res.Namespace(a.Object.Namespace).Get(ctx, a.Object.Name, getOptions)
		if gerr != nil {
			err = gerr
			break
		}
		if err = res.Namespace(a.Object.Namespace).Delete(ctx, a.Object.Name, deleteOptions); err != nil {
			break
		}
		o := a.Object
		if o.Labels == nil {
			o.Labels = old.GetLabels()
		}
		_, err = res.Namespace(o.Namespace).Create(ctx, newObject(x.kind, o), createOptions)
	case VerbCloseWatches:
		x.Server.CloseWatches()
	case VerbDropConnections:
		x.Server.DropConnections()
	case VerbExpireNextWatch:
		x.Server.ExpireNextWatch()
	case VerbCompact:
		x.Server.Compact()
	case VerbRestart:
		x.Server.Restart(a.Duration)
	case VerbDelayEvents:
		x.Server.DelayEvents(a.Duration)
	case VerbWorkload:
		// Workloads are numbered in the order they start, not by line, so
		// that a reformatted scenario (see Format) runs the same.
		x.workloads++
		w := &workload{spec: *a.Workload, kind: x.kind, server: x.Server, rt: x.Runtime, n: x.workloads, line: a.Line, fail: x.failf}
		x.Runtime.Go(fmt.Sprintf("workload %d", w.n), w.run)
	}
	if err != nil {
		x.failf(a.Line, "%s %s: %v", a.Verb, a.Object.Key(), err)
	}
}

// writer is the client of the scenario's own changes. They go through
// another API server of the cluster, so a restart of the informer's server
// does not stop them: what changes while the informer is cut off reaches it
// only by its relist, as in a real HA cluster.
func (x *Session) writer() *mock.ResourceClient {
	return x.Server.Resource(x.kind.Resource).ThroughOtherReplica()
}

// update writes a new revision of the object, with new labels if given:
// the server ignores an update that changes nothing, as the real one does,
// so each update bumps a revision annotation.
func (x *Session) update(o Object) error {
	ctx := context.Background()
	res := x.writer().Namespace(o.Namespace)
	cur, err := res.Get(ctx, o.Name, getOptions)
	if err != nil {
		return err
	}
	bumpRevision(cur)
	if o.Labels != nil {
		cur.SetLabels(o.Labels)
	}
	_, err = res.Update(ctx, cur, updateOptions)
	return err
}

// Run runs the session to the end of the scenario, checking each timed
// expectation at its time, then every other one; it stops the informer and
// every goroutine. It returns the failed expectations and run errors; an
// error means the run itself broke (a panic, a runaway loop).
func (x *Session) Run() ([]string, error) {
	if err := x.RunTo(x.Scenario.RunFor); err != nil {
		return nil, err
	}
	failures := append(x.CheckNow(), x.timedFailures...)
	x.Stop()
	return failures, nil
}

// RunTo runs until virtual time d (since the start), checking the timed
// expectations due by then.
func (x *Session) RunTo(d time.Duration) error {
	for x.checked < len(x.timed) && x.timed[x.checked].At <= d {
		a := x.timed[x.checked]
		if err := x.Runtime.RunUntilTime(sim.Epoch.Add(a.At), maxSteps); err != nil {
			return fmt.Errorf("%s: at %v: %w", x.Scenario.Name, a.At, err)
		}
		if msg := x.check(*a.Expect); msg != "" {
			x.timedFailures = append(x.timedFailures, msg)
		}
		x.checked++
	}
	if err := x.Runtime.RunUntilTime(sim.Epoch.Add(d), maxSteps); err != nil {
		return fmt.Errorf("%s: at %v: %w", x.Scenario.Name, d, err)
	}
	return nil
}

// Stop stops the informer, lets every goroutine wind down, and ends the
// runtime.
func (x *Session) Stop() {
	if !x.stop.IsNil() {
		x.stop.Close()
		x.stop = sim.Chan[struct{}]{}
	}
	_ = x.Runtime.RunUntilTime(x.Runtime.Now(), maxSteps)
	x.Runtime.Shutdown()
}

// Calls returns the calls a handler received so far.
func (x *Session) Calls(name string) []Call {
	if h := x.handlers[name]; h != nil {
		return slices.Clone(h.calls)
	}
	return nil
}

// CallLog prints every handler's calls, one per line, for failure messages.
func (x *Session) CallLog() string {
	var b strings.Builder
	for _, h := range x.Scenario.Handlers {
		for _, c := range x.handlers[h.Name].calls {
			fmt.Fprintf(&b, "%v %s %s\n", c.At, h.Name, c)
		}
	}
	return b.String()
}
