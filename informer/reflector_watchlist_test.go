package informer

// The streaming list (watch-list) protocol, ported from client-go's
// reflector_watchlist_test.go, plus the spec's W1, Y2 and fallback
// observations.

import (
	"fmt"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/informerscope/informerscope/informer/trace"
)

const watchListCall = `WATCH rv="" sendInitialEvents=true rvMatch=NotOlderThan`

func watchListRig(t *testing.T, o rigOptions) *reflRig {
	o.watchList = true
	return newReflRig(t, o)
}

// tempStoreKeys lists the temporary store's items, or "-" when there is
// none.
func (g *reflRig) tempStoreKeys() string {
	if g.r.tempStore == nil {
		return "-"
	}
	var parts []string
	for _, o := range g.r.tempStore.List() {
		parts = append(parts, fmtObj(o))
	}
	return strings.Join(parts, " ")
}

// TestWatchListW1SyncsOnTheBookmarkAndKeepsTheStream: one streaming
// request, no LIST; the bookmark hands the temporary store to the store in
// one Replace at its resourceVersion, and later events come on the same
// stream.
func TestWatchListW1SyncsOnTheBookmarkAndKeepsTheStream(t *testing.T) {
	g := watchListRig(t, rigOptions{})
	g.lw.watches = []watchScript{{steps: []watchStep{
		{event: evAdded(obj("a", "1"))}, {event: evAdded(obj("b", "2"))}, {event: evEndBookmark("10")},
		{after: time.Second, event: evAdded(obj("c", "11"))},
	}}}
	g.start()
	g.runUntil(func() bool { return g.r.LastSyncResourceVersion() == "10" })
	if got := g.storeKeys(); got != "a@1 b@2" {
		t.Errorf("store %s", got)
	}
	if g.r.tempStore != nil || g.r.traceState().Watch == nil {
		t.Errorf("after the bookmark: temporary store %v, watch %v", g.r.tempStore, g.r.traceState().Watch)
	}
	g.runUntil(func() bool { return g.r.LastSyncResourceVersion() == "11" })
	g.wantCalls(watchListCall)
	if got := g.storeKeys(); got != "a@1 b@2 c@11" {
		t.Errorf("store %s", got)
	}
	g.stopAndDrain()
}

// TestWatchListIsNotSyncedWithoutTheBookmark: events alone fill the
// temporary store only; so does a bookmark annotated other than "true".
func TestWatchListIsNotSyncedWithoutTheBookmark(t *testing.T) {
	notEnd := evEndBookmark("2")
	notEnd.Object.(*metav1.PartialObjectMetadata).Annotations[metav1.InitialEventsAnnotationKey] = "false"
	g := watchListRig(t, rigOptions{})
	g.lw.watches = []watchScript{{steps: instantly(evAdded(obj("p1", "1")), evAdded(obj("p2", "2")), notEnd)}}
	g.start()
	g.runFor(time.Second)
	g.wantCalls(watchListCall)
	if store, temp := g.storeKeys(), g.tempStoreKeys(); store != "" || temp != "p1@1 p2@2" {
		t.Errorf("store %q, temporary store %q", store, temp)
	}
	if rv := g.r.LastSyncResourceVersion(); rv != "" {
		t.Errorf("LastSyncResourceVersion %q", rv)
	}
	g.stopAndDrain()
}

// TestWatchListAppliesUpdatesAndDeletesWhileStreaming: until the bookmark,
// every event type goes to the temporary store.
func TestWatchListAppliesUpdatesAndDeletesWhileStreaming(t *testing.T) {
	g := watchListRig(t, rigOptions{})
	g.lw.watches = []watchScript{{steps: instantly(evAdded(obj("p1", "1")), evAdded(obj("p2", "2")), evModified(obj("p1", "3")),
		evAdded(obj("p3", "4")), evDeleted(obj("p3", "5")), evEndBookmark("5"))}}
	g.start()
	g.runUntil(func() bool { return g.r.LastSyncResourceVersion() == "5" })
	if got := g.storeKeys(); got != "p1@3 p2@2" {
		t.Errorf("store %s", got)
	}
	g.stopAndDrain()
}

// TestWatchListRetriesTooManyRequestsAfterBackoff: refused streaming
// requests are retried after the backoff waits, without a LIST.
func TestWatchListRetriesTooManyRequestsAfterBackoff(t *testing.T) {
	busy := apierrors.NewTooManyRequests("busy, check again later", 1)
	g := watchListRig(t, rigOptions{seed: 9})
	g.lw.watches = []watchScript{{err: busy}, {err: busy}, {steps: instantly(evAdded(obj("p1", "1")), evEndBookmark("2"))}}
	g.start()
	g.runUntil(func() bool { return g.r.LastSyncResourceVersion() == "2" })
	g.wantCalls(watchListCall, watchListCall, watchListCall)
	times := g.callTimes()
	wantWindow(t, "first retry", times[1], 800*time.Millisecond)
	wantWindow(t, "second retry", times[2]-times[1], 1600*time.Millisecond)
	g.stopAndDrain()
}

// TestWatchListReissuesAStreamClosedBeforeTheBookmark: a stream that ends
// early, with events, is requested again at once, into a new temporary
// store.
func TestWatchListReissuesAStreamClosedBeforeTheBookmark(t *testing.T) {
	g := watchListRig(t, rigOptions{})
	g.lw.watches = []watchScript{
		{steps: instantly(evAdded(obj("p1", "1")), evAdded(obj("p2", "2"))), close: true},
		{steps: instantly(evAdded(obj("p1", "1")), evEndBookmark("1"))},
	}
	g.start()
	g.runUntil(func() bool { return g.r.LastSyncResourceVersion() == "1" })
	g.wantCalls(watchListCall, watchListCall)
	if times := g.callTimes(); times[1] != 0 {
		t.Errorf("re-issued at %v, want at once", times[1])
	}
	if got := g.storeKeys(); got != "p1@1" {
		t.Errorf("store %s: the first attempt's temporary store must be dropped", got)
	}
	if created := g.eventsOf(trace.TemporaryStoreCreated); len(created) != 2 || created[0].Key != "reflector/temporary-store" {
		t.Errorf("temporary stores %+v", created)
	}
	g.stopAndDrain()
}

// TestWatchListWatchesOnAfterTheSyncedStreamCloses: once synced, a closed
// stream is followed by a plain watch from the last resourceVersion.
func TestWatchListWatchesOnAfterTheSyncedStreamCloses(t *testing.T) {
	g := watchListRig(t, rigOptions{})
	g.lw.watches = []watchScript{
		{steps: instantly(evAdded(obj("p1", "1")), evAdded(obj("p2", "2")), evEndBookmark("2"), evAdded(obj("p3", "3"))), close: true},
		{steps: instantly(evAdded(obj("p4", "4")))},
	}
	g.start()
	g.runUntil(func() bool { return g.r.LastSyncResourceVersion() == "4" })
	g.wantCalls(watchListCall, `WATCH rv="3"`)
	if got := g.storeKeys(); got != "p1@1 p2@2 p3@3 p4@4" {
		t.Errorf("store %s", got)
	}
	g.stopAndDrain()
}

// TestWatchListExpiredRewatchIsAListAndWatchError: after the sync, a plain
// re-watch refused as expired ends the cycle with that error.
func TestWatchListExpiredRewatchIsAListAndWatchError(t *testing.T) {
	g := watchListRig(t, rigOptions{})
	g.lw.watches = []watchScript{
		{steps: instantly(evAdded(obj("p1", "1")), evEndBookmark("2"), evAdded(obj("p3", "3"))), close: true},
		{err: apierrors.NewResourceExpired("rv already expired")},
	}
	g.start()
	g.runUntil(func() bool { return len(g.handled) == 1 })
	g.wantCalls(watchListCall, `WATCH rv="3"`)
	if g.handled[0] != "0s rv already expired" {
		t.Errorf("handler got %q", g.handled)
	}
	g.stopAndDrain()
}

// TestWatchListFallsBackToList: any error of the streaming request (an
// Invalid from a server that does not stream, any other error, a very short
// stream) falls back to LIST and a plain watch, in the same cycle.
func TestWatchListFallsBackToList(t *testing.T) {
	for name, script := range map[string]watchScript{
		"invalid":    {err: apierrors.NewInvalid(schema.GroupKind{}, "streaming is not allowed", nil)},
		"other":      {err: fmt.Errorf("dummy error")},
		"very short": {close: true},
	} {
		t.Run(name, func(t *testing.T) {
			g := watchListRig(t, rigOptions{})
			g.lw.lists = []listReply{{list: lwList("1", obj("p1", "1"))}}
			g.lw.watches = []watchScript{script, {steps: instantly(evAdded(obj("p2", "2")))}}
			g.start()
			g.runUntil(func() bool { return g.r.LastSyncResourceVersion() == "2" })
			g.wantCalls(watchListCall, `LIST rv="0" limit=500`, `WATCH rv="1"`)
			if got := g.storeKeys(); got != "p1@1 p2@2" {
				t.Errorf("store %s", got)
			}
			if fb := g.eventsOf(trace.WatchListFallback); len(fb) != 1 {
				t.Errorf("fallbacks %+v", fb)
			}
			g.stopAndDrain()
		})
	}
}

// TestWatchListIsTriedAgainEveryCycle encodes the spec's observation of an
// informer against a server that rejects sendInitialEvents with 400: each
// cycle tries the streaming list first, then lists.
func TestWatchListIsTriedAgainEveryCycle(t *testing.T) {
	g := watchListRig(t, rigOptions{})
	g.lw.lists = []listReply{{list: lwList("10")}, {list: lwList("20")}}
	g.lw.watchFn = func(opts metav1.ListOptions) watchScript {
		if opts.SendInitialEvents != nil {
			return watchScript{err: apierrors.NewBadRequest("sendInitialEvents is not supported")}
		}
		if opts.ResourceVersion == "10" {
			return watchScript{steps: []watchStep{{event: evAdded(obj("a", "16"))}, {after: time.Second, event: evError(expiredErr())}}}
		}
		return watchScript{}
	}
	g.start()
	g.runUntil(func() bool { return g.r.LastSyncResourceVersion() == "20" && g.calls() == 6 })
	g.wantCalls(watchListCall, `LIST rv="0" limit=500`, `WATCH rv="10"`,
		`WATCH rv="16" sendInitialEvents=true rvMatch=NotOlderThan`, `LIST rv="16" limit=0`, `WATCH rv="20"`)
	g.stopAndDrain()
}

// TestWatchListStartsOverFromScratchWhenItsRVIsExpired: a streaming
// request at an expired resourceVersion is retried at once from "".
func TestWatchListStartsOverFromScratchWhenItsRVIsExpired(t *testing.T) {
	g := watchListRig(t, rigOptions{})
	g.lw.watches = []watchScript{
		{steps: []watchStep{{event: evAdded(obj("a", "1"))}, {event: evEndBookmark("10")}, {after: time.Second, event: evError(expiredErr())}}},
		{err: expiredErr()},
		{steps: instantly(evAdded(obj("a", "1")), evEndBookmark("12"))},
	}
	g.start()
	g.runUntil(func() bool { return g.r.LastSyncResourceVersion() == "12" })
	g.wantCalls(watchListCall, `WATCH rv="10" sendInitialEvents=true rvMatch=NotOlderThan`, watchListCall)
	if times := g.callTimes(); times[2] != times[1] {
		t.Errorf("call times %v: the retry from scratch must be at once", times)
	}
	if g.r.traceState().ResourceVersionUnavailable {
		t.Errorf("the flag must clear once the streaming list synced")
	}
	g.stopAndDrain()
}

// TestWatchListTransformsTwice encodes Y2 and ports client-go's
// TestReflectorRespectStoreTransformer: the queue's transformer runs in
// the temporary store and again in the queue, then once per later event.
func TestWatchListTransformsTwice(t *testing.T) {
	for _, watchList := range []bool{false, true} {
		calls := 0
		tr := func(o any) (any, error) { calls++; return o, nil }
		g := newReflRig(t, rigOptions{fifo: true, watchList: watchList, transform: tr})
		g.lw.lists = []listReply{{list: lwList("3", obj("p1", "1"), obj("p2", "2"))}}
		g.lw.watches = []watchScript{{steps: instantly(evAdded(obj("p1", "1")), evAdded(obj("p2", "2")), evEndBookmark("3"))}}
		if !watchList {
			g.lw.watches = nil
		}
		g.start()
		g.runUntil(func() bool { return g.r.LastSyncResourceVersion() == "3" })
		if want := map[bool]int{false: 2, true: 4}[watchList]; calls != want {
			t.Errorf("watchList %v: %d transforms, want %d", watchList, calls, want)
		}
		g.stopAndDrain()
	}
}

// TestWatchListWarnsWhileTheBookmarkIsAwaited ports client-go's
// TestInitialEventsEndBookmarkTicker: every 10s, a stream with no event for
// 10s is reported.
func TestWatchListWarnsWhileTheBookmarkIsAwaited(t *testing.T) {
	g := watchListRig(t, rigOptions{})
	g.lw.watches = []watchScript{{steps: []watchStep{{after: 25 * time.Second, event: evAdded(obj("a", "1"))}}}}
	g.start()
	g.runFor(50 * time.Second)
	var got []string
	for _, e := range g.eventsOf(trace.InitialEventsEndAwaited) {
		got = append(got, fmt.Sprintf("%v %s", e.at, strings.TrimPrefix(e.Reason, "reflector: ")))
	}
	want := []string{
		"10s awaiting required bookmark event for initial events stream, no events received for 10s",
		"20s awaiting required bookmark event for initial events stream, no events received for 20s",
		"40s hasn't received required bookmark event marking the end of initial events stream, received last event 15s ago",
		"50s hasn't received required bookmark event marking the end of initial events stream, received last event 25s ago",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	g.stopAndDrain()
}
