//go:build !js

package remote_test

// The rig of the real-cluster tests: the read-only proxy (internal/proxy)
// in front of a real kube-apiserver, our informer on the native runtime
// fed by the remote ListerWatcher through it, and client-go (test-only)
// writing to the cluster directly.

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"

	"github.com/informerscope/informerscope/informer"
	"github.com/informerscope/informerscope/informer/remote"
	"github.com/informerscope/informerscope/informer/trace"
	"github.com/informerscope/informerscope/internal/proxy"
)

var (
	configMapsGVR = schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}
	widgetsGVR    = schema.GroupVersionResource{Group: "example.com", Version: "v1", Resource: "widgets"}
	namespacesGVR = schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}
	crdGVR        = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
)

// door sits between the proxy and the cluster: cut breaks every request
// in flight (watch streams included), as a dropped connection does, and
// while it is shut new requests fail as refused connections.
type door struct {
	next http.RoundTripper
	mu   sync.Mutex
	open map[*http.Request]context.CancelFunc
	shut bool
}

func (d *door) RoundTrip(r *http.Request) (*http.Response, error) {
	d.mu.Lock()
	if d.shut {
		d.mu.Unlock()
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	}
	ctx, cancel := context.WithCancel(r.Context())
	r = r.WithContext(ctx)
	d.open[r] = cancel
	d.mu.Unlock()
	resp, err := d.next.RoundTrip(r)
	if err != nil {
		d.forget(r)
		return nil, err
	}
	resp.Body = &forgetOnClose{ReadCloser: resp.Body, d: d, r: r}
	return resp, nil
}

func (d *door) forget(r *http.Request) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if cancel := d.open[r]; cancel != nil {
		cancel()
		delete(d.open, r)
	}
}

// cut breaks every request in flight and leaves the door shut or open.
func (d *door) cut(shut bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.shut = shut
	for r, cancel := range d.open {
		cancel()
		delete(d.open, r)
	}
}

func (d *door) setShut(shut bool) { d.mu.Lock(); d.shut = shut; d.mu.Unlock() }

type forgetOnClose struct {
	io.ReadCloser
	d *door
	r *http.Request
}

func (f *forgetOnClose) Close() error {
	err := f.ReadCloser.Close()
	f.d.forget(f.r)
	return err
}

type liveRig struct {
	t      *testing.T
	base   string // the proxy's /cluster URL
	door   *door
	direct dynamic.Interface
	ns     string
}

func newLiveRig(t *testing.T, cfg *rest.Config) *liveRig {
	r := &liveRig{t: t, door: &door{open: map[*http.Request]context.CancelFunc{}}}
	pcfg := rest.CopyConfig(cfg)
	pcfg.WrapTransport = func(rt http.RoundTripper) http.RoundTripper { r.door.next = rt; return r.door }
	// The proxy's log of upstream failures is what the faults cause.
	p, err := proxy.New(pcfg, proxy.Options{ErrorLog: log.New(io.Discard, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	r.base = srv.URL + proxy.DefaultPrefix
	if r.direct, err = dynamic.NewForConfig(cfg); err != nil {
		t.Fatal(err)
	}
	r.ns = fmt.Sprintf("remote-%d", time.Now().UnixNano())
	ns := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": r.ns}}}
	if _, err := r.direct.Resource(namespacesGVR).Create(context.Background(), ns, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	return r
}

// ensureWidgets creates the widgets CRD (shared with informer/mock's
// comparison, same definition) and waits until widgets are served.
func (r *liveRig) ensureWidgets() {
	t := r.t
	ctx := context.Background()
	crd := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
		"metadata": map[string]any{"name": "widgets.example.com"},
		"spec": map[string]any{
			"group": "example.com", "scope": "Namespaced",
			"names": map[string]any{"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"},
			"versions": []any{map[string]any{
				"name": "v1", "served": true, "storage": true,
				"schema": map[string]any{"openAPIV3Schema": map[string]any{"type": "object", "x-kubernetes-preserve-unknown-fields": true}},
			}},
		},
	}}
	if _, err := r.direct.Resource(crdGVR).Create(ctx, crd, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatalf("create CRD: %v", err)
	}
	waitUntil(t, 30*time.Second, "widgets served", func() bool {
		_, err := r.direct.Resource(widgetsGVR).Namespace(r.ns).List(ctx, metav1.ListOptions{})
		return err == nil
	})
}

func waitUntil(t *testing.T, limit time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", limit, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// writer writes objects of one resource in the rig's namespace and keeps
// the handler calls the writes should cause.
type writer struct {
	r     *liveRig
	gvr   schema.GroupVersionResource
	kind  string
	field string // "data" for ConfigMaps, "spec" for widgets
	rv    map[string]string
	want  []string
}

func (r *liveRig) writer(gvr schema.GroupVersionResource) *writer {
	w := &writer{r: r, gvr: gvr, kind: "ConfigMap", field: "data", rv: map[string]string{}}
	if gvr == widgetsGVR {
		w.kind, w.field = "Widget", "spec"
	}
	return w
}

func (w *writer) client() dynamic.ResourceInterface {
	return w.r.direct.Resource(w.gvr).Namespace(w.r.ns)
}

func (w *writer) create(name string, initial bool) {
	w.r.t.Helper()
	o := &unstructured.Unstructured{Object: map[string]any{"apiVersion": w.gvr.GroupVersion().String(), "kind": w.kind,
		"metadata": map[string]any{"name": name}, w.field: map[string]any{"k": "v"}}}
	got, err := w.client().Create(context.Background(), o, metav1.CreateOptions{})
	if err != nil {
		w.r.t.Fatal(err)
	}
	w.rv[name] = got.GetResourceVersion()
	w.want = append(w.want, fmt.Sprintf("OnAdd(%s@%s,%v)", name, w.rv[name], initial))
}

func (w *writer) update(name, value string) {
	w.r.t.Helper()
	o, err := w.client().Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		w.r.t.Fatal(err)
	}
	o.Object[w.field] = map[string]any{"k": value}
	got, err := w.client().Update(context.Background(), o, metav1.UpdateOptions{})
	if err != nil {
		w.r.t.Fatal(err)
	}
	w.want = append(w.want, fmt.Sprintf("OnUpdate(%s@%s->%s@%s)", name, w.rv[name], name, got.GetResourceVersion()))
	w.rv[name] = got.GetResourceVersion()
}

func (w *writer) remove(name string) {
	w.r.t.Helper()
	if err := w.client().Delete(context.Background(), name, metav1.DeleteOptions{}); err != nil {
		w.r.t.Fatal(err)
	}
	delete(w.rv, name)
	w.want = append(w.want, fmt.Sprintf("OnDelete(%s)", name))
}

// server is the server's list, as name@resourceVersion, sorted.
func (w *writer) server() []string {
	l, err := w.client().List(context.Background(), metav1.ListOptions{})
	if err != nil {
		w.r.t.Fatal(err)
	}
	var s []string
	for _, it := range l.Items {
		s = append(s, it.GetName()+"@"+it.GetResourceVersion())
	}
	slices.Sort(s)
	return s
}

// handlerCalls records handler calls as name@resourceVersion (a delete by
// name only: its final resourceVersion is the server's, not the writer's).
type handlerCalls struct {
	mu    sync.Mutex
	calls []string
	// last is each object's last state the handlers were told of: the
	// objects they believe exist.
	last map[string]string
}

func nameRV(o any) (string, string) {
	if t, ok := o.(informer.DeletedFinalStateUnknown); ok {
		o = t.Obj
	}
	u := o.(*unstructured.Unstructured)
	return u.GetName(), u.GetResourceVersion()
}

func (h *handlerCalls) OnAdd(o any, initial bool) {
	n, rv := nameRV(o)
	h.note(fmt.Sprintf("OnAdd(%s@%s,%v)", n, rv, initial), n, rv)
}
func (h *handlerCalls) OnUpdate(old, o any) {
	on, orv := nameRV(old)
	n, rv := nameRV(o)
	h.note(fmt.Sprintf("OnUpdate(%s@%s->%s@%s)", on, orv, n, rv), n, rv)
}
func (h *handlerCalls) OnDelete(o any) {
	n, _ := nameRV(o)
	h.note(fmt.Sprintf("OnDelete(%s)", n), n, "")
}

func (h *handlerCalls) note(call, name, rv string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls = append(h.calls, call)
	if h.last == nil {
		h.last = map[string]string{}
	}
	if rv == "" {
		delete(h.last, name)
	} else {
		h.last[name] = rv
	}
}

func (h *handlerCalls) get() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.calls)
}

// believed is what the handler calls add up to, as name@resourceVersion.
func (h *handlerCalls) believed() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var s []string
	for n, rv := range h.last {
		s = append(s, n+"@"+rv)
	}
	slices.Sort(s)
	return s
}

type liveInformer struct {
	inf     informer.SharedIndexInformer
	calls   *handlerCalls
	rec     *trace.Recorder
	explain func() string
}

// informer starts our shared informer on gvr in the rig's namespace, on the
// native runtime, through the proxy, and waits for its sync.
func (r *liveRig) informer(gvr schema.GroupVersionResource, gates informer.FeatureGates) *liveInformer {
	return r.informerFor(r.t, gvr, gates)
}

// informerFor is informer, stopped when t ends.
func (r *liveRig) informerFor(t *testing.T, gvr schema.GroupVersionResource, gates informer.FeatureGates) *liveInformer {
	lw, err := remote.New(remote.Options{BaseURL: r.base, Resource: gvr, Namespace: r.ns})
	if err != nil {
		t.Fatal(err)
	}
	li := &liveInformer{calls: &handlerCalls{}, rec: trace.NewRecorder()}
	li.inf = informer.NewSharedIndexInformerWithOptions(lw, &unstructured.Unstructured{},
		informer.SharedIndexInformerOptions{Recorder: li.rec, Gates: gates})
	var lastErr string
	var mu sync.Mutex
	li.inf.SetWatchErrorHandler(func(_ *informer.Reflector, err error) {
		mu.Lock()
		lastErr = remote.Explain(err)
		mu.Unlock()
	})
	li.explain = func() string { mu.Lock(); defer mu.Unlock(); return lastErr }
	if _, err := li.inf.AddEventHandler(li.calls); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { li.inf.RunWithContext(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	waitUntil(t, 30*time.Second, gvr.Resource+" informer synced", li.inf.HasSynced)
	return li
}

// store is the indexer, as name@resourceVersion, sorted.
func (li *liveInformer) store() []string {
	var s []string
	for _, o := range li.inf.GetIndexer().List() {
		n, rv := nameRV(o)
		s = append(s, n+"@"+rv)
	}
	slices.Sort(s)
	return s
}

// converges waits until the indexer equals the server's list and the
// handlers were told exactly that (nothing lost, no phantom).
func (li *liveInformer) converges(t *testing.T, w *writer, phase string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		want := w.server()
		store, told := li.store(), li.calls.believed()
		if slices.Equal(store, want) && slices.Equal(told, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: after %v\n  server   %v\n  indexer  %v\n  handlers %v\n  last error: %s", phase, limit, want, store, told, li.explain())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kinds counts the trace's events of each kind from index from on.
func (li *liveInformer) kinds(from int) map[trace.Kind]int {
	n := map[trace.Kind]int{}
	for _, e := range li.rec.Events()[from:] {
		n[e.Kind]++
	}
	return n
}

// mentions tells whether an event of the trace from index from on carries
// text in its Value or Reason.
func (li *liveInformer) mentions(from int, text string) bool {
	for _, e := range li.rec.Events()[from:] {
		if strings.Contains(e.Value, text) || strings.Contains(e.Reason, text) {
			return true
		}
	}
	return false
}
