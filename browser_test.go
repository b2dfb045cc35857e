//go:build !wasm

package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// requireBrowser, when set to 1 (make test sets it), turns a missing
// Chromium into a failure instead of a skip, so CI cannot pass without
// having run the page.
const requireBrowser = "INFORMERSCOPE_REQUIRE_BROWSER"

// queues is what the page shows of the demo, read from the DOM.
type queues struct {
	Step      string   `json:"step"`
	DeltaFIFO []string `json:"deltaFIFO"`
	RealFIFO  []string `json:"realFIFO"`
	DFSynced  string   `json:"dfSynced"`
	RFSynced  string   `json:"rfSynced"`
	DFPop     string   `json:"dfPop"`
	RFPop     string   `json:"rfPop"`
	Store     []string `json:"store"`
}

// readQueues is the JavaScript that fills a queues.
const readQueues = `(() => {
	const rows = sel => Array.from(document.querySelectorAll(sel), e => e.textContent);
	const text = sel => document.querySelector(sel).textContent;
	return {
		step: document.getElementById('step').dataset.step,
		deltaFIFO: rows('#deltafifo li'), realFIFO: rows('#realfifo li'),
		dfSynced: text('#deltafifo .synced'), rfSynced: text('#realfifo .synced'),
		dfPop: text('#deltafifo .pop'), rfPop: text('#realfifo .pop'),
		store: rows('#store li'),
	};
})()`

// wantQueues is the page after each of the first steps of the demo script
// (app/demo_script.go); wantQueues[0] is before the first step.
var wantQueues = []queues{
	{Step: "0", DFSynced: "HasSynced: false", RFSynced: "HasSynced: false", DFPop: "Last Pop: —", RFPop: "Last Pop: —"},
	{
		Step:      "1",
		DeltaFIFO: []string{"ns/a: Replaced a@1", "ns/b: Replaced b@2"},
		RealFIFO:  []string{"ReplacedAll ReplacedAllInfo{rv=2,[a@1 b@2]}"},
		DFSynced:  "HasSynced: false", RFSynced: "HasSynced: false",
		DFPop: "Last Pop: —", RFPop: "Last Pop: —",
	},
	{
		Step:      "2",
		DeltaFIFO: []string{"ns/a: Replaced a@1, Updated a@3", "ns/b: Replaced b@2"},
		RealFIFO:  []string{"ReplacedAll ReplacedAllInfo{rv=2,[a@1 b@2]}", "ns/a: Updated a@3"},
		DFSynced:  "HasSynced: false", RFSynced: "HasSynced: false",
		DFPop: "Last Pop: —", RFPop: "Last Pop: —",
	},
	{
		Step:      "3",
		DeltaFIFO: []string{"ns/b: Replaced b@2"},
		RealFIFO:  []string{"ns/a: Updated a@3"},
		DFSynced:  "HasSynced: false", RFSynced: "HasSynced: true",
		DFPop: "Last Pop: ns/a: Replaced a@1, Updated a@3 (isInInitialList=true)",
		RFPop: "Last Pop: ReplacedAll ReplacedAllInfo{rv=2,[a@1 b@2]} (isInInitialList=true)",
		Store: []string{"ns/a: a@3"},
	},
	{
		Step:     "4",
		DFSynced: "HasSynced: true", RFSynced: "HasSynced: true",
		DFPop: "Last Pop: ns/b: Replaced b@2 (isInInitialList=true)",
		RFPop: "Last Pop: ns/a: Updated a@3 (isInInitialList=false)",
		Store: []string{"ns/a: a@3", "ns/b: b@2"},
	},
	{
		Step:      "5",
		DeltaFIFO: []string{"ns/c: Added c@4"},
		RealFIFO:  []string{"ns/c: Added c@4"},
		DFSynced:  "HasSynced: true", RFSynced: "HasSynced: true",
		DFPop: "Last Pop: ns/b: Replaced b@2 (isInInitialList=true)",
		RFPop: "Last Pop: ns/a: Updated a@3 (isInInitialList=false)",
		Store: []string{"ns/a: a@3", "ns/b: b@2"},
	},
	{
		Step:      "6",
		DeltaFIFO: []string{"ns/c: Added c@4", "ns/a: Sync a@3", "ns/b: Sync b@2"},
		RealFIFO:  []string{"ns/c: Added c@4", "SyncAll SyncAllInfo{}"},
		DFSynced:  "HasSynced: true", RFSynced: "HasSynced: true",
		DFPop: "Last Pop: ns/b: Replaced b@2 (isInInitialList=true)",
		RFPop: "Last Pop: ns/a: Updated a@3 (isInInitialList=false)",
		Store: []string{"ns/a: a@3", "ns/b: b@2"},
	},
	{
		Step:      "7",
		DeltaFIFO: []string{"ns/c: Added c@4, Replaced c@4", "ns/a: Sync a@3, Replaced a@5", "ns/b: Sync b@2, Deleted DFSU{ns/b,b@2}"},
		RealFIFO:  []string{"ns/c: Added c@4", "SyncAll SyncAllInfo{}", "ReplacedAll ReplacedAllInfo{rv=6,[a@5 c@4]}"},
		DFSynced:  "HasSynced: true", RFSynced: "HasSynced: true",
		DFPop: "Last Pop: ns/b: Replaced b@2 (isInInitialList=true)",
		RFPop: "Last Pop: ns/a: Updated a@3 (isInInitialList=false)",
		Store: []string{"ns/a: a@3", "ns/b: b@2"},
	},
}

// TestBrowserStepsBothQueues loads the page in a real headless Chromium,
// steps the demo and checks both queues after every step, then steps back
// and resets.
func TestBrowserStepsBothQueues(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the browser test in -short mode")
	}
	chromium := findChromium(t)
	dir := buildSite(t)
	base := startServer(t, dir)
	ctx := newBrowser(t, chromium)

	// The server prerenders the page, so the buttons exist before the wasm
	// has mounted them; only data-ready="true", set in OnMount, says that
	// clicks now work.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		poll(`document.querySelector('#page[data-ready="true"]') !== null`, 60*time.Second),
	); err != nil {
		t.Fatalf("page did not become ready: %v", err)
	}
	checkQueues(t, ctx, wantQueues[0])

	for _, want := range wantQueues[1:] {
		click(t, ctx, "btn-step", want.Step)
		checkQueues(t, ctx, want)
	}
	screenshot(t, ctx)

	last := len(wantQueues) - 1
	click(t, ctx, "btn-back", wantQueues[last-1].Step)
	checkQueues(t, ctx, wantQueues[last-1])

	click(t, ctx, "btn-reset", "0")
	checkQueues(t, ctx, wantQueues[0])
}

// findChromium returns the Chromium to drive, or skips (fails, when
// INFORMERSCOPE_REQUIRE_BROWSER=1) if there is none.
func findChromium(t *testing.T) string {
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
func buildSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := copyDir(webDir, filepath.Join(dir, webDir)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute) // a cold build takes minutes on 2 cores
	defer cancel()
	goBuild(ctx, t, nil, filepath.Join(dir, "informerscope"))
	goBuild(ctx, t, []string{"GOOS=js", "GOARCH=wasm"}, filepath.Join(dir, webDir, "app.wasm"))
	return dir
}

func goBuild(ctx context.Context, t *testing.T, env []string, out string) {
	t.Helper()
	start := time.Now()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, ".")
	cmd.Env = append(os.Environ(), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v go build -o %s: %v\n%s", env, filepath.Base(out), err, b)
	}
	t.Logf("built %s in %v", filepath.Base(out), time.Since(start).Round(time.Millisecond))
}

// startServer runs the built server in dir on a free loopback port and
// returns its base URL once it answers. The server is killed when the test
// ends.
func startServer(t *testing.T, dir string) string {
	t.Helper()
	addr := freeAddr(t)
	var logs bytes.Buffer
	cmd := exec.Command(filepath.Join(dir, "informerscope"), "-addr", addr)
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
func freeAddr(t *testing.T) string {
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
func newBrowser(t *testing.T, chromium string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox, // required as root, which CI is
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
	)
	ctx, cancelTimeout := context.WithTimeout(context.Background(), 3*time.Minute)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
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

// click clicks the button with the given id and waits until the page shows
// step wantStep.
func click(t *testing.T, ctx context.Context, id, wantStep string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.ID(id)),
		poll(fmt.Sprintf(`document.getElementById('step').dataset.step === %q`, wantStep), 10*time.Second),
	)
	if err != nil {
		t.Fatalf("click #%s, want step %s: %v", id, wantStep, err)
	}
}

func checkQueues(t *testing.T, ctx context.Context, want queues) {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[queues](readQueues))
	if err != nil {
		t.Fatalf("reading the queues: %v", err)
	}
	// JSON gives [] for no rows; the table says nil.
	for _, s := range []*[]string{&got.DeltaFIFO, &got.RealFIFO, &got.Store} {
		if len(*s) == 0 {
			*s = nil
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("at step %s the page shows\n%+v\nwant\n%+v", want.Step, got, want)
	}
}

// screenshot saves the page as PNG among the test's artifacts (kept with
// go test -artifacts), for a human to look at the layout.
func screenshot(t *testing.T, ctx context.Context) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100 means PNG
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	path := filepath.Join(t.ArtifactDir(), "page.png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Error(err)
		return
	}
	t.Logf("screenshot: %s", path)
}
