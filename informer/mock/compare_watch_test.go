//go:build !js

package mock_test

import (
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/watch"
)

// initialEventsEnd is the annotation on the bookmark that ends the
// initial events of a streaming list.
const initialEventsEnd = "k8s.io/initial-events-end"

// watchRun is one watch of a script. It runs concurrently with the
// script's other watches until the next wait step, which prints it: all
// watches of a script replay the same history, so running them together
// costs one timeoutSeconds instead of one each.
type watchRun struct {
	id     string
	wg     sync.WaitGroup
	openEr error
	events []watch.Event
	end    string
	lines  []string
}

func (r *scriptRun) startWatch(st step) {
	r.nWatch++
	w := &watchRun{id: fmt.Sprintf("watch#%d", r.nWatch)}
	w.lines = []string{w.id + " " + describe(st)}
	r.open = append(r.open, w)
	opts := r.listOptions(st)
	// The script goes on once the server has accepted the watch: by then
	// the real server has fixed what the watch replays, so the script's
	// next writes reach it live.
	opened := make(chan struct{})
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		w.collect(r, st, opts, opened)
	}()
	<-opened
}

func (w *watchRun) collect(r *scriptRun, st step, opts metav1.ListOptions, opened chan<- struct{}) {
	wi, err := r.api(st).Watch(r.ctx, opts)
	close(opened)
	if err != nil {
		w.openEr = err
		return
	}
	defer wi.Stop()
	// A safety net far beyond timeoutSeconds: a server that never closes
	// the watch is a difference, not a hang.
	limit := time.After(st.opts.timeout + 10*time.Second)
	for {
		select {
		case ev, ok := <-wi.ResultChan():
			if !ok {
				w.end = "closed by the server"
				return
			}
			w.events = append(w.events, ev)
			if st.opts.untilInitialEnd && ev.Type == watch.Bookmark && isInitialEventsEnd(ev) {
				w.end = "stopped by the client after initial-events-end"
				return
			}
		case <-limit:
			w.end = "NOT CLOSED by the server within timeoutSeconds+10s"
			return
		}
	}
}

func isInitialEventsEnd(ev watch.Event) bool {
	o, ok := ev.Object.(*unstructured.Unstructured)
	return ok && o.GetAnnotations()[initialEventsEnd] == "true"
}

// text prints the watch's events: one line each, the run's own objects
// only, resourceVersions by their relation to the anchors, and a run of
// identical bookmark lines as one (the real server may add one more when
// foreign writes move it; see the bookmark rule).
func (w *watchRun) text(r *scriptRun) []string {
	lines := w.lines
	add := func(s string) {
		if n := len(lines); n > 0 && lines[n-1] == s {
			return
		}
		lines = append(lines, s)
	}
	if w.openEr != nil {
		return append(lines, w.id+" open"+errSuffix(w.openEr))
	}
	var last uint64
	for _, ev := range w.events {
		switch ev.Type {
		case watch.Error:
			s := apierrors.FromObject(ev.Object).(apierrors.APIStatus).Status()
			add(fmt.Sprintf("%s ERROR %d %s %q", w.id, s.Code, s.Reason, r.relNumbers(s.Message)))
			continue
		}
		o, ok := ev.Object.(*unstructured.Unstructured)
		if !ok {
			add(fmt.Sprintf("%s %s object of type %T", w.id, ev.Type, ev.Object))
			continue
		}
		rv, _ := strconv.ParseUint(o.GetResourceVersion(), 10, 64)
		order := ""
		if rv < last || (rv == last && ev.Type != watch.Bookmark) {
			order = " (resourceVersion went back)"
		}
		last = max(last, rv)
		if ev.Type == watch.Bookmark {
			s := fmt.Sprintf("%s BOOKMARK rv %s", w.id, r.rel(o.GetResourceVersion(), true))
			if o.GetAnnotations()[initialEventsEnd] == "true" {
				s += " " + initialEventsEnd
			}
			if o.GetName() != "" {
				s += " name=" + o.GetName()
			}
			add(s + order)
			continue
		}
		if !r.isOurs(o) {
			continue
		}
		add(fmt.Sprintf("%s %s %s%s", w.id, ev.Type, r.objectText(o), order))
	}
	return append(lines, w.id+" "+w.end)
}

var numberRE = regexp.MustCompile(`\d+`)

// relNumbers prints the resourceVersions in an error message by their
// relation to the anchors, not-older-than: the "(oldest)" of a 410 is the
// version the server forgot its history at, which on the real server lies
// after the script's last write (the expire step's own etcd and CRD
// writes, lease renewals), and on the mock at it.
func (r *scriptRun) relNumbers(msg string) string {
	return numberRE.ReplaceAllStringFunc(msg, func(n string) string { return r.rel(n, true) })
}
