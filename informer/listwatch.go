package informer

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
)

// Lister performs the initial list of a Reflector. Implementations should
// implement ListerWithContext too: a Reflector converts a plain Lister with
// ToListerWithContext, which cannot pass a context on.
type Lister interface {
	// List returns a list object: the Reflector extracts its items and starts
	// the watch at its resourceVersion.
	//
	// Deprecated: use ListerWithContext.ListWithContext.
	List(options metav1.ListOptions) (runtime.Object, error)
}

// ListerWithContext performs the initial list of a Reflector. The list ends
// early if ctx does, which is how a stopped informer abandons a slow list.
type ListerWithContext interface {
	// ListWithContext returns a list object: the Reflector extracts its items
	// and starts the watch at its resourceVersion.
	ListWithContext(ctx context.Context, options metav1.ListOptions) (runtime.Object, error)
}

// ToListerWithContext returns l itself if it already lists with a context;
// otherwise it wraps l in a ListerWithContext that ignores the context.
func ToListerWithContext(l Lister) ListerWithContext {
	if lc, ok := l.(ListerWithContext); ok {
		return lc
	}
	return contextIgnoringLister{l}
}

// contextIgnoringLister lists through a plain Lister, dropping the context:
// a cancelled context cannot interrupt the list.
type contextIgnoringLister struct {
	Lister
}

func (l contextIgnoringLister) ListWithContext(_ context.Context, options metav1.ListOptions) (runtime.Object, error) {
	return l.List(options)
}

// Watcher starts the watches of a Reflector. Implementations should
// implement WatcherWithContext too: a Reflector converts a plain Watcher with
// ToWatcherWithContext, which cannot pass a context on.
type Watcher interface {
	// Watch starts a watch at options.ResourceVersion. On error it cleans up
	// after itself, stopping any watch it started, so the caller may drop
	// the returned watch.
	//
	// Deprecated: use WatcherWithContext.WatchWithContext.
	Watch(options metav1.ListOptions) (watch.Interface, error)
}

// WatcherWithContext starts the watches of a Reflector.
type WatcherWithContext interface {
	// WatchWithContext starts a watch at options.ResourceVersion. On error it
	// cleans up after itself, stopping any watch it started, so the caller
	// may drop the returned watch.
	WatchWithContext(ctx context.Context, options metav1.ListOptions) (watch.Interface, error)
}

// ToWatcherWithContext returns w itself if it already watches with a
// context; otherwise it wraps w in a WatcherWithContext that ignores the
// context.
func ToWatcherWithContext(w Watcher) WatcherWithContext {
	if wc, ok := w.(WatcherWithContext); ok {
		return wc
	}
	return contextIgnoringWatcher{w}
}

// contextIgnoringWatcher watches through a plain Watcher, dropping the
// context: a cancelled context cannot interrupt starting the watch.
type contextIgnoringWatcher struct {
	Watcher
}

func (w contextIgnoringWatcher) WatchWithContext(_ context.Context, options metav1.ListOptions) (watch.Interface, error) {
	return w.Watch(options)
}

// ListerWatcher lists and watches one kind of resource: the Reflector's
// source. Implementations should implement ListerWatcherWithContext too.
type ListerWatcher interface {
	Lister
	Watcher
}

// ListerWatcherWithContext lists and watches one kind of resource: the
// Reflector's source.
type ListerWatcherWithContext interface {
	ListerWithContext
	WatcherWithContext
}

// ToListerWatcherWithContext returns lw itself if it already implements
// ListerWatcherWithContext (a *ListWatch does); otherwise it wraps each half
// with ToListerWithContext and ToWatcherWithContext. The wrapper has no
// other methods, so an optional capability of lw, such as
// IsWatchListSemanticsUnSupported, must be asked of lw, not of the result.
func ToListerWatcherWithContext(lw ListerWatcher) ListerWatcherWithContext {
	if lwc, ok := lw.(ListerWatcherWithContext); ok {
		return lwc
	}
	return splitListerWatcher{ToListerWithContext(lw), ToWatcherWithContext(lw)}
}

// splitListerWatcher joins a ListerWithContext and a WatcherWithContext.
type splitListerWatcher struct {
	ListerWithContext
	WatcherWithContext
}

// ListFunc lists resources.
//
// Deprecated: use ListWithContextFunc.
type ListFunc func(options metav1.ListOptions) (runtime.Object, error)

// ListWithContextFunc lists resources.
type ListWithContextFunc func(ctx context.Context, options metav1.ListOptions) (runtime.Object, error)

// WatchFunc starts a watch.
//
// Deprecated: use WatchFuncWithContext.
type WatchFunc func(options metav1.ListOptions) (watch.Interface, error)

// WatchFuncWithContext starts a watch. The name breaks the pattern of
// ListWithContextFunc; client-go kept it rather than break its API.
type WatchFuncWithContext func(ctx context.Context, options metav1.ListOptions) (watch.Interface, error)

// ListWatch is a ListerWatcher (and a ListerWatcherWithContext) made of
// functions, the usual way to give a Reflector its source.
//
// At least one of ListFunc and ListWithContextFunc must be set, and at least
// one of WatchFunc and WatchFuncWithContext; a method with neither of its
// two functions set panics. Each method prefers the function of its own
// flavour and falls back to the other:
//
//   - List calls ListFunc, else ListWithContextFunc with context.Background();
//   - ListWithContext calls ListWithContextFunc, else ListFunc without ctx;
//   - Watch and WatchWithContext do the same with WatchFunc and
//     WatchFuncWithContext.
//
// So when both of a pair are set, which one runs depends on the caller; a
// Reflector always calls the WithContext methods.
//
// The functions receive options by value and may change their copy; nothing
// they change reaches the caller.
type ListWatch struct {
	// Deprecated: use ListWithContextFunc.
	ListFunc ListFunc
	// Deprecated: use WatchFuncWithContext.
	WatchFunc WatchFunc

	ListWithContextFunc  ListWithContextFunc
	WatchFuncWithContext WatchFuncWithContext

	// DisableChunking asks for lists in one piece. Nothing reads it, here or
	// in client-go v0.37 (whose Reflector pages lists by itself); it is kept
	// so that code written against client-go compiles.
	DisableChunking bool
}

var (
	_ = ListerWatcher(&ListWatch{})            // ListWatch serves old callers
	_ = ListerWatcherWithContext(&ListWatch{}) // and the Reflector, unwrapped
)

// List lists through ListFunc, else ListWithContextFunc.
//
// Deprecated: use ListWithContext.
func (lw *ListWatch) List(options metav1.ListOptions) (runtime.Object, error) {
	if lw.ListFunc == nil {
		return lw.ListWithContextFunc(context.Background(), options)
	}
	return lw.ListFunc(options)
}

// ListWithContext lists through ListWithContextFunc, else ListFunc (which
// cannot be cancelled). It makes one call and does not page: the Reflector
// pages, through options.Limit and options.Continue.
func (lw *ListWatch) ListWithContext(ctx context.Context, options metav1.ListOptions) (runtime.Object, error) {
	if lw.ListWithContextFunc == nil {
		return lw.ListFunc(options)
	}
	return lw.ListWithContextFunc(ctx, options)
}

// Watch watches through WatchFunc, else WatchFuncWithContext.
//
// Deprecated: use WatchWithContext.
func (lw *ListWatch) Watch(options metav1.ListOptions) (watch.Interface, error) {
	if lw.WatchFunc == nil {
		return lw.WatchFuncWithContext(context.Background(), options)
	}
	return lw.WatchFunc(options)
}

// WatchWithContext watches through WatchFuncWithContext, else WatchFunc
// (which cannot be cancelled).
func (lw *ListWatch) WatchWithContext(ctx context.Context, options metav1.ListOptions) (watch.Interface, error) {
	if lw.WatchFuncWithContext == nil {
		return lw.WatchFunc(options)
	}
	return lw.WatchFuncWithContext(ctx, options)
}

// unsupportedWatchListSemantics is an optional capability: a client, or a
// ListerWatcher, that implements it and answers true cannot serve a
// streaming list (a watch with sendInitialEvents=true that ends its initial
// events with an annotated bookmark). client-go's fake clientsets answer
// true, since their trackers never send that bookmark: a Reflector trying a
// streaming list against them would wait for it forever.
type unsupportedWatchListSemantics interface {
	IsWatchListSemanticsUnSupported() bool
}

// doesClientNotSupportWatchListSemantics reports whether client declares
// that it cannot serve streaming lists. A client that does not implement the
// capability, nil included, is assumed to serve them. The Reflector asks this
// of its ListerWatcher, to decide whether to try a streaming list before
// falling back to LIST.
func doesClientNotSupportWatchListSemantics(client any) bool {
	c, ok := client.(unsupportedWatchListSemantics)
	return ok && c.IsWatchListSemanticsUnSupported()
}

// ToListWatcherWithWatchListSemantics returns lw with the streaming-list
// capability of client, typically the clientset whose calls lw's functions
// make: its IsWatchListSemanticsUnSupported answers what client answers,
// false if client does not say. client is asked once, now.
//
// Without it, a bare &ListWatch{} built over a fake clientset has no such
// method, so a Reflector tries a streaming list against the fake and waits.
// client-go's generated informers wrap their ListWatch this way.
//
// The result embeds lw, so it is also a ListerWatcherWithContext and
// ToListerWatcherWithContext returns it unchanged, capability included.
func ToListWatcherWithWatchListSemantics(lw *ListWatch, client any) ListerWatcher {
	return &listWatchWithWatchListSemantics{
		ListWatch:   lw,
		unsupported: doesClientNotSupportWatchListSemantics(client),
	}
}

// listWatchWithWatchListSemantics is a ListWatch that knows whether its
// client can serve streaming lists.
type listWatchWithWatchListSemantics struct {
	*ListWatch

	// unsupported is the client's answer when the wrapper was built. True
	// makes a Reflector skip the streaming list even when the WatchListClient
	// feature is on; it is an opt-out, so the zero value keeps the feature.
	unsupported bool
}

var _ = ListerWatcherWithContext(&listWatchWithWatchListSemantics{}) // so the Reflector uses it unwrapped

// IsWatchListSemanticsUnSupported reports whether the client cannot serve
// streaming lists.
func (lw *listWatchWithWatchListSemantics) IsWatchListSemanticsUnSupported() bool {
	return lw.unsupported
}
