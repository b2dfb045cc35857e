package ui

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// renderServer draws the API server's own state: its objects with their
// resourceVersions and its open watches.
func (p *Page) renderServer() app.UI {
	return app.P().Class("meta").Text("resource: " + p.tl.Scenario.Resource)
}
