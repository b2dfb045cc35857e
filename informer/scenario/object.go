package scenario

import (
	"context"
	"strconv"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/informerscope/informerscope/informer/mock"
)

var (
	createOptions = metav1.CreateOptions{}
	updateOptions = metav1.UpdateOptions{}
	deleteOptions = metav1.DeleteOptions{}
	getOptions    = metav1.GetOptions{}
)

// revisionAnnotation counts a scenario's updates of an object.
const revisionAnnotation = "informerscope.io/revision"

// newObject builds an object of kind k as a user would create it: enough
// of a body for the kind to look real in the inspector.
func newObject(k mock.Kind, o Object) *unstructured.Unstructured {
	u := &unstructured.Unstructured{Object: map[string]any{}}
	u.SetAPIVersion(k.Resource.GroupVersion().String())
	u.SetKind(k.Kind)
	u.SetNamespace(o.Namespace)
	u.SetName(o.Name)
	if len(o.Labels) > 0 {
		u.SetLabels(o.Labels)
	}
	u.SetAnnotations(map[string]string{revisionAnnotation: "1"})
	switch k.Kind {
	case "ConfigMap":
		u.Object["data"] = map[string]any{"greeting": "hello"}
	case "Pod":
		u.Object["spec"] = map[string]any{"containers": []any{map[string]any{"name": "app", "image": "registry.example/app:1"}}}
	case "Deployment":
		u.Object["spec"] = map[string]any{
			"replicas": int64(1),
			"selector": map[string]any{"matchLabels": map[string]any{"app": o.Name}},
			"template": map[string]any{
				"metadata": map[string]any{"labels": map[string]any{"app": o.Name}},
				"spec":     map[string]any{"containers": []any{map[string]any{"name": "app", "image": "registry.example/app:1"}}},
			},
		}
	default:
		u.Object["spec"] = map[string]any{"size": int64(1)}
	}
	return u
}

// bumpRevision increments the object's revision annotation.
func bumpRevision(u *unstructured.Unstructured) {
	a := u.GetAnnotations()
	if a == nil {
		a = map[string]string{}
	}
	n, _ := strconv.Atoi(a[revisionAnnotation])
	a[revisionAnnotation] = strconv.Itoa(n + 1)
	u.SetAnnotations(a)
}

// selectingLW adds the scenario's label selector to every list and watch,
// as client-go's NewFilteredListWatchFromClient does.
type selectingLW struct {
	inner    *mock.ListerWatcher
	selector string
}

func (l *selectingLW) opts(o metav1.ListOptions) metav1.ListOptions {
	if l.selector != "" {
		o.LabelSelector = l.selector
	}
	return o
}

func (l *selectingLW) List(o metav1.ListOptions) (runtime.Object, error) {
	return l.inner.ListWithContext(context.Background(), l.opts(o))
}

func (l *selectingLW) ListWithContext(ctx context.Context, o metav1.ListOptions) (runtime.Object, error) {
	return l.inner.ListWithContext(ctx, l.opts(o))
}

func (l *selectingLW) Watch(o metav1.ListOptions) (watch.Interface, error) {
	return l.inner.WatchWithContext(context.Background(), l.opts(o))
}

func (l *selectingLW) WatchWithContext(ctx context.Context, o metav1.ListOptions) (watch.Interface, error) {
	return l.inner.WatchWithContext(ctx, l.opts(o))
}
