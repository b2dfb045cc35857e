package ui

import "github.com/maxence-charriere/go-app/v9/pkg/app"

var helpKeys = [][2]string{
	{"Space", "play or pause"},
	{"→ / ←", "step forward / back"},
	{"Shift+→ / Shift+←", "next / previous event of the selected key"},
	{"Home / End", "the start / the end of the run"},
	{"[ / ]", "slower / faster"},
	{"?", "this help"},
	{"Esc", "close the help, the editor or the inspector"},
}

// renderHelp is the help overlay: what the page shows and the keys.
func (p *Page) renderHelp() app.UI {
	return app.Div().ID("help").Class("overlay").Role("dialog").Aria("label", "Help").Body(
		app.Div().Class("overlay-box").Body(
			app.H2().Text("InformerScope"),
			app.P().Text("A client-go v0.37 informer runs in this page against a simulated kube-apiserver, one goroutine at a time. "+
				"Each step is one event of its trace: follow an object from the API server through the Reflector, the queue and the Indexer "+
				"to each handler's listener. Step back, jump anywhere, or step a chosen goroutine to try another interleaving."),
			app.Table().Class("keys").Body(app.Range(helpKeys).Slice(func(i int) app.UI {
				return app.Tr().Body(app.Th().Body(app.Kbd().Text(helpKeys[i][0])), app.Td().Text(helpKeys[i][1]))
			})),
			app.P().Text("Delta types have a shape as well as a colour: + Added, ~ Updated, × Deleted, ⟳ Replaced, ↻ Sync, ⚑ Bookmark. "+
				"Click a key to select it, an object to inspect it. Copy link keeps the scenario, seed, queue and step."),
			app.Button().ID("help-close").Text("Close").OnClick(func(ctx app.Context, e app.Event) { p.showHelp = false }),
		),
	)
}
