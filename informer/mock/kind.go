package mock

import (
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/informerscope/informerscope/informer/trace"
)

// Kind is a resource the server serves. Objects of every kind are
// *unstructured.Unstructured.
type Kind struct {
	Resource   schema.GroupVersionResource
	Kind       string // the object's kind, "Pod"; lists are Kind+"List"
	Namespaced bool
	// Generation says whether objects of the kind carry
	// metadata.generation, as pods, deployments and custom resources do and
	// configmaps do not.
	Generation bool
	// ConditionalUpdate says whether an update must carry
	// metadata.resourceVersion: custom resources are served with
	// AllowUnconditionalUpdate false (422 without one); the built-in kinds
	// here take unconditional updates.
	ConditionalUpdate bool
}

// The kinds every server serves from the start.
var (
	Pods        = Kind{Resource: schema.GroupVersionResource{Version: "v1", Resource: "pods"}, Kind: "Pod", Namespaced: true, Generation: true}
	ConfigMaps  = Kind{Resource: schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}, Kind: "ConfigMap", Namespaced: true}
	Deployments = Kind{Resource: schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}, Kind: "Deployment", Namespaced: true, Generation: true}
	// Widgets is a custom resource, as if a CRD widgets.example.com were
	// installed.
	Widgets = Kind{Resource: schema.GroupVersionResource{Group: "example.com", Version: "v1", Resource: "widgets"}, Kind: "Widget", Namespaced: true, Generation: true, ConditionalUpdate: true}
)

// apiVersion is what objects of the kind say in apiVersion: "v1",
// "apps/v1".
func (k Kind) apiVersion() string { return k.Resource.GroupVersion().String() }

// groupResource names the kind in Status errors, "configmaps" or
// "widgets.example.com", as the real server does.
func (k Kind) groupResource() schema.GroupResource { return k.Resource.GroupResource() }

// Register makes the server serve k. Registering a kind again replaces its
// description but keeps its objects.
func (s *Server) Register(k Kind) {
	s.mu.Lock()
	if st, ok := s.kinds[k.Resource]; ok {
		st.kind = k
		s.mu.Unlock()
		return
	}
	st := newKindStore(k, s.rv)
	s.kinds[k.Resource] = st
	s.traceLocked(trace.Event{Kind: trace.ServerResourceRegistered, Index: resourceName(k.Resource), RV: rvString(s.rv)}, nil, nil)
	s.mu.Unlock()
	s.flushTrace()
}

// sortedStoresLocked returns the kinds' stores in a fixed order, so that
// whatever the server does to all of them (waking watches, which may switch
// goroutines) happens in the same order every run.
func (s *Server) sortedStoresLocked() []*kindStore {
	out := make([]*kindStore, 0, len(s.kinds))
	for _, st := range s.kinds {
		out = append(out, st)
	}
	slices.SortFunc(out, func(a, b *kindStore) int { return strings.Compare(a.kind.Resource.String(), b.kind.Resource.String()) })
	return out
}
