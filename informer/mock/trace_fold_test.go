package mock

// The server's trace is only useful if folding it gives back exactly what
// the server holds. These tests run random workloads with every fault on
// the deterministic runtime, fold the events as they are recorded, and
// compare the fold with the server's own TraceState at every event.

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

func TestFoldEqualsServerAtEveryEvent(t *testing.T) {
	runs := 40
	if testing.Short() {
		runs = 8
	}
	seen := map[trace.Kind]bool{}
	for run := range runs {
		trace1 := tracedWorkload(t, uint64(run), seen, true)
		if run < 3 {
			// The same seed gives the very same trace file.
			if trace2 := tracedWorkload(t, uint64(run), seen, false); !bytes.Equal(trace1, trace2) {
				t.Fatalf("run %d: two runs of the same workload gave different traces (%d and %d bytes)", run, len(trace1), len(trace2))
			}
		}
	}
	for _, k := range trace.Kinds() {
		if k.Area() == "server" && !seen[k] {
			t.Errorf("no run recorded %s: the workloads do not cover the server's vocabulary", k)
		}
	}
}

// tracedWorkload runs one random workload on a traced server and returns
// its trace file. With check, it compares the fold with the server after
// every event, and the decoded file's fold with the end state.
func tracedWorkload(t *testing.T, seed uint64, seen map[trace.Kind]bool, check bool) []byte {
	t.Helper()
	rec := trace.NewRecorder()
	rt := sim.NewDeterministic(sim.DeterministicOptions{Seed: seed})
	defer rt.Shutdown()
	var s *Server
	fold := trace.NewSnapshot()
	var failure string
	events := 0
	state := func() *trace.Snapshot {
		snap := trace.NewSnapshot()
		snap.Servers[TraceComponent] = s.TraceState()
		return snap
	}
	rec.OnEvent(func(e trace.Event) {
		fold.Apply(e)
		events++
		seen[e.Kind] = true
		// s is nil while NewServer registers its kinds; the end state
		// covers those events.
		if !check || s == nil || failure != "" {
			return
		}
		if d := trace.Diff(fold, state()); d != "" {
			failure = fmt.Sprintf("seed %d: at %v, after event %d %+v the fold differs from the server: %s",
				seed, rt.Since(sim.Epoch), events, e, d)
		}
	})
	rng := rand.New(rand.NewPCG(seed, 11))
	s = NewServer(Options{Runtime: rt, Recorder: rec, WindowSize: 2 + rng.IntN(6),
		BookmarkInterval: time.Duration(1+rng.IntN(5)) * time.Second})
	wl := &workload{s: s, rt: rt, rng: rng}
	rt.Go("driver", wl.drive)
	if err := rt.RunUntil(func() bool { return wl.done }, 2_000_000); err != nil {
		t.Fatalf("seed %d: %v", seed, err)
	}
	if err := rt.RunUntilTime(rt.Now(), 100_000); err != nil {
		t.Fatalf("seed %d: %v", seed, err)
	}
	if failure != "" {
		t.Fatal(failure)
	}
	if testing.Verbose() && check {
		t.Logf("seed %d: %d events, %d watches, until %v", seed, events, len(wl.watches), rt.Since(sim.Epoch))
	}
	var buf bytes.Buffer
	if err := rec.Trace().Encode(&buf); err != nil {
		t.Fatal(err)
	}
	out := bytes.Clone(buf.Bytes())
	if check {
		if d := trace.Diff(fold, state()); d != "" {
			t.Fatalf("seed %d: at the end the fold differs from the server: %s", seed, d)
		}
		decoded, err := trace.Decode(&buf)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if d := trace.Diff(trace.Fold(decoded.Events), state()); d != "" {
			t.Fatalf("seed %d: the decoded trace folds to another state: %s", seed, d)
		}
	}
	return out
}

// workload is a random driver of the server: writes (some through another
// replica), watches with every kind of start and fast, slow and stopping
// readers, lists, and every fault, at random times.
type workload struct {
	s       *Server
	rt      *sim.Deterministic
	rng     *rand.Rand
	watches []*Watch
	cont    string // a continue token from a paged list
	done    bool
}

func (wl *workload) drive() {
	for range 120 {
		wl.rt.Sleep(time.Duration(wl.rng.IntN(2500)) * time.Millisecond)
		switch n := wl.rng.IntN(20); {
		case n < 8:
			wl.write()
		case n < 12:
			wl.watch()
		case n < 14:
			wl.list()
		default:
			wl.fault()
		}
	}
	// Let delayed events, bookmarks and short timeouts play out, then
	// stop what is left.
	wl.rt.Sleep(15 * time.Second)
	for _, w := range wl.watches {
		w.Stop()
	}
	wl.done = true
}

func (wl *workload) pick(options ...string) string { return options[wl.rng.IntN(len(options))] }

func (wl *workload) client() *ResourceClient {
	res := wl.s.Resource(ConfigMaps.Resource)
	if wl.rng.IntN(5) == 0 {
		res = wl.s.Resource(Pods.Resource)
	}
	c := res.Namespace(wl.pick("ns1", "ns2"))
	if wl.rng.IntN(2) == 0 {
		c = c.ThroughOtherReplica()
	}
	return c
}

// write creates the object if it is missing, and otherwise updates it (its
// labels move it in and out of "app=x") or deletes it.
func (wl *workload) write() {
	c := wl.client()
	name := wl.pick("a", "b", "c", "d")
	cur, err := c.Get(ctx, name, metav1.GetOptions{})
	switch {
	case err != nil:
		o := obj(Pods, c.ns, name, map[string]string{"app": wl.pick("x", "y")}, map[string]any{"spec": map[string]any{"n": int64(wl.rng.IntN(3))}})
		_, _ = c.Create(ctx, o, metav1.CreateOptions{})
	case wl.rng.IntN(3) > 0:
		cur.SetLabels(map[string]string{"app": wl.pick("x", "y")})
		cur.Object["spec"] = map[string]any{"n": int64(wl.rng.IntN(3))}
		_, _ = c.Update(ctx, cur, metav1.UpdateOptions{})
	default:
		_ = c.Delete(ctx, name, metav1.DeleteOptions{})
	}
}

func (wl *workload) watch() {
	rv := wl.s.ResourceVersion()
	opts := metav1.ListOptions{AllowWatchBookmarks: wl.rng.IntN(3) > 0}
	switch wl.rng.IntN(6) {
	case 0:
		opts.ResourceVersion = wl.pick("", "0")
	case 1:
		opts.ResourceVersion = fmt.Sprint(max(1, rv-int64(wl.rng.IntN(8)))) // maybe older than the window
	case 2:
		opts.ResourceVersion = fmt.Sprint(rv + int64(wl.rng.IntN(2))) // maybe ahead
	case 3:
		opts.SendInitialEvents = ptr(true)
		opts.ResourceVersionMatch = metav1.ResourceVersionMatchNotOlderThan
		opts.ResourceVersion = wl.pick("", fmt.Sprint(rv), fmt.Sprint(rv+1)) // rv+1 waits, maybe in vain
	case 4:
		opts.SendInitialEvents = ptr(wl.rng.IntN(2) == 0) // invalid without NotOlderThan
	case 5:
		opts.ResourceVersion = fmt.Sprint(rv)
		opts.LabelSelector = "app=x"
	}
	if wl.rng.IntN(2) == 0 {
		opts.TimeoutSeconds = ptr(int64(1 + wl.rng.IntN(8)))
	}
	c := wl.s.Resource(ConfigMaps.Resource)
	if wl.rng.IntN(3) > 0 {
		c = c.Namespace(wl.pick("ns1", "ns2"))
	}
	w, err := c.Watch(ctx, opts)
	if err != nil {
		return
	}
	sw := w.(*Watch)
	wl.watches = append(wl.watches, sw)
	slow := time.Duration(wl.rng.IntN(3)) * 400 * time.Millisecond
	stopAfter := 1 + wl.rng.IntN(12)
	wl.rt.Go("reader", func() { wl.read(sw, slow, stopAfter) })
}

// read takes the watch's events, slow between them, and stops it after
// stopAfter of them (unless it ends first).
func (wl *workload) read(w *Watch, slow time.Duration, stopAfter int) {
	for n := 0; ; n++ {
		if n == stopAfter {
			w.Stop()
			return
		}
		if _, ok := w.SimResultChan().Recv(); !ok {
			return
		}
		if slow > 0 {
			wl.rt.Sleep(slow)
		}
	}
}

func (wl *workload) list() {
	c := wl.s.Resource(ConfigMaps.Resource).Namespace(wl.pick("ns1", "ns2", ""))
	rv := wl.s.ResourceVersion()
	var opts metav1.ListOptions
	switch wl.rng.IntN(5) {
	case 0:
		opts.Limit = 1
	case 1:
		opts.ResourceVersion = "0"
	case 2:
		opts.ResourceVersion, opts.ResourceVersionMatch = fmt.Sprint(max(1, rv-int64(wl.rng.IntN(6)))), metav1.ResourceVersionMatchExact
	case 3:
		opts.Continue, opts.Limit = wl.cont, 1
	case 4:
		opts.ResourceVersion = fmt.Sprint(rv + 1) // waits, maybe in vain
	}
	l, err := c.List(ctx, opts)
	if err == nil && l.GetContinue() != "" {
		wl.cont = l.GetContinue()
	}
}

func (wl *workload) fault() {
	switch wl.rng.IntN(7) {
	case 0:
		wl.s.CloseWatches()
	case 1:
		wl.s.DropConnections()
	case 2:
		wl.s.ExpireNextWatch()
	case 3:
		wl.s.Compact()
	case 4:
		wl.s.Restart(time.Duration(1+wl.rng.IntN(4)) * time.Second)
	case 5, 6:
		wl.s.DelayEvents(time.Duration(wl.rng.IntN(3)) * 700 * time.Millisecond)
	}
}

// An untraced server records nothing and has no trace state; its watches
// and writes work as ever.
func TestUntracedServer(t *testing.T) {
	r := newRig(t, Options{})
	r.fill()
	_, tr := r.openWatch(metav1.ListOptions{ResourceVersion: "7"})
	r.mustCreate(r.cms("ns1"), cm("ns1", "f", nil))
	r.s.CloseWatches()
	r.settle()
	if st := r.s.TraceState(); st != nil {
		t.Errorf("an untraced server has a trace state: %+v", st)
	}
	if len(r.s.traceQ) != 0 {
		t.Errorf("an untraced server queued %d trace events", len(r.s.traceQ))
	}
	equalLines(t, "events", tr.untimed(), []string{"ADDED ns1/f@8", "CLOSED"})
}

// A recorder whose OnEvent callback calls the server does not deadlock,
// and its calls' own events come after the one being reported.
func TestTraceCallbackMayCallTheServer(t *testing.T) {
	rec := trace.NewRecorder()
	rt := sim.NewDeterministic(sim.DeterministicOptions{Seed: 1})
	t.Cleanup(rt.Shutdown)
	var s *Server
	var kinds []string
	rec.OnEvent(func(e trace.Event) {
		kinds = append(kinds, e.Kind.String())
		if s != nil && e.Kind == trace.ServerObjectWritten && e.Key == "ns1/a" {
			s.TraceState()
			s.DelayEvents(time.Second)
			o := &unstructured.Unstructured{}
			o.SetName("b")
			if _, err := s.Resource(ConfigMaps.Resource).Namespace("ns1").Create(ctx, o, metav1.CreateOptions{}); err != nil {
				t.Error(err)
			}
		}
	})
	s = NewServer(Options{Runtime: rt, Recorder: rec})
	if _, err := s.Resource(ConfigMaps.Resource).Namespace("ns1").Create(ctx, cm("ns1", "a", nil), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(kinds[4:])
	if want := "[ServerObjectWritten ServerFault ServerObjectWritten]"; got != want {
		t.Errorf("events %s, want %s", got, want)
	}
	if d := trace.Diff(trace.Fold(rec.Events()), &trace.Snapshot{Servers: map[string]*trace.ServerState{TraceComponent: s.TraceState()}}); d != "" {
		t.Error(d)
	}
}

var _ watch.Interface = (*Watch)(nil)
