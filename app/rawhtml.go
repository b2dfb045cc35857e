package ui

import (
	"fmt"
	"html"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// htmlBuilder writes a fragment of HTML for app.Raw: the views, the event
// log's rows, the minimap. Their contents change wholesale at a seek: as
// one fragment they cost the browser one innerHTML to parse, where as
// go-app nodes they cost hundreds of comparisons and JS calls to patch
// (two thirds of the Go time of a seek in a long run), and at a cold load
// building and mounting them. Nothing in them has a handler of its own:
// clicks go through data-act (clicks.go).
type htmlBuilder struct{ strings.Builder }

// open writes a start tag with attributes given as name, value pairs; an
// empty value leaves its attribute out.
func (b *htmlBuilder) open(tag string, attrs ...string) {
	b.WriteString("<" + tag)
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1] != "" {
			b.WriteString(" " + attrs[i] + `="` + html.EscapeString(attrs[i+1]) + `"`)
		}
	}
	b.WriteString(">")
}

func (b *htmlBuilder) close(tag string) { b.WriteString("</" + tag + ">") }

func (b *htmlBuilder) text(s string) { b.WriteString(html.EscapeString(s)) }

// elem writes an element that holds only text.
func (b *htmlBuilder) elem(tag, text string, attrs ...string) {
	b.open(tag, attrs...)
	b.text(text)
	b.close(tag)
}

// more says, under a list cut short, how many rows it leaves out.
func (b *htmlBuilder) more(n int) {
	if n > 0 {
		b.elem("p", fmt.Sprintf("… and %d more", n), "class", "more")
	}
}

// rawView is a view whose contents are one fragment. As go-app nodes the
// views were most of the elements a cold load built and mounted, each
// kind of element also compiling its own code on first use. The section
// itself stays one element from step to step, so the browser keeps its
// laid-out size while it is off screen (content-visibility); only the
// fragment inside is replaced when it changes. forms follow the fragment
// as go-app elements, for what has handlers of its own.
func rawView(id, label string, draw func(b *htmlBuilder), forms ...app.UI) app.UI {
	var b htmlBuilder
	b.open("div", "class", "view-body")
	draw(&b)
	b.close("div")
	return app.Section().ID(id).Class("view").Aria("label", label).Body(
		append([]app.UI{app.Raw(b.String())}, forms...)...)
}
