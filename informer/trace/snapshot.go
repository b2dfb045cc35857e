package trace

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Snapshot is the state of every component of a trace at one step.
type Snapshot struct {
	Stores     map[string]*StoreState
	Queues     map[string]*QueueState
	Listeners  map[string]*ListenerState
	Reflectors map[string]*ReflectorState
	Informers  map[string]*InformerState
	// Servers are the simulated API servers, by component.
	Servers map[string]*ServerState
	// Goroutines are the deterministic runtime's lanes, by id - 1.
	Goroutines []GoroutineState
}

// StoreState is what a threadSafeMap holds.
type StoreState struct {
	Items map[string]ObjRef
	// Indexers are the names of the registered index functions, sorted.
	Indexers []string
	// Indices maps index name -> indexed value -> the keys in that set,
	// sorted. Empty sets and empty indices are absent, as in client-go, where
	// a value whose set becomes empty disappears from ListIndexFuncValues.
	Indices map[string]map[string][]string
	RV      string
}

// QueueState is what a DeltaFIFO or RealFIFO holds.
type QueueState struct {
	// Entries are in pop order. A DeltaFIFO entry has one or more Deltas; a
	// RealFIFO entry has exactly one.
	Entries []Entry
	// Processing holds the Deltas of the last pop while its process function
	// runs.
	Processing  []Delta
	Populated   bool
	InitialLeft int
	Synced      bool
	Closed      bool
}

// Entry is one slot of a queue.
type Entry struct {
	Key    string
	Deltas []Delta
}

// Delta is a queued delta: its type and the object it carries.
type Delta struct {
	Type string
	Obj  ObjRef
}

// NewSnapshot returns the state before any event.
func NewSnapshot() *Snapshot {
	return &Snapshot{
		Stores:     map[string]*StoreState{},
		Queues:     map[string]*QueueState{},
		Listeners:  map[string]*ListenerState{},
		Reflectors: map[string]*ReflectorState{},
		Informers:  map[string]*InformerState{},
		Servers:    map[string]*ServerState{},
	}
}

// NewStoreState returns an empty store state.
func NewStoreState() *StoreState {
	return &StoreState{Items: map[string]ObjRef{}, Indices: map[string]map[string][]string{}}
}

// Store returns the state of the named store, creating it empty.
func (s *Snapshot) Store(comp string) *StoreState {
	st := s.Stores[comp]
	if st == nil {
		st = NewStoreState()
		s.Stores[comp] = st
	}
	return st
}

// Queue returns the state of the named queue, creating it empty.
func (s *Snapshot) Queue(comp string) *QueueState {
	q := s.Queues[comp]
	if q == nil {
		q = &QueueState{}
		s.Queues[comp] = q
	}
	return q
}

// AddIndexEntry puts key into Indices[index][value], keeping it sorted.
func (st *StoreState) AddIndexEntry(index, value, key string) {
	idx := st.Indices[index]
	if idx == nil {
		idx = map[string][]string{}
		st.Indices[index] = idx
	}
	keys := idx[value]
	i, found := slices.BinarySearch(keys, key)
	if !found {
		idx[value] = slices.Insert(keys, i, key)
	}
}

// RemoveIndexEntry takes key out of Indices[index][value], dropping the
// set and the index when they become empty.
func (st *StoreState) RemoveIndexEntry(index, value, key string) {
	idx := st.Indices[index]
	keys := idx[value]
	i, found := slices.BinarySearch(keys, key)
	if !found {
		return
	}
	keys = slices.Delete(keys, i, i+1)
	if len(keys) == 0 {
		delete(idx, value)
		if len(idx) == 0 {
			delete(st.Indices, index)
		}
		return
	}
	idx[value] = keys
}

// Diff describes the first differences between two snapshots, or returns ""
// when they are equal. Components absent from one side count as empty.
func Diff(a, b *Snapshot) string {
	var out []string
	for _, name := range unionKeys(a.Stores, b.Stores) {
		if d := diffStore(a.Stores[name], b.Stores[name]); d != "" {
			out = append(out, fmt.Sprintf("store %s: %s", name, d))
		}
	}
	for _, name := range unionKeys(a.Queues, b.Queues) {
		if d := diffQueue(a.Queues[name], b.Queues[name]); d != "" {
			out = append(out, fmt.Sprintf("queue %s: %s", name, d))
		}
	}
	for _, name := range unionKeys(a.Listeners, b.Listeners) {
		if d := diffListener(a.Listeners[name], b.Listeners[name]); d != "" {
			out = append(out, fmt.Sprintf("listener %s: %s", name, d))
		}
	}
	for _, name := range unionKeys(a.Reflectors, b.Reflectors) {
		if d := diffReflector(a.Reflectors[name], b.Reflectors[name]); d != "" {
			out = append(out, fmt.Sprintf("reflector %s: %s", name, d))
		}
	}
	if d := diffGoroutines(a.Goroutines, b.Goroutines); d != "" {
		out = append(out, d)
	}
	for _, name := range unionKeys(a.Informers, b.Informers) {
		if d := diffInformer(a.Informers[name], b.Informers[name]); d != "" {
			out = append(out, fmt.Sprintf("informer %s: %s", name, d))
		}
	}
	for _, name := range unionKeys(a.Servers, b.Servers) {
		if d := diffServer(a.Servers[name], b.Servers[name]); d != "" {
			out = append(out, fmt.Sprintf("server %s: %s", name, d))
		}
	}
	return strings.Join(out, "; ")
}

func diffStore(a, b *StoreState) string {
	if a == nil {
		a = NewStoreState()
	}
	if b == nil {
		b = NewStoreState()
	}
	if fa, fb := fmt.Sprint(sortedMap(a.Items)), fmt.Sprint(sortedMap(b.Items)); fa != fb {
		return fmt.Sprintf("items %s != %s", fa, fb)
	}
	if !slices.Equal(a.Indexers, b.Indexers) {
		return fmt.Sprintf("indexers %v != %v", a.Indexers, b.Indexers)
	}
	if fa, fb := formatIndices(a.Indices), formatIndices(b.Indices); fa != fb {
		return fmt.Sprintf("indices %s != %s", fa, fb)
	}
	if a.RV != b.RV {
		return fmt.Sprintf("rv %q != %q", a.RV, b.RV)
	}
	return ""
}

func diffQueue(a, b *QueueState) string {
	if a == nil {
		a = &QueueState{}
	}
	if b == nil {
		b = &QueueState{}
	}
	if fa, fb := fmt.Sprint(a.Entries), fmt.Sprint(b.Entries); fa != fb {
		return fmt.Sprintf("entries %s != %s", fa, fb)
	}
	if fa, fb := fmt.Sprint(a.Processing), fmt.Sprint(b.Processing); fa != fb {
		return fmt.Sprintf("processing %s != %s", fa, fb)
	}
	if a.Populated != b.Populated || a.InitialLeft != b.InitialLeft || a.Synced != b.Synced || a.Closed != b.Closed {
		return fmt.Sprintf("populated/initialLeft/synced/closed %v/%d/%v/%v != %v/%d/%v/%v",
			a.Populated, a.InitialLeft, a.Synced, a.Closed, b.Populated, b.InitialLeft, b.Synced, b.Closed)
	}
	return ""
}

func formatIndices(ind map[string]map[string][]string) string {
	var b strings.Builder
	for _, name := range sortedKeys(ind) {
		idx := ind[name]
		if len(idx) == 0 {
			continue
		}
		fmt.Fprintf(&b, "%s{", name)
		for _, v := range sortedKeys(idx) {
			if len(idx[v]) > 0 {
				fmt.Fprintf(&b, "%s:%v ", v, idx[v])
			}
		}
		b.WriteString("} ")
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sortedMap(m map[string]ObjRef) []string {
	out := make([]string, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, fmt.Sprintf("%s=%d", k, m[k]))
	}
	return out
}

func unionKeys[V any](a, b map[string]V) []string {
	seen := map[string]V{}
	for k, v := range a {
		seen[k] = v
	}
	for k, v := range b {
		seen[k] = v
	}
	return sortedKeys(seen)
}
