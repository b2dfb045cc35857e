// Package informer is InformerScope's re-implementation of the informer
// machinery of client-go's tools/cache (v0.37.2): the stores and indexes, the
// queues (DeltaFIFO and RealFIFO), the ListerWatcher and the Reflector, the
// controller, the shared informer with its processor and listeners, and the
// mutation detector. Names, constructors and method signatures are
// client-go's wherever the concept exists, so the two can be read side by
// side; the files are named as in client-go too.
//
// Two things differ from client-go, both so that the visualiser can show and
// replay what happens:
//
//   - Every state change is reported as one trace event through an optional
//     *trace.Probe (see package trace). A nil probe costs one comparison.
//   - Everything concurrent (goroutines, channels, locks held across
//     blocking calls, timers, the clock, randomness) goes through a
//     sim.Runtime, so a deterministic runtime can decide who runs next.
//     Feature gates are an explicit input (FeatureGates), not the
//     environment.
//
// Where client-go iterates a Go map, and so answers in a random order, this
// package picks one fixed order: List and ListKeys answer in key order (so
// Replace and Resync walk known objects in key order too), a store indexes in
// key order, and DeltaFIFO walks its queue in queue order. Each is one of the
// orders client-go can produce; the differential tests compare such results
// as sets. A fixed order is what makes a trace repeatable.
//
// There are three kinds of strings, as in client-go:
//
//  1. a storage key, "<namespace>/<name>", or "<name>" when the namespace is
//     empty (see MetaNamespaceKeyFunc);
//  2. the name of an index;
//  3. an indexed value, produced by an IndexFunc.
package informer
