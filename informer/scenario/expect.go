package scenario

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/informerscope/informerscope/informer/trace"
)

// Expect is one expectation: something that must hold at the end of the
// run, or at the time of its "at" line.
//
//	expect h1 OnDelete ns/a tombstone    h1 got at least one such call
//	expect h1 no OnDelete ns/a           ... none
//	expect h1 OnUpdate count=3           ... exactly three (also >=, <=, >, <)
//	expect h1 count>=3000                all of h1's calls
//	expect h1 order OnAdd ns/a, OnUpdate ns/a, OnDelete ns/a
//	expect h1 synced / not-synced        the registration's HasSynced
//	expect h1 ring-cap=4096 / ring-len>0 its pendingNotifications buffer
//	expect store ns/a ns/b / store empty / store count=2
//	expect informer synced / not-synced  the informer's HasSynced
//	expect trace RelistNeeded reason=... / trace no MutationDetected
//	expect trace DeltaDeduped key=ns/a count=1
//
// A call pattern is an optional call (OnAdd, OnUpdate, OnDelete), then an
// optional key and flags in any order: initial (an OnAdd of the initial list), same-rv
// (an OnUpdate whose old and new resourceVersion are equal: a resync or an
// unchanged relist), uid-changed (an OnUpdate across a delete and recreate)
// and tombstone (an OnDelete of a DeletedFinalStateUnknown).
type Expect struct {
	Line int
	// Text is the expectation as written, for failure messages.
	Text string
	// Subject is a handler's name, "store", "informer" or "trace".
	Subject string

	// Calls: the handler's calls matching Pattern, counted by Count.
	Pattern CallPattern
	Count   Count
	// Order: the handler's calls include these, in this order.
	Order []CallPattern
	// Synced checks HasSynced of the handler's registration or of the
	// informer; Is is the value it must have.
	Synced, Is bool
	// RingCap or RingLen checks the handler's pendingNotifications.
	RingCap, RingLen bool

	// StoreKeys are the exact keys the indexer holds (with Count unset).
	StoreKeys []string

	// TraceKind and TraceFields select trace events, counted by Count.
	TraceKind   trace.Kind
	TraceFields map[string]string
}

// CallPattern matches handler calls.
type CallPattern struct {
	Call  string // "", "OnAdd", "OnUpdate" or "OnDelete"
	Key   string // "" matches any key
	Flags []string
}

// Count compares a number: Op is one of = >= <= > <.
type Count struct {
	Set bool
	Op  string
	N   int
}

// Holds tells whether n satisfies c; an unset Count asks for at least one.
func (c Count) Holds(n int) bool {
	if !c.Set {
		return n >= 1
	}
	switch c.Op {
	case ">=":
		return n >= c.N
	case "<=":
		return n <= c.N
	case ">":
		return n > c.N
	case "<":
		return n < c.N
	}
	return n == c.N
}

func (c Count) String() string {
	if !c.Set {
		return ">=1"
	}
	if c.Op == "=" {
		return strconv.Itoa(c.N)
	}
	return c.Op + strconv.Itoa(c.N)
}

var callNames = map[string]bool{"OnAdd": true, "OnUpdate": true, "OnDelete": true}

// callFlags are the flags a call pattern may carry, with the call they
// belong to.
var callFlags = map[string]string{
	"initial":     "OnAdd",
	"same-rv":     "OnUpdate",
	"uid-changed": "OnUpdate",
	"tombstone":   "OnDelete",
}

// traceFields are the event fields an expectation may filter on.
var traceFields = map[string]bool{"comp": true, "key": true, "type": true, "reason": true, "rv": true, "value": true}

// parseExpect reads the words after "expect". handlers are the names
// declared so far.
func parseExpect(words []string, handlers map[string]bool) (Expect, error) {
	var e Expect
	if len(words) == 0 {
		return e, fmt.Errorf("expect what? (a handler name, store, informer or trace)")
	}
	e.Subject = words[0]
	rest := words[1:]
	switch {
	case e.Subject == "store":
		return e, parseStoreExpect(&e, rest)
	case e.Subject == "informer":
		return e, parseSyncedExpect(&e, rest, "informer")
	case e.Subject == "trace":
		return e, parseTraceExpect(&e, rest)
	case handlers[e.Subject]:
		return e, parseHandlerExpect(&e, rest)
	}
	return e, fmt.Errorf("expect %s: no handler %q is declared above (or say store, informer or trace)", e.Subject, e.Subject)
}

func parseStoreExpect(e *Expect, words []string) error {
	if len(words) == 0 {
		return fmt.Errorf("expect store: give the keys it holds, empty, or count=N")
	}
	if len(words) == 1 && words[0] == "empty" {
		e.StoreKeys = []string{}
		return nil
	}
	for _, w := range words {
		if c, ok, err := parseCountWord(w, "count"); ok {
			if err != nil {
				return err
			}
			e.Count = c
			continue
		}
		if strings.ContainsAny(w, "=<>") {
			return fmt.Errorf("expect store: %q is neither a key nor count=N", w)
		}
		e.StoreKeys = append(e.StoreKeys, w)
	}
	if e.Count.Set && len(e.StoreKeys) > 0 {
		return fmt.Errorf("expect store: give either keys or a count, not both")
	}
	return nil
}

func parseSyncedExpect(e *Expect, words []string, who string) error {
	if len(words) != 1 || (words[0] != "synced" && words[0] != "not-synced") {
		return fmt.Errorf("expect %s: say synced or not-synced", who)
	}
	e.Synced, e.Is = true, words[0] == "synced"
	return nil
}

func parseTraceExpect(e *Expect, words []string) error {
	if len(words) > 0 && words[0] == "no" {
		e.Count = Count{Set: true, Op: "=", N: 0}
		words = words[1:]
	}
	if len(words) == 0 {
		return fmt.Errorf("expect trace: name an event kind, such as RelistNeeded")
	}
	k, ok := trace.ParseKind(words[0])
	if !ok {
		return fmt.Errorf("expect trace: no event kind %q", words[0])
	}
	e.TraceKind = k
	for _, w := range words[1:] {
		if c, ok, err := parseCountWord(w, "count"); ok {
			if err != nil {
				return err
			}
			if e.Count.Set {
				return fmt.Errorf("expect trace: count given twice")
			}
			e.Count = c
			continue
		}
		name, value, ok := strings.Cut(w, "=")
		if !ok || !traceFields[name] {
			return fmt.Errorf("expect trace: %q is not field=value (fields: comp, key, type, reason, rv, value) or count=N", w)
		}
		if e.TraceFields == nil {
			e.TraceFields = map[string]string{}
		}
		e.TraceFields[name] = value
	}
	return nil
}

func parseHandlerExpect(e *Expect, words []string) error {
	who := "expect " + e.Subject
	if len(words) == 0 {
		return fmt.Errorf("%s: what? (a call such as OnAdd, count=N, order, synced, ring-cap=N)", who)
	}
	switch words[0] {
	case "synced", "not-synced":
		return parseSyncedExpect(e, words, who)
	case "order":
		return parseOrder(e, words[1:], who)
	}
	if len(words) == 1 {
		for _, prop := range []string{"ring-cap", "ring-len"} {
			if c, ok, err := parseCountWord(words[0], prop); ok {
				e.Count, e.RingCap, e.RingLen = c, prop == "ring-cap", prop == "ring-len"
				return err
			}
		}
	}
	if words[0] == "no" {
		e.Count = Count{Set: true, Op: "=", N: 0}
		words = words[1:]
	}
	var pattern []string
	for _, w := range words {
		if c, ok, err := parseCountWord(w, "count"); ok {
			if err != nil {
				return err
			}
			if e.Count.Set {
				return fmt.Errorf("%s: count given twice (no means count=0)", who)
			}
			e.Count = c
			continue
		}
		pattern = append(pattern, w)
	}
	p, err := parsePattern(pattern)
	if err != nil {
		return fmt.Errorf("%s: %v", who, err)
	}
	e.Pattern = p
	return nil
}

func parseOrder(e *Expect, words []string, who string) error {
	for _, part := range strings.Split(strings.Join(words, " "), ",") {
		p, err := parsePattern(strings.Fields(part))
		if err != nil {
			return fmt.Errorf("%s order: %v", who, err)
		}
		if p.Call == "" {
			return fmt.Errorf("%s order: each entry starts with a call (OnAdd, OnUpdate or OnDelete), separated by commas", who)
		}
		e.Order = append(e.Order, p)
	}
	if len(e.Order) < 2 {
		return fmt.Errorf("%s order: give at least two calls, separated by commas", who)
	}
	return nil
}

// parsePattern reads [call] [key] [flags...].
func parsePattern(words []string) (CallPattern, error) {
	var p CallPattern
	if len(words) > 0 && callNames[words[0]] {
		p.Call, words = words[0], words[1:]
	} else if len(words) > 0 && strings.HasPrefix(words[0], "On") {
		return p, fmt.Errorf("no call %q (OnAdd, OnUpdate or OnDelete)", words[0])
	}
	for _, w := range words {
		if call, isFlag := callFlags[w]; isFlag {
			if p.Call != "" && p.Call != call {
				return p, fmt.Errorf("flag %s belongs to %s, not %s", w, call, p.Call)
			}
			p.Flags = append(p.Flags, w)
			continue
		}
		if p.Key != "" {
			return p, fmt.Errorf("unexpected %q: a pattern has one key (%s); flags are initial, same-rv, uid-changed, tombstone", w, p.Key)
		}
		if strings.ContainsAny(w, "=<>") {
			return p, fmt.Errorf("unexpected %q", w)
		}
		p.Key = w
	}
	return p, nil
}

// parseCountWord reads prop=N, prop>=N, prop<=N, prop>N or prop<N. ok
// tells whether w is about prop at all.
func parseCountWord(w, prop string) (c Count, ok bool, err error) {
	rest, found := strings.CutPrefix(w, prop)
	if !found || rest == "" || !strings.ContainsAny(rest[:1], "=<>") {
		return c, false, nil
	}
	for _, op := range []string{">=", "<=", "=", ">", "<"} {
		if num, found := strings.CutPrefix(rest, op); found {
			n, err := strconv.Atoi(num)
			if err != nil || n < 0 {
				return c, true, fmt.Errorf("%s: %q is not a count", w, num)
			}
			return Count{Set: true, Op: op, N: n}, true, nil
		}
	}
	return c, true, fmt.Errorf("%s: not %s=N, >=N, <=N, >N or <N", w, prop)
}

// String prints a pattern as written.
func (p CallPattern) String() string {
	parts := []string{}
	if p.Call != "" {
		parts = append(parts, p.Call)
	}
	if p.Key != "" {
		parts = append(parts, p.Key)
	}
	parts = append(parts, p.Flags...)
	if len(parts) == 0 {
		return "any call"
	}
	return strings.Join(parts, " ")
}
