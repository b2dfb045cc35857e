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
	return rawView("lanes", "Goroutines", func(b *htmlBuilder) {
		b.elem("h2", "Goroutines")
		b.open("ol", "class", "lanes")
		for i, g := range c.Lanes {
			id := strconv.Itoa(i + 1)
			b.open("li", "class", "lane lane-"+g.State, "data-id", id)
			b.elem("span", laneSymbols[g.State]+" "+g.State, "class", "lane-state", "title", g.State)
			b.elem("span", g.Name, "class", "lane-name")
			b.elem("span", laneDetail(g), "class", "lane-what")
			if g.State == "runnable" {
				b.elem("button", "step", "class", "lane-step", "title", "Run only this goroutine for one step",
					"data-act", act(actStepGoroutine, id))
			}
			b.close("li")
		}
		b.close("ol")
	})
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
