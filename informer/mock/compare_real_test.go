//go:build !js

package mock_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
)

// realServer drives a real kube-apiserver through client-go's dynamic
// client.
type realServer struct {
	client  dynamic.Interface
	etcdURL string // the etcd behind it, for compaction
}

func newRealServer(t *testing.T, cfg *rest.Config, etcdURL string) *realServer {
	c, err := dynamic.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &realServer{client: c, etcdURL: etcdURL}
}

func (s *realServer) resource(gvr schema.GroupVersionResource, ns string) resourceAPI {
	if ns == "" {
		return dynamicAPI{s.client.Resource(gvr)}
	}
	return dynamicAPI{s.client.Resource(gvr).Namespace(ns)}
}

var (
	namespacesGVR = schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}
	crdGVR        = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
)

const widgetsCRD = "widgets.example.com"

// prepare creates the namespaces (unique per run: without
// kube-controller-manager a deleted namespace stays Terminating) and the
// widgets CRD, which outlives the run and is reused by the next one.
func (s *realServer) prepare(ctx context.Context, t *testing.T, namespaces []string) {
	for _, ns := range namespaces {
		obj := &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": ns},
		}}
		if _, err := s.client.Resource(namespacesGVR).Create(ctx, obj, metav1.CreateOptions{}); err != nil {
			t.Fatalf("create namespace %s: %v", ns, err)
		}
	}
	crd := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
		"metadata": map[string]any{"name": widgetsCRD},
		"spec": map[string]any{
			"group": "example.com",
			"scope": "Namespaced",
			"names": map[string]any{"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"},
			"versions": []any{map[string]any{
				"name": "v1", "served": true, "storage": true,
				"schema": map[string]any{"openAPIV3Schema": map[string]any{
					"type": "object", "x-kubernetes-preserve-unknown-fields": true,
				}},
			}},
		},
	}}
	if _, err := s.client.Resource(crdGVR).Create(ctx, crd, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatalf("create CRD: %v", err)
	}
	waitFor(t, 30*time.Second, "CRD "+widgetsCRD+" Established", func() bool {
		got, err := s.client.Resource(crdGVR).Get(ctx, widgetsCRD, metav1.GetOptions{})
		return err == nil && crdEstablished(got)
	})
	// Established means the API is served; the first list proves the
	// storage behind it answers.
	waitFor(t, 30*time.Second, "widgets served", func() bool {
		_, err := s.client.Resource(widgetsGVR).Namespace(namespaces[0]).List(ctx, metav1.ListOptions{})
		return err == nil
	})
}

func crdEstablished(crd *unstructured.Unstructured) bool {
	conds, _, _ := unstructured.NestedSlice(crd.Object, "status", "conditions")
	for _, c := range conds {
		m, _ := c.(map[string]any)
		if m["type"] == "Established" && m["status"] == "True" {
			return true
		}
	}
	return false
}

// expire forgets the history as a compaction does, honestly, in two moves.
// First etcd is compacted at its current revision, so exact lists and
// continue tokens from before fail as after kube-apiserver's own periodic
// compaction. That alone does not expire watches: kube-apiserver serves
// every watch from its watch cache, whose window ignores etcd compaction
// (the cacher only compacts its list snapshots) and moves only by evicting
// events older than 75 s. But any change to a CRD's spec makes the CRD
// handler replace the custom resources' storage, and the new watch cache
// starts from a fresh list, so a watch of widgets from any earlier
// resourceVersion gets 410 "too old resource version". ConfigMaps' watch
// cache keeps its window, so the scripts expect a 410 from widgets only.
// The storage swap is asynchronous, so this waits until the probe sees it.
func (s *realServer) expire(ctx context.Context, t *testing.T, probe func() bool) {
	compactEtcd(ctx, t, s.etcdURL)
	crds := s.client.Resource(crdGVR)
	crd, err := crds.Get(ctx, widgetsCRD, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	versions, _, _ := unstructured.NestedSlice(crd.Object, "spec", "versions")
	v0 := versions[0].(map[string]any)
	desc := fmt.Sprintf("storage replaced at %s", time.Now().UTC().Format(time.RFC3339Nano))
	if err := unstructured.SetNestedField(v0, desc, "schema", "openAPIV3Schema", "description"); err != nil {
		t.Fatal(err)
	}
	if err := unstructured.SetNestedSlice(crd.Object, versions, "spec", "versions"); err != nil {
		t.Fatal(err)
	}
	if _, err := crds.Update(ctx, crd, metav1.UpdateOptions{}); err != nil {
		t.Fatalf("update CRD: %v", err)
	}
	waitFor(t, 20*time.Second, "the widgets' new watch cache", probe)
}

func waitFor(t *testing.T, limit time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", limit, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// dynamicAPI adapts dynamic.ResourceInterface to resourceAPI.
type dynamicAPI struct{ r dynamic.ResourceInterface }

func (d dynamicAPI) Create(ctx context.Context, obj *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	return d.r.Create(ctx, obj, metav1.CreateOptions{})
}
func (d dynamicAPI) Update(ctx context.Context, obj *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	return d.r.Update(ctx, obj, metav1.UpdateOptions{})
}
func (d dynamicAPI) Delete(ctx context.Context, name string) error {
	return d.r.Delete(ctx, name, metav1.DeleteOptions{})
}
func (d dynamicAPI) List(ctx context.Context, opts metav1.ListOptions) (*unstructured.UnstructuredList, error) {
	return d.r.List(ctx, opts)
}
func (d dynamicAPI) Watch(ctx context.Context, opts metav1.ListOptions) (watch.Interface, error) {
	return d.r.Watch(ctx, opts)
}
