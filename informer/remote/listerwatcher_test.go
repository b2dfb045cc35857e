//go:build !js

package remote

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilnet "k8s.io/apimachinery/pkg/util/net"
	"k8s.io/apimachinery/pkg/watch"
)

var configMaps = schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}

func newLW(t *testing.T, base string, opts Options) *ListerWatcher {
	t.Helper()
	opts.BaseURL = base
	if opts.Resource.Resource == "" {
		opts.Resource = configMaps
	}
	lw, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return lw
}

func ptr[T any](v T) *T { return &v }

// The request URL carries every option the Reflector sets, under the
// names kube-apiserver reads, and the ListerWatcher's own selectors win.
func TestURL(t *testing.T) {
	cases := []struct {
		name string
		opts Options
		in   metav1.ListOptions
		want string
	}{
		{"core, all namespaces, first page", Options{}, metav1.ListOptions{ResourceVersion: "0", Limit: 500},
			"/cluster/api/v1/configmaps?limit=500&resourceVersion=0"},
		{"continue", Options{Namespace: "ns"}, metav1.ListOptions{Limit: 500, Continue: "abc"},
			"/cluster/api/v1/namespaces/ns/configmaps?continue=abc&limit=500"},
		{"watch with bookmarks and a timeout", Options{Namespace: "ns"},
			metav1.ListOptions{Watch: true, ResourceVersion: "42", AllowWatchBookmarks: true, TimeoutSeconds: ptr(int64(300))},
			"/cluster/api/v1/namespaces/ns/configmaps?allowWatchBookmarks=true&resourceVersion=42&timeoutSeconds=300&watch=true"},
		{"streaming list", Options{},
			metav1.ListOptions{Watch: true, SendInitialEvents: ptr(true), ResourceVersionMatch: metav1.ResourceVersionMatchNotOlderThan, AllowWatchBookmarks: true},
			"/cluster/api/v1/configmaps?allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&sendInitialEvents=true&watch=true"},
		{"a group, the ListerWatcher's selectors win",
			Options{Resource: schema.GroupVersionResource{Group: "example.com", Version: "v1", Resource: "widgets"}, Namespace: "ns", LabelSelector: "app=x", FieldSelector: "metadata.name=a"},
			metav1.ListOptions{LabelSelector: "ignored=1"},
			"/cluster/apis/example.com/v1/namespaces/ns/widgets?fieldSelector=metadata.name%3Da&labelSelector=app%3Dx"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lw := newLW(t, "/cluster/", c.opts)
			got, err := lw.URL(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

// Each failed response reaches the Reflector as the error client-go's REST
// client makes of it: apierrors' predicates, which the Reflector branches
// on, answer the same, and Explain says what to do.
func TestResponseErrors(t *testing.T) {
	status := func(code int, reason metav1.StatusReason, msg string) string {
		return fmt.Sprintf(`{"kind":"Status","apiVersion":"v1","status":"Failure","message":%q,"reason":%q,"code":%d}`, msg, reason, code)
	}
	cases := []struct {
		name        string
		code        int
		contentType string
		body        string
		is          func(error) bool
		message     string // in the error
		explain     string // in Explain's sentence
	}{
		{"401 Status", 401, "application/json", status(401, metav1.StatusReasonUnauthorized, "Unauthorized"), apierrors.IsUnauthorized, "Unauthorized", "credentials"},
		{"403 Status", 403, "application/json", status(403, metav1.StatusReasonForbidden, `configmaps is forbidden: User "x" cannot list`), apierrors.IsForbidden, "cannot list", "RBAC"},
		{"403 from the proxy", 403, "application/json", status(403, metav1.StatusReasonForbidden, ProxyRefusalPrefix+"Secrets are not served unless the server is started with --allow-secrets"), apierrors.IsForbidden, "allow-secrets", "--allow-secrets"},
		{"404 Status", 404, "application/json", status(404, metav1.StatusReasonNotFound, "the server could not find the requested resource"), apierrors.IsNotFound, "could not find", "CRD"},
		{"410 Status", 410, "application/json", status(410, metav1.StatusReasonExpired, "too old resource version: 1 (5)"), apierrors.IsResourceExpired, "too old", "lists again"},
		{"429 Status", 429, "application/json", status(429, metav1.StatusReasonTooManyRequests, "too many requests"), apierrors.IsTooManyRequests, "too many", "throttling"},
		{"500 Status", 500, "application/json", status(500, metav1.StatusReasonInternalError, "boom"), apierrors.IsInternalError, "boom", "retries"},
		{"503 no cluster", 503, "application/json", status(503, NoClusterReason, "no cluster is connected"), apierrors.IsServiceUnavailable, "no cluster", "--kubeconfig"},
		{"504 too large", 504, "application/json", `{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Timeout: Too large resource version: 99, current: 5","reason":"Timeout","details":{"causes":[{"reason":"ResourceVersionTooLarge","message":"Too large resource version"}]},"code":504}`, apierrors.IsTimeout, "Too large", "caught up"},
		{"502 text from another proxy", 502, "text/plain", "upstream connect error", apierrors.IsUnexpectedServerError, "upstream connect error", "cannot reach the cluster"},
		{"401 HTML", 401, "text/html", "<html>login</html>", apierrors.IsUnauthorized, "provide credentials", "credentials"},
		{"410 without a Status", 410, "application/octet-stream", "\x00\x01", apierrors.IsGone, "did not return more information", "lists again"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", c.contentType)
				w.WriteHeader(c.code)
				fmt.Fprint(w, c.body)
			}))
			defer srv.Close()
			lw := newLW(t, srv.URL, Options{Namespace: "ns"})
			_, listErr := lw.ListWithContext(context.Background(), metav1.ListOptions{})
			_, watchErr := lw.WatchWithContext(context.Background(), metav1.ListOptions{Watch: true})
			for verb, err := range map[string]error{"list": listErr, "watch": watchErr} {
				if err == nil || !c.is(err) {
					t.Fatalf("%s: got %T %v", verb, err, err)
				}
				if _, ok := err.(*apierrors.StatusError); !ok {
					t.Errorf("%s: %T, want *StatusError", verb, err)
				}
				if !strings.Contains(err.Error(), c.message) {
					t.Errorf("%s: %q does not say %q", verb, err, c.message)
				}
				if got := Explain(fmt.Errorf("failed to list: %w", err)); !strings.Contains(got, c.explain) {
					t.Errorf("%s: Explain = %q, want it to mention %q", verb, got, c.explain)
				}
			}
		})
	}
}

// With nothing listening, list and watch fail with an error the Reflector
// recognises as connection refused (it then backs off and re-watches).
func TestConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	lw := newLW(t, "http://"+addr+"/cluster", Options{})
	_, listErr := lw.ListWithContext(context.Background(), metav1.ListOptions{})
	_, watchErr := lw.WatchWithContext(context.Background(), metav1.ListOptions{})
	for verb, err := range map[string]error{"list": listErr, "watch": watchErr} {
		if !utilnet.IsConnectionRefused(err) {
			t.Errorf("%s: %v is not connection refused", verb, err)
		}
		if got := Explain(err); !strings.Contains(got, "refused") {
			t.Errorf("%s: Explain = %q", verb, got)
		}
	}
}

// A 200 answer that is not a list (the base URL leads to a web page) is a
// DecodeError, which Explain blames on the base URL.
func TestListNotAList(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<!doctype html><title>InformerScope</title>")
	}))
	defer srv.Close()
	_, err := newLW(t, srv.URL, Options{}).ListWithContext(context.Background(), metav1.ListOptions{})
	if !IsDecodeError(err) {
		t.Fatalf("got %T %v", err, err)
	}
	if got := Explain(err); !strings.Contains(got, "base URL") {
		t.Errorf("Explain = %q", got)
	}
}

func TestListDecodes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"7","continue":"next","remainingItemCount":3},`+
			`"items":[{"metadata":{"name":"a","namespace":"ns","resourceVersion":"5"},"data":{"k":"v"}}]}`)
	}))
	defer srv.Close()
	obj, err := newLW(t, srv.URL, Options{}).ListWithContext(context.Background(), metav1.ListOptions{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	l := obj.(*unstructured.UnstructuredList)
	if l.GetResourceVersion() != "7" || l.GetContinue() != "next" || len(l.Items) != 1 || l.Items[0].GetName() != "a" {
		t.Errorf("got rv %q continue %q items %v", l.GetResourceVersion(), l.GetContinue(), l.Items)
	}
}

// streamServer answers a watch with the given chunks, flushing each and
// pausing between them, then ends the response as end says: "close" ends
// it cleanly, "cut" breaks the connection.
func streamServer(t *testing.T, end string, chunks ...string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		for _, c := range chunks {
			fmt.Fprint(w, c)
			w.(http.Flusher).Flush()
			time.Sleep(5 * time.Millisecond)
		}
		if end == "cut" {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
		}
	}))
}

func describe(ev watch.Event) string {
	switch o := ev.Object.(type) {
	case *unstructured.Unstructured:
		return fmt.Sprintf("%s %s@%s", ev.Type, o.GetName(), o.GetResourceVersion())
	case *metav1.Status:
		return fmt.Sprintf("%s %d %s: %s", ev.Type, o.Code, o.Reason, o.Message)
	}
	return fmt.Sprintf("%s %T", ev.Type, ev.Object)
}

// What reaches ResultChan for each way a watch stream goes: events in
// order; a server's ERROR event as the Status; a stream that ends or breaks
// closes the channel; something that is not JSON ends the watch with an
// InternalError Status, as client-go's StreamWatcher does.
func TestWatchStream(t *testing.T) {
	add := `{"type":"ADDED","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","namespace":"ns","resourceVersion":"2"}}}` + "\n"
	mod := `{"type":"MODIFIED","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","namespace":"ns","resourceVersion":"3"}}}` + "\n"
	bookmark := `{"type":"BOOKMARK","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"4","annotations":{"k8s.io/initial-events-end":"true"}}}}` + "\n"
	gone := `{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (3)","reason":"Expired","code":410}}` + "\n"
	cases := []struct {
		name   string
		end    string
		chunks []string
		want   []string
	}{
		{"events, then the server ends the watch", "close", []string{add, mod, bookmark},
			[]string{"ADDED a@2", "MODIFIED a@3", "BOOKMARK @4"}},
		{"an event split across chunks", "close", []string{add[:40], add[40:], mod},
			[]string{"ADDED a@2", "MODIFIED a@3"}},
		{"an ERROR event carries the Status", "close", []string{add, gone},
			[]string{"ADDED a@2", "ERROR 410 Expired: too old resource version: 1 (3)"}},
		{"the connection breaks between events", "cut", []string{add},
			[]string{"ADDED a@2"}},
		{"the connection breaks inside an event", "cut", []string{add, mod[:30]},
			[]string{"ADDED a@2"}},
		{"malformed JSON", "close", []string{add, "{\"type\":\"ADDED\",\"object\":{]}\n"},
			[]string{"ADDED a@2", `ERROR 500 InternalError: an error on the server ("unable to decode an event from the watch stream: invalid character ']' looking for beginning of object key string") has prevented the request from succeeding`}},
		{"an unknown event type", "close", []string{`{"type":"SOMETHING","object":{}}`},
			[]string{`ERROR 500 InternalError: an error on the server ("unable to decode an event from the watch stream: got invalid watch event type: SOMETHING") has prevented the request from succeeding`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := streamServer(t, c.end, c.chunks...)
			defer srv.Close()
			w, err := newLW(t, srv.URL, Options{}).WatchWithContext(context.Background(), metav1.ListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Stop()
			var got []string
			var errs []error
			timeout := time.After(10 * time.Second)
			for done := false; !done; {
				select {
				case ev, ok := <-w.ResultChan():
					if !ok {
						done = true
						break
					}
					got = append(got, describe(ev))
					if ev.Type == watch.Error {
						errs = append(errs, apierrors.FromObject(ev.Object))
					}
				case <-timeout:
					t.Fatalf("ResultChan not closed; got %q", got)
				}
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(c.want, "\n  "))
			}
			// The Reflector turns an ERROR event back into an error and
			// branches on it: 410 relists, and so does an InternalError.
			for _, err := range errs {
				if !apierrors.IsResourceExpired(err) && !apierrors.IsInternalError(err) {
					t.Errorf("ERROR event as an error: %T %v", err, err)
				}
			}
		})
	}
}

// Stop ends a watch the server keeps open, and closes ResultChan.
func TestWatchStop(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	w, err := newLW(t, srv.URL, Options{}).WatchWithContext(context.Background(), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w.Stop()
	select {
	case _, ok := <-w.ResultChan():
		if ok {
			t.Error("an event after Stop")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ResultChan not closed after Stop")
	}
}

func TestNewRejects(t *testing.T) {
	for _, o := range []Options{
		{BaseURL: "/cluster", Resource: schema.GroupVersionResource{Resource: "configmaps"}},
		{BaseURL: "/cluster", Resource: schema.GroupVersionResource{Version: "v1"}},
		{BaseURL: "http://[::1", Resource: configMaps},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("New(%+v) accepted", o)
		}
	}
}
