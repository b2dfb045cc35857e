package scenario

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/validation"
)

// Error is one problem of a scenario file, at a line (0 for the file as a
// whole).
type Error struct {
	Name string
	Line int
	Msg  string
}

func (e Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.Name, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.Name, e.Line, e.Msg)
}

// ErrorList is every problem Parse found, in line order.
type ErrorList []Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// maxErrors bounds the list, so that a binary file pasted into the editor
// does not give a million messages.
const maxErrors = 20

// maxRun bounds a scenario's virtual time: a day is far more than any
// lesson needs, and keeps durations far from overflow.
const maxRun = 24 * time.Hour

// Parse reads a scenario. name labels errors and becomes the scenario's
// Name. On any problem it returns an ErrorList and no scenario.
func Parse(name, src string) (*Scenario, error) {
	p := &parser{s: &Scenario{Name: name}, handlers: map[string]bool{}, objects: map[string]bool{}}
	inHeader := true
	for i, raw := range strings.Split(src, "\n") {
		p.line = i + 1
		text, comment, hasComment := strings.Cut(raw, "#")
		words := strings.Fields(text)
		if len(words) == 0 {
			if inHeader && hasComment {
				p.headerComment(strings.TrimSpace(comment))
			}
			continue
		}
		inHeader = false
		p.command(words)
		if len(p.errs) >= maxErrors {
			break
		}
	}
	p.finish()
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return p.s, nil
}

// Title is the title Parse would give src, read without parsing the rest:
// the first non-empty comment before the first command. The page lists
// the whole library by title when it loads, and parsing every scenario
// for that was a measurable part of the page's first render.
func Title(src string) string {
	for raw := range strings.SplitSeq(src, "\n") {
		text, comment, hasComment := strings.Cut(raw, "#")
		if len(strings.Fields(text)) > 0 {
			return ""
		}
		if c := strings.TrimSpace(comment); hasComment && c != "" {
			return c
		}
	}
	return ""
}

type parser struct {
	s        *Scenario
	line     int
	errs     ErrorList
	handlers map[string]bool
	objects  map[string]bool
	seen     map[string]int // line of each one-off command
}

func (p *parser) errorf(format string, args ...any) {
	p.errs = append(p.errs, Error{Name: p.s.Name, Line: p.line, Msg: fmt.Sprintf(format, args...)})
}

func (p *parser) headerComment(c string) {
	switch {
	case p.s.Title == "":
		if c != "" {
			p.s.Title = c
		}
	case c == "" && (len(p.s.About) == 0 || p.s.About[len(p.s.About)-1] == ""):
		// Collapse runs of blank comment lines.
	default:
		p.s.About = append(p.s.About, c)
	}
}

// once reports whether a setting appears for the first time.
func (p *parser) once(cmd string) bool {
	if p.seen == nil {
		p.seen = map[string]int{}
	}
	if first, dup := p.seen[cmd]; dup {
		p.errorf("%s is already set on line %d", cmd, first)
		return false
	}
	p.seen[cmd] = p.line
	return true
}

func (p *parser) command(words []string) {
	cmd, args := words[0], words[1:]
	switch cmd {
	case "seed":
		if p.oneArg(cmd, args) && p.once(cmd) {
			n, err := strconv.ParseUint(args[0], 10, 64)
			if err != nil {
				p.errorf("seed %q is not a whole number", args[0])
			}
			p.s.Seed = n
		}
	case "queue":
		if p.oneArg(cmd, args) && p.once(cmd) {
			i := slices.Index(queueModeNames, args[0])
			if i < 0 {
				p.errorf("queue %q: say realfifo, realfifo-nonatomic or deltafifo", args[0])
				return
			}
			p.s.Queue = QueueMode(i)
		}
	case "gate":
		p.gate(args)
	case "informer":
		if p.oneArg(cmd, args) && p.once(cmd) {
			switch args[0] {
			case "shared":
			case "plain":
				p.s.Plain = true
			default:
				p.errorf("informer %q: say shared (the default) or plain", args[0])
			}
		}
	case "resource":
		if p.oneArg(cmd, args) && p.once(cmd) {
			if !slices.Contains(Resources, args[0]) {
				p.errorf("resource %q: say one of %s", args[0], strings.Join(Resources, ", "))
				return
			}
			p.s.Resource = args[0]
		}
	case "namespace":
		if p.oneArg(cmd, args) && p.once(cmd) {
			if msgs := validation.IsDNS1123Label(args[0]); len(msgs) > 0 {
				p.errorf("namespace %q: %s", args[0], msgs[0])
			}
			p.s.Namespace = args[0]
		}
	case "selector":
		if p.oneArg(cmd, args) && p.once(cmd) {
			if _, err := labels.Parse(args[0]); err != nil {
				p.errorf("selector %q: %v", args[0], err)
			}
			p.s.Selector = args[0]
		}
	case "resync":
		if p.oneArg(cmd, args) && p.once(cmd) {
			p.s.Resync = p.duration(cmd, args[0])
		}
	case "window":
		if p.oneArg(cmd, args) && p.once(cmd) {
			n, err := strconv.Atoi(args[0])
			if err != nil || n < 1 || n > 1_000_000 {
				p.errorf("window %q: give a number of events from 1 to 1000000", args[0])
			}
			p.s.Window = n
		}
	case "bookmarks":
		if p.oneArg(cmd, args) && p.once(cmd) {
			p.s.Bookmarks = p.duration(cmd, args[0])
		}
	case "detect-mutations":
		if len(args) != 0 {
			p.errorf("detect-mutations takes no arguments")
		}
		p.s.DetectMutations = true
	case "object":
		p.object(args)
	case "handler":
		p.handler(args)
	case "at":
		p.at(args)
	case "run":
		if p.oneArg(cmd, args) && p.once(cmd) {
			p.s.RunFor = p.duration(cmd, args[0])
		}
	case "expect":
		e, err := parseExpect(args, p.handlers)
		if err != nil {
			p.errorf("%v", err)
			return
		}
		e.Line, e.Text = p.line, strings.Join(words, " ")
		p.s.Expects = append(p.s.Expects, e)
	default:
		p.errorf("unknown command %q (seed, queue, gate, informer, resource, namespace, selector, resync, window, bookmarks, detect-mutations, object, handler, at, run, expect)", cmd)
	}
}

func (p *parser) oneArg(cmd string, args []string) bool {
	if len(args) != 1 {
		p.errorf("%s takes one argument, got %d", cmd, len(args))
		return false
	}
	return true
}

// duration reads a non-negative Go duration such as 1.5s or 2m.
func (p *parser) duration(what, s string) time.Duration {
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		p.errorf("%s %q is not a duration (like 500ms, 2s or 1m30s)", what, s)
	case d < 0:
		p.errorf("%s %q is negative", what, s)
	case d > maxRun:
		p.errorf("%s %q is longer than %v", what, s, maxRun)
	default:
		return d
	}
	return 0
}

// gates that a scenario may turn off; the queue gates go through "queue".
var gateNames = []string{"UnlockWhileProcessingFIFO", "InOrderInformersBatchProcess", "WatchListClient"}

func (p *parser) gate(args []string) {
	if len(args) != 1 {
		p.errorf("gate takes one NAME=false")
		return
	}
	name, value, ok := strings.Cut(args[0], "=")
	switch {
	case name == "InOrderInformers" || name == "AtomicFIFO":
		p.errorf("gate %s: choose the queue with queue realfifo, realfifo-nonatomic or deltafifo", name)
	case !slices.Contains(gateNames, name):
		p.errorf("gate %q: say one of %s", name, strings.Join(gateNames, ", "))
	case !ok || (value != "false" && value != "true"):
		p.errorf("gate %s: write %s=false (every gate is on by default, as in client-go v0.37.2)", name, name)
	case value == "false" && !slices.Contains(p.s.Gates, name):
		p.s.Gates = append(p.s.Gates, name)
	}
}

// parseKey reads namespace/name.
func (p *parser) parseKey(what, s string) (Object, bool) {
	ns, name, ok := strings.Cut(s, "/")
	if !ok {
		p.errorf("%s %q: write namespace/name", what, s)
		return Object{}, false
	}
	if msgs := validation.IsDNS1123Label(ns); len(msgs) > 0 {
		p.errorf("%s %q: namespace: %s", what, s, msgs[0])
		return Object{}, false
	}
	if msgs := validation.IsDNS1123Subdomain(name); len(msgs) > 0 {
		p.errorf("%s %q: name: %s", what, s, msgs[0])
		return Object{}, false
	}
	return Object{Line: p.line, Namespace: ns, Name: name}, true
}

// parseLabels reads k=v words; nil if there are none.
func (p *parser) parseLabels(what string, words []string) (map[string]string, bool) {
	var out map[string]string
	for _, w := range words {
		k, v, ok := strings.Cut(w, "=")
		if !ok {
			p.errorf("%s: %q is not a label key=value", what, w)
			return nil, false
		}
		if msgs := validation.IsQualifiedName(k); len(msgs) > 0 {
			p.errorf("%s: label key %q: %s", what, k, msgs[0])
			return nil, false
		}
		if msgs := validation.IsValidLabelValue(v); len(msgs) > 0 {
			p.errorf("%s: label value %q: %s", what, v, msgs[0])
			return nil, false
		}
		if out == nil {
			out = map[string]string{}
		}
		out[k] = v
	}
	return out, true
}

func (p *parser) object(args []string) {
	if len(args) == 0 {
		p.errorf("object takes namespace/name and optional labels key=value")
		return
	}
	o, ok := p.parseKey("object", args[0])
	if !ok {
		return
	}
	if o.Labels, ok = p.parseLabels("object "+args[0], args[1:]); !ok {
		return
	}
	if p.objects[o.Key()] {
		p.errorf("object %s is declared twice", o.Key())
		return
	}
	p.objects[o.Key()] = true
	p.s.Objects = append(p.s.Objects, o)
}

// reserved names cannot name a handler: expect lines use them.
var reserved = map[string]bool{"store": true, "informer": true, "trace": true, "no": true}

func (p *parser) handler(args []string) {
	if len(args) == 0 {
		p.errorf("handler takes a name, then resync=, latency=, at=, remove-at=, mutates")
		return
	}
	h := Handler{Line: p.line, Name: args[0]}
	if reserved[h.Name] || strings.ContainsAny(h.Name, "=/,") {
		p.errorf("handler name %q is reserved or has = / , in it", h.Name)
		return
	}
	if p.handlers[h.Name] {
		p.errorf("handler %s is declared twice", h.Name)
		return
	}
	for _, w := range args[1:] {
		if w == "mutates" {
			h.Mutates = true
			continue
		}
		k, v, ok := strings.Cut(w, "=")
		if !ok {
			p.errorf("handler %s: %q is not one of resync=, latency=, at=, remove-at=, mutates", h.Name, w)
			continue
		}
		switch k {
		case "resync":
			d := p.duration("handler "+h.Name+" resync", v)
			h.Resync = &d
		case "latency":
			h.Latency = p.duration("handler "+h.Name+" latency", v)
		case "at":
			h.At, h.Late = p.duration("handler "+h.Name+" at", v), true
		case "remove-at":
			h.RemoveAt, h.Removed = p.duration("handler "+h.Name+" remove-at", v), true
		default:
			p.errorf("handler %s: unknown option %q (resync, latency, at, remove-at, mutates)", h.Name, k)
		}
	}
	if h.Removed && h.Late && h.RemoveAt < h.At {
		p.errorf("handler %s: removed at %v, before it is added at %v", h.Name, h.RemoveAt, h.At)
	}
	p.handlers[h.Name] = true
	p.s.Handlers = append(p.s.Handlers, h)
}

// Verbs that take nothing after them.
var bareVerbs = map[string]Verb{
	"close-watches":     VerbCloseWatches,
	"drop-connections":  VerbDropConnections,
	"expire-next-watch": VerbExpireNextWatch,
	"compact":           VerbCompact,
}

func (p *parser) at(args []string) {
	if len(args) < 2 {
		p.errorf("at takes a time and an action, like: at 2s delete ns/a")
		return
	}
	a := Action{Line: p.line, At: p.duration("at", args[0])}
	verb, rest := args[1], args[2:]
	switch verb {
	case "create", "update", "delete", "recreate":
		a.Verb = map[string]Verb{"create": VerbCreate, "update": VerbUpdate, "delete": VerbDelete, "recreate": VerbRecreate}[verb]
		if len(rest) == 0 {
			p.errorf("%s takes namespace/name", verb)
			return
		}
		o, ok := p.parseKey(verb, rest[0])
		if !ok {
			return
		}
		if verb == "delete" && len(rest) > 1 {
			p.errorf("delete takes only namespace/name")
			return
		}
		if o.Labels, ok = p.parseLabels(verb+" "+rest[0], rest[1:]); !ok {
			return
		}
		a.Object = o
	case "restart", "delay-events":
		a.Verb = map[string]Verb{"restart": VerbRestart, "delay-events": VerbDelayEvents}[verb]
		if len(rest) != 1 {
			p.errorf("%s takes one duration", verb)
			return
		}
		a.Duration = p.duration(verb, rest[0])
	case "workload":
		a.Verb = VerbWorkload
		w, ok := p.workload(rest)
		if !ok {
			return
		}
		a.Workload = w
	case "expect":
		a.Verb = VerbExpect
		e, err := parseExpect(rest, p.handlers)
		if err != nil {
			p.errorf("%v", err)
			return
		}
		e.Line, e.Text = p.line, "at "+strings.Join(args, " ")
		a.Expect = &e
	default:
		v, ok := bareVerbs[verb]
		if !ok {
			p.errorf("unknown action %q (create, update, delete, recreate, close-watches, drop-connections, expire-next-watch, compact, restart, delay-events, workload, expect)", verb)
			return
		}
		if len(rest) != 0 {
			p.errorf("%s takes no arguments", verb)
			return
		}
		a.Verb = v
	}
	p.s.Actions = append(p.s.Actions, a)
}

func (p *parser) workload(words []string) (*Workload, bool) {
	w := &Workload{Create: 1, Update: 1, Delete: 1, Namespaces: []string{"default"}, Objects: 100, Burst: 1}
	errs := len(p.errs)
	for _, word := range words {
		k, v, ok := strings.Cut(word, "=")
		if !ok {
			p.errorf("workload: %q is not key=value (rate, for, mix, namespaces, labels, objects, burst)", word)
			continue
		}
		switch k {
		case "rate":
			r, err := strconv.ParseFloat(strings.TrimSuffix(v, "/s"), 64)
			if err != nil || r <= 0 || r > 100_000 || math.IsNaN(r) {
				p.errorf("workload rate %q: give operations per second, like 20/s (at most 100000)", v)
			}
			w.Rate = r
		case "for":
			w.For = p.duration("workload for", v)
		case "mix":
			p.mix(w, v)
		case "namespaces":
			w.Namespaces = nil
			for _, ns := range strings.Split(v, ",") {
				if msgs := validation.IsDNS1123Label(ns); len(msgs) > 0 {
					p.errorf("workload namespace %q: %s", ns, msgs[0])
				}
				w.Namespaces = append(w.Namespaces, ns)
			}
		case "labels":
			for _, set := range strings.Split(v, "|") {
				l, ok := p.parseLabels("workload labels", strings.Split(set, ","))
				if !ok {
					break
				}
				w.Labels = append(w.Labels, l)
			}
		case "objects", "burst":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 100_000 {
				p.errorf("workload %s %q: give a number from 1 to 100000", k, v)
			}
			if k == "objects" {
				w.Objects = n
			} else {
				w.Burst = n
			}
		default:
			p.errorf("workload: unknown option %q (rate, for, mix, namespaces, labels, objects, burst)", k)
		}
	}
	if w.Rate == 0 || w.For == 0 {
		p.errorf("workload needs rate=N/s and for=DURATION")
	}
	return w, len(p.errs) == errs
}

// mix reads create:N,update:N,delete:N; missing parts weigh 0.
func (p *parser) mix(w *Workload, v string) {
	w.Create, w.Update, w.Delete = 0, 0, 0
	for _, part := range strings.Split(v, ",") {
		op, n, ok := strings.Cut(part, ":")
		weight, err := strconv.Atoi(n)
		if !ok || err != nil || weight < 0 || weight > 1000 {
			p.errorf("workload mix %q: write create:N,update:N,delete:N with weights 0-1000", v)
			return
		}
		switch op {
		case "create":
			w.Create = weight
		case "update":
			w.Update = weight
		case "delete":
			w.Delete = weight
		default:
			p.errorf("workload mix: %q is not create, update or delete", op)
			return
		}
	}
	if w.Create+w.Update+w.Delete == 0 {
		p.errorf("workload mix %q: every weight is 0", v)
	}
}

// finish checks what needs the whole file, and orders the actions by time.
func (p *parser) finish() {
	p.line = 0
	if p.s.RunFor == 0 && p.seen["run"] == 0 {
		p.errorf("no run line: say how long the scenario runs, like run 30s")
	}
	if p.s.Resource == "" {
		p.s.Resource = "configmaps"
	}
	for _, a := range p.s.Actions {
		if a.At > p.s.RunFor && p.s.RunFor > 0 {
			p.errs = append(p.errs, Error{Name: p.s.Name, Line: a.Line, Msg: fmt.Sprintf("at %v is after the end of the run (run %v)", a.At, p.s.RunFor)})
		}
	}
	for _, h := range p.s.Handlers {
		if (h.Late && h.At > p.s.RunFor) || (h.Removed && h.RemoveAt > p.s.RunFor) {
			p.errs = append(p.errs, Error{Name: p.s.Name, Line: h.Line, Msg: fmt.Sprintf("handler %s acts after the end of the run (run %v)", h.Name, p.s.RunFor)})
		}
	}
	if p.s.Plain {
		p.checkPlain()
	}
	slices.SortStableFunc(p.errs, func(a, b Error) int { return a.Line - b.Line })
	slices.SortStableFunc(p.s.Actions, func(a, b Action) int {
		switch {
		case a.At < b.At:
			return -1
		case a.At > b.At:
			return 1
		}
		return 0
	})
}

// checkPlain checks what a plain informer can do: it has exactly one
// handler, from the start, with no registration and no listener.
func (p *parser) checkPlain() {
	line := p.seen["informer"]
	if len(p.s.Handlers) != 1 {
		p.errs = append(p.errs, Error{Name: p.s.Name, Line: line, Msg: fmt.Sprintf("a plain informer has exactly one handler; %d are declared", len(p.s.Handlers))})
		return
	}
	h := p.s.Handlers[0]
	if h.Late || h.Removed || h.Resync != nil {
		p.errs = append(p.errs, Error{Name: p.s.Name, Line: h.Line, Msg: "a plain informer's handler cannot be added late, removed, or have its own resync"})
	}
	expects := slices.Clone(p.s.Expects)
	for _, a := range p.s.Actions {
		if a.Expect != nil {
			expects = append(expects, *a.Expect)
		}
	}
	for _, e := range expects {
		if e.Subject == h.Name && (e.Synced || e.RingCap || e.RingLen) {
			p.errs = append(p.errs, Error{Name: p.s.Name, Line: e.Line, Msg: "a plain informer's handler has no registration or listener to check"})
		}
	}
}

// Resources are the kinds a scenario may watch: those the simulated server
// knows.
var Resources = []string{"configmaps", "pods", "deployments", "widgets"}
