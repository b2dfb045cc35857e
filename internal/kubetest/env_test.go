package kubetest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseEnvFile(t *testing.T) {
	cases := []struct {
		name, in string
		want     EnvFile
		err      string
	}{
		{"start.sh shape", "KUBE_SERVER=https://127.0.0.1:1\nKUBE_TOKEN=abc\nKUBE_CA_FILE=/x/ca.crt\n",
			EnvFile{"KUBE_SERVER": "https://127.0.0.1:1", "KUBE_TOKEN": "abc", "KUBE_CA_FILE": "/x/ca.crt"}, ""},
		{"comments, blanks, export, quotes", "# c\n\nexport A=\"1 2\"\nB='x'\nC=a=b\n",
			EnvFile{"A": "1 2", "B": "x", "C": "a=b"}, ""},
		{"empty value", "A=\n", EnvFile{"A": ""}, ""},
		{"no equals", "A\n", nil, "line 1"},
		{"space in key", "A B=1\n", nil, "line 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseEnvFile(strings.NewReader(c.in))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want one containing %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for k, v := range c.want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

func TestRESTConfig(t *testing.T) {
	cfg, err := EnvFile{"KUBE_SERVER": "https://127.0.0.1:1", "KUBE_TOKEN": "tok", "KUBE_CA_FILE": "ca.crt"}.RESTConfig()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Host != "https://127.0.0.1:1" || cfg.BearerToken != "tok" || cfg.TLSClientConfig.CAFile != "ca.crt" {
		t.Errorf("config = %+v", cfg)
	}
	if _, err := (EnvFile{"KUBE_SERVER": "s", "KUBE_CA_FILE": "c"}).RESTConfig(); err == nil ||
		!strings.Contains(err.Error(), "KUBE_TOKEN") {
		t.Errorf("missing token: err = %v", err)
	}
}

// TestEnvSkipsOrFails checks the two answers to a missing server: a skip
// normally, a failure when a server is required. It runs the check in a
// child test process so the failure does not fail this test.
func TestEnvSkipsOrFails(t *testing.T) {
	if os.Getenv("KUBETEST_CHILD") == "1" {
		Env(t)
		return
	}
	missing := filepath.Join(t.TempDir(), "absent-env")
	for _, c := range []struct {
		require string
		want    string
	}{{"", "--- SKIP"}, {"1", "--- FAIL"}} {
		out, _ := childTest(t, "TestEnvSkipsOrFails", EnvFileVar+"="+missing, RequireVar+"="+c.require)
		if !strings.Contains(out, c.want) {
			t.Errorf("%s=%q: want %q in:\n%s", RequireVar, c.require, c.want, out)
		}
	}
}
