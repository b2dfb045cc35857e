// Command informerscope is both halves of InformerScope: compiled to
// WebAssembly it is the page's UI, compiled natively it is the server that
// hands the page out (and can write it as a static site).
//
// go-app runs the same main in both places: in the browser
// RunWhenOnBrowser starts the UI and never returns; on the server it returns
// at once and serverMain runs.
package main

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	ui "github.com/informerscope/informerscope/app"
)

func main() {
	ui.Mark("main")
	// Routes must be registered on both sides: the server prerenders them,
	// the browser mounts them.
	app.Route("/", &ui.Page{})
	app.RunWhenOnBrowser()
	serverMain()
}
