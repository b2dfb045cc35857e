package ui

import (
	"fmt"
	"strconv"

	"github.com/informerscope/informerscope/informer/trace"
)

// serverComp is the simulated API server's component in the trace.
const serverComp = "apiserver"

// maxServerObjects bounds the objects drawn.
const maxServerObjects = 40

// serverHTML draws the API server's own state at the cursor: its
// resourceVersion, whether it is up, its objects with their
// resourceVersions, the oldest resourceVersion its window still serves,
// and its open watches.
func (p *Page) serverHTML(b *htmlBuilder) {
	st := p.tl.Snapshot().Servers[serverComp]
	if st == nil {
		b.elem("p", "not started", "class", "meta")
		return
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
	b.open("div", "id", "server")
	b.open("p", "class", "meta")
	b.elem("span", "resourceVersion "+orDash(st.RV), "id", "server-rv")
	b.elem("span", " · "+status, "id", "server-status", "class", map[bool]string{true: "bad", false: ""}[st.Restarting])
	b.elem("span", " · window from RV "+orDash(res.OldestRV))
	if len(faults) > 0 {
		b.elem("span", " · "+fmt.Sprint(faults), "class", "bad")
	}
	b.close("p")
	b.elem("h3", fmt.Sprintf("%s (%d)", p.tl.Scenario.Resource, len(res.Objects)))
	p.serverObjectsHTML(b, res, keys)
	b.more(more)
	b.elem("h3", "Open watches")
	b.open("ul", "id", "server-watches", "class", "watches")
	for _, w := range st.Watches {
		text := fmt.Sprintf("%s from rv %s: %d sent (last rv %s), %d pending", w.Name, orDash(w.StartRV), w.Sent, orDash(w.LastSentRV), w.Pending)
		if w.Ending != "" {
			text += ", ending: " + w.Ending
		}
		b.elem("li", text)
	}
	b.close("ul")
	if len(st.Watches) == 0 {
		b.elem("p", "none", "class", "empty")
	}
	b.close("div")
}

// serverObjectsHTML lists the server's objects: each key, and its
// resourceVersion to inspect the object.
func (p *Page) serverObjectsHTML(b *htmlBuilder, res *trace.ServerResource, keys []string) {
	l := p.labels()
	last, hasLast := p.lastEvent()
	b.open("ul", "id", "server-objects", "class", "objects")
	for _, k := range keys {
		ref := res.Objects[k]
		cls := "object"
		if hasLast && last.Kind == trace.ServerObjectWritten && last.Key == k {
			cls += " hot"
		}
		b.open("li", "class", cls)
		p.keyButtonHTML(b, k)
		b.elem("button", "rv "+l.objects[ref-1].RV, "class", "obj", "data-act", act(actInspect, strconv.Itoa(int(ref))))
		b.close("li")
	}
	b.close("ul")
}
