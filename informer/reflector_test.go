package informer

// The Reflector's list and watch cycle on the deterministic runtime, with
// the spec's observed outputs of client-go v0.37.2 (E1-E7, I5, I8 and the
// backoff and timeout rules of 2.D), with the watch-list client off.

import (
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

	"github.com/informerscope/informerscope/informer/trace"
)

// wantCalls checks the List and Watch calls served so far.
func (g *reflRig) wantCalls(want ...string) {
	g.t.Helper()
	if got := g.lw.log(); !slices.Equal(got, want) {
		g.t.Fatalf("calls:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// callTimes returns when each call was served.
func (g *reflRig) callTimes() []time.Duration {
	var out []time.Duration
	for _, c := range g.lw.callsCopy() {
		out = append(out, c.at)
	}
	return out
}

// wantWindow checks that d is in the backoff window [lo, 2lo).
func wantWindow(t *testing.T, what string, d, lo time.Duration) {
	t.Helper()
	if d < lo || d >= 2*lo {
		t.Errorf("%s: %v, want in [%v, %v)", what, d, lo, 2*lo)
	}
}

// TestReflectorE1PagesTheInitialListByWatchListPageSize: with
// WatchListPageSize 2, the initial list asks at "0" for 2, then follows the
// continue tokens at "", and the watch starts at the list's resourceVersion.
func TestReflectorE1PagesTheInitialListByWatchListPageSize(t *testing.T) {
	g := newReflRig(t, rigOptions{})
	g.r.WatchListPageSize = 2
	g.lw.lists = []listReply{
		{list: lwPage("5", "2", obj("a", "1"), obj("b", "2"))},
		{list: lwPage("5", "4", obj("c", "3"), obj("d", "4"))},
		{list: lwPage("5", "", obj("e", "5"))},
	}
	g.start()
	g.runUntil(func() bool { return g.calls() == 4 })
	g.wantCalls(`LIST rv="0" limit=2`, `LIST rv="" limit=2 continue="2"`, `LIST rv="" limit=2 continue="4"`, `WATCH rv="5"`)
	if got := g.storeKeys(); got != "a@1 b@2 c@3 d@4 e@5" {
		t.Errorf("store %s", got)
	}
	w := g.lw.callsCopy()[3].opts
	if !w.AllowWatchBookmarks || w.TimeoutSeconds == nil || *w.TimeoutSeconds < 300 || *w.TimeoutSeconds > 600 {
		t.Errorf("watch options %+v: want bookmarks and a timeout in [300, 600]", w)
	}
	if rv := g.r.LastSyncResourceVersion(); rv != "5" {
		t.Errorf("LastSyncResourceVersion %q", rv)
	}
	g.stopAndDrain()
}

// TestReflectorE2RelistsFromScratchWhenTheListIsExpired: an Expired event
// ends the watch without an error; after one backoff wait the relist asks
// for the last resourceVersion unpaged, and when that is expired too, for
// "" at once.
func TestReflectorE2RelistsFromScratchWhenTheListIsExpired(t *testing.T) {
	g := newReflRig(t, rigOptions{seed: 2})
	g.lw.lists = []listReply{{list: lwList("5", obj("a", "5"))}, {err: expiredErr()}, {list: lwList("5", obj("a", "5"))}}
	g.lw.watches = []watchScript{{steps: instantly(evError(expiredErr()))}}
	g.start()
	g.runUntil(func() bool { return g.calls() == 5 })
	g.wantCalls(`LIST rv="0" limit=500`, `WATCH rv="5"`, `LIST rv="5" limit=0`, `LIST rv="" limit=0`, `WATCH rv="5"`)
	times, waits := g.callTimes(), g.backoffs()
	if len(waits) != 1 {
		t.Fatalf("backoff waits %v, want one", waits)
	}
	wantWindow(t, "relist after the expired watch", times[2], 800*time.Millisecond)
	if times[2] != waits[0] || times[3] != times[2] || times[4] != times[2] {
		t.Errorf("call times %v, want the relist exactly %v after the watch, and the rest at once", times, waits[0])
	}
	if until := time.Duration(g.eventsOf(trace.BackoffStarted)[0].Until); until != times[2] {
		t.Errorf("the backoff said it ends at %v; the relist came at %v", until, times[2])
	}
	if len(g.handled) != 0 {
		t.Errorf("the watch error handler got %v; an expired watch is not an error", g.handled)
	}
	g.stopAndDrain()
}

// TestReflectorE3RewatchesWithoutRelistWhenTheWatchIsRefused: 429 and
// connection refused on opening a watch are retried after the growing
// backoff waits, at the same resourceVersion, without listing again.
func TestReflectorE3RewatchesWithoutRelistWhenTheWatchIsRefused(t *testing.T) {
	g := newReflRig(t, rigOptions{seed: 3})
	g.lw.lists = []listReply{{list: lwList("5")}}
	g.lw.watches = []watchScript{{err: apierrors.NewTooManyRequests("slow down", 1)}, {err: syscall.ECONNREFUSED}}
	g.start()
	g.runUntil(func() bool { return g.calls() == 4 })
	g.wantCalls(`LIST rv="0" limit=500`, `WATCH rv="5"`, `WATCH rv="5"`, `WATCH rv="5"`)
	times, waits := g.callTimes(), g.backoffs()
	wantWindow(t, "first re-watch", times[2]-times[1], 800*time.Millisecond)
	wantWindow(t, "second re-watch", times[3]-times[2], 1600*time.Millisecond)
	if !slices.Equal(waits, []time.Duration{times[2] - times[1], times[3] - times[2]}) {
		t.Errorf("waits %v, call times %v", waits, times)
	}
	if len(g.handled) != 0 {
		t.Errorf("handler got %v", g.handled)
	}
	g.stopAndDrain()
}

// TestReflectorE4RelistsAtTheLastRVWhenTheWatchOpenIsGone: any other error
// opening a watch ends ListAndWatch with it, so the handler gets it; the
// relist after the backoff asks for the last resourceVersion.
func TestReflectorE4RelistsAtTheLastRVWhenTheWatchOpenIsGone(t *testing.T) {
	g := newReflRig(t, rigOptions{seed: 4})
	g.lw.lists = []listReply{{list: lwList("5")}, {list: lwList("5")}}
	g.lw.watches = []watchScript{{err: apierrors.NewGone("gone")}}
	g.start()
	g.runUntil(func() bool { return g.calls() == 4 })
	g.wantCalls(`LIST rv="0" limit=500`, `WATCH rv="5"`, `LIST rv="5" limit=0`, `WATCH rv="5"`)
	if want := []string{"0s gone"}; !slices.Equal(g.handled, want) {
		t.Errorf("handler got %q, want %q", g.handled, want)
	}
	wantWindow(t, "relist", g.callTimes()[2], 800*time.Millisecond)
	g.stopAndDrain()
}

// TestReflectorE5BookmarksMoveTheResourceVersion: a bookmark moves
// LastSyncResourceVersion and reaches a store that takes bookmarks (a
// RealFIFO queues it); a plain Store does not take them.
func TestReflectorE5BookmarksMoveTheResourceVersion(t *testing.T) {
	for _, fifo := range []bool{false, true} {
		t.Run(fmt.Sprintf("fifo=%v", fifo), func(t *testing.T) {
			g := newReflRig(t, rigOptions{fifo: fifo})
			g.lw.lists = []listReply{{list: lwList("5", obj("a", "5"))}}
			g.lw.watches = []watchScript{{steps: []watchStep{{event: evBookmark("42")}, {after: time.Second, event: evModified(obj("a", "43"))}}}}
			g.start()
			g.runUntil(func() bool { return g.r.LastSyncResourceVersion() == "42" })
			if !fifo {
				if rv := g.store.(Store).LastStoreSyncResourceVersion(); rv != "5" {
					t.Errorf("plain store rv %q after the bookmark, want 5", rv)
				}
			}
			g.runUntil(func() bool { return g.r.LastSyncResourceVersion() == "43" })
			if fifo {
				var got []string
				for _, d := range g.store.(*RealFIFO).items {
					got = append(got, fmt.Sprintf("%s(%s)", d.Type, fmtObj(d.Object)))
				}
				if want := "ReplacedAll(ReplacedAllInfo{rv=5,[a@5]}) Bookmark(BookmarkInfo{rv=42}) Updated(a@43)"; strings.Join(got, " ") != want {
					t.Errorf("queue %v, want %s", got, want)
				}
			}
			g.stopAndDrain()
		})
	}
}

// TestReflectorE6DropsObjectsOfTheWrongType: an object of another Go type
// is dropped and leaves the resourceVersion alone; so is, for an
// Unstructured expected type with a kind, an object of another kind.
func TestReflectorE6DropsObjectsOfTheWrongType(t *testing.T) {
	g := newReflRig(t, rigOptions{})
	node := &unstructured.Unstructured{}
	node.SetGroupVersionKind(schema.GroupVersionKind{Version: "v1", Kind: "Node"})
	node.SetName("n")
	node.SetResourceVersion("6")
	g.lw.lists = []listReply{{list: lwList("5")}}
	g.lw.watches = []watchScript{{steps: instantly(evAdded(node), evAdded(obj("a", "7")))}}
	g.start()
	g.runUntil(func() bool { return g.r.LastSyncResourceVersion() == "7" })
	dropped := g.eventsOf(trace.WatchEventDropped)
	if len(dropped) != 1 || !strings.Contains(dropped[0].Reason, "unexpected object type *unstructured.Unstructured") {
		t.Errorf("dropped %+v", dropped)
	}
	if got := g.storeKeys(); got != "a@7" {
		t.Errorf("store %s", got)
	}
	for _, e := range g.eventsOf(trace.LastSyncResourceVersionChanged) {
		if e.RV == "6" {
			t.Errorf("the dropped object moved the resourceVersion")
		}
	}
	g.stopAndDrain()

	pod := &unstructured.Unstructured{}
	pod.SetGroupVersionKind(schema.GroupVersionKind{Version: "v1", Kind: "Pod"})
	r := NewReflectorWithOptions(newScriptedLW(g.rt), pod, NewStore(MetaNamespaceKeyFunc), ReflectorOptions{Runtime: g.rt})
	if _, reason := r.checkEventObject(node); !strings.Contains(reason, "unexpected object gvk /v1, Kind=Node") {
		t.Errorf("a Node for a Pod reflector: %q", reason)
	}
	table := &unstructured.Unstructured{}
	table.SetGroupVersionKind(metav1.SchemeGroupVersion.WithKind("Table"))
	if !isUnsupportedTableObject(table) || isUnsupportedTableObject(node) {
		t.Errorf("isUnsupportedTableObject")
	}
}

// TestReflectorE7RelistsAfterAnInternalErrorEvent: with
// MaxInternalErrorRetryDuration 0 a 500 in the stream relists after the
// backoff; with a retry window, it re-watches at once.
func TestReflectorE7RelistsAfterAnInternalErrorEvent(t *testing.T) {
	internal := apierrors.NewInternalError(fmt.Errorf("etcdserver: no leader"))
	g := newReflRig(t, rigOptions{seed: 7})
	g.lw.lists = []listReply{{list: lwList("5")}, {list: lwList("5")}}
	g.lw.watches = []watchScript{{steps: instantly(evError(internal))}}
	g.start()
	g.runUntil(func() bool { return g.calls() == 3 })
	g.wantCalls(`LIST rv="0" limit=500`, `WATCH rv="5"`, `LIST rv="5" limit=0`)
	wantWindow(t, "relist", g.callTimes()[2], 800*time.Millisecond)
	g.stopAndDrain()

	g = newReflRig(t, rigOptions{seed: 7})
	g.r.MaxInternalErrorRetryDuration = 30 * time.Second
	g.lw.lists = []listReply{{list: lwList("5")}}
	g.lw.watches = []watchScript{{steps: instantly(evError(internal))}}
	g.start()
	g.runUntil(func() bool { return g.calls() == 3 })
	g.wantCalls(`LIST rv="0" limit=500`, `WATCH rv="5"`, `WATCH rv="5"`)
	if times := g.callTimes(); times[2] != 0 {
		t.Errorf("re-watch at %v, want at once", times[2])
	}
	g.stopAndDrain()
}

// TestReflectorRetriesInternalErrorsForTheirWindow ports client-go's
// TestRetryInternalError: watches that each end with a 500 after a second
// are re-opened while the streak is within MaxInternalErrorRetryDuration.
func TestReflectorRetriesInternalErrorsForTheirWindow(t *testing.T) {
	internal := apierrors.NewInternalError(fmt.Errorf("etcdserver: no leader"))
	for _, c := range []struct {
		window      time.Duration
		wantRetries int
	}{{0, 0}, {30 * time.Second, 31}} {
		g := newReflRig(t, rigOptions{})
		g.r.MaxInternalErrorRetryDuration = c.window
		g.lw.lists = []listReply{{list: lwList("1")}, {list: lwList("1")}}
		g.lw.watchFn = func(metav1.ListOptions) watchScript {
			return watchScript{steps: []watchStep{{after: time.Second, event: evError(internal)}}}
		}
		g.start()
		lists := func() int { return strings.Count(strings.Join(g.lw.log(), ";"), "LIST") }
		g.runUntil(func() bool { return lists() == 2 })
		if watches := g.calls() - 2; watches-1 != c.wantRetries {
			t.Errorf("window %v: %d retries, want %d", c.window, watches-1, c.wantRetries)
		}
		g.stopAndDrain()
	}
}

// TestReflectorI8ListErrorsReachTheHandlerWithGrowingBackoff: a list that
// keeps failing calls the handler with "failed to list <type>: ..." at 0,
// then after waits in [0.8,1.6), [1.6,3.2), [3.2,6.4).
func TestReflectorI8ListErrorsReachTheHandlerWithGrowingBackoff(t *testing.T) {
	g := newReflRig(t, rigOptions{seed: 8})
	g.lw.listFn = func(metav1.ListOptions) (runtime.Object, error) {
		return nil, apierrors.NewInternalError(fmt.Errorf("boom"))
	}
	g.start()
	g.runUntil(func() bool { return len(g.handled) == 4 })
	var at []time.Duration
	for i, h := range g.handled {
		d, msg, _ := strings.Cut(h, " ")
		if msg != "failed to list *v1.PartialObjectMetadata: Internal error occurred: boom" {
			t.Errorf("handler call %d: %q", i, msg)
		}
		parsed, _ := time.ParseDuration(d)
		at = append(at, parsed)
	}
	if at[0] != 0 {
		t.Errorf("first handler call at %v", at[0])
	}
	for i, lo := range []time.Duration{800 * time.Millisecond, 1600 * time.Millisecond, 3200 * time.Millisecond} {
		wantWindow(t, fmt.Sprintf("gap %d", i+1), at[i+1]-at[i], lo)
	}
	if synced := g.eventsOf(trace.LastSyncResourceVersionChanged); len(synced) != 0 {
		t.Errorf("a failing list synced: %v", synced)
	}
	g.stopAndDrain()
}

// TestReflectorBackoffGrowsToItsCapAndStartsOverAfterTwoMinutes follows
// 2.D.11 for 15 virtual minutes of failing lists: waits in [0.8,1.6),
// [1.6,3.2), ... up to [30,60), starting over at the first wait taken more
// than two minutes after the progression (re)started.
func TestReflectorBackoffGrowsToItsCapAndStartsOverAfterTwoMinutes(t *testing.T) {
	g := newReflRig(t, rigOptions{seed: 11})
	g.lw.listFn = func(metav1.ListOptions) (runtime.Object, error) { return nil, fmt.Errorf("down") }
	g.start()
	g.runFor(15 * time.Minute)
	var lastStart time.Duration
	base := 800 * time.Millisecond
	restarts := 0
	for i, e := range g.eventsOf(trace.BackoffStarted) {
		restart := e.at-lastStart > 2*time.Minute
		if e.Initial != restart {
			t.Fatalf("wait %d at %v: restarted %v, want %v (last start %v)", i, e.at, e.Initial, restart, lastStart)
		}
		if restart {
			lastStart, base = e.at, 800*time.Millisecond
			restarts++
		}
		d, _ := time.ParseDuration(e.Value)
		wantWindow(t, fmt.Sprintf("wait %d at %v", i, e.at), d, base)
		base = min(2*base, 30*time.Second)
	}
	if restarts < 3 {
		t.Errorf("%d restarts in 15 minutes", restarts)
	}
	g.stopAndDrain()
}

// TestReflectorWatchTimeoutsAreRandomInTheirWindow: each watch asks for a
// timeout in [300, 600] s; a MinWatchTimeout of 10 minutes makes it [600,
// 1200]; one below 5 minutes is not honoured.
func TestReflectorWatchTimeoutsAreRandomInTheirWindow(t *testing.T) {
	for _, c := range []struct {
		min    time.Duration
		lo, hi int64
	}{{0, 300, 600}, {time.Second, 300, 600}, {10 * time.Minute, 600, 1200}} {
		g := newReflRig(t, rigOptions{seed: 12, opts: ReflectorOptions{MinWatchTimeout: c.min}})
		g.lw.lists = []listReply{{list: lwList("5")}}
		g.lw.watchFn = func(metav1.ListOptions) watchScript {
			return watchScript{steps: instantly(evBookmark("5")), close: true}
		}
		g.start()
		g.runUntil(func() bool { return g.calls() == 60 })
		lo, hi := int64(1<<62), int64(0)
		for _, call := range g.lw.callsCopy()[1:] {
			s := *call.opts.TimeoutSeconds
			lo, hi = min(lo, s), max(hi, s)
		}
		if lo < c.lo || hi > c.hi || hi-lo < (c.hi-c.lo)/2 {
			t.Errorf("MinWatchTimeout %v: timeouts in [%d, %d], want spread over [%d, %d]", c.min, lo, hi, c.lo, c.hi)
		}
		g.stopAndDrain()
	}
}

// TestReflectorI5RewatchesAfterACleanClose: a watch the server closes after
// a second, or after an event, is re-opened at once from the last
// resourceVersion, without a list.
func TestReflectorI5RewatchesAfterACleanClose(t *testing.T) {
	g := newReflRig(t, rigOptions{})
	g.lw.lists = []listReply{{list: lwList("5")}}
	g.lw.watches = []watchScript{
		{close: true, closeAfter: time.Second},
		{steps: instantly(evAdded(obj("a", "6"))), close: true},
	}
	g.start()
	g.runUntil(func() bool { return g.calls() == 4 })
	g.wantCalls(`LIST rv="0" limit=500`, `WATCH rv="5"`, `WATCH rv="5"`, `WATCH rv="6"`)
	if times := g.callTimes(); times[2] != time.Second || times[3] != time.Second {
		t.Errorf("call times %v", times)
	}
	g.stopAndDrain()
}

// TestReflectorI5bRelistsAfterAVeryShortWatch: a watch closed within a
// second with no event is a VeryShortWatchError: relist after the backoff.
func TestReflectorI5bRelistsAfterAVeryShortWatch(t *testing.T) {
	g := newReflRig(t, rigOptions{})
	g.lw.lists = []listReply{{list: lwList("5")}, {list: lwList("5")}}
	g.lw.watches = []watchScript{{close: true, closeAfter: 999 * time.Millisecond}}
	g.start()
	g.runUntil(func() bool { return g.calls() == 3 })
	g.wantCalls(`LIST rv="0" limit=500`, `WATCH rv="5"`, `LIST rv="5" limit=0`)
	ended := g.eventsOf(trace.WatchEnded)
	if len(ended) != 1 || ended[0].Reason != trace.WatchVeryShort || !strings.HasPrefix(ended[0].Value, "very short watch: reflector:") {
		t.Errorf("watch ended %+v", ended)
	}
	if relist := g.eventsOf(trace.RelistNeeded); len(relist) != 1 {
		t.Errorf("relists %+v", relist)
	}
	g.stopAndDrain()
}

// TestReflectorWatchHandlerMapsEventsToStoreCalls ports client-go's
// TestReflectorWatchHandler: Added, Modified, Deleted reach the store, a
// wrong type does not, and the last event's resourceVersion is recorded.
func TestReflectorWatchHandlerMapsEventsToStoreCalls(t *testing.T) {
	g := newReflRig(t, rigOptions{})
	service := &unstructured.Unstructured{}
	service.SetName("rejected")
	g.lw.lists = []listReply{{list: lwList("10", obj("foo", "1"), obj("bar", "2"))}}
	g.lw.watches = []watchScript{{steps: instantly(evAdded(service), evDeleted(obj("foo", "")),
		evModified(obj("bar", "55")), evAdded(obj("baz", "32")))}}
	g.start()
	g.runUntil(func() bool { return g.r.LastSyncResourceVersion() == "32" })
	if got := g.storeKeys(); got != "bar@55 baz@32" {
		t.Errorf("store %s", got)
	}
	g.stopAndDrain()
}

// TestReflectorHoldsBackTheRVOfInitialAddsOfAWatchFromScratch: a watch
// opened at "" (or "0") starts with synthetic Adds out of resourceVersion
// order, so their resourceVersions are recorded only after a later event
// of another type.
func TestReflectorHoldsBackTheRVOfInitialAddsOfAWatchFromScratch(t *testing.T) {
	g := newReflRig(t, rigOptions{})
	g.lw.lists = []listReply{{list: lwList("")}}
	g.lw.watches = []watchScript{{steps: []watchStep{
		{event: evAdded(obj("b", "4"))}, {event: evAdded(obj("a", "3"))},
		{after: time.Second, event: evModified(obj("a", "5"))},
		{after: time.Second, event: evAdded(obj("c", "6"))},
	}}}
	g.start()
	g.runFor(1500 * time.Millisecond)
	g.wantCalls(`LIST rv="0" limit=500`, `WATCH rv=""`)
	if rv := g.r.LastSyncResourceVersion(); rv != "5" {
		t.Errorf("after the initial adds and a modify: %q, want 5", rv)
	}
	if changes := g.eventsOf(trace.LastSyncResourceVersionChanged); len(changes) != 1 {
		t.Errorf("changes %+v: the adds must not move the resourceVersion", changes)
	}
	g.runFor(time.Second)
	if rv := g.r.LastSyncResourceVersion(); rv != "6" {
		t.Errorf("after the next add: %q", rv)
	}
	g.stopAndDrain()
}

// rvRecordingStore is a Store that is also a ResourceVersionUpdater.
type rvRecordingStore struct {
	Store
	rvs []string
}

func (s *rvRecordingStore) UpdateResourceVersion(rv string) { s.rvs = append(s.rvs, rv) }

// TestReflectorTellsResourceVersionUpdaters ports client-go's
// TestReflectorResourceVersionUpdate: every watch event's resourceVersion,
// bookmarks included, and not the list's.
func TestReflectorTellsResourceVersionUpdaters(t *testing.T) {
	g := newReflRig(t, rigOptions{})
	s := &rvRecordingStore{Store: g.store.(Store)}
	g.r.store = s
	g.lw.lists = []listReply{{list: lwList("10")}}
	g.lw.watches = []watchScript{{steps: instantly(evAdded(obj("p", "10")), evModified(obj("p", "20")),
		evBookmark("30"), evDeleted(obj("p", "40")))}}
	g.start()
	g.runUntil(func() bool { return g.r.LastSyncResourceVersion() == "40" })
	if want := []string{"10", "20", "30", "40"}; !slices.Equal(s.rvs, want) {
		t.Errorf("updates %v, want %v", s.rvs, want)
	}
	g.stopAndDrain()
}
