package ui

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/informerscope/informerscope/informer/scenario"
)

// renderEditor lets the user change the scenario's text. Run applies it if
// it parses; otherwise every error is shown with its line, and the current
// run stays.
func (p *Page) renderEditor() app.UI {
	text := p.src
	if text == "" {
		text = scenario.Format(p.tl.Scenario)
	}
	return app.Div().ID("editor").Class("overlay").Role("dialog").Aria("label", "Scenario editor").Body(
		app.Div().Class("overlay-box wide").Body(
			app.H2().Text("Edit the scenario"),
			app.P().Class("meta").Text("One command per line; # starts a comment. See the package doc of informer/scenario for every command."),
			app.Textarea().ID("editor-text").Rows(18).Spellcheck(false).Text(text),
			app.If(p.editErrs != "", app.Pre().ID("editor-errors").Class("bad").Role("alert").Text(p.editErrs)),
			app.Div().Class("row").Body(
				app.Button().ID("editor-run").Class("primary").Text("Run").OnClick(func(ctx app.Context, e app.Event) {
					v := app.Window().GetElementByID("editor-text").Get("value").String()
					p.applyEdit(ctx, v)
				}),
				app.Button().ID("editor-cancel").Text("Cancel").OnClick(func(ctx app.Context, e app.Event) { p.showEditor = false }),
			),
		),
	)
}
