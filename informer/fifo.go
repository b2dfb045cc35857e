package informer

import "errors"

// PopProcessFunc processes what one Pop took out of a queue.
// isInInitialList tells whether it belongs to the queue's initial population
// (the first Replace), that is, whether the queue had not yet synced when it
// was popped.
type PopProcessFunc func(obj any, isInInitialList bool) error

// ProcessBatchFunc processes the deltas of one PopBatch, oldest first.
type ProcessBatchFunc func(deltas []Delta, isInInitialList bool) error

// ErrFIFOClosed is returned by Pop and PopBatch on a closed, empty queue. Its
// text names DeltaFIFO for every queue, as in client-go.
var ErrFIFOClosed = errors.New("DeltaFIFO: manipulating with closed queue")

// ErrZeroLengthDeltasObject is the KeyOf error for an empty Deltas.
var ErrZeroLengthDeltasObject = errors.New("0 length Deltas object; can't get key")

// ReflectorStore is what a Reflector writes to.
type ReflectorStore interface {
	Add(obj any) error
	Update(obj any) error
	Delete(obj any) error
	// Replace takes ownership of the list.
	Replace(list []any, resourceVersion string) error
	Resync() error
}

// TransformingStore is a ReflectorStore that transforms what it is given;
// a Reflector applies the same transformer to its temporary stores.
type TransformingStore interface {
	ReflectorStore
	Transformer() TransformFunc
}

// Queue is a ReflectorStore that a consumer pops from.
type Queue interface {
	ReflectorStore
	// Pop waits until the queue is non-empty or closed, takes out the head
	// and calls process with it. A closed, empty queue gives ErrFIFOClosed.
	// The process error is returned; the item is not requeued.
	Pop(PopProcessFunc) (any, error)
	// HasSynced tells whether the initial population has been popped.
	HasSynced() bool
	HasSyncedChecker() DoneChecker
	// Close makes Pop return ErrFIFOClosed once the queue is empty; it does
	// not discard what is queued.
	Close()
}

// QueueWithBatch is a Queue that can also pop several deltas at once.
type QueueWithBatch interface {
	Queue
	PopBatch(processBatch ProcessBatchFunc, processSingle PopProcessFunc) error
}

// DoneChecker names something that completes, and signals it by closing the
// channel Done returns.
type DoneChecker interface {
	Name() string
	Done() <-chan struct{}
}

// IsDone tells, without blocking, whether checker has completed.
func IsDone(checker DoneChecker) bool {
	select {
	case <-checker.Done():
		return true
	default:
		return false
	}
}
