package ui

import (
	"fmt"
	"strings"

	"github.com/informerscope/informerscope/informer/trace"
)

// labeler writes trace objects the way the spec and the informer tests
// write them: a@1, DFSU{ns/b,b@2}, ReplacedAllInfo{rv=2,[a@1 b@2]}. objects
// is the recorder's object table: objects[i] is ObjRef(i+1).
type labeler struct {
	objects []trace.Object
}

func (l labeler) object(ref trace.ObjRef) string {
	if ref <= 0 || int(ref) > len(l.objects) {
		return "nil"
	}
	o := l.objects[ref-1]
	switch o.Kind {
	case "":
		return o.Name + "@" + o.RV
	case "DeletedFinalStateUnknown":
		return fmt.Sprintf("DFSU{%s,%s}", o.Key, l.object(o.Inner))
	case "ReplacedAllInfo":
		return fmt.Sprintf("ReplacedAllInfo{rv=%s,%s}", o.RV, l.objectListShort(o.Items))
	case "SyncAllInfo":
		return "SyncAllInfo{}"
	case "BookmarkInfo":
		return fmt.Sprintf("BookmarkInfo{rv=%s}", o.RV)
	}
	return o.Text
}

func (l labeler) objectList(refs []trace.ObjRef) string {
	parts := make([]string, len(refs))
	for i, r := range refs {
		parts[i] = l.object(r)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// labelListMax is how many objects of a ReplacedAllInfo its label names.
// A relist of 2,000 objects made a label of 2,000 names at every frame
// while playing, a third of the page's render time; the inspector still
// lists them all.
const labelListMax = 6

// objectListShort is objectList naming at most labelListMax objects and
// counting the rest: [a@1 b@2 … +1998].
func (l labeler) objectListShort(refs []trace.ObjRef) string {
	if len(refs) <= labelListMax {
		return l.objectList(refs)
	}
	s := l.objectList(refs[:labelListMax])
	return s[:len(s)-1] + fmt.Sprintf(" … +%d]", len(refs)-labelListMax)
}

// deltas writes deltas as "Added a@1, Updated a@2".
func (l labeler) deltas(ds []trace.Delta) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.Type + " " + l.object(d.Obj)
	}
	return strings.Join(parts, ", ")
}

// entry writes one queue slot as "ns/a: Added a@1, Updated a@2". Deltas
// about the whole queue (ReplacedAll, SyncAll) have no key.
func (l labeler) entry(key string, ds []trace.Delta) string {
	if key == "" {
		return l.deltas(ds)
	}
	return key + ": " + l.deltas(ds)
}
