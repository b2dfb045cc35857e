package trace

import "fmt"

// ListenerState is what one processorListener holds.
type ListenerState struct {
	Processor string
	Handler   string
	// Syncing is the processor's flag for this listener: whether it gets
	// sync notifications.
	Syncing bool
	// Offered is the notification pop offers on nextCh; nil when none.
	Offered *Notification
	// Ring is pendingNotifications, oldest first, and RingCap its capacity.
	Ring    []Notification
	RingCap int
	// Handling is the notification run has taken, while the handler runs.
	Handling *Notification
	// InitialPending counts initial adds handed over and not yet handled.
	InitialPending int
	Synced         bool
	Removed        bool
	Stopped        bool
}

// Notification is one add, update or delete on its way to a handler.
type Notification struct {
	Type    string // "add", "update" or "delete"
	Obj     ObjRef
	Old     ObjRef
	Initial bool
}

func notificationOf(e Event) Notification {
	return Notification{Type: e.Type, Obj: e.Obj, Old: e.Old, Initial: e.Initial}
}

// Listener returns the state of the named listener, creating it empty.
func (s *Snapshot) Listener(comp string) *ListenerState {
	l := s.Listeners[comp]
	if l == nil {
		l = &ListenerState{}
		s.Listeners[comp] = l
	}
	return l
}

func (s *Snapshot) applyListener(e Event) {
	switch e.Kind {
	case ListenerAdded:
		l := s.Listener(e.Comp)
		l.Processor, l.Handler, l.Syncing, l.RingCap = e.Key, e.Value, true, e.Cap
	case ListenerRemoved:
		s.Listener(e.Comp).Removed = true
	case NotificationDistributed:
		// Informational: the sends that follow change the listeners.
	case NotificationSent:
		s.Listener(e.Comp).InitialPending = e.Left
	case NotificationOffered:
		n := notificationOf(e)
		s.Listener(e.Comp).Offered = &n
	case RingPushed:
		l := s.Listener(e.Comp)
		l.Ring = append(l.Ring, notificationOf(e))
		l.RingCap = e.Cap
	case NotificationHandedOff:
		l := s.Listener(e.Comp)
		l.Offered = nil
		if len(l.Ring) > 0 {
			head := l.Ring[0]
			l.Offered = &head
			l.Ring = append([]Notification(nil), l.Ring[1:]...)
		}
	case HandlerStarted:
		n := notificationOf(e)
		s.Listener(e.Comp).Handling = &n
	case HandlerFinished:
		l := s.Listener(e.Comp)
		l.Handling = nil
		l.InitialPending = e.Left
	case ListenerSynced:
		s.Listener(e.Comp).Synced = true
	case ListenerStopped:
		l := s.Listener(e.Comp)
		l.Stopped, l.Offered, l.Ring = true, nil, nil
	case ResyncChecked:
		due := map[string]bool{}
		for _, k := range e.Keys {
			due[k] = true
		}
		for name, l := range s.Listeners {
			if l.Processor == e.Comp && !l.Removed {
				l.Syncing = due[name]
			}
		}
	}
}

func diffListener(a, b *ListenerState) string {
	if a == nil {
		a = &ListenerState{}
	}
	if b == nil {
		b = &ListenerState{}
	}
	if fa, fb := formatListener(a), formatListener(b); fa != fb {
		return fa + " != " + fb
	}
	return ""
}

func formatListener(l *ListenerState) string {
	return fmt.Sprintf("{processor %s handler %s syncing %v offered %s ring %v/%d handling %s initial %d synced %v removed %v stopped %v}",
		l.Processor, l.Handler, l.Syncing, fmtNotification(l.Offered), l.Ring, l.RingCap, fmtNotification(l.Handling),
		l.InitialPending, l.Synced, l.Removed, l.Stopped)
}

func fmtNotification(n *Notification) string {
	if n == nil {
		return "-"
	}
	return fmt.Sprint(*n)
}
