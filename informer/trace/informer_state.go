package trace

import "fmt"

// InformerState is what a sharedIndexInformer holds of its own; its parts
// (indexer, queue, reflector, processor) have states of their own.
type InformerState struct {
	Started bool
	Stopped bool
	Synced  bool
	// Mutations lists the objects the mutation detector found modified.
	Mutations []ObjRef
}

// Informer returns the state of the named informer, creating it empty.
func (s *Snapshot) Informer(comp string) *InformerState {
	i := s.Informers[comp]
	if i == nil {
		i = &InformerState{}
		s.Informers[comp] = i
	}
	return i
}

func (s *Snapshot) applyInformer(e Event) {
	i := s.Informer(e.Comp)
	switch e.Kind {
	case InformerStarted:
		i.Started = true
	case InformerSynced:
		i.Synced = true
	case InformerStopped:
		i.Stopped = true
	case MutationDetected:
		i.Mutations = append(i.Mutations, e.Obj)
	}
}

func diffInformer(a, b *InformerState) string {
	if a == nil {
		a = &InformerState{}
	}
	if b == nil {
		b = &InformerState{}
	}
	if fa, fb := fmt.Sprintf("%+v", *a), fmt.Sprintf("%+v", *b); fa != fb {
		return fa + " != " + fb
	}
	return ""
}
