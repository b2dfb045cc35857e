package trace

import (
	"sync"
	"unsafe"
)

// objectTable is a recorder's table of the objects its events refer to, and
// the index that gives an object back its reference. Components look up
// the same object many times, so the lookup is the hot path: a small
// direct-mapped cache of the objects seen last answers most of them
// without touching the full index, whose entries are scattered over
// memory. The index is keyed by address alone, a machine word, which Go
// maps hash and compare several times faster than an interface or a
// two-word key; the type is checked on the entry.
//
// It has its own lock, apart from the event log's, so that looking up an
// object and recording an event do not wait for each other.
type objectTable struct {
	mu     sync.Mutex
	recent [recentRefs]recentRef     // guarded by mu
	ptrs   map[unsafe.Pointer]ptrRef // pointers, by address; guarded by mu
	// clashes holds the pointers whose address ptrs has under another
	// type (a struct and its first field); guarded by mu.
	clashes map[ptrKey]ObjRef
	values  map[string]ObjRef // values, by what they hold; guarded by mu
	chunks  [][]Object        // Object n is chunks[(n-1)/objChunk][(n-1)%objChunk]; guarded by mu
	n       int               // guarded by mu
}

const (
	recentBits = 13 // 8192 entries, 192 KiB: an object comes back after thousands of others
	recentRefs = 1 << recentBits
	objChunk   = 4096
)

// ptrKey is the identity of a pointer held in an interface: its dynamic
// type and address, the two words of the interface.
type ptrKey struct{ typ, addr unsafe.Pointer }

type ptrRef struct {
	typ unsafe.Pointer
	ref ObjRef
}

type recentRef struct {
	key ptrKey
	ref ObjRef
}

// keyOf returns the identity of obj, which must hold a pointer.
func keyOf(obj any) ptrKey {
	// An interface value is two words: its type and its data; a pointer is
	// stored as the data word itself.
	return *(*ptrKey)(unsafe.Pointer(&obj))
}

// slot is where k sits in the recent cache. Objects of one size lie at
// evenly spaced addresses, which a plain multiplicative hash maps onto a
// few slots; a mixing step (MurmurHash3's finalizer) spreads them.
func (k ptrKey) slot() int {
	h := uint64(uintptr(k.addr))
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return int(h >> (64 - recentBits))
}

// lookupPtr returns the reference of the pointer with identity k, if it
// has one, and whether another type holds its address in ptrs (which
// internPtr needs to know; looking it up twice cost a map access per new
// object).
func (t *objectTable) lookupPtr(k ptrKey) (ref ObjRef, ok, clash bool) {
	s := &t.recent[k.slot()]
	if s.key == k {
		return s.ref, true, false
	}
	p, ok := t.ptrs[k.addr]
	ref = p.ref
	if ok && p.typ != k.typ {
		clash = true
		ref, ok = t.clashes[k]
	}
	if ok {
		*s = recentRef{k, ref}
	}
	return ref, ok, clash
}

// internPtr gives the pointer with identity k, described as o, a
// reference, unless it got one since the table had n objects. clash is
// what lookupPtr said when the table had n objects.
func (t *objectTable) internPtr(k ptrKey, o Object, n int, clash bool) ObjRef {
	if t.n != n {
		ref, ok, c := t.lookupPtr(k)
		if ok {
			return ref
		}
		clash = c
	}
	ref := t.add(o)
	if t.ptrs == nil {
		t.ptrs = map[unsafe.Pointer]ptrRef{}
	}
	if clash {
		if t.clashes == nil {
			t.clashes = map[ptrKey]ObjRef{}
		}
		t.clashes[k] = ref
	} else {
		t.ptrs[k.addr] = ptrRef{k.typ, ref}
	}
	t.recent[k.slot()] = recentRef{k, ref}
	return ref
}

// internValue gives the value with identity id, described as o, a
// reference, unless one equal to it has one already.
func (t *objectTable) internValue(id string, o Object) ObjRef {
	if ref, ok := t.values[id]; ok {
		return ref
	}
	ref := t.add(o)
	if t.values == nil {
		t.values = map[string]ObjRef{}
	}
	t.values[id] = ref
	return ref
}

func (t *objectTable) add(o Object) ObjRef {
	if t.n%objChunk == 0 {
		t.chunks = append(t.chunks, make([]Object, 0, objChunk))
	}
	last := &t.chunks[len(t.chunks)-1]
	*last = append(*last, o)
	t.n++
	return ObjRef(t.n)
}

// objects returns a copy of the table; objects()[i] is ObjRef(i+1).
func (t *objectTable) objects() []Object {
	if t.n == 0 {
		return nil
	}
	out := make([]Object, 0, t.n)
	for _, c := range t.chunks {
		out = append(out, c...)
	}
	return out
}
