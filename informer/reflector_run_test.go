package informer

// The Reflector's run loop: retries without relisting, resync, custom
// backoff, stopping, and what ListAndWatch returns.

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// TestReflectorBacksOffOnTooManyRequests ports client-go's
// TestBackoffOnTooManyRequests and TestNoRelistOnTooManyRequests: a 429
// opening the watch, and one in the stream, each cost one backoff wait and
// no relist.
func TestReflectorBacksOffOnTooManyRequests(t *testing.T) {
	tooMany := apierrors.NewTooManyRequests("too many requests", 1)
	g := newReflRig(t, rigOptions{})
	g.lw.lists = []listReply{{list: lwList("1")}}
	g.lw.watches = []watchScript{{err: tooMany}, {steps: instantly(evError(tooMany))}}
	g.start()
	g.runUntil(func() bool { return g.calls() == 4 })
	g.wantCalls(`LIST rv="0" limit=500`, `WATCH rv="1"`, `WATCH rv="1"`, `WATCH rv="1"`)
	if n := len(g.backoffs()); n != 2 {
		t.Errorf("%d backoff waits, want 2", n)
	}
	g.stopAndDrain()

	g = newReflRig(t, rigOptions{})
	g.lw.lists = []listReply{{list: lwList("1")}}
	g.lw.watches = []watchScript{{err: tooMany}, {err: tooMany}, {err: tooMany}, {err: tooMany}}
	g.start()
	g.runUntil(func() bool { return g.calls() == 6 })
	if lists := len(g.listCalls()); lists != 1 {
		t.Errorf("%d lists, want 1", lists)
	}
	g.stopAndDrain()
}

// TestReflectorCustomBackoffTimesTheRetries ports client-go's
// TestNewReflectorWithCustomBackoff: 10ms doubling to a 100ms cap, no
// jitter, gives retries at exactly 10, 30, 70, 150 and 250ms.
func TestReflectorCustomBackoffTimesTheRetries(t *testing.T) {
	b := &Backoff{Duration: 10 * time.Millisecond, Factor: 2, Steps: 100, Cap: 100 * time.Millisecond}
	g := newReflRig(t, rigOptions{opts: ReflectorOptions{Backoff: b}})
	g.lw.lists = []listReply{{list: lwList("1")}}
	for range 5 {
		g.lw.watches = append(g.lw.watches, watchScript{err: syscall.ECONNREFUSED})
	}
	g.start()
	g.runUntil(func() bool { return g.calls() == 7 })
	want := []time.Duration{0, 0, 10, 30, 70, 150, 250}
	for i := range want {
		want[i] *= time.Millisecond
	}
	if got := g.callTimes(); !slices.Equal(got, want) {
		t.Errorf("call times %v, want %v", got, want)
	}
	g.stopAndDrain()
}

// TestBackoffStepsLikeWaitBackoff checks the steps of a Backoff without
// jitter against k8s.io/apimachinery's: growth, the cap, Steps running out,
// and a zero Factor.
func TestBackoffStepsLikeWaitBackoff(t *testing.T) {
	rt := sim.NewDeterministic(sim.DeterministicOptions{})
	for _, c := range []struct {
		b    Backoff
		want string
	}{
		{Backoff{Duration: time.Second, Factor: 2, Steps: 10, Cap: 5 * time.Second}, "1s 2s 4s 5s 5s"},
		{Backoff{Duration: time.Second, Factor: 3, Steps: 2}, "1s 3s 9s 9s 9s"},
		{Backoff{Duration: time.Second, Steps: 3}, "1s 1s 1s 1s 1s"},
	} {
		b := c.b
		var got []string
		for range 5 {
			got = append(got, b.step(rt).String())
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%+v: %v, want %s", c.b, got, c.want)
		}
	}
	m := newBackoffManager(rt, Backoff{Duration: time.Second, Factor: 2, Steps: 5}, 0)
	for range 3 {
		if d, _ := m.next(); d != time.Second {
			t.Errorf("a zero reset interval must keep the wait constant, got %v", d)
		}
	}
}

// TestRetryWithDeadlineRetriesWithinTheStreak ports client-go's
// TestRetryWithDeadline.
func TestRetryWithDeadlineRetriesWithinTheStreak(t *testing.T) {
	clock := &fakeClock{t: time.Unix(0, 0)}
	internal := apierrors.NewInternalError(fmt.Errorf("x"))
	r := NewRetryWithDeadline(time.Minute, 30*time.Second, apierrors.IsInternalError, clock)
	steps := []struct {
		advance time.Duration
		err     error
		want    bool
	}{
		{0, internal, true},
		{20 * time.Second, internal, true},
		{20 * time.Second, internal, true},
		{25 * time.Second, internal, false}, // 65s since the streak began
		{40 * time.Second, internal, true},  // a pause of 40s began a new streak
		{10 * time.Second, fmt.Errorf("other"), true},
	}
	for i, s := range steps {
		clock.t = clock.t.Add(s.advance)
		r.After(s.err)
		if got := r.ShouldRetry(); got != s.want {
			t.Errorf("step %d: ShouldRetry %v, want %v", i, got, s.want)
		}
	}
	if NewRetryWithDeadline(0, time.Minute, apierrors.IsInternalError, clock).ShouldRetry() {
		t.Errorf("a zero duration retries")
	}
}

type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time { return c.t }

// resyncRecordingStore records the times of Resync calls and fails the
// failAt-th.
type resyncRecordingStore struct {
	Store
	rt     sim.Runtime
	at     []time.Duration
	failAt int
}

func (s *resyncRecordingStore) Resync() error {
	s.at = append(s.at, s.rt.Since(sim.Epoch))
	if len(s.at) == s.failAt {
		return errors.New("expected resync reached")
	}
	return nil
}

// TestReflectorResyncEndsTheWatchOnError: the store resyncs every period
// while the reflector watches; a failed Resync ends the watch, and the
// relist restarts the resync clock.
func TestReflectorResyncEndsTheWatchOnError(t *testing.T) {
	g := newReflRig(t, rigOptions{seed: 5, opts: ReflectorOptions{ResyncPeriod: 30 * time.Second}})
	s := &resyncRecordingStore{Store: g.store.(Store), rt: g.rt, failAt: 2}
	g.r.store = s
	g.lw.lists = []listReply{{list: lwList("5")}, {list: lwList("5")}}
	g.start()
	g.runUntil(func() bool { return len(s.at) == 3 })
	relist := g.callTimes()[2]
	wantWindow(t, "relist after the failed resync", relist-60*time.Second, 800*time.Millisecond)
	if want := []time.Duration{30 * time.Second, 60 * time.Second, relist + 30*time.Second}; !slices.Equal(s.at, want) {
		t.Errorf("resyncs at %v, want %v", s.at, want)
	}
	ended := g.eventsOf(trace.WatchEnded)
	if len(ended) != 1 || ended[0].Reason != trace.WatchError || ended[0].Value != "resync failed: expected resync reached" {
		t.Errorf("watch ended %+v", ended)
	}
	if len(g.handled) != 0 {
		t.Errorf("handler got %v: a resync failure is not a ListAndWatch error", g.handled)
	}
	g.stopAndDrain()
}

// TestReflectorResyncAsksShouldResync: when ShouldResync says no, the
// store is not told to resync.
func TestReflectorResyncAsksShouldResync(t *testing.T) {
	g := newReflRig(t, rigOptions{opts: ReflectorOptions{ResyncPeriod: time.Second}})
	s := &resyncRecordingStore{Store: g.store.(Store), rt: g.rt}
	g.r.store = s
	asked := 0
	g.r.ShouldResync = func() bool { asked++; return asked%2 == 0 }
	g.lw.lists = []listReply{{list: lwList("5")}}
	g.start()
	g.runUntil(func() bool { return asked == 4 })
	if want := []time.Duration{2 * time.Second, 4 * time.Second}; !slices.Equal(s.at, want) {
		t.Errorf("resynced at %v, want %v", s.at, want)
	}
	if skipped := g.eventsOf(trace.ResyncTriggered); len(skipped) != 4 || skipped[0].Reason == "" || skipped[1].Reason != "" {
		t.Errorf("resync events %+v", skipped)
	}
	g.stopAndDrain()
}

// TestReflectorStopsAndLeavesNoGoroutine closes stop in each phase: the
// loop returns at once (a list in flight is abandoned and its result
// dropped), every goroutine returns, and no timer stays armed.
func TestReflectorStopsAndLeavesNoGoroutine(t *testing.T) {
	cases := []struct {
		name  string
		setup func(g *reflRig)
		until func(g *reflRig) bool
	}{
		{"listing", func(g *reflRig) {
			g.lw.listFn = func(metav1.ListOptions) (runtime.Object, error) {
				g.rt.Sleep(10 * time.Second)
				return lwList("5", obj("a", "1")), nil
			}
		}, func(g *reflRig) bool { return g.r.traceState().Request != nil }},
		{"watching with resync", func(g *reflRig) {
			g.r.resyncPeriod = time.Minute
			g.lw.lists = []listReply{{list: lwList("5")}}
		}, func(g *reflRig) bool { return g.r.traceState().Watch != nil }},
		{"backing off", func(g *reflRig) {
			g.lw.lists = []listReply{{err: errors.New("down")}}
		}, func(g *reflRig) bool { return g.r.traceState().Phase == trace.PhaseBackingOff }},
		{"watch-listing", func(g *reflRig) {
			g.r.useWatchList = true
			g.lw.watches = []watchScript{{steps: instantly(evAdded(obj("a", "1")))}}
		}, func(g *reflRig) bool { return g.at() >= 25*time.Second }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := newReflRig(t, rigOptions{})
			c.setup(g)
			g.start()
			g.runUntil(func() bool { return c.until(g) })
			stoppedAt := g.at()
			g.stopAndDrain()
			if c.name != "listing" && g.at() != stoppedAt {
				t.Errorf("stopping took virtual time: %v -> %v", stoppedAt, g.at())
			}
			phases := g.eventsOf(trace.ReflectorPhase)
			if last := phases[len(phases)-1]; last.Reason != trace.PhaseStopped || last.at != stoppedAt {
				t.Errorf("last phase %+v, want stopped at %v", last, stoppedAt)
			}
			if c.name == "listing" && len(g.store.(Store).List()) != 0 {
				t.Errorf("the abandoned list reached the store")
			}
		})
	}
}

// TestReflectorListAndWatchReturnsListAndWatchOpenErrors ports client-go's
// TestReflectorListAndWatchWithErrors: a list error and an error opening
// the watch are returned (wrapped, for the list); a stop returns nil.
func TestReflectorListAndWatchReturnsListAndWatchOpenErrors(t *testing.T) {
	listErr, watchErr := errors.New("a list error"), errors.New("a watch error")
	for _, c := range []struct {
		list    listReply
		watch   watchScript
		wantErr error
	}{
		{list: listReply{err: listErr}, wantErr: listErr},
		{list: listReply{list: lwList("5")}, watch: watchScript{err: watchErr}, wantErr: watchErr},
		{list: listReply{list: lwList("5")}},
	} {
		g := newReflRig(t, rigOptions{})
		g.lw.lists = []listReply{c.list}
		g.lw.watches = []watchScript{c.watch}
		var got error
		returned := false
		g.rt.Go("ListAndWatch", func() {
			got = g.r.listAndWatch(g.stop)
			returned = true
		})
		g.runFor(time.Second)
		if !returned {
			g.stop.Close()
			g.runFor(time.Second)
		}
		if c.wantErr == nil && got != nil || c.wantErr != nil && !errors.Is(got, c.wantErr) {
			t.Errorf("ListAndWatch returned %v, want %v", got, c.wantErr)
		}
		if c.wantErr == listErr && got.Error() != "failed to list *v1.PartialObjectMetadata: a list error" {
			t.Errorf("list error %q", got)
		}
	}
}

// TestNewReflectorDecidesOnWatchListFromOptionAndClient ports client-go's
// TestNewReflectorWithDisablementWatchList: streaming lists are used when
// the option allows and the ListerWatcher does not refuse them.
func TestNewReflectorDecidesOnWatchListFromOptionAndClient(t *testing.T) {
	for _, c := range []struct {
		option      *bool
		unsupported bool
		want        bool
	}{
		{nil, false, true}, {ptrTo(true), false, true}, {ptrTo(false), false, false},
		{nil, true, false}, {ptrTo(true), true, false},
	} {
		var lw ListerWatcher = newScriptedLW(sim.Native())
		if c.unsupported {
			lw = watchListUnsupported{lw.(*scriptedLW)}
		}
		r := NewReflectorWithOptions(lw, struct{}{}, NewStore(MetaNamespaceKeyFunc), ReflectorOptions{UseWatchListClient: c.option})
		if r.useWatchList != c.want {
			t.Errorf("option %v, unsupported %v: useWatchList %v, want %v", fmtPtr(c.option), c.unsupported, r.useWatchList, c.want)
		}
	}
	wrapped := ToListWatcherWithWatchListSemantics(&ListWatch{ListFunc: func(metav1.ListOptions) (runtime.Object, error) { return nil, nil },
		WatchFunc: nil}, watchListUnsupported{})
	if r := NewReflector(wrapped, nil, NewStore(MetaNamespaceKeyFunc), 0); r.useWatchList {
		t.Errorf("a ListWatch wrapped with an unsupporting client still streams")
	}
}

func ptrTo[T any](v T) *T { return &v }

func fmtPtr(b *bool) string {
	if b == nil {
		return "nil"
	}
	return fmt.Sprint(*b)
}

// TestReflectorDescribesItsType ports client-go's
// TestGetTypeDescriptionFromObject and TestGetExpectedGVKFromObject, and
// checks the default name.
func TestReflectorDescribesItsType(t *testing.T) {
	withGVK := &unstructured.Unstructured{}
	gvk := schema.GroupVersionKind{Group: "mygroup", Version: "v1", Kind: "MyKind"}
	withGVK.SetGroupVersionKind(gvk)
	for _, c := range []struct {
		in      any
		desc    string
		wantGVK bool
	}{
		{nil, "<unspecified>", false},
		{&metav1.PartialObjectMetadata{}, "*v1.PartialObjectMetadata", false},
		{&unstructured.Unstructured{}, "*unstructured.Unstructured", false},
		{withGVK, gvk.String(), true},
	} {
		if got := getTypeDescriptionFromObject(c.in); got != c.desc {
			t.Errorf("%T: description %q, want %q", c.in, got, c.desc)
		}
		if got := getExpectedGVKFromObject(c.in); (got != nil) != c.wantGVK || got != nil && *got != gvk {
			t.Errorf("%T: gvk %v", c.in, got)
		}
	}
	r := NewReflector(newScriptedLW(sim.Native()), nil, NewStore(MetaNamespaceKeyFunc), 0)
	if !strings.HasPrefix(r.Name(), "informer/reflector_run_test.go:") || r.TypeDescription() != "<unspecified>" {
		t.Errorf("name %q, type %q", r.Name(), r.TypeDescription())
	}
	if r := NewNamedReflector("mine", newScriptedLW(sim.Native()), nil, NewStore(MetaNamespaceKeyFunc), 0); r.Name() != "mine" {
		t.Errorf("name %q", r.Name())
	}
	indexer, r := NewNamespaceKeyedIndexerAndReflector(newScriptedLW(sim.Native()), &metav1.PartialObjectMetadata{}, 0)
	if r.store != indexer || len(indexer.GetIndexers()) != 1 {
		t.Errorf("NewNamespaceKeyedIndexerAndReflector")
	}
}
