package trace

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

type box struct{ inner any }

func (b box) DescribeTrace(ref func(any) ObjRef) Object {
	return Object{Kind: "Box", Inner: ref(b.inner)}
}

func TestRecorderInternsObjects(t *testing.T) {
	rec := NewRecorder()
	p := rec.Probe("c")
	a := &metav1.PartialObjectMetadata{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "a", ResourceVersion: "1", Labels: map[string]string{"x": "y"}}}
	a2 := &metav1.PartialObjectMetadata{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "a", ResourceVersion: "1"}}
	ra := p.Ref(a)
	if ra != 1 || p.Ref(a) != ra {
		t.Fatalf("the same pointer must keep its reference: %d, %d", ra, p.Ref(a))
	}
	if p.Ref(a2) == ra {
		t.Fatal("two distinct objects share a reference")
	}
	if p.Ref(nil) != 0 {
		t.Fatal("nil must be reference 0")
	}
	rb := p.Ref(box{a})
	if p.Ref(box{a}) != rb {
		t.Fatal("equal values must share a reference")
	}
	if p.Ref(box{a2}) == rb {
		t.Fatal("values holding different objects must not share a reference")
	}
	objs := rec.Objects()
	if o := objs[ra-1]; o.Name != "a" || o.Namespace != "ns" || o.RV != "1" || o.Labels["x"] != "y" {
		t.Fatalf("object described as %+v", o)
	}
	if o := objs[rb-1]; o.Kind != "Box" || o.Inner != ra {
		t.Fatalf("value described as %+v", o)
	}
	rp := p.Ref("plain")
	if o := rec.Objects()[rp-1]; o.Kind != "Other" || o.Text != "plain" {
		t.Fatalf("an object without metadata described as %+v", o)
	}
}

func TestNilProbeRecordsNothing(t *testing.T) {
	var rec *Recorder
	p := rec.Probe("c")
	p.Emit(Event{Kind: QueueClosed})
	if p.Ref(&metav1.PartialObjectMetadata{}) != 0 || p.Component() != "" {
		t.Fatal("a nil probe answered")
	}
}

func TestRecorderOnEventSeesEveryEvent(t *testing.T) {
	rec := NewRecorder()
	var got []Kind
	rec.OnEvent(func(e Event) { got = append(got, e.Kind) })
	p := rec.Probe("q")
	p.Emit(Event{Kind: QueueSynced})
	p.Emit(Event{Kind: QueueClosed})
	if len(got) != 2 || rec.Len() != 2 || rec.Events()[1].Comp != "q" {
		t.Fatalf("watched %v, recorded %+v", got, rec.Events())
	}
}
