package informer

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kcache "k8s.io/client-go/tools/cache"
)

// callLog records the calls a handler and its filter receive, printed as
// OnAdd(a@1, true), OnUpdate(a@1, a@2), OnDelete(a@1), filter(a@1)=false.
type callLog []string

func (l *callLog) record(format string, args ...any) {
	*l = append(*l, fmt.Sprintf(format, args...))
}

// detailed returns handler functions that record every call.
func (l *callLog) detailed() ResourceEventHandlerDetailedFuncs {
	return ResourceEventHandlerDetailedFuncs{
		AddFunc:    func(o any, initial bool) { l.record("OnAdd(%s, %v)", fmtAny(o), initial) },
		UpdateFunc: func(o, n any) { l.record("OnUpdate(%s, %s)", fmtAny(o), fmtAny(n)) },
		DeleteFunc: func(o any) { l.record("OnDelete(%s)", fmtAny(o)) },
	}
}

// plain returns handler functions that record every call, without the
// isInInitialList flag, which ResourceEventHandlerFuncs does not pass on.
func (l *callLog) plain() ResourceEventHandlerFuncs {
	return ResourceEventHandlerFuncs{
		AddFunc:    func(o any) { l.record("OnAdd(%s)", fmtAny(o)) },
		UpdateFunc: func(o, n any) { l.record("OnUpdate(%s, %s)", fmtAny(o), fmtAny(n)) },
		DeleteFunc: func(o any) { l.record("OnDelete(%s)", fmtAny(o)) },
	}
}

// filter wraps f so that each call is recorded with its answer.
func (l *callLog) filter(f func(any) bool) func(any) bool {
	return func(o any) bool {
		ok := f(o)
		l.record("filter(%s)=%v", fmtAny(o), ok)
		return ok
	}
}

// kept is the filter of these tests: it accepts an object labelled
// keep=yes, and nothing else, tombstones included, as a filter that reads
// the object's metadata without unwrapping a tombstone does.
func kept(o any) bool {
	m, ok := o.(metav1.Object)
	return ok && m.GetLabels()["keep"] == "yes"
}

// keptObj and droppedObj return name@rv with and without the keep label.
func keptObj(name, rv string) *metav1.PartialObjectMetadata {
	return objLabels(name, rv, map[string]string{"keep": "yes"})
}

func droppedObj(name, rv string) *metav1.PartialObjectMetadata { return obj(name, rv) }

// TestResourceEventHandlerFuncsCallWhatIsSet checks both function adapters:
// set functions get their arguments (ResourceEventHandlerFuncs without
// isInInitialList), and unset ones ignore the call.
func TestResourceEventHandlerFuncsCallWhatIsSet(t *testing.T) {
	a1, a2 := obj("a", "1"), obj("a", "2")
	notify := func(h ResourceEventHandler) {
		h.OnAdd(a1, true)
		h.OnAdd(a1, false)
		h.OnUpdate(a1, a2)
		h.OnDelete(a2)
	}
	tests := []struct {
		name    string
		handler func(l *callLog) ResourceEventHandler
		want    []string
	}{
		{
			name:    "Funcs drops isInInitialList",
			handler: func(l *callLog) ResourceEventHandler { return l.plain() },
			want:    []string{"OnAdd(a@1)", "OnAdd(a@1)", "OnUpdate(a@1, a@2)", "OnDelete(a@2)"},
		},
		{
			name:    "DetailedFuncs passes isInInitialList",
			handler: func(l *callLog) ResourceEventHandler { return l.detailed() },
			want:    []string{"OnAdd(a@1, true)", "OnAdd(a@1, false)", "OnUpdate(a@1, a@2)", "OnDelete(a@2)"},
		},
		{
			name: "Funcs with only DeleteFunc set",
			handler: func(l *callLog) ResourceEventHandler {
				return ResourceEventHandlerFuncs{DeleteFunc: l.plain().DeleteFunc}
			},
			want: []string{"OnDelete(a@2)"},
		},
		{
			name: "DetailedFuncs with only AddFunc set",
			handler: func(l *callLog) ResourceEventHandler {
				return ResourceEventHandlerDetailedFuncs{AddFunc: l.detailed().AddFunc}
			},
			want: []string{"OnAdd(a@1, true)", "OnAdd(a@1, false)"},
		},
		{
			name:    "zero Funcs ignore everything",
			handler: func(*callLog) ResourceEventHandler { return ResourceEventHandlerFuncs{} },
		},
		{
			name:    "zero DetailedFuncs ignore everything",
			handler: func(*callLog) ResourceEventHandler { return ResourceEventHandlerDetailedFuncs{} },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l callLog
			notify(tt.handler(&l))
			if !slices.Equal(l, tt.want) {
				t.Errorf("calls:\n  %q\nwant:\n  %q", l, tt.want)
			}
		})
	}
}

// TestFilteringResourceEventHandlerTransitions checks each notification
// against the filter, including the four cases of an update, and which
// objects the filter is asked about, in which order.
func TestFilteringResourceEventHandlerTransitions(t *testing.T) {
	tests := []struct {
		name   string
		notify func(h ResourceEventHandler)
		want   []string
	}{
		{
			name:   "an add that passes is passed on with its flag",
			notify: func(h ResourceEventHandler) { h.OnAdd(keptObj("a", "1"), true) },
			want:   []string{"filter(a@1)=true", "OnAdd(a@1, true)"},
		},
		{
			name:   "an add that fails is dropped",
			notify: func(h ResourceEventHandler) { h.OnAdd(droppedObj("a", "1"), true) },
			want:   []string{"filter(a@1)=false"},
		},
		{
			name:   "pass to pass is an update",
			notify: func(h ResourceEventHandler) { h.OnUpdate(keptObj("a", "1"), keptObj("a", "2")) },
			want:   []string{"filter(a@2)=true", "filter(a@1)=true", "OnUpdate(a@1, a@2)"},
		},
		{
			name:   "fail to pass is an add, never in the initial list",
			notify: func(h ResourceEventHandler) { h.OnUpdate(droppedObj("a", "1"), keptObj("a", "2")) },
			want:   []string{"filter(a@2)=true", "filter(a@1)=false", "OnAdd(a@2, false)"},
		},
		{
			name:   "pass to fail is a delete of the old object",
			notify: func(h ResourceEventHandler) { h.OnUpdate(keptObj("a", "1"), droppedObj("a", "2")) },
			want:   []string{"filter(a@2)=false", "filter(a@1)=true", "OnDelete(a@1)"},
		},
		{
			name:   "fail to fail is nothing",
			notify: func(h ResourceEventHandler) { h.OnUpdate(droppedObj("a", "1"), droppedObj("a", "2")) },
			want:   []string{"filter(a@2)=false", "filter(a@1)=false"},
		},
		{
			name:   "a resync of a passing object is an update with equal objects",
			notify: func(h ResourceEventHandler) { o := keptObj("a", "1"); h.OnUpdate(o, o) },
			want:   []string{"filter(a@1)=true", "filter(a@1)=true", "OnUpdate(a@1, a@1)"},
		},
		{
			name:   "a delete that passes is passed on",
			notify: func(h ResourceEventHandler) { h.OnDelete(keptObj("a", "1")) },
			want:   []string{"filter(a@1)=true", "OnDelete(a@1)"},
		},
		{
			name:   "a delete that fails is dropped",
			notify: func(h ResourceEventHandler) { h.OnDelete(droppedObj("a", "1")) },
			want:   []string{"filter(a@1)=false"},
		},
		{
			// The filter gets the tombstone, not the object inside it.
			name: "a tombstone of a passing object is judged as a tombstone",
			notify: func(h ResourceEventHandler) {
				h.OnDelete(DeletedFinalStateUnknown{Key: "ns/a", Obj: keptObj("a", "1")})
			},
			want: []string{"filter(DFSU{ns/a,a@1})=false"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l callLog
			tt.notify(FilteringResourceEventHandler{FilterFunc: l.filter(kept), Handler: l.detailed()})
			if !slices.Equal(l, tt.want) {
				t.Errorf("calls:\n  %q\nwant:\n  %q", l, tt.want)
			}
		})
	}
}

// TestFilteringResourceEventHandlerPassesTombstonesToAnUnwrappingFilter
// shows the remedy for the last case above: a filter that looks inside a
// tombstone.
func TestFilteringResourceEventHandlerPassesTombstonesToAnUnwrappingFilter(t *testing.T) {
	unwrapping := func(o any) bool {
		if d, ok := o.(DeletedFinalStateUnknown); ok {
			o = d.Obj
		}
		return kept(o)
	}
	var l callLog
	h := FilteringResourceEventHandler{FilterFunc: unwrapping, Handler: l.detailed()}
	h.OnDelete(DeletedFinalStateUnknown{Key: "ns/a", Obj: keptObj("a", "1")})
	h.OnDelete(DeletedFinalStateUnknown{Key: "ns/b", Obj: droppedObj("b", "1")})
	if want := []string{"OnDelete(DFSU{ns/a,a@1})"}; !slices.Equal(l, want) {
		t.Errorf("calls %q, want %q", l, want)
	}
}

// handlerOp is one notification of a random sequence, built the same way
// for both sides; tombstone makes a delete carry a DeletedFinalStateUnknown
// of the side's own type.
type handlerOp struct {
	kind      string // "add", "update" or "delete"
	old, new  *metav1.PartialObjectMetadata
	initial   bool
	tombstone bool
}

func randomHandlerOps(rng *rand.Rand, n int) []handlerOp {
	object := func(rv int) *metav1.PartialObjectMetadata {
		name, rvs := string(rune('a'+rng.IntN(3))), fmt.Sprint(rv)
		if rng.IntN(2) == 0 {
			return keptObj(name, rvs)
		}
		return droppedObj(name, rvs)
	}
	ops := make([]handlerOp, n)
	for i := range ops {
		op := handlerOp{kind: []string{"add", "update", "delete"}[rng.IntN(3)], new: object(i + 1)}
		switch op.kind {
		case "add":
			op.initial = rng.IntN(2) == 0
		case "update":
			op.old = object(i)
			if rng.IntN(5) == 0 {
				op.old = op.new // a resync
			}
		case "delete":
			op.tombstone = rng.IntN(4) == 0
		}
		ops[i] = op
	}
	return ops
}

// TestFilteringResourceEventHandlerMatchesClientGo sends the same random
// notifications through our handler adapters and client-go's, and compares
// everything the handlers and the filter were called with, in order.
func TestFilteringResourceEventHandlerMatchesClientGo(t *testing.T) {
	type sides struct {
		ours   func(l *callLog) ResourceEventHandler
		theirs func(l *callLog) kcache.ResourceEventHandler
	}
	configs := map[string]sides{
		"Filtering over DetailedFuncs": {
			ours: func(l *callLog) ResourceEventHandler {
				return FilteringResourceEventHandler{FilterFunc: l.filter(kept), Handler: l.detailed()}
			},
			theirs: func(l *callLog) kcache.ResourceEventHandler {
				return kcache.FilteringResourceEventHandler{FilterFunc: l.filter(kept), Handler: kcache.ResourceEventHandlerDetailedFuncs(l.detailed())}
			},
		},
		"Filtering over Funcs": {
			ours: func(l *callLog) ResourceEventHandler {
				return FilteringResourceEventHandler{FilterFunc: l.filter(kept), Handler: l.plain()}
			},
			theirs: func(l *callLog) kcache.ResourceEventHandler {
				return kcache.FilteringResourceEventHandler{FilterFunc: l.filter(kept), Handler: kcache.ResourceEventHandlerFuncs(l.plain())}
			},
		},
		"DetailedFuncs": {
			ours: func(l *callLog) ResourceEventHandler { return l.detailed() },
			theirs: func(l *callLog) kcache.ResourceEventHandler {
				return kcache.ResourceEventHandlerDetailedFuncs(l.detailed())
			},
		},
		"Funcs": {
			ours:   func(l *callLog) ResourceEventHandler { return l.plain() },
			theirs: func(l *callLog) kcache.ResourceEventHandler { return kcache.ResourceEventHandlerFuncs(l.plain()) },
		},
	}
	for name, c := range configs {
		for seed := range uint64(20) {
			t.Run(fmt.Sprintf("%s seed=%d", name, seed), func(t *testing.T) {
				ops := randomHandlerOps(rand.New(rand.NewPCG(seed, 0)), 40)
				var ourLog, theirLog callLog
				ours, theirs := c.ours(&ourLog), c.theirs(&theirLog)
				for _, op := range ops {
					switch op.kind {
					case "add":
						ours.OnAdd(op.new, op.initial)
						theirs.OnAdd(op.new, op.initial)
					case "update":
						ours.OnUpdate(op.old, op.new)
						theirs.OnUpdate(op.old, op.new)
					case "delete":
						if op.tombstone {
							key, _ := MetaNamespaceKeyFunc(op.new)
							ours.OnDelete(DeletedFinalStateUnknown{Key: key, Obj: op.new})
							theirs.OnDelete(kcache.DeletedFinalStateUnknown{Key: key, Obj: op.new})
						} else {
							ours.OnDelete(op.new)
							theirs.OnDelete(op.new)
						}
					}
				}
				if !slices.Equal(ourLog, theirLog) {
					t.Errorf("calls differ\nours:\n  %q\nclient-go:\n  %q", ourLog, theirLog)
				}
				if len(ourLog) == 0 {
					t.Errorf("no calls recorded: the sequence tests nothing")
				}
			})
		}
	}
}
