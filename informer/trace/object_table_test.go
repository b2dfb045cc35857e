package trace

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestRecorderTellsPointersAtOneAddressApart: a struct and its first field
// share an address but are two objects.
func TestRecorderTellsPointersAtOneAddressApart(t *testing.T) {
	type outer struct{ meta metav1.PartialObjectMetadata }
	o := &outer{}
	p := NewRecorder().Probe("c")
	ro, ri := p.Ref(o), p.Ref(&o.meta)
	if ro == ri {
		t.Fatal("a struct and its first field share a reference")
	}
	if p.Ref(o) != ro || p.Ref(&o.meta) != ri {
		t.Fatal("a reference changed")
	}
}

// TestRecorderKeepsReferencesPastTheCache: more objects than the recent
// cache holds still get their own references back.
func TestRecorderKeepsReferencesPastTheCache(t *testing.T) {
	p := NewRecorder().Probe("c")
	objs := make([]*metav1.PartialObjectMetadata, 3*recentRefs)
	for i := range objs {
		objs[i] = &metav1.PartialObjectMetadata{}
		if got := p.Ref(objs[i]); got != ObjRef(i+1) {
			t.Fatalf("object %d got reference %d", i, got)
		}
	}
	for i, o := range objs {
		if got := p.Ref(o); got != ObjRef(i+1) {
			t.Fatalf("object %d came back as %d", i, got)
		}
	}
}
