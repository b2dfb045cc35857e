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
	return app.Ol().ID("log-rows").Class("log").Reversed(true).Body(
		app.Range(c.Rows).Slice(func(i int) app.UI {
			r := c.Rows[i]
			return app.Li().Class("row area-"+r.Area).DataSet("step", r.Index+1).Body(
				app.Button().Class("row-go").Title("Go to this step").
					OnClick(func(ctx app.Context, e app.Event) { ctx.NewActionWithValue(actionSeek, r.Index+1) }, r.Index).
					Body(
						app.Span().Class("row-step").Text(fmt.Sprintf("#%d", r.Index+1)),
						app.Span().Class("row-time").Text(r.At),
						app.Span().Class("row-area").Text(r.Area),
						app.Span().Class("row-text").Text(r.Text),
					),
			)
		}),
	)
}
