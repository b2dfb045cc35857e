package mock

import (
	"fmt"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilnet "k8s.io/apimachinery/pkg/util/net"
)

func TestCloseWatchesEndsCleanlyWithABookmark(t *testing.T) {
	r := newRig(t, Options{})
	r.fill()
	_, withBookmarks := r.openWatch(metav1.ListOptions{ResourceVersion: "7", AllowWatchBookmarks: true})
	_, without := r.openWatch(metav1.ListOptions{ResourceVersion: "7"})
	r.settle()
	r.s.DelayEvents(time.Second)
	r.mustCreate(r.cms("ns1"), cm("ns1", "f", nil))
	r.s.CloseWatches()
	r.runFor(5 * time.Second)
	// What was sent before the close is still delivered.
	equalLines(t, "with bookmarks", withBookmarks.lines, []string{"1s ADDED ns1/f@8", "1s BOOKMARK @8 ConfigMap", "1s CLOSED"})
	equalLines(t, "without", without.lines, []string{"1s ADDED ns1/f@8", "1s CLOSED"})
}

func TestDropConnectionsLosesWhatIsInFlight(t *testing.T) {
	r := newRig(t, Options{})
	_, tr := r.openWatch(metav1.ListOptions{ResourceVersion: "1", AllowWatchBookmarks: true})
	r.settle()
	r.s.DelayEvents(time.Second)
	r.mustCreate(r.cms("ns1"), cm("ns1", "a", nil))
	r.s.DropConnections()
	r.runFor(5 * time.Second)
	equalLines(t, "events", tr.lines, []string{"0s CLOSED"})
}

func TestExpireNextWatch(t *testing.T) {
	r := newRig(t, Options{})
	r.fill()
	r.s.ExpireNextWatch()
	_, tr := r.openWatch(metav1.ListOptions{ResourceVersion: "5", AllowWatchBookmarks: true})
	_, next := r.openWatch(metav1.ListOptions{ResourceVersion: "5"})
	r.settle()
	equalLines(t, "expired", tr.untimed(), []string{"ERROR 410 Expired too old resource version: 5 (7)", "CLOSED"})
	equalLines(t, "the one after", next.untimed(), []string{"ADDED ns1/e@6"})
}

func TestCompactExpiresOldWatchesButNotOpenOnes(t *testing.T) {
	r := newRig(t, Options{})
	r.fill()
	_, open := r.openWatch(metav1.ListOptions{ResourceVersion: "7"})
	r.s.Compact()
	_, old := r.openWatch(metav1.ListOptions{ResourceVersion: "6"})
	_, fresh := r.openWatch(metav1.ListOptions{ResourceVersion: "7"})
	r.mustCreate(r.cms("ns1"), cm("ns1", "f", nil))
	r.settle()
	equalLines(t, "old", old.untimed(), []string{"ERROR 410 Expired too old resource version: 6 (7)", "CLOSED"})
	equalLines(t, "fresh", fresh.untimed(), []string{"ADDED ns1/f@8"})
	equalLines(t, "open", open.untimed(), []string{"ADDED ns1/f@8"})
}

func TestRestart(t *testing.T) {
	r := newRig(t, Options{})
	r.fill()
	_, open := r.openWatch(metav1.ListOptions{ResourceVersion: "7", AllowWatchBookmarks: true})
	r.settle()
	r.s.Restart(10 * time.Second)
	r.settle()
	equalLines(t, "the open watch", open.untimed(), []string{"CLOSED"})

	c := r.cms("ns1")
	_, listErr := c.List(ctx, metav1.ListOptions{})
	_, watchErr := c.Watch(ctx, metav1.ListOptions{ResourceVersion: "7"})
	_, createErr := c.Create(ctx, cm("ns1", "f", nil), metav1.CreateOptions{})
	for _, err := range []error{listErr, watchErr, createErr} {
		if !utilnet.IsConnectionRefused(err) {
			t.Errorf("while down: %v, want connection refused", err)
		}
	}
	want := `Get "https://127.0.0.1:6443/api/v1/namespaces/ns1/configmaps": dial tcp 127.0.0.1:6443: connect: connection refused`
	if listErr == nil || listErr.Error() != want {
		t.Errorf("the error reads %v, want %s", listErr, want)
	}

	r.sleep(10 * time.Second)
	l, err := c.List(ctx, metav1.ListOptions{})
	if err != nil || l.GetResourceVersion() != "7" || names(l) != "ns1/a ns1/b ns1/c ns1/d ns1/e" {
		t.Fatalf("after the restart: %v %v", l, err)
	}
	_, old := r.openWatch(metav1.ListOptions{ResourceVersion: "6"})
	_, current := r.openWatch(metav1.ListOptions{ResourceVersion: "7"})
	r.mustCreate(c, cm("ns1", "f", nil))
	r.settle()
	equalLines(t, "from before the restart", old.untimed(), []string{"ERROR 410 Expired too old resource version: 6 (7)", "CLOSED"})
	equalLines(t, "from the current rv", current.untimed(), []string{"ADDED ns1/f@8"})
}

// While the server is down, another replica of an HA cluster still takes
// writes: they land in the same store with the next resourceVersions, and
// the server lists them once it is back.
func TestRestartOtherReplicaWrites(t *testing.T) {
	r := newRig(t, Options{})
	r.fill()
	r.s.Restart(10 * time.Second)
	r.settle()
	c := r.cms("ns1")
	if err := c.Delete(ctx, "a", metav1.DeleteOptions{}); !utilnet.IsConnectionRefused(err) {
		t.Errorf("a delete through the server while down: %v, want connection refused", err)
	}
	other := c.ThroughOtherReplica()
	if err := other.Delete(ctx, "a", metav1.DeleteOptions{}); err != nil {
		t.Fatalf("a delete through another replica while down: %v", err)
	}
	if _, err := other.Namespace("ns1").Get(ctx, "b", metav1.GetOptions{}); err != nil {
		t.Errorf("a get through another replica while down: %v", err)
	}
	if _, err := other.List(ctx, metav1.ListOptions{}); !utilnet.IsConnectionRefused(err) {
		t.Errorf("a list goes through the server itself, which is down: %v", err)
	}
	r.sleep(10 * time.Second)
	l, err := c.List(ctx, metav1.ListOptions{})
	if err != nil || l.GetResourceVersion() != "8" || names(l) != "ns1/b ns1/c ns1/d ns1/e" {
		t.Fatalf("after the restart: rv %s, %s, %v", l.GetResourceVersion(), names(l), err)
	}
	// The new watch cache starts when the server is back, after the write
	// at 8: a watch from before it cannot be served.
	_, old := r.openWatch(metav1.ListOptions{ResourceVersion: "7"})
	_, current := r.openWatch(metav1.ListOptions{ResourceVersion: "8"})
	r.mustCreate(c, cm("ns1", "f", nil))
	r.settle()
	equalLines(t, "from before the restart", old.untimed(), []string{"ERROR 410 Expired too old resource version: 7 (8)", "CLOSED"})
	equalLines(t, "from the current rv", current.untimed(), []string{"ADDED ns1/f@9"})
}

func TestDelayEvents(t *testing.T) {
	r := newRig(t, Options{})
	_, tr := r.openWatch(metav1.ListOptions{ResourceVersion: "1"})
	r.settle()
	r.s.DelayEvents(2 * time.Second)
	r.mustCreate(r.cms("ns1"), cm("ns1", "a", nil))
	r.sleep(time.Second)
	r.s.DelayEvents(0)
	r.mustCreate(r.cms("ns1"), cm("ns1", "b", nil)) // due at once, but after a
	r.runFor(5 * time.Second)
	equalLines(t, "events", tr.lines, []string{"2s ADDED ns1/a@2", "2s ADDED ns1/b@3"})
}

// The same seed and the same calls give the same output, uids, times and
// the schedule itself.
func TestDeterministic(t *testing.T) {
	first, second := transcriptOf(t), transcriptOf(t)
	if first != second {
		t.Errorf("two runs differ:\n%s\n---\n%s", first, second)
	}
}

func transcriptOf(t *testing.T) string {
	r := newRig(t, Options{BookmarkInterval: 2 * time.Second})
	r.fill()
	var trs []*transcript
	for range 2 {
		_, tr := r.openWatch(metav1.ListOptions{ResourceVersion: "0", AllowWatchBookmarks: true, TimeoutSeconds: ptr(int64(5))})
		trs = append(trs, tr)
	}
	var uids string
	r.rt.Go("writer", func() {
		for i := range 4 {
			r.rt.Sleep(time.Second)
			o, _ := r.cms("ns1").Create(ctx, cm("ns1", string(rune('p'+i)), nil), metav1.CreateOptions{})
			uids += string(o.GetUID()) + " "
		}
		r.s.CloseWatches()
	})
	r.runFor(time.Minute)
	out := uids
	for _, tr := range trs {
		out += "\n" + tr.String()
	}
	return out + fmt.Sprintf("\n%v", r.rt.Choices())
}
