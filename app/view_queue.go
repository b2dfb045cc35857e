package ui

import (
	"fmt"
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/informerscope/informerscope/informer/trace"
)

const queueComp = "informer/queue"

// maxQueueRows bounds the rows drawn; the rest are counted.
const maxQueueRows = 60

// deltaShapes tells delta types apart by a symbol as well as by colour, so
// that colour is never the only cue.
var deltaShapes = map[string]string{
	"Added":       "+",
	"Updated":     "~",
	"Deleted":     "×",
	"Replaced":    "⟳",
	"Sync":        "↻",
	"ReplacedAll": "⟳⟳",
	"SyncAll":     "↻↻",
	"Bookmark":    "⚑",
}

// viewQueue shows the informer's queue: a DeltaFIFO as keys in queue
// order, each with its Deltas; a RealFIFO as one ordered list. What the
// last step did to it is highlighted: a merge, a dedup, a tombstone.
func (p *Page) viewQueue() app.UI {
	q := p.tl.Snapshot().Queues[queueComp]
	if q == nil {
		q = &trace.QueueState{}
	}
	last, hasLast := p.lastEvent()
	rows, more := window(q.Entries, maxQueueRows)
	title := "Queue: " + queueModeText[p.tl.Scenario.Queue]
	return app.Section().ID("queue").Class("view").Aria("label", "Queue").Body(
		app.H2().Text(title),
		app.P().Class("meta").Body(
			app.Span().ID("queue-len").Text(fmt.Sprintf("%d entries", len(q.Entries))),
			app.Span().Text(fmt.Sprintf(" · HasSynced %v", q.Synced)),
			app.If(q.Populated && !q.Synced, app.Span().Text(fmt.Sprintf(" · %d initial left", q.InitialLeft))),
			app.If(q.Closed, app.Span().Text(" · closed")),
		),
		app.If(len(q.Processing) > 0, app.Div().ID("queue-processing").Class("processing").Body(
			app.Span().Class("label").Text("Processing: "),
			app.Range(q.Processing).Slice(func(i int) app.UI { return p.deltaChip(q.Processing[i]) }),
		)),
		app.Ol().ID("queue-entries").Class("entries").Body(
			app.Range(rows).Slice(func(i int) app.UI {
				ent := rows[i]
				cls := "entry"
				if hasLast && last.Comp == queueComp && last.Key == ent.Key && ent.Key != "" {
					cls += " hot hot-" + cssName(last.Kind.String())
				}
				return app.Li().Class(cls).DataSet("key", ent.Key).Body(
					p.keyButton(ent.Key),
					app.Range(ent.Deltas).Slice(func(j int) app.UI { return p.deltaChip(ent.Deltas[j]) }),
				)
			}),
		),
		app.If(more > 0, app.P().Class("more").Text(fmt.Sprintf("… and %d more", more))),
		app.If(len(q.Entries) == 0, app.P().Class("empty").Text("empty")),
	)
}

// deltaChip draws one delta: its shape, type and object; a click inspects
// the object.
func (p *Page) deltaChip(d trace.Delta) app.UI {
	l := p.labels()
	return app.Button().Class("delta delta-"+d.Type).DataSet("type", d.Type).
		Title(d.Type+" "+l.object(d.Obj)).
		DataSet("act", act(actInspect, strconv.Itoa(int(d.Obj)))).
		Body(
			app.Span().Class("shape").Aria("hidden", "true").Text(deltaShapes[d.Type]),
			app.Text(" "+d.Type+" "+l.object(d.Obj)),
		)
}

// keyButton selects a key: Shift+←/→ then move between its events.
func (p *Page) keyButton(key string) app.UI {
	var b htmlBuilder
	p.keyButtonHTML(&b, key)
	return app.Raw(b.String())
}

// keyButtonHTML writes keyButton into a raw HTML list.
func (p *Page) keyButtonHTML(b *htmlBuilder, key string) {
	if key == "" {
		b.elem("span", "(whole list)", "class", "key")
		return
	}
	cls := "key"
	if key == p.selectedKey {
		cls += " selected"
	}
	b.elem("button", key, "class", cls, "title", "Select "+key+": Shift+←/→ move between its events", "data-act", act(actSelectKey, key))
}

// lastEvent is the event just before the cursor.
func (p *Page) lastEvent() (trace.Event, bool) {
	if p.tl.Cursor() == 0 {
		return trace.Event{}, false
	}
	e, _ := p.tl.Event(p.tl.Cursor() - 1)
	return e, true
}
