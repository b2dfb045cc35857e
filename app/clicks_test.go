package ui

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// What the page draws in data-act attributes is what a click does: a log
// row goes to its step, an object opens in the inspector, a key becomes
// the selected key. Values that mean nothing change nothing.
func TestDataActRoundTrips(t *testing.T) {
	p := &Page{}
	d := app.NewClientTester(p)
	defer d.Close()
	act := func(v string) {
		d.Dispatch(app.Dispatch{Mode: app.Update, Source: p, Function: func(ctx app.Context) { p.doAct(ctx, v) }})
		d.Consume()
	}
	for range 80 {
		d.Dispatch(app.Dispatch{Mode: app.Update, Source: p, Function: func(ctx app.Context) { p.do(ctx, "step") }})
		d.Consume()
	}
	first := func(verb string) string {
		t.Helper()
		m := regexp.MustCompile(`data-act="`+verb+`:([^"]+)"`).FindAllStringSubmatch(app.HTMLString(p), -1)
		if len(m) == 0 {
			t.Fatalf("the page at step %d draws no data-act %q", p.tl.Cursor(), verb)
		}
		return m[len(m)-1][1] // the log's oldest row: not the current step
	}

	step := first(actSeek)
	act(actSeek + ":" + step)
	if got := strconv.Itoa(p.tl.Cursor()); got != step {
		t.Errorf("seek:%s went to step %s", step, got)
	}
	ref := first(actInspect)
	act(actInspect + ":" + ref)
	if got := strconv.Itoa(int(p.inspect)); got != ref {
		t.Errorf("inspect:%s inspects %s", ref, got)
	}
	key := first(actSelectKey)
	act(actSelectKey + ":" + key)
	if p.selectedKey != key {
		t.Errorf("select-key:%s selected %q", key, p.selectedKey)
	}

	cursor, inspect := p.tl.Cursor(), p.inspect
	for _, v := range []string{"", "seek", "seek:", "seek:x", "inspect:1.5", "launch:1", ":3"} {
		act(v)
		if p.tl.Cursor() != cursor || p.inspect != inspect || p.selectedKey != key {
			t.Errorf("%q changed the page: cursor %d, inspect %d, key %q", v, p.tl.Cursor(), p.inspect, p.selectedKey)
		}
	}
}
