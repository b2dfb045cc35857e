package mock

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/informerscope/informerscope/informer/sim"
)

// rig runs a server on a deterministic runtime. Calls that cannot block
// are made from the test (the driver) between steps; calls that may wait
// run on a goroutine of the runtime through do.
type rig struct {
	t  *testing.T
	rt *sim.Deterministic
	s  *Server
}

var ctx = context.Background()

func newRig(t *testing.T, opts Options) *rig {
	t.Helper()
	rt := sim.NewDeterministic(sim.DeterministicOptions{Seed: 1})
	opts.Runtime = rt
	t.Cleanup(rt.Shutdown)
	return &rig{t: t, rt: rt, s: NewServer(opts)}
}

func (r *rig) at() time.Duration { return r.rt.Since(sim.Epoch) }

// runFor steps until d more virtual time has passed, or nothing can run.
func (r *rig) runFor(d time.Duration) {
	r.t.Helper()
	end := r.at() + d
	if err := r.rt.RunUntil(func() bool { return r.at() >= end }, 1_000_000); err != nil && err != sim.ErrIdle {
		r.t.Fatalf("at %v: %v", r.at(), err)
	}
}

// settle steps until nothing can run without time passing.
func (r *rig) settle() {
	r.t.Helper()
	for range 100000 {
		runnable := false
		for _, g := range r.rt.Goroutines() {
			if g.State == sim.Runnable {
				runnable = true
			}
		}
		if !runnable {
			return
		}
		if err := r.rt.Step(); err != nil {
			r.t.Fatal(err)
		}
	}
	r.t.Fatal("never settled")
}

// do runs fn on a goroutine of the runtime and steps until it returns.
func (r *rig) do(fn func()) {
	r.t.Helper()
	done := false
	r.rt.Go("test call", func() { fn(); done = true })
	if err := r.rt.RunUntil(func() bool { return done }, 1_000_000); err != nil {
		r.t.Fatalf("at %v: %v", r.at(), err)
	}
}

// sleep lets d of virtual time pass.
func (r *rig) sleep(d time.Duration) {
	r.t.Helper()
	r.do(func() { r.rt.Sleep(d) })
}

func (r *rig) cms(ns string) *ResourceClient { return r.s.Resource(ConfigMaps.Resource).Namespace(ns) }

func obj(k Kind, ns, name string, labels map[string]string, extra map[string]any) *unstructured.Unstructured {
	o := &unstructured.Unstructured{Object: map[string]any{}}
	for key, v := range extra {
		o.Object[key] = v
	}
	o.SetAPIVersion(k.apiVersion())
	o.SetKind(k.Kind)
	o.SetNamespace(ns)
	o.SetName(name)
	if labels != nil {
		o.SetLabels(labels)
	}
	return o
}

func cm(ns, name string, labels map[string]string) *unstructured.Unstructured {
	return obj(ConfigMaps, ns, name, labels, map[string]any{"data": map[string]any{"k": "v"}})
}

func (r *rig) mustCreate(c *ResourceClient, o *unstructured.Unstructured) *unstructured.Unstructured {
	r.t.Helper()
	out, err := c.Create(ctx, o, metav1.CreateOptions{})
	if err != nil {
		r.t.Fatal(err)
	}
	return out
}

func (r *rig) mustUpdate(c *ResourceClient, o *unstructured.Unstructured) *unstructured.Unstructured {
	r.t.Helper()
	out, err := c.Update(ctx, o, metav1.UpdateOptions{})
	if err != nil {
		r.t.Fatal(err)
	}
	return out
}

// transcript reads a watch on a goroutine of the runtime and writes each
// event as a line: "ADDED ns/name@rv", "BOOKMARK @rv [end]", "ERROR 410
// message", and "CLOSED" at the end, each with its virtual time.
type transcript struct {
	lines  []string
	closed bool
}

func (r *rig) read(w watch.Interface) *transcript {
	tr := &transcript{}
	sw := w.(*Watch)
	r.rt.Go("test reader", func() {
		for {
			ev, ok := sw.SimResultChan().Recv()
			if !ok {
				tr.lines = append(tr.lines, fmt.Sprintf("%v CLOSED", r.at()))
				tr.closed = true
				return
			}
			tr.lines = append(tr.lines, fmt.Sprintf("%v %s", r.at(), describe(ev)))
		}
	})
	return tr
}

func (tr *transcript) String() string { return strings.Join(tr.lines, "\n") }

// untimed drops the times.
func (tr *transcript) untimed() []string {
	out := make([]string, len(tr.lines))
	for i, l := range tr.lines {
		out[i] = l[strings.Index(l, " ")+1:]
	}
	return out
}

func describe(ev watch.Event) string {
	switch o := ev.Object.(type) {
	case *metav1.Status:
		return fmt.Sprintf("%s %d %s %s", ev.Type, o.Code, o.Reason, o.Message)
	case *unstructured.Unstructured:
		if ev.Type == watch.Bookmark {
			s := fmt.Sprintf("BOOKMARK @%s %s", o.GetResourceVersion(), o.GetKind())
			if o.GetAnnotations()[metav1.InitialEventsAnnotationKey] == "true" {
				s += " end"
			}
			if o.GetName() != "" || len(o.Object) != 3 {
				s += fmt.Sprintf(" (unexpected content %v)", o.Object)
			}
			return s
		}
		key := o.GetName()
		if o.GetNamespace() != "" {
			key = o.GetNamespace() + "/" + key
		}
		return fmt.Sprintf("%s %s@%s", ev.Type, key, o.GetResourceVersion())
	}
	return fmt.Sprintf("%s %T", ev.Type, ev.Object)
}

func names(l *unstructured.UnstructuredList) string {
	var out []string
	for _, it := range l.Items {
		key := it.GetName()
		if it.GetNamespace() != "" {
			key = it.GetNamespace() + "/" + key
		}
		out = append(out, key)
	}
	return strings.Join(out, " ")
}

func equalLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func ptr[T any](v T) *T { return &v }
