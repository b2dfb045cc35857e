package trace

import (
	"strings"
	"testing"
)

// TestFoldReflectorEvents walks a reflector through a streaming list that
// falls back to LIST, a watch, a backoff and a stop.
func TestFoldReflectorEvents(t *testing.T) {
	events := []Event{
		{Kind: ListAndWatchStarted, Count: 1, Reason: PhaseWatchListing},
		{Kind: TemporaryStoreCreated, Key: "r/temporary-store"},
		{Kind: WatchRequested, RV: "", Count: 400, Initial: true, Value: "NotOlderThan"},
		{Kind: WatchOpened, RV: "", Count: 400, Initial: true, Value: "NotOlderThan"},
		{Kind: StoreAdded, Comp: "r/temporary-store", Key: "ns/a", Obj: 1, RV: "1"},
		{Kind: WatchEventReceived, Type: "ADDED", Obj: 1, RV: "1"},
	}
	check := func(want string) {
		t.Helper()
		for i := range events {
			if events[i].Comp == "" {
				events[i].Comp = "r"
			}
		}
		s := Fold(events)
		if got := formatReflector(s.Reflector("r")); !strings.Contains(got, want) {
			t.Errorf("state %s, want it to contain %s", got, want)
		}
	}
	check(`phase "watch-listing" cycle 1`)
	check(`Events:1} backoff "" until 0 temporaryStore "r/temporary-store"`)
	if items := Fold(events).Store("r/temporary-store").Items; len(items) != 1 {
		t.Errorf("temporary store %v", items)
	}
	events = append(events,
		Event{Kind: WatchEnded, Reason: WatchVeryShort},
		Event{Kind: TemporaryStoreDropped},
		Event{Kind: WatchListFallback, Reason: "very short watch"},
		Event{Kind: ListRequested, RV: "0", Count: 500},
	)
	check(`phase "listing" cycle 1 lastSyncRV "" unavailable false request {Verb:LIST ResourceVersion:0 Limit:500`)
	check(`watch - backoff "" until 0 temporaryStore ""`)
	if _, ok := Fold(events).Stores["r/temporary-store"]; ok {
		t.Errorf("the dropped temporary store is still in the snapshot")
	}
	events = append(events,
		Event{Kind: ListReturned, RV: "5", Count: 0},
		Event{Kind: LastSyncResourceVersionChanged, RV: "5"},
		Event{Kind: ResourceVersionUnavailable, Value: "true"},
		Event{Kind: BackoffStarted, Value: "1.2s", Until: 1200000000},
	)
	check(`phase "backing-off" cycle 1 lastSyncRV "5" unavailable true request - watch - backoff "1.2s" until 1200000000`)
	events = append(events, Event{Kind: ReflectorPhase, Reason: PhaseStopped})
	check(`phase "stopped" cycle 1 lastSyncRV "5" unavailable true request - watch - backoff "" until 0`)
}
