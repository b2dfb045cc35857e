package mock

import (
	"slices"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/watch"
)

// event is one change of one object, at the resourceVersion the change was
// given. obj is the object after the change (for a delete, the last state
// stamped with the delete's resourceVersion); prev is the object before
// (nil for an add). Events are never mutated once made.
type event struct {
	typ  watch.EventType
	rv   int64
	key  string
	obj  *unstructured.Unstructured
	prev *unstructured.Unstructured
}

// kindStore holds one kind's objects and its event window. The server's
// lock guards it.
//
// The window holds every event of the kind with a resourceVersion above
// since, oldest first: a watch can start from any resourceVersion >= since,
// and the state at any such resourceVersion can be rebuilt by undoing the
// newer events (exact lists, continued pages). Trimming the window to its
// size, Compact and Restart raise since.
type kindStore struct {
	kind    Kind
	objects map[string]*unstructured.Unstructured // by key: "ns/name", or "name"
	window  []event
	since   int64
	watches []*Watch // open, in opening order
}

func newKindStore(k Kind, rv int64) *kindStore {
	return &kindStore{kind: k, objects: map[string]*unstructured.Unstructured{}, since: rv}
}

// record applies e to the objects and appends it to the window, trimming
// the window to size events.
func (st *kindStore) record(e event, size int) {
	if e.typ == watch.Deleted {
		delete(st.objects, e.key)
	} else {
		st.objects[e.key] = e.obj
	}
	st.window = append(st.window, e)
	if over := len(st.window) - size; over > 0 {
		st.since = st.window[over-1].rv
		// Reslicing, not copying: events are never written in place, so
		// slices that watches hold stay valid, and append moves the window
		// to a new array once the old one's tail is used up, which drops
		// the trimmed head. A copy per event made a full window O(size).
		st.window = st.window[over:]
	}
}

// forget empties the window: from now on only resourceVersions from rv on
// can be served.
func (st *kindStore) forget(rv int64) {
	st.window = nil
	st.since = rv
}

// eventsAfter returns the window's events above rv; ok is false when rv is
// older than the window.
func (st *kindStore) eventsAfter(rv int64) (events []event, ok bool) {
	if rv < st.since {
		return nil, false
	}
	i, _ := slices.BinarySearchFunc(st.window, rv+1, func(e event, rv int64) int { return cmpInt(e.rv, rv) })
	return st.window[i:], true
}

// stateAt returns the objects as they were at rv, by key; ok is false when
// rv is older than the window. The objects are shared, not copies.
func (st *kindStore) stateAt(rv int64) (map[string]*unstructured.Unstructured, bool) {
	newer, ok := st.eventsAfter(rv)
	if !ok {
		return nil, false
	}
	state := make(map[string]*unstructured.Unstructured, len(st.objects))
	for k, o := range st.objects {
		state[k] = o
	}
	for i := len(newer) - 1; i >= 0; i-- {
		e := newer[i]
		if e.prev == nil {
			delete(state, e.key)
		} else {
			state[e.key] = e.prev
		}
	}
	return state, true
}

// sortedKeys returns m's keys in the order the real server lists them: by
// key, as etcd orders /registry/<resource>/<namespace>/<name>.
func sortedKeys(m map[string]*unstructured.Unstructured) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
