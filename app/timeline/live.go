package timeline

import (
	"errors"
	"sync"
	"time"

	"github.com/informerscope/informerscope/informer/scenario"
	"github.com/informerscope/informerscope/informer/trace"
)

// A live timeline records an informer that runs on the native runtime,
// against a real cluster: its events arrive when they happen, on the
// informer's goroutines, and wait in a feed until the page pulls them in
// on its own goroutine. Nothing can make it go faster, fork it, or step a
// goroutine of it; it can be paused (the cursor stays while events pile
// up), stepped through, and gone back in.

// liveFeed is where a live run's events wait to be pulled.
type liveFeed struct {
	mu      sync.Mutex
	pending []trace.Event
	at      []time.Duration
	start   time.Time
	stopped bool
}

// ErrLive is why a live run cannot do what only a simulation can.
var ErrLive = errors.New("a live run cannot be run faster, forked or stepped by goroutine: it is the cluster's pace")

// NewLive returns a timeline of a live run and the recorder its informer
// reports to. title names it.
func NewLive(title string) (*Timeline, *trace.Recorder) {
	rec := trace.NewRecorder()
	feed := &liveFeed{start: time.Now()}
	rec.OnEvent(func(e trace.Event) {
		feed.mu.Lock()
		feed.pending = append(feed.pending, e)
		feed.at = append(feed.at, time.Since(feed.start))
		feed.mu.Unlock()
	})
	r := newRunState()
	r.live, r.liveRec = feed, rec
	return &Timeline{Scenario: &scenario.Scenario{Name: "live", Title: title}, r: r, snap: trace.NewSnapshot()}, rec
}

// Live tells whether the timeline records a live run.
func (t *Timeline) Live() bool { return t.r.live != nil }

// Pull brings the events that arrived since the last pull into the
// timeline, after the ones it has, and returns how many came.
func (t *Timeline) Pull() int {
	r := t.r
	if r.live == nil {
		return 0
	}
	r.live.mu.Lock()
	events, at := r.live.pending, r.live.at
	r.live.pending, r.live.at = nil, nil
	r.live.mu.Unlock()
	snap := r.checkpoints[len(r.checkpoints)-1]
	if len(events) > 0 && r.tail == nil {
		r.tail = snap.Clone()
	}
	for i, e := range events {
		r.byKind[e.Kind] = append(r.byKind[e.Kind], len(r.events))
		r.events = append(r.events, e)
		r.at = append(r.at, at[i])
		r.step = append(r.step, 0)
		r.tail.Apply(e)
		r.keep(r.tail)
	}
	r.objects = append(r.objects, r.liveRec.ObjectsFrom(len(r.objects))...)
	return len(events)
}

// StopLive marks the live run over: its informer was stopped.
func (t *Timeline) StopLive() {
	if t.r.live != nil {
		t.r.ended = true
	}
}
