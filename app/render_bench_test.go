package ui

import (
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// BenchmarkRender: building the page's tree at a step deep in a long run,
// the Go half of a frame (the DOM update is the browser's half).
func BenchmarkRender(b *testing.B) {
	p := &Page{}
	d := app.NewClientTester(p)
	defer d.Close()
	d.Dispatch(app.Dispatch{Mode: app.Update, Source: p, Function: func(ctx app.Context) {
		p.loadLibrary("slow-handler-backlog", link{})
		p.tl.Seek(60000)
	}})
	d.Consume()
	if p.tl.Cursor() != 60000 {
		b.Fatalf("cursor %d", p.tl.Cursor())
	}
	for b.Loop() {
		p.Render()
	}
}

// BenchmarkSeek: moving the cursor to a random far step of a recorded run
// and folding the state there.
func BenchmarkSeek(b *testing.B) {
	p := &Page{}
	p.OnInit()
	p.loadLibrary("slow-handler-backlog", link{})
	p.tl.Seek(1 << 30)
	n := p.tl.Len()
	i := 0
	for b.Loop() {
		i = (i + 7919*131) % n
		p.tl.Seek(i)
	}
	b.ReportMetric(float64(n), "events")
}
