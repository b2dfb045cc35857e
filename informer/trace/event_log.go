package trace

// eventLog keeps recorded events compactly: a long trace holds millions of
// events, and an Event is mostly empty fields and strings that repeat (keys,
// types, component names). Each event is packed into a fixed record without
// pointers, its strings interned into one table, its lists appended to
// shared arenas; records sit in chunks, so the log grows without copying
// what it holds and the garbage collector has nothing to scan in it. The
// caller serializes access.
type eventLog struct {
	chunks [][]packedEvent
	n      int
	strs   []string // interned strings; 0 is ""
	strIDs map[string]uint32
	keys   []string // Event.Keys, back to back
	objs   []ObjRef // Event.Objs, back to back
}

// packedEvent is an Event with strings as ids into eventLog.strs and lists
// as spans of eventLog.keys and eventLog.objs.
type packedEvent struct {
	kind    Kind
	keepRV  bool
	initial bool
	obj     ObjRef
	old     ObjRef
	pos     int32
	count   int32
	cap     int32
	left    int32
	until   int64
	comp    uint32
	key     uint32
	typ     uint32
	rv      uint32
	index   uint32
	value   uint32
	reason  uint32
	keys    span
	objs    span
}

type span struct{ off, n uint32 }

const logChunk = 8192

func (l *eventLog) intern(s string) uint32 {
	if s == "" {
		return 0
	}
	if id, ok := l.strIDs[s]; ok {
		return id
	}
	if l.strIDs == nil {
		l.strIDs = map[string]uint32{}
		l.strs = []string{""}
	}
	id := uint32(len(l.strs))
	l.strs = append(l.strs, s)
	l.strIDs[s] = id
	return id
}

func (l *eventLog) append(e *Event) {
	p := packedEvent{
		kind: e.Kind, keepRV: e.KeepRV, initial: e.Initial, obj: e.Obj, old: e.Old,
		pos: int32(e.Pos), count: int32(e.Count), cap: int32(e.Cap), left: int32(e.Left), until: e.Until,
		comp: l.intern(e.Comp), key: l.intern(e.Key), typ: l.intern(e.Type), rv: l.intern(e.RV),
		index: l.intern(e.Index), value: l.intern(e.Value), reason: l.intern(e.Reason),
	}
	if len(e.Keys) > 0 {
		p.keys = span{uint32(len(l.keys)), uint32(len(e.Keys))}
		l.keys = append(l.keys, e.Keys...)
	}
	if len(e.Objs) > 0 {
		p.objs = span{uint32(len(l.objs)), uint32(len(e.Objs))}
		l.objs = append(l.objs, e.Objs...)
	}
	if len(l.chunks) == 0 || len(l.chunks[len(l.chunks)-1]) == logChunk {
		l.chunks = append(l.chunks, make([]packedEvent, 0, logChunk))
	}
	last := &l.chunks[len(l.chunks)-1]
	*last = append(*last, p)
	l.n++
}

// events unpacks every event.
func (l *eventLog) events() []Event {
	out := make([]Event, 0, l.n)
	for _, c := range l.chunks {
		for i := range c {
			out = append(out, l.unpack(&c[i]))
		}
	}
	return out
}

func (l *eventLog) unpack(p *packedEvent) Event {
	e := Event{
		Kind: p.kind, KeepRV: p.keepRV, Initial: p.initial, Obj: p.obj, Old: p.old,
		Pos: int(p.pos), Count: int(p.count), Cap: int(p.cap), Left: int(p.left), Until: p.until,
		Comp: l.strs[p.comp], Key: l.strs[p.key], Type: l.strs[p.typ], RV: l.strs[p.rv],
		Index: l.strs[p.index], Value: l.strs[p.value], Reason: l.strs[p.reason],
	}
	if p.keys.n > 0 {
		e.Keys = append([]string(nil), l.keys[p.keys.off:p.keys.off+p.keys.n]...)
	}
	if p.objs.n > 0 {
		e.Objs = append([]ObjRef(nil), l.objs[p.objs.off:p.objs.off+p.objs.n]...)
	}
	return e
}
