package trace

// The kinds of the shared processor and its listeners. A listener's events
// are named by the listener (Comp); a notification is described by Type
// ("add", "update" or "delete"), Obj (the new object, or the deleted one),
// Old (an update's old object) and Initial (an add from the initial list).
//
// A listener moves a notification along: distribute hands it to addCh; the
// listener's pop goroutine either offers it at once on nextCh (Offered) or,
// when one is already offered, pushes it into pendingNotifications, a ring
// that only grows; the run goroutine takes the offered one and calls the
// handler.
const (
	// ListenerAdded: a listener for handler Value joined processor Key,
	// syncing, with a ring of capacity Cap.
	ListenerAdded Kind = listenerBase + iota
	// ListenerRemoved: the listener left its processor; its pop goroutine
	// ends and drops what is pending.
	ListenerRemoved
	// NotificationDistributed: the processor is handing a notification to
	// the listeners named in Keys (Reason "sync" for a sync notification,
	// which only syncing listeners get).
	NotificationDistributed
	// NotificationSent: distribute is sending the notification to this
	// listener's addCh; Left is the count of initial adds not yet handled.
	NotificationSent
	// NotificationOffered: pop took the notification from addCh and, with
	// nothing pending, offers it on nextCh.
	NotificationOffered
	// RingPushed: pop took the notification from addCh and pushed it into
	// the ring, which now holds Count items in capacity Cap.
	RingPushed
	// NotificationHandedOff: run took the offered notification; pop now
	// offers the ring's oldest, if any (the ring then holds Count items, in
	// capacity Cap).
	NotificationHandedOff
	// HandlerStarted: run calls the handler with the notification.
	HandlerStarted
	// HandlerFinished: the handler returned (Reason holds a panic); Left is
	// the count of initial adds not yet handled.
	HandlerFinished
	// ListenerSynced: the registration's HasSynced became true.
	ListenerSynced
	// ListenerStopped: the listener's goroutines ended; what was pending was
	// dropped.
	ListenerStopped
	// ResyncChecked: the processor decided which listeners are due a resync:
	// those in Keys are now syncing, the others not.
	ResyncChecked
)

var listenerKinds = map[Kind]string{
	ListenerAdded:           "ListenerAdded",
	ListenerRemoved:         "ListenerRemoved",
	NotificationDistributed: "NotificationDistributed",
	NotificationSent:        "NotificationSent",
	NotificationOffered:     "NotificationOffered",
	RingPushed:              "RingPushed",
	NotificationHandedOff:   "NotificationHandedOff",
	HandlerStarted:          "HandlerStarted",
	HandlerFinished:         "HandlerFinished",
	ListenerSynced:          "ListenerSynced",
	ListenerStopped:         "ListenerStopped",
	ResyncChecked:           "ResyncChecked",
}
