package trace

import "slices"

// Fold returns the state after events, starting from nothing. It is a pure
// function: the same events always give the same snapshot.
func Fold(events []Event) *Snapshot {
	s := NewSnapshot()
	for _, e := range events {
		s.Apply(e)
	}
	return s
}

// Apply moves s one event forward.
func (s *Snapshot) Apply(e Event) {
	switch e.Kind.Area() {
	case "listener":
		s.applyListener(e)
		return
	case "reflector":
		s.applyReflector(e)
		return
	case "informer":
		s.applyInformer(e)
		return
	case "runtime":
		s.applyRuntime(e)
		return
	case "server":
		s.applyServer(e)
		return
	}
	switch e.Kind {
	case StoreAdded, StoreUpdated:
		st := s.Store(e.Comp)
		st.Items[e.Key] = e.Obj
		if !e.KeepRV {
			st.RV = e.RV
		}
	case StoreDeleted:
		st := s.Store(e.Comp)
		delete(st.Items, e.Key)
		if !e.KeepRV {
			st.RV = e.RV
		}
	case StoreReplaced:
		st := s.Store(e.Comp)
		st.Items = make(map[string]ObjRef, len(e.Keys))
		for i, k := range e.Keys {
			st.Items[k] = e.Objs[i]
		}
		st.Indices = map[string]map[string][]string{}
		st.RV = e.RV
	case StoreBookmark:
		s.Store(e.Comp).RV = e.RV
	case IndexerAdded:
		st := s.Store(e.Comp)
		i, found := slices.BinarySearch(st.Indexers, e.Index)
		if !found {
			st.Indexers = slices.Insert(st.Indexers, i, e.Index)
		}
	case IndexEntryAdded:
		s.Store(e.Comp).AddIndexEntry(e.Index, e.Value, e.Key)
	case IndexEntryRemoved:
		s.Store(e.Comp).RemoveIndexEntry(e.Index, e.Value, e.Key)

	case DeltaAppended:
		q := s.Queue(e.Comp)
		q.Entries = append(q.Entries, Entry{Key: e.Key, Deltas: []Delta{{Type: e.Type, Obj: e.Obj}}})
	case DeltaMerged:
		q := s.Queue(e.Comp)
		if e.Pos < len(q.Entries) {
			ent := &q.Entries[e.Pos]
			ent.Deltas = append(slices.Clip(ent.Deltas), Delta{Type: e.Type, Obj: e.Obj})
		}
	case DeltaDeduped:
		q := s.Queue(e.Comp)
		if e.Pos < len(q.Entries) {
			ent := &q.Entries[e.Pos]
			if n := len(ent.Deltas); n >= 2 {
				drop := n - 1 // "kept older"
				if e.Reason == KeptNewer {
					drop = n - 2
				}
				ent.Deltas = slices.Delete(slices.Clone(ent.Deltas), drop, drop+1)
			}
		}
	case DeltaDropped, TombstoneMade:
		// Informational: the queue did not change.
	case QueuePopulated:
		q := s.Queue(e.Comp)
		q.Populated = true
		q.InitialLeft = e.Left
	case QueuePopped, QueueBatchPopped:
		q := s.Queue(e.Comp)
		n := 1
		if e.Kind == QueueBatchPopped {
			n = e.Count
		}
		n = min(n, len(q.Entries))
		var processing []Delta
		for _, ent := range q.Entries[:n] {
			processing = append(processing, ent.Deltas...)
		}
		q.Entries = slices.Clone(q.Entries[n:])
		q.Processing = processing
		q.InitialLeft = e.Left
	case QueueProcessed:
		q := s.Queue(e.Comp)
		q.Processing = nil
		q.InitialLeft = e.Left
	case QueueSynced:
		s.Queue(e.Comp).Synced = true
	case QueueClosed:
		s.Queue(e.Comp).Closed = true
	}
}

// Reasons carried by DeltaDeduped events.
const (
	KeptOlder = "kept older"
	KeptNewer = "kept newer"
)
