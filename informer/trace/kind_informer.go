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
)

var informerKinds = map[Kind]string{
	InformerStarted: "InformerStarted",
	InformerSynced:  "InformerSynced",
	InformerStopped: "InformerStopped",
}
