package scenario

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Format prints s in the scenario format, in a canonical order, so that
// Parse(Format(s)) gives s back. The page uses it to turn what the user set
// with its controls into a scenario file and a permalink.
func Format(s *Scenario) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	if s.Title != "" {
		line("# %s", s.Title)
		for _, a := range s.About {
			if a == "" {
				line("#")
			} else {
				line("# %s", a)
			}
		}
	}
	line("seed %d", s.Seed)
	line("queue %s", s.Queue)
	for _, g := range s.Gates {
		line("gate %s=false", g)
	}
	if s.Plain {
		line("informer plain")
	}
	line("resource %s", s.Resource)
	if s.Namespace != "" {
		line("namespace %s", s.Namespace)
	}
	if s.Selector != "" {
		line("selector %s", s.Selector)
	}
	if s.Resync != 0 {
		line("resync %v", s.Resync)
	}
	if s.Window != 0 {
		line("window %d", s.Window)
	}
	if s.Bookmarks != 0 {
		line("bookmarks %v", s.Bookmarks)
	}
	if s.DetectMutations {
		line("detect-mutations")
	}
	for _, o := range s.Objects {
		line("object %s", formatObject(o))
	}
	for _, h := range s.Handlers {
		line("handler %s", formatHandler(h))
	}
	line("run %v", s.RunFor)
	for _, a := range s.Actions {
		line("at %v %s", a.At, formatAction(a))
	}
	for _, e := range s.Expects {
		line("expect %s", FormatExpect(e))
	}
	return b.String()
}

func formatObject(o Object) string {
	return strings.Join(append([]string{o.Key()}, formatLabels(o.Labels)...), " ")
}

// formatLabels prints labels as sorted key=value words.
func formatLabels(l map[string]string) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(l)) {
		out = append(out, k+"="+l[k])
	}
	return out
}

func formatHandler(h Handler) string {
	parts := []string{h.Name}
	if h.Resync != nil {
		parts = append(parts, "resync="+h.Resync.String())
	}
	if h.Latency != 0 {
		parts = append(parts, "latency="+h.Latency.String())
	}
	if h.Late {
		parts = append(parts, "at="+h.At.String())
	}
	if h.Removed {
		parts = append(parts, "remove-at="+h.RemoveAt.String())
	}
	if h.Mutates {
		parts = append(parts, "mutates")
	}
	return strings.Join(parts, " ")
}

func formatAction(a Action) string {
	switch a.Verb {
	case VerbCreate, VerbUpdate, VerbDelete, VerbRecreate:
		return a.Verb.String() + " " + formatObject(a.Object)
	case VerbRestart, VerbDelayEvents:
		return a.Verb.String() + " " + a.Duration.String()
	case VerbWorkload:
		return "workload " + formatWorkload(a.Workload)
	case VerbExpect:
		return "expect " + FormatExpect(*a.Expect)
	}
	return a.Verb.String()
}

func formatWorkload(w *Workload) string {
	parts := []string{
		"rate=" + strconv.FormatFloat(w.Rate, 'g', -1, 64) + "/s",
		"for=" + w.For.String(),
		fmt.Sprintf("mix=create:%d,update:%d,delete:%d", w.Create, w.Update, w.Delete),
		"namespaces=" + strings.Join(w.Namespaces, ","),
	}
	if len(w.Labels) > 0 {
		sets := make([]string, len(w.Labels))
		for i, l := range w.Labels {
			sets[i] = strings.Join(formatLabels(l), ",")
		}
		parts = append(parts, "labels="+strings.Join(sets, "|"))
	}
	parts = append(parts, "objects="+strconv.Itoa(w.Objects), "burst="+strconv.Itoa(w.Burst))
	return strings.Join(parts, " ")
}

// FormatExpect prints an expectation in canonical form (without "expect").
func FormatExpect(e Expect) string {
	parts := []string{e.Subject}
	count := func(prop string) {
		if e.Count.Set {
			parts = append(parts, prop+e.Count.Op+strconv.Itoa(e.Count.N))
		}
	}
	switch {
	case e.Synced && e.Is:
		parts = append(parts, "synced")
	case e.Synced:
		parts = append(parts, "not-synced")
	case e.Subject == "store":
		if e.StoreKeys != nil && len(e.StoreKeys) == 0 {
			parts = append(parts, "empty")
		}
		parts = append(parts, e.StoreKeys...)
		count("count")
	case e.Subject == "trace":
		parts = append(parts, e.TraceKind.String())
		for _, k := range slices.Sorted(maps.Keys(e.TraceFields)) {
			parts = append(parts, k+"="+e.TraceFields[k])
		}
		count("count")
	case e.RingCap:
		count("ring-cap")
	case e.RingLen:
		count("ring-len")
	case len(e.Order) > 0:
		orders := make([]string, len(e.Order))
		for i, p := range e.Order {
			orders[i] = p.String()
		}
		parts = append(parts, "order", strings.Join(orders, ", "))
	default:
		if p := e.Pattern.String(); p != "any call" {
			parts = append(parts, p)
		}
		count("count")
	}
	return strings.Join(parts, " ")
}
