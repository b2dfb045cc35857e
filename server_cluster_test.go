//go:build !wasm

package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/informerscope/informerscope/internal/kubetest"
	"github.com/informerscope/informerscope/internal/proxy"
)

func flagsFor(kubeconfig, context string) *clusterFlags {
	addr, port, allow, hosts := "127.0.0.1", 8080, false, proxy.DefaultAcceptHosts
	return &clusterFlags{address: &addr, port: &port, kubeconfig: &kubeconfig, context: &context, allowSecrets: &allow, acceptHosts: &hosts}
}

func clusterInfo(t *testing.T, h http.Handler) proxy.Info {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + proxy.InfoPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var info proxy.Info
	if err := json.NewDecoder(resp.Body).Decode(&info); err != nil {
		t.Fatal(err)
	}
	return info
}

// Without a kubeconfig the server runs, /cluster-info says no cluster is
// connected, and the proxy path answers 503; a kubeconfig that cannot be
// read leaves it so, with the reason; a good one connects.
func TestServerClusterModes(t *testing.T) {
	t.Setenv("KUBECONFIG", "")
	page := http.NotFoundHandler()
	mux, err := flagsFor("", "").mux(page)
	if err != nil {
		t.Fatal(err)
	}
	if info := clusterInfo(t, mux); info.Connected || info.ProxyPath != "/cluster" {
		t.Errorf("no kubeconfig: %+v", info)
	}
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/cluster/api", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("/cluster/api without a cluster: %d", rec.Code)
	}

	mux, err = flagsFor("/nonexistent/kubeconfig", "").mux(page)
	if err != nil {
		t.Fatal(err)
	}
	if info := clusterInfo(t, mux); info.Connected || info.Message == "" {
		t.Errorf("a missing kubeconfig: %+v", info)
	}

	_, env := kubetest.Env(t)
	mux, err = flagsFor(env["KUBECONFIG"], "informerscope").mux(page)
	if err != nil {
		t.Fatal(err)
	}
	if info := clusterInfo(t, mux); !info.Connected || info.Context != "informerscope" || info.Server != env["KUBE_SERVER"] {
		t.Errorf("a kubeconfig: %+v", info)
	}
}

func TestListenAddr(t *testing.T) {
	f := flagsFor("", "")
	if got := f.listenAddr(""); got != "127.0.0.1:8080" {
		t.Errorf("default %s", got)
	}
	if got := f.listenAddr("127.0.0.1:9"); got != "127.0.0.1:9" {
		t.Errorf("-addr %s", got)
	}
	for addr, want := range map[string]bool{"127.0.0.1:1": true, "localhost:1": true, "[::1]:1": true, "0.0.0.0:1": false, ":8080": false} {
		if loopback(addr) != want {
			t.Errorf("loopback(%s) = %v", addr, !want)
		}
	}
}
