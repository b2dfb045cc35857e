package informer

import "testing"

type namedTestHandler struct{ ResourceEventHandlerFuncs }

func (namedTestHandler) HandlerName() string { return "h1" }

type plainTestHandler struct{ ResourceEventHandlerFuncs }

func TestNameForHandler(t *testing.T) {
	for _, tc := range []struct {
		h    ResourceEventHandler
		want string
	}{
		{namedTestHandler{}, "h1"},
		{&namedTestHandler{}, "h1"},
		{plainTestHandler{}, "github.com/informerscope/informerscope/informer.plainTestHandler"},
		{&plainTestHandler{}, "github.com/informerscope/informerscope/informer.plainTestHandler"},
	} {
		if got := nameForHandler(tc.h); got != tc.want {
			t.Errorf("nameForHandler(%T) = %q, want %q", tc.h, got, tc.want)
		}
	}
}
