//go:build !js

package proxy

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"

	"github.com/informerscope/informerscope/internal/kubetest"
)

// countingTransport counts the requests that leave for the cluster.
type countingTransport struct {
	next http.RoundTripper
	n    *atomic.Int64
	last atomic.Value // string: the last request's method and path
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	c.last.Store(r.Method + " " + r.URL.Path)
	return c.next.RoundTrip(r)
}

// rig is the proxy in front of the real kube-apiserver, with a count of
// what reaches it, and a client-go client that goes to it directly.
type rig struct {
	url     string // the proxy server; requests go to url + "/cluster/..."
	sent    *atomic.Int64
	counter *countingTransport
	direct  dynamic.Interface
	ns      string
}

func newRig(t *testing.T, opts Options) *rig {
	cfg, _ := kubetest.Env(t)
	r := &rig{sent: &atomic.Int64{}}
	pcfg := rest.CopyConfig(cfg)
	pcfg.WrapTransport = func(rt http.RoundTripper) http.RoundTripper {
		r.counter = &countingTransport{next: rt, n: r.sent}
		return r.counter
	}
	p, err := New(pcfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	r.url = srv.URL
	if r.direct, err = dynamic.NewForConfig(cfg); err != nil {
		t.Fatal(err)
	}
	r.ns = fmt.Sprintf("proxy-%d", time.Now().UnixNano())
	ns := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": r.ns}}}
	if _, err := r.direct.Resource(schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}).Create(context.Background(), ns, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	return r
}

var (
	configMapsGVR = schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}
	secretsGVR    = schema.GroupVersionResource{Version: "v1", Resource: "secrets"}
)

func (r *rig) createConfigMap(t *testing.T, name string) {
	t.Helper()
	cm := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "ConfigMap",
		"metadata": map[string]any{"name": name}, "data": map[string]any{"k": "v"}}}
	if _, err := r.direct.Resource(configMapsGVR).Namespace(r.ns).Create(context.Background(), cm, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
}

func (r *rig) do(t *testing.T, method, path string, headers map[string]string, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, r.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		if k == "Host" {
			req.Host = v
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// Every forbidden request is refused by the proxy itself, with a Status
// the page can explain, and none reaches the cluster: the upstream count
// stays at zero and the objects the writes aimed at do not change.
func TestProxyRefusesAndNothingReachesTheCluster(t *testing.T) {
	r := newRig(t, Options{})
	r.createConfigMap(t, "target")
	secret := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Secret",
		"metadata": map[string]any{"name": "s"}, "stringData": map[string]any{"password": "hunter2"}}}
	if _, err := r.direct.Resource(secretsGVR).Namespace(r.ns).Create(context.Background(), secret, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	ns := "/cluster/api/v1/namespaces/" + r.ns
	cm := `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"target"},"data":{"k":"changed"}}`
	newCM := `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"created"}}`
	cases := []struct {
		name, method, path string
		headers            map[string]string
		body               string
		code               int
		says               string
	}{
		{"POST creates", "POST", ns + "/configmaps", nil, newCM, 405, "read-only"},
		{"PUT updates", "PUT", ns + "/configmaps/target", nil, cm, 405, "read-only"},
		{"PATCH patches", "PATCH", ns + "/configmaps/target", map[string]string{"Content-Type": "application/merge-patch+json"}, `{"data":{"k":"x"}}`, 405, "read-only"},
		{"DELETE deletes", "DELETE", ns + "/configmaps/target", nil, "", 405, "read-only"},
		{"DELETE a collection", "DELETE", ns + "/configmaps", nil, "", 405, "read-only"},
		{"HEAD", "HEAD", ns + "/configmaps", nil, "", 405, ""},
		{"OPTIONS", "OPTIONS", ns + "/configmaps", nil, "", 405, "read-only"},
		{"exec", "GET", ns + "/pods/p/exec?command=sh&stdin=true", nil, "", 403, `subresource "exec"`},
		{"exec over a websocket upgrade", "GET", ns + "/pods/p/exec?command=sh", map[string]string{"Connection": "Upgrade", "Upgrade": "websocket"}, "", 403, "upgrades"},
		{"attach", "GET", ns + "/pods/p/attach", nil, "", 403, `subresource "attach"`},
		{"portforward", "GET", ns + "/pods/p/portforward", nil, "", 403, `subresource "portforward"`},
		{"pod proxy", "GET", ns + "/pods/p/proxy/", nil, "", 403, "not a clean API path"},
		{"pod proxy path", "GET", ns + "/pods/p/proxy/metrics", nil, "", 403, `subresource "proxy/metrics"`},
		{"service proxy", "GET", ns + "/services/s:80/proxy", nil, "", 403, `subresource "proxy"`},
		{"node proxy", "GET", "/cluster/api/v1/nodes/n/proxy/logs", nil, "", 403, `subresource "proxy/logs"`},
		{"legacy proxy verb", "GET", "/cluster/api/v1/proxy/nodes/n/logs", nil, "", 403, "proxy verb"},
		{"an upgrade on a list", "GET", ns + "/configmaps", map[string]string{"Connection": "keep-alive, Upgrade", "Upgrade": "SPDY/3.1"}, "", 403, "upgrades"},
		{"list Secrets", "GET", ns + "/secrets", nil, "", 403, "Secrets are not served"},
		{"get a Secret", "GET", ns + "/secrets/s", nil, "", 403, "Secrets are not served"},
		{"watch Secrets everywhere", "GET", "/cluster/api/v1/secrets?watch=true", nil, "", 403, "Secrets are not served"},
		{"an escaped slash", "GET", ns + "/pods/p%2Fexec", nil, "", 403, "escaped paths"},
		{"a DNS-rebinding Host", "GET", ns + "/configmaps", map[string]string{"Host": "attacker.example"}, "", 403, "not accepted"},
		{"a foreign Origin", "GET", ns + "/configmaps", map[string]string{"Origin": "https://attacker.example"}, "", 403, "origin"},
		{"a cross-site fetch", "GET", ns + "/configmaps", map[string]string{"Sec-Fetch-Site": "cross-site"}, "", 403, "another site"},
		{"a path outside the API", "GET", "/cluster/logs/", nil, "", 403, ""},
		{"metrics", "GET", "/cluster/metrics", nil, "", 403, "not served"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := r.sent.Load()
			resp, body := r.do(t, c.method, c.path, c.headers, c.body)
			if resp.StatusCode != c.code {
				t.Errorf("status %d, want %d: %s", resp.StatusCode, c.code, body)
			}
			if n := r.sent.Load() - before; n != 0 {
				t.Errorf("%d request(s) reached the cluster (last: %v)", n, r.counter.last.Load())
			}
			if c.method == "HEAD" {
				return
			}
			var st metav1.Status
			if err := json.Unmarshal([]byte(body), &st); err != nil || st.Kind != "Status" || int(st.Code) != c.code {
				t.Errorf("not a Status: %s", body)
			}
			if !strings.HasPrefix(st.Message, refusalPrefix) || !strings.Contains(st.Message, c.says) {
				t.Errorf("message %q does not say %q", st.Message, c.says)
			}
		})
	}
	// And the cluster agrees: the target is unchanged, nothing was created.
	got, err := r.direct.Resource(configMapsGVR).Namespace(r.ns).Get(context.Background(), "target", metav1.GetOptions{})
	if err != nil || got.Object["data"].(map[string]any)["k"] != "v" {
		t.Errorf("target changed: %v %v", got, err)
	}
	if _, err := r.direct.Resource(configMapsGVR).Namespace(r.ns).Get(context.Background(), "created", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("created exists: %v", err)
	}
}

// What the page may do works, and goes to the cluster as the proxy's own
// user: headers the browser adds (cookies, Authorization, impersonation)
// do not reach the cluster, and the cluster's auth headers do not come
// back.
func TestProxyServesReads(t *testing.T) {
	r := newRig(t, Options{})
	r.createConfigMap(t, "a")
	ns := "/cluster/api/v1/namespaces/" + r.ns
	sneaky := map[string]string{
		"Authorization":     "Bearer not-a-token",
		"Cookie":            "session=1",
		"Impersonate-User":  "nobody",
		"Impersonate-Group": "nobody",
		"Sec-Fetch-Site":    "same-origin",
	}
	cases := []struct {
		name, path string
		headers    map[string]string
		says       string
	}{
		{"version", "/cluster/version", nil, `"gitVersion"`},
		{"core discovery", "/cluster/api", nil, `"versions"`},
		{"core v1 discovery", "/cluster/api/v1", nil, `"configmaps"`},
		{"group discovery", "/cluster/apis", nil, `"apps"`},
		{"a group", "/cluster/apis/apps", nil, `"apps/v1"`},
		{"a group version", "/cluster/apis/apps/v1", nil, `"deployments"`},
		{"list", ns + "/configmaps?limit=10", nil, `"name":"a"`},
		{"get", ns + "/configmaps/a", nil, `"name":"a"`},
		{"list everywhere", "/cluster/api/v1/configmaps?limit=1", nil, `"continue"`},
		{"cluster-scoped list", "/cluster/api/v1/namespaces?limit=500", nil, r.ns},
		{"a namespace", "/cluster/api/v1/namespaces/" + r.ns, nil, r.ns},
		{"the browser's credentials do not reach the cluster", ns + "/configmaps/a", sneaky, `"name":"a"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := r.sent.Load()
			resp, body := r.do(t, "GET", c.path, c.headers, "")
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			if !strings.Contains(body, c.says) {
				t.Errorf("body does not say %s: %.300s", c.says, body)
			}
			if r.sent.Load() != before+1 {
				t.Errorf("%d requests reached the cluster, want 1", r.sent.Load()-before)
			}
			for _, h := range []string{"Set-Cookie", "Www-Authenticate", "Authorization"} {
				if v := resp.Header.Get(h); v != "" {
					t.Errorf("%s came back: %q", h, v)
				}
			}
			if resp.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q", resp.Header.Get("Cache-Control"))
			}
		})
	}
	// With --allow-secrets, Secrets pass.
	rs := newRig(t, Options{AllowSecrets: true})
	if resp, body := rs.do(t, "GET", "/cluster/api/v1/namespaces/"+rs.ns+"/secrets", nil, ""); resp.StatusCode != 200 {
		t.Errorf("allow-secrets: status %d: %s", resp.StatusCode, body)
	}
}

// A watch through the proxy delivers each event as it happens: the event
// of a ConfigMap created after the watch opened arrives while the response
// is still open (its timeout is 60 s away).
func TestProxyWatchStreams(t *testing.T) {
	r := newRig(t, Options{})
	resp, err := http.Get(r.url + "/cluster/api/v1/namespaces/" + r.ns + "/configmaps?watch=true&timeoutSeconds=60&allowWatchBookmarks=true")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	for i := range 3 {
		name := fmt.Sprintf("streamed-%d", i)
		start := time.Now()
		r.createConfigMap(t, name)
		deadline := time.After(5 * time.Second)
	wait:
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("the watch ended before %s arrived", name)
				}
				if strings.Contains(l, `"type":"ADDED"`) && strings.Contains(l, `"name":"`+name+`"`) {
					t.Logf("%s arrived %v after its create", name, time.Since(start).Round(time.Millisecond))
					break wait
				}
			case <-deadline:
				t.Fatalf("%s did not arrive within 5 s: the watch is not streamed", name)
			}
		}
	}
}

// /cluster-info says whether a cluster is connected, and without one the
// proxy's path answers with a Status that says so.
func TestInfoAndNoCluster(t *testing.T) {
	off := httptest.NewServer(InfoHandler(NewInfo(nil, nil), nil))
	defer off.Close()
	var info Info
	getJSON(t, off.URL, &info)
	if info.Connected || info.ProxyPath != DefaultPrefix || !strings.Contains(info.Message, "--kubeconfig") {
		t.Errorf("no cluster: %+v", info)
	}
	nc := httptest.NewServer(NoCluster())
	defer nc.Close()
	resp, err := http.Get(nc.URL + "/cluster/api/v1/configmaps")
	if err != nil {
		t.Fatal(err)
	}
	var st metav1.Status
	json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if resp.StatusCode != 503 || st.Reason != NoClusterReason {
		t.Errorf("no cluster: %d %+v", resp.StatusCode, st)
	}

	cfg, _ := kubetest.Env(t)
	p, err := New(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	on := httptest.NewServer(InfoHandler(NewInfo(p, &Cluster{Config: cfg, Context: "ctx", Name: "c", Server: cfg.Host, Namespace: "default"}), nil))
	defer on.Close()
	getJSON(t, on.URL, &info)
	if !info.Connected || info.Context != "ctx" || info.Server != cfg.Host || info.ProxyPath != "/cluster" {
		t.Errorf("connected: %+v", info)
	}
	body, _ := json.Marshal(info)
	if strings.Contains(string(body), cfg.BearerToken) {
		t.Error("the token reached /cluster-info")
	}
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}
