package trace

import "fmt"

// ReflectorState is what a Reflector holds. (Filled in with the reflector's
// kinds, kind_reflector.go.)
type ReflectorState struct {
	LastSyncResourceVersion string
}

// Reflector returns the state of the named reflector, creating it empty.
func (s *Snapshot) Reflector(comp string) *ReflectorState {
	r := s.Reflectors[comp]
	if r == nil {
		r = &ReflectorState{}
		s.Reflectors[comp] = r
	}
	return r
}

func (s *Snapshot) applyReflector(e Event) {}

func diffReflector(a, b *ReflectorState) string {
	if a == nil {
		a = &ReflectorState{}
	}
	if b == nil {
		b = &ReflectorState{}
	}
	if fa, fb := fmt.Sprintf("%+v", *a), fmt.Sprintf("%+v", *b); fa != fb {
		return fa + " != " + fb
	}
	return ""
}
