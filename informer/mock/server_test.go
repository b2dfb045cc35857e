package mock

import (
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/informerscope/informerscope/informer/sim"
)

func TestCreateStampsWhatTheServerOwns(t *testing.T) {
	r := newRig(t, Options{})
	r.sleep(5 * time.Second)
	a := r.mustCreate(r.cms("ns"), cm("ns", "a", nil))
	w := r.mustCreate(r.s.Resource(Widgets.Resource).Namespace("ns"), obj(Widgets, "ns", "w", nil, map[string]any{"spec": map[string]any{"size": int64(1)}}))
	if a.GetResourceVersion() != "2" || w.GetResourceVersion() != "3" || r.s.ResourceVersion() != 3 {
		t.Errorf("resourceVersions %s, %s, server %d; want 2, 3, 3 (one counter from 1)", a.GetResourceVersion(), w.GetResourceVersion(), r.s.ResourceVersion())
	}
	if a.GetUID() == "" || a.GetUID() == w.GetUID() {
		t.Errorf("uids %q %q", a.GetUID(), w.GetUID())
	}
	if got := a.GetCreationTimestamp().Time; !got.Equal(sim.Epoch.Add(5 * time.Second)) {
		t.Errorf("creationTimestamp %v, want the runtime's clock", got)
	}
	if _, found := a.Object["metadata"].(map[string]any)["generation"]; found {
		t.Error("a configmap has no generation on the real server")
	}
	if w.GetGeneration() != 1 || w.GetKind() != "Widget" || w.GetAPIVersion() != "example.com/v1" {
		t.Errorf("widget: generation %d kind %s apiVersion %s", w.GetGeneration(), w.GetKind(), w.GetAPIVersion())
	}

	// The same script on another server of the same seed: the same uids.
	r2 := newRig(t, Options{})
	r2.sleep(5 * time.Second)
	if a2 := r2.mustCreate(r2.cms("ns"), cm("ns", "a", nil)); a2.GetUID() != a.GetUID() {
		t.Errorf("uid %s on a second run, want %s", a2.GetUID(), a.GetUID())
	}
}

func TestUpdateBumpsGenerationOnSpecChangeOnly(t *testing.T) {
	r := newRig(t, Options{})
	c := r.s.Resource(Widgets.Resource).Namespace("ns")
	w := r.mustCreate(c, obj(Widgets, "ns", "w", nil, map[string]any{"spec": map[string]any{"size": int64(1)}}))
	w.SetLabels(map[string]string{"a": "b"})
	w = r.mustUpdate(c, w)
	if w.GetGeneration() != 1 || w.GetResourceVersion() != "3" {
		t.Errorf("after a label change: generation %d rv %s, want 1 and 3", w.GetGeneration(), w.GetResourceVersion())
	}
	w.Object["spec"] = map[string]any{"size": int64(2)}
	w = r.mustUpdate(c, w)
	if w.GetGeneration() != 2 {
		t.Errorf("after a spec change: generation %d, want 2", w.GetGeneration())
	}
	// An update that changes nothing writes nothing.
	same := r.mustUpdate(c, w)
	if same.GetResourceVersion() != w.GetResourceVersion() || r.s.ResourceVersion() != 4 {
		t.Errorf("a no-op update moved the resourceVersion to %s (server %d)", same.GetResourceVersion(), r.s.ResourceVersion())
	}
}

// The errors, with the messages the real server sends (seen with curl
// against v1.37.2).
func TestWriteErrors(t *testing.T) {
	r := newRig(t, Options{})
	c := r.cms("ns")
	a := r.mustCreate(c, cm("ns", "a", nil))
	stale := a.DeepCopy()
	a.SetLabels(map[string]string{"x": "y"})
	r.mustUpdate(c, a)

	_, dup := c.Create(ctx, cm("ns", "a", nil), metav1.CreateOptions{})
	_, conflict := c.Update(ctx, stale, metav1.UpdateOptions{})
	_, missing := c.Update(ctx, cm("ns", "zz", nil), metav1.UpdateOptions{})
	_, getMissing := c.Get(ctx, "nope", metav1.GetOptions{})
	delMissing := c.Delete(ctx, "nope", metav1.DeleteOptions{})
	wc := r.s.Resource(Widgets.Resource).Namespace("ns")
	r.mustCreate(wc, obj(Widgets, "ns", "w", nil, nil))
	_, unconditional := wc.Update(ctx, obj(Widgets, "ns", "w", nil, map[string]any{"spec": "x"}), metav1.UpdateOptions{})
	_, widgetMissing := wc.Update(ctx, obj(Widgets, "ns", "nope", nil, nil), metav1.UpdateOptions{})
	_, noNamespace := r.s.Resource(ConfigMaps.Resource).Create(ctx, cm("", "q", nil), metav1.CreateOptions{})
	_, otherNamespace := c.Create(ctx, cm("other", "q", nil), metav1.CreateOptions{})
	for _, tc := range []struct {
		name string
		err  error
		is   func(error) bool
		msg  string
	}{
		{"create existing", dup, apierrors.IsAlreadyExists, `configmaps "a" already exists`},
		{"stale update", conflict, apierrors.IsConflict, `Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again`},
		{"update missing", missing, apierrors.IsNotFound, `configmaps "zz" not found`},
		{"get missing", getMissing, apierrors.IsNotFound, `configmaps "nope" not found`},
		{"delete missing", delMissing, apierrors.IsNotFound, `configmaps "nope" not found`},
		{"a custom resource's update without resourceVersion", unconditional, apierrors.IsInvalid, `widgets.example.com "w" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update`},
		{"a custom resource's update of a missing one", widgetMissing, apierrors.IsNotFound, `widgets.example.com "nope" not found`},
		{"create without namespace", noNamespace, apierrors.IsMethodNotSupported, "the server does not allow this method on the requested resource"},
		{"namespace mismatch", otherNamespace, apierrors.IsBadRequest, "the namespace of the provided object does not match the namespace sent on the request"},
	} {
		if tc.err == nil || !tc.is(tc.err) || tc.err.Error() != tc.msg {
			t.Errorf("%s: got %v, want %q", tc.name, tc.err, tc.msg)
		}
	}
}

func TestDeleteIsAnEventAtANewResourceVersion(t *testing.T) {
	r := newRig(t, Options{})
	c := r.cms("ns")
	r.mustCreate(c, cm("ns", "a", nil))
	w, err := c.Watch(ctx, metav1.ListOptions{ResourceVersion: "2"})
	if err != nil {
		t.Fatal(err)
	}
	tr := r.read(w)
	if err := c.Delete(ctx, "a", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	r.settle()
	equalLines(t, "events", tr.untimed(), []string{"DELETED ns/a@3"})
	if _, err := c.Get(ctx, "a", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("get after delete: %v", err)
	}
	w.Stop()
	r.settle()
}
