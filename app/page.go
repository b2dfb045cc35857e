package ui

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/informerscope/informerscope/app/timeline"
	"github.com/informerscope/informerscope/assets"
	"github.com/informerscope/informerscope/informer/recording"
	"github.com/informerscope/informerscope/informer/scenario"
	"github.com/informerscope/informerscope/informer/trace"
)

// defaultScenario is what the page opens with when the URL names none.
const defaultScenario = "add-update-delete"

// Page is the root component: one scenario's run, the controls that move
// through it, and the views of its state at the cursor.
//
// The server prerenders it, and that HTML is not interactive until the wasm
// has mounted the component. ready is set in OnMount, which only runs in the
// browser, so data-ready="true" tells a test (or a script) that clicks now
// do something.
type Page struct {
	app.Compo
	ready bool

	tl *timeline.Timeline
	// cmp, when open, is the same scenario in another queue mode, kept at
	// the main run's virtual time (compare.go).
	cmp  *timeline.Timeline
	name string // the library scenario shown, "" for an edited one
	src  string // the scenario's text as loaded or edited

	// notice is a message for the user (a broken link or file, a fork
	// that failed); it never replaces what is shown.
	notice string

	playing bool
	playGen int // bumps on every play and pause, so stale ticks stop
	// busy: a long run forward is going on in chunks (runTo); busyGen
	// bumps to cancel it; busyDrawn is when its progress was last drawn.
	busy      bool
	busyGen   int
	busyDrawn time.Time
	speed     int
	lastTick  time.Time
	budget    float64
	bp        breakpoints
	clock     handlerClock
	stopped   string // why the last play stopped at a breakpoint

	// selectedKey is the object key Shift+arrows move between; inspect
	// the object shown in the inspector.
	selectedKey string
	inspect     trace.ObjRef
	inspectJSON bool

	hidden     map[string]bool // event log areas hidden
	showHelp   bool
	showEditor bool
	editErrs   string
	theme      string
	reduced    bool // prefers-reduced-motion
	byIndex    [2]string
	// Whether the options and the breakpoints panels are open (panel).
	optionsOpen, breakpointsOpen bool
	// mounted is the page's own context, from OnMount (see home).
	mounted app.Context
	// addressGen bumps each time the address is asked to follow the
	// cursor, so that only the last of a burst writes it (address.go).
	addressGen int
	// announce is what the aria-live region says about the last step.
	announce string
	// visibleBefore is the minimap's running count (see renderScrubber).
	visibleBefore []int

	// Live mode (live.go): the server's cluster, what it serves, what the
	// user picked, and the running session; following keeps the cursor at
	// the live edge (Pause holds it).
	cluster                        *clusterInfo
	clusterMsg                     string
	resources                      []apiResource
	pick                           apiResource
	liveNS, liveLabels, liveFields string
	live                           *liveSession
	liveGen                        int
	following                      bool
	lastRecording                  *recording.Recording
}

// OnInit builds the default scenario on both sides, so the prerendered
// page already shows its first state.
func (p *Page) OnInit() {
	p.speed = defaultSpeed
	p.hidden = map[string]bool{"runtime": true}
	p.clock = handlerClock{}
	p.theme = "light"
	p.loadLibrary(defaultScenario, link{})
	Mark("init")
}

// OnMount runs once the component is live in the browser.
func (p *Page) OnMount(ctx app.Context) {
	p.ready, p.mounted = true, ctx
	Mark("mounted")
	releaseServiceWorker()
	exposeMemory()
	tuneGC()
	// After the first frame: the request's first use of net/http would
	// otherwise hold the page back from answering for 10-40 ms.
	ctx.Defer(p.askCluster)
	p.reduced = prefersReducedMotion()
	if prefersDark() {
		p.theme = "dark"
		setTheme(p.theme)
	}
	app.Window().AddEventListener("keydown", p.onKey)
	showReady() // last: everything above is in place
}

// OnNav opens what the URL says: a scenario, options and a step.
func (p *Page) OnNav(ctx app.Context) {
	u := ctx.Page().URL()
	if u.RawQuery == "" {
		return
	}
	l, err := parseLink(u.RawQuery)
	if err != nil {
		p.notice = err.Error() + ". Showing " + p.title() + " instead."
		return
	}
	s, src, err := l.scenario()
	if err != nil {
		p.notice = "The link's scenario has errors: " + err.Error()
		return
	}
	p.load(s, l.Name, src)
	p.seek(ctx, l.Step)
}

func (p *Page) OnDismount() {
	p.disconnect()
	if p.tl != nil {
		p.tl.Close()
	}
	if p.cmp != nil {
		p.cmp.Close()
	}
}

func (p *Page) title() string {
	if p.tl == nil {
		return ""
	}
	if t := p.tl.Scenario.Title; t != "" {
		return t
	}
	return p.tl.Scenario.Name
}

// loadLibrary opens a scenario of the library.
func (p *Page) loadLibrary(name string, over link) {
	src, ok := assets.Scenario(name)
	if !ok {
		p.notice = fmt.Sprintf("There is no scenario %q.", name)
		return
	}
	over.Name = name
	s, _, err := over.scenario()
	if err != nil {
		p.notice = err.Error()
		return
	}
	p.load(s, name, src)
}

// load replaces the run with a new one of s, at step 0.
func (p *Page) load(s *scenario.Scenario, name, src string) {
	p.setRun(timeline.New(s), name, src)
}

// setRun makes tl the page's run: whatever ran before (a live session, the
// simulation, the compare pane) stops, and what belonged to it goes.
// Every way of opening a run goes through here.
func (p *Page) setRun(tl *timeline.Timeline, name, src string) {
	p.disconnect()
	p.pause()
	if p.tl != nil {
		p.tl.Close()
	}
	if p.cmp != nil {
		p.cmp.Close()
		p.cmp = nil
	}
	p.tl, p.name, p.src = tl, name, src
	p.visibleBefore = nil
	p.inspect, p.selectedKey, p.stopped, p.announce = 0, "", "", ""
	p.clock = handlerClock{}
}

// link is the permalink of what is shown now.
func (p *Page) link() link {
	l := link{Step: p.tl.Cursor()}
	if p.name != "" {
		l.Name = p.name
		if base, _, err := (link{Name: p.name}).scenario(); err == nil {
			if base.Seed != p.tl.Scenario.Seed {
				seed := p.tl.Scenario.Seed
				l.Seed = &seed
			}
			if base.Queue != p.tl.Scenario.Queue {
				l.Queue = p.tl.Scenario.Queue.String()
			}
		}
	} else {
		l.Src = scenario.Format(p.tl.Scenario)
	}
	return l
}

// afterMove updates what depends on the cursor: the announcement and the
// URL, so that a reload or a copied link opens this very step.
func (p *Page) afterMove(ctx app.Context) {
	if n := p.tl.Cursor(); n > 0 {
		e, at := p.tl.Event(n - 1)
		p.announce = fmt.Sprintf("Step %d, at %v: %s", n, at, describe(e, p.labels()))
	} else {
		p.announce = "Step 0: nothing has happened yet."
	}
	if p.tl.Ended() && p.tl.Cursor() == p.tl.Len() {
		p.announce += " The run is over."
	}
	p.syncCompare()
	if ctx != nil && p.ready && !p.playing && !p.busy {
		p.followAddress()
	}
}

// self is the context work that outlives an event goes through: timers,
// goroutines and what they dispatch back. An event's own context belongs
// to the element that had the event, and go-app drops what is dispatched
// to an element that a render has since replaced.
func (p *Page) self() app.Context { return p.mounted }

func (p *Page) labels() labeler { return labeler{objects: p.tl.Objects()} }

// Moving.

func (p *Page) step(ctx app.Context) {
	p.following = false
	p.tl.Step()
	p.afterMove(ctx)
}

func (p *Page) back(ctx app.Context) {
	p.pause()
	p.following = false
	p.tl.Back()
	p.afterMove(ctx)
}

func (p *Page) seek(ctx app.Context, i int) {
	p.busyGen++
	p.busy = false
	if i > p.tl.Len() {
		p.runTo(ctx, i, p.busyGen)
		return
	}
	p.tl.Seek(i)
	p.afterMove(ctx)
}

// chunk is how many events runTo moves between two looks at the clock;
// busyBudget how long it runs before letting the browser breathe, and
// busyRedraw how often it shows its progress.
const (
	chunk      = 200
	busyBudget = 40 * time.Millisecond
	busyRedraw = 250 * time.Millisecond
)

// runTo moves the cursor to step target (or the end of the run), running
// the simulation in slices of a frame's budget, so that the page stays
// responsive and shows its progress; a later move cancels it.
func (p *Page) runTo(ctx app.Context, target, gen int) {
	if gen != p.busyGen {
		return
	}
	deadline := time.Now().Add(busyBudget)
	for p.tl.Cursor() < target && time.Now().Before(deadline) {
		next := min(target, p.tl.Cursor()+chunk)
		p.tl.Seek(next)
		if p.tl.Cursor() < next {
			break // the run ended
		}
	}
	done := p.tl.Cursor() >= target || (p.tl.Ended() && p.tl.Cursor() == p.tl.Len())
	p.busy = !done
	if !done && time.Since(p.busyDrawn) < busyRedraw {
		// Drawing every slice of a long run would take longer than the
		// run: the progress is drawn a few times a second.
		ctx.PreventUpdate()
	} else {
		p.busyDrawn = time.Now()
		p.afterMove(ctx)
	}
	if !done && p.mounted != nil { // not when prerendering on the server
		p.self().After(time.Millisecond, func(ctx app.Context) { p.runTo(ctx, target, gen) })
	}
}

func (p *Page) home(ctx app.Context) { p.pause(); p.seek(ctx, 0) }

// end runs to the end of the scenario.
func (p *Page) end(ctx app.Context) {
	p.pause()
	p.seek(ctx, 1<<31-1)
}

// nextOfKey moves to the next (dir 1) or previous (dir -1) event about the
// selected key.
func (p *Page) nextOfKey(ctx app.Context, dir int) {
	if p.selectedKey == "" {
		p.notice = "Select an object first (click a key), then Shift+←/→ move between its events."
		return
	}
	p.pause()
	about := func(i int) bool {
		e, _ := p.tl.Event(i)
		return e.Key == p.selectedKey || containsKey(e.Keys, p.selectedKey)
	}
	if dir < 0 {
		for i := p.tl.Cursor() - 2; i >= 0; i-- {
			if about(i) {
				p.seek(ctx, i+1)
				return
			}
		}
		return
	}
	for p.tl.Forward() {
		if about(p.tl.Cursor() - 1) {
			break
		}
	}
	p.afterMove(ctx)
}

// stepGoroutine runs one step of the chosen goroutine from the cursor.
func (p *Page) stepGoroutine(ctx app.Context, id int) {
	p.pause()
	// A goroutine can be chosen only between runtime steps: first to the
	// end of the step the cursor is in, where the lanes may differ.
	if end := p.tl.StepEnd(); end != p.tl.Cursor() {
		p.tl.Seek(end)
		if g := p.tl.Snapshot().Goroutines; id > len(g) || g[id-1].State != "runnable" {
			p.notice = "At the end of this runtime step that goroutine cannot run; the lanes now show which can."
			p.afterMove(ctx)
			return
		}
	}
	if err := p.tl.StepGoroutine(id); err != nil {
		p.notice = "Could not step that goroutine: " + err.Error()
		return
	}
	p.notice = ""
	p.visibleBefore = nil // the events after the cursor changed
	p.afterMove(ctx)
}

// Playing.

func (p *Page) togglePlay(ctx app.Context) {
	if p.live != nil {
		// Live, the cluster sets the pace: Pause holds the view while
		// events pile up; Play follows the live edge again.
		p.following = !p.following
		if p.following {
			p.tl.Seek(p.tl.Len())
			p.afterMove(ctx)
		}
		return
	}
	if p.playing {
		p.pause()
		return
	}
	if p.tl.Ended() && p.tl.Cursor() == p.tl.Len() {
		return
	}
	p.playing, p.stopped = true, ""
	p.playGen++
	p.lastTick, p.budget = time.Now(), 1 // the first step comes at once
	p.tick(ctx, p.playGen)
}

func (p *Page) pause() {
	if p.playing {
		p.playing = false
		p.playGen++
	}
	p.busyGen++ // and stop a long run forward
	p.busy = false
}

// frame is how often a playing page moves; frameBudget how long one frame
// may spend stepping at full speed, leaving the rest for drawing.
const (
	frame       = 33 * time.Millisecond
	frameBudget = 15 * time.Millisecond
)

// tick moves as many steps as the speed gives for the time since the last
// tick, stopping at a breakpoint or the end, then schedules the next.
func (p *Page) tick(ctx app.Context, gen int) {
	if gen != p.playGen || !p.playing {
		return
	}
	if collectIfDue() { // this frame's task was the collection's
		p.self().After(frame, func(ctx app.Context) { p.tick(ctx, gen) })
		return
	}
	now := time.Now()
	r := rate(p.speed)
	p.budget += r * now.Sub(p.lastTick).Seconds()
	p.lastTick = now
	deadline := now.Add(frameBudget)
	for (r == 0 && time.Now().Before(deadline)) || (r > 0 && p.budget >= 1 && time.Now().Before(deadline)) {
		p.budget--
		if !p.tl.Step() {
			p.pause()
			break
		}
		e, at := p.tl.Event(p.tl.Cursor() - 1)
		if why := p.bp.hit(e, at, p.tl.Snapshot(), p.clock); why != "" {
			p.stopped = "Paused at a breakpoint: " + why + "."
			p.pause()
			break
		}
	}
	p.budget = min(p.budget, 2) // a slow frame must not cause a burst later
	p.afterMove(ctx)
	if p.playing {
		p.self().After(frame, func(ctx app.Context) { p.tick(ctx, gen) })
	}
}

func (p *Page) setSpeed(level int) {
	p.speed = min(max(level, 0), maxSpeed)
}

// Scenarios, sharing, files.

func (p *Page) pickScenario(ctx app.Context, name string) {
	p.notice = ""
	p.loadLibrary(name, link{})
	p.afterMove(ctx)
}

// applyEdit loads the edited text if it parses; otherwise it keeps the
// run and shows the errors with their lines.
func (p *Page) applyEdit(ctx app.Context, text string) {
	s, err := scenario.Parse("edited", text)
	if err != nil {
		p.editErrs = err.Error()
		return
	}
	p.editErrs, p.showEditor = "", false
	p.load(s, "", text)
	p.afterMove(ctx)
}

// setOption changes the seed or the queue and starts over, at step 0.
func (p *Page) setOption(ctx app.Context, seed uint64, queue scenario.QueueMode) {
	s := *p.tl.Scenario
	s.Seed, s.Queue = seed, queue
	p.load(&s, p.name, p.src)
	p.afterMove(ctx)
}

// momentURL is the page's address with the link to this moment.
func (p *Page) momentURL(ctx app.Context) *url.URL {
	u := *ctx.Page().URL()
	u.RawQuery = p.link().encode()
	return &u
}

func (p *Page) exportTrace() {
	var b bytes.Buffer
	if err := p.tl.Trace().Encode(&b); err != nil {
		p.notice = "Could not export the trace: " + err.Error()
		return
	}
	name := p.name
	if name == "" {
		name = "edited"
	}
	download(fmt.Sprintf("informerscope-%s-seed%d.json", name, p.tl.Scenario.Seed), "application/json", b.Bytes())
}

// importTrace opens a trace file's run; a broken file leaves the current
// run as it is and says what is wrong.
func (p *Page) importTrace(ctx app.Context, text string) {
	tr, err := trace.Decode(strings.NewReader(text))
	if err != nil {
		p.notice = "That file cannot be opened: " + err.Error() + ". The current run is unchanged."
		return
	}
	tl, err := timeline.FromTrace(tr)
	if err != nil {
		p.notice = "That trace cannot be replayed: " + err.Error() + ". The current run is unchanged."
		return
	}
	p.setRun(tl, "", tr.Scenario)
	p.notice = fmt.Sprintf("Opened a trace of %d events.", len(tr.Events))
	p.tl.Seek(len(tr.Events))
	p.afterMove(ctx)
}

func (p *Page) toggleTheme() {
	if p.theme == "dark" {
		p.theme = "light"
	} else {
		p.theme = "dark"
	}
	setTheme(p.theme)
}
