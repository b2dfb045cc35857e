package ui

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// queueList draws one queue, head first, with HasSynced and the last pop.
// Rows are positional slots: go-app diffs children by position, so a pop
// rewrites the rows' text but replaces no element.
type queueList struct {
	app.Compo
	IID    string // the element id; tests read "#<IID> li"
	ITitle string
	INote  string // how to read a row
	IQueue queueView
}

func (q *queueList) Render() app.UI {
	return app.Section().ID(q.IID).Class("queue").Body(
		app.H2().Text(q.ITitle),
		app.P().Class("note").Text("Head first, "+q.INote+"."),
		app.Ol().Class("entries").Body(
			app.Range(q.IQueue.Rows).Slice(func(i int) app.UI { return app.Li().Text(q.IQueue.Rows[i]) }),
		),
		app.If(len(q.IQueue.Rows) == 0, app.P().Class("empty").Text("(empty)")),
		app.P().Class("synced").Text(fmt.Sprintf("HasSynced: %v", q.IQueue.Synced)),
		app.P().Class("pop").Text("Last Pop: "+orDash(q.IQueue.LastPop)),
	)
}

// orDash shows "—" for nothing yet, so an empty field still reads as one.
func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
