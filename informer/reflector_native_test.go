package informer

// The Reflector on the native runtime, with plain-channel watches (bridged)
// and context cancellation; and what the deterministic runtime refuses.

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kruntime "k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// eventually polls cond for up to five seconds of real time.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestReflectorNativeBridgesAPlainWatch: under the native runtime a
// watch.FakeWatcher's plain channel is bridged; cancelling the context
// stops the loop, the watch, and every goroutine the Reflector started.
func TestReflectorNativeBridgesAPlainWatch(t *testing.T) {
	fw := watch.NewFake()
	lw := &ListWatch{
		ListFunc: func(metav1.ListOptions) (kruntime.Object, error) { return lwList("1", obj("a", "1")), nil },
		WatchFunc: func(opts metav1.ListOptions) (watch.Interface, error) {
			if opts.ResourceVersion != "1" {
				return nil, errors.New("unexpected watch")
			}
			return fw, nil
		},
	}
	store := NewStore(MetaNamespaceKeyFunc)
	rec := trace.NewRecorder()
	r := NewReflectorWithOptions(lw, &metav1.PartialObjectMetadata{}, store,
		ReflectorOptions{UseWatchListClient: ptrTo(false), ResyncPeriod: time.Hour, Probe: rec.Probe("reflector")})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.RunWithContext(ctx)
	}()
	fw.Add(obj("b", "2"))
	fw.Modify(obj("a", "3"))
	eventually(t, "the watch events in the store", func() bool { return r.LastSyncResourceVersion() == "3" })
	if got := fmtObjs(store.List()); got != "[a@3 b@2]" {
		t.Errorf("store %s", got)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if !fw.IsStopped() {
		t.Errorf("the watch was not stopped")
	}
	eventually(t, "the reflector's goroutines to end", func() bool { return reflectorGoroutines() == "" })
}

// reflectorGoroutines returns the stacks of live goroutines that run
// Reflector code.
func reflectorGoroutines() string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		for _, fn := range []string{"informer.(*Reflector)", "informer.(*watchEvents)", "informer.bridgeStop", "informer.requestContext"} {
			if strings.Contains(g, fn) {
				out = append(out, g)
				break
			}
		}
	}
	return strings.Join(out, "\n\n")
}

// TestReflectorNativeListAndWatchStopsOnAClosedChannel: ListAndWatch with
// a plain stop channel returns nil once it is closed.
func TestReflectorNativeListAndWatchStopsOnAClosedChannel(t *testing.T) {
	lw := &ListWatch{
		ListFunc:  func(metav1.ListOptions) (kruntime.Object, error) { return lwList("1"), nil },
		WatchFunc: func(metav1.ListOptions) (watch.Interface, error) { return watch.NewFake(), nil },
	}
	r := NewReflectorWithOptions(lw, nil, NewStore(MetaNamespaceKeyFunc), ReflectorOptions{UseWatchListClient: ptrTo(false)})
	stopCh := make(chan struct{})
	errc := make(chan error, 1)
	go func() { errc <- r.ListAndWatch(stopCh) }()
	eventually(t, "the list", func() bool { return r.LastSyncResourceVersion() == "1" })
	close(stopCh)
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("ListAndWatch returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ListAndWatch did not return")
	}
}

// TestReflectorDeterministicRefusesPlainWatches: on a deterministic
// runtime, a plain watch cannot be waited on; it is stopped, and the error
// reaches the handler like any error opening a watch.
func TestReflectorDeterministicRefusesPlainWatches(t *testing.T) {
	g := newReflRig(t, rigOptions{})
	fw := watch.NewFake()
	g.lw.lists = []listReply{{list: lwList("1")}}
	plain := &ListWatch{
		ListWithContextFunc: g.lw.ListWithContext,
		WatchFunc:           func(metav1.ListOptions) (watch.Interface, error) { return fw, nil },
	}
	g.r.listerWatcher = plain
	g.start()
	g.runUntil(func() bool { return len(g.handled) == 1 })
	if !strings.Contains(g.handled[0], ErrWatchNotWaitable.Error()) || !fw.IsStopped() {
		t.Errorf("handler got %q, watch stopped %v", g.handled, fw.IsStopped())
	}
	g.stopAndDrain()
}

// TestReflectorDeterministicNeedsARuntimeStop: a context that may be
// cancelled later cannot stop a Reflector on a deterministic runtime; one
// already cancelled can.
func TestReflectorDeterministicNeedsARuntimeStop(t *testing.T) {
	g := newReflRig(t, rigOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	if err := g.r.ListAndWatchWithContext(ctx); err == nil || !strings.Contains(err.Error(), "use RunWithStop") {
		t.Errorf("ListAndWatchWithContext on a live context: %v", err)
	}
	cancel()
	g.lw.lists = []listReply{{list: lwList("1")}}
	var err error
	returned := false
	g.rt.Go("ListAndWatch", func() { err, returned = g.r.ListAndWatchWithContext(ctx), true })
	g.runFor(time.Second)
	if !returned || err != nil {
		t.Errorf("on a cancelled context: returned %v, err %v", returned, err)
	}
	for _, info := range g.rt.Goroutines() {
		if info.State != sim.Done {
			t.Errorf("goroutine %s is %s", info.Name, info.State)
		}
	}
}
