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
	// otherReplica: the client's writes and gets go through another API
	// server of the same cluster, which Restart does not take down.
	otherReplica bool
}

// Resource returns a client for gvr across all namespaces (for a
// namespaced kind, Namespace narrows it; writes need a namespace).
func (s *Server) Resource(gvr schema.GroupVersionResource) *ResourceClient {
	return &ResourceClient{s: s, gvr: gvr}
}

// Namespace returns a client for the same resource in ns.
func (c *ResourceClient) Namespace(ns string) *ResourceClient {
	return &ResourceClient{s: c.s, gvr: c.gvr, ns: ns, otherReplica: c.otherReplica}
}

// ThroughOtherReplica returns a client whose creates, updates, deletes and
// gets reach the cluster through another API server, as in a highly
// available cluster: while Restart has this server down, they still work,
// with the same objects and resourceVersions. That is how objects change
// while an informer is cut off, and come back to it as a relist's updates
// and tombstones. Lists and watches still go through this server.
func (c *ResourceClient) ThroughOtherReplica() *ResourceClient {
	return &ResourceClient{s: c.s, gvr: c.gvr, ns: c.ns, otherReplica: true}
}

// refused is the server's connection-refused error while it is down,
// unless the client goes through another replica.
func (c *ResourceClient) refused(verb, name string) error {
	if c.otherReplica {
		return nil
	}
	return c.s.refused(verb, c.gvr, c.ns, name)
}

func (c *ResourceClient) Create(_ context.Context, obj *unstructured.Unstructured, _ metav1.CreateOptions) (*unstructured.Unstructured, error) {
	if err := c.refused("POST", ""); err != nil {
		return nil, err
	}
	return c.s.create(c.gvr, c.ns, obj)
}

func (c *ResourceClient) Update(_ context.Context, obj *unstructured.Unstructured, _ metav1.UpdateOptions) (*unstructured.Unstructured, error) {
	if err := c.refused("PUT", obj.GetName()); err != nil {
		return nil, err
	}
	return c.s.update(c.gvr, c.ns, obj)
}

func (c *ResourceClient) Delete(_ context.Context, name string, opts metav1.DeleteOptions) error {
	if err := c.refused("DELETE", name); err != nil {
		return err
	}
	return c.s.remove(c.gvr, c.ns, name, opts)
}

func (c *ResourceClient) Get(_ context.Context, name string, _ metav1.GetOptions) (*unstructured.Unstructured, error) {
	if err := c.refused("GET", name); err != nil {
		return nil, err
	}
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
