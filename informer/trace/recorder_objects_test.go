package trace

import (
	"fmt"
	"testing"
)

type testObj struct{ name string }

func (o *testObj) DescribeTrace(func(any) ObjRef) Object { return Object{Name: o.name} }

// ObjectsFrom hands out the table's tail; added to what a reader had, it
// is the whole table.
func TestObjectsFrom(t *testing.T) {
	r := NewRecorder()
	p := r.Probe("c")
	var mine []Object
	for i := range 3000 {
		p.Ref(&testObj{fmt.Sprint(i)})
		if i%700 == 0 {
			mine = append(mine, r.ObjectsFrom(len(mine))...)
		}
	}
	mine = append(mine, r.ObjectsFrom(len(mine))...)
	all := r.Objects()
	if r.ObjectCount() != 3000 || len(mine) != len(all) {
		t.Fatalf("count %d, mine %d, all %d", r.ObjectCount(), len(mine), len(all))
	}
	for i := range all {
		if fmt.Sprint(mine[i]) != fmt.Sprint(all[i]) {
			t.Fatalf("object %d: %+v vs %+v", i, mine[i], all[i])
		}
	}
	if r.ObjectsFrom(3000) != nil || r.ObjectsFrom(5000) != nil {
		t.Error("nothing is new past the end")
	}
}
