//go:build !js

package mock_test

import (
	"context"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/informerscope/informerscope/informer/mock"
	"github.com/informerscope/informerscope/informer/sim"
)

// mockServer is the simulated kube-apiserver on the native runtime: the
// comparison runs in real time, as against the real server.
type mockServer struct{ s *mock.Server }

func newMockServer(*testing.T) apiServer {
	return mockServer{mock.NewServer(mock.Options{Runtime: sim.Native()})}
}

func (m mockServer) resource(gvr schema.GroupVersionResource, ns string) resourceAPI {
	if ns == "" {
		return mockAPI{m.s.Resource(gvr)}
	}
	return mockAPI{m.s.Resource(gvr).Namespace(ns)}
}

// prepare has nothing to do: the mock serves every namespace and has
// Widgets registered.
func (mockServer) prepare(context.Context, *testing.T, []string) {}

func (m mockServer) expire(_ context.Context, t *testing.T, probe func() bool) {
	m.s.Compact()
	if !probe() {
		t.Error("after Compact, a watch of widgets from @0 is not refused as too old")
	}
}

// mockAPI adapts mock.ResourceClient to resourceAPI.
type mockAPI struct{ r *mock.ResourceClient }

func (a mockAPI) Create(ctx context.Context, obj *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	return a.r.Create(ctx, obj, metav1.CreateOptions{})
}
func (a mockAPI) Update(ctx context.Context, obj *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	return a.r.Update(ctx, obj, metav1.UpdateOptions{})
}
func (a mockAPI) Delete(ctx context.Context, name string) error {
	return a.r.Delete(ctx, name, metav1.DeleteOptions{})
}
func (a mockAPI) List(ctx context.Context, opts metav1.ListOptions) (*unstructured.UnstructuredList, error) {
	return a.r.List(ctx, opts)
}
func (a mockAPI) Watch(ctx context.Context, opts metav1.ListOptions) (watch.Interface, error) {
	return a.r.Watch(ctx, opts)
}
