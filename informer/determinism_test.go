package informer

// One seed and one script must give the same trace, byte for byte, in every
// run and on every platform: the same test runs natively and compiled to
// js/wasm under node (make test runs both), and both compare with the
// digests in testdata/determinism. Run with -rewrite after a change that is
// meant to alter traces, and read why they changed.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// determinismScenarios each record a trace from a seed.
var determinismScenarios = map[string]func(seed uint64) *trace.Recorder{
	// A processor with a fast and a slow listener, and resync checks.
	"processor": func(seed uint64) *trace.Recorder {
		r := newProcessorRig(seed)
		r.addListener(ResourceEventHandlerFuncs{AddFunc: func(any) {}}, 4)
		r.addListener(ResourceEventHandlerFuncs{AddFunc: func(any) { r.rt.Sleep(20 * time.Millisecond) }}, 4)
		r.rt.Go("processor", func() { r.p.run(r.stop) })
		r.rt.Go("distributor", func() {
			for i := range 30 {
				r.p.distribute(addNotification{newObj: obj(fmt.Sprint("o", i), fmt.Sprint(i)), isInInitialList: i < 20}, false)
				if i == 19 {
					r.up.sig.close()
				}
			}
			r.rt.Sleep(time.Minute)
			r.p.shouldResync()
			r.stop.Close()
		})
		for r.rt.Step() == nil {
		}
		return r.rec
	},
	// Queue scripts in every mode, with a producer and a consumer goroutine.
	"queues": func(seed uint64) *trace.Recorder {
		rec := trace.NewRecorder()
		for m, mode := range allQueueModes {
			data := make([]byte, 64)
			for i := range data {
				data[i] = byte((uint64(i)*2654435761 + seed*97 + uint64(m)) >> 3)
			}
			data[0] = byte(m)
			_, cmds := genScript(data)
			// The script's first command picks the mode; the side is built
			// here instead, so that every mode reports to one recorder.
			r := &scriptRun{pool: objectPool{}, s: newTracedSide(mode, rec)}
			for _, cmd := range cmds[1:] {
				if _, err := r.exec(cmd); err != nil {
					panic(err)
				}
			}
		}
		return rec
	},
	// A whole shared informer, goroutine lanes included: a list, watch
	// events, a 410 and the relist after it, a fast and a slow handler, a
	// resync, and a late handler.
	"informer": func(seed uint64) *trace.Recorder {
		rt := sim.NewDeterministic(sim.DeterministicOptions{Seed: seed})
		rec := trace.NewRecorder()
		TraceRuntime(rt, rec.Probe("runtime"))
		lw := newScriptedLW(rt)
		a5, c6 := obj("a", "5"), obj("c", "6")
		lw.lists = []listReply{{list: lwList("4", obj("a", "1"), obj("b", "2"))}, {list: lwList("9", a5, c6, obj("d", "9"))}}
		lw.watches = []watchScript{{err: badRequest()},
			{steps: spaced(evModified(a5), evAdded(c6), evDeleted(obj("b", "7")), evError(expiredErr()))},
			{err: badRequest()}}
		inf := NewSharedIndexInformerWithOptions(lw, &metav1.PartialObjectMetadata{}, SharedIndexInformerOptions{
			ResyncPeriod: 30 * time.Second, Runtime: rt, Recorder: rec, Indexers: Indexers{NamespaceIndex: MetaNamespaceIndexFunc}})
		inf.AddEventHandler(ResourceEventHandlerFuncs{AddFunc: func(any) {}})
		inf.AddEventHandler(ResourceEventHandlerFuncs{UpdateFunc: func(_, _ any) { rt.Sleep(50 * time.Millisecond) }})
		stop := sim.NewChan[struct{}](rt, "stop", 0)
		rt.Go("informer", func() { inf.RunWithStop(stop) })
		rt.Go("driver", func() {
			rt.Sleep(20 * time.Second)
			inf.AddEventHandler(ResourceEventHandlerFuncs{AddFunc: func(any) {}})
			rt.Sleep(time.Minute)
			stop.Close()
		})
		for rt.Step() == nil {
		}
		return rec
	},
	// A deterministic producer/consumer pair around a DeltaFIFO.
	"runtime": func(seed uint64) *trace.Recorder {
		rt := sim.NewDeterministic(sim.DeterministicOptions{Seed: seed})
		rec := trace.NewRecorder()
		q := NewDeltaFIFOWithOptions(DeltaFIFOOptions{Runtime: rt, Probe: rec.Probe("queue")})
		rt.Go("consumer", func() {
			for {
				if _, err := q.Pop(func(any, bool) error { return nil }); err != nil {
					return
				}
			}
		})
		rt.Go("producer", func() {
			for i := range 20 {
				q.Add(obj(fmt.Sprint("o", i%4), fmt.Sprint(i)))
				if i%3 == 0 {
					rt.Sleep(time.Second)
				}
			}
			q.Close()
		})
		for rt.Step() == nil {
		}
		return rec
	},
}

func traceDigest(rec *trace.Recorder) (string, int) {
	var buf bytes.Buffer
	if err := rec.Trace().Encode(&buf); err != nil {
		panic(err)
	}
	sum := sha256.Sum256(buf.Bytes())
	return hex.EncodeToString(sum[:]), buf.Len()
}

func TestTracesAreByteIdenticalAcrossRunsAndPlatforms(t *testing.T) {
	for name, record := range determinismScenarios {
		t.Run(name, func(t *testing.T) {
			var lines []string
			for seed := range uint64(3) {
				a, size := traceDigest(record(seed))
				b, _ := traceDigest(record(seed))
				if a != b {
					t.Fatalf("seed %d: two runs gave different traces", seed)
				}
				lines = append(lines, fmt.Sprintf("seed %d: %s (%d bytes)", seed, a, size))
			}
			got := strings.Join(lines, "\n") + "\n"
			path := filepath.Join("testdata", "determinism", name+".txt")
			if *rewrite {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run the test with -rewrite to record digests)", err)
			}
			if string(want) != got {
				t.Fatalf("traces differ from %s:\nwant:\n%s\ngot:\n%s", path, want, got)
			}
		})
	}
}
