//go:build !js

package mock_test

import (
	"context"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
)

// resourceAPI is the part of client-go's dynamic.ResourceInterface a
// comparison script uses. Both sides are adapted to it rather than asserted
// against dynamic.ResourceInterface, so a difference in the variadic
// subresources parameter does not matter.
type resourceAPI interface {
	Create(ctx context.Context, obj *unstructured.Unstructured) (*unstructured.Unstructured, error)
	Update(ctx context.Context, obj *unstructured.Unstructured) (*unstructured.Unstructured, error)
	Delete(ctx context.Context, name string) error
	List(ctx context.Context, opts metav1.ListOptions) (*unstructured.UnstructuredList, error)
	Watch(ctx context.Context, opts metav1.ListOptions) (watch.Interface, error)
}

// apiServer is one side of the comparison: the real kube-apiserver or the
// simulated one.
type apiServer interface {
	// resource returns the client for one resource in namespace ns, or
	// across all namespaces when ns is "".
	resource(gvr schema.GroupVersionResource, ns string) resourceAPI
	// prepare makes the namespaces and the widgets CRD usable.
	prepare(ctx context.Context, t *testing.T, namespaces []string)
	// expire makes every resourceVersion the server handed out so far too
	// old to watch from, the way a compaction or an evicted watch cache
	// window does; probe is a watch of widgets from such a version.
	expire(ctx context.Context, t *testing.T, probe func() bool)
}

var (
	configMapsGVR = schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}
	widgetsGVR    = schema.GroupVersionResource{Group: "example.com", Version: "v1", Resource: "widgets"}
)
