package informer

import (
	"fmt"
	"slices"
	"sort"
	"sync"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/util/sets"

	"github.com/informerscope/informerscope/informer/trace"
)

// ThreadSafeStore is a map of keys to objects, with indexes, that many
// goroutines may use at once. Objects handed out by Get, List, Index and
// ByIndex are shared: callers must treat them as read-only, since the
// indexes are not recomputed when an object changes in place.
type ThreadSafeStore interface {
	Add(key string, obj any)
	Update(key string, obj any)
	Delete(key string)
	// DeleteWithObject deletes key and, when obj has object metadata, takes
	// obj's resourceVersion as the store's.
	DeleteWithObject(key string, obj any)
	Get(key string) (item any, exists bool)
	List() []any
	ListKeys() []string
	// Replace swaps in items (the store takes ownership of the map) and
	// rebuilds every index.
	Replace(items map[string]any, resourceVersion string)
	Index(indexName string, obj any) ([]any, error)
	IndexKeys(indexName, indexedValue string) ([]string, error)
	// Bookmark sets the store's resourceVersion without changing items.
	Bookmark(rv string)
	// LastStoreSyncResourceVersion returns the resourceVersion of the last
	// write or bookmark.
	LastStoreSyncResourceVersion() string
	ListIndexFuncValues(name string) []string
	ByIndex(indexName, indexedValue string) ([]any, error)
	GetIndexers() Indexers
	AddIndexers(newIndexers Indexers) error
	// Resync is a no-op, kept because the interface has always had it.
	Resync() error
}

// ThreadSafeStoreWithTransaction is a ThreadSafeStore that can apply a batch
// of writes under one lock.
type ThreadSafeStoreWithTransaction interface {
	ThreadSafeStore
	Transaction(txns ...ThreadSafeStoreTransaction)
}

// ThreadSafeStoreTransaction is a Transaction whose key is already known.
type ThreadSafeStoreTransaction struct {
	Transaction
	Key string
}

// ThreadSafeStoreOption configures a store made by NewThreadSafeStore.
type ThreadSafeStoreOption = func(*threadSafeMap)

// WithThreadSafeStoreProbe makes the store report every change to p.
func WithThreadSafeStoreProbe(p *trace.Probe) ThreadSafeStoreOption {
	return func(c *threadSafeMap) { c.probe = p }
}

// storeIndex holds the index functions and the indexes they maintain.
// Its methods must be called with the owning threadSafeMap's lock held.
type storeIndex struct {
	indexers Indexers
	// names are the keys of indexers, sorted: indexes are always updated in
	// this order, so a trace does not depend on map iteration.
	names   []string
	indices Indices
	probe   *trace.Probe
}

func newStoreIndex(indexers Indexers, indices Indices, probe *trace.Probe) *storeIndex {
	if indexers == nil {
		indexers = Indexers{}
	}
	if indices == nil {
		indices = Indices{}
	}
	i := &storeIndex{indexers: indexers, indices: indices, probe: probe}
	for name := range indexers {
		i.names = append(i.names, name)
	}
	sort.Strings(i.names)
	return i
}

func (i *storeIndex) reset() {
	i.indices = Indices{}
}

// keysForObject returns the keys that share at least one of obj's values in
// the named index.
func (i *storeIndex) keysForObject(indexName string, obj any) (sets.Set[string], error) {
	indexFunc := i.indexers[indexName]
	if indexFunc == nil {
		return nil, fmt.Errorf("Index with name %s does not exist", indexName)
	}
	values, err := indexFunc(obj)
	if err != nil {
		return nil, err
	}
	idx := i.indices[indexName]
	if len(values) == 1 {
		return idx[values[0]], nil
	}
	keys := sets.Set[string]{}
	for _, v := range values {
		keys.Insert(sets.List(idx[v])...)
	}
	return keys, nil
}

func (i *storeIndex) keysForValue(indexName, value string) (sets.Set[string], error) {
	if i.indexers[indexName] == nil {
		return nil, fmt.Errorf("Index with name %s does not exist", indexName)
	}
	return i.indices[indexName][value], nil
}

func (i *storeIndex) values(indexName string) []string {
	idx := i.indices[indexName]
	out := make([]string, 0, len(idx))
	for v := range idx {
		out = append(out, v)
	}
	return out
}

func (i *storeIndex) addIndexers(newIndexers Indexers) error {
	var conflict []string
	for name := range newIndexers {
		if _, ok := i.indexers[name]; ok {
			conflict = append(conflict, name)
		}
	}
	if len(conflict) > 0 {
		return fmt.Errorf("indexer conflict: %v", sets.New(conflict...))
	}
	for name, fn := range newIndexers {
		i.indexers[name] = fn
		i.names = append(i.names, name)
	}
	sort.Strings(i.names)
	return nil
}

// updateIndices moves key from oldObj's values to newObj's values in every
// index. Either object may be nil.
func (i *storeIndex) updateIndices(oldObj, newObj any, key string) {
	for _, name := range i.names {
		i.updateSingleIndex(name, oldObj, newObj, key)
	}
}

// updateSingleIndex panics when the index function fails: the store cannot
// keep a consistent index for an object it cannot index.
func (i *storeIndex) updateSingleIndex(name string, oldObj, newObj any, key string) {
	indexFunc := i.indexers[name]
	var oldValues, newValues []string
	var err error
	if oldObj != nil {
		if oldValues, err = indexFunc(oldObj); err != nil {
			panic(fmt.Errorf("unable to calculate an index entry for key %q on index %q: %v", key, name, err))
		}
	}
	if newObj != nil {
		if newValues, err = indexFunc(newObj); err != nil {
			panic(fmt.Errorf("unable to calculate an index entry for key %q on index %q: %v", key, name, err))
		}
	}
	idx := i.indices[name]
	if idx == nil {
		idx = index{}
		i.indices[name] = idx
	}
	// The common case: one value, unchanged.
	if len(oldValues) == 1 && len(newValues) == 1 && oldValues[0] == newValues[0] {
		return
	}
	for _, v := range oldValues {
		i.removeKey(name, idx, v, key)
	}
	for _, v := range newValues {
		i.addKey(name, idx, v, key)
	}
}

func (i *storeIndex) addKey(name string, idx index, value, key string) {
	set := idx[value]
	if set == nil {
		set = sets.Set[string]{}
		idx[value] = set
	}
	if i.probe == nil {
		set.Insert(key)
		return
	}
	if set.Has(key) {
		return
	}
	set.Insert(key)
	i.probe.Emit(trace.Event{Kind: trace.IndexEntryAdded, Index: name, Value: value, Key: key})
}

// removeKey drops an emptied set, so that ListIndexFuncValues stops
// reporting the value (client-go issue 84959).
func (i *storeIndex) removeKey(name string, idx index, value, key string) {
	set := idx[value]
	if set == nil || !set.Has(key) {
		return
	}
	set.Delete(key)
	if len(set) == 0 {
		delete(idx, value)
	}
	i.probe.Emit(trace.Event{Kind: trace.IndexEntryRemoved, Index: name, Value: value, Key: key})
}

// threadSafeMap is the ThreadSafeStore. lock guards items, index and rv;
// methods named ...Locked expect it held. Every change is reported to probe
// after it is made, so that the trace folded up to any event equals the
// store at that moment.
type threadSafeMap struct {
	lock  sync.RWMutex
	items map[string]any
	index *storeIndex
	// rv is the resourceVersion of the last write that carried object
	// metadata, of the last Replace, or of the last Bookmark. It follows the
	// writes, so it can move backwards.
	rv string
	// hideRV makes LastStoreSyncResourceVersion answer "": client-go's
	// AtomicFIFO gate is off.
	hideRV bool
	probe  *trace.Probe
}

var _ ThreadSafeStoreWithTransaction = &threadSafeMap{}

// NewThreadSafeStore returns an empty store indexed by indexers. indices may
// be nil.
func NewThreadSafeStore(indexers Indexers, indices Indices, opts ...ThreadSafeStoreOption) ThreadSafeStore {
	c := &threadSafeMap{items: map[string]any{}}
	for _, opt := range opts {
		opt(c)
	}
	c.index = newStoreIndex(indexers, indices, c.probe)
	// A trace starts with the index functions the store was born with.
	for _, name := range c.index.names {
		c.probe.Emit(trace.Event{Kind: trace.IndexerAdded, Index: name})
	}
	return c
}

// rvFromObject returns obj's resourceVersion, and false when obj has no
// object metadata.
func rvFromObject(obj any) (string, bool) {
	m, err := meta.Accessor(obj)
	if err != nil {
		return "", false
	}
	return m.GetResourceVersion(), true
}

func (c *threadSafeMap) Add(key string, obj any) { c.Update(key, obj) }

func (c *threadSafeMap) Update(key string, obj any) {
	rv, hasRV := rvFromObject(obj)
	c.lock.Lock()
	defer c.lock.Unlock()
	c.putLocked(key, obj, rv, hasRV)
}

// putLocked stores obj under key, takes rv as the store's resourceVersion
// when setRV is true, and re-indexes key.
func (c *threadSafeMap) putLocked(key string, obj any, rv string, setRV bool) {
	old, existed := c.items[key]
	c.items[key] = obj
	if setRV {
		c.rv = rv
	}
	if c.probe != nil {
		kind := trace.StoreAdded
		if existed {
			kind = trace.StoreUpdated
		}
		c.probe.Emit(trace.Event{Kind: kind, Key: key, Obj: c.probe.Ref(obj), RV: rv, KeepRV: !setRV})
	}
	c.index.updateIndices(old, obj, key)
}

func (c *threadSafeMap) Delete(key string) { c.DeleteWithObject(key, nil) }

func (c *threadSafeMap) DeleteWithObject(key string, obj any) {
	var rv string
	var hasRV bool
	if obj != nil {
		rv, hasRV = rvFromObject(obj)
	}
	c.lock.Lock()
	defer c.lock.Unlock()
	c.deleteLocked(key, rv, hasRV)
}

// deleteLocked un-indexes and removes key if present, and takes rv as the
// store's resourceVersion when setRV is true, present or not.
func (c *threadSafeMap) deleteLocked(key string, rv string, setRV bool) {
	obj, exists := c.items[key]
	if exists {
		c.index.updateIndices(obj, nil, key)
		delete(c.items, key)
	}
	if setRV {
		c.rv = rv
	}
	if c.probe != nil && (exists || setRV) {
		c.probe.Emit(trace.Event{Kind: trace.StoreDeleted, Key: key, RV: rv, KeepRV: !setRV})
	}
}

// Transaction applies txns in order under one lock. The store's
// resourceVersion becomes that of the last transaction's object; a delete
// inside a transaction does not look at its object otherwise.
func (c *threadSafeMap) Transaction(txns ...ThreadSafeStoreTransaction) {
	if len(txns) == 0 {
		return
	}
	finalRV, hasFinalRV := rvFromObject(txns[len(txns)-1].Object)
	c.lock.Lock()
	defer c.lock.Unlock()
	last := len(txns) - 1
	for i, txn := range txns {
		setRV := i == last && hasFinalRV
		rv := ""
		if setRV {
			rv = finalRV
		}
		switch txn.Type {
		case TransactionTypeAdd, TransactionTypeUpdate:
			c.putLocked(txn.Key, txn.Object, rv, setRV)
		case TransactionTypeDelete:
			c.deleteLocked(txn.Key, rv, setRV)
		default:
			if setRV {
				c.rv = rv
				if c.probe != nil {
					c.probe.Emit(trace.Event{Kind: trace.StoreBookmark, RV: rv})
				}
			}
		}
	}
}

func (c *threadSafeMap) Get(key string) (any, bool) {
	c.lock.RLock()
	defer c.lock.RUnlock()
	item, exists := c.items[key]
	return item, exists
}

// List returns the stored objects in key order. client-go answers in map
// order; sorting makes every run, and so every trace, repeatable.
func (c *threadSafeMap) List() []any {
	c.lock.RLock()
	defer c.lock.RUnlock()
	keys := c.sortedKeysLocked()
	list := make([]any, len(keys))
	for i, key := range keys {
		list[i] = c.items[key]
	}
	return list
}

// ListKeys returns the keys, sorted (see List).
func (c *threadSafeMap) ListKeys() []string {
	c.lock.RLock()
	defer c.lock.RUnlock()
	return c.sortedKeysLocked()
}

func (c *threadSafeMap) sortedKeysLocked() []string {
	keys := make([]string, 0, len(c.items))
	for key := range c.items {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	return keys
}

func (c *threadSafeMap) Replace(items map[string]any, resourceVersion string) {
	if items == nil {
		items = map[string]any{}
	}
	c.lock.Lock()
	defer c.lock.Unlock()
	c.items = items
	c.rv = resourceVersion
	c.index.reset()
	keys := c.sortedKeysLocked()
	if c.probe != nil {
		objs := make([]trace.ObjRef, len(keys))
		for i, k := range keys {
			objs[i] = c.probe.Ref(items[k])
		}
		c.probe.Emit(trace.Event{Kind: trace.StoreReplaced, Keys: keys, Objs: objs, RV: resourceVersion})
	}
	for _, key := range keys {
		c.index.updateIndices(nil, items[key], key)
	}
}

func (c *threadSafeMap) Index(indexName string, obj any) ([]any, error) {
	c.lock.RLock()
	defer c.lock.RUnlock()
	keys, err := c.index.keysForObject(indexName, obj)
	if err != nil {
		return nil, err
	}
	list := make([]any, 0, keys.Len())
	for key := range keys {
		list = append(list, c.items[key])
	}
	return list, nil
}

func (c *threadSafeMap) ByIndex(indexName, indexedValue string) ([]any, error) {
	c.lock.RLock()
	defer c.lock.RUnlock()
	keys, err := c.index.keysForValue(indexName, indexedValue)
	if err != nil {
		return nil, err
	}
	list := make([]any, 0, keys.Len())
	for key := range keys {
		list = append(list, c.items[key])
	}
	return list, nil
}

func (c *threadSafeMap) IndexKeys(indexName, indexedValue string) ([]string, error) {
	c.lock.RLock()
	defer c.lock.RUnlock()
	keys, err := c.index.keysForValue(indexName, indexedValue)
	if err != nil {
		return nil, err
	}
	return sets.List(keys), nil
}

func (c *threadSafeMap) ListIndexFuncValues(indexName string) []string {
	c.lock.RLock()
	defer c.lock.RUnlock()
	return c.index.values(indexName)
}

// GetIndexers returns the live map of index functions; callers must not
// change it.
func (c *threadSafeMap) GetIndexers() Indexers {
	return c.index.indexers
}

// AddIndexers works on a populated store: the new indexes are built from the
// items already stored.
func (c *threadSafeMap) AddIndexers(newIndexers Indexers) error {
	c.lock.Lock()
	defer c.lock.Unlock()
	if err := c.index.addIndexers(newIndexers); err != nil {
		return err
	}
	names := make([]string, 0, len(newIndexers))
	for name := range newIndexers {
		names = append(names, name)
	}
	sort.Strings(names)
	if c.probe != nil {
		for _, name := range names {
			c.probe.Emit(trace.Event{Kind: trace.IndexerAdded, Index: name})
		}
	}
	for _, key := range c.sortedKeysLocked() {
		for _, name := range names {
			c.index.updateSingleIndex(name, nil, c.items[key], key)
		}
	}
	return nil
}

func (c *threadSafeMap) Bookmark(rv string) {
	c.lock.Lock()
	defer c.lock.Unlock()
	c.rv = rv
	if c.probe != nil {
		c.probe.Emit(trace.Event{Kind: trace.StoreBookmark, RV: rv})
	}
}

// LastStoreSyncResourceVersion returns the store's resourceVersion, or ""
// when the AtomicFIFO gate is off, as client-go answers then.
func (c *threadSafeMap) LastStoreSyncResourceVersion() string {
	if c.hideRV {
		return ""
	}
	c.lock.RLock()
	defer c.lock.RUnlock()
	return c.rv
}

func (c *threadSafeMap) Resync() error { return nil }

// traceState returns the store as a trace would show it. The caller must
// keep writers out (hold the lock, or be the only goroutine).
func (c *threadSafeMap) traceState() *trace.StoreState {
	st := trace.NewStoreState()
	for k, obj := range c.items {
		st.Items[k] = c.probe.Ref(obj)
	}
	st.Indexers = slices.Clone(c.index.names)
	for name, idx := range c.index.indices {
		for value, keys := range idx {
			for key := range keys {
				st.AddIndexEntry(name, value, key)
			}
		}
	}
	st.RV = c.rv
	return st
}
