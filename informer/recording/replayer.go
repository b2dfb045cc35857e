package recording

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/informerscope/informerscope/informer"
	"github.com/informerscope/informerscope/informer/sim"
)

// Replayer is a ListerWatcher that serves a Recording: the n-th call it
// gets is answered with the recording's n-th call. Lists answer at once;
// each watch is served by a goroutine of the runtime, named "replay watch
// N", that sends every event at its recorded offset from the watch's
// opening on the runtime's clock, then ends the watch as the recording
// says (the server closed it at its offset; or the informer stopped it, so
// it stays open until the replayed informer does too).
//
// A call whose verb differs from the recorded one is answered with a
// *DivergedError; one whose options differ is served anyway, and noted.
// Past the end of the recording, a list fails with a *DivergedError and a
// watch stays open, silent, so an informer replayed to the end keeps the
// state it reached.
type Replayer struct {
	rt  sim.Runtime
	rec *Recording

	mu       sync.Mutex
	next     int
	diverged []string
}

// NewReplayer serves rec on rt. rec must be valid (Decode checks it).
func NewReplayer(rt sim.Runtime, rec *Recording) *Replayer {
	return &Replayer{rt: sim.Or(rt), rec: rec}
}

// IsWatchListSemanticsUnSupported answers what the recorded source did,
// so the Reflector starts with the recorded kind of call.
func (p *Replayer) IsWatchListSemanticsUnSupported() bool { return p.rec.WatchListUnsupported }

// Served is how many recorded calls have been served.
func (p *Replayer) Served() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return min(p.next, len(p.rec.Calls))
}

// Diverged lists every difference between the calls made and the recorded
// ones; empty when the replay made exactly the recorded calls.
func (p *Replayer) Diverged() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.diverged...)
}

// take returns the recorded call for this one, or the reason it cannot.
func (p *Replayer) take(verb string, opts metav1.ListOptions) (*Call, int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := p.next + 1
	if p.next >= len(p.rec.Calls) {
		p.next++
		return nil, n, &DivergedError{Call: n, Got: verb}
	}
	c := &p.rec.Calls[p.next]
	if c.Verb != verb {
		err := &DivergedError{Call: n, Want: c.Verb, Got: verb}
		p.diverged = append(p.diverged, err.Error())
		return nil, n, err
	}
	p.next++
	if d := optionsDiff(c.Options, opts); d != "" {
		p.diverged = append(p.diverged, fmt.Sprintf("call %d (%s): %s", n, verb, d))
	}
	return c, n, nil
}

// optionsDiff compares a call's options with the recorded ones, except
// timeoutSeconds: the Reflector draws each watch's timeout at random, and
// what ends a recorded watch is its recorded end, not the timeout.
func optionsDiff(want, got metav1.ListOptions) string {
	want.TimeoutSeconds, got.TimeoutSeconds = nil, nil
	w, _ := json.Marshal(want)
	g, _ := json.Marshal(got)
	if bytes.Equal(w, g) {
		return ""
	}
	return fmt.Sprintf("options %s, recorded %s", g, w)
}

// List lists without a context.
//
// Deprecated: use ListWithContext.
func (p *Replayer) List(opts metav1.ListOptions) (runtime.Object, error) {
	return p.ListWithContext(context.Background(), opts)
}

// ListWithContext answers with the recorded page or error.
func (p *Replayer) ListWithContext(_ context.Context, opts metav1.ListOptions) (runtime.Object, error) {
	c, _, err := p.take(VerbList, opts)
	if err != nil {
		return nil, err
	}
	if c.Error != nil {
		return nil, c.Error.err()
	}
	return decodeList(c.List)
}

// Watch watches without a context.
//
// Deprecated: use WatchWithContext.
func (p *Replayer) Watch(opts metav1.ListOptions) (watch.Interface, error) {
	return p.WatchWithContext(context.Background(), opts)
}

// WatchWithContext answers with the recorded error, or a watch that
// replays the recorded events.
func (p *Replayer) WatchWithContext(_ context.Context, opts metav1.ListOptions) (watch.Interface, error) {
	c, n, err := p.take(VerbWatch, opts)
	if d, ok := err.(*DivergedError); ok && d.Want == "" {
		c, err = &Call{Verb: VerbWatch}, nil // past the end: open and silent
	}
	if err != nil {
		return nil, err
	}
	if c.Error != nil {
		return nil, c.Error.err()
	}
	w := &replayedWatch{rt: p.rt, call: c,
		out:       sim.NewChan[watch.Event](p.rt, fmt.Sprintf("replay watch %d result", n), 0),
		stop:      sim.NewChan[struct{}](p.rt, fmt.Sprintf("replay watch %d stop", n), 0),
		plainStop: make(chan struct{}),
	}
	p.rt.Go(fmt.Sprintf("replay watch %d", n), w.run)
	return w, nil
}

// replayedWatch sends one recorded watch's events on the runtime's clock.
type replayedWatch struct {
	rt   sim.Runtime
	call *Call

	out       sim.Chan[watch.Event]
	stop      sim.Chan[struct{}]
	plainStop chan struct{}
	stopOnce  sync.Once
	plain     plainBridge
}

var _ informer.SimWatch = &replayedWatch{}

func (w *replayedWatch) SimResultChan() sim.Chan[watch.Event] { return w.out }

func (w *replayedWatch) ResultChan() <-chan watch.Event {
	return w.plain.start(w.rt, w.out, w.plainStop)
}

func (w *replayedWatch) Stop() {
	w.stopOnce.Do(func() {
		close(w.plainStop)
		w.stop.Close()
	})
}

// run sends each event at its offset, then ends the watch at the recorded
// end, or waits for Stop. It returns as soon as Stop is called.
func (w *replayedWatch) run() {
	defer w.out.Close()
	opened := w.rt.Now()
	for _, e := range w.call.Events {
		if !w.waitUntil(opened.Add(e.At)) {
			return
		}
		obj, err := decodeEventObject(e)
		if err != nil {
			return // Validate keeps this from happening
		}
		ev := watch.Event{Type: e.Type, Object: obj}
		if chosen, _, _ := w.rt.Select(true, w.out.SendCase(ev), w.stop.RecvCase()); chosen == 1 {
			return
		}
	}
	if end := w.call.End; end != nil && end.By == EndedByServer {
		w.waitUntil(opened.Add(end.At))
		return
	}
	w.stop.Recv()
}

// waitUntil sleeps until t on the runtime's clock; false if Stop came
// first.
func (w *replayedWatch) waitUntil(t time.Time) bool {
	d := t.Sub(w.rt.Now())
	if d <= 0 {
		return true
	}
	timer := w.rt.NewTimer(d)
	defer timer.Stop()
	chosen, _, _ := w.rt.Select(true, timer.C().RecvCase(), w.stop.RecvCase())
	return chosen == 0
}
