package mock

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/tools/cache"

	"github.com/informerscope/informerscope/informer/sim"
)

// Under the native runtime, ResultChan is a plain channel that Stop
// closes.
func TestNativeResultChan(t *testing.T) {
	s := NewServer(Options{})
	c := s.Resource(ConfigMaps.Resource).Namespace("ns")
	w, err := c.Watch(context.Background(), metav1.ListOptions{ResourceVersion: "1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Create(context.Background(), cm("ns", "a", nil), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-w.ResultChan():
		if got := describe(ev); got != "ADDED ns/a@2" {
			t.Errorf("got %s", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no event")
	}
	w.Stop()
	select {
	case _, ok := <-w.ResultChan():
		if ok {
			t.Error("an event after Stop")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ResultChan not closed after Stop")
	}
}

func TestNativeTimeoutClosesResultChan(t *testing.T) {
	s := NewServer(Options{})
	w, err := s.Resource(ConfigMaps.Resource).Watch(context.Background(), metav1.ListOptions{TimeoutSeconds: ptr(int64(1)), AllowWatchBookmarks: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for ev := range w.ResultChan() {
		got = append(got, describe(ev))
	}
	equalLines(t, "events", got, []string{"BOOKMARK @1 ConfigMap end"})
}

// client-go's own informer, v0.37.2 with its default streaming lists, keeps
// its store equal to the server through writes and faults.
func TestClientGoInformerAgainstTheMock(t *testing.T) {
	s := NewServer(Options{Runtime: sim.Native(), BookmarkInterval: 100 * time.Millisecond})
	c := s.Resource(ConfigMaps.Resource).Namespace("ns")
	bg := context.Background()
	for i := range 3 {
		if _, err := c.Create(bg, cm("ns", fmt.Sprintf("pre-%d", i), nil), metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	inf := cache.NewSharedIndexInformer(s.ListerWatcher(ConfigMaps.Resource, "ns"), &unstructured.Unstructured{}, 0, cache.Indexers{})
	ctx, cancel := context.WithCancel(bg)
	defer cancel()
	go inf.RunWithContext(ctx)
	if !cache.WaitForCacheSync(ctx.Done(), inf.HasSynced) {
		t.Fatal("never synced")
	}
	storeEqualsServer := func(phase string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			l, err := c.List(bg, metav1.ListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			want := names(l)
			var got []string
			for _, o := range inf.GetStore().List() {
				u := o.(*unstructured.Unstructured)
				got = append(got, u.GetNamespace()+"/"+u.GetName()+"@"+u.GetResourceVersion())
			}
			sort.Strings(got)
			var wantRV []string
			for _, it := range l.Items {
				wantRV = append(wantRV, it.GetNamespace()+"/"+it.GetName()+"@"+it.GetResourceVersion())
			}
			if strings.Join(got, " ") == strings.Join(wantRV, " ") {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: store %v, server %s", phase, got, want)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	storeEqualsServer("initial")
	a, _ := c.Get(bg, "pre-0", metav1.GetOptions{})
	a.Object["data"] = map[string]any{"k": "changed"}
	if _, err := c.Update(bg, a, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(bg, "pre-1", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	storeEqualsServer("writes")
	s.Compact()
	s.DropConnections()
	if _, err := c.Create(bg, cm("ns", "after-drop", nil), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	storeEqualsServer("a dropped connection after a compaction")
	s.CloseWatches()
	s.ExpireNextWatch()
	if err := c.Delete(bg, "pre-2", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	storeEqualsServer("an expired rewatch")
}
