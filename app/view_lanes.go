package ui

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/informerscope/informerscope/informer/trace"
)

// laneSymbols mark goroutine states by shape as well as colour.
var laneSymbols = map[string]string{
	"runnable": "▶",
	"blocked":  "■",
	"sleeping": "◔",
	"done":     "✓",
}

// viewLanes shows one lane per goroutine of the simulation with its state
// at the cursor. A runnable one can be stepped on its own: that runs it,
// and only it, for one step (forking the run when the cursor is in the
// past).
func (p *Page) viewLanes() app.UI {
	// A copy: the snapshot's slice changes in place as the cursor moves,
	// and go-app would compare the component's old field, which shares it,
	// with itself and see nothing new.
	return &laneList{Lanes: slices.Clone(p.tl.Snapshot().Goroutines)}
}

// laneList draws the lanes; go-app redraws it only when they changed.
type laneList struct {
	app.Compo
	Lanes []trace.GoroutineState
}

func (c *laneList) Render() app.UI {
	gs := c.Lanes
	return app.Section().ID("lanes").Class("view").Aria("label", "Goroutines").Body(
		app.H2().Text("Goroutines"),
		app.Ol().Class("lanes").Body(
			app.Range(gs).Slice(func(i int) app.UI {
				g := gs[i]
				id := i + 1
				return app.Li().Class("lane lane-"+g.State).DataSet("id", id).Body(
					app.Span().Class("lane-state").Title(g.State).Text(laneSymbols[g.State]+" "+g.State),
					app.Span().Class("lane-name").Text(g.Name),
					app.Span().Class("lane-what").Text(laneDetail(g)),
					app.If(g.State == "runnable", app.Button().Class("lane-step").Text("step").
						Title("Run only this goroutine for one step").
						DataSet("act", act(actStepGoroutine, strconv.Itoa(id)))),
				)
			}),
		),
	)
}

func laneDetail(g trace.GoroutineState) string {
	switch {
	case g.Panic != "":
		return "panicked: " + g.Panic
	case g.State == "blocked":
		return g.Waiting
	case g.State == "sleeping":
		return fmt.Sprintf("until t = %s", fmtTime(nsDuration(g.Until)))
	}
	return ""
}
