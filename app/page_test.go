package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/informerscope/informerscope/assets"
	"github.com/informerscope/informerscope/informer/trace"
)

// testedPage mounts a Page in go-app's client tester and returns it with a
// function that runs f on it as an event handler would, the page redrawn
// after.
func testedPage(t *testing.T) (*Page, func(f func(ctx app.Context))) {
	p := &Page{}
	d := app.NewClientTester(p)
	t.Cleanup(d.Close)
	return p, func(f func(ctx app.Context)) {
		d.Dispatch(app.Dispatch{Mode: app.Update, Source: p, Function: f})
		d.Consume()
	}
}

// drivenPage is testedPage with a function that runs an action by name
// (Page.do) as a key or button would.
func drivenPage(t *testing.T) (*Page, func(action string)) {
	p, run := testedPage(t)
	return p, func(action string) { run(func(ctx app.Context) { p.do(ctx, action) }) }
}

// The page mounts, steps through a whole library scenario, goes back and
// renders at every step without failing; the step counter follows.
func TestPageStepsThroughAScenario(t *testing.T) {
	p, do := drivenPage(t)
	for range 40 {
		do("step")
	}
	if p.tl.Cursor() == 0 {
		t.Fatal("forty steps did not move the cursor")
	}
	if html := app.HTMLString(p); !strings.Contains(html, fmt.Sprintf(`data-step="%d"`, p.tl.Cursor())) {
		t.Errorf("the page does not show step %d", p.tl.Cursor())
	}
	at := p.tl.Cursor()
	do("back")
	if p.tl.Cursor() >= at {
		t.Errorf("back from %d went to %d", at, p.tl.Cursor())
	}
	do("end")
	if !p.tl.Ended() || p.tl.Cursor() != p.tl.Len() {
		t.Errorf("end: cursor %d of %d, ended %v", p.tl.Cursor(), p.tl.Len(), p.tl.Ended())
	}
	if !strings.Contains(p.announce, "The run is over.") {
		t.Errorf("announce at the end: %q", p.announce)
	}
	if f := p.tl.Failures(); len(f) != 0 {
		t.Errorf("the default scenario's expectations: %v", f)
	}
	do("home")
	if p.tl.Cursor() != 0 || p.announce != "Step 0: nothing has happened yet." {
		t.Errorf("home: cursor %d, announce %q", p.tl.Cursor(), p.announce)
	}
}

// Every library scenario renders at its end, with every view, in HTML
// whose tags match.
func TestEveryScenarioRenders(t *testing.T) {
	for _, name := range assets.ScenarioNames() {
		p := &Page{}
		d := app.NewClientTester(p)
		d.Dispatch(app.Dispatch{Mode: app.Update, Source: p, Function: func(ctx app.Context) {
			p.pickScenario(ctx, name)
			p.end(ctx)
			p.inspect = 1
		}})
		d.Consume()
		if p.name != name || !p.tl.Ended() {
			t.Errorf("%s: name %q, ended %v", name, p.name, p.tl.Ended())
		}
		if f := p.tl.Failures(); len(f) != 0 {
			t.Errorf("%s: %v", name, f)
		}
		if u := unbalanced(app.HTMLString(p)); u != "" {
			t.Errorf("%s: the page's HTML is broken: %s", name, u)
		}
		d.Close()
	}
}

// A broken trace file, or a trace that its scenario does not reproduce,
// leaves the run as it was and says what is wrong.
func TestBadImportKeepsTheRun(t *testing.T) {
	p := &Page{}
	d := app.NewClientTester(p)
	defer d.Close()
	var before int
	d.Dispatch(app.Dispatch{Mode: app.Update, Source: p, Function: func(ctx app.Context) {
		for range 10 {
			p.step(ctx)
		}
		before = p.tl.Cursor()
		p.importTrace(ctx, `{"format":"informerscope-trace","version":1,"objects":[],"events":[{"kind":"Nope"}]}`)
	}})
	d.Consume()
	if p.tl.Cursor() != before || !strings.Contains(p.notice, "cannot be opened") || !strings.Contains(p.notice, "unchanged") {
		t.Errorf("cursor %d (was %d), notice %q", p.tl.Cursor(), before, p.notice)
	}
}

func TestKeys(t *testing.T) {
	for _, tc := range []struct {
		key   string
		shift bool
		want  string
	}{
		{" ", false, "play"}, {"ArrowRight", false, "step"}, {"ArrowLeft", false, "back"},
		{"ArrowRight", true, "next-of-key"}, {"ArrowLeft", true, "prev-of-key"},
		{"Home", false, "home"}, {"End", false, "end"}, {"[", false, "slower"}, {"]", false, "faster"},
		{"?", false, "help"}, {"Escape", false, "close"}, {"x", false, ""},
	} {
		if got := keyAction(tc.key, tc.shift); got != tc.want {
			t.Errorf("keyAction(%q, %v) = %q, want %q", tc.key, tc.shift, got, tc.want)
		}
	}
}

func TestBreakpoints(t *testing.T) {
	clock := handlerClock{}
	for _, tc := range []struct {
		bp   breakpoints
		e    trace.Event
		at   time.Duration
		want string
	}{
		{breakpoints{Key: "ns/a"}, trace.Event{Kind: trace.DeltaAppended, Key: "ns/a"}, 0, "an event about ns/a"},
		{breakpoints{Key: "ns/a"}, trace.Event{Kind: trace.QueueBatchPopped, Keys: []string{"ns/b", "ns/a"}}, 0, "an event about ns/a"},
		{breakpoints{Key: "ns/a"}, trace.Event{Kind: trace.DeltaAppended, Key: "ns/b"}, 0, ""},
		{breakpoints{DeltaType: "Deleted"}, trace.Event{Kind: trace.DeltaMerged, Type: "Deleted"}, 0, "a Deleted delta"},
		{breakpoints{DeltaType: "Deleted"}, trace.Event{Kind: trace.DeltaMerged, Type: "Added"}, 0, ""},
		{breakpoints{Tombstone: true}, trace.Event{Kind: trace.TombstoneMade, Key: "ns/a"}, 0, "a tombstone for ns/a"},
		{breakpoints{Relist: true}, trace.Event{Kind: trace.RelistNeeded, Reason: "410"}, 0, "a relist: 410"},
		{breakpoints{Mutation: true}, trace.Event{Kind: trace.MutationDetected}, 0, "a mutation of the cache"},
		{breakpoints{Backlog: 100}, trace.Event{Kind: trace.RingPushed, Count: 101}, 0, "a backlog over 100"},
		{breakpoints{Backlog: 100}, trace.Event{Kind: trace.RingPushed, Count: 100}, 0, ""},
		{breakpoints{Latency: time.Second}, trace.Event{Kind: trace.HandlerStarted, Comp: "l1"}, time.Second, ""},
		{breakpoints{Latency: time.Second}, trace.Event{Kind: trace.HandlerFinished, Comp: "l1"}, 2500 * time.Millisecond, "a handler call took 1.5s"},
		{breakpoints{}, trace.Event{Kind: trace.TombstoneMade}, 0, ""},
	} {
		if got := tc.bp.hit(tc.e, tc.at, nil, clock); got != tc.want {
			t.Errorf("%+v on %v: %q, want %q", tc.bp, tc.e.Kind, got, tc.want)
		}
	}
}

// Every kind of event has words of its own, not the fallback.
func TestDescribeEveryKind(t *testing.T) {
	l := labeler{}
	for k := trace.Kind(1); k < 255; k++ {
		if !k.Valid() || k.Area() == "runtime" {
			continue
		}
		s := describe(trace.Event{Kind: k, Comp: "informer/x"}, l)
		if s == k.String()+" x" {
			t.Errorf("%v has no description", k)
		}
	}
}

func TestSpeedLabels(t *testing.T) {
	if speedLabel(0) != "1 step every 4 s" || speedLabel(defaultSpeed) != "4 steps/s" || speedLabel(maxSpeed) != "as fast as possible" {
		t.Errorf("labels: %q %q %q", speedLabel(0), speedLabel(defaultSpeed), speedLabel(maxSpeed))
	}
}

// The aria-live region is the page's first child and says the step in
// words.
func TestAnnounceRegion(t *testing.T) {
	p := &Page{}
	d := app.NewClientTester(p)
	defer d.Close()
	d.Dispatch(app.Dispatch{Mode: app.Update, Source: p, Function: func(ctx app.Context) {
		for range 3 {
			p.step(ctx)
		}
	}})
	d.Consume()
	if !strings.HasPrefix(p.announce, "Step ") {
		t.Fatalf("announce: %q", p.announce)
	}
	if err := app.TestMatch(p, app.TestUIDescriptor{Path: app.TestPath(0, 0, 0), Expected: app.Text(p.announce)}); err != nil {
		t.Error(err)
	}
}

// A fault injected now joins the scenario at the current time and keeps
// the cursor; the compare pane follows the main run's time.
func TestFaultAndCompare(t *testing.T) {
	p := &Page{}
	d := app.NewClientTester(p)
	defer d.Close()
	var at int
	d.Dispatch(app.Dispatch{Mode: app.Update, Source: p, Function: func(ctx app.Context) {
		for range 40 {
			p.step(ctx)
		}
		at = p.tl.Cursor()
		p.injectFault(ctx, faultButtons[1].action) // drop connections
		p.compareTo(1 + p.tl.Scenario.Queue)       // another mode
		for range 15 {
			p.step(ctx)
		}
	}})
	d.Consume()
	if p.name != "" || p.tl.Cursor() <= at {
		t.Errorf("after the fault: name %q, cursor %d (was %d)", p.name, p.tl.Cursor(), at)
	}
	found := false
	for _, a := range p.tl.Scenario.Actions {
		found = found || a.Verb.String() == "drop-connections"
	}
	if !found {
		t.Errorf("the fault is not in the scenario: %+v", p.tl.Scenario.Actions)
	}
	if p.cmp == nil || p.cmp.Scenario.Queue == p.tl.Scenario.Queue {
		t.Fatal("no compare pane in another mode")
	}
	if p.cmp.Now() > p.tl.Now() {
		t.Errorf("the compare pane is at %v, past the main run's %v", p.cmp.Now(), p.tl.Now())
	}
	if _, next, ok := p.cmp.Next(); ok && next <= p.tl.Now() {
		t.Errorf("the compare pane stopped short: its next event is at %v, the main run at %v", next, p.tl.Now())
	}
}

// The minimap has a bar per bin, the tallest at full height, and marks the
// bar the cursor is in as the cursor moves.
func TestMinimap(t *testing.T) {
	p, do := drivenPage(t)
	bars := func() (all []string, here int) {
		html := app.HTMLString(p)
		start := strings.Index(html, `<div id="minimap"`)
		if start < 0 {
			t.Fatal("no minimap on the page")
		}
		frag := html[start : start+strings.Index(html[start:], "</div>")]
		here = -1
		for i, bar := range strings.Split(frag, "<span")[1:] {
			all = append(all, bar)
			if strings.Contains(bar, `class="bar here"`) {
				if here >= 0 {
					t.Errorf("bars %d and %d are both marked", here, i)
				}
				here = i
			}
		}
		return all, here
	}
	do("end")
	all, here := bars()
	if len(all) != minimapBins || here != minimapBins-1 {
		t.Fatalf("at the end: %d bars, the cursor's is %d; want %d, the last", len(all), here, minimapBins)
	}
	if !strings.Contains(strings.Join(all, ""), "height: 100%") {
		t.Error("no bar is at full height")
	}
	do("home")
	if _, here := bars(); here != 0 {
		t.Errorf("at step 0 the cursor's bar is %d, want 0", here)
	}
}

// The options and breakpoints panels build their forms only while open,
// and what was set in a form shows again when it is opened again.
func TestPanelsBuildWhenOpen(t *testing.T) {
	p, run := testedPage(t)
	set := func(f func()) { run(func(app.Context) { f() }) }
	forms := []string{`id="gate-`, `id="fault-`, `id="bp-relist"`, `id="bp-latency"`}
	has := func(want bool) {
		t.Helper()
		html := app.HTMLString(p)
		for _, f := range forms {
			if strings.Contains(html, f) != want {
				t.Errorf("open %v, %v: the page has %s: %v", p.optionsOpen, p.breakpointsOpen, f, !want)
			}
		}
	}
	has(false)
	set(func() { p.optionsOpen, p.breakpointsOpen = true, true })
	has(true)
	set(func() { p.bp.Latency = 1500 * time.Millisecond; p.optionsOpen, p.breakpointsOpen = false, false })
	has(false)
	if html := app.HTMLString(p); !strings.Contains(html, "Breakpoints (set)") {
		t.Error("a closed panel with a breakpoint set does not say so")
	}
	set(func() { p.optionsOpen, p.breakpointsOpen = true, true })
	if tag := tagWith(app.HTMLString(p), `id="bp-latency"`); !strings.Contains(tag, `value="1.5s"`) {
		t.Errorf("reopened, the latency breakpoint is not shown: %s", tag)
	}
}

// tagWith returns the start tag in html that holds attr (go-app writes
// attributes in no fixed order).
func tagWith(html, attr string) string {
	i := strings.Index(html, attr)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(html[:i], "<")
	return html[start : i+strings.Index(html[i:], ">")+1]
}
