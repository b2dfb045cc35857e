package ui

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/informerscope/informerscope/informer/trace"
)

// maxItemRows bounds the Items rows drawn.
const maxItemRows = 80

// itemsHTML is the Items table: a row per key, the key and its object.
func (p *Page) itemsHTML(st *trace.StoreState, keys []string) string {
	l := p.labels()
	last, hasLast := p.lastEvent()
	hasLast = hasLast && last.Comp == p.storeComp() // the last event was the store's
	var b htmlBuilder
	b.open("table", "id", "items", "class", "items")
	b.open("tbody")
	for _, k := range keys {
		cls := ""
		if hasLast && last.Key == k {
			cls = "hot hot-" + cssName(last.Kind.String())
		}
		ref := st.Items[k]
		b.open("tr", "class", cls, "data-key", k)
		b.open("td")
		p.keyButtonHTML(&b, k)
		b.close("td")
		b.open("td")
		b.elem("button", l.object(ref), "class", "obj", "data-act", act(actInspect, strconv.Itoa(int(ref))))
		b.close("td")
		b.close("tr")
	}
	b.close("tbody")
	b.close("table")
	return b.String()
}

func (p *Page) storeComp() string {
	if p.tl.Scenario.Plain {
		return "informer/store"
	}
	return "informer/indexer"
}

// viewIndexer shows the threadSafeMap: Items (key → object), Indexers (the
// index functions by name) and Indices (index → value → keys), with a
// ByIndex query.
func (p *Page) viewIndexer() app.UI {
	st := p.tl.Snapshot().Stores[p.storeComp()]
	if st == nil {
		st = trace.NewStoreState()
	}
	keys, total := firstKeys(st.Items, maxItemRows)
	more := total - len(keys)
	return app.Section().ID("indexer").Class("view").Aria("label", "Indexer").Body(
		app.H2().Text("Indexer (threadSafeMap)"),
		app.P().Class("meta").Text(fmt.Sprintf("%d items · resourceVersion %s", len(st.Items), orDash(st.RV))),
		app.H3().Text("Items"),
		app.Raw(p.itemsHTML(st, keys)),
		app.If(more > 0, app.P().Class("more").Text(fmt.Sprintf("… and %d more", more))),
		app.If(len(st.Items) == 0, app.P().Class("empty").Text("empty")),
		app.H3().Text("Indexers"),
		app.P().ID("indexers").Text(orDash(strings.Join(st.Indexers, ", "))),
		app.H3().Text("Indices"),
		p.renderIndices(st),
		p.renderByIndex(st),
	)
}

func (p *Page) renderIndices(st *trace.StoreState) app.UI {
	const maxRows, maxKeys = 30, 12
	var rows []string
	total := 0
	for _, index := range slices.Sorted(maps.Keys(st.Indices)) {
		values, n := firstKeys(st.Indices[index], maxRows-len(rows))
		total += n
		for _, value := range values {
			keys := st.Indices[index][value]
			shown := strings.Join(keys[:min(len(keys), maxKeys)], ", ")
			if len(keys) > maxKeys {
				shown += fmt.Sprintf(", … %d more", len(keys)-maxKeys)
			}
			rows = append(rows, fmt.Sprintf("%s[%q] = {%s}", index, value, shown))
		}
	}
	more := total - len(rows)
	return app.Ul().ID("indices").Class("indices").Body(
		app.Range(rows).Slice(func(i int) app.UI { return app.Li().Text(rows[i]) }),
		app.If(more > 0, app.Li().Class("more").Text(fmt.Sprintf("… and %d more", more))),
	)
}

// renderByIndex answers ByIndex(index, value) from the state at the
// cursor, as a controller's lister would.
func (p *Page) renderByIndex(st *trace.StoreState) app.UI {
	index, value := p.byIndex[0], p.byIndex[1]
	if index == "" && len(st.Indexers) > 0 {
		index = st.Indexers[0]
	}
	answer := ""
	if value != "" {
		keys := st.Indices[index][value]
		answer = fmt.Sprintf("ByIndex(%q, %q) → %d: %s", index, value, len(keys), orDash(strings.Join(keys, ", ")))
	}
	return app.Div().Class("byindex").Body(
		app.Label().For("byindex-index").Text("ByIndex "),
		app.Select().ID("byindex-index").OnChange(func(ctx app.Context, e app.Event) {
			p.byIndex[0] = ctx.JSSrc().Get("value").String()
		}).Body(app.Range(st.Indexers).Slice(func(i int) app.UI {
			return app.Option().Value(st.Indexers[i]).Selected(st.Indexers[i] == index).Text(st.Indexers[i])
		})),
		app.Input().ID("byindex-value").Placeholder("value, e.g. default").Value(value).
			OnInput(func(ctx app.Context, e app.Event) { p.byIndex[1] = ctx.JSSrc().Get("value").String() }),
		app.Output().ID("byindex-answer").Text(answer),
	)
}
