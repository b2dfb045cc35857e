package ui

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// cssName turns a phrase into a class name part: "backing off" →
// "backing-off".
func cssName(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), " ", "-")
}

// nsDuration reads a trace's virtual time, in ns since the epoch.
func nsDuration(ns int64) time.Duration { return time.Duration(ns) }

// window returns at most n items of a list from its start, and how many it
// left out: views draw long lists windowed, so the page stays fast.
func window[T any](items []T, n int) ([]T, int) {
	if len(items) <= n {
		return items, 0
	}
	return items[:n], len(items) - n
}

// when builds f's element only if cond holds: go-app's If takes elements
// already built, and building some needs cond.
func when(cond bool, f func() app.UI) app.UI {
	if cond {
		return f()
	}
	return app.If(false)
}

// durationOrEmpty is an optional duration as its input shows it: empty
// when none is set, so that the placeholder shows.
func durationOrEmpty(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	return d.String()
}

// panel is a <details> whose body is built only while it is open: the
// options and breakpoints forms were a fifth of the page's elements, all
// built and mounted during a cold load, and most visits never open them.
// open is where the page keeps whether the user has the panel open.
func panel(id, summary string, open *bool, body func() app.UI) app.UI {
	return app.Details().ID(id).Open(*open).OnToggle(func(ctx app.Context, e app.Event) {
		*open = ctx.JSSrc().Get("open").Bool()
	}).Body(
		app.Summary().Text(summary),
		when(*open, body),
	)
}

// firstKeys returns the n smallest keys of m in order, and how many keys
// m has: views draw the first rows of maps that may hold thousands, and
// sorting all of them every frame would cost more than drawing.
func firstKeys[V any](m map[string]V, n int) ([]string, int) {
	if n <= 0 {
		return nil, len(m)
	}
	if len(m) <= n {
		return slices.Sorted(maps.Keys(m)), len(m)
	}
	// keep holds the n smallest keys seen so far, sorted.
	keep := make([]string, 0, n+1)
	for k := range m {
		if len(keep) == n && k >= keep[n-1] {
			continue
		}
		i, _ := slices.BinarySearch(keep, k)
		keep = slices.Insert(keep, i, k)
		if len(keep) > n {
			keep = keep[:n]
		}
	}
	return keep, len(m)
}
