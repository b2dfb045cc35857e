//go:build js && wasm

package ui

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"syscall/js"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// What the page needs of the browser beyond go-app: files in and out, the
// clipboard, the user's motion preference. Natively (tests, prerendering)
// browser_other.go stands in.

// download offers data as a file to save.
func download(name, mime string, data []byte) {
	arr := js.Global().Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(arr, data)
	blob := js.Global().Get("Blob").New([]any{arr}, map[string]any{"type": mime})
	u := js.Global().Get("URL").Call("createObjectURL", blob)
	a := js.Global().Get("document").Call("createElement", "a")
	a.Set("href", u)
	a.Set("download", name)
	a.Call("click")
	js.Global().Get("URL").Call("revokeObjectURL", u)
}

// readChosenFile reads the file chosen in an <input type=file> and calls
// done with its text, or with the error's message.
func readChosenFile(input app.Value, done func(text, errMsg string)) {
	files := app.JSValue(input).Get("files")
	if files.IsUndefined() || files.Length() == 0 {
		return
	}
	var then, catch js.Func
	then = js.FuncOf(func(_ js.Value, args []js.Value) any {
		then.Release()
		catch.Release()
		done(args[0].String(), "")
		return nil
	})
	catch = js.FuncOf(func(_ js.Value, args []js.Value) any {
		then.Release()
		catch.Release()
		done("", args[0].Call("toString").String())
		return nil
	})
	files.Index(0).Call("text").Call("then", then).Call("catch", catch)
}

// Mark records a named moment on the page's performance timeline, where a
// benchmark (or the browser's profiler) can tell how a cold load divides.
func Mark(name string) {
	js.Global().Get("performance").Call("mark", "informerscope:"+name)
}

// releaseServiceWorker lets go-app register its service worker, which the
// page's head held back until now (holdServiceWorker, server_head.go) so that
// its install does not compete with the first load.
func releaseServiceWorker() {
	if f := js.Global().Get("informerscopeMounted"); f.Type() == js.TypeFunction {
		f.Invoke()
	}
}

// showReady puts data-ready="true" on #page as soon as OnMount has run.
// Render says the same from p.ready, but go-app only renders again at its
// next frame, a redraw of the whole page 20-50 ms later on a cold load;
// the handlers have worked since the mount.
func showReady() {
	if page := js.Global().Get("document").Call("getElementById", "page"); page.Truthy() {
		page.Call("setAttribute", "data-ready", "true")
	}
}

// copyText puts s on the clipboard, if the browser lets the page.
func copyText(s string) {
	if c := js.Global().Get("navigator").Get("clipboard"); c.Truthy() {
		c.Call("writeText", s)
	}
}

// prefersReducedMotion tells whether the user asked for less motion.
func prefersReducedMotion() bool {
	m := js.Global().Call("matchMedia", "(prefers-reduced-motion: reduce)")
	return m.Truthy() && m.Get("matches").Bool()
}

// prefersDark tells whether the user's system asks for dark pages.
func prefersDark() bool {
	m := js.Global().Call("matchMedia", "(prefers-color-scheme: dark)")
	return m.Truthy() && m.Get("matches").Bool()
}

// setTheme sets the theme on the document element, where the stylesheet
// reads it.
func setTheme(theme string) {
	js.Global().Get("document").Get("documentElement").Call("setAttribute", "data-theme", theme)
}

// tuneGC makes the collector run less often in the page. Its heap is
// mostly the run's trace, which only grows and stays live, so every
// collection rescans it: at Go's default a 10,000-object run spent most of
// its time collecting. Memory is what the page has plenty of.
func tuneGC() { debug.SetGCPercent(400) }

// gcSamples are what collectIfDue reads: the heap the collector aims
// for, and the heap in use now.
var gcSamples = []metrics.Sample{
	{Name: "/gc/heap/goal:bytes"},
	{Name: "/memory/classes/heap/objects:bytes"},
}

// collectIfDue runs a collection now, and says so, when the heap is most
// of the way to the collector's goal. The page has one thread: a collection
// that starts by itself in the middle of a frame's work marks the whole
// heap before that task ends, and the frame plus the marking made the
// only long tasks (over 100 ms) left while playing. Called between frames,
// in a task of its own, the collection is one shorter task.
func collectIfDue() bool {
	metrics.Read(gcSamples)
	goal, inUse := gcSamples[0].Value.Uint64(), gcSamples[1].Value.Uint64()
	if goal == 0 || inUse < goal/10*7 {
		return false
	}
	runtime.GC()
	return true
}

// exposeMemory lets a benchmark ask the page how much memory the Go side
// uses: the browser's own counters leave out the wasm heap.
func exposeMemory() {
	js.Global().Set("informerscopeMemory", js.FuncOf(func(js.Value, []js.Value) any {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return map[string]any{"heapAllocMB": float64(m.HeapAlloc) / 1e6, "sysMB": float64(m.Sys) / 1e6}
	}))
}
