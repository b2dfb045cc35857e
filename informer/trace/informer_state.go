package trace

import "fmt"

// InformerState is what a sharedIndexInformer and its controller hold.
// (Filled in with the informer's kinds, kind_informer.go.)
type InformerState struct {
	Started bool
	Stopped bool
	Synced  bool
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

func (s *Snapshot) applyInformer(e Event) {}

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
