package trace

import (
	"reflect"
	"testing"
)

// A clone is equal to its original and shares nothing with it.
func TestSnapshotClone(t *testing.T) {
	s := NewSnapshot()
	st := s.Store("informer/indexer")
	st.Items["ns/a"] = 1
	st.AddIndexEntry("namespace", "ns", "ns/a")
	q := s.Queue("informer/queue")
	q.Entries = []Entry{{Key: "ns/a", Deltas: []Delta{{Type: "Added", Obj: 1}}}}
	l := s.Listener("informer/processor/listener-1")
	l.Ring = []Notification{{Type: "add", Obj: 1}}
	l.Offered = &Notification{Type: "add", Obj: 1}
	r := s.Reflector("informer/reflector")
	r.Request = &ReflectorRequest{}
	s.Goroutines = []GoroutineState{{Name: "informer", State: "runnable"}}

	c := s.Clone()
	if d := Diff(s, c); d != "" {
		t.Fatalf("the clone differs: %s", d)
	}
	c.Store("informer/indexer").Items["ns/b"] = 2
	c.Store("informer/indexer").AddIndexEntry("namespace", "ns", "ns/b")
	c.Queue("informer/queue").Entries[0].Deltas[0].Type = "Updated"
	c.Listener("informer/processor/listener-1").Ring[0].Type = "update"
	c.Listener("informer/processor/listener-1").Offered.Type = "update"
	c.Goroutines[0].State = "blocked"
	c.Reflector("informer/reflector").Request = nil
	if len(st.Items) != 1 || len(st.Indices["namespace"]["ns"]) != 1 || q.Entries[0].Deltas[0].Type != "Added" ||
		l.Ring[0].Type != "add" || l.Offered.Type != "add" || s.Goroutines[0].State != "runnable" || r.Request == nil {
		t.Errorf("changing the clone changed the original")
	}
}

// TestCloneSharesNothing fills every field of a snapshot, at every depth,
// and checks that the clone equals it and shares no map, slice or pointer
// with it. Clone is written out by hand; this is what catches a reference
// field added to a state and not to Clone.
func TestCloneSharesNothing(t *testing.T) {
	s := &Snapshot{}
	fill(reflect.ValueOf(s).Elem())
	c := s.Clone()
	if !reflect.DeepEqual(s, c) {
		t.Fatalf("the clone differs:\n%+v\n%+v", s, c)
	}
	shared(t, "Snapshot", reflect.ValueOf(s).Elem(), reflect.ValueOf(c).Elem())
}

// fill gives v, and everything it holds, a value that is not zero: one
// entry in each map and slice, a target for each pointer.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem())
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k)
		fill(e)
		v.SetMapIndex(k, e)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0))
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i))
		}
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(1)
	default:
		panic("fill: no case for " + v.Kind().String())
	}
}

// shared reports each map, slice or pointer that a and b have in common.
func shared(t *testing.T, path string, a, b reflect.Value) {
	t.Helper()
	switch a.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice:
		if !a.IsNil() && a.UnsafePointer() == b.UnsafePointer() {
			t.Errorf("%s is shared by the clone", path)
			return
		}
	}
	switch a.Kind() {
	case reflect.Pointer:
		shared(t, path, a.Elem(), b.Elem())
	case reflect.Map:
		for it := a.MapRange(); it.Next(); {
			shared(t, path+"[…]", it.Value(), b.MapIndex(it.Key()))
		}
	case reflect.Slice:
		for i := range a.Len() {
			shared(t, path+"[i]", a.Index(i), b.Index(i))
		}
	case reflect.Struct:
		for i := range a.NumField() {
			shared(t, path+"."+a.Type().Field(i).Name, a.Field(i), b.Field(i))
		}
	}
}
