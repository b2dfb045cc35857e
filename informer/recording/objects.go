package recording

import (
	"encoding/json"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
)

// encodeObject is obj as the API's JSON. Unstructured objects and lists
// marshal themselves; typed ones (a Status) through encoding/json.
func encodeObject(obj runtime.Object) (json.RawMessage, error) {
	b, err := json.Marshal(obj)
	if err != nil {
		return nil, fmt.Errorf("recording a %T: %w", obj, err)
	}
	return b, nil
}

// decodeEventObject is an event's object as a replay hands it out: a
// *metav1.Status for an ERROR event (what the Reflector's
// apierrors.FromObject reads), otherwise an *unstructured.Unstructured.
func decodeEventObject(e Event) (runtime.Object, error) {
	switch e.Type {
	case watch.Added, watch.Modified, watch.Deleted, watch.Bookmark:
		u := &unstructured.Unstructured{}
		if err := u.UnmarshalJSON(e.Object); err != nil {
			return nil, fmt.Errorf("the %s event's object does not decode: %v", e.Type, err)
		}
		return u, nil
	case watch.Error:
		st := &metav1.Status{}
		if err := json.Unmarshal(e.Object, st); err != nil {
			return nil, fmt.Errorf("the ERROR event's Status does not decode: %v", err)
		}
		return st, nil
	}
	return nil, fmt.Errorf("unknown event type %q", e.Type)
}

func decodeList(raw json.RawMessage) (*unstructured.UnstructuredList, error) {
	l := &unstructured.UnstructuredList{}
	if err := l.UnmarshalJSON(raw); err != nil {
		return nil, err
	}
	return l, nil
}
