package informer

import (
	"errors"
	"time"

	"k8s.io/apimachinery/pkg/runtime"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// The plain (not shared) informers: a store kept up to date and one handler,
// with no processor between them. The handler is called on the
// controller's goroutine, so a slow handler slows the informer.

// InformerOptions configures NewInformerWithOptions.
type InformerOptions struct {
	ListerWatcher ListerWatcher
	// ObjectType is an example of the objects listed.
	ObjectType runtime.Object
	// Handler is told of every change.
	Handler ResourceEventHandler
	// ResyncPeriod is how often every cached object is handed to
	// Handler.OnUpdate again; 0 means never.
	ResyncPeriod time.Duration
	// MinWatchTimeout raises the watch timeout, if above 5 min.
	MinWatchTimeout time.Duration
	// Indexers, if set, make the store an Indexer.
	Indexers Indexers
	// Transform is applied to objects before they are queued.
	Transform TransformFunc

	// Name, Runtime, Recorder and Gates are as in SharedIndexInformerOptions.
	Name     string
	Runtime  sim.Runtime
	Recorder *trace.Recorder
	Gates    FeatureGates
}

// NewInformerWithOptions returns the store and the controller that fills
// it; run the controller.
func NewInformerWithOptions(options InformerOptions) (Store, Controller) {
	if options.Name == "" {
		options.Name = "informer"
	}
	opts := []StoreOption{WithProbe(options.Recorder.Probe(options.Name + "/store")), WithFeatureGates(options.Gates)}
	var clientState Store
	if options.Indexers == nil {
		clientState = NewStore(DeletionHandlingMetaNamespaceKeyFunc, opts...)
	} else {
		clientState = NewIndexer(DeletionHandlingMetaNamespaceKeyFunc, options.Indexers, opts...)
	}
	return clientState, newInformer(clientState, options)
}

// NewInformer returns a store and its controller.
//
// Deprecated: use NewInformerWithOptions.
func NewInformer(lw ListerWatcher, objType runtime.Object, resyncPeriod time.Duration, h ResourceEventHandler) (Store, Controller) {
	return NewInformerWithOptions(InformerOptions{ListerWatcher: lw, ObjectType: objType, Handler: h, ResyncPeriod: resyncPeriod})
}

// NewIndexerInformer returns an indexer and its controller.
//
// Deprecated: use NewInformerWithOptions.
func NewIndexerInformer(lw ListerWatcher, objType runtime.Object, resyncPeriod time.Duration, h ResourceEventHandler, indexers Indexers) (Indexer, Controller) {
	s, c := NewInformerWithOptions(InformerOptions{ListerWatcher: lw, ObjectType: objType, Handler: h, ResyncPeriod: resyncPeriod, Indexers: indexers})
	return s.(Indexer), c
}

func newInformer(clientState Store, options InformerOptions) Controller {
	rt := sim.Or(options.Runtime)
	fifo := options.Gates.newQueueFIFO(queueOptions{
		name: options.Name + "/queue", clientState: clientState, transform: options.Transform,
		probe: options.Recorder.Probe(options.Name + "/queue"), rt: rt,
	})
	keyFunc := DeletionHandlingMetaNamespaceKeyFunc
	return New(&Config{
		Queue:            fifo,
		ListerWatcher:    options.ListerWatcher,
		ObjectType:       options.ObjectType,
		FullResyncPeriod: options.ResyncPeriod,
		MinWatchTimeout:  options.MinWatchTimeout,
		Process: func(obj any, isInInitialList bool) error {
			deltas, ok := obj.(Deltas)
			if !ok {
				return errors.New("object given as Process argument is not Deltas")
			}
			return processDeltas(options.Handler, clientState, deltas, isInInitialList, keyFunc)
		},
		ProcessBatch: func(deltas []Delta, isInInitialList bool) error {
			return processDeltasInBatch(options.Handler, clientState, deltas, isInInitialList, keyFunc)
		},
		Runtime:  rt,
		Name:     options.Name,
		Recorder: options.Recorder,
		Gates:    options.Gates,
	})
}
