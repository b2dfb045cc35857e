package buffer

// Differential tests: the same writes and reads go to our ring and to
// k8s.io/utils/buffer's (a test-only dependency, at the version client-go
// v0.37.2 uses), and every ReadOne result, Len and Cap is compared after
// every operation. Items, which the real ring lacks, is compared with a plain
// slice kept alongside.

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	kbuffer "k8s.io/utils/buffer"
)

// ringPair drives our ring and the real one in lockstep; model is the
// expected content, oldest first.
type ringPair struct {
	ours   *TypedRingGrowing[int]
	theirs *kbuffer.TypedRingGrowing[int]
	model  []int
	next   int // the next item to write; items are 1, 2, 3, ...
}

func newRingPair(initialSize int, zeroValue bool) *ringPair {
	if zeroValue {
		return &ringPair{ours: new(TypedRingGrowing[int]), theirs: new(kbuffer.TypedRingGrowing[int]), next: 1}
	}
	return &ringPair{
		ours:   NewTypedRingGrowing[int](RingGrowingOptions{InitialSize: initialSize}),
		theirs: kbuffer.NewTypedRingGrowing[int](kbuffer.RingGrowingOptions{InitialSize: initialSize}),
		next:   1,
	}
}

// step writes (write true) or reads once on both rings and fails the test
// on the first difference.
func (p *ringPair) step(t *testing.T, write bool, where string) {
	t.Helper()
	if write {
		p.ours.WriteOne(p.next)
		p.theirs.WriteOne(p.next)
		p.model = append(p.model, p.next)
		p.next++
	} else {
		got, gotOK := p.ours.ReadOne()
		want, wantOK := p.theirs.ReadOne()
		if got != want || gotOK != wantOK {
			t.Fatalf("%s: ReadOne = %d, %v; k8s.io/utils gives %d, %v", where, got, gotOK, want, wantOK)
		}
		if wantOK {
			p.model = p.model[1:]
		}
	}
	if p.ours.Len() != p.theirs.Len() || p.ours.Cap() != p.theirs.Cap() {
		t.Fatalf("%s: Len, Cap = %d, %d; k8s.io/utils gives %d, %d",
			where, p.ours.Len(), p.ours.Cap(), p.theirs.Len(), p.theirs.Cap())
	}
	if got := p.ours.Items(); !slices.Equal(got, p.model) {
		t.Fatalf("%s: Items() = %v, want %v", where, got, p.model)
	}
}

// TestRingGrowingMatchesK8sUtilsOnRandomSequences runs seeded random
// sequences of writes and reads. A write bias above one half makes the rings
// grow, below drains them, so every case grows, wraps around and empties.
func TestRingGrowingMatchesK8sUtilsOnRandomSequences(t *testing.T) {
	tests := []struct {
		initialSize int
		zeroValue   bool
		writeBias   []float64 // the write probability, phase by phase
		opsPerPhase int
	}{
		{zeroValue: true, writeBias: []float64{0.7, 0.3, 0.6}, opsPerPhase: 500},
		{initialSize: 0, writeBias: []float64{0.7, 0.3, 0.6}, opsPerPhase: 500},
		{initialSize: 1, writeBias: []float64{0.6, 0.4, 0.5, 0.9}, opsPerPhase: 400},
		{initialSize: 3, writeBias: []float64{0.5, 0.8, 0.2}, opsPerPhase: 400},
		{initialSize: 16, writeBias: []float64{0.9, 0.1, 0.55}, opsPerPhase: 300},
		{initialSize: 1024, writeBias: []float64{0.5, 0.75, 0.25, 0.75, 0.1}, opsPerPhase: 4000},
	}
	for _, tt := range tests {
		for seed := range uint64(5) {
			name := fmt.Sprintf("size=%d zero=%v seed=%d", tt.initialSize, tt.zeroValue, seed)
			t.Run(name, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(seed, uint64(tt.initialSize)))
				p := newRingPair(tt.initialSize, tt.zeroValue)
				for phase, bias := range tt.writeBias {
					for i := range tt.opsPerPhase {
						p.step(t, rng.Float64() < bias, fmt.Sprintf("phase %d op %d", phase, i))
					}
				}
				for p.theirs.Len() > 0 {
					p.step(t, false, "drain")
				}
				p.step(t, false, "read after drain")
			})
		}
	}
}

// TestNewRingGrowingMatchesK8sUtils compares the untyped constructors.
func TestNewRingGrowingMatchesK8sUtils(t *testing.T) {
	ours, theirs := NewRingGrowing(1024), kbuffer.NewRingGrowing(1024)
	for i := range 3000 {
		ours.WriteOne(i)
		theirs.WriteOne(i)
		if i%3 == 0 {
			got, gotOK := ours.ReadOne()
			want, wantOK := theirs.ReadOne()
			if got != want || gotOK != wantOK {
				t.Fatalf("op %d: ReadOne = %v, %v; k8s.io/utils gives %v, %v", i, got, gotOK, want, wantOK)
			}
		}
		if ours.Len() != theirs.Len() || ours.Cap() != theirs.Cap() {
			t.Fatalf("op %d: Len, Cap = %d, %d; k8s.io/utils gives %d, %d", i, ours.Len(), ours.Cap(), theirs.Len(), theirs.Cap())
		}
	}
}

// FuzzRingGrowingDifferential reads each byte of ops as one operation: an
// even byte writes, an odd byte reads.
func FuzzRingGrowingDifferential(f *testing.F) {
	f.Add(uint8(0), []byte{0, 0, 1, 0, 1, 1, 1})
	f.Add(uint8(1), []byte{0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0})
	f.Add(uint8(3), []byte{0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1})
	f.Fuzz(func(t *testing.T, initialSize uint8, ops []byte) {
		p := newRingPair(int(initialSize%32), false)
		for i, op := range ops {
			p.step(t, op%2 == 0, fmt.Sprintf("op %d", i))
		}
	})
}
