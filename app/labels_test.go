package ui

import (
	"fmt"
	"testing"

	"github.com/informerscope/informerscope/informer/trace"
)

// A ReplacedAllInfo's label names its first objects and counts the rest,
// whatever the relist's size.
func TestReplacedAllLabel(t *testing.T) {
	for _, tc := range []struct {
		items int
		want  string
	}{
		{0, "ReplacedAllInfo{rv=9,[]}"},
		{2, "ReplacedAllInfo{rv=9,[o1@1 o2@2]}"},
		{labelListMax, "ReplacedAllInfo{rv=9,[o1@1 o2@2 o3@3 o4@4 o5@5 o6@6]}"},
		{labelListMax + 1, "ReplacedAllInfo{rv=9,[o1@1 o2@2 o3@3 o4@4 o5@5 o6@6 … +1]}"},
		{2000, "ReplacedAllInfo{rv=9,[o1@1 o2@2 o3@3 o4@4 o5@5 o6@6 … +1994]}"},
	} {
		var l labeler
		var refs []trace.ObjRef
		for i := range tc.items {
			l.objects = append(l.objects, trace.Object{Name: fmt.Sprintf("o%d", i+1), RV: fmt.Sprint(i + 1)})
			refs = append(refs, trace.ObjRef(i+1))
		}
		l.objects = append(l.objects, trace.Object{Kind: "ReplacedAllInfo", RV: "9", Items: refs})
		if got := l.object(trace.ObjRef(len(l.objects))); got != tc.want {
			t.Errorf("%d items: %q, want %q", tc.items, got, tc.want)
		}
	}
}
