package trace

// ObjRef is a reference to an entry of a trace's object table. References
// start at 1; 0 means "no object" (a nil object, or a field that does not
// apply).
type ObjRef int32

// Event is one state change of one component. Which fields are meaningful
// depends on Kind (see kind.go); the others stay at their zero value, so that
// the JSON form stays small.
type Event struct {
	Kind Kind   `json:"kind"`
	Comp string `json:"comp"`

	Key  string `json:"key,omitempty"`
	Type string `json:"type,omitempty"` // a DeltaType, or a notification type
	Obj  ObjRef `json:"obj,omitempty"`
	Old  ObjRef `json:"old,omitempty"` // an update's old object
	RV   string `json:"rv,omitempty"`
	// KeepRV marks a store write that did not change the store's
	// resourceVersion.
	KeepRV bool `json:"keepRV,omitempty"`

	// Pos is a position in a queue, counted from the head.
	Pos int `json:"pos,omitempty"`

	Index string `json:"index,omitempty"`
	Value string `json:"value,omitempty"`

	Keys []string `json:"keys,omitempty"`
	Objs []ObjRef `json:"objs,omitempty"`

	Count   int    `json:"count,omitempty"`
	Until   int64  `json:"until,omitempty"` // a virtual time, in ns
	Cap     int    `json:"cap,omitempty"`
	Initial bool   `json:"initial,omitempty"`
	Left    int    `json:"left,omitempty"`
	Reason  string `json:"reason,omitempty"`
}

// Object describes one object of the trace's object table: enough for a view
// to label it without holding the object itself.
type Object struct {
	// Kind is empty for an API object and otherwise names a client-go value
	// type: "DeletedFinalStateUnknown", "ReplacedAllInfo", "SyncAllInfo",
	// "BookmarkInfo", or "Other" for anything without object metadata.
	Kind      string            `json:"kind,omitempty"`
	Namespace string            `json:"namespace,omitempty"`
	Name      string            `json:"name,omitempty"`
	RV        string            `json:"rv,omitempty"`
	UID       string            `json:"uid,omitempty"`
	Labels    map[string]string `json:"labels,omitempty"`

	// Key and Inner describe a DeletedFinalStateUnknown: its key and its
	// (possibly stale, possibly nil) last known object.
	Key   string `json:"key,omitempty"`
	Inner ObjRef `json:"inner,omitempty"`
	// Items are the objects of a ReplacedAllInfo.
	Items []ObjRef `json:"items,omitempty"`
	// Text is a printed form of an object that has no metadata.
	Text string `json:"text,omitempty"`
}

// Describer is implemented by the informer's own value types (tombstones,
// ReplacedAllInfo, ...) so that the recorder can describe them without
// importing the informer package. ref interns nested objects.
type Describer interface {
	DescribeTrace(ref func(any) ObjRef) Object
}
