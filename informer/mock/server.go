package mock

import (
	"fmt"
	"strconv"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// Options configure a Server.
type Options struct {
	// Runtime runs the watches and keeps the time; nil means sim.Native().
	Runtime sim.Runtime
	// WindowSize is how many events of each kind the server keeps for
	// watches from an old resourceVersion, exact lists and continued
	// pages; 0 means DefaultWindowSize.
	WindowSize int
	// BookmarkInterval is how often a watch that allows bookmarks gets one;
	// 0 means DefaultBookmarkInterval, the watch cache's minute.
	BookmarkInterval time.Duration
	// Recorder, if set, records every change of the server's state as a
	// trace event of the component TraceComponent; nil records nothing.
	Recorder *trace.Recorder
}

// Defaults for Options.
const (
	DefaultWindowSize       = 1000
	DefaultBookmarkInterval = time.Minute
)

// tooLargeWait is how long a read ahead of the server's resourceVersion
// waits for it before failing, as the watch cache's waitUntilFreshAndBlock.
const tooLargeWait = 3 * time.Second

// Server is the in-memory kube-apiserver. Its methods may be called from
// any goroutine of its runtime, and, under the deterministic runtime, from
// the driver between steps (except the ones that wait: a list or watch
// ahead of the server's resourceVersion).
//
// One plain mutex guards all state; it is never held across a runtime call
// that may switch goroutines, so it is safe under the deterministic
// runtime.
type Server struct {
	rt               sim.Runtime
	windowSize       int
	bookmarkInterval time.Duration
	probe            *trace.Probe // nil: not traced

	mu    sync.Mutex
	rv    int64
	kinds map[schema.GroupVersionResource]*kindStore
	// watchSeq numbers watches, for their names.
	watchSeq int
	// faults
	expireNext bool
	downUntil  time.Time
	// restarting: the server is down, or back but its new watch cache not
	// yet built; see revivedLocked.
	restarting bool
	delay      time.Duration
	// rvWaiters are woken whenever rv moves, for reads that wait for it.
	rvWaiters []sim.Chan[struct{}]
	// open are the watches whose goroutines run, in opening order: those
	// of the kinds' stores, and those that only carry an ERROR.
	open []*Watch
	// The trace events not yet flushed, a spare buffer, and whether a
	// flush runs; see trace.go.
	traceQ, traceSpare []tracedEvent
	flushing           bool
}

// NewServer returns a server at resourceVersion 1 with Pods, ConfigMaps,
// Deployments and Widgets registered and no objects.
func NewServer(opts Options) *Server {
	s := &Server{
		rt:               sim.Or(opts.Runtime),
		windowSize:       opts.WindowSize,
		bookmarkInterval: opts.BookmarkInterval,
		probe:            opts.Recorder.Probe(TraceComponent),
		rv:               1,
		kinds:            map[schema.GroupVersionResource]*kindStore{},
	}
	if s.windowSize <= 0 {
		s.windowSize = DefaultWindowSize
	}
	if s.bookmarkInterval <= 0 {
		s.bookmarkInterval = DefaultBookmarkInterval
	}
	for _, k := range []Kind{Pods, ConfigMaps, Deployments, Widgets} {
		s.Register(k)
	}
	return s
}

// ResourceVersion is the server's current resourceVersion: that of the
// last write, of any kind.
func (s *Server) ResourceVersion() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rv
}

// storeLocked returns the kind's store, or a 404 like the real server's for
// a resource it does not serve.
func (s *Server) storeLocked(gvr schema.GroupVersionResource) (*kindStore, error) {
	st, ok := s.kinds[gvr]
	if !ok {
		return nil, apierrors.NewNotFound(gvr.GroupResource(), "")
	}
	return st, nil
}

// objectKey is the store key of a namespaced or cluster-scoped object.
func objectKey(k Kind, ns, name string) string {
	if k.Namespaced {
		return ns + "/" + name
	}
	return name
}

// newUID draws a version-4-shaped UUID from the runtime's randomness, so
// that a deterministic run gives the same uids.
func (s *Server) newUID() string {
	a, b := uint64(s.rt.Int64N(1<<62)), uint64(s.rt.Int64N(1<<62))
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", a>>30, (a>>14)&0xffff, a&0xfff, 0x8000|(b>>48)&0x3fff, b&0xffffffffffff)
}

// create adds obj in ns.
func (s *Server) create(gvr schema.GroupVersionResource, ns string, in *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	s.revive()
	s.mu.Lock()
	st, err := s.storeLocked(gvr)
	if err != nil {
		s.mu.Unlock()
		return nil, err
	}
	k := st.kind
	obj := in.DeepCopy()
	if err := checkNamespace(k, ns, obj); err != nil {
		s.mu.Unlock()
		return nil, err
	}
	name := obj.GetName()
	if name == "" && obj.GetGenerateName() != "" {
		name = obj.GetGenerateName() + s.randomSuffix()
	}
	if name == "" {
		s.mu.Unlock()
		return nil, apierrors.NewInvalid(schema.GroupKind{Group: k.Resource.Group, Kind: k.Kind}, "", nil)
	}
	key := objectKey(k, ns, name)
	if _, exists := st.objects[key]; exists {
		s.mu.Unlock()
		return nil, apierrors.NewAlreadyExists(k.groupResource(), name)
	}
	s.rv++
	obj.SetName(name)
	if k.Namespaced {
		obj.SetNamespace(ns)
	}
	obj.SetAPIVersion(k.apiVersion())
	obj.SetKind(k.Kind)
	obj.SetUID(types.UID(s.newUID()))
	obj.SetCreationTimestamp(metav1.NewTime(s.rt.Now().UTC().Truncate(time.Second)))
	obj.SetResourceVersion(strconv.FormatInt(s.rv, 10))
	if k.Generation {
		obj.SetGeneration(1)
	} else {
		unstructured.RemoveNestedField(obj.Object, "metadata", "generation")
	}
	wake := s.commitLocked(st, event{typ: watch.Added, rv: s.rv, key: key, obj: obj})
	out := obj.DeepCopy()
	s.mu.Unlock()
	s.flushTrace()
	s.wake(wake)
	return out, nil
}

// update replaces the object named by in.
func (s *Server) update(gvr schema.GroupVersionResource, ns string, in *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	s.revive()
	s.mu.Lock()
	st, err := s.storeLocked(gvr)
	if err != nil {
		s.mu.Unlock()
		return nil, err
	}
	k := st.kind
	obj := in.DeepCopy()
	if err := checkNamespace(k, ns, obj); err != nil {
		s.mu.Unlock()
		return nil, err
	}
	name := obj.GetName()
	key := objectKey(k, ns, name)
	old, exists := st.objects[key]
	if !exists {
		s.mu.Unlock()
		return nil, apierrors.NewNotFound(k.groupResource(), name)
	}
	if obj.GetResourceVersion() == "" && k.ConditionalUpdate {
		s.mu.Unlock()
		return nil, apierrors.NewInvalid(schema.GroupKind{Group: k.Resource.Group, Kind: k.Resource.Resource}, name, field.ErrorList{
			field.Invalid(field.NewPath("metadata", "resourceVersion"), 0, "must be specified for an update")})
	}
	if rv := obj.GetResourceVersion(); rv != "" && rv != old.GetResourceVersion() {
		s.mu.Unlock()
		return nil, apierrors.NewConflict(k.groupResource(), name, fmt.Errorf("the object has been modified; please apply your changes to the latest version and try again"))
	}
	// What the server owns comes from the stored object, whatever the
	// client sent.
	obj.SetAPIVersion(k.apiVersion())
	obj.SetKind(k.Kind)
	obj.SetUID(old.GetUID())
	obj.SetCreationTimestamp(old.GetCreationTimestamp())
	if k.Namespaced {
		obj.SetNamespace(ns)
	}
	if k.Generation {
		gen := old.GetGeneration()
		if specChanged(old, obj) {
			gen++
		}
		obj.SetGeneration(gen)
	} else {
		unstructured.RemoveNestedField(obj.Object, "metadata", "generation")
	}
	// An update that changes nothing is a no-op on the real server: no new
	// resourceVersion, no event.
	obj.SetResourceVersion(old.GetResourceVersion())
	if equality.Semantic.DeepEqual(old.Object, obj.Object) {
		s.mu.Unlock()
		return obj, nil
	}
	s.rv++
	obj.SetResourceVersion(strconv.FormatInt(s.rv, 10))
	wake := s.commitLocked(st, event{typ: watch.Modified, rv: s.rv, key: key, obj: obj, prev: old})
	out := obj.DeepCopy()
	s.mu.Unlock()
	s.flushTrace()
	s.wake(wake)
	return out, nil
}

// remove deletes the object at once (no finalizers, no grace period).
func (s *Server) remove(gvr schema.GroupVersionResource, ns, name string, opts metav1.DeleteOptions) error {
	s.revive()
	s.mu.Lock()
	st, err := s.storeLocked(gvr)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	k := st.kind
	key := objectKey(k, ns, name)
	old, exists := st.objects[key]
	if !exists {
		s.mu.Unlock()
		return apierrors.NewNotFound(k.groupResource(), name)
	}
	if p := opts.Preconditions; p != nil {
		if p.UID != nil && *p.UID != old.GetUID() {
			s.mu.Unlock()
			return apierrors.NewConflict(k.groupResource(), name, fmt.Errorf("Precondition failed: UID in precondition: %v, UID in object meta: %v", *p.UID, old.GetUID()))
		}
		if p.ResourceVersion != nil && *p.ResourceVersion != old.GetResourceVersion() {
			s.mu.Unlock()
			return apierrors.NewConflict(k.groupResource(), name, fmt.Errorf("the object has been modified; please apply your changes to the latest version and try again"))
		}
	}
	s.rv++
	// The DELETED event carries the last state at the delete's own
	// resourceVersion, as the watch cache sends it.
	gone := old.DeepCopy()
	gone.SetResourceVersion(strconv.FormatInt(s.rv, 10))
	wake := s.commitLocked(st, event{typ: watch.Deleted, rv: s.rv, key: key, obj: gone, prev: old})
	s.mu.Unlock()
	s.flushTrace()
	s.wake(wake)
	return nil
}

// get returns a copy of the current object.
func (s *Server) get(gvr schema.GroupVersionResource, ns, name string) (*unstructured.Unstructured, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeLocked(gvr)
	if err != nil {
		return nil, err
	}
	obj, ok := st.objects[objectKey(st.kind, ns, name)]
	if !ok {
		return nil, apierrors.NewNotFound(st.kind.groupResource(), name)
	}
	return obj.DeepCopy(), nil
}

// commitLocked records e in the kind's window and hands it to the kind's
// open watches. It returns the channels to wake once the lock is released.
func (s *Server) commitLocked(st *kindStore, e event) []sim.Chan[struct{}] {
	s.revivedLocked()
	since := st.since
	st.record(e, s.windowSize)
	now := s.rt.Now()
	var wake []sim.Chan[struct{}]
	var offered []string
	for _, w := range st.watches {
		if w.offerLocked(e, now, s.delay) {
			wake = append(wake, w.wakeCh)
			if s.probe != nil {
				offered = append(offered, w.name)
			}
		}
	}
	if s.probe != nil {
		te := trace.Event{Kind: trace.ServerObjectWritten, Index: resourceName(st.kind.Resource), Key: e.key,
			Type: string(e.typ), RV: rvString(e.rv), Keys: offered}
		if st.since != since {
			te.Value = rvString(st.since)
		}
		s.traceLocked(te, e.obj, e.prev)
	}
	wake = append(wake, s.rvWaiters...)
	s.rvWaiters = nil
	return wake
}

// wake pokes each channel without blocking: each is a one-slot doorbell.
func (s *Server) wake(chans []sim.Chan[struct{}]) {
	for _, c := range chans {
		s.rt.Select(false, c.SendCase(struct{}{}))
	}
}

// checkNamespace enforces the request's namespace on the object, as the
// real server does.
func checkNamespace(k Kind, ns string, obj *unstructured.Unstructured) error {
	if !k.Namespaced {
		if ns != "" {
			return apierrors.NewNotFound(k.groupResource(), "")
		}
		obj.SetNamespace("")
		return nil
	}
	if ns == "" {
		// The real server has no route for a write outside a namespace.
		return &apierrors.StatusError{ErrStatus: metav1.Status{
			Status: metav1.StatusFailure, Code: 405, Reason: metav1.StatusReasonMethodNotAllowed,
			Message: "the server does not allow this method on the requested resource", Details: &metav1.StatusDetails{},
		}}
	}
	if got := obj.GetNamespace(); got != "" && got != ns {
		return apierrors.NewBadRequest("the namespace of the provided object does not match the namespace sent on the request")
	}
	return nil
}

// specChanged tells whether anything outside metadata and status changed:
// what bumps metadata.generation for custom resources, and, close enough,
// for the built-in kinds that track it (their strategies compare spec).
func specChanged(old, cur *unstructured.Unstructured) bool {
	strip := func(o *unstructured.Unstructured) map[string]any {
		m := make(map[string]any, len(o.Object))
		for k, v := range o.Object {
			if k != "metadata" && k != "status" && k != "kind" && k != "apiVersion" {
				m[k] = v
			}
		}
		return m
	}
	return !equality.Semantic.DeepEqual(strip(old), strip(cur))
}

// randomSuffix is generateName's five characters, from the runtime's
// randomness.
func (s *Server) randomSuffix() string {
	const alphabet = "bcdfghjklmnpqrstvwxz2456789"
	b := make([]byte, 5)
	for i := range b {
		b[i] = alphabet[s.rt.Int64N(int64(len(alphabet)))]
	}
	return string(b)
}
