package ui

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/informerscope/informerscope/app/timeline"
	"github.com/informerscope/informerscope/informer"
	"github.com/informerscope/informerscope/informer/recording"
	"github.com/informerscope/informerscope/informer/remote"
	"github.com/informerscope/informerscope/informer/scenario"
	"github.com/informerscope/informerscope/informer/sim"
)

// Live mode: the same informer core in the page, fed by a real cluster
// through the server's read-only proxy, in real time. The raw list and
// watch stream is recorded as it goes, so a session can be saved and
// replayed offline, deterministically, like any scenario.

// clusterInfo is the server's /cluster-info answer.
type clusterInfo struct {
	Connected bool   `json:"connected"`
	ProxyPath string `json:"proxyPath"`
	Context   string `json:"context"`
	Cluster   string `json:"cluster"`
	Server    string `json:"server"`
	Namespace string `json:"namespace"`
	Message   string `json:"message"`
}

// notConnected is what the page says when the server has no cluster: the
// server's own message, which already says that no cluster is connected
// and why.
func (c clusterInfo) notConnected() string {
	if c.Message == "" {
		return "No cluster is connected."
	}
	return strings.ToUpper(c.Message[:1]) + c.Message[1:]
}

// apiResource is a resource the cluster lists and watches.
type apiResource struct {
	GVR        schema.GroupVersionResource
	Namespaced bool
}

func (r apiResource) label() string {
	if r.GVR.Group == "" {
		return r.GVR.Resource + " (" + r.GVR.Version + ")"
	}
	return r.GVR.Resource + "." + r.GVR.Group + " (" + r.GVR.Version + ")"
}

// liveSession is an informer running against the cluster.
type liveSession struct {
	stop     sim.Chan[struct{}]
	recorder *recording.Recorder
	resource apiResource
}

// liveHandler is the live informer's handler: it does nothing, so that
// what the page shows is the informer's own work.
type liveHandler struct{}

func (liveHandler) HandlerName() string { return "h1" }
func (liveHandler) OnAdd(any, bool)     {}
func (liveHandler) OnUpdate(any, any)   {}
func (liveHandler) OnDelete(any)        {}

// origin is the page's own origin: requests go to the server that served
// the page.
func origin() string {
	if o := app.Window().Get("location").Get("origin"); o.Truthy() {
		return o.String()
	}
	return ""
}

// getJSON fetches a path of the page's server into v.
func getJSON(path string, v any) error {
	req, err := http.NewRequest(http.MethodGet, origin()+path, nil)
	if err != nil {
		return err
	}
	res, err := remote.Do(nil, req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 8<<20))
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		var st metav1.Status
		if json.Unmarshal(body, &st) == nil && st.Message != "" {
			return fmt.Errorf("%s: %s", res.Status, st.Message)
		}
		return fmt.Errorf("%s", res.Status)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("the answer to %s is not what was expected: %v", path, err)
	}
	return nil
}

// askCluster asks the server whether a cluster is connected. A static
// site has no server: the page then says it can only simulate.
func (p *Page) askCluster(ctx app.Context) {
	p.self().Async(func() {
		var info clusterInfo
		err := getJSON("/cluster-info", &info)
		p.self().Dispatch(func(ctx app.Context) {
			switch {
			case err != nil:
				p.clusterMsg = "No InformerScope server behind this page (a static site): it can only simulate. Run make run with --kubeconfig to watch a cluster."
			case !info.Connected:
				p.clusterMsg = info.notConnected()
			default:
				p.cluster = &info
				p.clusterMsg = ""
			}
		})
	})
}

// discover lists the resources the cluster can list and watch, from its
// discovery documents.
func (p *Page) discover(ctx app.Context) {
	base := p.cluster.ProxyPath
	p.clusterMsg = "Asking the cluster what it serves…"
	p.self().Async(func() {
		var out []apiResource
		add := func(gv string, list metav1.APIResourceList) {
			parsed, _ := schema.ParseGroupVersion(gv)
			for _, r := range list.APIResources {
				if strings.Contains(r.Name, "/") || !slices.Contains(r.Verbs, "list") || !slices.Contains(r.Verbs, "watch") {
					continue
				}
				out = append(out, apiResource{GVR: parsed.WithResource(r.Name), Namespaced: r.Namespaced})
			}
		}
		var core metav1.APIResourceList
		err := getJSON(base+"/api/v1", &core)
		if err == nil {
			add("v1", core)
			var groups metav1.APIGroupList
			if err = getJSON(base+"/apis", &groups); err == nil {
				for _, g := range groups.Groups {
					var list metav1.APIResourceList
					if getJSON(base+"/apis/"+g.PreferredVersion.GroupVersion, &list) == nil {
						add(g.PreferredVersion.GroupVersion, list)
					}
				}
			}
		}
		slices.SortFunc(out, func(a, b apiResource) int { return strings.Compare(a.label(), b.label()) })
		p.self().Dispatch(func(ctx app.Context) {
			if err != nil {
				p.clusterMsg = "Discovery failed: " + remote.Explain(err)
				return
			}
			p.resources, p.clusterMsg = out, ""
			if p.pick.GVR.Resource == "" {
				for _, r := range out {
					if r.GVR.Resource == "configmaps" && r.GVR.Group == "" {
						p.pick = r
					}
				}
			}
		})
	})
}

// connect starts an informer on the cluster, in place of the simulation.
func (p *Page) connect(ctx app.Context) {
	r := p.pick
	if r.GVR.Resource == "" {
		p.notice = "Pick a resource first."
		return
	}
	lw, err := remote.New(remote.Options{
		BaseURL: origin() + p.cluster.ProxyPath, Resource: r.GVR, Namespace: p.liveNS,
		LabelSelector: p.liveLabels, FieldSelector: p.liveFields,
	})
	if err != nil {
		p.notice = err.Error()
		return
	}
	where := "all namespaces"
	if p.liveNS != "" {
		where = "namespace " + p.liveNS
	}
	title := fmt.Sprintf("%s in %s, live from %s", r.label(), where, p.cluster.Context)
	tl, rec := timeline.NewLive(title)
	p.setRun(tl, "", "")
	rt := sim.Native()
	recorder := recording.NewRecorder(rt, lw, title)
	inf := informer.NewSharedIndexInformerWithOptions(recorder, &unstructured.Unstructured{}, informer.SharedIndexInformerOptions{
		Indexers: informer.Indexers{informer.NamespaceIndex: informer.MetaNamespaceIndexFunc},
		Runtime:  rt, Recorder: rec,
	})
	inf.SetWatchErrorHandler(func(_ *informer.Reflector, err error) {
		p.self().Dispatch(func(ctx app.Context) { p.notice = remote.Explain(err) })
	})
	inf.AddEventHandler(liveHandler{})
	stop := sim.NewChan[struct{}](rt, "live stop", 0)
	go inf.RunWithStop(stop)
	p.live = &liveSession{stop: stop, recorder: recorder, resource: r}
	p.following, p.notice = true, ""
	p.liveGen++
	p.liveTick(ctx, p.liveGen)
}

// liveTick pulls what arrived into the timeline, follows the live edge
// unless paused, and comes back in a tenth of a second.
func (p *Page) liveTick(ctx app.Context, gen int) {
	if gen != p.liveGen || p.live == nil {
		return
	}
	if n := p.tl.Pull(); n > 0 && p.following {
		p.tl.Seek(p.tl.Len())
		p.afterMove(ctx)
	}
	p.self().After(100*time.Millisecond, func(ctx app.Context) { p.liveTick(ctx, gen) })
}

// disconnect stops the live informer; the timeline keeps what it got.
func (p *Page) disconnect() {
	if p.live == nil {
		return
	}
	p.live.stop.Close()
	p.liveGen++
	p.tl.Pull()
	p.tl.StopLive()
	p.live = nil
}

// exportStream saves the live session's raw list/watch stream.
func (p *Page) exportStream() {
	var rec *recording.Recording
	switch {
	case p.live != nil:
		rec = p.live.recorder.Recording()
	case p.lastRecording != nil:
		rec = p.lastRecording
	default:
		p.notice = "Nothing recorded: connect to a cluster first."
		return
	}
	var b strings.Builder
	if err := rec.Encode(&b); err != nil {
		p.notice = "Could not export the stream: " + err.Error()
		return
	}
	download("informerscope-stream.json", "application/json", []byte(b.String()))
}

// importStream replays a recorded stream offline, on the deterministic
// runtime: the same informer, fed the same lists and events at the same
// times. A broken file leaves the current run and says why.
func (p *Page) importStream(ctx app.Context, text string) {
	rec, err := recording.Decode(strings.NewReader(text))
	if err != nil {
		p.notice = "That stream cannot be replayed: " + err.Error() + ". The current run is unchanged."
		return
	}
	var last time.Duration
	for _, c := range rec.Calls {
		end := c.At
		if n := len(c.Events); n > 0 {
			end += c.Events[n-1].At
		}
		last = max(last, end)
	}
	s := &scenario.Scenario{
		Name: "replayed stream", Title: "Replay: " + rec.Source, Resource: "configmaps",
		Handlers: []scenario.Handler{{Name: "h1"}}, RunFor: last + time.Minute,
		About: []string{"A recorded list/watch stream, replayed offline on the deterministic runtime."},
	}
	p.setRun(timeline.NewFrom(s, func(rt *sim.Deterministic) informer.ListerWatcher { return recording.NewReplayer(rt, rec) }), "", "")
	p.lastRecording = rec
	p.notice = fmt.Sprintf("Replaying a recorded stream of %d calls: step or play it like a scenario.", len(rec.Calls))
	p.afterMove(ctx)
}

// renderLive is the connection panel.
func (p *Page) renderLive() app.UI {
	return app.Details().ID("live").Body(
		app.Summary().Text(map[bool]string{true: "Live: " + p.title(), false: "Watch a real cluster"}[p.live != nil]),
		app.Div().Class("options").Body(
			app.If(p.clusterMsg != "", app.P().ID("cluster-msg").Class("meta").Text(p.clusterMsg)),
			when(p.cluster != nil, func() app.UI {
				c := p.cluster
				return app.Div().Body(
					app.P().ID("cluster-name").Text(fmt.Sprintf("Cluster %s, context %s (%s), through the server's read-only proxy.", c.Cluster, c.Context, c.Server)),
					app.If(len(p.resources) == 0, app.Button().ID("live-discover").Text("List resources").
						OnClick(func(ctx app.Context, e app.Event) { p.discover(ctx) })),
					when(len(p.resources) > 0, p.renderLiveForm),
				)
			}),
			app.Div().Class("row").Body(
				app.Button().ID("live-export").Text("Export stream").Title("Save the raw list/watch stream of the live session").
					Disabled(p.live == nil && p.lastRecording == nil).OnClick(func(ctx app.Context, e app.Event) { p.exportStream() }),
				app.Label().For("live-import").Class("button").Text("Replay a stream"),
				p.fileInput("live-import", p.importStream),
			),
		),
	)
}

func (p *Page) renderLiveForm() app.UI {
	return app.Div().Class("live-form").Body(
		app.Label().For("live-resource").Text("Resource "),
		app.Select().ID("live-resource").OnChange(func(ctx app.Context, e app.Event) {
			v := ctx.JSSrc().Get("value").String()
			for _, r := range p.resources {
				if r.label() == v {
					p.pick = r
				}
			}
		}).Body(app.Range(p.resources).Slice(func(i int) app.UI {
			r := p.resources[i]
			return app.Option().Value(r.label()).Selected(r == p.pick).Text(r.label())
		})),
		app.Label().For("live-ns").Text(" Namespace "),
		app.Input().ID("live-ns").Placeholder("all").Value(p.liveNS).
			OnChange(func(ctx app.Context, e app.Event) { p.liveNS = ctx.JSSrc().Get("value").String() }),
		app.Label().For("live-labels").Text(" Labels "),
		app.Input().ID("live-labels").Placeholder("app=web").Value(p.liveLabels).
			OnChange(func(ctx app.Context, e app.Event) { p.liveLabels = ctx.JSSrc().Get("value").String() }),
		app.Label().For("live-fields").Text(" Fields "),
		app.Input().ID("live-fields").Placeholder("metadata.name=x").Value(p.liveFields).
			OnChange(func(ctx app.Context, e app.Event) { p.liveFields = ctx.JSSrc().Get("value").String() }),
		app.If(p.live == nil, app.Button().ID("live-connect").Class("primary").Text("Watch").
			OnClick(func(ctx app.Context, e app.Event) { p.connect(ctx) })),
		app.If(p.live != nil, app.Button().ID("live-disconnect").Text("Stop watching").
			OnClick(func(ctx app.Context, e app.Event) { p.disconnect() })),
	)
}
