package informer

import (
	"fmt"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/util/sets"
)

// Indexer is a Store that also indexes its objects: each index maps the
// values an IndexFunc computes for an object to the keys of the objects that
// produced them.
type Indexer interface {
	Store
	// Index returns the stored objects whose values in the named index
	// intersect the values of obj.
	Index(indexName string, obj any) ([]any, error)
	// IndexKeys returns the keys, sorted, of the stored objects that have
	// indexedValue in the named index.
	IndexKeys(indexName, indexedValue string) ([]string, error)
	// ListIndexFuncValues returns every value of the named index that at
	// least one stored object has.
	ListIndexFuncValues(indexName string) []string
	// ByIndex returns the stored objects that have indexedValue in the named
	// index.
	ByIndex(indexName, indexedValue string) ([]any, error)
	// GetIndexers returns the index functions, by name.
	GetIndexers() Indexers
	// AddIndexers registers more index functions and indexes the objects
	// already stored with them. A name already registered is an error.
	AddIndexers(newIndexers Indexers) error
}

// IndexFunc computes the indexed values of an object.
type IndexFunc func(obj any) ([]string, error)

// IndexFuncToKeyFuncAdapter turns an IndexFunc that yields exactly one value
// into a KeyFunc.
func IndexFuncToKeyFuncAdapter(indexFunc IndexFunc) KeyFunc {
	return func(obj any) (string, error) {
		values, err := indexFunc(obj)
		if err != nil {
			return "", err
		}
		if len(values) > 1 {
			return "", fmt.Errorf("too many keys: %v", values)
		}
		if len(values) == 0 {
			return "", fmt.Errorf("unexpected empty indexKeys")
		}
		return values[0], nil
	}
}

// NamespaceIndex is the conventional name of the index by namespace.
const NamespaceIndex string = "namespace"

// MetaNamespaceIndexFunc indexes an object by its namespace.
func MetaNamespaceIndexFunc(obj any) ([]string, error) {
	m, err := meta.Accessor(obj)
	if err != nil {
		return []string{""}, fmt.Errorf("object has no meta: %v", err)
	}
	return []string{m.GetNamespace()}, nil
}

// index maps an indexed value to the set of keys that have it.
type index map[string]sets.Set[string]

// Indexers maps an index name to its IndexFunc.
type Indexers map[string]IndexFunc

// Indices maps an index name to its index.
type Indices map[string]index
