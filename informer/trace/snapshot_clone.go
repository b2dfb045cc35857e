package trace

import (
	"maps"
	"slices"
)

// Clone returns a deep copy of s: folding more events into either leaves
// the other as it was. The page keeps clones as checkpoints, so that
// stepping back or seeking folds a few hundred events, not the whole trace;
// every seek clones one.
//
// It is written out rather than done by reflection, which cost the page
// 3 ms of a seek's 25 ms of Go. Each state is first copied whole, so that
// a plain field added later is copied without anyone remembering to; a
// map, slice or pointer field added later must be copied here, and
// TestCloneSharesNothing fails until it is.
func (s *Snapshot) Clone() *Snapshot {
	c := *s
	c.Stores = cloneEach(s.Stores, (*StoreState).clone)
	c.Queues = cloneEach(s.Queues, (*QueueState).clone)
	c.Listeners = cloneEach(s.Listeners, (*ListenerState).clone)
	c.Reflectors = cloneEach(s.Reflectors, (*ReflectorState).clone)
	c.Informers = cloneEach(s.Informers, (*InformerState).clone)
	c.Servers = cloneEach(s.Servers, (*ServerState).clone)
	c.Goroutines = slices.Clone(s.Goroutines)
	return &c
}

// cloneEach copies a map of states, each with clone.
func cloneEach[V any](m map[string]*V, clone func(*V) *V) map[string]*V {
	if m == nil {
		return nil
	}
	c := make(map[string]*V, len(m))
	for k, v := range m {
		if v != nil {
			v = clone(v)
		}
		c[k] = v
	}
	return c
}

// clonePtr copies what p points to; its value has no references.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}

func (st *StoreState) clone() *StoreState {
	c := *st
	c.Items = maps.Clone(st.Items)
	c.Indexers = slices.Clone(st.Indexers)
	if st.Indices != nil {
		c.Indices = make(map[string]map[string][]string, len(st.Indices))
		for name, values := range st.Indices {
			cv := make(map[string][]string, len(values))
			for v, keys := range values {
				cv[v] = slices.Clone(keys)
			}
			c.Indices[name] = cv
		}
	}
	return &c
}

func (q *QueueState) clone() *QueueState {
	c := *q
	if q.Entries != nil {
		c.Entries = make([]Entry, len(q.Entries))
		copy(c.Entries, q.Entries)
		for i := range c.Entries {
			c.Entries[i].Deltas = slices.Clone(q.Entries[i].Deltas)
		}
	}
	c.Processing = slices.Clone(q.Processing)
	return &c
}

func (l *ListenerState) clone() *ListenerState {
	c := *l
	c.Offered = clonePtr(l.Offered)
	c.Ring = slices.Clone(l.Ring)
	c.Handling = clonePtr(l.Handling)
	return &c
}

func (r *ReflectorState) clone() *ReflectorState {
	c := *r
	c.Request = clonePtr(r.Request)
	c.Watch = clonePtr(r.Watch)
	return &c
}

func (i *InformerState) clone() *InformerState {
	c := *i
	c.Mutations = slices.Clone(i.Mutations)
	return &c
}

func (sv *ServerState) clone() *ServerState {
	c := *sv
	c.Resources = cloneEach(sv.Resources, (*ServerResource).clone)
	c.Watches = slices.Clone(sv.Watches)
	return &c
}

func (r *ServerResource) clone() *ServerResource {
	c := *r
	c.Objects = maps.Clone(r.Objects)
	return &c
}
