package trace

// The kinds of the shared informer itself; its controller's work shows as
// the queue's, the reflector's and the processor's events.
const (
	// InformerStarted: Run built the queue and the controller.
	InformerStarted Kind = informerBase + iota
	// InformerSynced: the queue synced, so the informer's HasSynced is true.
	InformerSynced
	// InformerStopped: the controller returned; no handler can be added.
	InformerStopped
	// MutationDetected: an object of the cache (Obj) no longer equals the
	// copy taken when it was cached; Reason holds the diff. The informer
	// stops, as client-go's detector panics.
	MutationDetected
)

var informerKinds = map[Kind]string{
	InformerStarted:  "InformerStarted",
	InformerSynced:   "InformerSynced",
	InformerStopped:  "InformerStopped",
	MutationDetected: "MutationDetected",
}
