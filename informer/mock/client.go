package mock

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
)

// ResourceClient reaches one resource of the server, in one namespace or
// across all. Its methods have the shapes of client-go's
// dynamic.ResourceInterface, so that one test can drive both the mock and
// a real server.
type ResourceClient struct {
	s   *Server
	gvr schema.GroupVersionResource
	ns  string
}

// Resource returns a client for gvr across all namespaces (for a
// namespaced kind, Namespace narrows it; writes need a namespace).
func (s *Server) Resource(gvr schema.GroupVersionResource) *ResourceClient {
	return &ResourceClient{s: s, gvr: gvr}
}

// Namespace returns a client for the same resource in ns.
func (c *ResourceClient) Namespace(ns string) *ResourceClient {
	return &ResourceClient{s: c.s, gvr: c.gvr, ns: ns}
}

func (c *ResourceClient) Create(_ context.Context, obj *unstructured.Unstructured, _ metav1.CreateOptions) (*unstructured.Unstructured, error) {
	return c.s.create(c.gvr, c.ns, obj)
}

func (c *ResourceClient) Update(_ context.Context, obj *unstructured.Unstructured, _ metav1.UpdateOptions) (*unstructured.Unstructured, error) {
	return c.s.update(c.gvr, c.ns, obj)
}

func (c *ResourceClient) Delete(_ context.Context, name string, opts metav1.DeleteOptions) error {
	return c.s.remove(c.gvr, c.ns, name, opts)
}

func (c *ResourceClient) Get(_ context.Context, name string, _ metav1.GetOptions) (*unstructured.Unstructured, error) {
	return c.s.get(c.gvr, c.ns, name)
}

func (c *ResourceClient) List(ctx context.Context, opts metav1.ListOptions) (*unstructured.UnstructuredList, error) {
	return c.s.list(ctx, c.gvr, c.ns, opts)
}

// Watch returns a *Watch: SimResultChan for goroutines of the server's
// runtime, ResultChan under the native runtime.
func (c *ResourceClient) Watch(ctx context.Context, opts metav1.ListOptions) (watch.Interface, error) {
	w, err := c.s.watch(ctx, c.gvr, c.ns, opts)
	if err != nil {
		return nil, err
	}
	return w, nil
}
