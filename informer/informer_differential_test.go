package informer

// The spec's end-to-end informer scenarios (§2.C, and a few of §2.D and of
// client-go's own informer tests), each run on our informer and on
// client-go v0.37.2's in every queue mode it applies to: the two outcomes
// must be the same, and each must be what the spec observed.

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
)

// i2Events is the spec's I2 watch: one event a second.
func i2Events() []watchStep {
	return spaced(evAdded(obj("c", "11")), evModified(obj("a", "12")), evDeleted(obj("b", "13")),
		evModified(obj("x", "14")), evDeleted(obj("y", "15")), evAdded(obj("a", "16")))
}

func withAfter(after time.Duration, e watch.Event) watchStep {
	return watchStep{after: after, event: e}
}

func infScenarios() []*infScenario {
	list10 := []listReply{{list: lwList("10", obj("a", "1"), obj("b", "2"))}}
	h1 := []infHandlerSpec{{name: "h1"}}
	internal := func(msg string) error { return apierrors.NewInternalError(fmt.Errorf("%s", msg)) }
	afterI2 := "OnAdd(a@1,true) OnAdd(b@2,true) OnAdd(c@11,false) OnUpdate(a@1->a@12) OnDelete(b@13) OnAdd(x@14,false) "
	rs1Handlers := []infHandlerSpec{
		{name: "h0", resync: resyncOf(0)},
		{name: "hdefault"},
		{name: "h1s", resync: resyncOf(time.Second)},
		{name: "h100ms", resync: resyncOf(100 * time.Millisecond)},
	}
	syncCounts := func(want ...int) func(*testing.T, string, infMode, *infOutcome) {
		return func(t *testing.T, side string, _ infMode, o *infOutcome) {
			for i, h := range o.sc.handlers {
				if got := o.syncCount(h.name); got != want[i] {
					t.Errorf("%s: %s got %d sync updates, want %d: %v", side, h.name, got, want[i], o.calls[h.name])
				}
			}
		}
	}
	scenarios := []*infScenario{
		{
			name: "I1", lists: list10, handlers: h1, duration: 2 * time.Second,
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				wantCalls(t, side, o, "h1", "OnAdd(a@1,true) OnAdd(b@2,true)")
				wantLine(t, side, o, "informer synced: true")
				wantLine(t, side, o, "h1 synced: true")
				wantLine(t, side, o, `last sync rv: "10"`)
				want := `WATCH rv="" sendInitialEvents=true rvMatch=NotOlderThan|LIST rv="0" limit=500|WATCH rv="10"`
				if got := strings.Join(o.serverCalls(), "|"); got != want {
					t.Errorf("%s: server calls %s, want %s", side, got, want)
				}
			},
		},
		{
			name: "I2", lists: list10, watches: []watchScript{{steps: i2Events()}}, handlers: h1, duration: 8 * time.Second,
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				want := afterI2 + "OnDelete(y@15) OnUpdate(a@12->a@16)"
				if mode == modeDelta { // DeltaFIFO drops the delete of y, which it never had
					want = afterI2 + "OnUpdate(a@12->a@16)"
				}
				wantCalls(t, side, o, "h1", want)
				wantLine(t, side, o, "store: [ns/a=a@16 ns/c=c@11 ns/x=x@14]")
				wantLine(t, side, o, `last sync rv: "16"`)
			},
		},
		{
			// I3, I3-DF, I3-RF-nonatomic: a 410 after I2; the relist has lost
			// x, kept a and c unchanged, and gained z.
			name:  "I3",
			lists: append(list10[:1:1], listReply{list: lwList("20", obj("a", "16"), obj("c", "11"), obj("z", "20"))}),
			watches: []watchScript{
				{steps: append(i2Events(), withAfter(time.Second, evError(expiredErr())))},
			},
			handlers: h1, duration: 10 * time.Second,
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				relist := "OnDelete(DFSU{ns/x,x@14}) OnUpdate(a@16->a@16) OnUpdate(c@11->c@11) OnAdd(z@20,false)"
				prefix := afterI2 + "OnDelete(y@15) OnUpdate(a@12->a@16) "
				if mode == modeDelta { // queue order, the tombstone last
					relist = "OnUpdate(a@16->a@16) OnUpdate(c@11->c@11) OnAdd(z@20,false) OnDelete(DFSU{ns/x,x@14})"
					prefix = afterI2 + "OnUpdate(a@12->a@16) "
				}
				wantCalls(t, side, o, "h1", prefix+relist)
				if calls := o.serverCalls(); calls[len(calls)-2] != `LIST rv="16" limit=0` {
					t.Errorf("%s: the relist was not at the last resourceVersion: %v", side, calls)
				}
			},
		},
		{
			// I4: a late handler gets the cache as initial adds, and its
			// registration syncs once it has handled them (it is slow, so
			// that it cannot have right after AddEventHandler returns).
			name:  "I4",
			lists: []listReply{{list: lwList("20", obj("a", "16"), obj("c", "11"), obj("z", "20"))}},
			handlers: []infHandlerSpec{{name: "h1"},
				{name: "h2", addAt: 1500 * time.Millisecond, sleep: 10 * time.Millisecond}},
			duration: 3 * time.Second,
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				wantCalls(t, side, o, "h2", "OnAdd(a@16,true) OnAdd(c@11,true) OnAdd(z@20,true)")
				wantLine(t, side, o, "h2 added at 1.5s: synced at once false")
				wantLine(t, side, o, "h2 synced: true")
			},
		},
		{
			// I5: a watch closed after 1.5s, and one closed after an event:
			// both re-watched at once from the last resourceVersion.
			name:  "I5",
			lists: []listReply{{list: lwList("10", obj("a", "1"))}},
			watches: []watchScript{{close: true, closeAfter: 1500 * time.Millisecond},
				{steps: instantly(evAdded(obj("b", "11"))), close: true}},
			handlers: h1, duration: 4 * time.Second,
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				want := `WATCH rv="" sendInitialEvents=true rvMatch=NotOlderThan|LIST rv="0" limit=500|WATCH rv="10"|WATCH rv="10"|WATCH rv="11"`
				if got := strings.Join(o.serverCalls(), "|"); got != want {
					t.Errorf("%s: server calls %s, want %s", side, got, want)
				}
			},
		},
		{
			// I5b: a watch closed at once with no event is a very short
			// watch: relist after a backoff, which an informer without
			// resync delivers as an update of the unchanged object.
			name:     "I5b",
			lists:    []listReply{{list: lwList("10", obj("a", "1"))}, {list: lwList("10", obj("a", "1"))}},
			watches:  []watchScript{{close: true}},
			handlers: h1, duration: 4 * time.Second,
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				wantCalls(t, side, o, "h1", "OnAdd(a@1,true) OnUpdate(a@1->a@1)")
				if got := strings.Count(strings.Join(o.serverCalls(), "|"), "LIST"); got != 2 {
					t.Errorf("%s: %d lists: %v", side, got, o.serverCalls())
				}
			},
		},
		{
			// I6: a removed handler hears nothing more.
			name:     "I6",
			lists:    []listReply{{list: lwList("20", obj("a", "16"), obj("c", "11"))}},
			watches:  []watchScript{{steps: []watchStep{withAfter(2*time.Second, evModified(obj("c", "30")))}}},
			handlers: []infHandlerSpec{{name: "h1"}, {name: "h2", removeAt: 1500 * time.Millisecond}},
			duration: 3 * time.Second,
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				wantCalls(t, side, o, "h1", "OnAdd(a@16,true) OnAdd(c@11,true) OnUpdate(c@11->c@30)")
				wantCalls(t, side, o, "h2", "OnAdd(a@16,true) OnAdd(c@11,true)")
				wantLine(t, side, o, "h2 removed at 1.5s: <nil>")
			},
		},
		{
			// I7: setters after start.
			name: "I7", lists: []listReply{{list: lwList("10", obj("a", "1"))}}, handlers: h1,
			api: map[time.Duration]infAPI{1500 * time.Millisecond: apiSetters}, duration: 2 * time.Second,
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				wantLine(t, side, o, "I7 SetTransform: informer has already started")
				wantLine(t, side, o, "I7 SetWatchErrorHandler: informer has already started")
				wantLine(t, side, o, "I7 AddIndexers: <nil>")
				wantLine(t, side, o, "I7 IndexKeys(byName, a): [ns/a] <nil>")
			},
		},
		{
			// I8: every LIST fails; the error handler hears of each attempt,
			// spaced by the growing backoff, and nothing syncs (§2.D.14).
			// 11.5s holds exactly four attempts whatever the jitter.
			name: "I8", listErr: internal("boom"), handlers: h1, duration: 11500 * time.Millisecond,
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				wantLine(t, side, o, "informer synced: false")
				wantLine(t, side, o, "h1 synced: false")
				if len(o.errAt) != 4 {
					t.Fatalf("%s: the error handler was called at %v", side, o.errAt)
				}
				wantLine(t, side, o, "watch error handler: failed to list *v1.PartialObjectMetadata: Internal error occurred: boom")
				if o.errAt[0] != 0 {
					t.Errorf("%s: first error at %v", side, o.errAt[0])
				}
				for i, lo := range []time.Duration{800 * time.Millisecond, 1600 * time.Millisecond, 3200 * time.Millisecond} {
					if gap := o.errAt[i+1] - o.errAt[i]; gap < lo || gap >= 2*lo {
						t.Errorf("%s: backoff %d lasted %v, want [%v,%v)", side, i+1, gap, lo, 2*lo)
					}
				}
			},
		},
		{
			// I9 (and TestStateSharedInformer, TestAddOnStoppedSharedInformer,
			// TestRemoveOnStoppedSharedInformer): every scenario prints these
			// after stop; here they are checked.
			name: "I9", lists: []listReply{{list: lwList("10", obj("a", "1"))}}, handlers: h1, duration: time.Second,
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				wantLine(t, side, o, "informer stopped before the end: false")
				wantLine(t, side, o, "after stop: stopped true")
				wantLine(t, side, o, "after stop: AddEventHandler: handler ... was not added to shared informer because it has stopped already")
				wantLine(t, side, o, "after stop: RemoveEventHandler: <nil>")
				wantLine(t, side, o, "after stop: AddIndexers: indexer was not added because it has stopped already")
			},
		},
		{
			// RS1: the 1s handler lowers the check period to 1s before
			// start; the 100ms one is raised to 1s.
			name: "RS1", resync: 2 * time.Second, lists: list10, handlers: rs1Handlers,
			duration: 4200 * time.Millisecond, anyOrder: []callClass{syncUpdates},
			expect: syncCounts(0, 4, 8, 8),
		},
		{
			// RS2: a Modified event that did not change the resourceVersion
			// goes only to the handlers due at the last check (2s).
			name: "RS2", resync: 2 * time.Second, lists: list10, handlers: rs1Handlers,
			watches:  []watchScript{{steps: []watchStep{withAfter(2500*time.Millisecond, evModified(obj("a", "1")))}}},
			duration: 4200 * time.Millisecond, anyOrder: []callClass{syncUpdates},
			expect: syncCounts(0, 5, 9, 9),
		},
		{
			// RS3: after a resync check neither handler is due, so neither
			// hears of the unchanged object a relist brings.
			name: "RS3", resync: time.Second,
			lists:    []listReply{{list: lwList("10", obj("a", "1"))}, {list: lwList("10", obj("a", "1"))}},
			watches:  []watchScript{{steps: []watchStep{withAfter(1500*time.Millisecond, evError(expiredErr()))}}},
			handlers: []infHandlerSpec{{name: "h0", resync: resyncOf(0)}, {name: "h30s", resync: resyncOf(30 * time.Second)}},
			duration: 5 * time.Second,
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				wantCalls(t, side, o, "h0", "OnAdd(a@1,true)")
				wantCalls(t, side, o, "h30s", "OnAdd(a@1,true)")
			},
		},
		{
			// §2.D.13: a resync check that finds nobody due queues nothing.
			name: "RS4", resync: time.Second, lists: list10, handlers: []infHandlerSpec{{name: "h0", resync: resyncOf(0)}},
			duration: 3500 * time.Millisecond,
			expect:   syncCounts(0),
		},
		{
			// S1: 3000 adds at 1s; the slow handler takes 20ms a call.
			name:     "S1",
			lists:    []listReply{{list: lwList("1")}},
			watches:  []watchScript{{steps: s1Events(3000)}},
			handlers: []infHandlerSpec{{name: "fast"}, {name: "slow", sleep: 20 * time.Millisecond}},
			probes:   []time.Duration{1510 * time.Millisecond}, duration: 2 * time.Second, noFold: true,
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				wantLine(t, side, o, "probe 1.51s: fast calls=3000")
				if side == "ours" && o.ring["fast"] != "pending=0 cap=1024" {
					t.Errorf("ours: the fast handler's ring: %s", o.ring["fast"])
				}
				// Calls at 1s, 1.02s, ... 1.5s have started; one more is
				// offered, the rest wait in a ring grown to 4096.
				wantLine(t, side, o, "probe 1.51s: slow calls=26 pending=2973")
				if side == "ours" && o.ring["slow"] != "pending=2973 cap=4096" {
					t.Errorf("ours: the slow handler's ring: %s", o.ring["slow"])
				}
			},
		},
		{
			// W1: the server serves streaming lists.
			name: "W1",
			streams: []watchScript{{steps: []watchStep{{event: evAdded(obj("b", "2"))}, {event: evAdded(obj("a", "1"))},
				{event: evEndBookmark("10")}, withAfter(time.Second, evAdded(obj("c", "11")))}}},
			handlers: h1, duration: 3 * time.Second, anyOrder: []callClass{initialAdds},
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				wantCalls(t, side, o, "h1", "OnAdd(a@1,true) OnAdd(b@2,true) OnAdd(c@11,false)")
				if got := strings.Join(o.serverCalls(), "|"); got != `WATCH rv="" sendInitialEvents=true rvMatch=NotOlderThan` {
					t.Errorf("%s: server calls %s", side, got)
				}
				wantLine(t, side, o, "informer synced: true")
				wantLine(t, side, o, `last sync rv: "11"`)
			},
		},
		{
			name: "Y2 list", lists: list10, handlers: h1, transform: true, duration: time.Second,
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				wantLine(t, side, o, "transform calls: 2")
			},
		},
		{
			// Y2 on the streaming list: the temporary store transforms, and
			// so does the queue.
			name:     "Y2 watch-list",
			streams:  []watchScript{{steps: instantly(evAdded(obj("a", "1")), evAdded(obj("b", "2")), evEndBookmark("10"))}},
			handlers: h1, transform: true, duration: time.Second, anyOrder: []callClass{initialAdds},
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				wantLine(t, side, o, "transform calls: 4")
			},
		},
		{
			// Y3: a bookmark moves the informer's resourceVersion and, through
			// the atomic queue's Bookmark delta, the store's.
			name: "Y3", lists: []listReply{{list: lwList("10", obj("a", "1"))}},
			watches:  []watchScript{{steps: []watchStep{withAfter(time.Second, evBookmark("77"))}}},
			handlers: h1, duration: 2 * time.Second,
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				wantCalls(t, side, o, "h1", "OnAdd(a@1,true)")
				wantLine(t, side, o, `last sync rv: "77"`)
				if mode == modeAtomic {
					wantLine(t, side, o, `store rv: "77"`)
				}
			},
		},
		{
			// M1: a handler modifies the object of a watch event (at 1.5s);
			// the detector's next comparison (2s) catches it. Client-go's
			// would panic; its failureFunc here stops the informer, as ours
			// stops itself.
			name:     "M1",
			lists:    []listReply{{list: lwList("10", obj("a", "1"))}},
			watches:  []watchScript{{steps: []watchStep{withAfter(1500*time.Millisecond, evAdded(obj("b", "11")))}}},
			handlers: []infHandlerSpec{{name: "mutator", mutate: true}}, detectMutations: true, racyTheirs: true,
			duration: 3 * time.Second,
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				wantLine(t, side, o, "mutation detected at 2s in *v1.PartialObjectMetadata")
				wantLine(t, side, o, "informer stopped before the end: true")
			},
		},
		{
			// G1: with WatchListClient off there is no streaming attempt,
			// even against a server that serves them.
			name: "G1", watchListOff: true, lists: []listReply{{list: lwList("10", obj("a", "1"))}},
			streams:  []watchScript{{steps: instantly(evAdded(obj("a", "1")), evEndBookmark("10"))}},
			handlers: h1, duration: time.Second,
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				if got := strings.Join(o.serverCalls(), "|"); got != `LIST rv="0" limit=500|WATCH rv="10"` {
					t.Errorf("%s: server calls %s", side, got)
				}
			},
		},
		{
			// TestSharedInformerWatchDisruption: pod3 added and pod2 bumped
			// while the watch is down; after a resync check the handler
			// without resync hears only of those two. The relist comes at
			// [2.3s,3.1s); 4.2s holds exactly one resync check after it.
			name: "WatchDisruption", resync: time.Second,
			lists: []listReply{{list: lwList("2", obj("pod1", "1"), obj("pod2", "2"))},
				{list: lwList("4", obj("pod1", "1"), obj("pod2", "4"), obj("pod3", "3"))}},
			watches:  []watchScript{{steps: []watchStep{withAfter(1500*time.Millisecond, evError(expiredErr()))}}},
			handlers: []infHandlerSpec{{name: "noResync", resync: resyncOf(0)}, {name: "resync", resync: resyncOf(time.Second)}},
			duration: 4200 * time.Millisecond, anyOrder: []callClass{syncUpdates},
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				wantCalls(t, side, o, "noResync", "OnAdd(pod1@1,true) OnAdd(pod2@2,true) OnUpdate(pod2@2->pod2@4) OnAdd(pod3@3,false)")
				for _, name := range []string{"pod1", "pod2", "pod3"} {
					if o.callCount("resync", name+"@") == 0 {
						t.Errorf("%s: the resync handler never heard of %s: %v", side, name, o.calls["resync"])
					}
				}
			},
		},
		{
			// TestEventPanics: a handler that panics on every add is called
			// for each, a second apart (client-go with ReallyCrash off).
			// Client-go never counts a panicked initial add as handled, so
			// that registration never syncs.
			name:     "EventPanics",
			lists:    []listReply{{list: lwList("10", obj("p1", "1"), obj("p2", "2"), obj("p3", "3"), obj("p4", "4"), obj("p5", "5"))}},
			handlers: []infHandlerSpec{{name: "panicky", panics: true}}, probes: []time.Duration{2500 * time.Millisecond},
			duration: 5 * time.Second,
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				wantLine(t, side, o, "probe 2.5s: panicky calls=3")
				wantCalls(t, side, o, "panicky", "OnAdd(p1@1,true) OnAdd(p2@2,true) OnAdd(p3@3,true) OnAdd(p4@4,true) OnAdd(p5@5,true)")
				wantLine(t, side, o, "panicky synced: false")
			},
		},
		{
			// TestListenerResyncPeriods: listeners with resync 0, 2s and 3s
			// on an informer checking every second.
			name: "ListenerResyncPeriods", resync: time.Second, lists: list10,
			handlers: []infHandlerSpec{{name: "l1", resync: resyncOf(0)}, {name: "l2", resync: resyncOf(2 * time.Second)},
				{name: "l3", resync: resyncOf(3 * time.Second)}},
			probes:   []time.Duration{1500 * time.Millisecond, 2500 * time.Millisecond, 3500 * time.Millisecond},
			duration: 3500 * time.Millisecond, anyOrder: []callClass{syncUpdates},
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				for _, l := range []string{
					"probe 1.5s: l1 calls=2", "probe 1.5s: l2 calls=2", "probe 1.5s: l3 calls=2",
					"probe 2.5s: l1 calls=2", "probe 2.5s: l2 calls=4", "probe 2.5s: l3 calls=2",
					"probe 3.5s: l1 calls=2", "probe 3.5s: l2 calls=4", "probe 3.5s: l3 calls=4",
				} {
					wantLine(t, side, o, l)
				}
			},
		},
		{
			// TestResetWatch: pod-1 changed and pod-2 added while the watch
			// was down; the relist after a 410 tells of both, not as
			// initial.
			name: "ResetWatch",
			lists: []listReply{{list: lwList("1", obj("pod-1", "1"))},
				{list: lwList("3", obj("pod-1", "2"), obj("pod-2", "3"))}},
			watches:  []watchScript{{steps: []watchStep{withAfter(1500*time.Millisecond, evError(expiredErr()))}}},
			handlers: h1, duration: 4 * time.Second,
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				wantCalls(t, side, o, "h1", "OnAdd(pod-1@1,true) OnUpdate(pod-1@1->pod-1@2) OnAdd(pod-2@3,false)")
			},
		},
		{
			// TestStoreResourceVersion: an update, then a delete, each
			// moves the store's resourceVersion.
			name:     "StoreResourceVersion update",
			lists:    []listReply{{list: lwList("1", obj("pod-1", "1"))}},
			watches:  []watchScript{{steps: spaced(evModified(obj("pod-1", "2")))}},
			handlers: h1, duration: 1500 * time.Millisecond,
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				if mode == modeAtomic {
					wantLine(t, side, o, `store rv: "2"`)
				}
			},
		},
		{
			name:     "StoreResourceVersion delete",
			lists:    []listReply{{list: lwList("1", obj("pod-1", "1"))}},
			watches:  []watchScript{{steps: spaced(evModified(obj("pod-1", "2")), evDeleted(obj("pod-1", "3")))}},
			handlers: h1, duration: 2500 * time.Millisecond,
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				if mode == modeAtomic {
					wantLine(t, side, o, `store rv: "3"`)
				}
			},
		},
		{
			// A watch Error event carrying a 500: the watch ends with the
			// error; the Reflector backs off and relists.
			name:     "error event 500",
			lists:    []listReply{{list: lwList("10", obj("a", "1"))}, {list: lwList("12", obj("a", "1"), obj("b", "12"))}},
			watches:  []watchScript{{steps: []watchStep{withAfter(1500*time.Millisecond, evError(apierrors.NewInternalError(fmt.Errorf("etcd"))))}}},
			handlers: h1, duration: 5 * time.Second,
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				wantCalls(t, side, o, "h1", "OnAdd(a@1,true) OnUpdate(a@1->a@1) OnAdd(b@12,false)")
			},
		},
		{
			// A 429 in the stream: the watch ends, and is retried.
			name:     "error event 429",
			lists:    []listReply{{list: lwList("10", obj("a", "1"))}, {list: lwList("12", obj("a", "1"), obj("b", "12"))}},
			watches:  []watchScript{{steps: []watchStep{withAfter(1500*time.Millisecond, evError(apierrors.NewTooManyRequests("busy", 1)))}}},
			handlers: h1, duration: 5 * time.Second,
		},
		{
			// The transform fails on a watched object: the Reflector reports
			// it and goes on; nothing reaches the queue.
			name:  "transform fails on a watch event",
			lists: []listReply{{list: lwList("10", obj("a", "1"))}},
			watches: []watchScript{{steps: spaced(evAdded(obj("bad", "11")), evAdded(obj("b", "12")),
				evModified(obj("bad", "13")), evDeleted(obj("bad", "14")))}},
			handlers: h1, transform: true, transformFails: "bad", duration: 6 * time.Second,
		},
		{
			// The transform fails on a listed object: the list cannot be
			// stored, and is retried after a backoff. An atomic queue
			// takes none of the first list; the others have queued what
			// came before the failing object, so the retry updates it.
			name:     "transform fails on a listed object",
			lists:    []listReply{{list: lwList("10", obj("a", "1"), obj("bad", "2"))}, {list: lwList("11", obj("a", "1"))}},
			handlers: h1, transform: true, transformFails: "bad", duration: 3 * time.Second,
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				want := "OnAdd(a@1,true) OnUpdate(a@1->a@1)"
				if mode == modeAtomic {
					want = "OnAdd(a@1,true)"
				}
				wantCalls(t, side, o, "h1", want)
			},
		},
		{
			// A handler added after Run but before the informer has synced
			// (the first LIST fails): it gets the initial list as initial
			// adds, and syncs with the informer.
			name:     "late handler before sync",
			lists:    []listReply{{err: apierrors.NewInternalError(fmt.Errorf("boom"))}, {list: lwList("10", obj("a", "1"), obj("b", "2"))}},
			handlers: []infHandlerSpec{{name: "h1"}, {name: "h2", addAt: 525 * time.Millisecond}},
			duration: 3 * time.Second,
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				wantCalls(t, side, o, "h2", "OnAdd(a@1,true) OnAdd(b@2,true)")
				wantLine(t, side, o, "h2 added at 525ms: synced once settled false")
				wantLine(t, side, o, "h2 synced: true")
			},
		},
	}
	// TestReplaceEvents: what a relist (after a 410 at 1.5s) tells handlers,
	// and leaves in the store, for three stores and lists.
	for _, c := range []struct {
		name          string
		initial, next *metav1.PartialObjectMetadataList
		want, wantDF  string
	}{
		{"create with no initial objects", lwList("1"), lwList("1", obj("pod-1", "1")),
			"OnAdd(pod-1@1,false)", ""},
		{"delete all objects", lwList("2", obj("pod-1", "1"), obj("pod-3", "2")), lwList("2"),
			"OnAdd(pod-1@1,true) OnAdd(pod-3@2,true) OnDelete(DFSU{ns/pod-1,pod-1@1}) OnDelete(DFSU{ns/pod-3,pod-3@2})", ""},
		{"create, update, delete", lwList("3", obj("pod-1", "1"), objLabels("pod-2", "2", map[string]string{"ver": "1"}), obj("pod-3", "3")),
			lwList("6", obj("pod-1", "4"), objLabels("pod-2", "5", map[string]string{"ver": "2"}), obj("pod-4", "6")),
			"OnAdd(pod-1@1,true) OnAdd(pod-2@2,true) OnAdd(pod-3@3,true) " +
				"OnDelete(DFSU{ns/pod-3,pod-3@3}) OnUpdate(pod-1@1->pod-1@4) OnUpdate(pod-2@2->pod-2@5) OnAdd(pod-4@6,false)",
			"OnAdd(pod-1@1,true) OnAdd(pod-2@2,true) OnAdd(pod-3@3,true) " +
				"OnUpdate(pod-1@1->pod-1@4) OnUpdate(pod-2@2->pod-2@5) OnAdd(pod-4@6,false) OnDelete(DFSU{ns/pod-3,pod-3@3})"},
	} {
		scenarios = append(scenarios, &infScenario{
			name: "ReplaceEvents " + c.name, lists: []listReply{{list: c.initial}, {list: c.next}},
			watches:  []watchScript{{steps: []watchStep{withAfter(1500*time.Millisecond, evError(expiredErr()))}}},
			handlers: h1, duration: 4 * time.Second,
			expect: func(t *testing.T, side string, mode infMode, o *infOutcome) {
				want := c.want
				if mode == modeDelta && c.wantDF != "" {
					want = c.wantDF
				}
				wantCalls(t, side, o, "h1", want)
				wantLine(t, side, o, "store: ["+storeOf(c.next)+"]")
				if mode == modeAtomic {
					wantLine(t, side, o, fmt.Sprintf("store rv: %q", c.next.ResourceVersion))
				}
			},
		})
	}
	return scenarios
}

// storeOf prints a list's objects as the store line does.
func storeOf(l *metav1.PartialObjectMetadataList) string {
	var parts []string
	for i := range l.Items {
		o := &l.Items[i]
		parts = append(parts, "ns/"+o.Name+"="+fmtObj(o))
	}
	return strings.Join(parts, " ")
}

// s1Events are n Added events, all at 1s.
func s1Events(n int) []watchStep {
	steps := make([]watchStep, n)
	for i := range steps {
		steps[i] = watchStep{event: evAdded(obj(fmt.Sprintf("o%04d", i), fmt.Sprint(i+2)))}
	}
	steps[0].after = time.Second
	return steps
}

func TestInformerDifferentialScenarios(t *testing.T) {
	for _, sc := range infScenarios() {
		runInfDifferential(t, sc)
	}
}

// randomInfScenario makes a scenario from seed: an initial list (or a
// streaming one), a watch of random events (adds, modifies and deletes of
// known and unknown objects, unchanged modifies, bookmarks), maybe a clean
// close and rewatch, maybe a 410 and a relist of the server's state, and
// handlers (fast or slow, with or without resync, added before Run or
// later, maybe removed).
//
// Everything both sides must agree on happens at distinct instants (but
// for bursts of events, in RealFIFO modes only): events at 50ms past a
// 100ms step, handler changes at 25ms past, resync checks on
// whole seconds, slow handlers' calls 10ms long and never removed. A relist
// waits a jittered backoff, which the two sides draw differently: after
// one, nothing is timed (no handler changes, no resync) and the run lasts
// until every slow handler has caught up.
func randomInfScenario(seed uint64) *infScenario {
	rng := rand.New(rand.NewPCG(seed, 77))
	sc := &infScenario{name: fmt.Sprintf("random %d", seed), seed: seed}
	server := map[string]*metav1.PartialObjectMetadata{}
	rv := 1
	nextRV := func() string { rv++; return fmt.Sprint(rv) }
	names := []string{"a", "b", "c", "d", "e"}
	for _, n := range names {
		if rng.IntN(2) == 0 {
			server[n] = obj(n, nextRV())
		}
	}
	listOf := func() *metav1.PartialObjectMetadataList {
		var objs []*metav1.PartialObjectMetadata
		for _, n := range names {
			if o := server[n]; o != nil {
				objs = append(objs, o.DeepCopy())
			}
		}
		return lwList(fmt.Sprint(rv), objs...)
	}
	streaming := rng.IntN(3) == 0
	if streaming {
		var steps []watchStep
		for _, o := range listOf().Items {
			steps = append(steps, watchStep{event: evAdded(o.DeepCopy())})
		}
		steps = append(steps, watchStep{event: evEndBookmark(fmt.Sprint(rv))})
		sc.streams = []watchScript{{steps: steps}}
		sc.anyOrder = append(sc.anyOrder, initialAdds)
	} else {
		sc.lists = append(sc.lists, listReply{list: listOf()})
	}
	event := func() watch.Event {
		n := names[rng.IntN(len(names))]
		cur := server[n]
		switch k := rng.IntN(10); {
		case k < 3:
			server[n] = obj(n, nextRV())
			return evAdded(server[n].DeepCopy())
		case k < 6:
			server[n] = obj(n, nextRV())
			return evModified(server[n].DeepCopy())
		case k < 8:
			delete(server, n)
			return evDeleted(obj(n, nextRV()))
		case k < 9 && cur != nil:
			return evModified(cur.DeepCopy()) // unchanged
		default:
			return evBookmark(nextRV())
		}
	}
	// Bursts of events in one instant: a RealFIFO pops them in batches that
	// depend on how client-go's goroutines run, which handlers must not
	// see; a DeltaFIFO would group them by key as they happen to queue.
	burst := rng.IntN(4) == 0
	if burst {
		sc.modes = []infMode{modeAtomic, modeNonAtomic}
	}
	// The first watch; each event 50ms past a 100ms step.
	at := time.Duration(0)
	var steps []watchStep
	for range 3 + rng.IntN(8) {
		pause := time.Duration(1+rng.IntN(8)) * 100 * time.Millisecond
		if len(steps) > 0 && burst && rng.IntN(2) == 0 {
			pause = 0
		}
		if len(steps) == 0 {
			pause += 50 * time.Millisecond
		}
		steps = append(steps, watchStep{after: pause, event: event()})
		at += pause
	}
	watches := []watchScript{{steps: steps}}
	relist := false
	// Handler changes and resync happen only before a relist, if any.
	var timedUntil time.Duration
	switch rng.IntN(3) {
	case 0: // a clean close, then a new watch from the last resourceVersion
		watches[0].close, watches[0].closeAfter = true, 300*time.Millisecond
		at += 300 * time.Millisecond
		var more []watchStep
		for range 1 + rng.IntN(5) {
			pause := time.Duration(1+rng.IntN(8)) * 100 * time.Millisecond
			more = append(more, watchStep{after: pause, event: event()})
			at += pause
		}
		watches = append(watches, watchScript{steps: more})
	case 1: // a 410: relist the server's state, watch on
		relist = true
		watches[0].steps = append(watches[0].steps, withAfter(200*time.Millisecond, evError(expiredErr())))
		at += 200 * time.Millisecond
		for range rng.IntN(3) { // changes while disconnected
			event()
		}
		sc.lists = append(sc.lists, listReply{list: listOf()})
		timedUntil = at
		at += 1600 * time.Millisecond // the longest first backoff
		var more []watchStep
		for range rng.IntN(5) {
			pause := time.Duration(1+rng.IntN(8)) * 100 * time.Millisecond
			more = append(more, watchStep{after: pause, event: event()})
			at += pause
		}
		watches = append(watches, watchScript{steps: more})
	}
	sc.watches = watches
	if !relist {
		timedUntil = at
	}
	if !relist {
		if r := rng.IntN(3); r > 0 {
			sc.resync = time.Duration(r) * time.Second
			sc.anyOrder = append(sc.anyOrder, syncUpdates)
		}
	}
	for i := range 1 + rng.IntN(3) {
		h := infHandlerSpec{name: fmt.Sprintf("h%d", i)}
		if rng.IntN(3) == 0 {
			h.resync = resyncOf(time.Duration(rng.IntN(3)) * time.Second)
		}
		slow := rng.IntN(3) == 0
		if slow {
			h.sleep = 10 * time.Millisecond
		}
		if i > 0 && rng.IntN(2) == 0 && timedUntil > time.Second {
			h.addAt = time.Duration(rng.IntN(int(timedUntil/(100*time.Millisecond))))*100*time.Millisecond + 25*time.Millisecond
		}
		if !slow && !relist && rng.IntN(4) == 0 {
			h.removeAt = max(h.addAt, 0) + time.Duration(1+rng.IntN(20))*100*time.Millisecond
			if h.addAt == 0 {
				h.removeAt += 25 * time.Millisecond
			}
		}
		sc.handlers = append(sc.handlers, h)
	}
	// Long enough for the last event and for slow handlers to catch up
	// (10ms per call: at most 20 events and 5 objects a resync a second).
	bound := 20 + len(names)*(2+int(at/time.Second))
	sc.duration = at + time.Second + time.Duration(bound)*10*time.Millisecond
	sc.duration = sc.duration.Truncate(100*time.Millisecond) + 75*time.Millisecond
	return sc
}

// TestInformerDifferentialRandom compares the two informers on random
// scenarios; INFORMER_RANDOM_RUNS sets how many.
func TestInformerDifferentialRandom(t *testing.T) {
	runs := 60
	if testing.Short() || raceDetector {
		runs = 15
	}
	if n, err := strconv.Atoi(os.Getenv("INFORMER_RANDOM_RUNS")); err == nil {
		runs = n
	}
	for seed := range uint64(runs) {
		runInfDifferential(t, randomInfScenario(seed))
	}
}
