package timeline

import (
	"context"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/informerscope/informerscope/informer"
	"github.com/informerscope/informerscope/informer/mock"
	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// A live run's events come in as the informer makes them, on its own
// goroutines; pulled in, they fold to the informer's state, and the run
// can be gone back in and stepped through like any other.
func TestLive(t *testing.T) {
	rt := sim.Native()
	srv := mock.NewServer(mock.Options{Runtime: rt})
	tl, rec := NewLive("configmaps on the mock")
	inf := informer.NewSharedIndexInformerWithOptions(srv.ListerWatcher(mock.ConfigMaps.Resource, ""), &unstructured.Unstructured{},
		informer.SharedIndexInformerOptions{Runtime: rt, Recorder: rec})
	inf.AddEventHandler(informer.ResourceEventHandlerFuncs{})
	stop := sim.NewChan[struct{}](rt, "stop", 0)
	done := make(chan struct{})
	go func() { inf.RunWithStop(stop); close(done) }()

	cms := srv.Resource(mock.ConfigMaps.Resource).Namespace("default")
	for _, name := range []string{"a", "b", "c"} {
		o := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "ConfigMap"}}
		o.SetName(name)
		if _, err := cms.Create(context.Background(), o, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := cms.Delete(context.Background(), "b", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		tl.Pull()
		tl.Seek(tl.Len())
		if items := tl.Snapshot().Store("informer/indexer").Items; len(items) == 2 && items["default/b"] == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the live store never reached a, c: %v", tl.Snapshot().Store("informer/indexer").Items)
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop.Close()
	<-done
	tl.Pull()
	tl.StopLive()

	events := make([]trace.Event, tl.Len())
	for i := range events {
		events[i], _ = tl.Event(i)
	}
	for _, i := range []int{0, tl.Len() / 2, tl.Len()} {
		tl.Seek(i)
		if d := trace.Diff(trace.Fold(events[:i]), tl.Snapshot()); d != "" {
			t.Errorf("at %d: %s", i, d)
		}
	}
	if tl.Forward() && tl.Cursor() > tl.Len() {
		t.Error("a live run moved past what it has")
	}
	if err := tl.StepGoroutine(1); err != ErrLive {
		t.Errorf("stepping a goroutine of a live run: %v", err)
	}
	if !tl.Ended() || len(tl.Objects()) == 0 {
		t.Errorf("ended %v, %d objects", tl.Ended(), len(tl.Objects()))
	}
}
