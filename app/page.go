package ui

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// Page is the root component of the first page.
//
// The server prerenders it, and that HTML is not interactive until the wasm
// has mounted the component; ready is set in OnMount, which only runs in the
// browser, so data-ready="true" tells a test (or a script) that clicks now
// do something.
type Page struct {
	app.Compo
	ready bool
}

// OnMount runs once the component is live in the browser.
func (p *Page) OnMount(ctx app.Context) {
	p.ready = true
}

func (p *Page) Render() app.UI {
	return app.Div().ID("page").DataSet("ready", p.ready).Body(
		app.Header().Body(
			app.H1().Text("InformerScope"),
			app.P().Class("tagline").Text("A Kubernetes informer, running in your browser, step by step."),
		),
		app.Main().Body(&intro{}),
	)
}
