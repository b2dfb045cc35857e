package informer

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	kcache "k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/watchlist"
)

// ctxKey marks the caller's context, so a function can tell it from
// context.Background().
type ctxKey struct{}

func callerContext() context.Context {
	return context.WithValue(context.Background(), ctxKey{}, "caller")
}

// ctxName names the context a function got: "caller" or "background".
func ctxName(ctx context.Context) string {
	if ctx.Value(ctxKey{}) != nil {
		return "caller"
	}
	return "background"
}

// fakeWatch is a watch.Interface that only carries a name.
type fakeWatch string

func (fakeWatch) Stop()                          {}
func (fakeWatch) ResultChan() <-chan watch.Event { return nil }

// listed returns a list object whose resourceVersion says who listed it.
func listed(by string) runtime.Object {
	return &metav1.List{ListMeta: metav1.ListMeta{ResourceVersion: by}}
}

// listWatchFuncs are the four functions of a ListWatch; each records its
// name, the context it got, and options.ResourceVersion.
type listWatchFuncs struct {
	list     func(metav1.ListOptions) (runtime.Object, error)
	listCtx  func(context.Context, metav1.ListOptions) (runtime.Object, error)
	watch    func(metav1.ListOptions) (watch.Interface, error)
	watchCtx func(context.Context, metav1.ListOptions) (watch.Interface, error)
}

// newListWatchFuncs returns the functions named in set (space separated),
// recording into calls; the others stay nil.
func newListWatchFuncs(set string, calls *[]string) listWatchFuncs {
	has := func(name string) bool { return slices.Contains(strings.Fields(set), name) }
	var f listWatchFuncs
	if has("ListFunc") {
		f.list = func(o metav1.ListOptions) (runtime.Object, error) {
			*calls = append(*calls, "ListFunc rv="+o.ResourceVersion)
			return listed("ListFunc"), nil
		}
	}
	if has("ListWithContextFunc") {
		f.listCtx = func(ctx context.Context, o metav1.ListOptions) (runtime.Object, error) {
			*calls = append(*calls, fmt.Sprintf("ListWithContextFunc ctx=%s rv=%s", ctxName(ctx), o.ResourceVersion))
			return listed("ListWithContextFunc"), nil
		}
	}
	if has("WatchFunc") {
		f.watch = func(o metav1.ListOptions) (watch.Interface, error) {
			*calls = append(*calls, "WatchFunc rv="+o.ResourceVersion)
			return fakeWatch("WatchFunc"), nil
		}
	}
	if has("WatchFuncWithContext") {
		f.watchCtx = func(ctx context.Context, o metav1.ListOptions) (watch.Interface, error) {
			*calls = append(*calls, fmt.Sprintf("WatchFuncWithContext ctx=%s rv=%s", ctxName(ctx), o.ResourceVersion))
			return fakeWatch("WatchFuncWithContext"), nil
		}
	}
	return f
}

func (f listWatchFuncs) ours() *ListWatch {
	return &ListWatch{ListFunc: f.list, ListWithContextFunc: f.listCtx, WatchFunc: f.watch, WatchFuncWithContext: f.watchCtx}
}

func (f listWatchFuncs) theirs() *kcache.ListWatch {
	return &kcache.ListWatch{ListFunc: f.list, ListWithContextFunc: f.listCtx, WatchFunc: f.watch, WatchFuncWithContext: f.watchCtx}
}

// listWatchMethods names the four methods of a ListWatch, each calling it
// with the caller's context (if it takes one) and resourceVersion 7, and
// printing who answered.
var listWatchMethods = map[string]func(lw ListerWatcherWithContext, old ListerWatcher) string{
	"List": func(_ ListerWatcherWithContext, lw ListerWatcher) string {
		o, _ := lw.List(metav1.ListOptions{ResourceVersion: "7"})
		return "→ " + o.(*metav1.List).ResourceVersion
	},
	"ListWithContext": func(lw ListerWatcherWithContext, _ ListerWatcher) string {
		o, _ := lw.ListWithContext(callerContext(), metav1.ListOptions{ResourceVersion: "7"})
		return "→ " + o.(*metav1.List).ResourceVersion
	},
	"Watch": func(_ ListerWatcherWithContext, lw ListerWatcher) string {
		w, _ := lw.Watch(metav1.ListOptions{ResourceVersion: "7"})
		return "→ " + string(w.(fakeWatch))
	},
	"WatchWithContext": func(lw ListerWatcherWithContext, _ ListerWatcher) string {
		w, _ := lw.WatchWithContext(callerContext(), metav1.ListOptions{ResourceVersion: "7"})
		return "→ " + string(w.(fakeWatch))
	},
}

// TestListWatchPrefersItsOwnFlavourAndFallsBack checks which function each
// method of a ListWatch calls, with which context and options, and that
// client-go's ListWatch, given the same functions, calls the same.
func TestListWatchPrefersItsOwnFlavourAndFallsBack(t *testing.T) {
	tests := []struct {
		set    string // the functions set on the ListWatch
		method string
		want   []string
	}{
		{"ListFunc ListWithContextFunc", "List", []string{"ListFunc rv=7", "→ ListFunc"}},
		{"ListFunc ListWithContextFunc", "ListWithContext", []string{"ListWithContextFunc ctx=caller rv=7", "→ ListWithContextFunc"}},
		{"ListFunc", "ListWithContext", []string{"ListFunc rv=7", "→ ListFunc"}},
		{"ListWithContextFunc", "List", []string{"ListWithContextFunc ctx=background rv=7", "→ ListWithContextFunc"}},
		{"ListFunc", "List", []string{"ListFunc rv=7", "→ ListFunc"}},
		{"ListWithContextFunc", "ListWithContext", []string{"ListWithContextFunc ctx=caller rv=7", "→ ListWithContextFunc"}},

		{"WatchFunc WatchFuncWithContext", "Watch", []string{"WatchFunc rv=7", "→ WatchFunc"}},
		{"WatchFunc WatchFuncWithContext", "WatchWithContext", []string{"WatchFuncWithContext ctx=caller rv=7", "→ WatchFuncWithContext"}},
		{"WatchFunc", "WatchWithContext", []string{"WatchFunc rv=7", "→ WatchFunc"}},
		{"WatchFuncWithContext", "Watch", []string{"WatchFuncWithContext ctx=background rv=7", "→ WatchFuncWithContext"}},
		{"WatchFunc", "Watch", []string{"WatchFunc rv=7", "→ WatchFunc"}},
		{"WatchFuncWithContext", "WatchWithContext", []string{"WatchFuncWithContext ctx=caller rv=7", "→ WatchFuncWithContext"}},

		// The list functions never answer a watch, nor the other way round.
		{"ListFunc ListWithContextFunc WatchFuncWithContext", "Watch", []string{"WatchFuncWithContext ctx=background rv=7", "→ WatchFuncWithContext"}},
		{"WatchFunc ListFunc", "ListWithContext", []string{"ListFunc rv=7", "→ ListFunc"}},
	}
	for _, tt := range tests {
		t.Run(tt.method+" with "+tt.set, func(t *testing.T) {
			call := listWatchMethods[tt.method]
			var ourCalls, theirCalls []string
			ours := newListWatchFuncs(tt.set, &ourCalls).ours()
			ourCalls = append(ourCalls, call(ours, ours))
			theirs := newListWatchFuncs(tt.set, &theirCalls).theirs()
			theirCalls = append(theirCalls, call(theirs, theirs))
			if fmt.Sprint(ourCalls) != fmt.Sprint(tt.want) {
				t.Errorf("calls %q, want %q", ourCalls, tt.want)
			}
			if fmt.Sprint(theirCalls) != fmt.Sprint(ourCalls) {
				t.Errorf("client-go calls %q, ours %q", theirCalls, ourCalls)
			}
		})
	}
}

// TestListWatchWithoutEitherFunctionPanicsLikeClientGo checks the one
// undefined case: a method whose two functions are both nil calls a nil
// function, in client-go as here.
func TestListWatchWithoutEitherFunctionPanicsLikeClientGo(t *testing.T) {
	panics := func(call func()) (p bool) {
		defer func() { p = recover() != nil }()
		call()
		return false
	}
	// Each method is given the functions of the other pair only.
	others := map[string]string{
		"List": "WatchFunc WatchFuncWithContext", "ListWithContext": "WatchFunc WatchFuncWithContext",
		"Watch": "ListFunc ListWithContextFunc", "WatchWithContext": "ListFunc ListWithContextFunc",
	}
	for method, set := range others {
		t.Run(method, func(t *testing.T) {
			var calls []string
			ours, theirs := newListWatchFuncs(set, &calls).ours(), newListWatchFuncs(set, &calls).theirs()
			call := listWatchMethods[method]
			if !panics(func() { call(ours, ours) }) {
				t.Errorf("ours did not panic")
			}
			if !panics(func() { call(theirs, theirs) }) {
				t.Errorf("client-go did not panic")
			}
			if len(calls) != 0 {
				t.Errorf("functions of the other pair were called: %q", calls)
			}
		})
	}
}

// listerFunc and watcherFunc are a Lister and a Watcher without context
// variants.
type listerFunc func(metav1.ListOptions) (runtime.Object, error)

func (f listerFunc) List(o metav1.ListOptions) (runtime.Object, error) { return f(o) }

type watcherFunc func(metav1.ListOptions) (watch.Interface, error)

func (f watcherFunc) Watch(o metav1.ListOptions) (watch.Interface, error) { return f(o) }

// plainListerWatcher is a ListerWatcher without context variants, which
// also declares that its client cannot serve streaming lists.
type plainListerWatcher struct {
	listerFunc
	watcherFunc
}

func (plainListerWatcher) IsWatchListSemanticsUnSupported() bool { return true }

// halfListerWatcher lists with a context but watches without.
type halfListerWatcher struct {
	ListWithContextFunc
	watcherFunc
}

func (h halfListerWatcher) ListWithContext(ctx context.Context, o metav1.ListOptions) (runtime.Object, error) {
	return h.ListWithContextFunc(ctx, o)
}

func (h halfListerWatcher) List(o metav1.ListOptions) (runtime.Object, error) {
	return h.ListWithContextFunc(context.Background(), o)
}

// TestToWithContextAdaptersWrapOnlyWhatLacksAContext checks the three
// adapters: what already takes a context is returned unchanged, and what
// does not is wrapped so that it is called without the context.
func TestToWithContextAdaptersWrapOnlyWhatLacksAContext(t *testing.T) {
	var calls []string
	f := newListWatchFuncs("ListFunc ListWithContextFunc WatchFunc WatchFuncWithContext", &calls)
	lw := f.ours()
	plain := plainListerWatcher{f.list, f.watch}
	half := halfListerWatcher{f.listCtx, f.watch}

	if got := ToListerWithContext(lw); got != ListerWithContext(lw) {
		t.Errorf("ToListerWithContext(*ListWatch) = %T, want the ListWatch itself", got)
	}
	if got := ToWatcherWithContext(lw); got != WatcherWithContext(lw) {
		t.Errorf("ToWatcherWithContext(*ListWatch) = %T, want the ListWatch itself", got)
	}
	if got := ToListerWatcherWithContext(lw); got != ListerWatcherWithContext(lw) {
		t.Errorf("ToListerWatcherWithContext(*ListWatch) = %T, want the ListWatch itself", got)
	}

	tests := []struct {
		name string
		lw   ListerWatcherWithContext
		want []string
	}{
		{
			name: "a plain ListerWatcher is called without the context",
			lw:   ToListerWatcherWithContext(plain),
			want: []string{"ListFunc rv=7", "WatchFunc rv=7"},
		},
		{
			name: "each half is converted on its own",
			lw:   ToListerWatcherWithContext(half),
			want: []string{"ListWithContextFunc ctx=caller rv=7", "WatchFunc rv=7"},
		},
		{
			name: "ToListerWithContext and ToWatcherWithContext of a plain Lister and Watcher",
			lw: splitListerWatcher{
				ToListerWithContext(listerFunc(f.list)),
				ToWatcherWithContext(watcherFunc(f.watch)),
			},
			want: []string{"ListFunc rv=7", "WatchFunc rv=7"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls = nil
			ctx, cancel := context.WithCancel(callerContext())
			cancel() // a wrapped call ignores even a cancelled context
			if _, err := tt.lw.ListWithContext(ctx, metav1.ListOptions{ResourceVersion: "7"}); err != nil {
				t.Fatal(err)
			}
			if _, err := tt.lw.WatchWithContext(ctx, metav1.ListOptions{ResourceVersion: "7"}); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(calls) != fmt.Sprint(tt.want) {
				t.Errorf("calls %q, want %q", calls, tt.want)
			}
		})
	}

	// The wrapper of a plain ListerWatcher has only the four methods: the
	// capability must be asked of the original, as the Reflector does.
	if !doesClientNotSupportWatchListSemantics(plain) {
		t.Errorf("plainListerWatcher should declare no streaming lists")
	}
	if doesClientNotSupportWatchListSemantics(ToListerWatcherWithContext(plain)) {
		t.Errorf("the wrapper of a plain ListerWatcher unexpectedly declares the capability")
	}
	if got := doesClientNotSupportWatchListSemantics(kcache.ToListerWatcherWithContext(plain)); got {
		t.Errorf("client-go's wrapper keeps the capability; ours drops it")
	}
}

// fakeWatchListClient is a client that says whether it can serve streaming
// lists, as client-go's fake clientsets do (they answer true).
type fakeWatchListClient struct {
	unSupportedWatchListSemantics bool
}

func (f fakeWatchListClient) IsWatchListSemanticsUnSupported() bool {
	return f.unSupportedWatchListSemantics
}

// TestToListWatcherWithWatchListSemantics ports client-go's test of the
// same name, extended with a client that does not implement the capability,
// and compares each answer with client-go's wrapper.
func TestToListWatcherWithWatchListSemantics(t *testing.T) {
	tests := []struct {
		name            string
		client          any
		wantUnsupported bool
	}{
		{name: "a nil client serves streaming lists", client: nil, wantUnsupported: false},
		{name: "a client without the method serves streaming lists", client: struct{}{}, wantUnsupported: false},
		{name: "a client that says it cannot", client: fakeWatchListClient{unSupportedWatchListSemantics: true}, wantUnsupported: true},
		{name: "a client that says it can", client: fakeWatchListClient{unSupportedWatchListSemantics: false}, wantUnsupported: false},
		{name: "a pointer to a client that says it cannot", client: &fakeWatchListClient{unSupportedWatchListSemantics: true}, wantUnsupported: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := ToListWatcherWithWatchListSemantics(&ListWatch{}, tt.client)
			if got := doesClientNotSupportWatchListSemantics(target); got != tt.wantUnsupported {
				t.Errorf("doesClientNotSupportWatchListSemantics = %v, want %v", got, tt.wantUnsupported)
			}
			theirs := kcache.ToListWatcherWithWatchListSemantics(&kcache.ListWatch{}, tt.client)
			if got := watchlist.DoesClientNotSupportWatchListSemantics(theirs); got != tt.wantUnsupported {
				t.Errorf("client-go answers %v, want %v", got, tt.wantUnsupported)
			}
			if got := watchlist.DoesClientNotSupportWatchListSemantics(tt.client); got != doesClientNotSupportWatchListSemantics(tt.client) {
				t.Errorf("on the client itself, client-go answers %v, ours the opposite", got)
			}
		})
	}
}

// TestToListWatcherWithWatchListSemanticsKeepsTheListWatch checks that the
// wrapper lists and watches through the ListWatch it wraps, survives
// ToListerWatcherWithContext with its capability, and asked its client
// only once.
func TestToListWatcherWithWatchListSemanticsKeepsTheListWatch(t *testing.T) {
	var calls []string
	client := &fakeWatchListClient{unSupportedWatchListSemantics: true}
	wrapped := ToListWatcherWithWatchListSemantics(newListWatchFuncs("ListFunc WatchFuncWithContext", &calls).ours(), client)
	client.unSupportedWatchListSemantics = false // too late: asked at construction

	lwc := ToListerWatcherWithContext(wrapped)
	if lwc != wrapped.(ListerWatcherWithContext) {
		t.Errorf("ToListerWatcherWithContext wrapped the wrapper again (%T)", lwc)
	}
	if !doesClientNotSupportWatchListSemantics(lwc) {
		t.Errorf("the capability was lost or re-read from the client")
	}
	for _, method := range []string{"List", "ListWithContext", "Watch", "WatchWithContext"} {
		calls = append(calls, listWatchMethods[method](lwc, wrapped))
	}
	want := []string{
		"ListFunc rv=7", "→ ListFunc",
		"ListFunc rv=7", "→ ListFunc",
		"WatchFuncWithContext ctx=background rv=7", "→ WatchFuncWithContext",
		"WatchFuncWithContext ctx=caller rv=7", "→ WatchFuncWithContext",
	}
	if fmt.Sprint(calls) != fmt.Sprint(want) {
		t.Errorf("calls %q, want %q", calls, want)
	}
}
