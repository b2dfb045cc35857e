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
	return app.Section().ID("reflector").Class("view").Aria("label", "Reflector").Body(
		app.H2().Text("Reflector"),
		app.Dl().Body(
			app.Dt().Text("Phase"), app.Dd().ID("reflector-phase").Class("phase phase-"+cssName(phase)).Text(phase),
			app.Dt().Text("Cycle"), app.Dd().Text(itoa(r.Cycle)),
			app.Dt().Text("Last synced RV"), app.Dd().ID("reflector-rv").Text(orDash(r.LastSyncResourceVersion)),
			app.Dt().Text("In flight"), app.Dd().ID("reflector-request").Text(request),
			app.Dt().Text("Watch"), app.Dd().Text(watch),
			app.If(r.Backoff != "", app.Dt().Text("Backoff"), app.Dd().Text(fmt.Sprintf("%s, until t = %v", r.Backoff, fmtTime(nsDuration(r.BackoffUntil))))),
			app.If(r.TemporaryStore != "", app.Dt().Text("Streaming list into"), app.Dd().Text(r.TemporaryStore)),
			app.If(r.ResourceVersionUnavailable, app.Dt().Text("Next list"), app.Dd().Text(`from "" (the last RV expired)`)),
			app.Dt().Text("Last relist"), app.Dd().ID("reflector-relist").Text(p.lastRelist()),
		),
	)
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
