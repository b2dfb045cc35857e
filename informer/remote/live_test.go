//go:build !js

package remote_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/informerscope/informerscope/informer"
	"github.com/informerscope/informerscope/informer/trace"
	"github.com/informerscope/informerscope/internal/kubetest"
)

// Our informer, fed by the remote ListerWatcher through the proxy from the
// real kube-apiserver, while client-go writes ConfigMaps and a custom
// resource: after each phase the indexer equals the server's list, and the
// handlers were called exactly as the writes say, in order. Both the
// default streaming list and the classic LIST + WATCH are run.
func TestInformerThroughTheProxy(t *testing.T) {
	cfg, _ := kubetest.Env(t)
	r := newLiveRig(t, cfg)
	r.ensureWidgets()
	for _, c := range []struct {
		name  string
		gvr   schema.GroupVersionResource
		gates informer.FeatureGates
	}{
		{"configmaps, streaming list", configMapsGVR, informer.FeatureGates{}},
		{"configmaps, list and watch", configMapsGVR, informer.FeatureGates{DisableWatchListClient: true}},
		{"widgets, streaming list", widgetsGVR, informer.FeatureGates{}},
		{"widgets, list and watch, DeltaFIFO", widgetsGVR, informer.FeatureGates{DisableWatchListClient: true, DisableInOrderInformers: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := *r
			r.t = t
			r.ns = newNamespace(t, &r)
			w := r.writer(c.gvr)
			for i := range 3 {
				w.create(fmt.Sprintf("pre-%d", i), true)
			}
			li := r.informer(c.gvr, c.gates)
			phase := func(name string) {
				t.Helper()
				li.converges(t, w, name, 15*time.Second)
				waitUntil(t, 5*time.Second, name+": handler calls", func() bool { return len(li.calls.get()) >= len(w.want) })
				if got := li.calls.get(); !slices.Equal(got, w.want) {
					t.Fatalf("%s: handler calls\n  got  %s\n  want %s", name, strings.Join(got, " "), strings.Join(w.want, " "))
				}
			}
			phase("the initial list")

			w.create("c-0", false)
			w.create("c-1", false)
			w.update("pre-0", "changed")
			w.remove("pre-1")
			phase("creates, an update, a delete")

			w.update("c-0", "1")
			w.update("c-0", "2")
			w.remove("c-1")
			w.remove("pre-2")
			w.create("c-2", false)
			phase("more updates, deletes and a create")

			// The trace saw one list-and-watch cycle and no relist.
			if n := li.kinds(0)[trace.ListAndWatchStarted]; n != 1 {
				t.Errorf("%d list-and-watch cycles, want 1", n)
			}
		})
	}
}

// newNamespace makes a fresh namespace (a deleted one would stay
// Terminating: there is no kube-controller-manager).
func newNamespace(t *testing.T, r *liveRig) string {
	ns := fmt.Sprintf("remote-%d", time.Now().UnixNano())
	o := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": ns}}}
	if _, err := r.direct.Resource(namespacesGVR).Create(context.Background(), o, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	return ns
}
