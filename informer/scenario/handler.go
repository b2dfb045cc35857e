package scenario

import (
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/informerscope/informerscope/informer"
	"github.com/informerscope/informerscope/informer/sim"
)

// Call is one call a scenario handler received.
type Call struct {
	At   time.Duration // virtual time since sim.Epoch, when the call began
	Call string        // "OnAdd", "OnUpdate" or "OnDelete"
	Key  string
	// Initial: an OnAdd of the initial list. Tombstone: an OnDelete of a
	// DeletedFinalStateUnknown.
	Initial, Tombstone bool
	// RV and UID are the object's; OldRV and OldUID an update's old object's.
	RV, OldRV, UID, OldUID string
}

func (c Call) String() string {
	s := fmt.Sprintf("%s %s", c.Call, c.Key)
	switch {
	case c.Initial:
		s += " initial"
	case c.Tombstone:
		s += " tombstone"
	case c.Call == "OnUpdate":
		s += fmt.Sprintf(" rv %s->%s", c.OldRV, c.RV)
		if c.UID != c.OldUID {
			s += " uid-changed"
		}
	}
	return s
}

// matches tells whether the call fits the pattern.
func (c Call) matches(p CallPattern) bool {
	if (p.Call != "" && p.Call != c.Call) || (p.Key != "" && p.Key != c.Key) {
		return false
	}
	for _, f := range p.Flags {
		ok := false
		switch f {
		case "initial":
			ok = c.Initial
		case "tombstone":
			ok = c.Tombstone
		case "same-rv":
			ok = c.Call == "OnUpdate" && c.RV == c.OldRV
		case "uid-changed":
			ok = c.Call == "OnUpdate" && c.UID != c.OldUID
		}
		if !ok {
			return false
		}
	}
	return true
}

// handler is a scenario's event handler: it logs each call, takes its
// latency of virtual time, and, if it mutates, changes the cached object it
// was given, as a buggy controller would.
type handler struct {
	spec  Handler
	rt    sim.Runtime
	calls []Call
}

var _ informer.NamedHandler = &handler{}

func (h *handler) HandlerName() string { return h.spec.Name }

func (h *handler) OnAdd(obj any, isInInitialList bool) {
	c := h.begin("OnAdd", obj)
	c.Initial = isInInitialList
	h.finish(c)
	// Only after the initial list: the detector's first comparison must
	// see the object as it came from the server.
	if !isInInitialList {
		h.mutate(obj)
	}
}

func (h *handler) OnUpdate(oldObj, newObj any) {
	c := h.begin("OnUpdate", newObj)
	if m, err := metaOf(oldObj); err == nil {
		c.OldRV, c.OldUID = m.GetResourceVersion(), string(m.GetUID())
	}
	h.finish(c)
	h.mutate(newObj)
}

func (h *handler) OnDelete(obj any) {
	c := h.begin("OnDelete", obj)
	if t, ok := obj.(informer.DeletedFinalStateUnknown); ok {
		c.Tombstone, c.Key = true, t.Key
	}
	h.finish(c)
}

func (h *handler) begin(call string, obj any) Call {
	c := Call{At: h.rt.Since(sim.Epoch), Call: call}
	c.Key, _ = informer.DeletionHandlingMetaNamespaceKeyFunc(obj)
	if m, err := metaOf(obj); err == nil {
		c.RV, c.UID = m.GetResourceVersion(), string(m.GetUID())
	}
	return c
}

// finish logs the call, then spends the handler's latency.
func (h *handler) finish(c Call) {
	h.calls = append(h.calls, c)
	if h.spec.Latency > 0 {
		h.rt.Sleep(h.spec.Latency)
	}
}

func (h *handler) mutate(obj any) {
	u, ok := obj.(*unstructured.Unstructured)
	if !h.spec.Mutates || !ok {
		return
	}
	l := u.GetLabels()
	if l == nil {
		l = map[string]string{}
	}
	l["mutated-by"] = h.spec.Name
	u.SetLabels(l)
}

// metaOf reads an object's metadata; a tombstone has none.
func metaOf(obj any) (metav1.Object, error) {
	if _, ok := obj.(informer.DeletedFinalStateUnknown); ok {
		return nil, fmt.Errorf("tombstone")
	}
	return meta.Accessor(obj)
}
