package informer

// Store and index differential: random Add, Update, Delete, Replace,
// Transaction, Bookmark and AddIndexers sequences on our Indexer and on
// client-go's, compared after every operation through every read method.
// client-go returns List, ListKeys, ByIndex, Index and ListIndexFuncValues in
// map order, so those are compared as sorted multisets.

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kcache "k8s.io/client-go/tools/cache"
)

// labelIndex indexes by one label's value, or by nothing when it is absent.
func labelIndex(label string) func(any) ([]string, error) {
	return func(o any) ([]string, error) {
		if v, ok := o.(*metav1.PartialObjectMetadata).Labels[label]; ok {
			return []string{v}, nil
		}
		return nil, nil
	}
}

// allLabels indexes by every "key=value" label pair: a multi-valued index.
func allLabels(o any) ([]string, error) {
	var out []string
	for k, v := range o.(*metav1.PartialObjectMetadata).Labels {
		out = append(out, k+"="+v)
	}
	return out, nil
}

// storePair is the same indexer on both sides.
type storePair struct {
	ours   Indexer
	theirs kcache.Indexer
}

func newStorePair() storePair {
	return storePair{
		ours: NewIndexer(MetaNamespaceKeyFunc, Indexers{
			NamespaceIndex: MetaNamespaceIndexFunc, "app": labelIndex("app"), "labels": allLabels}),
		theirs: kcache.NewIndexer(kcache.MetaNamespaceKeyFunc, kcache.Indexers{
			kcache.NamespaceIndex: kcache.MetaNamespaceIndexFunc, "app": labelIndex("app"), "labels": allLabels}),
	}
}

func sortedStrings(in []string) []string {
	out := slices.Clone(in)
	sort.Strings(out)
	return out
}

func sortedObjs(objs []any) []string {
	out := make([]string, len(objs))
	for i, o := range objs {
		out[i] = fmtLabeled(o)
	}
	sort.Strings(out)
	return out
}

func fmtLabeled(o any) string {
	p, ok := o.(*metav1.PartialObjectMetadata)
	if !ok {
		return fmtAny(o)
	}
	return fmt.Sprintf("%s/%s@%s%v", p.Namespace, p.Name, p.ResourceVersion, p.Labels)
}

// describe reads everything both stores can tell, in a comparable form.
func (p storePair) describe(probe *metav1.PartialObjectMetadata, indexNames, values []string) (ours, theirs string) {
	read := func(
		list func() []any, keys func() []string, get func(any) (any, bool, error), getByKey func(string) (any, bool, error),
		byIndex func(string, string) ([]any, error), indexKeys func(string, string) ([]string, error),
		funcValues func(string) []string, index func(string, any) ([]any, error), rv func() string,
	) string {
		var b strings.Builder
		fmt.Fprintf(&b, "list=%v keys=%v rv=%q\n", sortedObjs(list()), sortedStrings(keys()), rv())
		o, ok, err := get(probe)
		fmt.Fprintf(&b, "get(%s)=%s,%v,%v\n", fmtLabeled(probe), fmtLabeled(o), ok, err)
		o, ok, err = getByKey("ns1/a")
		fmt.Fprintf(&b, "getByKey=%s,%v,%v\n", fmtLabeled(o), ok, err)
		for _, name := range indexNames {
			fmt.Fprintf(&b, "values(%s)=%v\n", name, sortedStrings(funcValues(name)))
			objs, err := index(name, probe)
			fmt.Fprintf(&b, "index(%s)=%v,%v\n", name, sortedObjs(objs), err)
			for _, v := range values {
				objs, err := byIndex(name, v)
				ks, err2 := indexKeys(name, v)
				// IndexKeys is sorted in client-go too: compare it as is.
				fmt.Fprintf(&b, "byIndex(%s,%s)=%v,%v keys=%v,%v\n", name, v, sortedObjs(objs), err, ks, err2)
			}
		}
		return b.String()
	}
	o, t := p.ours, p.theirs
	ours = read(o.List, o.ListKeys, o.Get, o.GetByKey, o.ByIndex, o.IndexKeys, o.ListIndexFuncValues, o.Index, o.LastStoreSyncResourceVersion)
	theirs = read(t.List, t.ListKeys, t.Get, t.GetByKey, t.ByIndex, t.IndexKeys, t.ListIndexFuncValues, t.Index, t.LastStoreSyncResourceVersion)
	return ours, theirs
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func TestStoreDifferentialRandom(t *testing.T) {
	runs := 200
	if testing.Short() {
		runs = 20
	}
	names := []string{"a", "b", "c", "d"}
	apps := []string{"x", "y", "z"}
	indexNames := []string{NamespaceIndex, "app", "labels", "tier", "nope"}
	values := []string{"ns1", "ns2", "x", "y", "z", "app=x", "app=y", "tier=fe", "tier=be", "fe", "be", ""}
	for run := range runs {
		rng := rand.New(rand.NewPCG(uint64(run), 7))
		rv := 0
		newObj := func() *metav1.PartialObjectMetadata {
			rv++
			o := &metav1.PartialObjectMetadata{ObjectMeta: metav1.ObjectMeta{
				Namespace:       []string{"ns1", "ns2"}[rng.IntN(2)],
				Name:            names[rng.IntN(len(names))],
				ResourceVersion: fmt.Sprint(rv),
				Labels:          map[string]string{},
			}}
			if rng.IntN(4) > 0 {
				o.Labels["app"] = apps[rng.IntN(len(apps))]
			}
			if rng.IntN(2) == 0 {
				o.Labels["tier"] = []string{"fe", "be"}[rng.IntN(2)]
			}
			return o
		}
		p := newStorePair()
		var log []string
		for step := range 40 {
			o := newObj()
			var opOurs, opTheirs string
			switch rng.IntN(9) {
			case 0, 1:
				log = append(log, "add "+fmtLabeled(o))
				opOurs, opTheirs = errString(p.ours.Add(o)), errString(p.theirs.Add(o))
			case 2, 3:
				log = append(log, "update "+fmtLabeled(o))
				opOurs, opTheirs = errString(p.ours.Update(o)), errString(p.theirs.Update(o))
			case 4:
				log = append(log, "delete "+fmtLabeled(o))
				opOurs, opTheirs = errString(p.ours.Delete(o)), errString(p.theirs.Delete(o))
			case 5:
				var list []any
				for range rng.IntN(4) {
					list = append(list, newObj())
				}
				rv++
				log = append(log, fmt.Sprintf("replace %v rv=%d", sortedObjs(list), rv))
				opOurs = errString(p.ours.Replace(slices.Clone(list), fmt.Sprint(rv)))
				opTheirs = errString(p.theirs.Replace(slices.Clone(list), fmt.Sprint(rv)))
			case 6:
				var ours []Transaction
				var theirs []kcache.Transaction
				for range 1 + rng.IntN(3) {
					typ := []TransactionType{TransactionTypeAdd, TransactionTypeUpdate, TransactionTypeDelete}[rng.IntN(3)]
					x := newObj()
					ours = append(ours, Transaction{Object: x, Type: typ})
					theirs = append(theirs, kcache.Transaction{Object: x, Type: kcache.TransactionType(typ)})
				}
				log = append(log, fmt.Sprintf("transaction %v", ours))
				p.ours.(TransactionStore).Transaction(ours...)
				p.theirs.(kcache.TransactionStore).Transaction(theirs...)
			case 7:
				rv++
				log = append(log, fmt.Sprintf("bookmark %d", rv))
				p.ours.Bookmark(fmt.Sprint(rv))
				p.theirs.Bookmark(fmt.Sprint(rv))
			case 8:
				// Adding "tier" works once, on a populated store; the second
				// time, and for "app", it is a conflict.
				name := []string{"tier", "app"}[rng.IntN(2)]
				log = append(log, "addIndexers "+name)
				opOurs = errString(p.ours.AddIndexers(Indexers{name: labelIndex(name)}))
				opTheirs = errString(p.theirs.AddIndexers(kcache.Indexers{name: labelIndex(name)}))
			}
			if opOurs != opTheirs {
				t.Fatalf("run %d step %d: results differ: ours %q, client-go %q\n%s", run, step, opOurs, opTheirs, strings.Join(log, "\n"))
			}
			probe := newObj()
			if a, b := p.describe(probe, indexNames, values); a != b {
				t.Fatalf("run %d step %d: stores differ\nours:\n%s\nclient-go:\n%s\nops:\n%s", run, step, a, b, strings.Join(log, "\n"))
			}
		}
	}
}
