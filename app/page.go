package ui

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// Page is the root component of the first page: the queue demo.
//
// The server prerenders it, and that HTML is not interactive until the wasm
// has mounted the component. ready is set in OnMount, which only runs in the
// browser, so data-ready="true" tells a test (or a script) that clicks now
// do something.
type Page struct {
	app.Compo
	ready bool
	demo  *demo
	view  view
}

// OnInit builds the demo on both sides, so the prerendered page already
// shows its first state.
func (p *Page) OnInit() {
	p.show(newDemo())
}

// OnMount runs once the component is live in the browser.
func (p *Page) OnMount(ctx app.Context) {
	p.ready = true
}

func (p *Page) show(d *demo) {
	p.demo = d
	p.view = d.view()
}

func (p *Page) onStep(ctx app.Context, e app.Event) {
	if p.demo.advance() {
		p.view = p.demo.view()
	}
}

func (p *Page) onBack(ctx app.Context, e app.Event) {
	if p.demo.next > 0 {
		p.show(replay(p.demo.next - 1))
	}
}

func (p *Page) onReset(ctx app.Context, e app.Event) {
	p.show(newDemo())
}

func (p *Page) Render() app.UI {
	v := p.view
	return app.Div().ID("page").DataSet("ready", p.ready).Body(
		app.Header().Body(
			app.H1().Text("InformerScope"),
			app.P().Class("tagline").Text("A Kubernetes informer, running in your browser, step by step."),
		),
		app.Main().Body(
			app.P().Class("lead").Text("The same operations go to client-go's two informer queues. "+
				"A DeltaFIFO groups the deltas of an object under its key and feeds its consumer's store; "+
				"the RealFIFO of v0.37 keeps every delta in arrival order and hands a whole relist over as one."),
			p.controls(),
			app.Div().Class("queues").Body(
				&queueList{IID: "deltafifo", ITitle: "DeltaFIFO", INote: "one row per key", IQueue: v.DeltaFIFO},
				&queueList{IID: "realfifo", ITitle: "RealFIFO (AtomicEvents)", INote: "one row per delta", IQueue: v.RealFIFO},
			),
			&storeList{IID: "store", ITitle: "Indexer fed by the DeltaFIFO's pops", IRows: v.Store},
		),
	)
}
