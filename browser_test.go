//go:build !wasm

package main

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"

	"github.com/informerscope/informerscope/app/timeline"
	"github.com/informerscope/informerscope/assets"
	"github.com/informerscope/informerscope/informer/scenario"
	"github.com/informerscope/informerscope/internal/kubetest"
)

// requireBrowser, when set to 1 (make test sets it), turns a missing
// Chromium into a failure instead of a skip, so CI cannot pass without
// having run the page.
const requireBrowser = "INFORMERSCOPE_REQUIRE_BROWSER"

// TestBrowserPage loads the page in a real headless Chromium and drives it
// as a user would: step, step back, play and pause, a key, the help, a
// breakpoint hit, a permalink round trip, a broken link, and a trace file
// exported and imported again (and a broken one refused), at 1280x720
// without horizontal scrolling.
func TestBrowserPage(t *testing.T) {
	ctx, base := pageUnderTest(t)
	// Keep what the page offers for download, to import it again.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: keepBlobs,
	}); err != nil {
		t.Fatal(err)
	}

	open(t, ctx, base+"/")
	if got := stepOf(t, ctx); got != 0 {
		t.Fatalf("the page opens at step %d, want 0", got)
	}
	checkWasmFetchedEarly(t, ctx)

	// Step, step back.
	var steps []int
	for range 5 {
		clickAndWait(t, ctx, "btn-step", fmt.Sprintf(`+document.getElementById('step').dataset.step > %d`, stepOf(t, ctx)))
		steps = append(steps, stepOf(t, ctx))
	}
	announce := text(t, ctx, "#announce")
	if !strings.HasPrefix(announce, fmt.Sprintf("Step %d, at ", steps[4])) {
		t.Errorf("the live region says %q after step %d", announce, steps[4])
	}
	clickAndWait(t, ctx, "btn-back", fmt.Sprintf(`document.getElementById('step').dataset.step === '%d'`, steps[3]))

	// The keyboard: → steps, ? opens the help, Escape closes it.
	keys(t, ctx, kb.ArrowRight)
	waitFor(t, ctx, fmt.Sprintf(`document.getElementById('step').dataset.step === '%d'`, steps[4]))
	keys(t, ctx, "?")
	waitFor(t, ctx, `document.getElementById('help') !== null`)
	keys(t, ctx, kb.Escape)
	waitFor(t, ctx, `document.getElementById('help') === null`)

	// Play, then pause: the step stops moving.
	clickAndWait(t, ctx, "btn-play", fmt.Sprintf(`+document.getElementById('step').dataset.step > %d`, steps[4]+2))
	clickAndWait(t, ctx, "btn-play", `document.getElementById('btn-play').textContent === 'Play'`)
	paused := stepOf(t, ctx)
	time.Sleep(400 * time.Millisecond)
	if now := stepOf(t, ctx); now != paused {
		t.Errorf("after pause the step moved from %d to %d", paused, now)
	}

	// A row of the event log goes to its step; a runnable lane's step
	// button runs that goroutine alone, one more step.
	target := eval[float64](t, ctx, `+document.querySelector('#log-rows li:nth-child(3)').dataset.step`)
	if err := chromedp.Do(ctx, scrollTo("#log-rows li:nth-child(3) button"), chromedp.Click(chromedp.CSS("#log-rows li:nth-child(3) button")),
		poll(fmt.Sprintf(`document.getElementById('step').dataset.step === '%v'`, target), 10*time.Second)); err != nil {
		t.Fatalf("a log row did not go to its step %v: %v", target, err)
	}
	for range 30 { // on to a step where some goroutine can run
		if eval[bool](t, ctx, `document.querySelector('#lanes .lane-step') !== null`) {
			break
		}
		clickAndWait(t, ctx, "btn-step", fmt.Sprintf(`+document.getElementById('step').dataset.step > %d`, stepOf(t, ctx)))
	}
	// The page first goes to the end of the runtime step the cursor is in,
	// where the lanes may differ; a lane runnable there then steps.
	before := stepOf(t, ctx)
	moved := false
	for range 2 {
		// Clicked from script: the lanes sit below views that change height
		// as the page redraws, so a mouse click aimed where the button was
		// can miss it. Once, in a CI run, the step did not move after one.
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#lanes .lane-step').click()`),
			poll(fmt.Sprintf(`+document.getElementById('step').dataset.step > %d`, before), 10*time.Second)); err != nil {
			t.Fatalf("stepping a goroutine did not move the run: %v (notice %q)", err, text(t, ctx, "#notice"))
		}
		if !strings.Contains(text(t, ctx, "#notice"), "cannot run") {
			moved = true
			break
		}
		before = stepOf(t, ctx)
		run(t, ctx, chromedp.Click(chromedp.CSS("#notice button")))
	}
	if !moved {
		t.Error("no lane could be stepped")
	}

	// 1280x720 without horizontal scrolling.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 720)); err != nil {
		t.Fatal(err)
	}
	if wide := eval[bool](t, ctx, `document.documentElement.scrollWidth > document.documentElement.clientWidth`); wide {
		t.Errorf("the page scrolls sideways at 1280x720: scrollWidth %v", eval[float64](t, ctx, `document.documentElement.scrollWidth`))
	}
	screenshot(t, ctx, "page.png")

	// A breakpoint: run gone-410-relist as fast as possible, stopping at
	// the relist.
	open(t, ctx, base+"/?s=gone-410-relist")
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#breakpoints summary")),
		chromedp.Click(chromedp.ID("bp-relist")),
		chromedp.SetValue(chromedp.ID("speed"), "13"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('speed').dispatchEvent(new Event('input', {bubbles: true}))`),
	); err != nil {
		t.Fatal(err)
	}
	clickAndWait(t, ctx, "btn-play", `(document.getElementById('stopped') || {}).textContent?.includes('relist')`)
	if r := text(t, ctx, "#reflector-relist"); r == "none yet" {
		t.Errorf("stopped at the relist, but the reflector view says %q", r)
	}

	// A permalink opens exactly that moment, and the address bar follows.
	open(t, ctx, base+"/?s=bookmarks&seed=7&step=25")
	if got := stepOf(t, ctx); got != 25 {
		t.Errorf("the permalink opened step %d, want 25", got)
	}
	if seed := eval[string](t, ctx, `document.getElementById('seed').value`); seed != "7" {
		t.Errorf("the permalink's seed shows as %q", seed)
	}
	clickAndWait(t, ctx, "btn-step", `location.search.includes('step=') && !location.search.includes('step=25')`)
	link := eval[string](t, ctx, `location.href`)
	want := stepOf(t, ctx)
	// Copy link puts this moment in the address bar too.
	clickAndWait(t, ctx, "btn-share", fmt.Sprintf(`(document.getElementById('notice') || {}).textContent?.includes('on the clipboard') && new URLSearchParams(location.search).get('step') === '%d'`, want))
	open(t, ctx, link)
	if got := stepOf(t, ctx); got != want {
		t.Errorf("reopening %s gave step %d, want %d", link, got, want)
	}

	// A broken link says what is wrong, and the page still works.
	open(t, ctx, base+"/?s=no-such-lesson")
	if n := text(t, ctx, "#notice"); !strings.Contains(n, "does not have") {
		t.Errorf("a broken link's notice: %q", n)
	}
	clickAndWait(t, ctx, "btn-step", `+document.getElementById('step').dataset.step > 0`)

	// Export the run, open another, import the file: the run comes back
	// at its last step. A broken file is refused and changes nothing.
	for range 3 {
		clickAndWait(t, ctx, "btn-step", fmt.Sprintf(`+document.getElementById('step').dataset.step > %d`, stepOf(t, ctx)))
	}
	exported := stepOf(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("btn-export")), poll(`window.__lastBlob !== undefined`, 5*time.Second)); err != nil {
		t.Fatal(err)
	}
	file := eval[string](t, ctx, `window.__lastBlob.text()`, chromedp.EvalAwaitPromise)
	if !strings.Contains(file, `"format":"informerscope-trace"`) {
		t.Fatalf("the export is not a trace file: %.200s", file)
	}
	open(t, ctx, base+"/?s=streaming-list")
	importFile(t, ctx, file)
	waitFor(t, ctx, `(document.getElementById('notice') || {}).textContent?.startsWith('Opened a trace')`)
	if got := stepOf(t, ctx); got != exported {
		t.Errorf("the imported run is at step %d, want %d", got, exported)
	}
	importFile(t, ctx, `{"format":"informerscope-trace","version":99}`)
	waitFor(t, ctx, `(document.getElementById('notice') || {}).textContent?.includes('newer than this InformerScope')`)
	if got := stepOf(t, ctx); got != exported {
		t.Errorf("a refused file moved the run to step %d", got)
	}
}

// open loads url and waits until the wasm has mounted the page: the server
// prerenders it, so only data-ready="true", set in OnMount, says that
// clicks now work.
//
// The page being left may write its address bar while the new one loads
// (app/address.go writes it once the cursor rests); chromedp takes that
// same-document navigation for the end of the new one, and the poll then
// runs in a context the real navigation destroys. That one error is tried
// again.
func open(t testing.TB, ctx context.Context, url string) {
	t.Helper()
	for try := 1; ; try++ {
		err := chromedp.Do(ctx,
			chromedp.Navigate(url),
			poll(`document.querySelector('#page[data-ready="true"]') !== null`, 60*time.Second),
		)
		if err == nil {
			return
		}
		if try == 1 && strings.Contains(err.Error(), "Cannot find context with specified id") {
			t.Logf("%s: %v; navigating again", url, err)
			continue
		}
		t.Fatalf("%s did not become ready: %v", url, err)
	}
}

func stepOf(t testing.TB, ctx context.Context) int {
	t.Helper()
	return int(eval[float64](t, ctx, `+document.getElementById('step').dataset.step`))
}

func eval[T any](t testing.TB, ctx context.Context, js string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, opts...))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

func text(t testing.TB, ctx context.Context, sel string) string {
	t.Helper()
	return eval[string](t, ctx, fmt.Sprintf(`(document.querySelector(%q) || {}).textContent || ''`, sel))
}

func waitFor(t testing.TB, ctx context.Context, cond string) {
	t.Helper()
	if err := chromedp.Do(ctx, poll(cond, 20*time.Second)); err != nil {
		t.Fatalf("waiting for %s: %v", cond, err)
	}
}

// scrollTo brings the element into view first: the page does not lay out
// views off screen (content-visibility), and Chromium's click waits for
// the element to be visible, as a user would scroll to it.
func scrollTo(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).scrollIntoView({block: 'center'})`, sel))
}

// clickAndWait clicks the button with the given id and waits until cond
// holds.
func clickAndWait(t testing.TB, ctx context.Context, id, cond string) {
	t.Helper()
	if err := chromedp.Do(ctx, scrollTo("#"+id), chromedp.Click(chromedp.ID(id)), poll(cond, 20*time.Second)); err != nil {
		t.Fatalf("click #%s, then %s: %v", id, cond, err)
	}
}

func keys(t testing.TB, ctx context.Context, k string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(k)); err != nil {
		t.Fatalf("key %q: %v", k, err)
	}
}

// importFile hands text to the page's Import input as a chosen file.
func importFile(t testing.TB, ctx context.Context, text string) {
	t.Helper()
	chooseFile(t, ctx, "import", text)
}

// chooseFile hands text to the file input with the given id as a chosen
// file.
func chooseFile(t testing.TB, ctx context.Context, id, text string) {
	t.Helper()
	js := fmt.Sprintf(`(() => {
		const dt = new DataTransfer();
		dt.items.add(new File([%q], 'file.json', {type: 'application/json'}));
		const input = document.getElementById(%q);
		input.files = dt.files;
		input.dispatchEvent(new Event('change', {bubbles: true}));
	})()`, text, id)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](js)); err != nil {
		t.Fatal(err)
	}
}

// findChromium returns the Chromium to drive, or skips (fails, when
// INFORMERSCOPE_REQUIRE_BROWSER=1) if there is none.
func findChromium(t testing.TB) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "chromium"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	msg := "Chromium not found; install it (Debian: apt-get install -y chromium, or run hack/deps.sh as root)"
	if os.Getenv(requireBrowser) == "1" {
		t.Fatal(msg + "; " + requireBrowser + "=1 requires the browser test")
	}
	t.Skip(msg)
	return ""
}

// buildSite builds the server and app.wasm from the current sources into a
// temporary directory laid out as the server expects (web/ beside it), so
// the test works on a clean clone and never runs a stale web/app.wasm. With
// a warm build cache (make test builds the wasm first) both builds are
// mostly links.
func buildSite(t testing.TB) string {
	t.Helper()
	site.once.Do(func() {
		dir, err := os.MkdirTemp("", "informerscope-site-")
		if err != nil {
			site.err = err
			return
		}
		site.dir = dir
		if site.err = copyDir(webDir, filepath.Join(dir, webDir)); site.err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute) // a cold build takes minutes on 2 cores
		defer cancel()
		if site.err = goBuild(ctx, t, nil, filepath.Join(dir, "informerscope"), "."); site.err != nil {
			return
		}
		// As make wasm builds it, so that the tests load what ships.
		site.err = goBuild(ctx, t, []string{"GOOS=js", "GOARCH=wasm"}, filepath.Join(dir, webDir, "app.wasm"), ".", "-ldflags=-s -w")
	})
	if site.err != nil {
		t.Fatal(site.err)
	}
	return site.dir
}

// site is the one build of the server and app.wasm that every browser
// test and benchmark of this process shares; TestMain removes it.
var site struct {
	once sync.Once
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if site.dir != "" {
		os.RemoveAll(site.dir)
	}
	os.Exit(code)
}

// pageUnderTest is what most browser tests start from: the page's server
// (with flags, if any) and a fresh headless Chromium. It skips in -short
// mode, and without Chromium (fails when it is required).
func pageUnderTest(t testing.TB, flags ...string) (ctx context.Context, base string) {
	t.Helper()
	if testing.Short() {
		t.Skip("skipping the browser test in -short mode")
	}
	chromium := findChromium(t)
	base = startServer(t, buildSite(t), flags...)
	return newBrowser(t, chromium), base
}

func goBuild(ctx context.Context, t testing.TB, env []string, out, pkg string, flags ...string) error {
	start := time.Now()
	cmd := exec.CommandContext(ctx, "go", append(append([]string{"build"}, flags...), "-o", out, pkg)...)
	cmd.Env = append(os.Environ(), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%v go build -o %s: %v\n%s", env, filepath.Base(out), err, b)
	}
	t.Logf("built %s in %v", filepath.Base(out), time.Since(start).Round(time.Millisecond))
	return nil
}

// startServer runs the built server in dir on a free loopback port and
// returns its base URL once it answers. The server is killed when the test
// ends.
func startServer(t testing.TB, dir string, flags ...string) string {
	t.Helper()
	addr := freeAddr(t)
	var logs bytes.Buffer
	// Tests do not wait minutes for the best compression; a benchmark that
	// measures the transfer asks for it.
	if !slices.Contains(flags, "-best-compression=true") {
		flags = append(flags, "-best-compression=false")
	}
	cmd := exec.Command(filepath.Join(dir, "informerscope"), append([]string{"-addr", addr}, flags...)...)
	cmd.Dir = dir // the server serves ./web
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("server output:\n%s", logs.String())
		}
	})

	base := "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(base + "/")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return base
			}
			err = fmt.Errorf("status %s", res.Status)
		}
		if time.Now().After(deadline) {
			t.Fatalf("server on %s did not answer: %v\n%s", addr, err, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// freeAddr returns a loopback address with a port nothing listens on now.
func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// newBrowser starts a headless Chromium with a fresh profile (so no service
// worker or cache from an earlier run is in play) and no network chatter of
// its own. Every browser action is bounded by the returned context's
// deadline; the browser is closed when the test ends.
func newBrowser(t testing.TB, chromium string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox, // required as root, which CI is
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
		// Chromium puts its singleton socket in a directory under TMPDIR
		// (org.chromium.Chromium.*) and leaves it there when it is killed:
		// hundreds of them piled up in /tmp over a day of test runs. In the
		// test's own temporary directory they go with the test.
		chromedp.Env("TMPDIR="+t.TempDir()),
		chromedp.WindowSize(1200, 900),
	)
	limit := 3 * time.Minute
	if _, ok := t.(*testing.B); ok {
		limit = 15 * time.Minute // a benchmark may measure something slow
	}
	ctx, cancelTimeout := context.WithTimeout(context.Background(), limit)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	// The page's console and uncaught exceptions go to the test's log: a
	// failure in the wasm shows there.
	bctx, cancelBrowser := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf), chromedp.WithListener(func(ev any) {
		switch ev := ev.(type) {
		case *cdpruntime.EventConsoleAPICalled:
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, string(a.Value))
			}
			t.Logf("console.%s: %s", ev.Type, strings.Join(parts, " "))
		case *cdpruntime.EventExceptionThrown:
			t.Logf("exception: %s %s", ev.ExceptionDetails.Text, describeException(ev.ExceptionDetails))
		}
	}))
	t.Cleanup(func() {
		cancelBrowser() // closes the browser
		cancelAlloc()   // and waits for its process to exit
		cancelTimeout()
	})
	return bctx
}

// poll waits, at most timeout, for a JavaScript expression to be true.
func poll(expr string, timeout time.Duration) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expr,
		chromedp.WithPollingInterval(20*time.Millisecond),
		chromedp.WithPollingTimeout(timeout))
}

// screenshot saves the page as PNG among the test's artifacts (kept with
// go test -artifacts), for a human to look at the layout.
//
// The views and the log's rows are content-visibility: auto, so what lies
// below the viewport is not painted, and a full-page capture does not count
// as showing it. For the capture the viewport is made as tall as the page.
func screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	size := eval[[]int64](t, ctx, `[innerWidth, innerHeight, document.documentElement.scrollHeight]`)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(size[0], max(size[1], size[2])),
		chromedp.Evaluate[chromedp.Void](`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))`, chromedp.EvalAwaitPromise)); err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	defer func() {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(size[0], size[1])); err != nil {
			t.Errorf("screenshot: restoring the viewport: %v", err)
		}
	}()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100 means PNG
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	path := filepath.Join(t.ArtifactDir(), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Error(err)
		return
	}
	t.Logf("screenshot: %s", path)
}

// TestBrowserStaticSite writes the static site for a sub-path, as GitHub
// Pages serves a repository's site, serves it from a plain file server,
// and checks that the page loads there, opens a permalink, steps, and
// gets its service worker installed with nothing from the network.
func TestBrowserStaticSite(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the browser test in -short mode")
	}
	chromium := findChromium(t)
	dir := buildSite(t)
	site := filepath.Join(t.TempDir(), "site")
	cmd := exec.Command(filepath.Join(dir, "informerscope"), "-gen", site, "-prefix", "informerscope")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("writing the static site: %v\n%s", err, out)
	}
	srv := httptest.NewServer(pagesLike("/informerscope", site))
	t.Cleanup(srv.Close)
	ctx := newBrowser(t, chromium)

	// The page's head holds go-app's service worker back until the wasm has
	// mounted (server_head.go). go-app's ?wasm=false loads no wasm, so
	// nothing may register; unheld, go-app registers as app.js runs.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/informerscope/?wasm=false"),
		poll(`document.readyState === 'complete'`, 30*time.Second)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	if held := eval[bool](t, ctx, `navigator.serviceWorker.getRegistration().then(r => r === undefined)`, chromedp.EvalAwaitPromise); !held {
		t.Error("the service worker registered before the page mounted")
	}

	open(t, ctx, srv.URL+"/informerscope/?s=bookmarks&step=12")
	if got := stepOf(t, ctx); got != 12 {
		t.Errorf("the static site opened step %d, want 12", got)
	}
	checkWasmFetchedEarly(t, ctx)
	clickAndWait(t, ctx, "btn-step", `+document.getElementById('step').dataset.step > 12`)
	if err := chromedp.Do(ctx, poll(`navigator.serviceWorker.getRegistration().then(r => !!(r && r.active))`, 60*time.Second)); err != nil {
		t.Errorf("the service worker did not install from the static site: %v", err)
	}
}

// checkWasmFetchedEarly checks that go-app's loader used the app.wasm
// response the page's head started (server_head.go): one request for it,
// started before the HTML was parsed, so before any deferred script, such
// as go-app's app.js, could run. A path that did not match go-app's would
// show as a second, later request.
func checkWasmFetchedEarly(t *testing.T, ctx context.Context) {
	t.Helper()
	got := eval[string](t, ctx, `(() => {
		const wasm = performance.getEntriesByType('resource').filter(e => e.name.endsWith('/web/app.wasm'));
		const parsed = performance.getEntriesByType('navigation')[0].domInteractive;
		return wasm.length + ' request(s), the first ' + (wasm.length && wasm[0].startTime < parsed ? 'early' : 'late');
	})()`)
	if got != "1 request(s), the first early" {
		t.Errorf("app.wasm: %s; want one request, started while the page was parsed", got)
	}
}

// pagesLike serves dir under prefix the way GitHub Pages serves a
// project's site: the bare prefix redirects to prefix/, and a path without
// an extension is the .html page of that name.
func pagesLike(prefix, dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == prefix {
			http.Redirect(w, r, prefix+"/", http.StatusMovedPermanently)
			return
		}
		rest, ok := strings.CutPrefix(r.URL.Path, prefix+"/")
		if !ok {
			http.NotFound(w, r)
			return
		}
		if rest != "" && filepath.Ext(rest) == "" {
			rest += ".html"
		}
		r2 := r.Clone(r.Context())
		r2.URL.Path = "/" + rest
		files.ServeHTTP(w, r2)
	})
}

// TestBrowserViewsShowTheFold opens a known scenario at known steps and
// checks that every view shows what the trace's fold says at that step,
// computed here by running the same scenario natively: the run is
// deterministic, so the page and this test must agree to the letter.
func TestBrowserViewsShowTheFold(t *testing.T) {
	ctx, base := pageUnderTest(t)

	src, _ := assets.Scenario("relist-tombstones")
	s, err := scenario.Parse("relist-tombstones", src)
	if err != nil {
		t.Fatal(err)
	}
	tl := timeline.New(s)
	defer tl.Close()
	for _, step := range []int{40, 110, 180} {
		tl.Seek(step)
		if tl.Cursor() != step {
			t.Fatalf("the scenario has fewer than %d events", step)
		}
		snap := tl.Snapshot()
		open(t, ctx, fmt.Sprintf("%s/?s=relist-tombstones&step=%d", base, step))
		got := eval[viewText](t, ctx, readViews)

		want := viewText{
			Step:    strconv.Itoa(step),
			Server:  "resourceVersion " + snap.Servers["apiserver"].RV,
			Phase:   snap.Reflector("informer/reflector").Phase,
			RV:      orDash(snap.Reflector("informer/reflector").LastSyncResourceVersion),
			Queue:   fmt.Sprintf("%d entries", len(snap.Queue("informer/queue").Entries)),
			Items:   slices.Sorted(maps.Keys(snap.Store("informer/indexer").Items)),
			Lanes:   len(snap.Goroutines),
			Synced:  fmt.Sprintf("informer HasSynced %v", snap.Informer("informer").Synced),
			Objects: slices.Sorted(maps.Keys(snap.Servers["apiserver"].Resources["configmaps"].Objects)),
		}
		if want.Phase == "" {
			want.Phase = "not started"
		}
		if snap.Reflector("informer/reflector").Backoff != "" {
			want.Phase = "backing off"
		}
		for _, comp := range slices.Sorted(maps.Keys(snap.Listeners)) {
			l := snap.Listeners[comp]
			want.Rings = append(want.Rings, fmt.Sprintf("%s %d / %d", l.Handler, len(l.Ring), l.RingCap))
		}
		if got.Items == nil {
			got.Items = []string{}
		}
		if want.Items == nil {
			want.Items = []string{}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("at step %d the page shows\n%+v\nthe fold says\n%+v", step, got, want)
		}
		screenshot(t, ctx, fmt.Sprintf("relist-tombstones-step%d.png", step))

		// The last item opens in the inspector, as YAML with its name.
		if len(want.Items) > 0 {
			last := want.Items[len(want.Items)-1]
			name := last[strings.Index(last, "/")+1:]
			if err := chromedp.Do(ctx, scrollTo("#items tr:last-child .obj"), chromedp.Click(chromedp.CSS("#items tr:last-child .obj")),
				poll(`document.getElementById('inspector-body') !== null`, 10*time.Second)); err != nil {
				t.Fatal(err)
			}
			if body := text(t, ctx, "#inspector-body"); !strings.Contains(body, "name: "+name) {
				t.Errorf("at step %d the inspector shows %q for %s", step, body, last)
			}
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("inspector-close"))); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// viewText is what the views show, read from the DOM by readViews.
type viewText struct {
	Step    string   `json:"step"`
	Server  string   `json:"server"`
	Objects []string `json:"objects"`
	Phase   string   `json:"phase"`
	RV      string   `json:"rv"`
	Queue   string   `json:"queue"`
	Items   []string `json:"items"`
	Rings   []string `json:"rings"`
	Lanes   int      `json:"lanes"`
	Synced  string   `json:"synced"`
}

const readViews = `(() => {
	const text = sel => (document.querySelector(sel) || {}).textContent || '';
	return {
		step: document.getElementById('step').dataset.step,
		server: text('#server-rv'),
		objects: Array.from(document.querySelectorAll('#server-objects li .key'), e => e.textContent),
		phase: text('#reflector-phase'),
		rv: text('#reflector-rv'),
		queue: text('#queue-len'),
		items: Array.from(document.querySelectorAll('#items tr'), e => e.dataset.key),
		rings: Array.from(document.querySelectorAll('.listener'), e => e.dataset.handler + ' ' + e.querySelector('.ring-size').textContent),
		lanes: document.querySelectorAll('#lanes li').length,
		synced: text('#informer-synced'),
	};
})()`

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// TestBrowserLiveCluster points the page at the real kube-apiserver that
// make test starts, through the server's proxy: in live mode it shows a
// ConfigMap created on the cluster within 2 s, and drops a deleted one as
// fast.
func TestBrowserLiveCluster(t *testing.T) {
	cfg, env := kubetest.Env(t)
	ctx, base := pageUnderTest(t, "--kubeconfig", env["KUBECONFIG"])

	ns := fmt.Sprintf("live-%d", time.Now().UnixNano())
	kubetest.SeedConfigMaps(t, cfg, ns, 3)
	cms, err := dynamic.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	client := cms.Resource(schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}).Namespace(ns)

	open(t, ctx, base+"/")
	waitFor(t, ctx, `document.getElementById('cluster-name') !== null`)
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#live summary")),
		chromedp.Click(chromedp.ID("live-discover")),
		poll(`document.getElementById('live-resource') !== null`, 30*time.Second),
		chromedp.SetValue(chromedp.ID("live-ns"), ns),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('live-ns').dispatchEvent(new Event('change', {bubbles: true}))`),
	); err != nil {
		t.Fatalf("%v; the panel says %q", err, text(t, ctx, "#live"))
	}
	if r := eval[string](t, ctx, `document.getElementById('live-resource').value`); r != "configmaps (v1)" {
		t.Errorf("the resource picked first is %q", r)
	}
	clickAndWait(t, ctx, "live-connect", `(document.getElementById('informer-synced') || {}).textContent === 'informer HasSynced true'`)
	if n := eval[float64](t, ctx, `document.querySelectorAll('#items tr').length`); n != 3 {
		t.Errorf("after the initial list the indexer shows %v objects, want the 3 seeded", n)
	}

	o := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "made-live"}}}
	start := time.Now()
	if _, err := client.Create(context.Background(), o, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	row := fmt.Sprintf(`document.querySelector('#items tr[data-key="%s/made-live"]') !== null`, ns)
	if err := chromedp.Do(ctx, poll(row, 2*time.Second)); err != nil {
		t.Fatalf("the created ConfigMap did not show within 2 s: %v", err)
	}
	t.Logf("a created object showed after %v", time.Since(start).Round(time.Millisecond))
	start = time.Now()
	if err := client.Delete(context.Background(), "made-live", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, poll("!("+row+")", 2*time.Second)); err != nil {
		t.Fatalf("the deleted ConfigMap was still shown after 2 s: %v", err)
	}
	t.Logf("a deleted object went after %v", time.Since(start).Round(time.Millisecond))
	screenshot(t, ctx, "live.png")

	// The stream recorded meanwhile replays offline, deterministically, to
	// the same store.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: keepBlobs}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](keepBlobs), chromedp.Click(chromedp.ID("live-export")),
		poll(`window.__lastBlob !== undefined`, 5*time.Second)); err != nil {
		t.Fatal(err)
	}
	stream := eval[string](t, ctx, `window.__lastBlob.text()`, chromedp.EvalAwaitPromise)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("live-disconnect"))); err != nil {
		t.Fatal(err)
	}
	chooseFile(t, ctx, "live-import", stream)
	waitFor(t, ctx, `(document.getElementById('notice') || {}).textContent?.startsWith('Replaying a recorded stream')`)
	clickAndWait(t, ctx, "btn-end", `document.getElementById('btn-end').disabled`)
	if n := eval[float64](t, ctx, `document.querySelectorAll('#items tr').length`); n != 3 {
		t.Errorf("the replayed stream ends with %v objects, want the 3 seeded", n)
	}
}

// keepBlobs keeps what the page offers for download, to import it again.
const keepBlobs = `(() => { if (window.__kept) return; window.__kept = true; const orig = URL.createObjectURL; URL.createObjectURL = b => { window.__lastBlob = b; return orig(b); }; })()`

func describeException(d *cdpruntime.ExceptionDetails) string {
	if d.Exception != nil {
		return d.Exception.Description
	}
	return ""
}
