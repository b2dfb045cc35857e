package ui

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// storeList draws a store's items, one "key: object" per row, sorted by key.
type storeList struct {
	app.Compo
	IID    string // the element id; tests read "#<IID> li"
	ITitle string
	IRows  []string
}

func (s *storeList) Render() app.UI {
	return app.Section().ID(s.IID).Class("store").Body(
		app.H2().Text(s.ITitle),
		app.Ul().Class("items").Body(
			app.Range(s.IRows).Slice(func(i int) app.UI { return app.Li().Text(s.IRows[i]) }),
		),
		app.If(len(s.IRows) == 0, app.P().Class("empty").Text("(empty)")),
	)
}
