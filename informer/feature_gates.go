package informer

import (
	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// FeatureGates mirrors the feature gates of client-go v0.37.2 that change
// how an informer works. client-go reads them from the process environment;
// here they are an explicit input of each informer, so that two informers
// in one page can run in different modes. The zero value is v0.37.2's
// defaults, where every one of these gates is on; each field turns one off.
type FeatureGates struct {
	// DisableInOrderInformers makes the informer use a DeltaFIFO (with the
	// indexer as KnownObjects and Replaced deltas) instead of a RealFIFO:
	// the classic pipeline most articles describe. In client-go the gate is
	// GA and locked on; only its test hook turns it off.
	DisableInOrderInformers bool
	// DisableAtomicFIFO makes the RealFIFO non-atomic: a relist is queued as
	// tombstones and Replaced deltas, a resync as Sync deltas, using the
	// indexer as KnownObjects, and bookmarks are not queued.
	DisableAtomicFIFO bool
	// DisableUnlockWhileProcessingFIFO keeps the RealFIFO locked while the
	// informer processes what it popped.
	DisableUnlockWhileProcessingFIFO bool
	// DisableInOrderInformersBatchProcess makes the controller Pop one delta
	// at a time instead of PopBatch.
	DisableInOrderInformersBatchProcess bool
	// DisableWatchListClient makes the Reflector LIST then WATCH instead of
	// first trying a streaming list.
	DisableWatchListClient bool
}

// newQueueFIFO returns the queue an informer of objects described by
// objectType uses with these gates; clientState is the informer's indexer.
func (g FeatureGates) newQueueFIFO(opts queueOptions) Queue {
	if g.DisableInOrderInformers {
		return NewDeltaFIFOWithOptions(DeltaFIFOOptions{
			Name:                  opts.name,
			KnownObjects:          opts.clientState,
			EmitDeltaTypeReplaced: true,
			Transformer:           opts.transform,
			Probe:                 opts.probe,
			Runtime:               opts.rt,
		})
	}
	o := RealFIFOOptions{
		Name:        opts.name,
		KeyFunction: MetaNamespaceKeyFunc,
		Transformer: opts.transform,
		Probe:       opts.probe,
		Runtime:     opts.rt,
	}
	if g.DisableAtomicFIFO {
		o.KnownObjects = opts.clientState
	} else {
		o.AtomicEvents = true
		o.UnlockWhileProcessing = !g.DisableUnlockWhileProcessingFIFO
		o.EmitDeltaTypeBookmark = true
	}
	return NewRealFIFOWithOptions(o)
}

// queueOptions is what newQueueFIFO needs of the informer.
type queueOptions struct {
	name        string
	clientState Store
	transform   TransformFunc
	probe       *trace.Probe
	rt          sim.Runtime
}
