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
	return rawView("processor", "Processor and listeners", func(b *htmlBuilder) {
		b.elem("h2", "sharedProcessor and listeners")
		b.open("p", "class", "meta")
		b.elem("span", fmt.Sprintf("informer HasSynced %v", inf.Synced), "id", "informer-synced")
		if inf.Stopped {
			b.elem("span", " · stopped")
		}
		b.close("p")
		if p.tl.Scenario.Plain {
			b.elem("p", "A plain informer calls its one handler inside the controller: there is no processor.", "class", "empty")
		}
		b.open("div", "class", "listeners")
		for _, comp := range comps {
			p.listenerCard(b, comp, snap.Listeners[comp], snap)
		}
		b.close("div")
		if p.tl.Scenario.DetectMutations || len(inf.Mutations) > 0 {
			b.open("div", "id", "mutations", "class", "mutations")
			b.elem("h3", "Mutation detector")
			if len(inf.Mutations) == 0 {
				b.elem("p", "on; nothing found so far")
			}
			for _, m := range inf.Mutations {
				b.elem("p", "changed in the cache: "+l.object(m), "class", "bad")
			}
			b.close("div")
		}
	})
}

func (p *Page) listenerCard(b *htmlBuilder, comp string, ls *trace.ListenerState, snap *trace.Snapshot) {
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
	b.open("article", "class", "listener", "data-handler", name)
	b.open("h3")
	b.text(name + " ")
	b.elem("small", shortComp(comp))
	b.close("h3")
	b.open("p", "class", "meta")
	b.elem("span", fmt.Sprintf("HasSynced %v", ls.Synced), "class", "synced")
	if ls.InitialPending > 0 {
		b.elem("span", fmt.Sprintf(" · %d initial adds to handle", ls.InitialPending))
	}
	if len(state) > 0 {
		b.elem("span", " · "+strings.Join(state, ", "))
	}
	b.close("p")

	b.open("div", "class", "slot addch")
	b.elem("span", "addCh", "class", "label")
	b.elem("span", waitersOn(snap, comp+".addCh", "send", "empty"), "class", "who")
	b.close("div")

	b.open("div", "class", "ring")
	b.elem("span", "pendingNotifications", "class", "label")
	b.elem("span", fmt.Sprintf("%d / %d", len(ls.Ring), ls.RingCap), "class", "ring-size")
	b.open("div", "class", "ring-bar", "aria-hidden", "true")
	b.elem("div", "", "class", "ring-fill", "style", fmt.Sprintf("width: %d%%;", fill))
	b.close("div")
	b.open("div", "class", "ring-items")
	for _, n := range ring {
		p.notificationChip(b, n)
	}
	if more > 0 {
		b.elem("span", fmt.Sprintf("+%d", more), "class", "more")
	}
	b.close("div")
	b.close("div")

	b.open("div", "class", "slot nextch")
	b.elem("span", "nextCh", "class", "label")
	if ls.Offered != nil {
		p.notificationChip(b, *ls.Offered)
	} else {
		b.elem("span", "nothing offered", "class", "who")
	}
	b.close("div")

	b.open("div", "class", "handler "+map[bool]string{true: "running", false: "idle"}[ls.Handling != nil])
	b.elem("span", "handler", "class", "label")
	b.elem("span", status, "class", "status")
	b.close("div")

	b.open("ol", "class", "calls", "aria-label", "last calls")
	for _, c := range p.lastCalls(comp, 4) {
		b.elem("li", c)
	}
	b.close("ol")
	b.close("article")
}

func (p *Page) notificationChip(b *htmlBuilder, n trace.Notification) {
	b.elem("button", notificationText(n, p.labels()), "class", "note note-"+n.Type, "data-type", n.Type,
		"data-act", act(actInspect, strconv.Itoa(int(n.Obj))))
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
