//go:build !js

package mock_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
)

// runLabel marks every object a run creates (except ticks), so that
// requests across all namespaces select only this run's objects and not
// those of earlier runs or of the server itself.
const runLabel = "informerscope.dev/compare-run"

// scriptRun runs one script against one server and writes its transcript.
type scriptRun struct {
	t       *testing.T
	ctx     context.Context
	srv     apiServer
	runID   string
	ns      map[string]string // script namespace -> server namespace
	anchors []uint64          // @0, @1, ... in script order
	out     []string
	nList   int
	nWatch  int
	open    []*watchRun // watches started since the last wait
}

// runScript runs sc against srv and returns its normalised transcript.
// runID makes the namespaces unique.
func runScript(t *testing.T, srv apiServer, sc script, runID string) []string {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	r := &scriptRun{t: t, ctx: ctx, srv: srv, runID: runID, ns: map[string]string{}}
	var real []string
	for _, n := range []string{"ns1", "ns2", "ns3"} {
		r.ns[n] = fmt.Sprintf("cmp-%s-%s-%s", sc.name, runID, n)
		real = append(real, r.ns[n])
	}
	srv.prepare(ctx, t, real)
	for _, st := range sc.steps {
		r.step(st)
	}
	if len(r.open) > 0 {
		t.Fatalf("script %s ends with watches not waited for", sc.name)
	}
	return r.out
}

func (r *scriptRun) printf(format string, args ...any) {
	r.out = append(r.out, fmt.Sprintf(format, args...))
}

func gvrOf(res string) schema.GroupVersionResource {
	switch res {
	case "configmaps":
		return configMapsGVR
	case "widgets":
		return widgetsGVR
	}
	panic("unknown resource " + res)
}

func (r *scriptRun) api(st step) resourceAPI {
	return r.srv.resource(gvrOf(st.res), r.ns[st.ns])
}

func (r *scriptRun) step(st step) {
	switch st.op {
	case "create", "update":
		r.write(st)
	case "delete":
		err := r.api(st).Delete(r.ctx, st.name)
		r.printf("delete %s %s/%s%s", st.res, st.ns, st.name, errSuffix(err))
	case "list":
		r.list(st)
	case "watch":
		r.startWatch(st)
	case "wait":
		for _, w := range r.open {
			// The text needs the anchors, which only this goroutine
			// touches, so it is made here, once the watch is done.
			w.wg.Wait()
			r.out = append(r.out, w.text(r)...)
		}
		r.open = nil
	case "expire":
		probe := r.probe410
		r.srv.expire(r.ctx, r.t, probe)
		r.printf("expire")
	default:
		r.t.Fatalf("unknown op %q", st.op)
	}
}

// write creates or updates an object and anchors the resourceVersion the
// server gave it.
func (r *scriptRun) write(st step) {
	obj := r.object(st)
	var got *unstructured.Unstructured
	var err error
	if st.op == "create" {
		got, err = r.api(st).Create(r.ctx, obj)
	} else {
		got, err = r.api(st).Update(r.ctx, obj)
	}
	if err != nil {
		r.printf("%s %s %s/%s%s%s", st.op, st.res, st.ns, st.name, ifRV(st.rv), errSuffix(err))
		return
	}
	rv, perr := strconv.ParseUint(got.GetResourceVersion(), 10, 64)
	if perr != nil {
		r.t.Fatalf("%s %s: resourceVersion %q is not a number", st.op, st.name, got.GetResourceVersion())
	}
	if n := len(r.anchors); n > 0 && rv <= r.anchors[n-1] {
		r.printf("%s %s %s/%s -> rv %s NOT NEWER than @%d", st.op, st.res, st.ns, st.name, got.GetResourceVersion(), n-1)
	}
	r.anchors = append(r.anchors, rv)
	r.printf("%s %s %s/%s%s -> @%d", st.op, st.res, st.ns, st.name, ifRV(st.rv), len(r.anchors)-1)
}

func ifRV(rv string) string {
	if rv == "" {
		return ""
	}
	return " rv=" + rv
}

// object builds the object a create or update step sends.
func (r *scriptRun) object(st step) *unstructured.Unstructured {
	obj := &unstructured.Unstructured{Object: map[string]any{}}
	switch st.res {
	case "configmaps":
		obj.SetAPIVersion("v1")
		obj.SetKind("ConfigMap")
	case "widgets":
		obj.SetAPIVersion("example.com/v1")
		obj.SetKind("Widget")
	}
	obj.SetName(st.name)
	obj.SetNamespace(r.ns[st.ns])
	obj.SetResourceVersion(r.anchorRV(st.rv))
	labels := parseKV(st.labels)
	if !st.tick {
		labels[runLabel] = r.runID
	}
	obj.SetLabels(labels)
	content := map[string]any{}
	for k, v := range parseKV(st.content) {
		content[k] = v
	}
	if st.res == "configmaps" {
		obj.Object["data"] = content
	} else {
		obj.Object["spec"] = content
	}
	return obj
}

func parseKV(s string) map[string]string {
	m := map[string]string{}
	for kv := range strings.SplitSeq(s, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

// listOptions turns a step's options into the request's: script names
// become the run's, and a request across all namespaces selects only
// this run's objects.
func (r *scriptRun) listOptions(st step) metav1.ListOptions {
	o := st.opts
	lo := metav1.ListOptions{
		LabelSelector:        o.labelSelector,
		FieldSelector:        r.realNames(o.fieldSelector),
		ResourceVersion:      r.anchorRV(o.rv),
		ResourceVersionMatch: metav1.ResourceVersionMatch(o.rvMatch),
		Limit:                o.limit,
		AllowWatchBookmarks:  o.bookmarks,
	}
	if st.ns == "" {
		lo.LabelSelector = strings.TrimSuffix(runLabel+"="+r.runID+","+o.labelSelector, ",")
	}
	if o.sendInitialEvents {
		lo.SendInitialEvents = &o.sendInitialEvents
	}
	if o.timeout > 0 {
		secs := int64(o.timeout / time.Second)
		lo.TimeoutSeconds = &secs
	}
	return lo
}

func (r *scriptRun) realNames(s string) string {
	for script, real := range r.ns {
		s = strings.ReplaceAll(s, script, real)
	}
	return s
}

func (r *scriptRun) anchorRV(rv string) string {
	if n, ok := strings.CutPrefix(rv, "@"); ok {
		i, err := strconv.Atoi(n)
		if err != nil || i >= len(r.anchors) {
			r.t.Fatalf("resourceVersion %s is not anchored yet", rv)
		}
		return strconv.FormatUint(r.anchors[i], 10)
	}
	return rv
}

// describe prints a request the way the script wrote it.
func describe(st step) string {
	o := st.opts
	parts := []string{st.res}
	if st.ns == "" {
		parts = append(parts, "all-namespaces")
	} else {
		parts = append(parts, st.ns)
	}
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("labels", o.labelSelector)
	add("fields", o.fieldSelector)
	if o.rv != "" || st.op == "list" {
		add("rv", strconv.Quote(o.rv))
	}
	add("match", o.rvMatch)
	if o.limit > 0 {
		add("limit", strconv.FormatInt(o.limit, 10))
	}
	if o.sendInitialEvents {
		parts = append(parts, "sendInitialEvents")
	}
	if o.bookmarks {
		parts = append(parts, "bookmarks")
	}
	if o.timeout > 0 {
		add("timeout", o.timeout.String())
	}
	return strings.Join(parts, " ")
}

// list runs a list, following continue tokens page by page.
func (r *scriptRun) list(st step) {
	r.nList++
	id := fmt.Sprintf("list#%d", r.nList)
	r.printf("%s %s", id, describe(st))
	opts := r.listOptions(st)
	var firstRV string
	for page := 1; ; page++ {
		l, err := r.api(st).List(r.ctx, opts)
		if err != nil {
			r.printf("%s page %d%s", id, page, errSuffix(err))
			return
		}
		rv := l.GetResourceVersion()
		if len(r.anchors) == 0 {
			// The script's first list anchors @0: what follows is newer.
			n, perr := strconv.ParseUint(rv, 10, 64)
			if perr != nil {
				r.t.Fatalf("list resourceVersion %q is not a number", rv)
			}
			r.anchors = append(r.anchors, n)
		}
		var rvText string
		switch {
		case page > 1 && rv == firstRV:
			rvText = "same as page 1"
		case page > 1:
			rvText = "CHANGED from page 1: " + r.rel(rv, st.opts.rvMatch != "Exact")
		default:
			firstRV = rv
			rvText = r.rel(rv, st.opts.rvMatch != "Exact")
		}
		more := "no"
		if l.GetContinue() != "" {
			more = "yes"
		}
		r.printf("%s page %d: rv %s, %d items, continue=%s", id, page, rvText, len(r.ours(l.Items)), more)
		for _, it := range r.ours(l.Items) {
			r.printf("%s   %s", id, r.objectText(&it))
		}
		if l.GetContinue() == "" {
			return
		}
		opts.Continue = l.GetContinue()
		opts.ResourceVersion, opts.ResourceVersionMatch = "", ""
	}
}

// ours drops what the server added on its own in this run's namespaces
// (kube-root-ca.crt, when a kube-controller-manager runs): only objects
// carrying the run label, or the run's ticks, are the script's.
func (r *scriptRun) ours(items []unstructured.Unstructured) []unstructured.Unstructured {
	var keep []unstructured.Unstructured
	for _, it := range items {
		if r.isOurs(&it) {
			keep = append(keep, it)
		}
	}
	return keep
}

func (r *scriptRun) isOurs(o *unstructured.Unstructured) bool {
	return o.GetLabels()[runLabel] == r.runID || (o.GetName() == "tick" && r.scriptNS(o.GetNamespace()) != "")
}

func (r *scriptRun) scriptNS(real string) string {
	for s, n := range r.ns {
		if n == real {
			return s
		}
	}
	return ""
}

// objectText prints an object without the run's unique parts: namespace
// by its script name, resourceVersion by its relation to the anchors,
// labels without the run label.
func (r *scriptRun) objectText(o *unstructured.Unstructured) string {
	labels := maps.Clone(o.GetLabels())
	delete(labels, runLabel)
	content, _, _ := unstructured.NestedStringMap(o.Object, "data")
	if o.GetKind() == "Widget" {
		content = map[string]string{}
		spec, _, _ := unstructured.NestedMap(o.Object, "spec")
		for k, v := range spec {
			content[k] = fmt.Sprint(v)
		}
	}
	ns := r.scriptNS(o.GetNamespace())
	if ns == "" {
		ns = "?" + o.GetNamespace()
	}
	return fmt.Sprintf("%s/%s rv=%s labels=%s content=%s", ns, o.GetName(),
		r.rel(o.GetResourceVersion(), false), kvText(labels), kvText(content))
}

func kvText(m map[string]string) string {
	if len(m) == 0 {
		return "-"
	}
	var kv []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		kv = append(kv, k+"="+m[k])
	}
	return strings.Join(kv, ",")
}

// rel prints a resourceVersion by its relation to the anchors: "@3" when
// it is @3's, "@3+" when it lies after @3 and before @4 (a delete's, or a
// write the script does not anchor). notOlder prints ">=@3" for both: the
// version of a list or a bookmark is the server's current one, which on
// the real server other writers (lease renewals, other tests) may have
// moved past the script's last write, and that is timing, not behaviour.
func (r *scriptRun) rel(rv string, notOlder bool) string {
	n, err := strconv.ParseUint(rv, 10, 64)
	if err != nil {
		return "NOT-A-NUMBER(" + strconv.Quote(rv) + ")"
	}
	i := len(r.anchors) - 1
	for i >= 0 && r.anchors[i] > n {
		i--
	}
	switch {
	case i < 0:
		return "<@0"
	case notOlder:
		return ">=@" + strconv.Itoa(i)
	case r.anchors[i] == n:
		return "@" + strconv.Itoa(i)
	default:
		return "@" + strconv.Itoa(i) + "+"
	}
}

// errSuffix prints an API error by code and reason: messages carry names
// and numbers, so they are printed only where they are normalised.
func errSuffix(err error) string {
	if err == nil {
		return ""
	}
	var se apierrors.APIStatus
	if ok := asAPIStatus(err, &se); ok {
		s := se.Status()
		return fmt.Sprintf(": error %d %s", s.Code, s.Reason)
	}
	return ": error " + err.Error()
}

func asAPIStatus(err error, out *apierrors.APIStatus) bool {
	s, ok := err.(apierrors.APIStatus)
	if ok {
		*out = s
	}
	return ok
}

// probe410 reports whether a watch of the run's widgets from @0 is
// refused as too old; expire waits for it.
func (r *scriptRun) probe410() bool {
	secs := int64(1)
	w, err := r.srv.resource(widgetsGVR, r.ns["ns1"]).Watch(r.ctx, metav1.ListOptions{
		ResourceVersion: strconv.FormatUint(r.anchors[0], 10), TimeoutSeconds: &secs,
	})
	if err != nil {
		return apierrors.IsResourceExpired(err) || apierrors.IsGone(err)
	}
	defer w.Stop()
	select {
	case ev, ok := <-w.ResultChan():
		if !ok || ev.Type != watch.Error {
			return false
		}
		e := apierrors.FromObject(ev.Object)
		return apierrors.IsResourceExpired(e) || apierrors.IsGone(e)
	case <-time.After(2 * time.Second):
		return false
	}
}
