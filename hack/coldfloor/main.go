// Command coldfloor is the least a page built like InformerScope's can
// load: go-app, and the apimachinery packages the informer cannot do
// without, with a component that only says it is ready. The cold-load
// benchmark serves it in place of app.wasm, so the figure for the real
// page can be read against what the required stack costs on the same
// machine before any of our code runs.
package main

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"
	// The informer's objects, their metadata and the watch stream: what
	// every part of InformerScope's wasm imports.
	_ "k8s.io/apimachinery/pkg/apis/meta/v1"
	_ "k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	_ "k8s.io/apimachinery/pkg/runtime"
	_ "k8s.io/apimachinery/pkg/watch"
)

// mark puts a moment on the page's performance timeline under the names
// the real page uses (ui.Mark), so the benchmark reads both alike.
func mark(name string) {
	app.Window().Get("performance").Call("mark", "informerscope:"+name)
}

// page answers to the benchmark as the real page does: #page gets
// data-ready="true" once mounted.
type page struct {
	app.Compo
	ready bool
}

func (p *page) OnMount(app.Context) {
	mark("mounted")
	// As the real page does once mounted: the server's page head holds
	// go-app's service worker back until then (server_head.go).
	if f := app.Window().Get("informerscopeMounted"); f.Truthy() {
		f.Invoke()
	}
	p.ready = true
}

func (p *page) Render() app.UI {
	return app.Div().ID("page").DataSet("ready", p.ready).Text("ready")
}

func main() {
	mark("main")
	app.Route("/", &page{})
	app.RunWhenOnBrowser()
}
