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
	return rawView("queue", "Queue", func(b *htmlBuilder) {
		b.elem("h2", title)
		b.open("p", "class", "meta")
		b.elem("span", fmt.Sprintf("%d entries", len(q.Entries)), "id", "queue-len")
		b.elem("span", fmt.Sprintf(" · HasSynced %v", q.Synced))
		if q.Populated && !q.Synced {
			b.elem("span", fmt.Sprintf(" · %d initial left", q.InitialLeft))
		}
		if q.Closed {
			b.elem("span", " · closed")
		}
		b.close("p")
		if len(q.Processing) > 0 {
			b.open("div", "id", "queue-processing", "class", "processing")
			b.elem("span", "Processing: ", "class", "label")
			for _, d := range q.Processing {
				p.deltaChip(b, d)
			}
			b.close("div")
		}
		b.open("ol", "id", "queue-entries", "class", "entries")
		for _, ent := range rows {
			cls := "entry"
			if hasLast && last.Comp == queueComp && last.Key == ent.Key && ent.Key != "" {
				cls += " hot hot-" + cssName(last.Kind.String())
			}
			b.open("li", "class", cls, "data-key", ent.Key)
			p.keyButtonHTML(b, ent.Key)
			for _, d := range ent.Deltas {
				p.deltaChip(b, d)
			}
			b.close("li")
		}
		b.close("ol")
		b.more(more)
		if len(q.Entries) == 0 {
			b.elem("p", "empty", "class", "empty")
		}
	})
}

// deltaChip draws one delta: its shape, type and object; a click inspects
// the object.
func (p *Page) deltaChip(b *htmlBuilder, d trace.Delta) {
	obj := p.labels().object(d.Obj)
	b.open("button", "class", "delta delta-"+d.Type, "data-type", d.Type, "title", d.Type+" "+obj,
		"data-act", act(actInspect, strconv.Itoa(int(d.Obj))))
	b.elem("span", deltaShapes[d.Type], "class", "shape", "aria-hidden", "true")
	b.text(" " + d.Type + " " + obj)
	b.close("button")
}

// keyButtonHTML writes a key's button, which selects the key:
// Shift+←/→ then move between its events.
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
