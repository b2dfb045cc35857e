package informer

import "github.com/informerscope/informerscope/informer/trace"

// The notifications the shared processor hands to its listeners.
//
// When tracing, a notification also carries the trace references of its
// objects (refs), taken once by the processor: every listener reports every
// hand-off of it, and looking the objects up again each time was most of
// the cost of tracing them. A processor and its listeners report to one
// recorder, so the references hold for all of them. Zero references (a
// notification made elsewhere, or untraced) are looked up when needed.
type (
	addNotification struct {
		newObj          any
		refs            notificationRefs
		isInInitialList bool
	}
	updateNotification struct {
		oldObj any
		newObj any
		refs   notificationRefs
	}
	deleteNotification struct {
		oldObj any
		refs   notificationRefs
	}
)

// notificationRefs are the trace references of a notification's new and
// old objects.
type notificationRefs struct{ obj, old trace.ObjRef }

// carriedRef returns ref, or, if it was not taken, the reference of obj.
func carriedRef(p *trace.Probe, ref trace.ObjRef, obj any) trace.ObjRef {
	if ref != 0 {
		return ref
	}
	return p.Ref(obj)
}

// notification is one of the notifications above, as distributeNotification
// takes them: unboxed, so that a traced one gets its references before it
// is boxed, once, into the any the listeners take.
type notification interface {
	addNotification | updateNotification | deleteNotification
}

// takeRefs makes the notification n points to carry the references of its
// objects. It looks them up in the order notificationEvent reports them, so
// that objects get the same references in the same order as without the
// cache.
func takeRefs(p *trace.Probe, n any) {
	switch n := n.(type) {
	case *addNotification:
		n.refs.obj = p.Ref(n.newObj)
	case *updateNotification:
		n.refs.obj = p.Ref(n.newObj)
		n.refs.old = p.Ref(n.oldObj)
	case *deleteNotification:
		n.refs.old = p.Ref(n.oldObj)
	}
}

// notificationEvent fills the notification fields of a trace event.
func notificationEvent(p *trace.Probe, kind trace.Kind, n any) trace.Event {
	e := trace.Event{Kind: kind}
	switch n := n.(type) {
	case addNotification:
		e.Type, e.Obj, e.Initial = "add", carriedRef(p, n.refs.obj, n.newObj), n.isInInitialList
	case updateNotification:
		e.Type, e.Obj, e.Old = "update", carriedRef(p, n.refs.obj, n.newObj), carriedRef(p, n.refs.old, n.oldObj)
	case deleteNotification:
		e.Type, e.Obj = "delete", carriedRef(p, n.refs.old, n.oldObj)
	}
	return e
}

// traceNotification is how a trace shows a notification, nil for none.
func traceNotification(p *trace.Probe, n any) *trace.Notification {
	if n == nil {
		return nil
	}
	e := notificationEvent(p, 0, n)
	return &trace.Notification{Type: e.Type, Obj: e.Obj, Old: e.Old, Initial: e.Initial}
}
