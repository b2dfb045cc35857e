package kubetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
)

// SeedConfigMaps makes namespace ns hold n ConfigMaps named cm-00000 ...,
// each with a small data map, creating only what is missing, so that a
// benchmark of the initial list (natively, or of the page in a browser)
// reuses a namespace seeded by an earlier run on the same server.
func SeedConfigMaps(t testing.TB, cfg *rest.Config, ns string, n int) {
	t.Helper()
	c, err := dynamic.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	nsObj := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": ns}}}
	if _, err := c.Resource(schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}).Create(ctx, nsObj, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
	cms := c.Resource(schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}).Namespace(ns)
	have := map[string]bool{}
	l, err := cms.List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range l.Items {
		have[it.GetName()] = true
	}
	names := make(chan string)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for range 16 { // the server takes parallel creates far faster than serial ones
		wg.Add(1)
		go func() {
			defer wg.Done()
			for name := range names {
				o := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "ConfigMap",
					"metadata": map[string]any{"name": name, "labels": map[string]any{"app": "bench"}},
					"data":     map[string]any{"key": "value of " + name, "other": "0123456789abcdef"}}}
				if _, err := cms.Create(ctx, o, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := range n {
		if name := fmt.Sprintf("cm-%05d", i); !have[name] {
			names <- name
		}
	}
	close(names)
	wg.Wait()
	if firstErr != nil {
		t.Fatalf("seeding %s: %v", ns, firstErr)
	}
}
