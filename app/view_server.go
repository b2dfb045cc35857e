package ui

import (
	"fmt"
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/informerscope/informerscope/informer/trace"
)

// serverComp is the simulated API server's component in the trace.
const serverComp = "apiserver"

// maxServerObjects bounds the objects drawn.
const maxServerObjects = 40

// renderServer draws the API server's own state at the cursor: its
// resourceVersion, whether it is up, its objects with their
// resourceVersions, the oldest resourceVersion its window still serves,
// and its open watches.
func (p *Page) renderServer() app.UI {
	st := p.tl.Snapshot().Servers[serverComp]
	if st == nil {
		return app.P().Class("meta").Text("not started")
	}
	res := st.Resources[p.tl.Scenario.Resource]
	if res == nil {
		res = &trace.ServerResource{}
	}
	keys, total := firstKeys(res.Objects, maxServerObjects)
	more := total - len(keys)
	status := "up"
	switch {
	case st.Restarting && st.DownUntil > 0:
		status = fmt.Sprintf("down until t = %s (restarting)", fmtTime(nsDuration(st.DownUntil)))
	case st.Restarting:
		status = "back; its new watch cache starts at the next request"
	}
	faults := []string{}
	if st.ExpireNext {
		faults = append(faults, "the next watch gets 410")
	}
	if st.Delay != "" {
		faults = append(faults, "events delayed "+st.Delay)
	}
	return app.Div().ID("server").Body(
		app.P().Class("meta").Body(
			app.Span().ID("server-rv").Text("resourceVersion "+orDash(st.RV)),
			app.Span().ID("server-status").Class(map[bool]string{true: "bad", false: ""}[st.Restarting]).Text(" · "+status),
			app.Span().Text(" · window from RV "+orDash(res.OldestRV)),
			app.If(len(faults) > 0, app.Span().Class("bad").Text(" · "+fmt.Sprint(faults))),
		),
		app.H3().Text(fmt.Sprintf("%s (%d)", p.tl.Scenario.Resource, len(res.Objects))),
		app.Raw(p.serverObjectsHTML(res, keys)),
		app.If(more > 0, app.P().Class("more").Text(fmt.Sprintf("… and %d more", more))),
		app.H3().Text("Open watches"),
		app.Ul().ID("server-watches").Class("watches").Body(
			app.Range(st.Watches).Slice(func(i int) app.UI {
				w := st.Watches[i]
				text := fmt.Sprintf("%s from rv %s: %d sent (last rv %s), %d pending", w.Name, orDash(w.StartRV), w.Sent, orDash(w.LastSentRV), w.Pending)
				if w.Ending != "" {
					text += ", ending: " + w.Ending
				}
				return app.Li().Text(text)
			}),
		),
		app.If(len(st.Watches) == 0, app.P().Class("empty").Text("none")),
	)
}

// serverObjectsHTML lists the server's objects: each key, and its
// resourceVersion to inspect the object.
func (p *Page) serverObjectsHTML(res *trace.ServerResource, keys []string) string {
	l := p.labels()
	last, hasLast := p.lastEvent()
	var b htmlBuilder
	b.open("ul", "id", "server-objects", "class", "objects")
	for _, k := range keys {
		ref := res.Objects[k]
		cls := "object"
		if hasLast && last.Kind == trace.ServerObjectWritten && last.Key == k {
			cls += " hot"
		}
		b.open("li", "class", cls)
		p.keyButtonHTML(&b, k)
		b.elem("button", "rv "+l.objects[ref-1].RV, "class", "obj", "data-act", act(actInspect, strconv.Itoa(int(ref))))
		b.close("li")
	}
	b.close("ul")
	return b.String()
}
