package informer

import (
	"fmt"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// obj returns an object named name in namespace "ns" at resourceVersion rv.
// Tests write it as name@rv.
func obj(name, rv string) *metav1.PartialObjectMetadata {
	return &metav1.PartialObjectMetadata{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name, ResourceVersion: rv}}
}

// objLabels is obj with labels.
func objLabels(name, rv string, labels map[string]string) *metav1.PartialObjectMetadata {
	o := obj(name, rv)
	o.Labels = labels
	return o
}

// fmtObj prints an object the way the spec and the tests write it:
// a@1, DFSU{ns/b,b@2}, ReplacedAllInfo{rv=10,[a@1 b@1]}, ...
func fmtObj(o any) string {
	switch v := o.(type) {
	case nil:
		return "nil"
	case *metav1.PartialObjectMetadata:
		return v.Name + "@" + v.ResourceVersion
	case DeletedFinalStateUnknown:
		return fmt.Sprintf("DFSU{%s,%s}", v.Key, fmtObj(v.Obj))
	case ReplacedAllInfo:
		return fmt.Sprintf("ReplacedAllInfo{rv=%s,%s}", v.ResourceVersion, fmtObjs(v.Objects))
	case SyncAllInfo:
		return "SyncAllInfo{}"
	case BookmarkInfo:
		return fmt.Sprintf("BookmarkInfo{rv=%s}", v.ResourceVersion)
	case ExplicitKey:
		return "key:" + string(v)
	}
	return fmt.Sprintf("%T(%v)", o, o)
}

func fmtObjs(objs []any) string {
	parts := make([]string, len(objs))
	for i, o := range objs {
		parts[i] = fmtObj(o)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// fmtDeltas prints deltas as [Added(a@1), Updated(a@2)].
func fmtDeltas(ds []Delta) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = fmt.Sprintf("%s(%s)", d.Type, fmtObj(d.Object))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// knownObjects is a KeyListerGetter over a fixed list, listing keys in list
// order.
type knownObjects []any

func (k knownObjects) ListKeys() []string {
	keys := make([]string, 0, len(k))
	for _, o := range k {
		key, _ := MetaNamespaceKeyFunc(o)
		keys = append(keys, key)
	}
	return keys
}

func (k knownObjects) GetByKey(key string) (any, bool, error) {
	for _, o := range k {
		if k2, _ := MetaNamespaceKeyFunc(o); k2 == key {
			return o, true, nil
		}
	}
	return nil, false, nil
}

// popAll pops q (which must be closed) until it is empty and returns each
// pop as "[deltas] init=<bool>".
func popAll(q Queue) []string {
	var out []string
	for {
		_, err := q.Pop(func(o any, initial bool) error {
			out = append(out, fmt.Sprintf("%s init=%v", fmtDeltas(o.(Deltas)), initial))
			return nil
		})
		if err == ErrFIFOClosed {
			return out
		}
	}
}
