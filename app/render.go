package ui

import (
	"fmt"
	"strconv"
	"sync"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/informerscope/informerscope/assets"
	"github.com/informerscope/informerscope/informer/scenario"
)

// Render lays the page out: the header with the scenario and its options,
// the transport controls and the timeline, the flow of the last step, the
// views of every structure, the event log, and the overlays.
func (p *Page) Render() app.UI {
	return app.Div().ID("page").DataSet("ready", p.ready).DataSet("theme", p.theme).OnClick(p.onAct).Body(
		// Each step in words, for screen readers.
		app.Div().ID("announce").Class("sr-only").Aria("live", "polite").Aria("atomic", "true").Text(p.announce),
		p.renderHeader(),
		when(p.notice != "", p.renderNotice),
		p.renderAbout(),
		p.renderControls(),
		p.renderOptions(),
		p.renderLive(),
		p.renderFlow(),
		p.renderCompare(),
		app.Main().Class("views").Body(
			p.viewSource(),
			p.viewReflector(),
			p.viewQueue(),
			p.viewIndexer(),
			p.viewProcessor(),
			p.viewLanes(),
			p.viewLog(),
		),
		p.renderExpectations(),
		when(p.inspect != 0, p.viewInspector),
		when(p.showHelp, p.renderHelp),
		when(p.showEditor, p.renderEditor),
	)
}

func (p *Page) renderHeader() app.UI {
	s := p.tl.Scenario
	names := assets.ScenarioNames()
	return app.Header().Body(
		app.H1().Text("InformerScope"),
		app.Label().For("scenario").Class("sr-only").Text("Scenario"),
		app.Select().ID("scenario").Title("Scenario").OnChange(func(ctx app.Context, e app.Event) {
			p.pickScenario(ctx, ctx.JSSrc().Get("value").String())
		}).Body(
			app.If(p.name == "", app.Option().Value("").Selected(true).Text("(edited) "+p.title())),
			app.Range(names).Slice(func(i int) app.UI {
				return app.Option().Value(names[i]).Selected(names[i] == p.name).Text(libraryTitles()[names[i]])
			}),
		),
		app.Button().ID("btn-edit").Text("Edit").Title("Edit the scenario").OnClick(func(ctx app.Context, e app.Event) {
			p.showEditor, p.editErrs = true, ""
		}),
		app.Label().For("seed").Text("Seed"),
		app.Input().ID("seed").Type("number").Min(0).Value(strconv.FormatUint(s.Seed, 10)).Class("num").
			OnChange(func(ctx app.Context, e app.Event) {
				seed, err := strconv.ParseUint(ctx.JSSrc().Get("value").String(), 10, 64)
				if err != nil {
					p.notice = "A seed is a whole number."
					return
				}
				p.setOption(ctx, seed, p.tl.Scenario.Queue)
			}),
		app.Label().For("queue").Text("Queue"),
		app.Select().ID("queue").OnChange(func(ctx app.Context, e app.Event) {
			p.setOption(ctx, p.tl.Scenario.Seed, queueModes[ctx.JSSrc().Get("value").String()])
		}).Body(
			app.Range(queueModeList).Slice(func(i int) app.UI {
				m := queueModeList[i]
				return app.Option().Value(m.String()).Selected(m == s.Queue).Text(queueModeText[m])
			}),
		),
		app.Span().Class("spacer"),
		app.Button().ID("btn-share").Text("Copy link").Title("Copy a link to this very step").OnClick(func(ctx app.Context, e app.Event) {
			u := p.momentURL(ctx)
			copyText(u.String())
			ctx.Page().ReplaceURL(u) // at once, not when the cursor has rested
			p.notice = "The link to this step is on the clipboard (and in the address bar)."
		}),
		app.Button().ID("btn-export").Text("Export").Title("Save this run as a trace file").OnClick(func(ctx app.Context, e app.Event) {
			p.exportTrace()
		}),
		app.Label().For("import").Class("button").Text("Import"),
		p.fileInput("import", p.importTrace),
		app.Button().ID("btn-theme").Text(map[bool]string{true: "Light", false: "Dark"}[p.theme == "dark"]).
			Title("Switch between light and dark").OnClick(func(ctx app.Context, e app.Event) { p.toggleTheme() }),
		app.Button().ID("btn-help").Text("?").Title("Help and keys (?)").Aria("label", "Help").
			OnClick(func(ctx app.Context, e app.Event) { p.showHelp = true }),
	)
}

// libraryTitles are the library's scenarios' titles by name, read once.
var libraryTitles = sync.OnceValue(func() map[string]string {
	titles := map[string]string{}
	for _, name := range assets.ScenarioNames() {
		src, _ := assets.Scenario(name)
		titles[name] = name
		if title := scenario.Title(src); title != "" {
			titles[name] = title
		}
	}
	return titles
})

// fileInput is a hidden file chooser (its label is the button) that hands
// the chosen file's text to open, or says why it could not be read.
func (p *Page) fileInput(id string, open func(ctx app.Context, text string)) app.UI {
	return app.Input().ID(id).Type("file").Accept(".json,application/json").Class("sr-only").OnChange(func(ctx app.Context, e app.Event) {
		readChosenFile(ctx.JSSrc(), func(text, errMsg string) {
			p.self().Dispatch(func(ctx app.Context) {
				if errMsg != "" {
					p.notice = "That file cannot be read: " + errMsg
					return
				}
				open(ctx, text)
			})
		})
	})
}

var queueModeList = []scenario.QueueMode{scenario.RealFIFO, scenario.RealFIFONonAtomic, scenario.DeltaFIFO}

var queueModeText = map[scenario.QueueMode]string{
	scenario.RealFIFO:          "RealFIFO (v0.37 default)",
	scenario.RealFIFONonAtomic: "RealFIFO, AtomicFIFO off",
	scenario.DeltaFIFO:         "DeltaFIFO (classic)",
}

func (p *Page) renderNotice() app.UI {
	return app.Div().ID("notice").Role("alert").Body(
		app.Span().Text(p.notice),
		app.Button().Text("Dismiss").OnClick(func(ctx app.Context, e app.Event) { p.notice = "" }),
	)
}

// renderAbout shows what the scenario teaches, folded away after a glance.
func (p *Page) renderAbout() app.UI {
	s := p.tl.Scenario
	return app.Details().ID("about").Open(p.tl.Cursor() == 0).Body(
		app.Summary().Text(p.title()),
		app.Range(s.About).Slice(func(i int) app.UI {
			if s.About[i] == "" {
				return app.Br()
			}
			return app.Span().Text(s.About[i] + " ")
		}),
	)
}

// renderExpectations shows, once the run is over, which of the scenario's
// expectations hold.
func (p *Page) renderExpectations() app.UI {
	if !p.tl.Ended() || p.tl.Cursor() < p.tl.Len() {
		return app.Div().ID("expectations").Hidden(true)
	}
	if err := p.tl.Err(); err != nil {
		return app.Div().ID("expectations").Class("bad").Text("The run broke: " + err.Error())
	}
	failures := p.tl.Failures()
	n := len(p.tl.Scenario.Expects)
	if len(failures) == 0 {
		return app.Div().ID("expectations").Class("good").Text(fmt.Sprintf("The run is over. All %d expectations of the scenario hold.", n))
	}
	return app.Div().ID("expectations").Class("bad").Body(
		app.P().Text(fmt.Sprintf("The run is over. %d of the scenario's checks do not hold:", len(failures))),
		app.Ul().Body(app.Range(failures).Slice(func(i int) app.UI { return app.Li().Text(failures[i]) })),
	)
}
