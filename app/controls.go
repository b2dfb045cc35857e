package ui

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// controls renders the step buttons and what the last and next steps are.
// It is part of Page's own tree, not a child component, so that the click
// handlers update Page, which owns the demo.
func (p *Page) controls() app.UI {
	v := p.view
	done := "Nothing applied yet."
	if v.Done != "" {
		done = v.Done
	}
	next := "The script is over."
	if v.Next != "" {
		next = "Next: " + v.Next
	}
	return app.Section().ID("controls").Body(
		app.Button().ID("btn-step").Text("Step").Disabled(v.Next == "").OnClick(p.onStep),
		app.Button().ID("btn-back").Text("Back").Disabled(v.Step == 0).OnClick(p.onBack),
		app.Button().ID("btn-reset").Text("Reset").Disabled(v.Step == 0).OnClick(p.onReset),
		app.Span().ID("step").DataSet("step", v.Step).Text(fmt.Sprintf("Step %d of %d: %s", v.Step, v.Steps, done)),
		app.Span().ID("next").Text(next),
	)
}
