// Package buffer is InformerScope's re-implementation of the growing ring
// buffer of k8s.io/utils/buffer (v0.0.0-20260626114624-be93311217bd), the
// queue in which client-go's processorListener keeps the notifications its
// handler has not yet taken.
package buffer

// defaultRingSize is the capacity a ring of capacity 0 grows to on its first
// write.
const defaultRingSize = 16

// RingGrowingOptions configures a TypedRingGrowing.
type RingGrowingOptions struct {
	// InitialSize is the capacity allocated up front. Optional, the default
	// is 0, in which case the first write allocates defaultRingSize slots.
	// It must not be negative.
	InitialSize int
}

// RingGrowing is a TypedRingGrowing of untyped items, the form client-go's
// processorListener uses. (k8s.io/utils deprecates it in favour of
// TypedRingGrowing[any], the same type; it is not marked deprecated here
// because the port of processorListener uses it as client-go does.)
type RingGrowing = TypedRingGrowing[any]

// NewRingGrowing returns an empty RingGrowing of capacity initialSize.
func NewRingGrowing(initialSize int) *RingGrowing {
	return NewTypedRingGrowing[any](RingGrowingOptions{InitialSize: initialSize})
}

// TypedRingGrowing is a FIFO queue kept in a ring of slots. When a write
// finds every slot taken, the ring doubles its capacity; it never shrinks
// and has no upper bound, so a consumer that falls behind costs memory
// without limit, and a burst leaves the capacity at its high-water mark.
//
// The zero value is an empty ring of capacity 0, ready to use. It is not
// safe for concurrent use; client-go's processorListener touches it from its
// pop goroutine only.
//
// Invariants (checked by the tests after every operation):
//   - 0 <= count <= len(slots), and Cap() == len(slots);
//   - the items, oldest first, are slots[(head+i) % len(slots)] for
//     0 <= i < count;
//   - every other slot holds the zero T, so the ring keeps nothing it has
//     handed out alive for the garbage collector.
type TypedRingGrowing[T any] struct {
	slots []T
	head  int // index of the oldest item; meaningless when count is 0
	count int // number of items
}

// NewTypedRingGrowing returns an empty ring of capacity opts.InitialSize.
func NewTypedRingGrowing[T any](opts RingGrowingOptions) *TypedRingGrowing[T] {
	return &TypedRingGrowing[T]{slots: make([]T, opts.InitialSize)}
}

// ReadOne removes the oldest item and returns it, or returns the zero T and
// false if the ring is empty. The slot it read is cleared.
func (r *TypedRingGrowing[T]) ReadOne() (T, bool) {
	var zero T
	if r.count == 0 {
		return zero, false
	}
	item := r.slots[r.head]
	r.slots[r.head] = zero
	r.head = (r.head + 1) % len(r.slots)
	r.count--
	return item, true
}

// WriteOne appends item as the newest. If every slot is taken it first moves
// the items, oldest first, to the front of a ring twice as large (16 if the
// capacity was 0).
func (r *TypedRingGrowing[T]) WriteOne(item T) {
	if r.count == len(r.slots) {
		r.grow()
	}
	r.slots[(r.head+r.count)%len(r.slots)] = item
	r.count++
}

// grow doubles the capacity of a full ring, keeping the order of its items.
func (r *TypedRingGrowing[T]) grow() {
	size := 2 * len(r.slots)
	if size == 0 {
		size = defaultRingSize
	}
	slots := make([]T, size)
	r.copyItems(slots)
	r.slots, r.head = slots, 0
}

// copyItems copies the items, oldest first, to the front of dst, which must
// have room for them.
func (r *TypedRingGrowing[T]) copyItems(dst []T) {
	if end := r.head + r.count; end <= len(r.slots) {
		copy(dst, r.slots[r.head:end])
	} else {
		n := copy(dst, r.slots[r.head:])
		copy(dst[n:], r.slots[:end-len(r.slots)])
	}
}

// Items returns the items, oldest first, without removing them: what
// ReadOne would return, in turn. The slice is a copy the caller owns. It
// exists for the visualiser, which draws the buffer; it costs O(Len()).
func (r *TypedRingGrowing[T]) Items() []T {
	items := make([]T, r.count)
	r.copyItems(items)
	return items
}

// Len returns the number of items.
func (r *TypedRingGrowing[T]) Len() int {
	return r.count
}

// Cap returns the number of slots: how many items the ring holds before the
// next write grows it.
func (r *TypedRingGrowing[T]) Cap() int {
	return len(r.slots)
}
