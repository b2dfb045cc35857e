package ui

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// logRows is how many rows of the event log are drawn: the latest ones up
// to the cursor that the filters let through; fewer while playing fast,
// when rows would only flicker past.
const (
	logRows     = 40
	logRowsFast = 12
)

var logAreas = []string{"server", "reflector", "queue", "listener", "informer", "runtime"}

// LogRow is one row of the event log.
type LogRow struct {
	Index int // the event's index; clicking the row goes to just after it
	At    string
	Area  string
	Text  string
}

// viewLog is the event log: each event in words, with its step and time.
// A row's click goes to that step; filters hide areas without dropping
// their events.
func (p *Page) viewLog() app.UI {
	var rows []LogRow
	l := p.labels()
	limit := logRows
	if p.playing && (rate(p.speed) == 0 || rate(p.speed) >= animateBelow) {
		limit = logRowsFast
	}
	for i := p.tl.Cursor() - 1; i >= 0 && len(rows) < limit; i-- {
		e, at := p.tl.Event(i)
		area := e.Kind.Area()
		if p.hidden[area] {
			continue
		}
		rows = append(rows, LogRow{Index: i, At: fmtTime(at), Area: area, Text: describe(e, l)})
	}
	return app.Section().ID("log").Class("view").Aria("label", "Event log").Body(
		app.H2().Text("Event log"),
		app.Div().Class("filters").Body(
			app.Range(logAreas).Slice(func(i int) app.UI {
				area := logAreas[i]
				return app.Label().Class("filter area-"+area).Body(
					app.Input().Type("checkbox").ID("filter-"+area).Checked(!p.hidden[area]).
						OnChange(func(ctx app.Context, e app.Event) { p.hidden[area] = !ctx.JSSrc().Get("checked").Bool() }),
					app.Text(" "+area),
				)
			}),
		),
		&logList{Rows: rows},
	)
}

// logList draws the rows; go-app redraws it only when they changed.
type logList struct {
	app.Compo
	Rows []LogRow
}

func (c *logList) Render() app.UI {
	var b htmlBuilder
	b.open("ol", "id", "log-rows", "class", "log", "reversed", "reversed")
	for _, r := range c.Rows {
		step := strconv.Itoa(r.Index + 1)
		b.open("li", "class", "row area-"+r.Area, "data-step", step)
		b.open("button", "class", "row-go", "title", "Go to this step", "data-act", act(actSeek, step))
		b.elem("span", "#"+step, "class", "row-step")
		b.elem("span", r.At, "class", "row-time")
		b.elem("span", r.Area, "class", "row-area")
		b.elem("span", r.Text, "class", "row-text")
		b.close("button")
		b.close("li")
	}
	b.close("ol")
	return app.Raw(b.String())
}
