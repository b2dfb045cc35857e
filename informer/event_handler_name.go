package informer

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
)

// NamedHandler is a handler that names itself in traces and sync checkers.
type NamedHandler interface {
	ResourceEventHandler
	HandlerName() string
}

// nameForHandler names a handler for logs, traces and sync checkers: its
// own name if it is a NamedHandler, else its type's package-qualified name,
// or for ResourceEventHandlerFuncs the package (or type) the functions
// share.
func nameForHandler(handler ResourceEventHandler) string {
	var name string
	switch h := handler.(type) {
	case nil:
	case NamedHandler:
		// Not in client-go: scenarios name their handlers h1, h2..., and
		// the page shows those names.
		name = h.HandlerName()
	case ResourceEventHandlerFuncs:
		name = nameForFunctions(h.AddFunc, h.UpdateFunc, h.DeleteFunc)
	case *ResourceEventHandlerFuncs:
		name = nameForFunctions(h.AddFunc, h.UpdateFunc, h.DeleteFunc)
	default:
		t := reflect.TypeOf(handler)
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		name = t.Name()
		if t.PkgPath() != "" {
			name = t.PkgPath() + "." + name
		}
	}
	if name == "" {
		name = fmt.Sprintf("%T", handler)
	}
	return name
}

// nameForFunctions returns the qualifier all fns share ("pkg.Type" of
// methods, "pkg" of functions), or their names joined with "+".
func nameForFunctions(fns ...any) string {
	var names []string
	qualifier, shared := "", true
	for _, f := range fns {
		v := reflect.ValueOf(f)
		if !v.IsValid() || v.IsNil() {
			continue
		}
		fn := runtime.FuncForPC(v.Pointer())
		if fn == nil {
			continue
		}
		name := fn.Name()
		names = append(names, name)
		q := name
		if i := strings.LastIndexByte(q, '.'); i > 0 {
			q = q[:i]
		}
		switch qualifier {
		case "":
			qualifier = q
		case q:
		default:
			shared = false
		}
	}
	if shared {
		return qualifier
	}
	return strings.Join(names, "+")
}
