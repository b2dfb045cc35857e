package ui

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/informerscope/informerscope/informer/trace"
)

// Every row of every list (the event log's rows, the lanes' step buttons,
// objects, keys, deltas, notifications) says what a click on it does in a
// data-act attribute, and one handler on the page's root element reads it.
//
// Per-row handlers cost too much: each row's handler needs its row as the
// handler's scope (go-app keeps an element's old handler when the new one
// is the same function literal), so at every step go-app removed and added
// a listener, and made a js.Func, for each row that changed. That was a
// fifth of the time a seek took.
//
// It also keeps child components (the event log, the lanes) to plain
// data, which go-app compares field by field to skip the ones a step did
// not change.
const (
	actSeek          = "seek"           // a step
	actStepGoroutine = "step-goroutine" // a goroutine id
	actInspect       = "inspect"        // an object ref
	actSelectKey     = "select-key"     // an object key
)

// act is the data-act value for a click that does verb with arg.
func act(verb, arg string) string { return verb + ":" + arg }

// onAct is the root element's click handler: it does what the nearest
// data-act around the click says, if any.
func (p *Page) onAct(ctx app.Context, e app.Event) {
	t := e.Get("target")
	if !t.Truthy() || !t.Get("closest").Truthy() {
		return
	}
	el := t.Call("closest", "[data-act]")
	if !el.Truthy() {
		return
	}
	v := el.Get("dataset").Get("act").String()
	doc := app.Window().Get("document")
	focused := el.Equal(doc.Get("activeElement"))
	p.doAct(ctx, v)
	// A raw HTML list is drawn anew when it changes, which drops the
	// focus of a keyboard user who pressed a row's button: it goes back to
	// the button that does the same, if the new list has one.
	if focused {
		ctx.Defer(func(app.Context) {
			sel := `[data-act="` + app.Window().Get("CSS").Call("escape", v).String() + `"]`
			if el := doc.Call("querySelector", sel); el.Truthy() {
				el.Call("focus")
			}
		})
	}
}

// doAct does one data-act value; a value it does not know does nothing.
func (p *Page) doAct(ctx app.Context, v string) {
	verb, arg, _ := strings.Cut(v, ":")
	n, err := strconv.Atoi(arg)
	switch {
	case verb == actSelectKey:
		p.selectedKey = arg
	case err != nil: // the other verbs take a number
	case verb == actSeek:
		p.pause()
		p.seek(ctx, n)
	case verb == actStepGoroutine:
		p.stepGoroutine(ctx, n)
	case verb == actInspect:
		p.inspect = trace.ObjRef(n)
	}
}
