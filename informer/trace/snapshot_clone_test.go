package trace

import "testing"

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
