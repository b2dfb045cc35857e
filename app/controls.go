package ui

import (
	"fmt"
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// renderControls is the transport: start, back, play, step, end; the
// speed; where the cursor is; jump to a step; the timeline scrubber with
// its minimap; the breakpoints.
func (p *Page) renderControls() app.UI {
	tl := p.tl
	atEnd := tl.Ended() && tl.Cursor() == tl.Len()
	play := "Play"
	if p.playing || (p.live != nil && p.following) {
		play = "Pause"
	}
	return app.Section().ID("controls").Aria("label", "Controls").Body(
		app.Div().Class("transport").Body(
			app.Button().ID("btn-home").Text("Start").Title("To the start (Home)").
				Disabled(tl.Cursor() == 0).OnClick(func(ctx app.Context, e app.Event) { p.do(ctx, "home") }),
			app.Button().ID("btn-back").Text("◀ Back").Title("Step back (←)").
				Disabled(tl.Cursor() == 0).OnClick(func(ctx app.Context, e app.Event) { p.do(ctx, "back") }),
			app.Button().ID("btn-play").Class("primary").Text(play).Title("Play or pause (Space)").
				Disabled(atEnd && !p.playing && p.live == nil).OnClick(func(ctx app.Context, e app.Event) { p.do(ctx, "play") }),
			app.Button().ID("btn-step").Text("Step ▶").Title("Step (→)").
				Disabled(atEnd).OnClick(func(ctx app.Context, e app.Event) { p.do(ctx, "step") }),
			app.Button().ID("btn-end").Text("End").Title("Run to the end (End)").
				Disabled(atEnd).OnClick(func(ctx app.Context, e app.Event) { p.do(ctx, "end") }),
			app.Label().For("speed").Text("Speed"),
			app.Input().ID("speed").Type("range").Min(0).Max(maxSpeed).Value(p.speed).
				Aria("valuetext", speedLabel(p.speed)).
				OnInput(func(ctx app.Context, e app.Event) {
					n, _ := strconv.Atoi(ctx.JSSrc().Get("value").String())
					p.setSpeed(n)
				}),
			app.Span().ID("speed-label").Text(speedLabel(p.speed)),
		),
		app.Div().Class("position").Body(
			app.Span().ID("step").DataSet("step", tl.Cursor()).DataSet("len", tl.Len()).DataSet("busy", p.busy).
				Text(fmt.Sprintf("Step %d of %d%s", tl.Cursor(), tl.Len(), map[bool]string{true: "", false: "+"}[tl.Ended()])),
			app.Span().ID("time").Text("t = "+fmtTime(tl.Now())),
			app.Label().For("jump").Text("Go to step"),
			app.Input().ID("jump").Type("number").Min(0).Class("num").OnChange(func(ctx app.Context, e app.Event) {
				n, err := strconv.Atoi(ctx.JSSrc().Get("value").String())
				if err != nil || n < 0 {
					p.notice = "A step is a whole number from 0."
					return
				}
				p.pause()
				p.seek(ctx, n)
			}),
			app.If(p.stopped != "", app.Span().ID("stopped").Class("stopped").Text(p.stopped)),
			app.If(p.busy, app.Span().ID("busy").Text("running…"),
				app.Button().ID("btn-stop").Text("Stop").OnClick(func(ctx app.Context, e app.Event) { p.pause() })),
		),
		p.renderScrubber(),
		p.renderBreakpoints(),
	)
}

// fmtTime prints a virtual time compactly: 1.5s, 2m0s.
func fmtTime(d time.Duration) string {
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(10 * time.Millisecond).String()
}

// minimapBins is how many bars the minimap has.
const minimapBins = 80

// renderScrubber is a slider over every event recorded, over a minimap of
// where the visible events are dense: the busy stretches of the run.
func (p *Page) renderScrubber() app.UI {
	tl := p.tl
	n := tl.Len()
	// visibleBefore[i] counts the visible events among the first i; it
	// grows with the run, so each render costs the bins, not the events.
	if len(p.visibleBefore) > n+1 || len(p.visibleBefore) == 0 {
		p.visibleBefore = []int{0}
	}
	for i := len(p.visibleBefore) - 1; i < n; i++ {
		e, _ := tl.Event(i)
		v := p.visibleBefore[i]
		if visibleArea(e.Kind.Area()) {
			v++
		}
		p.visibleBefore = append(p.visibleBefore, v)
	}
	bins := make([]int, minimapBins)
	peak := 1
	if n > 0 {
		for b := range minimapBins {
			bins[b] = p.visibleBefore[(b+1)*n/minimapBins] - p.visibleBefore[b*n/minimapBins]
			peak = max(peak, bins[b])
		}
	}
	cursorBin := -1
	if n > 0 {
		cursorBin = min(tl.Cursor()*minimapBins/n, minimapBins-1)
	}
	heights := make([]int, len(bins))
	for i, b := range bins {
		heights[i] = 8 + 92*b/peak
	}
	return app.Div().ID("scrubber").Body(
		app.Raw(minimapHTML(heights, cursorBin)),
		app.Label().For("scrub").Class("sr-only").Text("Timeline"),
		app.Input().ID("scrub").Type("range").Min(0).Max(n).Value(tl.Cursor()).
			OnInput(func(ctx app.Context, e app.Event) {
				v, _ := strconv.Atoi(ctx.JSSrc().Get("value").String())
				p.pause()
				p.seek(ctx, v)
			}),
	)
}

func visibleArea(area string) bool { return area != "runtime" }

// renderBreakpoints lets the user stop a play at what matters.
func (p *Page) renderBreakpoints() app.UI {
	b := &p.bp
	check := func(id, label string, on *bool) app.UI {
		return app.Label().Body(
			app.Input().ID(id).Type("checkbox").Checked(*on).OnChange(func(ctx app.Context, e app.Event) {
				*on = ctx.JSSrc().Get("checked").Bool()
			}),
			app.Text(" "+label),
		)
	}
	summary := map[bool]string{true: "Breakpoints (set)", false: "Breakpoints"}[b.any()]
	return panel("breakpoints", summary, &p.breakpointsOpen, func() app.UI {
		return app.Div().Class("bp-grid").Body(
			app.Label().Body(app.Text("Key "), app.Input().ID("bp-key").Placeholder("default/a").Value(b.Key).
				OnChange(func(ctx app.Context, e app.Event) { b.Key = ctx.JSSrc().Get("value").String() })),
			app.Label().Body(app.Text("Delta type "), app.Select().ID("bp-delta").OnChange(func(ctx app.Context, e app.Event) {
				b.DeltaType = ctx.JSSrc().Get("value").String()
			}).Body(app.Range(deltaTypes).Slice(func(i int) app.UI {
				return app.Option().Value(deltaTypes[i]).Selected(deltaTypes[i] == b.DeltaType).Text(map[bool]string{true: "any", false: deltaTypes[i]}[deltaTypes[i] == ""])
			}))),
			check("bp-tombstone", "tombstone", &b.Tombstone),
			check("bp-relist", "relist", &b.Relist),
			check("bp-mutation", "mutation detected", &b.Mutation),
			app.Label().Body(app.Text("Backlog over "), app.Input().ID("bp-backlog").Type("number").Min(0).Class("num").Value(b.Backlog).
				OnChange(func(ctx app.Context, e app.Event) { b.Backlog, _ = strconv.Atoi(ctx.JSSrc().Get("value").String()) })),
			app.Label().Body(app.Text("Handler slower than "), app.Input().ID("bp-latency").Placeholder("500ms").
				Value(durationOrEmpty(b.Latency)).
				OnChange(func(ctx app.Context, e app.Event) {
					d, err := time.ParseDuration(ctx.JSSrc().Get("value").String())
					if err != nil {
						p.notice = "A latency is a duration, like 500ms or 2s."
						return
					}
					b.Latency = d
				})),
		)
	})
}

var deltaTypes = []string{"", "Added", "Updated", "Deleted", "Replaced", "Sync", "ReplacedAll", "SyncAll", "Bookmark"}

// minimapHTML draws the density bars, heights in percent, the cursor's bar
// marked. It is one fragment: go-app leaves it alone while the text is the
// same, which is most steps, and mounting its 80 bars as go-app nodes was
// a quarter of the page's first mount.
func minimapHTML(heights []int, here int) string {
	var b htmlBuilder
	b.open("div", "id", "minimap", "aria-hidden", "true")
	for i, h := range heights {
		class := "bar"
		if i == here {
			class = "bar here"
		}
		b.elem("span", "", "class", class, "style", "height: "+strconv.Itoa(h)+"%")
	}
	b.close("div")
	return b.String()
}
