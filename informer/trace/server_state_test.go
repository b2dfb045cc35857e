package trace

import (
	"strings"
	"testing"
)

// TestFoldServerEvents walks a server through writes, a watch's life, the
// faults and a restart, checking the state after each group of events.
func TestFoldServerEvents(t *testing.T) {
	const w1 = "apiserver watch 1 (configmaps)"
	const w2 = "apiserver watch 2 (configmaps)"
	req := "/api/v1/namespaces/ns1/configmaps?allowWatchBookmarks=true&labelSelector=app%3Dx&resourceVersion=2&watch=true"
	cases := []struct {
		name   string
		events []Event
		want   string // what formatServer must contain
	}{
		{"registered", []Event{
			{Kind: ServerResourceRegistered, Index: "configmaps", RV: "1"},
		}, `{rv "1" restarting false downUntil 0 expireNext false delay "" configmaps{oldest "1" objects []}}`},
		{"a write with no watch", []Event{
			{Kind: ServerObjectWritten, Index: "configmaps", Key: "ns1/a", Type: "ADDED", RV: "2", Obj: 1},
		}, `{rv "2" restarting false downUntil 0 expireNext false delay "" configmaps{oldest "1" objects [ns1/a=1]}}`},
		{"a watch opens with one event queued", []Event{
			{Kind: ServerWatchOpened, Key: w1, Index: "configmaps", Value: req, RV: "2", Until: 9e9, Count: 1},
		}, `watch{Name:` + w1 + ` Resource:configmaps Request:` + req + ` StartRV:2 Deadline:9000000000 Pending:1 Sent:0 LastSentRV: Ending:}`},
		{"a write queued on it, one trimming the window", []Event{
			{Kind: ServerObjectWritten, Index: "configmaps", Key: "ns1/b", Type: "ADDED", RV: "3", Obj: 2, Keys: []string{w1}, Value: "2"},
			{Kind: ServerObjectWritten, Index: "configmaps", Key: "ns1/a", Type: "MODIFIED", RV: "4", Obj: 3, Old: 1, Keys: []string{w1}},
		}, `configmaps{oldest "2" objects [ns1/a=3 ns1/b=2]} watch{Name:` + w1 + ` Resource:configmaps Request:` + req + ` StartRV:2 Deadline:9000000000 Pending:3 `},
		{"a bookmark queued, two events sent", []Event{
			{Kind: ServerBookmarkQueued, Key: w1, RV: "4"},
			{Kind: ServerWatchEventSent, Key: w1, Type: "ADDED", RV: "3", Obj: 2},
			{Kind: ServerWatchEventSent, Key: w1, Type: "MODIFIED", RV: "4", Obj: 3},
		}, `Pending:2 Sent:2 LastSentRV:4 Ending:}`},
		{"an ERROR has no resourceVersion", []Event{
			{Kind: ServerWatchEventSent, Key: w1, Type: "ERROR", Reason: "boom"},
		}, `Pending:1 Sent:3 LastSentRV:4 Ending:}`},
		{"informational events change nothing", []Event{
			{Kind: ServerListServed, Index: "configmaps", Value: "/api/v1/configmaps", RV: "4", Count: 2},
			{Kind: ServerWatchRefused, Index: "configmaps", Value: "/api/v1/configmaps?watch=true", Reason: "nope"},
		}, `Pending:1 Sent:3 LastSentRV:4 Ending:}`},
		{"faults set their flags", []Event{
			{Kind: ServerFault, Reason: FaultExpireNextWatch},
			{Kind: ServerFault, Reason: FaultDelayEvents, Value: "2s"},
		}, `{rv "4" restarting false downUntil 0 expireNext true delay "2s" `},
		{"a watch uses up the expiry", []Event{
			{Kind: ServerWatchOpened, Key: w2, Index: "configmaps", Value: "/api/v1/configmaps?watch=true", Count: 1, Reason: WatchEndExpireFault},
		}, `expireNext false delay "2s" configmaps{oldest "2" objects [ns1/a=3 ns1/b=2]} watch{Name:` + w1},
		{"closing drains, with a final bookmark", []Event{
			{Kind: ServerFault, Reason: FaultCloseWatches},
			{Kind: ServerWatchEnding, Key: w1, Reason: WatchEndClosed, Count: 2},
		}, `Pending:2 Sent:3 LastSentRV:4 Ending:closed} watch{Name:` + w2 + ` Resource:configmaps Request:/api/v1/configmaps?watch=true StartRV: Deadline:0 Pending:1 Sent:0 LastSentRV: Ending:expire fault}}`},
		{"a closed watch is gone", []Event{
			{Kind: ServerWatchClosed, Key: w2, Reason: WatchEndExpireFault},
		}, `Ending:closed}}`},
		{"compaction moves every window", []Event{
			{Kind: ServerResourceRegistered, Index: "pods", RV: "4"},
			{Kind: ServerObjectWritten, Index: "configmaps", Key: "ns1/b", Type: "DELETED", RV: "5", Obj: 4, Old: 2},
			{Kind: ServerFault, Reason: FaultCompact, RV: "5"},
		}, `{rv "5" restarting false downUntil 0 expireNext false delay "2s" configmaps{oldest "5" objects [ns1/a=3]} pods{oldest "5" objects []}`},
		{"a restart takes it down and drops the watch", []Event{
			{Kind: ServerFault, Reason: FaultRestart, Value: "10s", RV: "5", Until: 12e9},
			{Kind: ServerWatchEnding, Key: w1, Reason: WatchEndRestart, Count: 2},
		}, `{rv "5" restarting true downUntil 12000000000 expireNext false delay "2s" configmaps{oldest "5" objects [ns1/a=3]} pods{oldest "5" objects []} watch{Name:` + w1 + ` Resource:configmaps Request:` + req + ` StartRV:2 Deadline:9000000000 Pending:2 Sent:3 LastSentRV:4 Ending:restart}}`},
		{"writes go on through another replica; it comes back", []Event{
			{Kind: ServerWatchClosed, Key: w1, Reason: WatchEndRestart, Count: 2},
			{Kind: ServerObjectWritten, Index: "configmaps", Key: "ns1/c", Type: "ADDED", RV: "6", Obj: 5},
			{Kind: ServerBack, RV: "6"},
			{Kind: ServerFault, Reason: FaultDelayEvents},
		}, `{rv "6" restarting false downUntil 0 expireNext false delay "" configmaps{oldest "6" objects [ns1/a=3 ns1/c=5]} pods{oldest "6" objects []}}`},
	}
	var events []Event
	for _, c := range cases {
		for _, e := range c.events {
			e.Comp = "apiserver"
			events = append(events, e)
		}
		got := formatServer(Fold(events).Server("apiserver"))
		if !strings.Contains(got, c.want) {
			t.Errorf("%s:\n got %s\nwant it to contain %s", c.name, got, c.want)
		}
	}
}

func TestServerWatchReadsItsRequest(t *testing.T) {
	cases := []struct {
		request, namespace, option, value string
	}{
		{"/api/v1/namespaces/ns1/configmaps?allowWatchBookmarks=true&watch=true", "ns1", "allowWatchBookmarks", "true"},
		{"/apis/example.com/v1/widgets?labelSelector=app%3Dx&watch=true", "", "labelSelector", "app=x"},
		{"/apis/apps/v1/namespaces/prod/deployments?watch=true", "prod", "resourceVersion", ""},
		{"/api/v1/pods", "", "watch", ""},
	}
	for _, c := range cases {
		w := ServerWatch{Request: c.request}
		if got := w.Namespace(); got != c.namespace {
			t.Errorf("%s: namespace %q, want %q", c.request, got, c.namespace)
		}
		if got := w.Option(c.option); got != c.value {
			t.Errorf("%s: %s=%q, want %q", c.request, c.option, got, c.value)
		}
	}
}

func TestValidateServerEvents(t *testing.T) {
	cases := []struct {
		name string
		e    Event
		err  string // "" when valid
	}{
		{"a write", Event{Kind: ServerObjectWritten, Index: "configmaps", Key: "ns/a", Type: "ADDED", RV: "2", Obj: 1}, ""},
		{"a write of no resource", Event{Kind: ServerObjectWritten, Key: "ns/a", Type: "ADDED", Obj: 1}, "names no resource"},
		{"a write of no key", Event{Kind: ServerObjectWritten, Index: "configmaps", Type: "ADDED", Obj: 1}, "names no key"},
		{"a write of a bookmark", Event{Kind: ServerObjectWritten, Index: "configmaps", Key: "ns/a", Type: "BOOKMARK"}, `write type "BOOKMARK"`},
		{"an old object out of the table", Event{Kind: ServerObjectWritten, Index: "configmaps", Key: "ns/a", Type: "MODIFIED", Obj: 1, Old: 7}, "refers to object 7"},
		{"a sent event of no watch", Event{Kind: ServerWatchEventSent, Type: "ADDED", Obj: 1}, "names no watch"},
		{"a sent event of a bad type", Event{Kind: ServerWatchEventSent, Key: "w", Type: "Added"}, `watch event type "Added"`},
		{"a watch on no resource", Event{Kind: ServerWatchOpened, Key: "w"}, "names no resource"},
		{"a closing of no watch", Event{Kind: ServerWatchClosed, Reason: WatchEndTimeout}, "names no watch"},
		{"a nameless fault", Event{Kind: ServerFault}, "names no fault"},
		{"a list", Event{Kind: ServerListServed, Index: "configmaps", Value: "/api/v1/configmaps", RV: "3"}, ""},
	}
	for _, c := range cases {
		c.e.Comp = "apiserver"
		err := (&Trace{Objects: []Object{{Namespace: "ns", Name: "a"}}, Events: []Event{c.e}}).Validate()
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.err)
		}
	}
}

func TestServerKindsAreInTheirArea(t *testing.T) {
	for k := range serverKinds {
		if k.Area() != "server" {
			t.Errorf("%s is in area %q", k, k.Area())
		}
	}
	if (serverBase - 1).Area() != "runtime" {
		t.Errorf("the kind before the server's base is in area %q", (serverBase - 1).Area())
	}
}
