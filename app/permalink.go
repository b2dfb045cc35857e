package ui

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/informerscope/informerscope/assets"
	"github.com/informerscope/informerscope/informer/scenario"
)

// link is what a URL holds: which scenario (a library name, or the whole
// text of an edited one), the options the user changed on top of it, and
// the step to open at. A link opens exactly that moment: the run is
// deterministic, so the step is enough.
type link struct {
	Name string // a library scenario, or ""
	Src  string // the scenario's text when it is not the library's
	Seed *uint64
	// Queue, if set, overrides the scenario's queue mode.
	Queue string
	Step  int
}

// SourceQuery is the URL query that opens the scenario text src at step
// 0: what the page puts in the address bar for an edited scenario.
func SourceQuery(src string) string { return link{Src: src}.encode() }

// maxLinkSrc bounds an edited scenario carried in a URL (after
// compression): far above any lesson (a scenario of 10,000 objects takes
// about 40 KB), and below what browsers and Go's server (1 MB of request
// header) accept.
const maxLinkSrc = 256 << 10

// encode writes the link as a query string, in a fixed order.
func (l link) encode() string {
	q := []string{}
	if l.Name != "" {
		q = append(q, "s="+url.QueryEscape(l.Name))
	} else if l.Src != "" {
		q = append(q, "src="+packText(l.Src))
	}
	if l.Seed != nil {
		q = append(q, "seed="+strconv.FormatUint(*l.Seed, 10))
	}
	if l.Queue != "" {
		q = append(q, "queue="+l.Queue)
	}
	if l.Step > 0 {
		q = append(q, "step="+strconv.Itoa(l.Step))
	}
	return strings.Join(q, "&")
}

// parseLink reads a query string. Anything wrong gets an error that says
// what, so the page can say it and keep what it shows.
func parseLink(query string) (link, error) {
	var l link
	v, err := url.ParseQuery(query)
	if err != nil {
		return l, fmt.Errorf("the link's query is malformed: %v", err)
	}
	l.Name = v.Get("s")
	if src := v.Get("src"); src != "" {
		if l.Name != "" {
			return l, fmt.Errorf("the link names a scenario (s=) and carries one (src=): it should do one")
		}
		if l.Src, err = unpackText(src); err != nil {
			return l, fmt.Errorf("the link's scenario text is damaged (%v): was the link cut short?", err)
		}
	}
	if l.Name != "" {
		if _, ok := assets.Scenario(l.Name); !ok {
			return l, fmt.Errorf("the link names a scenario %q that this version does not have", l.Name)
		}
	}
	if s := v.Get("seed"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return l, fmt.Errorf("the link's seed %q is not a whole number", s)
		}
		l.Seed = &n
	}
	if q := v.Get("queue"); q != "" {
		if _, ok := queueModes[q]; !ok {
			return l, fmt.Errorf("the link's queue %q is not realfifo, realfifo-nonatomic or deltafifo", q)
		}
		l.Queue = q
	}
	if s := v.Get("step"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return l, fmt.Errorf("the link's step %q is not a step number", s)
		}
		l.Step = n
	}
	return l, nil
}

// scenario builds the link's scenario: parsed, with its overrides.
func (l link) scenario() (*scenario.Scenario, string, error) {
	name, src := l.Name, l.Src
	if name != "" {
		src, _ = assets.Scenario(name)
	} else {
		name = "edited"
	}
	if src == "" {
		return nil, "", fmt.Errorf("the link has no scenario")
	}
	s, err := scenario.Parse(name, src)
	if err != nil {
		return nil, src, err
	}
	if l.Seed != nil {
		s.Seed = *l.Seed
	}
	if l.Queue != "" {
		s.Queue = queueModes[l.Queue]
	}
	return s, src, nil
}

var queueModes = map[string]scenario.QueueMode{
	scenario.RealFIFO.String():          scenario.RealFIFO,
	scenario.RealFIFONonAtomic.String(): scenario.RealFIFONonAtomic,
	scenario.DeltaFIFO.String():         scenario.DeltaFIFO,
}

// packText deflates text and encodes it for a URL.
func packText(s string) string {
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.BestCompression)
	w.Write([]byte(s))
	w.Close()
	return base64.RawURLEncoding.EncodeToString(b.Bytes())
}

func unpackText(p string) (string, error) {
	if len(p) > maxLinkSrc {
		return "", fmt.Errorf("longer than %d characters", maxLinkSrc)
	}
	raw, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil {
		return "", err
	}
	out, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(raw)), 1<<20))
	if err != nil {
		return "", err
	}
	return string(out), nil
}
