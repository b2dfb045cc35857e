package informer

// Random servers drive the Reflector through every path; at every event the
// fold of the trace must equal the Reflector, its store and its temporary
// store, and a seed must always give the same trace.

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/informerscope/informerscope/informer/trace"
)

// randomServer answers lists and watches at random, with resourceVersions
// that only grow.
type randomServer struct {
	rng *rand.Rand
	rv  int
}

func (s *randomServer) next() string {
	s.rv++
	return fmt.Sprint(s.rv)
}

func (s *randomServer) object() *metav1.PartialObjectMetadata {
	return obj(string(rune('a'+s.rng.IntN(5))), s.next())
}

func (s *randomServer) list(opts metav1.ListOptions) (runtime.Object, error) {
	switch p := s.rng.Float64(); {
	case p < 0.08:
		return nil, apierrors.NewInternalError(fmt.Errorf("boom"))
	case p < 0.14 && opts.ResourceVersion != "":
		return nil, expiredErr()
	case p < 0.17 && opts.ResourceVersion != "":
		err := apierrors.NewTimeoutError("too large resource version", 1)
		err.ErrStatus.Details.Causes = []metav1.StatusCause{{Type: metav1.CauseTypeResourceVersionTooLarge}}
		return nil, err
	case p < 0.22 && opts.Continue != "":
		return nil, expiredErr()
	}
	var items []*metav1.PartialObjectMetadata
	for range s.rng.IntN(4) {
		items = append(items, s.object())
	}
	rv := fmt.Sprint(s.rv)
	if opts.Limit > 0 && opts.Continue == "" && s.rng.IntN(3) == 0 {
		return lwPage(rv, "more", items...), nil
	}
	return lwList(rv, items...), nil
}

func (s *randomServer) event(allowWrongType bool) watch.Event {
	switch p := s.rng.Float64(); {
	case p < 0.35:
		return evAdded(s.object())
	case p < 0.6:
		return evModified(s.object())
	case p < 0.75:
		return evDeleted(s.object())
	case p < 0.85:
		return evBookmark(s.next())
	case p < 0.88:
		return evError(expiredErr())
	case p < 0.91:
		return evError(apierrors.NewInternalError(fmt.Errorf("etcd")))
	case p < 0.93:
		return evError(apierrors.NewTooManyRequests("busy", 1))
	case p < 0.96 && allowWrongType:
		u := &unstructured.Unstructured{}
		u.SetGroupVersionKind(schema.GroupVersionKind{Version: "v1", Kind: "Node"})
		u.SetName("n")
		return evAdded(u)
	}
	return watch.Event{Type: "STRANGE", Object: s.object()}
}

func (s *randomServer) watch(opts metav1.ListOptions) watchScript {
	switch p := s.rng.Float64(); {
	case p < 0.05:
		return watchScript{err: apierrors.NewTooManyRequests("busy", 1)}
	case p < 0.1:
		return watchScript{err: syscall.ECONNREFUSED}
	case p < 0.13:
		return watchScript{err: apierrors.NewGone("gone")}
	case p < 0.16 && opts.SendInitialEvents != nil:
		return watchScript{err: apierrors.NewBadRequest("no streaming")}
	}
	var script watchScript
	if opts.SendInitialEvents != nil {
		for range s.rng.IntN(4) {
			script.steps = append(script.steps, watchStep{event: evAdded(s.object())})
		}
		if s.rng.IntN(4) > 0 {
			script.steps = append(script.steps, watchStep{after: time.Duration(s.rng.IntN(3)) * time.Second, event: evEndBookmark(s.next())})
		}
	}
	for range s.rng.IntN(6) {
		script.steps = append(script.steps, watchStep{after: time.Duration(s.rng.IntN(4000)) * time.Millisecond, event: s.event(true)})
	}
	switch s.rng.IntN(3) {
	case 0:
		script.close = true
		script.closeAfter = time.Duration(s.rng.IntN(2000)) * time.Millisecond
	case 1:
		script.close = true
		if opts.TimeoutSeconds != nil {
			script.closeAfter = time.Duration(*opts.TimeoutSeconds) * time.Second
		}
	}
	return script
}

// randomRig is a rig with random options against a random server.
func randomRig(t *testing.T, seed uint64) *reflRig {
	rng := rand.New(rand.NewPCG(seed, 1))
	o := rigOptions{seed: seed, watchList: rng.IntN(2) == 0, fifo: rng.IntN(2) == 0}
	o.opts.ResyncPeriod = []time.Duration{0, 10 * time.Second, 45 * time.Second}[rng.IntN(3)]
	g := newReflRig(t, o)
	g.r.MaxInternalErrorRetryDuration = []time.Duration{0, 10 * time.Second}[rng.IntN(2)]
	g.r.WatchListPageSize = []int64{0, 0, 2}[rng.IntN(3)]
	if rng.IntN(3) == 0 {
		g.r.ShouldResync = func() bool { return rng.IntN(2) == 0 }
	}
	srv := &randomServer{rng: rng}
	g.lw.listFn, g.lw.watchFn = srv.list, srv.watch
	return g
}

// TestFoldEqualsReflectorAtEveryEvent runs random servers for ten virtual
// minutes each and checks the fold at every event (the rig does), then
// that every reflector kind was seen across the runs.
func TestFoldEqualsReflectorAtEveryEvent(t *testing.T) {
	runs := 120
	if testing.Short() {
		runs = 30
	}
	seen := map[trace.Kind]bool{}
	for seed := range uint64(runs) {
		g := randomRig(t, seed)
		g.start()
		g.runFor(10 * time.Minute)
		g.stopAndDrain()
		for _, e := range g.rec.Events() {
			seen[e.Kind] = true
		}
		checkTraceRoundTrip(t, g.rec, g.snapshot())
	}
	for _, k := range trace.Kinds() {
		if k.Area() == "reflector" && !seen[k] {
			t.Errorf("no run emitted %s", k)
		}
	}
}

// TestReflectorTraceIsDeterministic: the same seed gives the same trace,
// byte for byte.
func TestReflectorTraceIsDeterministic(t *testing.T) {
	record := func(seed uint64) []byte {
		g := randomRig(t, seed)
		g.start()
		g.runFor(5 * time.Minute)
		g.stopAndDrain()
		var buf bytes.Buffer
		if err := g.rec.Trace().Encode(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	for seed := range uint64(10) {
		if a, b := record(seed), record(seed); !bytes.Equal(a, b) {
			t.Fatalf("seed %d: two runs gave different traces (%d and %d bytes)", seed, len(a), len(b))
		}
	}
}
