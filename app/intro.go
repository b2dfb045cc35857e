package ui

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// intro says what InformerScope is. It stands in for the demo until the
// informer queues it drives are ready.
type intro struct {
	app.Compo
}

func (i *intro) Render() app.UI {
	return app.Section().ID("intro").Body(
		app.P().Text("InformerScope re-implements the informer machinery of client-go's tools/cache "+
			"— Reflector, DeltaFIFO and RealFIFO, the Indexer, the shared processor and its listeners — "+
			"compiles it to WebAssembly, and draws every change of its internal state."),
		app.P().Text("The first demo, two queues side by side, is on its way."),
	)
}
