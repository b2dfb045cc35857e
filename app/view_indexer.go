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
func (p *Page) itemsHTML(b *htmlBuilder, st *trace.StoreState, keys []string) {
	l := p.labels()
	last, hasLast := p.lastEvent()
	hasLast = hasLast && last.Comp == p.storeComp() // the last event was the store's
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
		p.keyButtonHTML(b, k)
		b.close("td")
		b.open("td")
		b.elem("button", l.object(ref), "class", "obj", "data-act", act(actInspect, strconv.Itoa(int(ref))))
		b.close("td")
		b.close("tr")
	}
	b.close("tbody")
	b.close("table")
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
	// The ByIndex query keeps go-app's handlers: it is a form.
	return rawView("indexer", "Indexer", func(b *htmlBuilder) {
		b.elem("h2", "Indexer (threadSafeMap)")
		b.elem("p", fmt.Sprintf("%d items · resourceVersion %s", len(st.Items), orDash(st.RV)), "class", "meta")
		b.elem("h3", "Items")
		p.itemsHTML(b, st, keys)
		b.more(more)
		if len(st.Items) == 0 {
			b.elem("p", "empty", "class", "empty")
		}
		b.elem("h3", "Indexers")
		b.elem("p", orDash(strings.Join(st.Indexers, ", ")), "id", "indexers")
		b.elem("h3", "Indices")
		indicesHTML(b, st)
	}, p.renderByIndex(st))
}

// indicesHTML lists Indices: index[value] = {keys}, the first rows.
func indicesHTML(b *htmlBuilder, st *trace.StoreState) {
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
	b.open("ul", "id", "indices", "class", "indices")
	for _, r := range rows {
		b.elem("li", r)
	}
	if more := total - len(rows); more > 0 {
		b.elem("li", fmt.Sprintf("… and %d more", more), "class", "more")
	}
	b.close("ul")
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
