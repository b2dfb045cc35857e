package ui

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/informerscope/informerscope/informer/trace"
)

// objectDoc is what the inspector shows of an object: what the trace knows
// of it, shaped like the object's metadata.
func objectDoc(o trace.Object, l labeler) map[string]any {
	if o.Kind != "" {
		doc := map[string]any{"type": o.Kind}
		if o.Key != "" {
			doc["key"] = o.Key
			doc["obj"] = l.object(o.Inner)
		}
		if o.RV != "" {
			doc["resourceVersion"] = o.RV
		}
		if len(o.Items) > 0 {
			doc["objects"] = l.objectList(o.Items)
		}
		if o.Text != "" {
			doc["text"] = o.Text
		}
		return doc
	}
	meta := map[string]any{"name": o.Name, "resourceVersion": o.RV}
	if o.Namespace != "" {
		meta["namespace"] = o.Namespace
	}
	if o.UID != "" {
		meta["uid"] = o.UID
	}
	if len(o.Labels) > 0 {
		meta["labels"] = o.Labels
	}
	return map[string]any{"metadata": meta}
}

// yamlOf prints a document as YAML: maps with sorted keys, strings quoted
// only when YAML would misread them.
func yamlOf(doc map[string]any, indent string) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(doc)) {
		switch v := doc[k].(type) {
		case map[string]any:
			fmt.Fprintf(&b, "%s%s:\n%s", indent, k, yamlOf(v, indent+"  "))
		case map[string]string:
			m := map[string]any{}
			for kk, vv := range v {
				m[kk] = vv
			}
			fmt.Fprintf(&b, "%s%s:\n%s", indent, k, yamlOf(m, indent+"  "))
		default:
			fmt.Fprintf(&b, "%s%s: %s\n", indent, k, yamlScalar(fmt.Sprint(v)))
		}
	}
	return b.String()
}

func yamlScalar(s string) string {
	if s == "" || strings.ContainsAny(s, ":#{}[],&*!|>'\"%@`") || s != strings.TrimSpace(s) {
		b, _ := json.Marshal(s)
		return string(b)
	}
	return s
}

// previousVersion finds the object this one replaced: the latest earlier
// entry of the object table with the same namespace and name and another
// resourceVersion.
func previousVersion(objs []trace.Object, ref trace.ObjRef) trace.ObjRef {
	o := objs[ref-1]
	if o.Kind != "" {
		return 0
	}
	for i := int(ref) - 2; i >= 0; i-- {
		q := objs[i]
		if q.Kind == "" && q.Namespace == o.Namespace && q.Name == o.Name && q.RV != o.RV {
			return trace.ObjRef(i + 1)
		}
	}
	return 0
}

// lineDiff marks the lines of b that are not in a with +, and those of a
// not in b with -: enough for a few lines of metadata.
func lineDiff(a, b string) []string {
	al, bl := strings.Split(strings.TrimSpace(a), "\n"), strings.Split(strings.TrimSpace(b), "\n")
	var out []string
	for _, l := range al {
		if !slices.Contains(bl, l) {
			out = append(out, "- "+l)
		}
	}
	for _, l := range bl {
		if !slices.Contains(al, l) {
			out = append(out, "+ "+l)
		}
	}
	return out
}

// viewInspector shows the object clicked last, as YAML or JSON, with what
// changed since its previous version.
func (p *Page) viewInspector() app.UI {
	objs := p.tl.Objects()
	if int(p.inspect) > len(objs) || p.inspect <= 0 {
		return app.Aside().ID("inspector").Text("no such object")
	}
	l := labeler{objects: objs}
	doc := objectDoc(objs[p.inspect-1], l)
	text := yamlOf(doc, "")
	if p.inspectJSON {
		b, _ := json.MarshalIndent(doc, "", "  ")
		text = string(b)
	}
	var diff []string
	if prev := previousVersion(objs, p.inspect); prev != 0 {
		diff = lineDiff(yamlOf(objectDoc(objs[prev-1], l), ""), yamlOf(doc, ""))
	}
	return app.Aside().ID("inspector").Aria("label", "Object inspector").Body(
		app.Div().Class("inspector-head").Body(
			app.H2().Text(l.object(p.inspect)),
			app.Button().ID("inspector-format").Text(map[bool]string{true: "YAML", false: "JSON"}[p.inspectJSON]).
				OnClick(func(ctx app.Context, e app.Event) { p.inspectJSON = !p.inspectJSON }),
			app.Button().ID("inspector-close").Text("Close").OnClick(func(ctx app.Context, e app.Event) { p.inspect = 0 }),
		),
		app.Pre().ID("inspector-body").Text(text),
		app.If(len(diff) > 0, app.H3().Text("Since the previous version"), app.Pre().ID("inspector-diff").Class("diff").Text(strings.Join(diff, "\n"))),
		app.If(len(diff) == 0, app.P().Class("meta").Text("No earlier version in this run.")),
	)
}
