package mock

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/informerscope/informerscope/informer/sim"
)

// openWatch opens a watch on ns1's configmaps and reads it.
func (r *rig) openWatch(opts metav1.ListOptions) (*Watch, *transcript) {
	r.t.Helper()
	w, err := r.cms("ns1").Watch(ctx, opts)
	if err != nil {
		r.t.Fatal(err)
	}
	return w.(*Watch), r.read(w)
}

// What a watch sends first, by resourceVersion and sendInitialEvents, as
// the real server does (see the package doc). fill made ns1/a..e at 2..6
// and ns0/z at 7; then the test updates ns1/a (8).
func TestWatchStart(t *testing.T) {
	initial := []string{"ADDED ns1/a@2", "ADDED ns1/b@3", "ADDED ns1/c@4", "ADDED ns1/d@5", "ADDED ns1/e@6"}
	for _, tc := range []struct {
		name string
		opts metav1.ListOptions
		want []string
	}{
		{"rv '' sends the current objects", metav1.ListOptions{}, append(initial, "MODIFIED ns1/a@8")},
		{"rv '' with bookmarks ends them with the initial-events-end bookmark", metav1.ListOptions{AllowWatchBookmarks: true},
			append(initial, "BOOKMARK @7 ConfigMap end", "MODIFIED ns1/a@8")},
		{"rv 0 likewise", metav1.ListOptions{ResourceVersion: "0", AllowWatchBookmarks: true},
			append(initial, "BOOKMARK @7 ConfigMap end", "MODIFIED ns1/a@8")},
		{"sendInitialEvents=false starts at now", metav1.ListOptions{ResourceVersion: "0", SendInitialEvents: ptr(false), ResourceVersionMatch: metav1.ResourceVersionMatchNotOlderThan},
			[]string{"MODIFIED ns1/a@8"}},
		{"from an rv: the events after it", metav1.ListOptions{ResourceVersion: "4"},
			[]string{"ADDED ns1/d@5", "ADDED ns1/e@6", "MODIFIED ns1/a@8"}},
		{"from an rv ahead of the server: only later events", metav1.ListOptions{ResourceVersion: "8"}, nil},
		{"streaming list", metav1.ListOptions{SendInitialEvents: ptr(true), ResourceVersionMatch: metav1.ResourceVersionMatchNotOlderThan, AllowWatchBookmarks: true},
			append(initial, "BOOKMARK @7 ConfigMap end", "MODIFIED ns1/a@8")},
		{"streaming list without bookmarks has no end bookmark", metav1.ListOptions{SendInitialEvents: ptr(true), ResourceVersionMatch: metav1.ResourceVersionMatchNotOlderThan},
			append(initial, "MODIFIED ns1/a@8")},
		{"streaming list from an old rv is from now", metav1.ListOptions{ResourceVersion: "3", SendInitialEvents: ptr(true), ResourceVersionMatch: metav1.ResourceVersionMatchNotOlderThan, AllowWatchBookmarks: true},
			append(initial, "BOOKMARK @7 ConfigMap end", "MODIFIED ns1/a@8")},
		{"a label selector", metav1.ListOptions{LabelSelector: "app=x"}, nil},
		{"a field selector", metav1.ListOptions{FieldSelector: "metadata.name=b", ResourceVersion: "0"}, []string{"ADDED ns1/b@3"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Options{})
			r.fill()
			w, tr := r.openWatch(tc.opts)
			a, _ := r.cms("ns1").Get(ctx, "a", metav1.GetOptions{})
			a.Object["data"] = map[string]any{"k": "v2"}
			r.mustUpdate(r.cms("ns1"), a)
			r.settle()
			equalLines(t, "events", tr.untimed(), tc.want)
			w.Stop()
			r.settle()
			if !tr.closed {
				t.Error("Stop did not close the result channel")
			}
			for _, g := range r.rt.Goroutines() {
				if g.State != sim.Done {
					t.Errorf("goroutine %s is %s after Stop", g.Name, g.State)
				}
			}
		})
	}
}

func TestWatchOlderThanTheWindowIsExpired(t *testing.T) {
	r := newRig(t, Options{WindowSize: 3})
	r.fill() // the window keeps 5, 6, 7
	_, tr := r.openWatch(metav1.ListOptions{ResourceVersion: "3"})
	r.settle()
	equalLines(t, "events", tr.untimed(), []string{"ERROR 410 Expired too old resource version: 3 (4)", "CLOSED"})
	_, tr = r.openWatch(metav1.ListOptions{ResourceVersion: "4"})
	r.settle()
	equalLines(t, "from the window's edge", tr.untimed(), []string{"ADDED ns1/d@5", "ADDED ns1/e@6"})
}

// An update that moves an object across a selector is seen as it entering
// or leaving, as the cacher converts it.
func TestWatchSelectorMoves(t *testing.T) {
	r := newRig(t, Options{})
	c := r.cms("ns1")
	a := r.mustCreate(c, cm("ns1", "a", map[string]string{"app": "x"}))
	_, tr := r.openWatch(metav1.ListOptions{LabelSelector: "app=x", ResourceVersion: "2"})
	a.SetLabels(map[string]string{"app": "y"})
	a = r.mustUpdate(c, a)
	a.Object["data"] = map[string]any{"k": "other"}
	a = r.mustUpdate(c, a) // outside the selection: nothing
	a.SetLabels(map[string]string{"app": "x"})
	a = r.mustUpdate(c, a)
	if err := c.Delete(ctx, "a", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	r.settle()
	equalLines(t, "events", tr.untimed(), []string{"DELETED ns1/a@3", "ADDED ns1/a@5", "DELETED ns1/a@6"})
}

// Bookmarks every interval and 2 s before the deadline; the watch ends at
// timeoutSeconds, cleanly.
func TestBookmarksAndTimeout(t *testing.T) {
	for _, tc := range []struct {
		name     string
		interval time.Duration
		timeout  int64
		want     []string
	}{
		{"the real minute: one bookmark, 2 s before the timeout", 0, 10, []string{"8s BOOKMARK @4 ConfigMap", "10s CLOSED"}},
		{"every 3 s", 3 * time.Second, 10, []string{"3s BOOKMARK @3 ConfigMap", "6s BOOKMARK @3 ConfigMap", "8s BOOKMARK @4 ConfigMap", "10s CLOSED"}},
		{"a timeout of 2 s leaves no time for one", 0, 2, []string{"2s CLOSED"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Options{BookmarkInterval: tc.interval})
			r.mustCreate(r.cms("ns1"), cm("ns1", "a", nil))
			r.mustCreate(r.cms("ns0"), cm("ns0", "z", nil)) // rv 3, another namespace
			_, tr := r.openWatch(metav1.ListOptions{ResourceVersion: "3", AllowWatchBookmarks: true, TimeoutSeconds: ptr(tc.timeout)})
			r.rt.Go("writer", func() {
				r.rt.Sleep(7 * time.Second)
				r.mustCreate(r.cms("ns0"), cm("ns0", "y", nil)) // rv 4 at 7s
			})
			r.runFor(time.Minute)
			equalLines(t, "events", tr.lines, tc.want)
		})
	}
}

// Without timeoutSeconds, the deadline is the server's: [30 min, 60 min).
func TestDefaultWatchTimeout(t *testing.T) {
	r := newRig(t, Options{})
	_, tr := r.openWatch(metav1.ListOptions{})
	r.runFor(2 * time.Hour)
	if !tr.closed || r.at() < 30*time.Minute || r.at() >= time.Hour {
		t.Errorf("closed %v at %v", tr.closed, r.at())
	}
}

// Each watch gets its own copies: a consumer that mutates an event does
// not change what others see.
func TestWatchEventsAreCopies(t *testing.T) {
	r := newRig(t, Options{})
	w1, err := r.cms("ns1").Watch(ctx, metav1.ListOptions{ResourceVersion: "1"})
	if err != nil {
		t.Fatal(err)
	}
	_, tr := r.openWatch(metav1.ListOptions{ResourceVersion: "1"})
	r.rt.Go("mutator", func() {
		ev, _ := w1.(*Watch).SimResultChan().Recv()
		ev.Object.(*unstructured.Unstructured).SetName("mutated")
	})
	r.mustCreate(r.cms("ns1"), cm("ns1", "a", nil))
	r.settle()
	equalLines(t, "events", tr.untimed(), []string{"ADDED ns1/a@2"})
	if got, _ := r.cms("ns1").Get(ctx, "a", metav1.GetOptions{}); got.GetName() != "a" {
		t.Error("the stored object changed")
	}
}

// Each watch is a named lane in the visualiser.
func TestWatchGoroutinesAreNamed(t *testing.T) {
	r := newRig(t, Options{})
	r.openWatch(metav1.ListOptions{})
	r.s.Resource(Pods.Resource).Watch(ctx, metav1.ListOptions{})
	var got []string
	for _, g := range r.rt.Goroutines() {
		if strings.HasPrefix(g.Name, "apiserver") {
			got = append(got, g.Name)
		}
	}
	equalLines(t, "lanes", got, []string{"apiserver watch 1 (configmaps)", "apiserver watch 2 (pods)"})
}
