package informer

// Benchmarks of ours against client-go v0.37.2, side by side: sub-benchmarks
// named ours and client-go, which make bench pairs and prints as a ratio.
// Tracing is off unless the name says traced.

import (
	"bytes"
	"fmt"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kcache "k8s.io/client-go/tools/cache"

	"github.com/informerscope/informerscope/informer/trace"
)

// benchObjects makes n objects named o0..o<n-1>.
func benchObjects(n int) []*metav1.PartialObjectMetadata {
	out := make([]*metav1.PartialObjectMetadata, n)
	for i := range out {
		out[i] = objLabels(fmt.Sprintf("o%d", i), fmt.Sprint(i+1), map[string]string{"app": fmt.Sprintf("app%d", i%10)})
	}
	return out
}

// benchAddPop adds b.N objects (cycling over 1000 keys, so keys repeat while
// queued) and pops everything, in rounds of 1000.
func benchAddPop(b *testing.B, add func(any) error, pop func() error) {
	objs := benchObjects(1000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; {
		n := min(1000, b.N-i)
		for j := range n {
			if err := add(objs[j]); err != nil {
				b.Fatal(err)
			}
		}
		for range n {
			if err := pop(); err != nil {
				b.Fatal(err)
			}
		}
		i += n
	}
}

func noopProcess(any, bool) error { return nil }

func BenchmarkDeltaFIFOAddPop(b *testing.B) {
	b.Run("ours", func(b *testing.B) {
		f := NewDeltaFIFOWithOptions(DeltaFIFOOptions{})
		benchAddPop(b, f.Add, func() error { _, err := f.Pop(noopProcess); return err })
	})
	b.Run("client-go", func(b *testing.B) {
		f := kcache.NewDeltaFIFOWithOptions(kcache.DeltaFIFOOptions{})
		benchAddPop(b, f.Add, func() error { _, err := f.Pop(noopProcess); return err })
	})
	b.Run("ours-traced", func(b *testing.B) {
		f := NewDeltaFIFOWithOptions(DeltaFIFOOptions{Probe: trace.NewRecorder().Probe("q")})
		benchAddPop(b, f.Add, func() error { _, err := f.Pop(noopProcess); return err })
	})
}

func BenchmarkRealFIFOAddPop(b *testing.B) {
	b.Run("ours", func(b *testing.B) {
		f := NewRealFIFOWithOptions(RealFIFOOptions{AtomicEvents: true, UnlockWhileProcessing: true})
		benchAddPop(b, f.Add, func() error { _, err := f.Pop(noopProcess); return err })
	})
	b.Run("client-go", func(b *testing.B) {
		f := kcache.NewRealFIFOWithOptions(kcache.RealFIFOOptions{AtomicEvents: true, UnlockWhileProcessing: true})
		benchAddPop(b, f.Add, func() error { _, err := f.Pop(noopProcess); return err })
	})
	b.Run("ours-traced", func(b *testing.B) {
		f := NewRealFIFOWithOptions(RealFIFOOptions{AtomicEvents: true, UnlockWhileProcessing: true, Probe: trace.NewRecorder().Probe("q")})
		benchAddPop(b, f.Add, func() error { _, err := f.Pop(noopProcess); return err })
	})
}

// BenchmarkRealFIFOPopBatch measures the batch path the v0.37 informer uses.
func BenchmarkRealFIFOPopBatch(b *testing.B) {
	noopBatch := func([]Delta, bool) error { return nil }
	b.Run("ours", func(b *testing.B) {
		f := NewRealFIFOWithOptions(RealFIFOOptions{AtomicEvents: true})
		objs := benchObjects(1000)
		b.ReportAllocs()
		for i := 0; i < b.N; i += 1000 {
			for j := range min(1000, b.N-i) {
				f.Add(objs[j])
			}
			f.PopBatch(noopBatch, noopProcess)
		}
	})
	b.Run("client-go", func(b *testing.B) {
		f := kcache.NewRealFIFOWithOptions(kcache.RealFIFOOptions{AtomicEvents: true})
		objs := benchObjects(1000)
		b.ReportAllocs()
		for i := 0; i < b.N; i += 1000 {
			for j := range min(1000, b.N-i) {
				f.Add(objs[j])
			}
			f.PopBatch(func([]kcache.Delta, bool) error { return nil }, noopProcess)
		}
	})
}

// BenchmarkIndexerUpdate updates objects in an indexer with two indexes;
// every tenth update moves an object to another index value.
func BenchmarkIndexerUpdate(b *testing.B) {
	const n = 1000
	objs := benchObjects(n)
	moved := benchObjects(n)
	for i, o := range moved {
		o.Labels["app"] = fmt.Sprintf("app%d", (i+1)%10)
	}
	run := func(b *testing.B, update func(any) error) {
		for _, o := range objs {
			update(o)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			o := objs[i%n]
			if i%10 == 0 {
				o = moved[i%n]
			}
			if err := update(o); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("ours", func(b *testing.B) {
		idx := NewIndexer(MetaNamespaceKeyFunc, Indexers{NamespaceIndex: MetaNamespaceIndexFunc, "app": labelIndex("app")})
		run(b, idx.Update)
	})
	b.Run("client-go", func(b *testing.B) {
		idx := kcache.NewIndexer(kcache.MetaNamespaceKeyFunc, kcache.Indexers{kcache.NamespaceIndex: kcache.MetaNamespaceIndexFunc, "app": labelIndex("app")})
		run(b, idx.Update)
	})
	b.Run("ours-traced", func(b *testing.B) {
		idx := NewIndexer(MetaNamespaceKeyFunc, Indexers{NamespaceIndex: MetaNamespaceIndexFunc, "app": labelIndex("app")},
			WithProbe(trace.NewRecorder().Probe("s")))
		run(b, idx.Update)
	})
}

// BenchmarkRecorderBytesPerEvent reports how big a trace file is per event,
// for a mixed informer-like workload (adds, updates, pops into an indexed
// store, relists).
func BenchmarkRecorderBytesPerEvent(b *testing.B) {
	for range b.N {
		rec := trace.NewRecorder()
		store := NewIndexer(DeletionHandlingMetaNamespaceKeyFunc, Indexers{NamespaceIndex: MetaNamespaceIndexFunc, "app": labelIndex("app")},
			WithProbe(rec.Probe("indexer")))
		q := NewDeltaFIFOWithOptions(DeltaFIFOOptions{KnownObjects: store, EmitDeltaTypeReplaced: true, Probe: rec.Probe("DeltaFIFO")})
		objs := benchObjects(200)
		q.Replace(toAny(objs[:100]), "100")
		for _, o := range objs[100:] {
			q.Add(o)
		}
		for _, o := range objs[:50] {
			q.Update(o)
		}
		q.Close()
		for {
			_, err := q.Pop(func(o any, _ bool) error {
				for _, d := range o.(Deltas) {
					if d.Type == Deleted {
						store.Delete(d.Object)
					} else {
						store.Update(d.Object)
					}
				}
				return nil
			})
			if err != nil {
				break
			}
		}
		var buf bytes.Buffer
		if err := rec.Trace().Encode(&buf); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(buf.Len())/float64(rec.Len()), "bytes/event")
		b.ReportMetric(float64(rec.Len()), "events")
	}
}

func toAny(objs []*metav1.PartialObjectMetadata) []any {
	out := make([]any, len(objs))
	for i, o := range objs {
		out[i] = o
	}
	return out
}
