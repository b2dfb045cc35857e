//go:build !wasm

package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	ui "github.com/informerscope/informerscope/app"
	"github.com/informerscope/informerscope/internal/kubetest"
)

// perfProbe counts animation frames and records long tasks, from the
// moment the page loads: the page's own view of its smoothness.
const perfProbe = `(() => {
	window.__frames = 0;
	const tick = () => { window.__frames++; requestAnimationFrame(tick); };
	requestAnimationFrame(tick);
	window.__long = [];
	new PerformanceObserver(l => l.getEntries().forEach(e => window.__long.push(e.duration)))
		.observe({type: 'longtask', buffered: true});
})()`

// BenchmarkBrowser measures the page in headless Chromium against the
// server make run starts: app.wasm's transfer size, the cold load, playing
// at 500 steps a second over 2,000 objects, an informer listing 10,000
// objects, and seeking in a run of over 100,000 events. Figures, not
// pass/fail: run with make bench.
func BenchmarkBrowser(b *testing.B) {
	chromium := findChromium(b)
	dir := buildSite(b)
	base := startServer(b, dir, "-best-compression=true")

	b.Run("wasm-transfer", func(b *testing.B) {
		var size int
		for b.Loop() {
			size = compressedSize(b, base)
		}
		b.ReportMetric(float64(size)/1e6, "MB-brotli")
		b.ReportMetric(0, "ns/op")
	})

	b.Run("cold-load", func(b *testing.B) {
		for b.Loop() {
			coldLoads(b, chromium, base+"/").report(b)
		}
		b.ReportMetric(0, "ns/op")
	})

	// The same, with hack/coldfloor's wasm in place of app.wasm: go-app
	// and the apimachinery packages alone, served the same way behind the
	// same HTML and CSS. What cold-load takes beyond this is our code's.
	b.Run("cold-load-floor", func(b *testing.B) {
		floor := floorSite(b, dir)
		floorBase := startServer(b, floor, "-best-compression=true")
		size := compressedSize(b, floorBase) // also waits for the compression
		for b.Loop() {
			coldLoads(b, chromium, floorBase+"/").report(b)
		}
		b.ReportMetric(float64(size)/1e6, "MB-brotli")
		b.ReportMetric(0, "ns/op")
	})

	b.Run("play-500-per-s-2000-objects", func(b *testing.B) {
		var objects strings.Builder
		for i := range 2000 {
			fmt.Fprintf(&objects, "object ns%d/cm-%d app=web\n", i%8, i)
		}
		src := "seed 1\n" + objects.String() + "handler h1\nhandler h2 latency=20ms\nrun 5m\n" +
			"at 1s workload rate=200/s for=4m mix=create:1,update:6,delete:1 namespaces=ns0,ns1 objects=500\n"
		for b.Loop() {
			ctx := newBrowser(b, chromium)
			withPerfProbe(b, ctx)
			open(b, ctx, base+"/?"+srcQuery(src))
			// Past the initial list, then play at 512 steps a second.
			run(b, ctx, chromedp.SetValue(chromedp.ID("jump"), "20000"),
				chromedp.Evaluate[chromedp.Void](`document.getElementById('jump').dispatchEvent(new Event('change', {bubbles: true}))`),
				poll(`+document.getElementById('step').dataset.step >= 20000`, 120*time.Second),
				chromedp.SetValue(chromedp.ID("speed"), "11"),
				chromedp.Evaluate[chromedp.Void](`document.getElementById('speed').dispatchEvent(new Event('input', {bubbles: true}))`),
				chromedp.Evaluate[chromedp.Void](`window.__frames = 0; window.__long = []`),
			)
			step0 := eval[float64](b, ctx, `+document.getElementById('step').dataset.step`)
			run(b, ctx, chromedp.Click(chromedp.ID("btn-play")))
			time.Sleep(5 * time.Second)
			frames := eval[float64](b, ctx, `window.__frames`)
			long := eval[[]float64](b, ctx, `window.__long`)
			step1 := eval[float64](b, ctx, `+document.getElementById('step').dataset.step`)
			run(b, ctx, chromedp.Click(chromedp.ID("btn-play")))
			b.ReportMetric(frames/5, "fps")
			b.ReportMetric((step1-step0)/5, "steps/s")
			b.ReportMetric(float64(len(long)), "long-tasks")
			b.ReportMetric(slices.Max(append(long, 0)), "longest-task-ms")
		}
		b.ReportMetric(0, "ns/op")
	})

	b.Run("list-10000-objects", func(b *testing.B) {
		var objects strings.Builder
		for i := range 10000 {
			fmt.Fprintf(&objects, "object ns%d/cm-%d\n", i%10, i)
		}
		src := "seed 1\n" + objects.String() + "handler h1\nrun 2s\nexpect store count=10000\n"
		for b.Loop() {
			ctx := newBrowser(b, chromium)
			open(b, ctx, base+"/?"+srcQuery(src))
			start := eval[float64](b, ctx, `performance.now()`)
			run(b, ctx, chromedp.Click(chromedp.ID("btn-end")),
				poll(`(document.getElementById('expectations') || {}).textContent?.includes('All 1 expectations')`, 300*time.Second))
			end := eval[float64](b, ctx, `performance.now()`)
			b.ReportMetric(end-start, "ms-to-synced")
			b.ReportMetric(eval[float64](b, ctx, `informerscopeMemory().sysMB`), "go-sys-MB")
		}
		b.ReportMetric(0, "ns/op")
	})

	b.Run("seek-100k-events", func(b *testing.B) {
		src := "seed 1\nhandler fast\nhandler slow latency=50ms\nrun 15s\n" +
			"at 0s workload rate=400/s for=12s mix=create:1,update:6,delete:1 namespaces=a,b objects=300\n"
		for b.Loop() {
			ctx := newBrowser(b, chromium)
			open(b, ctx, base+"/?"+srcQuery(src))
			run(b, ctx, chromedp.Click(chromedp.ID("btn-end")),
				poll(`document.getElementById('btn-end').disabled`, 600*time.Second))
			n := eval[float64](b, ctx, `+document.getElementById('step').dataset.step`)
			if n < 100000 {
				b.Fatalf("the run has %v events, want at least 100,000", n)
			}
			// Two ends per seek: the next animation frame after the page
			// shows the new step (Chromium has laid it out by then), and
			// the task after that frame, when it has been painted.
			var ms, painted []float64
			for i := range 12 {
				target := int(n) * (i*7%12 + 1) / 13
				r := eval[[]float64](b, ctx, fmt.Sprintf(`new Promise(resolve => {
					const step = document.getElementById('step');
					const t0 = performance.now();
					new MutationObserver((_, obs) => {
						if (step.dataset.step !== '%d') return;
						obs.disconnect();
						requestAnimationFrame(() => {
							const frame = performance.now() - t0;
							setTimeout(() => resolve([frame, performance.now() - t0]), 0);
						});
					}).observe(step, {attributes: true});
					const jump = document.getElementById('jump');
					jump.value = '%d';
					jump.dispatchEvent(new Event('change', {bubbles: true}));
				})`, target, target), chromedp.EvalAwaitPromise)
				ms, painted = append(ms, r[0]), append(painted, r[1])
			}
			b.ReportMetric(n, "events")
			b.ReportMetric(median(ms), "ms-seek-median")
			b.ReportMetric(slices.Max(ms), "ms-seek-max")
			b.ReportMetric(median(painted), "ms-seek-painted-median")
		}
		b.ReportMetric(0, "ns/op")
	})
}

// BenchmarkBrowserLive5000 lists 5,000 ConfigMaps of the real
// kube-apiserver through the proxy into the page's informer: objects per
// second from Watch to synced, and the page's JavaScript heap after it.
func BenchmarkBrowserLive5000(b *testing.B) {
	cfg, env := kubetest.Env(b)
	chromium := findChromium(b)
	base := startServer(b, buildSite(b), "--kubeconfig", env["KUBECONFIG"])
	const ns, n = "bench-5000", 5000
	kubetest.SeedConfigMaps(b, cfg, ns, n)
	for b.Loop() {
		ctx := newBrowser(b, chromium)
		open(b, ctx, base+"/")
		run(b, ctx,
			poll(`document.getElementById('cluster-name') !== null`, 30*time.Second),
			chromedp.Click(chromedp.CSS("#live summary")),
			chromedp.Click(chromedp.ID("live-discover")),
			poll(`document.getElementById('live-resource') !== null`, 30*time.Second),
			chromedp.SetValue(chromedp.ID("live-ns"), ns),
			chromedp.Evaluate[chromedp.Void](`document.getElementById('live-ns').dispatchEvent(new Event('change', {bubbles: true}))`),
		)
		start := eval[float64](b, ctx, `performance.now()`)
		run(b, ctx, chromedp.Click(chromedp.ID("live-connect")),
			poll(`(document.getElementById('informer-synced') || {}).textContent === 'informer HasSynced true'`, 300*time.Second))
		took := eval[float64](b, ctx, `performance.now()`) - start
		b.ReportMetric(n/(took/1000), "objects/s")
		b.ReportMetric(took, "ms-to-synced")
		b.ReportMetric(eval[float64](b, ctx, `performance.memory ? performance.memory.usedJSHeapSize / 1e6 : 0`), "js-heap-MB")
		b.ReportMetric(eval[float64](b, ctx, `informerscopeMemory().heapAllocMB`), "go-heap-MB")
		b.ReportMetric(eval[float64](b, ctx, `informerscopeMemory().sysMB`), "go-sys-MB")
	}
	b.ReportMetric(0, "ns/op")
}

func srcQuery(src string) string { return ui.SourceQuery(src) }

// readyProbe notes when the page turns interactive: the moment #page gets
// data-ready="true", which the page renders once the wasm has mounted it
// and its handlers work. Taken in the page, so neither the test's polling
// nor the DevTools round trip counts.
const readyProbe = `new MutationObserver((_, obs) => {
	if (document.querySelector('#page[data-ready="true"]')) {
		window.__readyAt = performance.now();
		obs.disconnect();
	}
}).observe(document, {attributes: true, childList: true, subtree: true})`

// coldLoadRuns is how many fresh browsers a cold-load figure is the median
// of: one load on these two shared cores varies by a few hundred ms.
const coldLoadRuns = 5

// coldTimes are the moments of cold loads, in ms from navigation: app.wasm
// fetched, Go's main reached (compiled and its packages initialised), the
// page mounted (ui.Mark puts those two on the timeline), and interactive.
type coldTimes struct {
	fetched, main, mounted, ready []float64
}

// coldLoads opens url in coldLoadRuns fresh browsers, each with an empty
// cache and no service worker.
func coldLoads(b *testing.B, chromium, url string) coldTimes {
	var c coldTimes
	for range coldLoadRuns {
		ctx := newBrowser(b, chromium)
		if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: readyProbe}); err != nil {
			b.Fatal(err)
		}
		open(b, ctx, url)
		c.ready = append(c.ready, eval[float64](b, ctx, `window.__readyAt`))
		c.fetched = append(c.fetched, eval[float64](b, ctx, `performance.getEntriesByType('resource').find(e => e.name.endsWith('/web/app.wasm')).responseEnd`))
		c.main = append(c.main, eval[float64](b, ctx, `performance.getEntriesByName('informerscope:main')[0].startTime`))
		c.mounted = append(c.mounted, eval[float64](b, ctx, `performance.getEntriesByName('informerscope:mounted')[0].startTime`))
		chromedp.Cancel(ctx)
	}
	return c
}

// report gives the medians, and the spread of the time to interactive.
func (c coldTimes) report(b *testing.B) {
	b.ReportMetric(median(c.fetched), "ms-wasm-fetched")
	b.ReportMetric(median(c.main), "ms-go-main")
	b.ReportMetric(median(c.mounted), "ms-mounted")
	b.ReportMetric(median(c.ready), "ms-to-interactive")
	b.ReportMetric(slices.Min(c.ready), "ms-to-interactive-min")
	b.ReportMetric(slices.Max(c.ready), "ms-to-interactive-max")
}

// floorSite is a copy of the site in dir with hack/coldfloor built as its
// app.wasm.
func floorSite(b *testing.B, dir string) string {
	floor := b.TempDir()
	for _, d := range []string{"", webDir} { // the server, and what it serves
		if err := copyDir(filepath.Join(dir, d), filepath.Join(floor, d)); err != nil {
			b.Fatal(err)
		}
	}
	if err := os.Chmod(filepath.Join(floor, "informerscope"), 0o755); err != nil { // copyDir writes 0644
		b.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if err := goBuild(ctx, b, []string{"GOOS=js", "GOARCH=wasm"}, filepath.Join(floor, webDir, "app.wasm"), "./hack/coldfloor", "-ldflags=-s -w"); err != nil {
		b.Fatal(err)
	}
	return floor
}

// withPerfProbe makes every page the browser loads count its frames and
// long tasks.
func withPerfProbe(b testing.TB, ctx context.Context) {
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: perfProbe}); err != nil {
		b.Fatal(err)
	}
}

// run does browser actions, failing the benchmark on an error.
func run(b testing.TB, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	b.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.Fatal(err)
	}
}

// compressedSize fetches app.wasm as Chromium would, once the server has
// compressed it, and returns the bytes on the wire.
func compressedSize(b *testing.B, base string) int {
	for deadline := time.Now().Add(6 * time.Minute); ; time.Sleep(time.Second) {
		req, _ := http.NewRequest(http.MethodGet, base+"/web/app.wasm", nil)
		req.Header.Set("Accept-Encoding", "br")
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.Header.Get("Content-Encoding") == "br" && res.Header.Get("X-Brotli-Quality") == "11" {
			return int(n)
		}
		if time.Now().After(deadline) {
			b.Fatal("app.wasm is never served at the best compression")
		}
	}
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}
