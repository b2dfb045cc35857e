package buffer

import (
	"slices"
	"testing"
)

// checkInvariants fails the test unless r keeps the invariants documented on
// TypedRingGrowing.
func checkInvariants[T comparable](t *testing.T, r *TypedRingGrowing[T]) {
	t.Helper()
	if r.count < 0 || r.count > len(r.slots) {
		t.Fatalf("count %d outside [0, %d]", r.count, len(r.slots))
	}
	if r.Cap() != len(r.slots) || r.Len() != r.count {
		t.Fatalf("Cap()=%d Len()=%d, want %d %d", r.Cap(), r.Len(), len(r.slots), r.count)
	}
	var zero T
	for i, v := range r.slots {
		// Slot i holds an item iff its distance from head is below count.
		held := (i-r.head+len(r.slots))%len(r.slots) < r.count
		if !held && v != zero {
			t.Fatalf("slot %d holds %v outside the items (head %d, count %d)", i, v, r.head, r.count)
		}
	}
}

// seq returns the ints from, from+1, ..., to-1.
func seq(from, to int) []int {
	s := []int{}
	for i := from; i < to; i++ {
		s = append(s, i)
	}
	return s
}

// TestRingGrowingKeepsOrderWhileGrowing writes and reads numbered items
// (numbered from 1, so that 0 marks a cleared slot) and checks after each
// step what comes out, Len, Cap, Items and the invariants.
func TestRingGrowingKeepsOrderWhileGrowing(t *testing.T) {
	type step struct {
		write, read      int // write this many, then read this many
		wantLen, wantCap int
	}
	tests := []struct {
		name  string
		ring  *TypedRingGrowing[int]
		steps []step
	}{
		{
			name: "the zero value grows to 16 on its first write",
			ring: new(TypedRingGrowing[int]),
			steps: []step{
				{wantLen: 0, wantCap: 0},
				{write: 1, wantLen: 1, wantCap: 16},
				{write: 15, wantLen: 16, wantCap: 16},
				{write: 1, wantLen: 17, wantCap: 32},
				{read: 17, wantLen: 0, wantCap: 32},
			},
		},
		{
			name: "an explicit size 0 grows to 16 on its first write",
			ring: NewTypedRingGrowing[int](RingGrowingOptions{InitialSize: 0}),
			steps: []step{
				{write: 10, wantLen: 10, wantCap: 16},
				{read: 10, wantLen: 0, wantCap: 16},
			},
		},
		{
			name: "size 1 doubles on every full write",
			ring: NewTypedRingGrowing[int](RingGrowingOptions{InitialSize: 1}),
			steps: []step{
				{write: 1, wantLen: 1, wantCap: 1},
				{write: 1, wantLen: 2, wantCap: 2},
				{write: 1, wantLen: 3, wantCap: 4},
				{write: 2, wantLen: 5, wantCap: 8},
			},
		},
		{
			name: "reading from an empty ring gives nothing and changes nothing",
			ring: NewTypedRingGrowing[int](RingGrowingOptions{InitialSize: 4}),
			steps: []step{
				{read: 1, wantLen: 0, wantCap: 4},
				{write: 2, read: 3, wantLen: 0, wantCap: 4},
			},
		},
		{
			// The processorListener's buffer: initial size 1024.
			name: "1024 grows to 2048 and 4096 while wrapped around, and never shrinks",
			ring: NewTypedRingGrowing[int](RingGrowingOptions{InitialSize: 1024}),
			steps: []step{
				{write: 1000, wantLen: 1000, wantCap: 1024},
				{read: 600, wantLen: 400, wantCap: 1024},
				{write: 624, wantLen: 1024, wantCap: 1024}, // full, items wrap past the end
				{write: 1, wantLen: 1025, wantCap: 2048},   // grows while wrapped
				{read: 500, wantLen: 525, wantCap: 2048},
				{write: 1523, wantLen: 2048, wantCap: 2048}, // full and wrapped again
				{write: 1, wantLen: 2049, wantCap: 4096},
				{read: 2049, wantLen: 0, wantCap: 4096}, // drained, not shrunk
				{write: 1, read: 1, wantLen: 0, wantCap: 4096},
				{write: 4096, wantLen: 4096, wantCap: 4096},
				{write: 1, wantLen: 4097, wantCap: 8192},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.ring
			written, read := 0, 0 // items 1..written were written, 1..read read
			for i, s := range tt.steps {
				for range s.write {
					written++
					r.WriteOne(written)
				}
				for range s.read {
					got, ok := r.ReadOne()
					if read == written {
						if ok || got != 0 {
							t.Fatalf("step %d: ReadOne on empty = %d, %v; want 0, false", i, got, ok)
						}
						continue
					}
					read++
					if !ok || got != read {
						t.Fatalf("step %d: ReadOne = %d, %v; want %d, true", i, got, ok, read)
					}
				}
				if r.Len() != s.wantLen || r.Cap() != s.wantCap {
					t.Fatalf("step %d: Len, Cap = %d, %d; want %d, %d", i, r.Len(), r.Cap(), s.wantLen, s.wantCap)
				}
				if got, want := r.Items(), seq(read+1, written+1); !slices.Equal(got, want) {
					t.Fatalf("step %d: Items() = %v, want %v", i, got, want)
				}
				checkInvariants(t, r)
			}
		})
	}
}

// TestRingGrowingReadOneClearsTheSlotItRead checks that the ring drops its
// reference to what it hands out, so a consumed notification can be
// collected while the buffer lives on.
func TestRingGrowingReadOneClearsTheSlotItRead(t *testing.T) {
	type object struct{ name string }
	r := NewTypedRingGrowing[*object](RingGrowingOptions{InitialSize: 2})
	a, b := &object{"a"}, &object{"b"}
	r.WriteOne(a)
	r.WriteOne(b)
	if got, _ := r.ReadOne(); got != a {
		t.Fatalf("ReadOne = %v, want a", got)
	}
	if r.slots[0] != nil {
		t.Fatalf("slot 0 still holds %v after it was read", r.slots[0])
	}
	checkInvariants(t, r)
}

// TestRingGrowingItemsDoesNotConsume checks that Items leaves the ring as it
// was and returns a copy the caller may change.
func TestRingGrowingItemsDoesNotConsume(t *testing.T) {
	r := NewTypedRingGrowing[string](RingGrowingOptions{InitialSize: 2})
	r.WriteOne("a")
	r.WriteOne("b")
	r.ReadOne()
	r.WriteOne("c") // wraps to slot 0
	items := r.Items()
	if !slices.Equal(items, []string{"b", "c"}) {
		t.Fatalf("Items() = %v, want [b c]", items)
	}
	items[0] = "changed"
	if got := r.Items(); !slices.Equal(got, []string{"b", "c"}) || r.Len() != 2 {
		t.Fatalf("after Items, ring holds %v (Len %d), want [b c]", got, r.Len())
	}
	if got, _ := r.ReadOne(); got != "b" {
		t.Fatalf("ReadOne = %q, want b", got)
	}
}

// TestNewRingGrowingHoldsAnything checks the untyped form that
// processorListener uses: any values, nil included, come back in order.
func TestNewRingGrowingHoldsAnything(t *testing.T) {
	r := NewRingGrowing(1024)
	if r.Cap() != 1024 || r.Len() != 0 {
		t.Fatalf("NewRingGrowing(1024): Len, Cap = %d, %d; want 0, 1024", r.Len(), r.Cap())
	}
	in := []any{"a", 1, nil, struct{}{}}
	for _, v := range in {
		r.WriteOne(v)
	}
	for i, want := range in {
		if got, ok := r.ReadOne(); !ok || got != want {
			t.Fatalf("ReadOne #%d = %v, %v; want %v, true", i, got, ok, want)
		}
	}
	if got, ok := r.ReadOne(); ok || got != nil {
		t.Fatalf("ReadOne on empty = %v, %v; want nil, false", got, ok)
	}
}
