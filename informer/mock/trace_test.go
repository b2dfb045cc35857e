package mock

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/informerscope/informerscope/informer/trace"
)

// traceLog keeps a traced rig's events as lines (see line), split as a
// test can pin them down whatever order the runtime runs goroutines in:
// what the driver's calls record, in order, and what each watch's own
// goroutine records, by watch.
type traceLog struct {
	rec     *trace.Recorder
	main    []string
	byWatch map[string][]string
	on      bool
}

// newTracedRig returns a rig whose server records into a traceLog, which
// keeps lines from when start is called.
func newTracedRig(t *testing.T, opts Options) (*rig, *traceLog) {
	l := &traceLog{rec: trace.NewRecorder(), byWatch: map[string][]string{}}
	opts.Recorder = l.rec
	r := newRig(t, opts)
	l.rec.OnEvent(func(e trace.Event) {
		if !l.on {
			return
		}
		text := fmt.Sprintf("%v %s", r.at(), line(e, l.rec.Objects()))
		switch e.Kind {
		case trace.ServerBookmarkQueued, trace.ServerWatchEventSent, trace.ServerWatchClosed:
			w := shortWatch(e.Key)
			l.byWatch[w] = append(l.byWatch[w], text)
		default:
			l.main = append(l.main, text)
		}
	})
	return r, l
}

func (l *traceLog) start() { l.on = true }

// line writes an event as its kind and the fields it sets, objects as
// key@rv and watches as w<N>.
func line(e trace.Event, objs []trace.Object) string {
	parts := []string{e.Kind.String()}
	add := func(name, v string) {
		if v != "" {
			parts = append(parts, name+v)
		}
	}
	obj := func(r trace.ObjRef) string {
		if r == 0 {
			return ""
		}
		o := objs[r-1]
		return objectKey(Kind{Namespaced: o.Namespace != ""}, o.Namespace, o.Name) + "@" + o.RV
	}
	add("", e.Index)
	if strings.HasPrefix(e.Key, "apiserver watch ") {
		add("", shortWatch(e.Key))
	} else {
		add("key=", e.Key)
	}
	add("", e.Type)
	add("rv=", e.RV)
	add("obj=", obj(e.Obj))
	add("old=", obj(e.Old))
	add("value=", e.Value)
	if e.Count != 0 {
		add("count=", fmt.Sprint(e.Count))
	}
	if e.Until != 0 {
		add("until=", time.Duration(e.Until).String())
	}
	if e.Initial {
		add("", "initial")
	}
	add("reason=", e.Reason)
	if len(e.Keys) > 0 {
		var ws []string
		for _, k := range e.Keys {
			ws = append(ws, shortWatch(k))
		}
		add("keys=", strings.Join(ws, ","))
	}
	return strings.Join(parts, " ")
}

// shortWatch turns "apiserver watch 3 (configmaps)" into "w3".
func shortWatch(name string) string {
	n, _, _ := strings.Cut(strings.TrimPrefix(name, "apiserver watch "), " ")
	return "w" + n
}

// The events the server records, field by field, for each thing it does.
// fill made ns1/a..e at 2..6 and ns0/z at 7.
func TestTraceEvents(t *testing.T) {
	const w = "/api/v1/namespaces/ns1/configmaps?"
	cases := []struct {
		name    string
		opts    Options
		run     func(r *rig)
		main    []string
		byWatch map[string][]string
	}{
		{
			name: "writes are queued on the watches that want them, as they see them",
			run: func(r *rig) {
				r.openWatch(metav1.ListOptions{ResourceVersion: "7", LabelSelector: "app=x"})
				r.openWatch(metav1.ListOptions{ResourceVersion: "7"})
				f := r.mustCreate(r.cms("ns1"), cm("ns1", "f", map[string]string{"app": "x"}))
				f.SetLabels(map[string]string{"app": "y"})
				r.mustUpdate(r.cms("ns1"), f)
				r.mustCreate(r.cms("ns1"), cm("ns1", "g", nil))
				r.mustCreate(r.cms("ns0"), cm("ns0", "h", nil))
				if err := r.cms("ns1").Delete(ctx, "f", metav1.DeleteOptions{}); err != nil {
					r.t.Fatal(err)
				}
				r.settle()
			},
			main: []string{
				"0s ServerWatchOpened configmaps w1 rv=7 value=" + w + "labelSelector=app%3Dx&resourceVersion=7&watch=true until=32m12.537116421s",
				"0s ServerWatchOpened configmaps w2 rv=7 value=" + w + "resourceVersion=7&watch=true until=56m54.099149092s",
				"0s ServerObjectWritten configmaps key=ns1/f ADDED rv=8 obj=ns1/f@8 keys=w1,w2",
				"0s ServerObjectWritten configmaps key=ns1/f MODIFIED rv=9 obj=ns1/f@9 old=ns1/f@8 keys=w1,w2",
				"0s ServerObjectWritten configmaps key=ns1/g ADDED rv=10 obj=ns1/g@10 keys=w2",
				"0s ServerObjectWritten configmaps key=ns0/h ADDED rv=11 obj=ns0/h@11",
				"0s ServerObjectWritten configmaps key=ns1/f DELETED rv=12 obj=ns1/f@12 old=ns1/f@9 keys=w2",
			},
			byWatch: map[string][]string{
				// Leaving the selector is a DELETED of the old object at
				// the new resourceVersion.
				"w1": {"0s ServerWatchEventSent w1 ADDED rv=8 obj=ns1/f@8", "0s ServerWatchEventSent w1 DELETED rv=9 obj=ns1/f@9"},
				"w2": {"0s ServerWatchEventSent w2 ADDED rv=8 obj=ns1/f@8", "0s ServerWatchEventSent w2 MODIFIED rv=9 obj=ns1/f@9",
					"0s ServerWatchEventSent w2 ADDED rv=10 obj=ns1/g@10", "0s ServerWatchEventSent w2 DELETED rv=12 obj=ns1/f@12"},
			},
		},
		{
			name: "a watch's start: initial events, a replay, an expired one, the expiry fault",
			opts: Options{WindowSize: 3},
			run: func(r *rig) {
				r.openWatch(metav1.ListOptions{SendInitialEvents: ptr(true), ResourceVersionMatch: metav1.ResourceVersionMatchNotOlderThan,
					AllowWatchBookmarks: true, FieldSelector: "metadata.name=b", TimeoutSeconds: ptr(int64(60))})
				r.openWatch(metav1.ListOptions{ResourceVersion: "5"})
				r.openWatch(metav1.ListOptions{ResourceVersion: "3"})
				r.s.ExpireNextWatch()
				r.openWatch(metav1.ListOptions{ResourceVersion: "7"})
				r.settle()
			},
			main: []string{
				"0s ServerWatchOpened configmaps w1 rv=7 value=" + w + "allowWatchBookmarks=true&fieldSelector=metadata.name%3Db&resourceVersionMatch=NotOlderThan&sendInitialEvents=true&timeoutSeconds=60&watch=true count=2 until=1m0s",
				"0s ServerWatchOpened configmaps w2 rv=7 value=" + w + "resourceVersion=5&watch=true count=1 until=56m54.099149092s",
				"0s ServerWatchOpened configmaps w3 value=" + w + "resourceVersion=3&watch=true count=1 reason=expired",
				"0s ServerFault reason=ExpireNextWatch",
				"0s ServerWatchOpened configmaps w4 value=" + w + "resourceVersion=7&watch=true count=1 reason=expire fault",
			},
			byWatch: map[string][]string{
				"w1": {"0s ServerWatchEventSent w1 ADDED rv=3 obj=ns1/b@3", "0s ServerWatchEventSent w1 BOOKMARK rv=7 initial"},
				// ns0/z at 7 is outside the watch's namespace.
				"w2": {"0s ServerWatchEventSent w2 ADDED rv=6 obj=ns1/e@6"},
				"w3": {"0s ServerWatchEventSent w3 ERROR reason=too old resource version: 3 (4)", "0s ServerWatchClosed w3 reason=expired"},
				"w4": {"0s ServerWatchEventSent w4 ERROR reason=too old resource version: 7 (7)", "0s ServerWatchClosed w4 reason=expire fault"},
			},
		},
		{
			name: "CloseWatches drains, with a last bookmark for those that take them",
			run: func(r *rig) {
				r.openWatch(metav1.ListOptions{ResourceVersion: "7", AllowWatchBookmarks: true})
				r.openWatch(metav1.ListOptions{ResourceVersion: "7"})
				r.settle()
				r.s.DelayEvents(time.Second)
				r.mustCreate(r.cms("ns1"), cm("ns1", "f", nil))
				r.s.CloseWatches()
				r.runFor(5 * time.Second)
			},
			main: []string{
				"0s ServerWatchOpened configmaps w1 rv=7 value=" + w + "allowWatchBookmarks=true&resourceVersion=7&watch=true until=32m12.537116421s",
				"0s ServerWatchOpened configmaps w2 rv=7 value=" + w + "resourceVersion=7&watch=true until=56m54.099149092s",
				"0s ServerFault value=1s reason=DelayEvents",
				"0s ServerObjectWritten configmaps key=ns1/f ADDED rv=8 obj=ns1/f@8 keys=w1,w2",
				"0s ServerFault reason=CloseWatches",
				"0s ServerWatchEnding w1 count=2 reason=closed",
				"0s ServerWatchEnding w2 count=1 reason=closed",
			},
			byWatch: map[string][]string{
				"w1": {"1s ServerWatchEventSent w1 ADDED rv=8 obj=ns1/f@8", "1s ServerWatchEventSent w1 BOOKMARK rv=8", "1s ServerWatchClosed w1 reason=closed"},
				"w2": {"1s ServerWatchEventSent w2 ADDED rv=8 obj=ns1/f@8", "1s ServerWatchClosed w2 reason=closed"},
			},
		},
		{
			name: "DropConnections loses what is queued",
			run: func(r *rig) {
				r.openWatch(metav1.ListOptions{ResourceVersion: "7", AllowWatchBookmarks: true})
				r.settle()
				r.s.DelayEvents(time.Second)
				r.mustCreate(r.cms("ns1"), cm("ns1", "f", nil))
				r.s.DropConnections()
				r.runFor(5 * time.Second)
			},
			main: []string{
				"0s ServerWatchOpened configmaps w1 rv=7 value=" + w + "allowWatchBookmarks=true&resourceVersion=7&watch=true until=32m12.537116421s",
				"0s ServerFault value=1s reason=DelayEvents",
				"0s ServerObjectWritten configmaps key=ns1/f ADDED rv=8 obj=ns1/f@8 keys=w1",
				"0s ServerFault reason=DropConnections",
				"0s ServerWatchEnding w1 count=1 reason=dropped",
			},
			byWatch: map[string][]string{"w1": {"0s ServerWatchClosed w1 count=1 reason=dropped"}},
		},
		{
			name: "a restart: down, writes through another replica, back at the first request",
			run: func(r *rig) {
				r.openWatch(metav1.ListOptions{ResourceVersion: "7"})
				r.settle()
				r.s.Restart(10 * time.Second)
				r.settle()
				r.mustCreate(r.cms("ns1").ThroughOtherReplica(), cm("ns1", "f", nil))
				r.cms("ns1").List(ctx, metav1.ListOptions{})
				r.sleep(10 * time.Second)
				r.s.Compact()
				r.cms("ns1").List(ctx, metav1.ListOptions{ResourceVersion: "0"})
			},
			main: []string{
				"0s ServerWatchOpened configmaps w1 rv=7 value=" + w + "resourceVersion=7&watch=true until=32m12.537116421s",
				"0s ServerFault rv=7 value=10s until=10s reason=Restart",
				"0s ServerWatchEnding w1 reason=restart",
				"0s ServerObjectWritten configmaps key=ns1/f ADDED rv=8 obj=ns1/f@8",
				`0s ServerListServed configmaps value=/api/v1/namespaces/ns1/configmaps reason=Get "https://127.0.0.1:6443/api/v1/namespaces/ns1/configmaps": dial tcp 127.0.0.1:6443: connect: connection refused`,
				// The compaction comes first: nothing asked the server
				// since it is back, so it is still restarting.
				"10s ServerFault rv=8 reason=Compact",
				"10s ServerBack rv=8",
				"10s ServerListServed configmaps rv=8 value=/api/v1/namespaces/ns1/configmaps?resourceVersion=0 count=6",
			},
			byWatch: map[string][]string{"w1": {"0s ServerWatchClosed w1 reason=restart"}},
		},
		{
			name: "lists, pages, and refused requests",
			run: func(r *rig) {
				l, _ := r.cms("ns1").List(ctx, metav1.ListOptions{Limit: 3})
				r.cms("ns1").List(ctx, metav1.ListOptions{Limit: 3, Continue: l.GetContinue()})
				r.do(func() { r.cms("ns1").List(ctx, metav1.ListOptions{ResourceVersion: "20"}) })
				r.cms("ns1").Watch(ctx, metav1.ListOptions{SendInitialEvents: ptr(true)})
			},
			main: []string{
				"0s ServerListServed configmaps key=eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6Nywic3RhcnQiOiIvY1x1MDAwMCJ9 rv=7 value=/api/v1/namespaces/ns1/configmaps?limit=3 count=3",
				"0s ServerListServed configmaps rv=7 value=/api/v1/namespaces/ns1/configmaps?continue=eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6Nywic3RhcnQiOiIvY1x1MDAwMCJ9&limit=3 count=2",
				"3s ServerListServed configmaps value=/api/v1/namespaces/ns1/configmaps?resourceVersion=20 reason=Timeout: Too large resource version: 20, current: 7",
				"3s ServerWatchRefused configmaps value=" + w + "sendInitialEvents=true&watch=true reason=ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
			},
		},
		{
			name: "periodic bookmarks, the last 2 s before the timeout",
			opts: Options{BookmarkInterval: time.Second},
			run: func(r *rig) {
				r.openWatch(metav1.ListOptions{ResourceVersion: "7", AllowWatchBookmarks: true, TimeoutSeconds: ptr(int64(4))})
				r.runFor(10 * time.Second)
			},
			main: []string{
				"0s ServerWatchOpened configmaps w1 rv=7 value=" + w + "allowWatchBookmarks=true&resourceVersion=7&timeoutSeconds=4&watch=true until=4s",
			},
			byWatch: map[string][]string{"w1": {
				"1s ServerBookmarkQueued w1 rv=7", "1s ServerWatchEventSent w1 BOOKMARK rv=7",
				"2s ServerBookmarkQueued w1 rv=7", "2s ServerWatchEventSent w1 BOOKMARK rv=7",
				"4s ServerWatchClosed w1 reason=timeout",
			}},
		},
		{
			name: "a watch the client stops",
			run: func(r *rig) {
				wt, _ := r.openWatch(metav1.ListOptions{ResourceVersion: "7"})
				r.settle()
				wt.Stop()
				r.settle()
			},
			main: []string{
				"0s ServerWatchOpened configmaps w1 rv=7 value=" + w + "resourceVersion=7&watch=true until=32m12.537116421s",
			},
			byWatch: map[string][]string{"w1": {"0s ServerWatchClosed w1 reason=stopped"}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, l := newTracedRig(t, c.opts)
			r.fill()
			l.start()
			c.run(r)
			equalLines(t, "the driver's events", l.main, c.main)
			for _, name := range sortedKeysOf(l.byWatch, c.byWatch) {
				equalLines(t, name+"'s events", l.byWatch[name], c.byWatch[name])
			}
		})
	}
}

func sortedKeysOf(a, b map[string][]string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string][]string{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	slices.Sort(out)
	return out
}
