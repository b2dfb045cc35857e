package trace

import (
	"encoding/binary"
	"unsafe"
)

// eventLog keeps recorded events compactly: a long trace holds millions of
// events, and an Event is mostly empty fields. Each event is encoded as a
// few bytes: its kind, a mask of the fields it sets, its component's id and
// then only the fields it sets, numbers as varints and strings as their
// bytes. The bytes sit in chunks, so the log grows without copying what it
// holds and the garbage collector has nothing to scan in it.
//
// Strings are copied, not interned, when an event is recorded: looking each
// one up in a table cost more than the whole rest of recording. They are
// interned when the events are decoded, so that a decoded trace still
// shares one string per distinct key, type or resourceVersion.
//
// Encoding needs no lock (encodeEvent); the caller serializes add, compID
// and events.
type eventLog struct {
	chunks  [][]byte
	n       int
	comps   []string // component names, by id
	compIDs map[string]uint32
}

const logChunk = 64 << 10

// The bits of an encoded event's field mask, the fields most events set
// first so that the mask of a common event is one byte.
const (
	hasKey = 1 << iota
	hasType
	hasObj
	hasOld
	hasRV
	hasCount
	hasCap
	hasLeft
	hasPos
	hasKeepRV
	hasInitial
	hasIndex
	hasValue
	hasKeys
	hasObjs
	hasUntil
	hasReason
)

// compID returns the id of the component name comp.
func (l *eventLog) compID(comp string) uint32 {
	if id, ok := l.compIDs[comp]; ok {
		return id
	}
	if l.compIDs == nil {
		l.compIDs = map[string]uint32{}
	}
	id := uint32(len(l.comps))
	l.comps = append(l.comps, comp)
	l.compIDs[comp] = id
	return id
}

// encodeEvent appends the encoding of e, reported by component comp, to b.
func encodeEvent(b []byte, comp uint32, e *Event) []byte {
	mask := fieldMask(e)
	b = append(b, byte(e.Kind))
	b = binary.AppendUvarint(b, mask)
	b = binary.AppendUvarint(b, uint64(comp))
	if mask&hasKey != 0 {
		b = appendString(b, e.Key)
	}
	if mask&hasType != 0 {
		b = appendString(b, e.Type)
	}
	if mask&hasObj != 0 {
		b = binary.AppendVarint(b, int64(e.Obj))
	}
	if mask&hasOld != 0 {
		b = binary.AppendVarint(b, int64(e.Old))
	}
	if mask&hasRV != 0 {
		b = appendString(b, e.RV)
	}
	if mask&hasCount != 0 {
		b = binary.AppendVarint(b, int64(e.Count))
	}
	if mask&hasCap != 0 {
		b = binary.AppendVarint(b, int64(e.Cap))
	}
	if mask&hasLeft != 0 {
		b = binary.AppendVarint(b, int64(e.Left))
	}
	if mask&hasPos != 0 {
		b = binary.AppendVarint(b, int64(e.Pos))
	}
	if mask&hasIndex != 0 {
		b = appendString(b, e.Index)
	}
	if mask&hasValue != 0 {
		b = appendString(b, e.Value)
	}
	if mask&hasKeys != 0 {
		b = binary.AppendUvarint(b, uint64(len(e.Keys)))
		for _, k := range e.Keys {
			b = appendString(b, k)
		}
	}
	if mask&hasObjs != 0 {
		b = binary.AppendUvarint(b, uint64(len(e.Objs)))
		for _, o := range e.Objs {
			b = binary.AppendVarint(b, int64(o))
		}
	}
	if mask&hasUntil != 0 {
		b = binary.AppendVarint(b, e.Until)
	}
	if mask&hasReason != 0 {
		b = appendString(b, e.Reason)
	}
	return b
}

// fieldMask returns the mask of the fields e sets.
func fieldMask(e *Event) uint64 {
	var m uint64
	if e.Key != "" {
		m |= hasKey
	}
	if e.Type != "" {
		m |= hasType
	}
	if e.Obj != 0 {
		m |= hasObj
	}
	if e.Old != 0 {
		m |= hasOld
	}
	if e.RV != "" {
		m |= hasRV
	}
	if e.Count != 0 {
		m |= hasCount
	}
	if e.Cap != 0 {
		m |= hasCap
	}
	if e.Left != 0 {
		m |= hasLeft
	}
	if e.Pos != 0 {
		m |= hasPos
	}
	if e.KeepRV {
		m |= hasKeepRV
	}
	if e.Initial {
		m |= hasInitial
	}
	if e.Index != "" {
		m |= hasIndex
	}
	if e.Value != "" {
		m |= hasValue
	}
	if len(e.Keys) > 0 {
		m |= hasKeys
	}
	if len(e.Objs) > 0 {
		m |= hasObjs
	}
	if e.Until != 0 {
		m |= hasUntil
	}
	if e.Reason != "" {
		m |= hasReason
	}
	return m
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// add appends one encoded event (from encodeEvent).
func (l *eventLog) add(enc []byte) {
	last := len(l.chunks) - 1
	if last < 0 || len(l.chunks[last])+len(enc) > cap(l.chunks[last]) {
		l.chunks = append(l.chunks, make([]byte, 0, max(logChunk, len(enc))))
		last++
	}
	l.chunks[last] = append(l.chunks[last], enc...)
	l.n++
}

// append records e.
func (l *eventLog) append(e *Event) {
	var buf [128]byte
	l.add(encodeEvent(buf[:0], l.compID(e.Comp), e))
}

// events decodes every event.
func (l *eventLog) events() []Event {
	d := decoder{strs: map[string]string{}}
	for _, c := range l.comps {
		d.strs[c] = c
	}
	out := make([]Event, 0, l.n)
	for _, c := range l.chunks {
		d.b = c
		for len(d.b) > 0 {
			out = append(out, d.event(l.comps))
		}
	}
	return out
}

// decoder reads events back from an encoded chunk.
type decoder struct {
	b    []byte
	strs map[string]string // interned strings
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	d.b = d.b[n:]
	return v
}

func (d *decoder) str() string {
	n := d.uvarint()
	b := d.b[:n]
	d.b = d.b[n:]
	if s, ok := d.strs[unsafe.String(unsafe.SliceData(b), len(b))]; ok {
		return s
	}
	s := string(b)
	d.strs[s] = s
	return s
}

func (d *decoder) event(comps []string) Event {
	e := Event{Kind: Kind(d.b[0])}
	d.b = d.b[1:]
	mask := d.uvarint()
	e.Comp = comps[d.uvarint()]
	str := func(bit uint64, s *string) {
		if mask&bit != 0 {
			*s = d.str()
		}
	}
	num := func(bit uint64) int64 {
		if mask&bit != 0 {
			return d.varint()
		}
		return 0
	}
	str(hasKey, &e.Key)
	str(hasType, &e.Type)
	e.Obj = ObjRef(num(hasObj))
	e.Old = ObjRef(num(hasOld))
	str(hasRV, &e.RV)
	e.Count = int(num(hasCount))
	e.Cap = int(num(hasCap))
	e.Left = int(num(hasLeft))
	e.Pos = int(num(hasPos))
	e.KeepRV = mask&hasKeepRV != 0
	e.Initial = mask&hasInitial != 0
	str(hasIndex, &e.Index)
	str(hasValue, &e.Value)
	if mask&hasKeys != 0 {
		e.Keys = make([]string, d.uvarint())
		for i := range e.Keys {
			e.Keys[i] = d.str()
		}
	}
	if mask&hasObjs != 0 {
		e.Objs = make([]ObjRef, d.uvarint())
		for i := range e.Objs {
			e.Objs[i] = ObjRef(d.varint())
		}
	}
	e.Until = num(hasUntil)
	str(hasReason, &e.Reason)
	return e
}
