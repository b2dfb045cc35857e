package informer

import "github.com/informerscope/informerscope/informer/trace"

// DeltaType is the kind of change a Delta records.
type DeltaType string

const (
	// Added, Updated and Deleted come from watch events.
	Added   DeltaType = "Added"
	Updated DeltaType = "Updated"
	Deleted DeltaType = "Deleted"
	// Replaced comes from a relist (Replace) when the queue emits it;
	// otherwise a relist emits Sync.
	Replaced DeltaType = "Replaced"
	// ReplacedAll is a whole relist as one delta (an atomic RealFIFO); its
	// object is a ReplacedAllInfo.
	ReplacedAll DeltaType = "ReplacedAll"
	// Sync is a resync of an object the consumer already has, or a relisted
	// object when Replaced is not emitted.
	Sync DeltaType = "Sync"
	// SyncAll is a whole resync as one delta (an atomic RealFIFO); its object
	// is a SyncAllInfo.
	SyncAll DeltaType = "SyncAll"
	// Bookmark carries a watch bookmark's resourceVersion (an atomic
	// RealFIFO); its object is a BookmarkInfo.
	Bookmark DeltaType = "Bookmark"
)

// Delta is one queued change: its type and the object after the change (for
// Deleted, the object's final state, which may be a DeletedFinalStateUnknown).
type Delta struct {
	Type   DeltaType
	Object any
}

// Deltas is a list of Deltas, oldest first.
type Deltas []Delta

// Oldest returns the oldest delta, or nil if there is none.
func (d Deltas) Oldest() *Delta {
	if len(d) > 0 {
		return &d[0]
	}
	return nil
}

// Newest returns the newest delta, or nil if there is none.
func (d Deltas) Newest() *Delta {
	if n := len(d); n > 0 {
		return &d[n-1]
	}
	return nil
}

// DeletedFinalStateUnknown (a tombstone) stands for an object that a relist
// no longer contains: it was deleted while the watch was down, so its final
// state is unknown. Obj is the last state the queue or the consumer knew; it
// may be stale, and it may be nil.
type DeletedFinalStateUnknown struct {
	Key string
	Obj any
}

// ReplacedAllInfo is the object of a ReplacedAll delta: the whole list a
// relist returned, and the resourceVersion it was listed at.
type ReplacedAllInfo struct {
	ResourceVersion string
	Objects         []any
}

// SyncAllInfo is the object of a SyncAll delta.
type SyncAllInfo struct{}

// BookmarkInfo is the object of a Bookmark delta.
type BookmarkInfo struct {
	ResourceVersion string
}

// KeyListerGetter is what a queue needs to know of its consumer's store:
// the keys it holds and the object under a key.
type KeyListerGetter interface {
	KeyLister
	KeyGetter
}

// KeyLister lists keys.
type KeyLister interface {
	ListKeys() []string
}

// KeyGetter gets the object stored under a key.
type KeyGetter interface {
	GetByKey(key string) (value any, exists bool, err error)
}

// DescribeTrace lets a trace label a tombstone.
func (d DeletedFinalStateUnknown) DescribeTrace(ref func(any) trace.ObjRef) trace.Object {
	return trace.Object{Kind: "DeletedFinalStateUnknown", Key: d.Key, Inner: ref(d.Obj)}
}

// DescribeTrace lets a trace label a ReplacedAll payload.
func (r ReplacedAllInfo) DescribeTrace(ref func(any) trace.ObjRef) trace.Object {
	items := make([]trace.ObjRef, len(r.Objects))
	for i, o := range r.Objects {
		items[i] = ref(o)
	}
	return trace.Object{Kind: "ReplacedAllInfo", RV: r.ResourceVersion, Items: items}
}

// DescribeTrace lets a trace label a SyncAll payload.
func (SyncAllInfo) DescribeTrace(func(any) trace.ObjRef) trace.Object {
	return trace.Object{Kind: "SyncAllInfo"}
}

// DescribeTrace lets a trace label a Bookmark payload.
func (b BookmarkInfo) DescribeTrace(func(any) trace.ObjRef) trace.Object {
	return trace.Object{Kind: "BookmarkInfo", RV: b.ResourceVersion}
}
