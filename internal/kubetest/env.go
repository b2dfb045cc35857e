// Package kubetest hands tests the real kube-apiserver that `make test`
// starts with hack/kube-apiserver/start.sh. Tests that compare against a
// real server call Env; it is test support only and must never be imported
// by the server or app.wasm (client-go stays a test dependency).
package kubetest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"k8s.io/client-go/rest"
)

const (
	// EnvFileVar names the env file start.sh wrote (RUN_DIR/env).
	EnvFileVar = "INFORMERSCOPE_KUBE_ENV"
	// RequireVar set to 1 turns a missing server into a failure, so that
	// `make test` cannot pass while silently skipping the comparison.
	RequireVar = "INFORMERSCOPE_REQUIRE_CLUSTER"
)

// EnvFile holds the KEY=VALUE pairs of start.sh's env file: KUBE_SERVER,
// KUBE_TOKEN, KUBE_CA_FILE, KUBECONFIG, ETCD_URL and the pids and ports.
type EnvFile map[string]string

// Env returns a client config for the real kube-apiserver named by
// $INFORMERSCOPE_KUBE_ENV and the env file itself. Without one it skips
// the test, or fails it when $INFORMERSCOPE_REQUIRE_CLUSTER=1.
func Env(t testing.TB) (*rest.Config, EnvFile) {
	t.Helper()
	path := os.Getenv(EnvFileVar)
	if path == "" {
		missing(t, "no real kube-apiserver: set "+EnvFileVar+" to the env file written by "+
			"hack/kube-apiserver/start.sh RUN_DIR (make test does this)")
	}
	f, err := os.Open(path)
	if err != nil {
		missing(t, fmt.Sprintf("no real kube-apiserver: %s: %v", EnvFileVar, err))
	}
	defer f.Close()
	env, err := ParseEnvFile(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	cfg, err := env.RESTConfig()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return cfg, env
}

// missing skips, or fails when a server is required.
func missing(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv(RequireVar) == "1" {
		t.Fatal(msg + " (" + RequireVar + "=1 requires one)")
	}
	t.Skip(msg)
}

// ParseEnvFile reads the shell-sourceable file start.sh writes: KEY=VALUE
// lines, blank lines and # comments, values optionally quoted.
func ParseEnvFile(r io.Reader) (EnvFile, error) {
	env := EnvFile{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		key, val, ok := strings.Cut(line, "=")
		if !ok || key == "" || strings.ContainsAny(key, " \t") {
			return nil, fmt.Errorf("line %d: not KEY=VALUE: %q", n, line)
		}
		if len(val) >= 2 && (val[0] == '"' || val[0] == '\'') && val[len(val)-1] == val[0] {
			val = val[1 : len(val)-1]
		}
		env[key] = val
	}
	return env, sc.Err()
}

// RESTConfig is the client config the env file describes: the server URL,
// the bearer token and the throwaway CA.
func (e EnvFile) RESTConfig() (*rest.Config, error) {
	for _, k := range []string{"KUBE_SERVER", "KUBE_TOKEN", "KUBE_CA_FILE"} {
		if e[k] == "" {
			return nil, fmt.Errorf("%s is missing", k)
		}
	}
	return &rest.Config{
		Host:            e["KUBE_SERVER"],
		BearerToken:     e["KUBE_TOKEN"],
		TLSClientConfig: rest.TLSClientConfig{CAFile: e["KUBE_CA_FILE"]},
		// The comparison tests issue many small requests in a burst; the
		// client's default 5 QPS would make them crawl.
		QPS:   1000,
		Burst: 1000,
	}, nil
}
