package trace

import (
	"encoding/json"
	"fmt"
	"slices"
)

// Kind says what happened. The set is closed: Fold knows every kind, and a
// trace file naming any other kind is rejected.
type Kind uint8

// invalidKind is the zero Kind, which no event has.
const invalidKind Kind = 0

// kindNames holds every valid kind with its name. Each area's kinds are
// declared in its own file (kind_queue.go, ...), in its own range of values;
// their names are gathered here.
var kindNames = mergeKinds(queueKinds, listenerKinds, reflectorKinds, informerKinds, runtimeKinds, serverKinds)

func mergeKinds(tables ...map[Kind]string) map[Kind]string {
	all := map[Kind]string{}
	for _, t := range tables {
		for k, name := range t {
			if _, dup := all[k]; dup {
				panic(fmt.Sprintf("trace: kind %d declared twice", k))
			}
			all[k] = name
		}
	}
	return all
}

// Each area's kinds start at its base value.
const (
	queueBase     Kind = 1   // kind_queue.go: stores, indexes, queues
	listenerBase  Kind = 64  // the shared processor and its listeners
	reflectorBase Kind = 96  // the reflector and its list and watch calls
	informerBase  Kind = 128 // the controller and the shared informer
	runtimeBase   Kind = 160 // goroutines of the runtime
	serverBase    Kind = 192 // kind_server.go: the simulated API server
)

// Area names the layer a kind belongs to: "queue", "listener", "reflector",
// "informer", "runtime" or "server".
func (k Kind) Area() string {
	switch {
	case k >= serverBase:
		return "server"
	case k >= runtimeBase:
		return "runtime"
	case k >= informerBase:
		return "informer"
	case k >= reflectorBase:
		return "reflector"
	case k >= listenerBase:
		return "listener"
	}
	return "queue"
}

// Valid tells whether k is one of the declared kinds.
func (k Kind) Valid() bool {
	_, ok := kindNames[k]
	return ok
}

// Kinds lists every valid kind, in declaration order.
func Kinds() []Kind {
	out := make([]Kind, 0, len(kindNames))
	for k := range kindNames {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (k Kind) String() string {
	if name, ok := kindNames[k]; ok {
		return name
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// ParseKind returns the kind with the given name.
func ParseKind(name string) (Kind, bool) {
	for k, n := range kindNames {
		if n == name {
			return k, true
		}
	}
	return invalidKind, false
}

// MarshalJSON writes a kind as its name, so trace files stay readable and
// survive reordering of the constants.
func (k Kind) MarshalJSON() ([]byte, error) {
	if !k.Valid() {
		return nil, fmt.Errorf("trace: invalid event kind %d", uint8(k))
	}
	return json.Marshal(kindNames[k])
}

func (k *Kind) UnmarshalJSON(b []byte) error {
	var name string
	if err := json.Unmarshal(b, &name); err != nil {
		return fmt.Errorf("event kind must be a string: %s", b)
	}
	parsed, ok := ParseKind(name)
	if !ok {
		return fmt.Errorf("unknown event kind %q", name)
	}
	*k = parsed
	return nil
}
