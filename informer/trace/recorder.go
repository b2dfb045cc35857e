package trace

import (
	"fmt"
	"reflect"
	"sync"

	"k8s.io/apimachinery/pkg/api/meta"
)

// Recorder collects the events of any number of components, in the order
// they happened, together with the table of the objects they refer to.
//
// A Recorder is safe for concurrent use; its own locks are never held while
// a component's code runs.
type Recorder struct {
	mu    sync.Mutex
	log   eventLog    // guarded by mu
	watch func(Event) // guarded by mu

	objs objectTable // has its own lock
}

// NewRecorder returns an empty recorder.
func NewRecorder() *Recorder {
	return &Recorder{}
}

// Probe returns the probe a component named comp reports through. A nil
// recorder gives a nil probe, which records nothing.
func (r *Recorder) Probe(comp string) *Probe {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	id := r.log.compID(comp)
	r.mu.Unlock()
	return &Probe{rec: r, comp: comp, compID: id}
}

// OnEvent makes fn see every event after it is recorded. fn runs with no
// recorder lock held, on the goroutine of the component that emitted it, so
// it must be quick and must not call back into that component.
func (r *Recorder) OnEvent(fn func(Event)) {
	r.mu.Lock()
	r.watch = fn
	r.mu.Unlock()
}

// Len returns the number of events recorded so far.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.log.n
}

// Events returns a copy of the events recorded so far.
func (r *Recorder) Events() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.log.events()
}

// Objects returns a copy of the object table; Objects()[i] is ObjRef(i+1).
func (r *Recorder) Objects() []Object {
	r.objs.mu.Lock()
	defer r.objs.mu.Unlock()
	return r.objs.objects()
}

// Trace returns everything recorded so far as a trace.
func (r *Recorder) Trace() *Trace {
	// Both locks at once, the table's first, so that the two parts are of
	// one moment.
	r.objs.mu.Lock()
	defer r.objs.mu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	return &Trace{
		Objects: r.objs.objects(),
		Events:  r.log.events(),
	}
}

// emit records e as an event of the component with id comp. The event is
// encoded before the lock is taken; under it, it is only copied.
func (r *Recorder) emit(comp uint32, e *Event) {
	var buf [256]byte
	enc := encodeEvent(buf[:0], comp, e)
	r.mu.Lock()
	r.log.add(enc)
	watch := r.watch
	r.mu.Unlock()
	if watch != nil {
		watch(*e)
	}
}

// ref interns obj. Pointers are interned by identity, so the same object
// always gets the same reference. Values (tombstones, infos) have no
// identity; they are interned by what they hold, which includes the
// references of the objects inside them.
func (r *Recorder) ref(obj any) ObjRef {
	if obj == nil {
		return 0
	}
	if reflect.TypeOf(obj).Kind() == reflect.Pointer {
		k := keyOf(obj)
		r.objs.mu.Lock()
		ref, ok, clash := r.objs.lookupPtr(k)
		n := r.objs.n
		r.objs.mu.Unlock()
		if ok {
			return ref
		}
		// Describe without the lock: a Describer calls back into ref.
		o := r.describe(obj)
		r.objs.mu.Lock()
		defer r.objs.mu.Unlock()
		return r.objs.internPtr(k, o, n, clash)
	}
	o := r.describe(obj)
	id := o.identity()
	r.objs.mu.Lock()
	defer r.objs.mu.Unlock()
	return r.objs.internValue(id, o)
}

// identity is the interning key of a value object: everything it holds.
func (o Object) identity() string {
	return fmt.Sprintf("%q|%q|%q|%q|%q|%d|%v|%q|%v", o.Kind, o.Namespace, o.Name, o.RV, o.Key, o.Inner, o.Items, o.Text, o.Labels)
}

func (r *Recorder) describe(obj any) Object {
	if d, ok := obj.(Describer); ok {
		return d.DescribeTrace(r.ref)
	}
	m, err := meta.Accessor(obj)
	if err != nil {
		return Object{Kind: "Other", Text: fmt.Sprintf("%v", obj)}
	}
	o := Object{
		Namespace: m.GetNamespace(),
		Name:      m.GetName(),
		RV:        m.GetResourceVersion(),
		UID:       string(m.GetUID()),
	}
	if l := m.GetLabels(); len(l) > 0 {
		o.Labels = make(map[string]string, len(l))
		for k, v := range l {
			o.Labels[k] = v
		}
	}
	return o
}

// Probe is the narrow door through which one component reports. A nil *Probe
// is valid and records nothing; components check for nil before building an
// event, so tracing costs one comparison when it is off.
type Probe struct {
	rec    *Recorder
	comp   string
	compID uint32 // comp's id in rec's event log
}

// Emit records e as an event of this probe's component.
func (p *Probe) Emit(e Event) {
	if p == nil {
		return
	}
	e.Comp = p.comp
	p.rec.emit(p.compID, &e)
}

// Ref returns the reference of obj in the recorder's object table.
func (p *Probe) Ref(obj any) ObjRef {
	if p == nil {
		return 0
	}
	return p.rec.ref(obj)
}

// Refs returns the references of objs.
func (p *Probe) Refs(objs []any) []ObjRef {
	if p == nil {
		return nil
	}
	out := make([]ObjRef, len(objs))
	for i, o := range objs {
		out[i] = p.rec.ref(o)
	}
	return out
}

// Component returns the name of the component this probe reports for.
func (p *Probe) Component() string {
	if p == nil {
		return ""
	}
	return p.comp
}
