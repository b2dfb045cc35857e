package informer

// BenchmarkInformerWatchEvents: a whole informer with three handlers takes
// watch events, ours on the native runtime and client-go v0.37.2 in the
// same process; ours-traced records a trace too. One op is one watch event
// delivered to all three handlers.

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	kcache "k8s.io/client-go/tools/cache"

	"github.com/informerscope/informerscope/informer/trace"
)

// benchLW lists nothing and serves one watch fed from events. It does not
// serve streaming lists, so both informers LIST then WATCH.
type benchLW struct {
	events []watch.Event
	w      *watch.FakeWatcher
}

func (lw *benchLW) List(metav1.ListOptions) (runtime.Object, error) {
	return &metav1.PartialObjectMetadataList{ListMeta: metav1.ListMeta{ResourceVersion: "1"}}, nil
}

func (lw *benchLW) Watch(metav1.ListOptions) (watch.Interface, error) {
	if lw.w != nil {
		// A second watch (after the first ended) stays silent.
		return watch.NewFake(), nil
	}
	lw.w = watch.NewFakeWithChanSize(1024, false)
	go func() {
		for _, e := range lw.events {
			lw.w.Action(e.Type, e.Object)
		}
	}()
	return lw.w, nil
}

func (lw *benchLW) IsWatchListSemanticsUnSupported() bool { return true }

// benchEvents makes n events over 1000 objects: an Added for each, then
// Modified events with rising resourceVersions.
func benchEvents(n int) []watch.Event {
	events := make([]watch.Event, n)
	for i := range events {
		o := obj(fmt.Sprintf("o%d", i%1000), fmt.Sprint(i+2))
		t := watch.Modified
		if i < 1000 {
			t = watch.Added
		}
		events[i] = watch.Event{Type: t, Object: o}
	}
	return events
}

// countingHandler counts calls and closes done at want.
type countingHandler struct {
	n    atomic.Int64
	want int64
	done chan struct{}
}

func (h *countingHandler) hit() {
	if h.n.Add(1) == h.want {
		close(h.done)
	}
}
func (h *countingHandler) OnAdd(any, bool)   { h.hit() }
func (h *countingHandler) OnUpdate(any, any) { h.hit() }
func (h *countingHandler) OnDelete(any)      { h.hit() }
func newCounting(want int) *countingHandler {
	return &countingHandler{want: int64(want), done: make(chan struct{})}
}

const benchInformerEvents = 100_000

func BenchmarkInformerWatchEvents(b *testing.B) {
	events := benchEvents(benchInformerEvents)
	run := func(b *testing.B, start func(lw *benchLW, hs []*countingHandler, ctx context.Context)) {
		b.ReportAllocs()
		var total time.Duration
		for range b.N {
			lw := &benchLW{events: events}
			hs := []*countingHandler{newCounting(len(events)), newCounting(len(events)), newCounting(len(events))}
			ctx, cancel := context.WithCancel(context.Background())
			began := time.Now()
			start(lw, hs, ctx)
			for _, h := range hs {
				<-h.done
			}
			total += time.Since(began)
			cancel()
		}
		b.ReportMetric(float64(total.Nanoseconds())/float64(b.N*len(events)), "ns/event")
		b.ReportMetric(0, "ns/op")
	}
	b.Run("ours", func(b *testing.B) {
		run(b, func(lw *benchLW, hs []*countingHandler, ctx context.Context) {
			inf := NewSharedIndexInformer(lw, &metav1.PartialObjectMetadata{}, 0, Indexers{})
			for _, h := range hs {
				inf.AddEventHandler(h)
			}
			go inf.RunWithContext(ctx)
		})
	})
	b.Run("client-go", func(b *testing.B) {
		run(b, func(lw *benchLW, hs []*countingHandler, ctx context.Context) {
			inf := kcache.NewSharedIndexInformer(lw, &metav1.PartialObjectMetadata{}, 0, kcache.Indexers{})
			for _, h := range hs {
				inf.AddEventHandler(h)
			}
			go inf.RunWithContext(ctx)
		})
	})
	b.Run("ours-traced", func(b *testing.B) {
		run(b, func(lw *benchLW, hs []*countingHandler, ctx context.Context) {
			inf := NewSharedIndexInformerWithOptions(lw, &metav1.PartialObjectMetadata{}, SharedIndexInformerOptions{Recorder: trace.NewRecorder()})
			for _, h := range hs {
				inf.AddEventHandler(h)
			}
			go inf.RunWithContext(ctx)
		})
	})
}
