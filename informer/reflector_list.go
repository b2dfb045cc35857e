package informer

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	metav1beta1 "k8s.io/apimachinery/pkg/apis/meta/v1beta1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// defaultPageSize is the limit of a paged list when nothing says otherwise.
const defaultPageSize = 500

// listedItems is what a list gathered: the items of every page, the
// resourceVersion of the first page, and whether it took several pages.
type listedItems struct {
	items     []any
	rv        string
	paginated bool
	// first is the first page, for the checks that look at the list type.
	first runtime.Object
}

// listPage is one page of a list.
type listPage struct {
	obj   runtime.Object
	items []any
	rv    string
	cont  string
}

// listPager gathers a list page by page, as client-go's tools/pager does
// for the Reflector. Continuation pages are asked for at resourceVersion ""
// (a continue token carries its own). When a continuation page has
// expired, it lists everything again in one call at the requested
// resourceVersion.
type listPager struct {
	pageSize int64
	pageFn   func(ctx context.Context, opts metav1.ListOptions) (listPage, error)
}

func (p listPager) list(ctx context.Context, options metav1.ListOptions) (listedItems, error) {
	if options.Limit == 0 {
		options.Limit = p.pageSize
	}
	requestedRV, requestedMatch := options.ResourceVersion, options.ResourceVersionMatch
	var out listedItems
	for {
		page, err := p.pageFn(ctx, options)
		if err != nil {
			if !apierrors.IsResourceExpired(err) || options.Continue == "" {
				return listedItems{paginated: out.paginated}, err
			}
			// The resourceVersion the first page fixed was compacted away
			// while paging: take the whole list at once instead.
			options.Limit, options.Continue = 0, ""
			options.ResourceVersion, options.ResourceVersionMatch = requestedRV, requestedMatch
			page, err = p.pageFn(ctx, options)
			if err != nil {
				return listedItems{paginated: out.paginated}, err
			}
			return listedItems{items: page.items, rv: page.rv, paginated: out.paginated, first: page.obj}, nil
		}
		if out.first == nil {
			out.first, out.rv = page.obj, page.rv
		}
		out.items = append(out.items, page.items...)
		if page.cont == "" {
			return out, nil
		}
		options.Continue = page.cont
		options.ResourceVersion, options.ResourceVersionMatch = "", ""
		out.paginated = true
	}
}

// listResult is what a list goroutine hands back.
type listResult struct {
	listedItems
	err      error
	panicked bool
	panicVal any
}

// list lists at relistResourceVersion and replaces the store's contents
// with the result. The list runs on a goroutine of its own, so that a stop
// ends the wait at once (the abandoned call's result is dropped); a panic
// there is passed on to this goroutine.
func (r *Reflector) list(ctx context.Context, stop sim.Chan[struct{}]) error {
	options := metav1.ListOptions{ResourceVersion: r.relistResourceVersion()}
	results := sim.NewChan[listResult](r.rt, r.name+".listResult", 1)
	r.rt.Go(r.name+" list", func() {
		var res listResult
		defer func() {
			if p := recover(); p != nil {
				res = listResult{panicked: true, panicVal: p}
			}
			results.Send(res)
		}()
		res.listedItems, res.err = r.listAll(ctx, options)
	})
	chosen, v, _ := r.rt.Select(true, stop.RecvCase(), results.RecvCase())
	if chosen == 0 {
		return nil
	}
	res := v.(listResult)
	if res.panicked {
		panic(res.panicVal)
	}
	if res.err != nil {
		return fmt.Errorf("failed to list %v: %w", r.typeDescription, res.err)
	}
	// Only an initial list (at "0") tells whether the server pages: a list
	// at "" always comes from etcd, in pages, watch cache or not.
	if options.ResourceVersion == "0" && res.paginated {
		r.paginatedResult = true
	}
	r.setResourceVersionUnavailable(false, nil)
	if err := r.store.Replace(res.items, res.rv); err != nil {
		return fmt.Errorf("unable to sync list result: %w", err)
	}
	r.setLastSyncResourceVersion(res.rv)
	return nil
}

// listAll gathers the whole list, retrying at once from "" when the
// resourceVersion asked for is expired or beyond what the server has.
func (r *Reflector) listAll(ctx context.Context, options metav1.ListOptions) (listedItems, error) {
	pager := listPager{pageSize: defaultPageSize, pageFn: r.listOnePage}
	switch {
	case r.WatchListPageSize != 0:
		pager.pageSize = r.WatchListPageSize
	case r.paginatedResult:
		// The watch cache is off: keep paging.
	case options.ResourceVersion != "" && options.ResourceVersion != "0":
		// No limit, so that the server may answer from its watch cache
		// (which it does for a resourceVersion other than "0" only
		// without a limit) rather than from etcd.
		pager.pageSize = 0
	}
	res, err := pager.list(ctx, options)
	if isExpiredError(err) || isTooLargeResourceVersionError(err) {
		r.setResourceVersionUnavailable(true, err)
		res, err = pager.list(ctx, metav1.ListOptions{ResourceVersion: r.relistResourceVersion()})
	}
	if err == nil {
		if unsupported, gvk := isUnsupportedTableListObject(res.first); unsupported && !res.paginated {
			err = fmt.Errorf("unsupported list gvk: %v, type: %v", gvk, r.typeDescription)
		}
	}
	return res, err
}

// listOnePage makes one LIST call and takes the page apart.
func (r *Reflector) listOnePage(ctx context.Context, options metav1.ListOptions) (listPage, error) {
	req := trace.ReflectorRequest{Verb: "LIST", ResourceVersion: options.ResourceVersion, Limit: int(options.Limit), Continue: options.Continue}
	r.update(func() { r.request = &req },
		trace.Event{Kind: trace.ListRequested, RV: req.ResourceVersion, Count: req.Limit, Value: req.Continue})
	page, err := r.callList(ctx, options)
	e := trace.Event{Kind: trace.ListReturned}
	if err != nil {
		e.Reason = err.Error()
	} else {
		e.RV, e.Count, e.Value, e.Objs = page.rv, len(page.items), page.cont, r.probe.Refs(page.items)
	}
	r.update(func() { r.request = nil }, e)
	return page, err
}

func (r *Reflector) callList(ctx context.Context, options metav1.ListOptions) (listPage, error) {
	obj, err := r.listerWatcher.ListWithContext(ctx, options)
	if err != nil {
		return listPage{}, err
	}
	m, err := meta.ListAccessor(obj)
	if err != nil {
		return listPage{}, fmt.Errorf("returned object must be a list: %v", err)
	}
	objs, err := meta.ExtractListWithAlloc(obj)
	if err != nil {
		return listPage{}, fmt.Errorf("unable to understand list result %#v (%v)", obj, err)
	}
	items := make([]any, len(objs))
	for i, o := range objs {
		items[i] = o
	}
	return listPage{obj: obj, items: items, rv: m.GetResourceVersion(), cont: m.GetContinue()}, nil
}

// unsupportedTableGVK are the Table kinds a Reflector refuses: a server
// asked for tables answers with rows, not objects.
var unsupportedTableGVK = map[schema.GroupVersionKind]bool{
	metav1beta1.SchemeGroupVersion.WithKind("Table"): true,
	metav1.SchemeGroupVersion.WithKind("Table"):      true,
}

// isUnsupportedTableObject tells whether obj is an unstructured Table.
func isUnsupportedTableObject(obj runtime.Object) bool {
	u, ok := obj.(*unstructured.Unstructured)
	if !ok || u.GetKind() != "Table" {
		return false
	}
	return unsupportedTableGVK[u.GroupVersionKind()]
}

// isUnsupportedTableListObject tells whether obj is an unstructured list of
// a Table kind, and which.
func isUnsupportedTableListObject(obj runtime.Object) (bool, schema.GroupVersionKind) {
	u, ok := obj.(*unstructured.UnstructuredList)
	if !ok {
		return false, schema.GroupVersionKind{}
	}
	gvk := u.GroupVersionKind()
	return unsupportedTableGVK[gvk], gvk
}
