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

// maxRingChips bounds the notifications drawn of a ring.
const maxRingChips = 12

// viewProcessor shows the sharedProcessor and each processorListener:
// addCh and nextCh as hand-off slots with who waits on them,
// pendingNotifications as a ring with its length and capacity, the handler
// running or idle with its last calls, and the registration's HasSynced.
// The informer's own sync and the mutation detector close it.
func (p *Page) viewProcessor() app.UI {
	snap := p.tl.Snapshot()
	comps := slices.Sorted(maps.Keys(snap.Listeners))
	inf := snap.Informers["informer"]
	if inf == nil {
		inf = &trace.InformerState{}
	}
	l := p.labels()
	return app.Section().ID("processor").Class("view").Aria("label", "Processor and listeners").Body(
		app.H2().Text("sharedProcessor and listeners"),
		app.P().Class("meta").Body(
			app.Span().ID("informer-synced").Text(fmt.Sprintf("informer HasSynced %v", inf.Synced)),
			app.If(inf.Stopped, app.Span().Text(" · stopped")),
		),
		app.If(p.tl.Scenario.Plain, app.P().Class("empty").Text("A plain informer calls its one handler inside the controller: there is no processor.")),
		app.Div().Class("listeners").Body(
			app.Range(comps).Slice(func(i int) app.UI { return p.listenerCard(comps[i], snap.Listeners[comps[i]], snap) }),
		),
		app.If(p.tl.Scenario.DetectMutations || len(inf.Mutations) > 0, app.Div().ID("mutations").Class("mutations").Body(
			app.H3().Text("Mutation detector"),
			app.If(len(inf.Mutations) == 0, app.P().Text("on; nothing found so far")),
			app.Range(inf.Mutations).Slice(func(i int) app.UI {
				return app.P().Class("bad").Text("changed in the cache: " + l.object(inf.Mutations[i]))
			}),
		)),
	)
}

func (p *Page) listenerCard(comp string, ls *trace.ListenerState, snap *trace.Snapshot) app.UI {
	l := p.labels()
	ring, more := window(ls.Ring, maxRingChips)
	fill := 0
	if ls.RingCap > 0 {
		fill = 100 * len(ls.Ring) / ls.RingCap
	}
	status := "idle"
	if ls.Handling != nil {
		status = "running " + notificationText(*ls.Handling, l)
	}
	state := []string{}
	if ls.Syncing {
		state = append(state, "syncing")
	}
	if ls.Removed {
		state = append(state, "removed")
	}
	if ls.Stopped {
		state = append(state, "stopped")
	}
	name := ls.Handler
	calls := p.lastCalls(comp, 4)
	return app.Article().Class("listener").DataSet("handler", name).Body(
		app.H3().Body(app.Text(name+" "), app.Small().Text(shortComp(comp))),
		app.P().Class("meta").Body(
			app.Span().Class("synced").Text(fmt.Sprintf("HasSynced %v", ls.Synced)),
			app.If(ls.InitialPending > 0, app.Span().Text(fmt.Sprintf(" · %d initial adds to handle", ls.InitialPending))),
			app.If(len(state) > 0, app.Span().Text(" · "+strings.Join(state, ", "))),
		),
		app.Div().Class("slot addch").Body(
			app.Span().Class("label").Text("addCh"),
			app.Span().Class("who").Text(waitersOn(snap, comp+".addCh", "send", "empty")),
		),
		app.Div().Class("ring").Body(
			app.Span().Class("label").Text("pendingNotifications"),
			app.Span().Class("ring-size").Text(fmt.Sprintf("%d / %d", len(ls.Ring), ls.RingCap)),
			app.Div().Class("ring-bar").Aria("hidden", "true").Body(app.Div().Class("ring-fill").Style("width", fmt.Sprintf("%d%%", fill))),
			app.Div().Class("ring-items").Body(
				app.Range(ring).Slice(func(i int) app.UI { return p.notificationChip(ring[i]) }),
				app.If(more > 0, app.Span().Class("more").Text(fmt.Sprintf("+%d", more))),
			),
		),
		app.Div().Class("slot nextch").Body(
			app.Span().Class("label").Text("nextCh"),
			when(ls.Offered != nil, func() app.UI { return p.notificationChip(*ls.Offered) }),
			app.If(ls.Offered == nil, app.Span().Class("who").Text("nothing offered")),
		),
		app.Div().Class("handler "+map[bool]string{true: "running", false: "idle"}[ls.Handling != nil]).Body(
			app.Span().Class("label").Text("handler"),
			app.Span().Class("status").Text(status),
		),
		app.Ol().Class("calls").Aria("label", "last calls").Body(app.Range(calls).Slice(func(i int) app.UI {
			return app.Li().Text(calls[i])
		})),
	)
}

func (p *Page) notificationChip(n trace.Notification) app.UI {
	l := p.labels()
	return app.Button().Class("note note-"+n.Type).DataSet("type", n.Type).
		DataSet("act", act(actInspect, strconv.Itoa(int(n.Obj)))).
		Text(notificationText(n, l))
}

func notificationText(n trace.Notification, l labeler) string {
	s := n.Type + " " + l.object(n.Obj)
	if n.Initial {
		s += " (initial)"
	}
	return s
}

// lastCalls are the handler's last n calls up to the cursor, newest first.
func (p *Page) lastCalls(comp string, n int) []string {
	var out []string
	l := p.labels()
	for _, i := range p.tl.Before(200, trace.HandlerStarted) {
		if e, at := p.tl.Event(i); e.Comp == comp {
			out = append(out, fmt.Sprintf("t=%s %s", fmtTime(at), call(e, l)))
			if len(out) == n {
				break
			}
		}
	}
	return out
}

// waitersOn names the goroutines blocked on the channel (a send or a
// receive, as op says), or returns none.
func waitersOn(snap *trace.Snapshot, ch, op, none string) string {
	var who []string
	for _, g := range snap.Goroutines {
		if g.State == "blocked" && strings.Contains(g.Waiting, op+" on "+ch) {
			who = append(who, g.Name)
		}
	}
	if len(who) == 0 {
		return none
	}
	return "waiting: " + strings.Join(who, ", ")
}
