package informer

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	apiruntime "k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
)

// nativeLW serves a list and one plain-channel watch, as a real client's
// ListerWatcher does.
type nativeLW struct {
	list *metav1.PartialObjectMetadataList
	w    *watch.FakeWatcher
	mu   sync.Mutex
	n    int
}

func (lw *nativeLW) List(metav1.ListOptions) (apiruntime.Object, error) { return lw.list, nil }

func (lw *nativeLW) Watch(metav1.ListOptions) (watch.Interface, error) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	lw.n++
	if lw.n == 1 {
		return lw.w, nil
	}
	return watch.NewFake(), nil
}

func (lw *nativeLW) IsWatchListSemanticsUnSupported() bool { return true }

// lockedRecorder is a recordingHandler safe for the native runtime, where
// handlers run on their own goroutines.
type lockedRecorder struct {
	mu sync.Mutex
	h  recordingHandler
}

func (l *lockedRecorder) OnAdd(o any, initial bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.h.OnAdd(o, initial)
}
func (l *lockedRecorder) OnUpdate(old, o any) { l.mu.Lock(); defer l.mu.Unlock(); l.h.OnUpdate(old, o) }
func (l *lockedRecorder) OnDelete(o any)      { l.mu.Lock(); defer l.mu.Unlock(); l.h.OnDelete(o) }
func (l *lockedRecorder) calls() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.h.calls, " ")
}

// TestInformerRunsOnTheNativeRuntime runs the informer on real goroutines
// against a plain-channel watch, in every queue mode: the handlers get the
// events in order, and once the context is cancelled no goroutine is left.
func TestInformerRunsOnTheNativeRuntime(t *testing.T) {
	for _, gates := range []FeatureGates{{}, {DisableAtomicFIFO: true}, {DisableInOrderInformers: true}, {DisableInOrderInformersBatchProcess: true}} {
		t.Run(fmt.Sprintf("%+v", gates), func(t *testing.T) {
			before := runtime.NumGoroutine()
			lw := &nativeLW{list: lwList("10", obj("a", "1"), obj("b", "2")), w: watch.NewFake()}
			inf := NewSharedIndexInformerWithOptions(lw, &metav1.PartialObjectMetadata{}, SharedIndexInformerOptions{Gates: gates})
			hs := []*lockedRecorder{{}, {}, {}}
			var regs []ResourceEventHandlerRegistration
			for _, h := range hs {
				reg, err := inf.AddEventHandler(h)
				if err != nil {
					t.Fatal(err)
				}
				regs = append(regs, reg)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { inf.RunWithContext(ctx); close(done) }()
			waitFor(t, "sync", func() bool {
				for _, r := range regs {
					if !r.HasSynced() {
						return false
					}
				}
				return inf.HasSynced()
			})
			for i := range 50 {
				lw.w.Modify(obj("a", fmt.Sprint(100+i)))
			}
			lw.w.Delete(obj("b", "200"))
			want := "OnAdd(a@1,true) OnAdd(b@2,true) OnUpdate(a@1->a@100)"
			for i := 1; i < 50; i++ {
				want += fmt.Sprintf(" OnUpdate(a@%d->a@%d)", 99+i, 100+i)
			}
			want += " OnDelete(b@200)"
			for i, h := range hs {
				waitFor(t, fmt.Sprint("handler ", i), func() bool { return h.calls() == want })
			}
			keys := inf.GetStore().ListKeys()
			sort.Strings(keys)
			if strings.Join(keys, " ") != "ns/a" || inf.LastSyncResourceVersion() != "200" {
				t.Fatalf("store %v, rv %q", keys, inf.LastSyncResourceVersion())
			}
			cancel()
			<-done
			waitFor(t, "goroutines to end", func() bool { return runtime.NumGoroutine() <= before })
		})
	}
}

// waitFor polls cond for up to 10 seconds of real time.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
