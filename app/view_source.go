package ui

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/informerscope/informerscope/informer/trace"
)

// streamRows is how many of the latest stream items are drawn.
const streamRows = 14

// viewSource shows the source: the simulated API server and the stream of
// lists and watch events the Reflector took from it, newest first.
func (p *Page) viewSource() app.UI {
	l := p.labels()
	var stream []string
	for _, i := range p.tl.Before(streamRows, trace.WatchEventReceived, trace.ListReturned, trace.WatchOpenFailed, trace.WatchEnded) {
		e, at := p.tl.Event(i)
		var s string
		switch e.Kind {
		case trace.WatchEventReceived:
			s = e.Type + " " + l.object(e.Obj)
			if e.Type == "BOOKMARK" {
				s = "BOOKMARK rv=" + e.RV
				if e.Initial {
					s += " (initial-events-end)"
				}
			}
		case trace.ListReturned:
			s = fmt.Sprintf("LIST → %d items, rv=%s", e.Count, e.RV)
			if e.Reason != "" {
				s = "LIST failed: " + e.Reason
			}
		case trace.WatchOpenFailed:
			s = "WATCH failed: " + e.Reason
		case trace.WatchEnded:
			s = "watch ended: " + e.Reason
		default:
			continue
		}
		stream = append(stream, fmt.Sprintf("t=%s %s", fmtTime(at), s))
	}
	return rawView("source", "Source", func(b *htmlBuilder) {
		b.elem("h2", "Source: simulated kube-apiserver")
		p.serverHTML(b)
		b.elem("h3", "What the Reflector received")
		b.open("ol", "id", "stream", "class", "stream")
		for _, s := range stream {
			b.elem("li", s)
		}
		b.close("ol")
		if len(stream) == 0 {
			b.elem("p", "nothing yet", "class", "empty")
		}
	})
}
