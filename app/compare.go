package ui

import (
	"fmt"
	"sort"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/informerscope/informerscope/app/timeline"
	"github.com/informerscope/informerscope/informer/scenario"
	"github.com/informerscope/informerscope/informer/trace"
)

// The compare pane runs the same scenario and seed in another queue mode
// beside the main run, kept at the same virtual time: DeltaFIFO against
// RealFIFO on one seed shows what the queue changes.

// compareTo starts the pane in queue mode m; m equal to the main run's
// closes it.
func (p *Page) compareTo(m scenario.QueueMode) {
	if p.cmp != nil {
		p.cmp.Close()
		p.cmp = nil
	}
	if m == p.tl.Scenario.Queue {
		return
	}
	s := cloneScenario(p.tl.Scenario)
	s.Queue = m
	p.cmp = timeline.New(s)
	p.syncCompare()
}

// syncCompare moves the pane to the main run's virtual time: just past
// every event at or before it.
func (p *Page) syncCompare() {
	c := p.cmp
	if c == nil {
		return
	}
	now := p.tl.Now()
	i := sort.Search(c.Len(), func(i int) bool { _, at := c.Event(i); return at > now })
	c.Seek(i)
	if i < c.Len() {
		return // the next recorded event is already later
	}
	for {
		_, at, ok := c.Next()
		if !ok || at > now {
			return
		}
		c.Forward()
	}
}

func (p *Page) renderCompare() app.UI {
	other := scenario.DeltaFIFO
	if p.tl.Scenario.Queue == scenario.DeltaFIFO {
		other = scenario.RealFIFO
	}
	if p.cmp == nil {
		return app.Div().ID("compare").Body(
			app.Button().ID("compare-open").Text("Compare with "+queueModeText[other]).
				Title("Run the same scenario and seed with the other queue, side by side").
				OnClick(func(ctx app.Context, e app.Event) { p.compareTo(other) }, other),
		)
	}
	snap := p.cmp.Snapshot()
	l := labeler{objects: p.cmp.Objects()}
	q := snap.Queues[queueComp]
	if q == nil {
		q = &trace.QueueState{}
	}
	rows, more := window(q.Entries, 20)
	var calls []string
	for _, i := range p.cmp.Before(12, trace.HandlerStarted) {
		if e, at := p.cmp.Event(i); e.Kind == trace.HandlerStarted {
			h := ""
			if ls := snap.Listeners[e.Comp]; ls != nil {
				h = ls.Handler + " "
			}
			calls = append(calls, fmt.Sprintf("t=%s %s%s", fmtTime(at), h, call(e, l)))
		}
	}
	return app.Section().ID("compare").Class("view compare").Aria("label", "Comparison").Body(
		app.Div().Class("inspector-head").Body(
			app.H2().Text(fmt.Sprintf("Same seed, %s — at t = %s", queueModeText[p.cmp.Scenario.Queue], fmtTime(p.cmp.Now()))),
			app.Button().ID("compare-close").Text("Close").OnClick(func(ctx app.Context, e app.Event) { p.compareTo(p.tl.Scenario.Queue) }),
		),
		app.H3().Text(fmt.Sprintf("Queue (%d entries)", len(q.Entries))),
		app.Ol().ID("compare-queue").Class("entries").Body(app.Range(rows).Slice(func(i int) app.UI {
			return app.Li().Text(l.entry(rows[i].Key, rows[i].Deltas))
		})),
		app.If(more > 0, app.P().Class("more").Text(fmt.Sprintf("… and %d more", more))),
		app.H3().Text("Latest handler calls"),
		app.Ol().ID("compare-calls").Class("calls").Body(app.Range(calls).Slice(func(i int) app.UI { return app.Li().Text(calls[i]) })),
	)
}
