package informer

import "github.com/informerscope/informerscope/informer/trace"

// The notifications the shared processor hands to its listeners.
type (
	addNotification struct {
		newObj          any
		isInInitialList bool
	}
	updateNotification struct {
		oldObj any
		newObj any
	}
	deleteNotification struct {
		oldObj any
	}
)

// notificationEvent fills the notification fields of a trace event.
func notificationEvent(p *trace.Probe, kind trace.Kind, n any) trace.Event {
	e := trace.Event{Kind: kind}
	switch n := n.(type) {
	case addNotification:
		e.Type, e.Obj, e.Initial = "add", p.Ref(n.newObj), n.isInInitialList
	case updateNotification:
		e.Type, e.Obj, e.Old = "update", p.Ref(n.newObj), p.Ref(n.oldObj)
	case deleteNotification:
		e.Type, e.Obj = "delete", p.Ref(n.oldObj)
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
