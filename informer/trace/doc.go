// Package trace is the vocabulary InformerScope's views are drawn from.
//
// Every state change inside an informer component (a store, an index, a
// queue) is reported as exactly one Event through a Probe. The events form a
// closed set of kinds, listed in kind.go. A view never looks inside a
// component: what it draws at step N is Fold(events[:N]), a pure function of
// the events.
//
// Words used throughout:
//
//   - component: one store or queue, named by the Comp field of its events
//     ("indexer", "DeltaFIFO", "RealFIFO", ...).
//   - key: the store key of an object, "<namespace>/<name>", or "<name>" for
//     objects without a namespace.
//   - object reference (ObjRef): an index into the recorder's object table.
//     The same object (the same pointer) always gets the same reference, so a
//     view can tell when two places hold the very same object. 0 means nil.
//   - entry: one slot of a queue. A DeltaFIFO entry is a key with all of its
//     queued Deltas; a RealFIFO entry is a single Delta.
package trace
