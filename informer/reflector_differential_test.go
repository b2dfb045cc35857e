package informer

// The same scripted server drives client-go's Reflector (inside a
// testing/synctest bubble, so its clock is virtual) and ours (on the
// deterministic runtime); the List and Watch calls they make, with their
// options and the pauses between them, and the calls they make on their
// stores must be the same.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/apimachinery/pkg/watch"
	kcache "k8s.io/client-go/tools/cache"
)

// diffServer answers lists and watches; each side gets a fresh one.
type diffServer interface {
	list(opts metav1.ListOptions) (runtime.Object, error)
	watch(opts metav1.ListOptions) watchScript
}

// queueServer plays queues of replies, as scriptedLW does.
type queueServer struct {
	lists   []listReply
	watches []watchScript
}

func (s *queueServer) list(metav1.ListOptions) (runtime.Object, error) {
	if len(s.lists) == 0 {
		return nil, apierrors.NewInternalError(fmt.Errorf("no more scripted lists"))
	}
	r := s.lists[0]
	s.lists = s.lists[1:]
	return r.list, r.err
}

func (s *queueServer) watch(metav1.ListOptions) watchScript {
	if len(s.watches) == 0 {
		return watchScript{}
	}
	w := s.watches[0]
	s.watches = s.watches[1:]
	return w
}

// diffLog is one side's account: calls and store calls, in order.
type diffLog struct {
	mu    sync.Mutex
	lines []string
	last  time.Duration
}

// call logs a List or Watch call with the pause before it: exact when it
// is a whole number of milliseconds (a scripted pause), "~" for a
// jittered backoff wait, which two runs draw differently.
func (l *diffLog) call(at time.Duration, verb string, opts metav1.ListOptions) {
	l.mu.Lock()
	defer l.mu.Unlock()
	gap := at - l.last
	l.last = at
	label := "~"
	if gap%time.Millisecond == 0 {
		label = "+" + gap.String()
	}
	line := fmt.Sprintf("%s %s", label, lwCall{verb: verb, opts: opts})
	if verb == "WATCH" {
		line += fmt.Sprintf(" bookmarks=%v", opts.AllowWatchBookmarks)
	}
	l.lines = append(l.lines, line)
}

func (l *diffLog) store(line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, "  store."+line)
}

// loggingStore logs the Reflector's store calls; it takes bookmarks.
type loggingStore struct {
	next interface {
		Add(any) error
		Update(any) error
		Delete(any) error
		Replace([]any, string) error
		Resync() error
	}
	log *diffLog
}

func (s *loggingStore) Add(o any) error { s.log.store("Add(" + fmtObj(o) + ")"); return s.next.Add(o) }
func (s *loggingStore) Update(o any) error {
	s.log.store("Update(" + fmtObj(o) + ")")
	return s.next.Update(o)
}
func (s *loggingStore) Delete(o any) error {
	s.log.store("Delete(" + fmtObj(o) + ")")
	return s.next.Delete(o)
}
func (s *loggingStore) Resync() error { s.log.store("Resync()"); return s.next.Resync() }
func (s *loggingStore) Bookmark(rv string) error {
	s.log.store("Bookmark(" + rv + ")")
	return nil
}

// Replace logs the items sorted: a streaming list's come from a map in
// client-go.
func (s *loggingStore) Replace(list []any, rv string) error {
	items := make([]string, len(list))
	for i, o := range list {
		items[i] = fmtObj(o)
	}
	sort.Strings(items)
	s.log.store(fmt.Sprintf("Replace([%s], %q)", strings.Join(items, " "), rv))
	return s.next.Replace(list, rv)
}

// diffScenario is a server, the options both Reflectors get, and how long
// they run.
type diffScenario struct {
	name      string
	watchList bool
	resync    time.Duration
	pageSize  int64
	// backoff, if set, replaces the default on both sides.
	backoff  *Backoff
	server   func() diffServer
	duration time.Duration
}

// runOurs runs our Reflector against the scenario.
func runOurs(t *testing.T, sc diffScenario) []string {
	g := newReflRig(t, rigOptions{watchList: sc.watchList, opts: ReflectorOptions{ResyncPeriod: sc.resync, Backoff: sc.backoff}})
	log := &diffLog{}
	g.r.store = &loggingStore{next: g.store, log: log}
	g.r.WatchListPageSize = sc.pageSize
	srv := sc.server()
	g.lw.listFn = func(opts metav1.ListOptions) (runtime.Object, error) {
		log.call(g.at(), "LIST", opts)
		return srv.list(opts)
	}
	g.lw.watchFn = func(opts metav1.ListOptions) watchScript {
		log.call(g.at(), "WATCH", opts)
		return srv.watch(opts)
	}
	g.rt.Go("stopper", func() {
		g.rt.Sleep(sc.duration)
		g.stop.Close()
	})
	g.start()
	g.drain()
	return log.lines
}

// plainLW is client-go's side of the server: plain-channel watches played
// by goroutines that sleep on the bubble's clock.
type plainLW struct {
	srv         diffServer
	log         *diffLog
	start       time.Time
	unsupported bool
}

func (lw *plainLW) IsWatchListSemanticsUnSupported() bool { return lw.unsupported }

func (lw *plainLW) List(opts metav1.ListOptions) (runtime.Object, error) {
	lw.log.call(time.Since(lw.start), "LIST", opts)
	return lw.srv.list(opts)
}

func (lw *plainLW) Watch(opts metav1.ListOptions) (watch.Interface, error) {
	lw.log.call(time.Since(lw.start), "WATCH", opts)
	script := lw.srv.watch(opts)
	if script.err != nil {
		return nil, script.err
	}
	w := &plainWatch{result: make(chan watch.Event), stop: make(chan struct{})}
	go w.serve(script)
	return w, nil
}

type plainWatch struct {
	result chan watch.Event
	stop   chan struct{}
	once   sync.Once
}

func (w *plainWatch) ResultChan() <-chan watch.Event { return w.result }
func (w *plainWatch) Stop()                          { w.once.Do(func() { close(w.stop) }) }

func (w *plainWatch) pause(d time.Duration) bool {
	if d <= 0 {
		return true
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-w.stop:
		return false
	}
}

func (w *plainWatch) serve(script watchScript) {
	for _, s := range script.steps {
		if !w.pause(s.after) {
			return
		}
		select {
		case w.result <- s.event:
		case <-w.stop:
			return
		}
	}
	if script.close {
		if w.pause(script.closeAfter) {
			close(w.result)
		}
		return
	}
	<-w.stop
}

// runClientGo runs client-go's Reflector against the scenario in a bubble.
func runClientGo(t *testing.T, sc diffScenario) []string {
	log := &diffLog{}
	synctest.Test(t, func(t *testing.T) {
		lw := &plainLW{srv: sc.server(), log: log, start: time.Now(), unsupported: !sc.watchList}
		store := &loggingStore{next: kcache.NewStore(kcache.MetaNamespaceKeyFunc), log: log}
		opts := kcache.ReflectorOptions{Name: "reflector", ResyncPeriod: sc.resync}
		if b := sc.backoff; b != nil {
			opts.Backoff = &wait.Backoff{Duration: b.Duration, Factor: b.Factor, Jitter: b.Jitter, Steps: b.Steps, Cap: b.Cap}
		}
		r := kcache.NewReflectorWithOptions(lw, &metav1.PartialObjectMetadata{}, store, opts)
		r.WatchListPageSize = sc.pageSize
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			r.RunWithContext(ctx)
		}()
		time.Sleep(sc.duration)
		cancel()
		<-done
	})
	return log.lines
}

// quietErrorHandlers keeps client-go's HandleError from sleeping between
// errors, which would shift its clock in the bubble, and from logging.
func quietErrorHandlers(t *testing.T) {
	saved := utilruntime.ErrorHandlers
	utilruntime.ErrorHandlers = []utilruntime.ErrorHandler{func(context.Context, error, string, ...any) {}}
	t.Cleanup(func() { utilruntime.ErrorHandlers = saved })
}

func compareSides(t *testing.T, sc diffScenario) {
	t.Helper()
	theirs := runClientGo(t, sc)
	ours := runOurs(t, sc)
	if !slices.Equal(ours, theirs) {
		t.Errorf("%s: ours:\n%s\nclient-go:\n%s", sc.name, strings.Join(ours, "\n"), strings.Join(theirs, "\n"))
		return
	}
	t.Logf("%s: both:\n%s", sc.name, strings.Join(ours, "\n"))
}

func queue(lists []listReply, watches ...watchScript) func() diffServer {
	return func() diffServer { return &queueServer{lists: slices.Clone(lists), watches: slices.Clone(watches)} }
}

func TestReflectorDifferentialScenarios(t *testing.T) {
	quietErrorHandlers(t)
	node := evAdded(&metav1.Status{})
	internal := apierrors.NewInternalError(fmt.Errorf("etcd"))
	tooMany := apierrors.NewTooManyRequests("busy", 1)
	scenarios := []diffScenario{
		{name: "E1 pages", pageSize: 2, duration: 10 * time.Second, server: queue([]listReply{
			{list: lwPage("5", "2", obj("a", "1"), obj("b", "2"))}, {list: lwPage("5", "4", obj("c", "3"), obj("d", "4"))},
			{list: lwPage("5", "", obj("e", "5"))}})},
		{name: "E2 expired event and expired relist", duration: 10 * time.Second, server: queue(
			[]listReply{{list: lwList("5", obj("a", "5"))}, {err: expiredErr()}, {list: lwList("5", obj("a", "5"))}},
			watchScript{steps: instantly(evError(expiredErr()))})},
		{name: "E3 refused watches", duration: 10 * time.Second, server: queue([]listReply{{list: lwList("5")}},
			watchScript{err: tooMany}, watchScript{err: syscall.ECONNREFUSED})},
		{name: "E4 gone watch", duration: 10 * time.Second, server: queue([]listReply{{list: lwList("5")}, {list: lwList("6")}},
			watchScript{err: apierrors.NewGone("gone")})},
		{name: "E5 E6 bookmark, wrong type, strange", duration: 10 * time.Second, server: queue([]listReply{{list: lwList("5", obj("a", "5"))}},
			watchScript{steps: []watchStep{{event: evBookmark("42")}, {after: time.Second, event: node},
				{after: time.Second, event: watch.Event{Type: "STRANGE", Object: obj("z", "44")}},
				{after: time.Second, event: evModified(obj("a", "45"))}, {event: evDeleted(obj("a", "46"))}}})},
		{name: "E7 internal error event, 429 in stream", duration: 20 * time.Second, server: queue(
			[]listReply{{list: lwList("5")}, {list: lwList("7")}},
			watchScript{steps: []watchStep{{after: 2 * time.Second, event: evError(tooMany)}}},
			watchScript{steps: []watchStep{{after: 3 * time.Second, event: evError(internal)}}})},
		{name: "I5 clean closes and I5b very short", duration: 20 * time.Second, server: queue(
			[]listReply{{list: lwList("5")}, {list: lwList("6")}},
			watchScript{close: true, closeAfter: time.Second},
			watchScript{steps: instantly(evAdded(obj("a", "6"))), close: true},
			watchScript{close: true, closeAfter: 500 * time.Millisecond})},
		{name: "resync", resync: 5 * time.Second, duration: 17 * time.Second, server: queue(
			[]listReply{{list: lwList("5", obj("a", "5"))}, {list: lwList("6", obj("a", "6"))}},
			watchScript{steps: []watchStep{{after: 7 * time.Second, event: evError(expiredErr())}}})},
		{name: "W1 streaming list", watchList: true, duration: 10 * time.Second, server: queue(nil,
			watchScript{steps: []watchStep{{event: evAdded(obj("b", "2"))}, {event: evAdded(obj("a", "1"))},
				{event: evEndBookmark("10")}, {after: time.Second, event: evAdded(obj("c", "11"))}}})},
		{name: "streaming list falls back to LIST", watchList: true, duration: 10 * time.Second, server: queue(
			[]listReply{{list: lwList("1", obj("p1", "1"))}},
			watchScript{err: apierrors.NewInvalid(schema.GroupKind{}, "streaming is not allowed", nil)},
			watchScript{steps: instantly(evAdded(obj("p2", "2")))})},
		{name: "streaming list retried: closed early, refused, expired", watchList: true, duration: 20 * time.Second, server: queue(nil,
			watchScript{steps: instantly(evAdded(obj("p1", "1"))), close: true},
			watchScript{err: tooMany},
			watchScript{steps: []watchStep{{event: evAdded(obj("p1", "1"))}, {event: evEndBookmark("3")}, {after: time.Second, event: evError(expiredErr())}}},
			watchScript{err: expiredErr()},
			watchScript{steps: instantly(evAdded(obj("p1", "4")), evEndBookmark("5"))})},
		{name: "streaming list very short", watchList: true, duration: 10 * time.Second, server: queue(
			[]listReply{{list: lwList("1")}}, watchScript{close: true})},
	}
	for _, sc := range scenarios {
		compareSides(t, sc)
	}
}

// TestReflectorDifferentialRandom drives both Reflectors with random
// servers for four virtual minutes. Both use the default backoff without
// jitter, so that every wait, and so every resync tick and backoff restart
// between them, falls at the same time on both sides.
func TestReflectorDifferentialRandom(t *testing.T) {
	quietErrorHandlers(t)
	runs := 40
	if testing.Short() {
		runs = 10
	}
	noJitter := defaultBackoff()
	noJitter.Jitter = 0
	for seed := range uint64(runs) {
		rng := rand.New(rand.NewPCG(seed, 2))
		sc := diffScenario{
			name:      fmt.Sprintf("seed %d", seed),
			watchList: rng.IntN(2) == 0,
			resync:    []time.Duration{0, 7 * time.Second}[rng.IntN(2)],
			pageSize:  []int64{0, 2}[rng.IntN(2)],
			backoff:   &noJitter,
			duration:  4 * time.Minute,
			server: func() diffServer {
				return &diffRandomServer{randomServer{rng: rand.New(rand.NewPCG(seed, 3))}}
			},
		}
		compareSides(t, sc)
	}
}

// diffRandomServer is a randomServer whose watches never close at their
// timeout, which each Reflector draws differently, and never stay open
// for good, so that a run goes on through many cycles.
type diffRandomServer struct{ randomServer }

func (s *diffRandomServer) watch(opts metav1.ListOptions) watchScript {
	w := s.randomServer.watch(opts)
	if w.err == nil && (!w.close || opts.TimeoutSeconds != nil && w.closeAfter == time.Duration(*opts.TimeoutSeconds)*time.Second) {
		w.close, w.closeAfter = true, time.Duration(500+s.rng.IntN(20000))*time.Millisecond
	}
	return w
}
