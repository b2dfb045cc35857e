package informer

import (
	"fmt"
	"reflect"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/diff"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// MutationDetector catches code that modifies objects it got from an
// informer's cache, which it must not: the cache shares them with every
// handler and lister. The informer hands it every object it adds or
// updates; it keeps a deep copy of each and compares, every period, each
// object with its copy.
type MutationDetector interface {
	AddObject(obj any)
	// RunWithStop compares until stop is closed.
	RunWithStop(stop sim.Chan[struct{}])
}

// The detector compares every second, and keeps an object for two to four
// minutes: every two minutes the objects of the last two minutes become
// the retained ones, and the retained ones are dropped.
const (
	mutationDetectorPeriod         = time.Second
	mutationDetectorRetainDuration = 2 * time.Minute
)

// newCacheMutationDetector returns a detector for the cache named name, or
// one that does nothing when enabled is false (client-go enables it with the
// KUBE_CACHE_MUTATION_DETECTOR environment variable; here it is an option).
// onMutation is called with "cache <name> modified" when a comparison
// fails; client-go panics there.
func newCacheMutationDetector(rt sim.Runtime, name string, enabled bool, probe *trace.Probe, onMutation func(msg string)) MutationDetector {
	if !enabled {
		return dummyMutationDetector{}
	}
	return &cacheMutationDetector{
		rt: rt, name: name, probe: probe, onMutation: onMutation,
		period: mutationDetectorPeriod, retainDuration: mutationDetectorRetainDuration,
	}
}

type dummyMutationDetector struct{}

func (dummyMutationDetector) AddObject(any)                       {}
func (dummyMutationDetector) RunWithStop(stop sim.Chan[struct{}]) {}

// cacheObj is an object of the cache and the copy it must still equal.
type cacheObj struct {
	cached any
	copied any
}

// cacheMutationDetector is the working MutationDetector. addedLock guards
// addedObjs, which the informer appends to from its own goroutine; the rest
// belongs to the RunWithStop goroutine.
type cacheMutationDetector struct {
	rt             sim.Runtime
	name           string
	period         time.Duration
	retainDuration time.Duration
	probe          *trace.Probe
	onMutation     func(msg string)

	addedLock sync.Mutex
	addedObjs []cacheObj

	lastRotated        time.Time
	cachedObjs         []cacheObj
	retainedCachedObjs []cacheObj
	// detected are the modified objects reported, for traces.
	detected []any
}

// AddObject remembers obj and a deep copy of it. Tombstones and values that
// cannot be deep-copied are not checked.
func (d *cacheMutationDetector) AddObject(obj any) {
	if _, ok := obj.(DeletedFinalStateUnknown); ok {
		return
	}
	o, ok := obj.(runtime.Object)
	if !ok {
		return
	}
	d.addedLock.Lock()
	d.addedObjs = append(d.addedObjs, cacheObj{cached: o, copied: o.DeepCopyObject()})
	d.addedLock.Unlock()
}

func (d *cacheMutationDetector) RunWithStop(stop sim.Chan[struct{}]) {
	for {
		if d.lastRotated.IsZero() {
			d.lastRotated = d.rt.Now()
		} else if d.rt.Since(d.lastRotated) > d.retainDuration {
			d.retainedCachedObjs, d.cachedObjs = d.cachedObjs, nil
			d.lastRotated = d.rt.Now()
		}
		if d.compareObjects() {
			return
		}
		t := d.rt.NewTimer(d.period)
		chosen, _, _ := d.rt.Select(true, stop.RecvCase(), t.C().RecvCase())
		t.Stop()
		if chosen == 0 {
			return
		}
	}
}

// compareObjects compares every kept object with its copy, reports each
// that changed, and calls onMutation once if any did. It reports whether one
// did.
func (d *cacheMutationDetector) compareObjects() bool {
	d.addedLock.Lock()
	d.cachedObjs = append(d.cachedObjs, d.addedObjs...)
	d.addedObjs = nil
	d.addedLock.Unlock()
	altered := false
	for _, objs := range [][]cacheObj{d.cachedObjs, d.retainedCachedObjs} {
		for i, obj := range objs {
			if reflect.DeepEqual(obj.cached, obj.copied) {
				continue
			}
			altered = true
			d.detected = append(d.detected, obj.cached)
			if d.probe != nil {
				d.probe.Emit(trace.Event{Kind: trace.MutationDetected, Obj: d.probe.Ref(obj.cached),
					Reason: fmt.Sprintf("CACHE %s[%d] ALTERED!\n%s", d.name, i, diff.Diff(obj.copied, obj.cached))})
			}
		}
	}
	if altered {
		d.onMutation(fmt.Sprintf("cache %s modified", d.name))
	}
	return altered
}

// traceMutations returns the modified objects reported so far.
func (d *cacheMutationDetector) traceMutations() []trace.ObjRef {
	var refs []trace.ObjRef
	for _, o := range d.detected {
		refs = append(refs, d.probe.Ref(o))
	}
	return refs
}
