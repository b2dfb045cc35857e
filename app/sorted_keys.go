package ui

import (
	"slices"

	"github.com/informerscope/informerscope/informer"
)

// sortedKeys is a store that lists its keys sorted. The indexer lists them
// in Go map order, as client-go's does, and Resync queues known objects in
// that order; the demo must play out the same way every time (its test
// checks exact rows), so the DeltaFIFO sees its KnownObjects through this.
type sortedKeys struct {
	informer.KeyListerGetter
}

func (s sortedKeys) ListKeys() []string {
	keys := s.KeyListerGetter.ListKeys()
	slices.Sort(keys)
	return keys
}
