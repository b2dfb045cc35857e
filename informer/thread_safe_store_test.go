package informer

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/sets"

	"github.com/informerscope/informerscope/informer/trace"
)

// indexByCommaParts indexes a string object by its comma-separated parts.
func indexByCommaParts(o any) ([]string, error) { return strings.Split(o.(string), ","), nil }

// storeIndexSnapshot returns the named index of s as value -> sorted keys.
func storeIndexSnapshot(s ThreadSafeStore, name string) map[string][]string {
	m := s.(*threadSafeMap)
	m.lock.RLock()
	defer m.lock.RUnlock()
	out := map[string][]string{}
	for value, keys := range m.index.indices[name] {
		out[value] = sets.List(keys)
	}
	return out
}

// TestThreadSafeStoreDeleteRemovesEmptySetsFromIndex is the regression test
// for kubernetes issue 84959: when the last key of an indexed value goes,
// the value goes too, so short-lived values do not leak empty sets.
func TestThreadSafeStoreDeleteRemovesEmptySetsFromIndex(t *testing.T) {
	store := NewThreadSafeStore(Indexers{"by": indexByCommaParts}, Indices{})
	store.Add("key", "value")
	if got := storeIndexSnapshot(store, "by"); !maps.EqualFunc(got, map[string][]string{"value": {"key"}}, slices.Equal) {
		t.Fatalf("index after Add = %v", got)
	}
	store.Delete("key")
	if got := storeIndexSnapshot(store, "by"); len(got) != 0 {
		t.Errorf("index after Delete = %v, want no values", got)
	}
	if got := store.ListIndexFuncValues("by"); len(got) != 0 {
		t.Errorf("ListIndexFuncValues after Delete = %v, want none", got)
	}
}

// TestThreadSafeStoreDeleteKeepsNonEmptySetsInIndex: a value that still has
// keys stays in the index.
func TestThreadSafeStoreDeleteKeepsNonEmptySetsInIndex(t *testing.T) {
	store := NewThreadSafeStore(Indexers{"by": func(any) ([]string, error) { return []string{"shared"}, nil }}, Indices{})
	store.Add("retain", "retain")
	store.Add("delete", "delete")
	store.Delete("delete")
	want := map[string][]string{"shared": {"retain"}}
	if got := storeIndexSnapshot(store, "by"); !maps.EqualFunc(got, want, slices.Equal) {
		t.Errorf("index = %v, want %v", got, want)
	}
}

// TestThreadSafeStoreIndexesMultipleValuesPerObject ports
// TestThreadSafeStoreIndexingFunctionsWithMultipleValues: an object with
// several values is under each of them, and an update moves its key from the
// old values to the new ones.
func TestThreadSafeStoreIndexesMultipleValuesPerObject(t *testing.T) {
	store := NewThreadSafeStore(Indexers{"by": indexByCommaParts}, Indices{})
	steps := []struct {
		do   func()
		desc string
		want map[string][]string
	}{
		{func() { store.Add("key1", "foo"); store.Add("key2", "bar") }, "add key1=foo key2=bar",
			map[string][]string{"foo": {"key1"}, "bar": {"key2"}}},
		{func() { store.Update("key2", "foo,bar") }, "update key2=foo,bar",
			map[string][]string{"foo": {"key1", "key2"}, "bar": {"key2"}}},
		{func() { store.Update("key1", "foo,bar") }, "update key1=foo,bar",
			map[string][]string{"foo": {"key1", "key2"}, "bar": {"key1", "key2"}}},
		{func() { store.Add("key3", "foo,bar,baz") }, "add key3=foo,bar,baz",
			map[string][]string{"foo": {"key1", "key2", "key3"}, "bar": {"key1", "key2", "key3"}, "baz": {"key3"}}},
		{func() { store.Update("key1", "foo") }, "update key1=foo",
			map[string][]string{"foo": {"key1", "key2", "key3"}, "bar": {"key2", "key3"}, "baz": {"key3"}}},
		{func() { store.Update("key2", "bar") }, "update key2=bar",
			map[string][]string{"foo": {"key1", "key3"}, "bar": {"key2", "key3"}, "baz": {"key3"}}},
		{func() { store.Delete("key1") }, "delete key1",
			map[string][]string{"foo": {"key3"}, "bar": {"key2", "key3"}, "baz": {"key3"}}},
		{func() { store.Delete("key3") }, "delete key3",
			map[string][]string{"bar": {"key2"}}},
	}
	for _, step := range steps {
		step.do()
		if got := storeIndexSnapshot(store, "by"); !maps.EqualFunc(got, step.want, slices.Equal) {
			t.Errorf("after %s: index = %v, want %v", step.desc, got, step.want)
		}
	}
}

// TestThreadSafeStoreRVFollowsLastWrite ports TestThreadSafeStoreRV and spec
// §1.1: the store's resourceVersion is that of the last write whose object
// has metadata (it can move backwards), of a Transaction's last object, of a
// Replace or of a Bookmark.
func TestThreadSafeStoreRVFollowsLastWrite(t *testing.T) {
	txn := func(typ TransactionType, key string, o any) ThreadSafeStoreTransaction {
		return ThreadSafeStoreTransaction{Transaction: Transaction{Object: o, Type: typ}, Key: key}
	}
	store := NewThreadSafeStore(Indexers{}, Indices{}).(*threadSafeMap)
	steps := []struct {
		desc string
		do   func()
		want string
	}{
		{"initial state", func() {}, ""},
		{"add rv 10", func() { store.Add("key1", obj("o1", "10")) }, "10"},
		{"add the same rv", func() { store.Add("key3", obj("o3", "10")) }, "10"},
		{"add rv 20", func() { store.Add("key4", obj("o4", "20")) }, "20"},
		{"delete with an object at rv 30", func() { store.DeleteWithObject("key4", obj("o4", "30")) }, "30"},
		{"add an object without metadata", func() { store.Add("key5", "just a string") }, "30"},
		{"add rv 40", func() { store.Add("key6", obj("o6", "40")) }, "40"},
		{"delete without an object", func() { store.Delete("key6") }, "40"},
		{"transaction ending at rv 50", func() {
			store.Transaction(
				txn(TransactionTypeUpdate, "key9", obj("o9", "40")),
				txn(TransactionTypeUpdate, "key10", obj("o10", "30")),
				txn(TransactionTypeUpdate, "key11", obj("o11", "50")))
		}, "50"},
		{"update to an older rv moves it backwards", func() { store.Update("key1", obj("o1", "5")) }, "5"},
		{"delete of a missing key with an object", func() { store.DeleteWithObject("missing", obj("m", "60")) }, "60"},
		{"delete with an object without metadata", func() { store.DeleteWithObject("key5", "just a string") }, "60"},
		{"transaction ending in an object without metadata", func() {
			store.Transaction(txn(TransactionTypeAdd, "key12", obj("o12", "99")), txn(TransactionTypeAdd, "key13", "plain"))
		}, "60"},
		{"transaction ending in a delete takes its object's rv", func() {
			store.Transaction(txn(TransactionTypeAdd, "key14", obj("o14", "65")), txn(TransactionTypeDelete, "key14", obj("o14", "70")))
		}, "70"},
		{"empty transaction", func() { store.Transaction() }, "70"},
		{"bookmark", func() { store.Bookmark("80") }, "80"},
		{"replace", func() { store.Replace(map[string]any{"key3": obj("o3", "40"), "key2": obj("o2", "30")}, "90") }, "90"},
		{"add an object with an empty rv", func() { store.Add("key7", obj("o7", "")) }, ""},
	}
	for _, step := range steps {
		step.do()
		if got := store.LastStoreSyncResourceVersion(); got != step.want {
			t.Errorf("after %s: LastStoreSyncResourceVersion = %q, want %q", step.desc, got, step.want)
		}
	}
}

// TestThreadSafeStoreTransactionAppliesWritesInOrder: a Transaction applies
// adds, updates and deletes in order (a delete uses only its key), and keeps
// the indexes consistent.
func TestThreadSafeStoreTransactionAppliesWritesInOrder(t *testing.T) {
	store := NewThreadSafeStore(Indexers{"labels": indexByLabels}, Indices{}).(*threadSafeMap)
	store.Add("ns/old", objLabels("old", "1", map[string]string{"app": "x"}))
	store.Transaction(
		ThreadSafeStoreTransaction{Transaction{objLabels("a", "2", map[string]string{"app": "x"}), TransactionTypeAdd}, "ns/a"},
		ThreadSafeStoreTransaction{Transaction{objLabels("a", "3", map[string]string{"app": "y"}), TransactionTypeUpdate}, "ns/a"},
		ThreadSafeStoreTransaction{Transaction{objLabels("b", "4", map[string]string{"app": "y"}), TransactionTypeAdd}, "ns/b"},
		// A delete's object is not looked at: this one has other labels.
		ThreadSafeStoreTransaction{Transaction{obj("old", "5"), TransactionTypeDelete}, "ns/old"},
	)
	if got := fmtObjs(storeItemsSortedByKey(store)); got != "[a@3 b@4]" {
		t.Errorf("items = %s, want [a@3 b@4]", got)
	}
	want := map[string][]string{"app=y": {"ns/a", "ns/b"}}
	if got := storeIndexSnapshot(store, "labels"); !maps.EqualFunc(got, want, slices.Equal) {
		t.Errorf("index = %v, want %v", got, want)
	}
	if got := store.LastStoreSyncResourceVersion(); got != "5" {
		t.Errorf("LastStoreSyncResourceVersion = %q, want 5", got)
	}
}

// storeItemsSortedByKey lists the items of store sorted by key.
func storeItemsSortedByKey(store ThreadSafeStore) []any {
	keys := store.ListKeys()
	sort.Strings(keys)
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i], _ = store.Get(k)
	}
	return out
}

// TestThreadSafeStoreIndexFuncErrorPanics: a store cannot keep its index
// consistent for an object it cannot index, so it panics, naming the key and
// the index.
func TestThreadSafeStoreIndexFuncErrorPanics(t *testing.T) {
	store := NewThreadSafeStore(Indexers{"bad": func(any) ([]string, error) {
		return nil, fmt.Errorf("nope")
	}}, Indices{})
	var recovered any
	func() {
		defer func() { recovered = recover() }()
		store.Add("ns/a", obj("a", "1"))
	}()
	want := `unable to calculate an index entry for key "ns/a" on index "bad": nope`
	if fmt.Sprint(recovered) != want {
		t.Errorf("recovered %v, want %q", recovered, want)
	}
	// The lock was released on the way out.
	if keys := store.ListKeys(); len(keys) != 1 {
		t.Errorf("ListKeys after the panic = %v", keys)
	}
}

// TestThreadSafeStoreReplaceRebuildsIndices: Replace swaps in the new items
// and rebuilds every index from them alone.
func TestThreadSafeStoreReplaceRebuildsIndices(t *testing.T) {
	store := NewThreadSafeStore(Indexers{"labels": indexByLabels}, Indices{})
	store.Add("ns/a", objLabels("a", "1", map[string]string{"app": "x"}))
	store.Replace(map[string]any{
		"ns/b": objLabels("b", "2", map[string]string{"app": "y"}),
		"ns/c": objLabels("c", "3", map[string]string{"app": "y", "tier": "fe"}),
	}, "7")
	if got := fmtObjs(storeItemsSortedByKey(store)); got != "[b@2 c@3]" {
		t.Errorf("items = %s, want [b@2 c@3]", got)
	}
	want := map[string][]string{"app=y": {"ns/b", "ns/c"}, "tier=fe": {"ns/c"}}
	if got := storeIndexSnapshot(store, "labels"); !maps.EqualFunc(got, want, slices.Equal) {
		t.Errorf("index = %v, want %v", got, want)
	}
	if _, ok := store.Get("ns/a"); ok {
		t.Error("ns/a survived Replace")
	}
}

// TestThreadSafeStoreAddIndexersIndexesExistingItems: new indexes are built
// over the items already stored; a name already registered fails the whole
// call.
func TestThreadSafeStoreAddIndexersIndexesExistingItems(t *testing.T) {
	store := NewThreadSafeStore(Indexers{"labels": indexByLabels}, Indices{})
	store.Add("ns/a", objLabels("a", "1", map[string]string{"app": "x"}))
	store.Add("b", obj("b", "2"))

	err := store.AddIndexers(Indexers{"labels": indexByLabels, "extra": MetaNamespaceIndexFunc})
	if err == nil || err.Error() != "indexer conflict: map[labels:{}]" {
		t.Errorf("AddIndexers of a registered name = %v, want indexer conflict: map[labels:{}]", err)
	}
	if _, ok := store.GetIndexers()["extra"]; ok {
		t.Error("a conflicting AddIndexers registered its other indexers")
	}

	if err := store.AddIndexers(Indexers{NamespaceIndex: MetaNamespaceIndexFunc}); err != nil {
		t.Fatalf("AddIndexers on a populated store: %v", err)
	}
	if got := slices.Sorted(maps.Keys(store.GetIndexers())); !slices.Equal(got, []string{"labels", NamespaceIndex}) {
		t.Errorf("GetIndexers names = %v", got)
	}
	want := map[string][]string{"ns": {"b", "ns/a"}}
	if got := storeIndexSnapshot(store, NamespaceIndex); !maps.EqualFunc(got, want, slices.Equal) {
		t.Errorf("new index = %v, want %v", got, want)
	}
	// Later writes maintain the new index too.
	store.Delete("ns/a")
	if got, _ := store.IndexKeys(NamespaceIndex, "ns"); !slices.Equal(got, []string{"b"}) {
		t.Errorf("IndexKeys after Delete = %v, want [b]", got)
	}
}

// TestThreadSafeStoreGetListAndListKeys covers Get, List, ListKeys and the
// no-op Resync. List and ListKeys come out in map order, so they are compared
// as sets.
func TestThreadSafeStoreGetListAndListKeys(t *testing.T) {
	store := NewThreadSafeStore(nil, nil)
	store.Add("ns/a", obj("a", "1"))
	store.Add("ns/b", obj("b", "1"))
	store.Update("ns/a", obj("a", "2"))
	store.Add("ns/c", obj("c", "1"))
	store.Delete("ns/c")
	store.Delete("ns/never")
	if got := slices.Sorted(slices.Values(store.ListKeys())); !slices.Equal(got, []string{"ns/a", "ns/b"}) {
		t.Errorf("ListKeys = %v", got)
	}
	var listed []string
	for _, o := range store.List() {
		listed = append(listed, fmtObj(o))
	}
	if got := slices.Sorted(slices.Values(listed)); !slices.Equal(got, []string{"a@2", "b@1"}) {
		t.Errorf("List = %v", got)
	}
	if o, ok := store.Get("ns/a"); !ok || fmtObj(o) != "a@2" {
		t.Errorf("Get(ns/a) = %s, %v", fmtObj(o), ok)
	}
	if _, ok := store.Get("ns/c"); ok {
		t.Error("Get(ns/c) found a deleted item")
	}
	if err := store.Resync(); err != nil {
		t.Errorf("Resync = %v", err)
	}
}

// TestThreadSafeStoreIndexesKeysInSortedOrder asserts an order this package
// documents (client-go uses map order): when the store reports to a trace
// probe, index functions run over the keys in sorted order in Replace and
// AddIndexers, and over the index names in sorted order on every write, so
// that the same inputs always give the same trace. (Without a probe,
// Replace indexes in map order, as client-go does.)
func TestThreadSafeStoreIndexesKeysInSortedOrder(t *testing.T) {
	var calls []string
	recorder := func(name string) IndexFunc {
		return func(o any) ([]string, error) {
			calls = append(calls, name+":"+fmtObj(o))
			return []string{"v"}, nil
		}
	}
	store := NewThreadSafeStore(Indexers{"y": recorder("y"), "x": recorder("x")}, Indices{},
		WithThreadSafeStoreProbe(trace.NewRecorder().Probe("store")))

	store.Replace(map[string]any{"ns/c": obj("c", "1"), "ns/a": obj("a", "1"), "ns/b": obj("b", "1")}, "1")
	if got, want := fmtStrings(calls), "[x:a@1 y:a@1 x:b@1 y:b@1 x:c@1 y:c@1]"; got != want {
		t.Errorf("Replace indexed %s, want %s", got, want)
	}

	calls = nil
	if err := store.AddIndexers(Indexers{"w": recorder("w"), "v": recorder("v")}); err != nil {
		t.Fatal(err)
	}
	if got, want := fmtStrings(calls), "[v:a@1 w:a@1 v:b@1 w:b@1 v:c@1 w:c@1]"; got != want {
		t.Errorf("AddIndexers indexed %s, want %s", got, want)
	}

	calls = nil
	store.Add("ns/d", obj("d", "1"))
	if got, want := fmtStrings(calls), "[v:d@1 w:d@1 x:d@1 y:d@1]"; got != want {
		t.Errorf("Add indexed %s, want %s", got, want)
	}
}
