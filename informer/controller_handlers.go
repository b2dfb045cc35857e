// This file holds the handler half of client-go's controller.go: the
// contract between an informer and the code it notifies, and the adapters
// that implement it. It is its own concept (users write handlers, they rarely
// touch the controller), so it has its own file; the controller_ prefix keeps
// it next to our controller.go and says where client-go keeps it.

package informer

// ResourceEventHandler receives the notifications of an informer about one
// kind of resource. Its methods return nothing: a notification informs, it
// cannot be refused or retried.
//
// The handler MUST NOT modify the objects it receives, nor anything
// reachable from them: they are the objects of the informer's cache, shared
// with every other handler and lister. To change one, copy it (DeepCopy)
// first.
//
//   - OnAdd is called for an object the cache did not have. isInInitialList
//     is true for the objects of the handler's initial list: the informer's
//     first list, or, for a handler added to a running informer, the cache
//     contents replayed to it. The handler's registration has synced once
//     it has returned from all of those.
//   - OnUpdate is called for an object the cache had. oldObj is the cached
//     state, which may be several changes behind newObj: changes can be
//     combined, so not every intermediate state is seen. OnUpdate is also
//     called by resyncs and relists with nothing changed (equal
//     resourceVersions).
//   - OnDelete is called with the final state of a removed object if known,
//     otherwise with a DeletedFinalStateUnknown, whose Obj may be stale or
//     nil: that happens when a delete was missed while the watch was down
//     and only the next relist noticed it. Check for it before a type
//     assertion.
type ResourceEventHandler interface {
	OnAdd(obj any, isInInitialList bool)
	OnUpdate(oldObj, newObj any)
	OnDelete(obj any)
}

// ResourceEventHandlerFuncs is a ResourceEventHandler made of optional
// functions; a nil function ignores its notifications. AddFunc does not get
// isInInitialList; use ResourceEventHandlerDetailedFuncs for that. The
// functions MUST NOT modify the objects they receive, as for any
// ResourceEventHandler.
type ResourceEventHandlerFuncs struct {
	AddFunc    func(obj any)
	UpdateFunc func(oldObj, newObj any)
	DeleteFunc func(obj any)
}

var _ = ResourceEventHandler(ResourceEventHandlerFuncs{}) // ResourceEventHandlerFuncs is a handler

// OnAdd calls AddFunc, if set, dropping isInInitialList.
func (r ResourceEventHandlerFuncs) OnAdd(obj any, _ bool) {
	if r.AddFunc != nil {
		r.AddFunc(obj)
	}
}

// OnUpdate calls UpdateFunc, if set.
func (r ResourceEventHandlerFuncs) OnUpdate(oldObj, newObj any) {
	if r.UpdateFunc != nil {
		r.UpdateFunc(oldObj, newObj)
	}
}

// OnDelete calls DeleteFunc, if set.
func (r ResourceEventHandlerFuncs) OnDelete(obj any) {
	if r.DeleteFunc != nil {
		r.DeleteFunc(obj)
	}
}

// ResourceEventHandlerDetailedFuncs is ResourceEventHandlerFuncs whose
// AddFunc also gets isInInitialList. The functions MUST NOT modify the
// objects they receive.
type ResourceEventHandlerDetailedFuncs struct {
	AddFunc    func(obj any, isInInitialList bool)
	UpdateFunc func(oldObj, newObj any)
	DeleteFunc func(obj any)
}

var _ = ResourceEventHandler(ResourceEventHandlerDetailedFuncs{}) // ResourceEventHandlerDetailedFuncs is a handler

// OnAdd calls AddFunc, if set.
func (r ResourceEventHandlerDetailedFuncs) OnAdd(obj any, isInInitialList bool) {
	if r.AddFunc != nil {
		r.AddFunc(obj, isInInitialList)
	}
}

// OnUpdate calls UpdateFunc, if set.
func (r ResourceEventHandlerDetailedFuncs) OnUpdate(oldObj, newObj any) {
	if r.UpdateFunc != nil {
		r.UpdateFunc(oldObj, newObj)
	}
}

// OnDelete calls DeleteFunc, if set.
func (r ResourceEventHandlerDetailedFuncs) OnDelete(obj any) {
	if r.DeleteFunc != nil {
		r.DeleteFunc(obj)
	}
}

// FilteringResourceEventHandler passes to Handler the notifications about
// objects that FilterFunc accepts, so that Handler sees the informer's
// resource as if it held only those objects. Adds and deletes pass if their
// object does. An update is judged on both of its objects:
//
//	old passes  new passes  Handler gets
//	yes         yes         OnUpdate(old, new)
//	no          yes         OnAdd(new, false)    the object entered the view
//	yes         no          OnDelete(old)        the object left the view
//	no          no          nothing
//
// An add made from an update reports isInInitialList false even during the
// initial list.
//
// Both fields are required. FilterFunc is called once per object of a
// notification (for an update, on new first, then on old). It sees exactly
// what the handler would: a delete's DeletedFinalStateUnknown is passed as
// is, not unwrapped, so a filter that only accepts the resource's own type
// drops the deletes a relist discovers. FilterFunc, like the handler, MUST
// NOT modify the objects it is given.
type FilteringResourceEventHandler struct {
	FilterFunc func(obj any) bool
	Handler    ResourceEventHandler
}

var _ = ResourceEventHandler(FilteringResourceEventHandler{}) // FilteringResourceEventHandler is a handler

// OnAdd passes the add on if obj passes the filter.
func (r FilteringResourceEventHandler) OnAdd(obj any, isInInitialList bool) {
	if r.FilterFunc(obj) {
		r.Handler.OnAdd(obj, isInInitialList)
	}
}

// OnUpdate passes on an update, an add or a delete, or nothing, depending on
// which of the two objects pass the filter.
func (r FilteringResourceEventHandler) OnUpdate(oldObj, newObj any) {
	newPasses := r.FilterFunc(newObj)
	oldPasses := r.FilterFunc(oldObj)
	switch {
	case oldPasses && newPasses:
		r.Handler.OnUpdate(oldObj, newObj)
	case newPasses:
		r.Handler.OnAdd(newObj, false)
	case oldPasses:
		r.Handler.OnDelete(oldObj)
	}
}

// OnDelete passes the delete on if obj passes the filter.
func (r FilteringResourceEventHandler) OnDelete(obj any) {
	if r.FilterFunc(obj) {
		r.Handler.OnDelete(obj)
	}
}
