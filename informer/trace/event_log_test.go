package trace

import (
	"fmt"
	"testing"
	"unsafe"
)

// TestEventLogKeepsEveryField packs and unpacks events with every field set
// and none set, and shares the strings it decodes.
func TestEventLogKeepsEveryField(t *testing.T) {
	in := []Event{
		{},
		{Kind: StoreReplaced, Comp: "s", Keys: []string{"a", "b"}, Objs: []ObjRef{1, 2}, RV: "9"},
		{Kind: DeltaMerged, Comp: "q", Key: "ns/a", Type: "Deleted", Obj: 3, Old: 4, KeepRV: true, Pos: 5,
			Index: "i", Value: "v", Count: 6, Cap: 7, Initial: true, Left: 8, Until: 9, Reason: "why"},
		{Kind: StoreReplaced, Comp: "s", Keys: []string{"c", "ns/a"}, Objs: []ObjRef{5}},
	}
	var l eventLog
	for i := range in {
		l.append(&in[i])
	}
	out := l.events()
	if fmt.Sprintf("%+v", out) != fmt.Sprintf("%+v", in) {
		t.Fatalf("got\n%+v\nwant\n%+v", out, in)
	}
	if unsafe.StringData(out[1].Comp) != unsafe.StringData(out[3].Comp) ||
		unsafe.StringData(out[2].Key) != unsafe.StringData(out[3].Keys[1]) {
		t.Fatal("decoded strings are not shared")
	}
}
