package ui

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/informerscope/informerscope/informer/trace"
)

const reflectorComp = "informer/reflector"

// viewReflector shows the Reflector: its phase, the resourceVersion it
// last synced to, the request in flight, the open watch, a backoff, and
// why it last had to list again.
func (p *Page) viewReflector() app.UI {
	r := p.tl.Snapshot().Reflectors[reflectorComp]
	if r == nil {
		r = &trace.ReflectorState{}
	}
	phase := r.Phase
	if phase == "" {
		phase = "not started"
	}
	if r.Backoff != "" {
		phase = "backing off"
	}
	request := "none"
	if q := r.Request; q != nil {
		request = requestText(*q)
	}
	watch := "none"
	if w := r.Watch; w != nil {
		watch = fmt.Sprintf("%s — %d events so far", requestText(w.ReflectorRequest), w.Events)
	}
	return rawView("reflector", "Reflector", func(b *htmlBuilder) {
		b.elem("h2", "Reflector")
		b.open("dl")
		row := func(term, def string, attrs ...string) {
			b.elem("dt", term)
			b.elem("dd", def, attrs...)
		}
		row("Phase", phase, "id", "reflector-phase", "class", "phase phase-"+cssName(phase))
		row("Cycle", itoa(r.Cycle))
		row("Last synced RV", orDash(r.LastSyncResourceVersion), "id", "reflector-rv")
		row("In flight", request, "id", "reflector-request")
		row("Watch", watch)
		if r.Backoff != "" {
			row("Backoff", fmt.Sprintf("%s, until t = %v", r.Backoff, fmtTime(nsDuration(r.BackoffUntil))))
		}
		if r.TemporaryStore != "" {
			row("Streaming list into", r.TemporaryStore)
		}
		if r.ResourceVersionUnavailable {
			row("Next list", `from "" (the last RV expired)`)
		}
		row("Last relist", p.lastRelist(), "id", "reflector-relist")
		b.close("dl")
	})
}

// lastRelist finds why the reflector last had to list again, looking back
// from the cursor.
func (p *Page) lastRelist() string {
	for _, i := range p.tl.Before(1, trace.RelistNeeded) {
		e, at := p.tl.Event(i)
		return fmt.Sprintf("%s (t = %s)", e.Reason, fmtTime(at))
	}
	return "none yet"
}

// requestText writes a request as its query would read.
func requestText(q trace.ReflectorRequest) string {
	s := fmt.Sprintf("%s resourceVersion=%q", q.Verb, q.ResourceVersion)
	if q.Verb == "LIST" {
		s += fmt.Sprintf(" limit=%d", q.Limit)
		if q.Continue != "" {
			s += " continue=…"
		}
		return s
	}
	if q.SendInitialEvents {
		s += " sendInitialEvents=true"
	}
	if q.ResourceVersionMatch != "" {
		s += " resourceVersionMatch=" + q.ResourceVersionMatch
	}
	return s + fmt.Sprintf(" timeoutSeconds=%d", q.TimeoutSeconds)
}
