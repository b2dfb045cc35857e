package informer

import (
	"errors"
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"

	"github.com/informerscope/informerscope/informer/trace"
)

// Store is a keyed collection of objects. The key of an object is computed
// by the store's KeyFunc; two objects with the same key are the same entry.
type Store interface {
	Add(obj any) error
	Update(obj any) error
	Delete(obj any) error
	List() []any
	ListKeys() []string
	// LastStoreSyncResourceVersion returns the resourceVersion of the last
	// write, Replace or Bookmark.
	LastStoreSyncResourceVersion() string
	// Bookmark records rv as the store's resourceVersion.
	Bookmark(rv string)
	Get(obj any) (item any, exists bool, err error)
	GetByKey(key string) (item any, exists bool, err error)
	// Replace makes the store hold exactly list, and takes ownership of it.
	Replace(list []any, resourceVersion string) error
	Resync() error
}

// TransactionType says what one write of a Transaction does.
type TransactionType string

const (
	TransactionTypeAdd    TransactionType = "Add"
	TransactionTypeUpdate TransactionType = "Update"
	TransactionTypeDelete TransactionType = "Delete"
)

// Transaction is one write of a batch applied under one lock.
type Transaction struct {
	Object any
	Type   TransactionType
}

// TransactionStore applies a batch of writes at once; the informer writes
// each popped batch through it.
type TransactionStore interface {
	Transaction(txns ...Transaction) *TransactionError
}

// TransactionError reports the writes of a batch that could not be keyed;
// the others were applied.
type TransactionError struct {
	SuccessfulIndices []int
	TotalTransactions int
	Errors            []error
}

func (t *TransactionError) Error() string {
	return fmt.Sprintf("failed to execute (%d/%d) transactions failed due to: %v",
		t.TotalTransactions-len(t.SuccessfulIndices), t.TotalTransactions, t.Errors)
}

// KeyFunc computes the storage key of an object.
type KeyFunc func(obj any) (string, error)

// KeyError is the error of a KeyFunc, with the object it failed on.
type KeyError struct {
	Obj any
	Err error
}

func (k KeyError) Error() string {
	return fmt.Sprintf("couldn't create key for object %+v: %v", k.Obj, k.Err)
}

func (k KeyError) Unwrap() error { return k.Err }

// ExplicitKey is a key passed where an object is expected;
// MetaNamespaceKeyFunc returns it unchanged.
type ExplicitKey string

// MetaNamespaceKeyFunc returns "<namespace>/<name>", or "<name>" for an
// object without a namespace. It does not understand tombstones; use
// DeletionHandlingMetaNamespaceKeyFunc for that.
func MetaNamespaceKeyFunc(obj any) (string, error) {
	if key, ok := obj.(ExplicitKey); ok {
		return string(key), nil
	}
	m, err := meta.Accessor(obj)
	if err != nil {
		return "", fmt.Errorf("object has no meta: %v", err)
	}
	if ns := m.GetNamespace(); ns != "" {
		return ns + "/" + m.GetName(), nil
	}
	return m.GetName(), nil
}

// DeletionHandlingMetaNamespaceKeyFunc is MetaNamespaceKeyFunc that also
// keys a DeletedFinalStateUnknown by the key it carries. Informers key their
// indexer with it.
func DeletionHandlingMetaNamespaceKeyFunc(obj any) (string, error) {
	if d, ok := obj.(DeletedFinalStateUnknown); ok {
		return d.Key, nil
	}
	return MetaNamespaceKeyFunc(obj)
}

// SplitMetaNamespaceKey splits a key made by MetaNamespaceKeyFunc.
func SplitMetaNamespaceKey(key string) (namespace, name string, err error) {
	parts := strings.Split(key, "/")
	switch len(parts) {
	case 1:
		return "", parts[0], nil
	case 2:
		return parts[0], parts[1], nil
	}
	return "", "", fmt.Errorf("unexpected key format: %q", key)
}

// TransformFunc rewrites an object before it is stored or queued, for
// example to drop fields nobody reads. It may modify obj in place.
type TransformFunc func(any) (any, error)

// cache is the Store and Indexer: a ThreadSafeStore plus the KeyFunc that
// keys its objects and an optional transformer.
type cache struct {
	cacheStorage ThreadSafeStore
	keyFunc      KeyFunc
	transformer  TransformFunc
	probe        *trace.Probe
	gates        FeatureGates
}

var (
	_ Indexer          = &cache{}
	_ TransactionStore = &cache{}
)

// StoreOption configures a store made by NewStore or NewIndexer.
type StoreOption = func(*cache)

// WithTransformer makes the store transform every object it is given.
func WithTransformer(transformer TransformFunc) StoreOption {
	return func(c *cache) { c.transformer = transformer }
}

// WithProbe makes the store report every change to p.
func WithProbe(p *trace.Probe) StoreOption {
	return func(c *cache) { c.probe = p }
}

// WithFeatureGates makes the store behave as under gates; client-go's store
// reads the AtomicFIFO gate.
func WithFeatureGates(gates FeatureGates) StoreOption {
	return func(c *cache) { c.gates = gates }
}

// NewStore returns an empty Store keyed by keyFunc.
func NewStore(keyFunc KeyFunc, opts ...StoreOption) Store {
	return newCache(keyFunc, Indexers{}, opts)
}

// NewIndexer returns an empty Indexer keyed by keyFunc.
func NewIndexer(keyFunc KeyFunc, indexers Indexers, opts ...StoreOption) Indexer {
	return newCache(keyFunc, indexers, opts)
}

func newCache(keyFunc KeyFunc, indexers Indexers, opts []StoreOption) *cache {
	c := &cache{keyFunc: keyFunc}
	for _, opt := range opts {
		opt(c)
	}
	c.cacheStorage = NewThreadSafeStore(indexers, Indices{}, WithThreadSafeStoreProbe(c.probe),
		func(m *threadSafeMap) { m.hideRV = c.gates.DisableAtomicFIFO })
	return c
}

// keyAndTransform keys obj and then transforms it, in that order: the key
// is the untransformed object's.
func (c *cache) keyAndTransform(obj any) (string, any, error) {
	key, err := c.keyFunc(obj)
	if err != nil {
		return "", nil, KeyError{obj, err}
	}
	if c.transformer != nil {
		if obj, err = c.transformer(obj); err != nil {
			return "", nil, fmt.Errorf("transforming: %w", err)
		}
	}
	return key, obj, nil
}

func (c *cache) Add(obj any) error {
	key, obj, err := c.keyAndTransform(obj)
	if err != nil {
		return err
	}
	c.cacheStorage.Add(key, obj)
	return nil
}

func (c *cache) Update(obj any) error {
	key, obj, err := c.keyAndTransform(obj)
	if err != nil {
		return err
	}
	c.cacheStorage.Update(key, obj)
	return nil
}

// Delete removes obj's key; a missing key is not an error. The deleted
// object's resourceVersion becomes the store's.
func (c *cache) Delete(obj any) error {
	key, err := c.keyFunc(obj)
	if err != nil {
		return KeyError{obj, err}
	}
	c.cacheStorage.DeleteWithObject(key, obj)
	return nil
}

// Transaction keys every write, skips and reports those whose key fails, and
// applies the rest under one lock.
func (c *cache) Transaction(txns ...Transaction) *TransactionError {
	txnStore, ok := c.cacheStorage.(ThreadSafeStoreWithTransaction)
	if !ok {
		return &TransactionError{TotalTransactions: len(txns), Errors: []error{errors.New("transaction not supported")}}
	}
	keyed := make([]ThreadSafeStoreTransaction, 0, len(txns))
	done := make([]int, 0, len(txns))
	var errs []error
	for i, txn := range txns {
		key, err := c.keyFunc(txn.Object)
		if err != nil {
			errs = append(errs, KeyError{txn.Object, err})
			continue
		}
		done = append(done, i)
		keyed = append(keyed, ThreadSafeStoreTransaction{Transaction: txn, Key: key})
	}
	txnStore.Transaction(keyed...)
	if len(errs) > 0 {
		return &TransactionError{SuccessfulIndices: done, TotalTransactions: len(txns), Errors: errs}
	}
	return nil
}

func (c *cache) List() []any        { return c.cacheStorage.List() }
func (c *cache) ListKeys() []string { return c.cacheStorage.ListKeys() }
func (c *cache) LastStoreSyncResourceVersion() string {
	return c.cacheStorage.LastStoreSyncResourceVersion()
}
func (c *cache) Bookmark(rv string)    { c.cacheStorage.Bookmark(rv) }
func (c *cache) GetIndexers() Indexers { return c.cacheStorage.GetIndexers() }
func (c *cache) AddIndexers(newIndexers Indexers) error {
	return c.cacheStorage.AddIndexers(newIndexers)
}
func (c *cache) Index(indexName string, obj any) ([]any, error) {
	return c.cacheStorage.Index(indexName, obj)
}
func (c *cache) IndexKeys(indexName, indexedValue string) ([]string, error) {
	return c.cacheStorage.IndexKeys(indexName, indexedValue)
}
func (c *cache) ListIndexFuncValues(indexName string) []string {
	return c.cacheStorage.ListIndexFuncValues(indexName)
}
func (c *cache) ByIndex(indexName, indexedValue string) ([]any, error) {
	return c.cacheStorage.ByIndex(indexName, indexedValue)
}

func (c *cache) Get(obj any) (any, bool, error) {
	key, err := c.keyFunc(obj)
	if err != nil {
		return nil, false, KeyError{obj, err}
	}
	return c.GetByKey(key)
}

// GetByKey never fails; the error is there for the KeyGetter interface.
func (c *cache) GetByKey(key string) (any, bool, error) {
	item, exists := c.cacheStorage.Get(key)
	return item, exists, nil
}

// Replace keys and transforms every item first, so that a bad item leaves
// the store untouched.
func (c *cache) Replace(list []any, resourceVersion string) error {
	items := make(map[string]any, len(list))
	for _, item := range list {
		key, obj, err := c.keyAndTransform(item)
		if err != nil {
			return err
		}
		items[key] = obj
	}
	c.cacheStorage.Replace(items, resourceVersion)
	return nil
}

func (c *cache) Resync() error { return nil }

// traceState returns the store as a trace shows it; see threadSafeMap.
func (c *cache) traceState() *trace.StoreState {
	return c.cacheStorage.(*threadSafeMap).traceState()
}
