package ui

import (
	"fmt"

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

type logRow struct {
	index int // the event's index; clicking the row goes to just after it
	at    string
	area  string
	text  string
}

// viewLog is the event log: each event in words, with its step and time.
// A row's click goes to that step; filters hide areas without dropping
// their events.
func (p *Page) viewLog() app.UI {
	var rows []logRow
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
		rows = append(rows, logRow{index: i, at: fmtTime(at), area: area, text: describe(e, l)})
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
		app.Ol().ID("log-rows").Class("log").Reversed(true).Body(
			app.Range(rows).Slice(func(i int) app.UI {
				r := rows[i]
				return app.Li().Class("row area-"+r.area).DataSet("step", r.index+1).Body(
					app.Button().Class("row-go").Title("Go to this step").
						OnClick(func(ctx app.Context, e app.Event) { p.pause(); p.seek(ctx, r.index+1) }).
						Body(
							app.Span().Class("row-step").Text(fmt.Sprintf("#%d", r.index+1)),
							app.Span().Class("row-time").Text(r.at),
							app.Span().Class("row-area").Text(r.area),
							app.Span().Class("row-text").Text(r.text),
						),
				)
			}),
		),
	)
}
