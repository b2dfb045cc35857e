package informer

import (
	"errors"
	"slices"
	"sort"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// indexByLabels indexes an object by its labels, as "key=value".
func indexByLabels(o any) ([]string, error) {
	m, ok := o.(metav1.Object)
	if !ok {
		return nil, errors.New("not an object")
	}
	var values []string
	for k, v := range m.GetLabels() {
		values = append(values, k+"="+v)
	}
	sort.Strings(values)
	return values, nil
}

// indexByUsers indexes an object by the comma-separated users in its
// "users" annotation.
func indexByUsers(o any) ([]string, error) {
	return strings.Split(o.(metav1.Object).GetAnnotations()["users"], ","), nil
}

func objUsers(name, users string) *metav1.PartialObjectMetadata {
	o := obj(name, "1")
	o.Annotations = map[string]string{"users": users}
	return o
}

// sortedNames returns the sorted names of objs, for comparing results that
// come out in map order.
func sortedNames(objs []any) []string {
	out := make([]string, len(objs))
	for i, o := range objs {
		out[i] = o.(metav1.Object).GetName()
	}
	sort.Strings(out)
	return out
}

// TestIndexerListIndexFuncValuesListsEachValueOnce ports
// TestGetIndexFuncValues: every value at least one object has is listed once.
func TestIndexerListIndexFuncValuesListsEachValueOnce(t *testing.T) {
	idx := NewIndexer(MetaNamespaceKeyFunc, Indexers{"labels": indexByLabels})
	for _, o := range []any{
		objLabels("one", "1", map[string]string{"foo": "bar"}),
		objLabels("two", "1", map[string]string{"foo": "bar"}),
		objLabels("tre", "1", map[string]string{"foo": "biz"}),
	} {
		if err := idx.Add(o); err != nil {
			t.Fatal(err)
		}
	}
	got := idx.ListIndexFuncValues("labels")
	sort.Strings(got)
	if !slices.Equal(got, []string{"foo=bar", "foo=biz"}) {
		t.Errorf("ListIndexFuncValues = %v, want [foo=bar foo=biz] in any order", got)
	}
	if got := idx.ListIndexFuncValues("nope"); len(got) != 0 {
		t.Errorf("ListIndexFuncValues of an unknown index = %v, want none", got)
	}
}

// TestIndexerFindsMultiValuedObjectsUnderEachValue ports TestMultiIndexKeys:
// an object with several values is found under each; deletes and updates move
// it.
func TestIndexerFindsMultiValuedObjectsUnderEachValue(t *testing.T) {
	idx := NewIndexer(MetaNamespaceKeyFunc, Indexers{"byUser": indexByUsers})
	one, two, tre := objUsers("one", "ernie,bert"), objUsers("two", "bert,oscar"), objUsers("tre", "ernie,elmo")
	for _, o := range []any{one, two, tre} {
		if err := idx.Add(o); err != nil {
			t.Fatal(err)
		}
	}
	byUser := func(user string) []string {
		t.Helper()
		objs, err := idx.ByIndex("byUser", user)
		if err != nil {
			t.Fatalf("ByIndex(%s): %v", user, err)
		}
		return sortedNames(objs)
	}
	check := func(when string, want map[string][]string) {
		t.Helper()
		for user, w := range want {
			if got := byUser(user); !slices.Equal(got, w) {
				t.Errorf("%s: ByIndex(%s) = %v, want %v", when, user, got, w)
			}
		}
	}
	check("after adds", map[string][]string{
		"ernie": {"one", "tre"}, "bert": {"one", "two"}, "elmo": {"tre"}, "oscar": {"two"}, "elmo1": {},
	})
	if got, _ := idx.IndexKeys("byUser", "ernie"); !slices.Equal(got, []string{"ns/one", "ns/tre"}) {
		t.Errorf("IndexKeys(ernie) = %v, want sorted [ns/one ns/tre]", got)
	}

	if err := idx.Delete(tre); err != nil {
		t.Fatal(err)
	}
	check("after deleting tre", map[string][]string{"ernie": {"one"}, "elmo": {}})

	two2 := two.DeepCopy()
	two2.Annotations["users"] = "oscar"
	if err := idx.Update(two2); err != nil {
		t.Fatal(err)
	}
	check("after updating two", map[string][]string{"bert": {"one"}, "oscar": {"two"}})
}

// TestIndexerIndexFindsObjectsSharingAValue ports doTestIndex: Index(name,
// obj) returns the stored objects that share a value with obj, each once.
func TestIndexerIndexFindsObjectsSharingAValue(t *testing.T) {
	idx := NewIndexer(MetaNamespaceKeyFunc, Indexers{"labels": indexByLabels})
	for _, o := range []any{
		objLabels("a", "1", map[string]string{"val": "b"}),
		objLabels("c", "1", map[string]string{"val": "b"}),
		objLabels("e", "1", map[string]string{"val": "f"}),
		objLabels("g", "1", map[string]string{"val": "h", "also": "f"}),
	} {
		if err := idx.Add(o); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		probe map[string]string
		want  []string
	}{
		{map[string]string{"val": "b"}, []string{"a", "c"}},
		{map[string]string{"val": "f"}, []string{"e"}},
		{map[string]string{"val": "h"}, []string{"g"}},
		{map[string]string{"val": "nothing"}, []string{}},
		// Several values: the union, without duplicates.
		{map[string]string{"val": "f", "also": "f"}, []string{"e", "g"}},
		{map[string]string{"val": "h", "also": "f"}, []string{"g"}},
	}
	for _, tt := range tests {
		got, err := idx.Index("labels", objLabels("probe", "", tt.probe))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(sortedNames(got), tt.want) {
			t.Errorf("Index(%v) = %v, want %v in any order", tt.probe, sortedNames(got), tt.want)
		}
	}
}

// TestIndexerMatchesObservedClientGoScenarios encodes the indexer part of
// spec §1.2 (T1-T7), one step after another on the same indexer.
func TestIndexerMatchesObservedClientGoScenarios(t *testing.T) {
	idx := NewIndexer(MetaNamespaceKeyFunc, Indexers{"labels": indexByLabels, NamespaceIndex: MetaNamespaceIndexFunc})
	a := objLabels("a", "1", map[string]string{"app": "x", "tier": "fe"})
	b := objLabels("b", "2", map[string]string{"app": "x"})
	for _, o := range []any{a, b} {
		if err := idx.Add(o); err != nil {
			t.Fatal(err)
		}
	}
	sortedValues := func() []string {
		v := idx.ListIndexFuncValues("labels")
		sort.Strings(v)
		return v
	}

	// T1: IndexKeys is sorted.
	if got, err := idx.IndexKeys("labels", "app=x"); err != nil || !slices.Equal(got, []string{"ns/a", "ns/b"}) {
		t.Errorf("T1 IndexKeys(app=x) = %v, %v; want [ns/a ns/b]", got, err)
	}
	// T3: Index with two values deduplicates.
	got, err := idx.Index("labels", objLabels("probe", "", map[string]string{"app": "x", "tier": "fe"}))
	if err != nil || !slices.Equal(sortedNames(got), []string{"a", "b"}) || len(got) != 2 {
		t.Errorf("T3 Index(app=x,tier=fe) = %s, %v; want [a@1 b@2] in any order", fmtObjs(got), err)
	}
	// T4: an update moves the key.
	if err := idx.Update(objLabels("b", "3", map[string]string{"app": "y"})); err != nil {
		t.Fatal(err)
	}
	if got, _ := idx.IndexKeys("labels", "app=x"); !slices.Equal(got, []string{"ns/a"}) {
		t.Errorf("T4 IndexKeys(app=x) after update = %v, want [ns/a]", got)
	}
	if got := sortedValues(); !slices.Equal(got, []string{"app=x", "app=y", "tier=fe"}) {
		t.Errorf("T4 values = %v, want [app=x app=y tier=fe]", got)
	}
	// T5: a delete drops emptied values.
	if err := idx.Delete(a); err != nil {
		t.Fatal(err)
	}
	if got := sortedValues(); !slices.Equal(got, []string{"app=y"}) {
		t.Errorf("T5 values after delete = %v, want [app=y]", got)
	}
	// T6: an unknown index is an error for every lookup.
	const unknown = "Index with name nope does not exist"
	if _, err := idx.ByIndex("nope", "v"); err == nil || err.Error() != unknown {
		t.Errorf("T6 ByIndex(nope) error = %v, want %q", err, unknown)
	}
	if _, err := idx.IndexKeys("nope", "v"); err == nil || err.Error() != unknown {
		t.Errorf("T6 IndexKeys(nope) error = %v, want %q", err, unknown)
	}
	if _, err := idx.Index("nope", b); err == nil || err.Error() != unknown {
		t.Errorf("T6 Index(nope) error = %v, want %q", err, unknown)
	}
	// T7: AddIndexers conflicts on a registered name, works on a populated
	// indexer otherwise.
	if err := idx.AddIndexers(Indexers{"labels": indexByLabels}); err == nil || err.Error() != "indexer conflict: map[labels:{}]" {
		t.Errorf("T7 AddIndexers(labels) = %v, want indexer conflict: map[labels:{}]", err)
	}
	byName := func(o any) ([]string, error) { return []string{o.(metav1.Object).GetName()}, nil }
	if err := idx.AddIndexers(Indexers{"name": byName}); err != nil {
		t.Errorf("T7 AddIndexers(name) on a populated indexer = %v", err)
	}
	if got, _ := idx.ByIndex("name", "b"); fmtObjs(got) != "[b@3]" {
		t.Errorf("T7 ByIndex(name, b) = %s, want [b@3]", fmtObjs(got))
	}
	if got, _ := idx.ByIndex(NamespaceIndex, "ns"); fmtObjs(got) != "[b@3]" {
		t.Errorf("ByIndex(namespace, ns) = %s, want [b@3]", fmtObjs(got))
	}
}

// TestIndexFuncToKeyFuncAdapterNeedsExactlyOneValue: an IndexFunc serves as a
// KeyFunc only when it yields exactly one value.
func TestIndexFuncToKeyFuncAdapterNeedsExactlyOneValue(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name    string
		values  []string
		err     error
		want    string
		wantErr string
	}{
		{name: "one value", values: []string{"a"}, want: "a"},
		{name: "no value", values: nil, wantErr: "unexpected empty indexKeys"},
		{name: "two values", values: []string{"a", "b"}, wantErr: "too many keys: [a b]"},
		{name: "index func error", err: boom, wantErr: "boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keyFunc := IndexFuncToKeyFuncAdapter(func(any) ([]string, error) { return tt.values, tt.err })
			got, err := keyFunc(obj("x", "1"))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Errorf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("key = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestMetaNamespaceIndexFuncIndexesByNamespace: objects are indexed by
// namespace under NamespaceIndex; a non-object yields [""] and an error.
func TestMetaNamespaceIndexFuncIndexesByNamespace(t *testing.T) {
	if NamespaceIndex != "namespace" {
		t.Errorf("NamespaceIndex = %q", NamespaceIndex)
	}
	if got, err := MetaNamespaceIndexFunc(obj("a", "1")); err != nil || !slices.Equal(got, []string{"ns"}) {
		t.Errorf("namespaced object: %v, %v; want [ns]", got, err)
	}
	clusterScoped := &metav1.PartialObjectMetadata{ObjectMeta: metav1.ObjectMeta{Name: "n1"}}
	if got, err := MetaNamespaceIndexFunc(clusterScoped); err != nil || !slices.Equal(got, []string{""}) {
		t.Errorf("cluster-scoped object: %v, %v; want [\"\"]", got, err)
	}
	got, err := MetaNamespaceIndexFunc("not an object")
	if err == nil || !strings.HasPrefix(err.Error(), "object has no meta: ") || !slices.Equal(got, []string{""}) {
		t.Errorf("non-object: %q, %v; want [\"\"] and an \"object has no meta\" error", got, err)
	}
}
