package mock

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
)

// ListerWatcher is an informer's source on the server: one resource in one
// namespace ("" for all). It satisfies client-go's ListerWatcher and
// ListerWatcherWithContext shapes (and package informer's), structurally:
// lists are *unstructured.UnstructuredList, watches are *Watch.
//
// It does not say IsWatchListSemanticsUnSupported: the server speaks the
// streaming-list protocol, so a v0.37 Reflector uses it.
type ListerWatcher struct {
	s   *Server
	gvr schema.GroupVersionResource
	ns  string
}

// ListerWatcher returns the source for gvr in namespace ("" for all).
func (s *Server) ListerWatcher(gvr schema.GroupVersionResource, namespace string) *ListerWatcher {
	return &ListerWatcher{s: s, gvr: gvr, ns: namespace}
}

func (lw *ListerWatcher) List(opts metav1.ListOptions) (runtime.Object, error) {
	return lw.ListWithContext(context.Background(), opts)
}

func (lw *ListerWatcher) ListWithContext(ctx context.Context, opts metav1.ListOptions) (runtime.Object, error) {
	l, err := lw.s.list(ctx, lw.gvr, lw.ns, opts)
	if err != nil {
		return nil, err
	}
	return l, nil
}

func (lw *ListerWatcher) Watch(opts metav1.ListOptions) (watch.Interface, error) {
	return lw.WatchWithContext(context.Background(), opts)
}

func (lw *ListerWatcher) WatchWithContext(ctx context.Context, opts metav1.ListOptions) (watch.Interface, error) {
	w, err := lw.s.watch(ctx, lw.gvr, lw.ns, opts)
	if err != nil {
		return nil, err
	}
	return w, nil
}
