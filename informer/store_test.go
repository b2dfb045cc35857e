package informer

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// storeContents returns the objects of s printed and sorted: List comes out
// in map order.
func storeContents(s Store) []string {
	var out []string
	for _, o := range s.List() {
		out = append(out, fmtObj(o))
	}
	slices.Sort(out)
	return out
}

// TestStoreContractHoldsForEveryStore ports doTestStore and its callers
// (TestCache, TestCacheWithTransformer): the Store contract, run against
// every Store this package builds.
func TestStoreContractHoldsForEveryStore(t *testing.T) {
	identity := func(o any) (any, error) { return o, nil }
	stores := map[string]func() Store{
		"NewStore":                      func() Store { return NewStore(MetaNamespaceKeyFunc) },
		"NewStore DeletionHandling key": func() Store { return NewStore(DeletionHandlingMetaNamespaceKeyFunc) },
		"NewStore WithTransformer":      func() Store { return NewStore(MetaNamespaceKeyFunc, WithTransformer(identity)) },
		"NewIndexer": func() Store {
			return NewIndexer(MetaNamespaceKeyFunc, Indexers{NamespaceIndex: MetaNamespaceIndexFunc})
		},
		"NewIndexer multi-valued, indexing": func() Store { return NewIndexer(MetaNamespaceKeyFunc, Indexers{"labels": indexByLabels}) },
	}
	for name, newStore := range stores {
		t.Run(name, func(t *testing.T) {
			store := newStore()
			get := func(name string) string {
				t.Helper()
				item, ok, err := store.Get(obj(name, ""))
				if err != nil {
					t.Fatalf("Get(%s): %v", name, err)
				}
				if !ok {
					return "missing"
				}
				return fmtObj(item)
			}
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}

			must(store.Add(objLabels("foo", "1", map[string]string{"v": "bar"})))
			if got := get("foo"); got != "foo@1" {
				t.Errorf("after Add: Get(foo) = %s, want foo@1", got)
			}
			must(store.Update(objLabels("foo", "2", map[string]string{"v": "baz"})))
			if got := get("foo"); got != "foo@2" {
				t.Errorf("after Update: Get(foo) = %s, want foo@2", got)
			}
			must(store.Delete(obj("foo", "3")))
			if got := get("foo"); got != "missing" {
				t.Errorf("after Delete: Get(foo) = %s, want missing", got)
			}
			must(store.Delete(obj("never", "4"))) // a missing key is not an error

			must(store.Add(obj("a", "1")))
			must(store.Add(obj("c", "1")))
			must(store.Add(obj("e", "1")))
			if got := storeContents(store); !slices.Equal(got, []string{"a@1", "c@1", "e@1"}) {
				t.Errorf("List = %v, want [a@1 c@1 e@1] in any order", got)
			}
			keys := store.ListKeys()
			slices.Sort(keys)
			if !slices.Equal(keys, []string{"ns/a", "ns/c", "ns/e"}) {
				t.Errorf("ListKeys = %v, want [ns/a ns/c ns/e] in any order", keys)
			}

			must(store.Replace([]any{obj("foo", "5"), obj("bar", "5")}, "5"))
			if got := storeContents(store); !slices.Equal(got, []string{"bar@5", "foo@5"}) {
				t.Errorf("after Replace: List = %v, want [bar@5 foo@5] in any order", got)
			}
			if item, ok, err := store.GetByKey("ns/bar"); err != nil || !ok || fmtObj(item) != "bar@5" {
				t.Errorf("GetByKey(ns/bar) = %s, %v, %v", fmtObj(item), ok, err)
			}
			if _, ok, err := store.GetByKey("ns/a"); err != nil || ok {
				t.Errorf("GetByKey(ns/a) after Replace = %v, %v; want not found", ok, err)
			}
			must(store.Resync())
		})
	}
}

// TestStoreTransformsAfterKeyingAndRejectsOnError ports
// TestCacheWithTransformer: the key is computed from the object as given,
// then the transformed object is what is stored, on Add, Update and Replace
// (not Delete). A transformer error fails the write and leaves the store as
// it was.
func TestStoreTransformsAfterKeyingAndRejectsOnError(t *testing.T) {
	var calls []string
	errBad := errors.New("bad object")
	store := NewStore(MetaNamespaceKeyFunc, WithTransformer(func(o any) (any, error) {
		m := o.(*metav1.PartialObjectMetadata)
		calls = append(calls, fmtObj(m))
		if m.Name == "bad" {
			return nil, errBad
		}
		out := m.DeepCopy()
		out.Name = "t-" + m.Name // a different name, under the original key
		return out, nil
	}))
	contents := func() string {
		var parts []string
		keys := store.ListKeys()
		slices.Sort(keys)
		for _, k := range keys {
			item, _, _ := store.GetByKey(k)
			parts = append(parts, k+"="+fmtObj(item))
		}
		return "[" + strings.Join(parts, " ") + "]"
	}

	if err := store.Add(obj("a", "1")); err != nil {
		t.Fatal(err)
	}
	if err := store.Update(obj("a", "2")); err != nil {
		t.Fatal(err)
	}
	if err := store.Add(obj("b", "3")); err != nil {
		t.Fatal(err)
	}
	if err := store.Delete(obj("b", "4")); err != nil {
		t.Fatal(err)
	}
	if got := contents(); got != "[ns/a=t-a@2]" {
		t.Errorf("contents = %s, want [ns/a=t-a@2]", got)
	}

	err := store.Add(obj("bad", "5"))
	if !errors.Is(err, errBad) || !strings.HasPrefix(err.Error(), "transforming: ") {
		t.Errorf("Add with a failing transformer = %v, want \"transforming: ...\" wrapping %v", err, errBad)
	}
	if err := store.Replace([]any{obj("c", "6"), obj("bad", "6")}, "6"); !errors.Is(err, errBad) {
		t.Errorf("Replace with a failing transformer = %v, want it to wrap %v", err, errBad)
	}
	if got := contents(); got != "[ns/a=t-a@2]" {
		t.Errorf("contents after failed writes = %s, want [ns/a=t-a@2]", got)
	}

	if err := store.Replace([]any{obj("c", "7")}, "7"); err != nil {
		t.Fatal(err)
	}
	if got := contents(); got != "[ns/c=t-c@7]" {
		t.Errorf("contents after Replace = %s, want [ns/c=t-c@7]", got)
	}
	if got, want := fmtStrings(calls), "[a@1 a@2 b@3 bad@5 c@6 bad@6 c@7]"; got != want {
		t.Errorf("transformer calls = %s, want %s", got, want)
	}
}

// TestStoreKeyErrors: a write or Get of an object the key function cannot
// key fails with a KeyError carrying the object; a Replace with such an
// object leaves the store as it was. GetByKey never fails.
func TestStoreKeyErrors(t *testing.T) {
	store := NewStore(MetaNamespaceKeyFunc)
	if err := store.Add(obj("a", "1")); err != nil {
		t.Fatal(err)
	}
	const bad = "not an object"
	checkKeyError := func(op string, err error) {
		t.Helper()
		var keyErr KeyError
		if !errors.As(err, &keyErr) || keyErr.Obj != bad {
			t.Errorf("%s = %v, want a KeyError for %q", op, err, bad)
			return
		}
		want := "couldn't create key for object not an object: object has no meta: "
		if !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s error = %q, want it to start with %q", op, err, want)
		}
	}
	checkKeyError("Add", store.Add(bad))
	checkKeyError("Update", store.Update(bad))
	checkKeyError("Delete", store.Delete(bad))
	_, _, err := store.Get(bad)
	checkKeyError("Get", err)
	checkKeyError("Replace", store.Replace([]any{obj("b", "2"), bad}, "2"))
	if got := storeContents(store); !slices.Equal(got, []string{"a@1"}) {
		t.Errorf("contents after failed writes = %v, want [a@1]", got)
	}
	if got := store.LastStoreSyncResourceVersion(); got != "1" {
		t.Errorf("LastStoreSyncResourceVersion after failed writes = %q, want 1", got)
	}
	if _, ok, err := store.GetByKey("no/such/key"); ok || err != nil {
		t.Errorf("GetByKey of a malformed key = %v, %v; want not found, no error", ok, err)
	}
}

// TestKeyErrorUnwraps ports TestKeyError: KeyError unwraps to its cause, so
// errors.Is sees through it, even nested.
func TestKeyErrorUnwraps(t *testing.T) {
	cause := errors.New("error")
	keyErr := KeyError{100, cause}
	if errors.Unwrap(keyErr) != cause {
		t.Errorf("Unwrap = %v, want %v", errors.Unwrap(keyErr), cause)
	}
	nested := KeyError{100, keyErr}
	if !errors.Is(keyErr, cause) || !errors.Is(nested, cause) {
		t.Error("errors.Is does not see the cause through KeyError")
	}
	if got, want := keyErr.Error(), "couldn't create key for object 100: error"; got != want {
		t.Errorf("Error = %q, want %q", got, want)
	}
}

// TestStoreTransactionReportsKeyErrors ports
// TestCacheTransactionShouldIndexErrors: a Transaction applies the writes it
// can key, in order, and reports the others with the indices that worked.
func TestStoreTransactionReportsKeyErrors(t *testing.T) {
	keyFunc := func(o any) (string, error) {
		if m := o.(metav1.Object); strings.HasPrefix(m.GetName(), "bad") {
			return "", errors.New("test error")
		}
		return MetaNamespaceKeyFunc(o)
	}
	add := func(o any) Transaction { return Transaction{Object: o, Type: TransactionTypeAdd} }
	tests := []struct {
		name          string
		txns          []Transaction
		wantContents  []string
		wantSucceeded []int // nil: no error expected
		wantRV        string
	}{{
		name:         "all keyed",
		txns:         []Transaction{add(obj("a", "1")), add(obj("b", "2"))},
		wantContents: []string{"a@1", "b@2"},
		wantRV:       "2",
	}, {
		name:          "none keyed",
		txns:          []Transaction{add(obj("bad1", "1")), add(obj("bad2", "2"))},
		wantSucceeded: []int{},
	}, {
		name:          "some keyed",
		txns:          []Transaction{add(obj("a", "1")), add(obj("bad1", "2")), add(obj("b", "3")), add(obj("bad2", "4"))},
		wantContents:  []string{"a@1", "b@3"},
		wantSucceeded: []int{0, 2},
		wantRV:        "3",
	}, {
		name: "writes apply in order",
		txns: []Transaction{
			add(obj("a", "1")),
			{Object: obj("a", "2"), Type: TransactionTypeUpdate},
			add(obj("b", "3")),
			{Object: obj("b", "4"), Type: TransactionTypeDelete},
		},
		wantContents: []string{"a@2"},
		wantRV:       "4",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := NewStore(keyFunc)
			txnErr := store.(TransactionStore).Transaction(tt.txns...)
			if tt.wantSucceeded == nil {
				if txnErr != nil {
					t.Errorf("Transaction = %v, want no error", txnErr)
				}
			} else {
				if txnErr == nil {
					t.Fatal("Transaction = nil, want a TransactionError")
				}
				if txnErr.SuccessfulIndices == nil || !slices.Equal(txnErr.SuccessfulIndices, tt.wantSucceeded) {
					t.Errorf("SuccessfulIndices = %#v, want %#v", txnErr.SuccessfulIndices, tt.wantSucceeded)
				}
				failed := len(tt.txns) - len(tt.wantSucceeded)
				if txnErr.TotalTransactions != len(tt.txns) || len(txnErr.Errors) != failed {
					t.Errorf("TotalTransactions = %d, %d errors; want %d, %d", txnErr.TotalTransactions, len(txnErr.Errors), len(tt.txns), failed)
				}
				for _, err := range txnErr.Errors {
					if !errors.As(err, new(KeyError)) {
						t.Errorf("error %v is not a KeyError", err)
					}
				}
				wantMsg := fmt.Sprintf("failed to execute (%d/%d) transactions failed due to: ", failed, len(tt.txns))
				if !strings.HasPrefix(txnErr.Error(), wantMsg) {
					t.Errorf("Error = %q, want it to start with %q", txnErr.Error(), wantMsg)
				}
			}
			if got := storeContents(store); !slices.Equal(got, tt.wantContents) {
				t.Errorf("contents = %v, want %v", got, tt.wantContents)
			}
			if got := store.LastStoreSyncResourceVersion(); got != tt.wantRV {
				t.Errorf("LastStoreSyncResourceVersion = %q, want %q", got, tt.wantRV)
			}
		})
	}
}

// TestStoreResourceVersion encodes spec §1.2 T8: Replace sets the store's
// resourceVersion to the list's, Add and Delete to their object's (Delete
// even for a missing key), Bookmark to its argument.
func TestStoreResourceVersion(t *testing.T) {
	idx := NewIndexer(MetaNamespaceKeyFunc, Indexers{NamespaceIndex: MetaNamespaceIndexFunc})
	if err := idx.Add(obj("old", "3")); err != nil {
		t.Fatal(err)
	}
	if err := idx.Replace([]any{obj("z", "8")}, "9"); err != nil {
		t.Fatal(err)
	}
	if keys := idx.ListKeys(); !slices.Equal(keys, []string{"ns/z"}) {
		t.Errorf("keys after Replace = %v, want [ns/z]", keys)
	}
	if values := idx.ListIndexFuncValues(NamespaceIndex); !slices.Equal(values, []string{"ns"}) {
		t.Errorf("namespace values after Replace = %v, want [ns]", values)
	}
	steps := []struct {
		desc string
		do   func() error
		want string
	}{
		{"Replace", func() error { return nil }, "9"},
		{"Add y@12", func() error { return idx.Add(obj("y", "12")) }, "12"},
		{"Delete y@15", func() error { return idx.Delete(obj("y", "15")) }, "15"},
		{"Bookmark 20", func() error { idx.Bookmark("20"); return nil }, "20"},
		{"Delete of a missing key at 25", func() error { return idx.Delete(obj("missing", "25")) }, "25"},
		{"Update z@11, older", func() error { return idx.Update(obj("z", "11")) }, "11"},
		{"Delete by ExplicitKey keeps the rv", func() error { return idx.Delete(ExplicitKey("ns/z")) }, "11"},
	}
	for _, step := range steps {
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.desc, err)
		}
		if got := idx.LastStoreSyncResourceVersion(); got != step.want {
			t.Errorf("after %s: LastStoreSyncResourceVersion = %q, want %q", step.desc, got, step.want)
		}
	}
	if keys := idx.ListKeys(); len(keys) != 0 {
		t.Errorf("keys at the end = %v, want none", keys)
	}
}

// TestKeyFuncsUnderstandTombstonesOnlyWhenDeletionHandling encodes spec §1.2
// T9: MetaNamespaceKeyFunc keys objects as namespace/name (or name), passes
// ExplicitKey through and does not understand tombstones;
// DeletionHandlingMetaNamespaceKeyFunc does.
func TestKeyFuncsUnderstandTombstonesOnlyWhenDeletionHandling(t *testing.T) {
	pod := obj("p", "1")
	node := &metav1.PartialObjectMetadata{ObjectMeta: metav1.ObjectMeta{Name: "n1"}}
	dfsu := DeletedFinalStateUnknown{Key: "ns/p", Obj: pod}
	tests := []struct {
		name    string
		keyFunc KeyFunc
		obj     any
		want    string
		wantErr string // a prefix
	}{
		{name: "namespaced object", keyFunc: MetaNamespaceKeyFunc, obj: pod, want: "ns/p"},
		{name: "cluster-scoped object", keyFunc: MetaNamespaceKeyFunc, obj: node, want: "n1"},
		{name: "explicit key", keyFunc: MetaNamespaceKeyFunc, obj: ExplicitKey("whatever/key"), want: "whatever/key"},
		{name: "tombstone", keyFunc: MetaNamespaceKeyFunc, obj: dfsu, wantErr: "object has no meta: "},
		{name: "non-object", keyFunc: MetaNamespaceKeyFunc, obj: 42, wantErr: "object has no meta: "},
		{name: "deletion handling: tombstone", keyFunc: DeletionHandlingMetaNamespaceKeyFunc, obj: dfsu, want: "ns/p"},
		{name: "deletion handling: tombstone without object", keyFunc: DeletionHandlingMetaNamespaceKeyFunc, obj: DeletedFinalStateUnknown{Key: "k"}, want: "k"},
		{name: "deletion handling: object", keyFunc: DeletionHandlingMetaNamespaceKeyFunc, obj: pod, want: "ns/p"},
		{name: "deletion handling: explicit key", keyFunc: DeletionHandlingMetaNamespaceKeyFunc, obj: ExplicitKey("x"), want: "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.keyFunc(tt.obj)
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Errorf("error = %v, want %q...", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("key = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestSplitMetaNamespaceKeyRejectsTwoSlashes: a key splits into namespace and
// name; a key with no slash is a bare name; more than one slash is an error.
func TestSplitMetaNamespaceKeyRejectsTwoSlashes(t *testing.T) {
	tests := []struct {
		key           string
		wantNamespace string
		wantName      string
		wantErr       string
	}{
		{key: "ns/name", wantNamespace: "ns", wantName: "name"},
		{key: "justname", wantName: "justname"},
		{key: "/name", wantName: "name"},
		{key: ""},
		{key: "a/b/c", wantErr: `unexpected key format: "a/b/c"`},
	}
	for _, tt := range tests {
		ns, name, err := SplitMetaNamespaceKey(tt.key)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("SplitMetaNamespaceKey(%q) error = %v, want %q", tt.key, err, tt.wantErr)
			}
			continue
		}
		if err != nil || ns != tt.wantNamespace || name != tt.wantName {
			t.Errorf("SplitMetaNamespaceKey(%q) = %q, %q, %v; want %q, %q", tt.key, ns, name, err, tt.wantNamespace, tt.wantName)
		}
	}
}
