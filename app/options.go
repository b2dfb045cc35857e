package ui

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/informerscope/informerscope/informer/scenario"
)

// The options panel changes the scenario itself: gates, handlers'
// latency and resync, workload rates, and faults injected at the current
// time. Each change makes an edited scenario, which the URL carries, and
// runs it again; a fault keeps the cursor where it was.

// gateOptions are the gates a scenario may turn off (the queue gates go
// through the queue select).
var gateOptions = []struct{ name, text string }{
	{"WatchListClient", "WatchListClient: streaming list instead of LIST"},
	{"UnlockWhileProcessingFIFO", "UnlockWhileProcessingFIFO: the RealFIFO unlocked while processing"},
	{"InOrderInformersBatchProcess", "InOrderInformersBatchProcess: pop in batches"},
}

// faultButtons are the one-click faults, as scenario actions.
var faultButtons = []struct {
	id, text string
	action   scenario.Action
}{
	{"fault-close", "Close watches", scenario.Action{Verb: scenario.VerbCloseWatches}},
	{"fault-drop", "Drop connections", scenario.Action{Verb: scenario.VerbDropConnections}},
	{"fault-expire", "410 on next watch", scenario.Action{Verb: scenario.VerbExpireNextWatch}},
	{"fault-compact", "Compact", scenario.Action{Verb: scenario.VerbCompact}},
	{"fault-restart", "Restart server 3s", scenario.Action{Verb: scenario.VerbRestart, Duration: 3 * time.Second}},
	{"fault-delay", "Delay events 500ms", scenario.Action{Verb: scenario.VerbDelayEvents, Duration: 500 * time.Millisecond}},
}

// edit runs a changed copy of the scenario as an edited one, at step
// keep (0 for the start).
func (p *Page) edit(ctx app.Context, change func(s *scenario.Scenario), keep int) {
	s := cloneScenario(p.tl.Scenario)
	change(s)
	// The text must parse back: the URL and the editor carry it.
	text := scenario.Format(s)
	parsed, err := scenario.Parse("edited", text)
	if err != nil {
		p.notice = "That change makes the scenario invalid: " + err.Error()
		return
	}
	parsed.Title, parsed.About = s.Title, s.About
	p.load(parsed, "", text)
	p.tl.Seek(keep)
	p.afterMove(ctx)
}

// cloneScenario copies what edit changes.
func cloneScenario(s *scenario.Scenario) *scenario.Scenario {
	c := *s
	c.Gates = slices.Clone(s.Gates)
	c.Handlers = slices.Clone(s.Handlers)
	c.Actions = slices.Clone(s.Actions)
	for i, a := range c.Actions {
		if a.Workload != nil {
			w := *a.Workload
			c.Actions[i].Workload = &w
		}
	}
	return &c
}

// injectFault adds a fault at the current virtual time and runs on to
// the same step.
func (p *Page) injectFault(ctx app.Context, a scenario.Action) {
	at := p.tl.Now()
	p.edit(ctx, func(s *scenario.Scenario) {
		a.At = at
		if at > s.RunFor {
			a.At = s.RunFor
		}
		s.Actions = append(s.Actions, a)
		slices.SortStableFunc(s.Actions, func(x, y scenario.Action) int { return int(x.At - y.At) })
	}, p.tl.Cursor())
	p.notice = fmt.Sprintf("%s injected at t = %s: the scenario now carries it (see Edit, and the link).", a.Verb, fmtTime(at))
}

func (p *Page) renderOptions() app.UI {
	s := p.tl.Scenario
	var workloads []int
	for i, a := range s.Actions {
		if a.Verb == scenario.VerbWorkload {
			workloads = append(workloads, i)
		}
	}
	return panel("options", "Options: gates, handlers, workload, faults", &p.optionsOpen, func() app.UI {
		return app.Div().Class("options").Body(
			app.FieldSet().Body(
				app.Legend().Text("client-go gates (on by default)"),
				app.Range(gateOptions).Slice(func(i int) app.UI {
					g := gateOptions[i]
					on := !slices.Contains(s.Gates, g.name)
					return app.Label().Class("opt").Body(
						app.Input().Type("checkbox").ID("gate-"+g.name).Checked(on).OnChange(func(ctx app.Context, e app.Event) {
							want := ctx.JSSrc().Get("checked").Bool()
							p.edit(ctx, func(s *scenario.Scenario) {
								s.Gates = slices.DeleteFunc(s.Gates, func(n string) bool { return n == g.name })
								if !want {
									s.Gates = append(s.Gates, g.name)
								}
							}, 0)
						}),
						app.Text(" "+g.text),
					)
				}),
			),
			app.FieldSet().Body(
				app.Legend().Text("Handlers"),
				app.If(s.Plain, app.P().Class("meta").Text("A plain informer's one handler.")),
				app.Range(s.Handlers).Slice(func(i int) app.UI { return p.handlerOptions(i) }),
			),
			app.FieldSet().Body(
				app.Legend().Text("Workload"),
				app.Range(workloads).Slice(func(j int) app.UI {
					i := workloads[j]
					w := s.Actions[i].Workload
					return app.Label().Class("opt").Body(
						app.Text(fmt.Sprintf("from t = %s for %s, ops/s ", fmtTime(s.Actions[i].At), w.For)),
						app.Input().Type("number").Class("num").ID(fmt.Sprintf("workload-rate-%d", j)).Min(1).
							Value(strconv.FormatFloat(w.Rate, 'g', -1, 64)).
							OnChange(func(ctx app.Context, e app.Event) {
								r, err := strconv.ParseFloat(ctx.JSSrc().Get("value").String(), 64)
								if err != nil || r <= 0 {
									p.notice = "A rate is a positive number of operations a second."
									return
								}
								p.edit(ctx, func(s *scenario.Scenario) { s.Actions[i].Workload.Rate = r }, 0)
							}),
					)
				}),
				app.If(len(workloads) == 0, app.Button().ID("workload-add").Text("Add a workload: 20 ops/s for 10s from now").
					OnClick(func(ctx app.Context, e app.Event) {
						at := p.tl.Now()
						p.edit(ctx, func(s *scenario.Scenario) {
							s.Actions = append(s.Actions, scenario.Action{At: at, Verb: scenario.VerbWorkload, Workload: &scenario.Workload{
								Rate: 20, For: 10 * time.Second, Create: 2, Update: 5, Delete: 1, Namespaces: []string{"default"}, Objects: 50, Burst: 1,
							}})
							slices.SortStableFunc(s.Actions, func(x, y scenario.Action) int { return int(x.At - y.At) })
							s.RunFor = max(s.RunFor, at+11*time.Second)
						}, p.tl.Cursor())
					})),
			),
			app.FieldSet().Body(
				app.Legend().Text("Faults, now (t = "+fmtTime(p.tl.Now())+")"),
				app.Range(faultButtons).Slice(func(i int) app.UI {
					f := faultButtons[i]
					return app.Button().ID(f.id).Text(f.text).OnClick(func(ctx app.Context, e app.Event) { p.injectFault(ctx, f.action) })
				}),
			),
		)
	})
}

func (p *Page) handlerOptions(i int) app.UI {
	h := p.tl.Scenario.Handlers[i]
	resync := ""
	if h.Resync != nil {
		resync = h.Resync.String()
	}
	setDuration := func(what string, set func(h *scenario.Handler, d time.Duration)) func(ctx app.Context, e app.Event) {
		return func(ctx app.Context, e app.Event) {
			v := ctx.JSSrc().Get("value").String()
			d, err := time.ParseDuration(v)
			if v == "" {
				d, err = 0, nil
			}
			if err != nil || d < 0 {
				p.notice = "A " + what + " is a duration, like 500ms or 2s."
				return
			}
			p.edit(ctx, func(s *scenario.Scenario) { set(&s.Handlers[i], d) }, 0)
		}
	}
	return app.Div().Class("opt").Body(
		app.Strong().Text(h.Name+" "),
		app.Label().Body(app.Text("latency "), app.Input().ID("handler-latency-"+h.Name).Class("num").Placeholder("0s").
			Value(durationOrEmpty(h.Latency)).
			OnChange(setDuration("latency", func(h *scenario.Handler, d time.Duration) { h.Latency = d }))),
		app.If(!p.tl.Scenario.Plain, app.Label().Body(app.Text(" resync "), app.Input().ID("handler-resync-"+h.Name).Class("num").Placeholder("informer's").
			Value(resync).
			OnChange(setDuration("resync period", func(h *scenario.Handler, d time.Duration) {
				if d == 0 {
					h.Resync = nil
				} else {
					h.Resync = &d
				}
			})))),
	)
}
