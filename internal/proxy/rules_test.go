package proxy

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// The path allow-list: what passes, and why everything else does not.
func TestCheckPath(t *testing.T) {
	cases := []struct {
		path         string
		allowSecrets bool
		refused      string // "" passes; else part of the refusal
	}{
		{"/version", false, ""},
		{"/api", false, ""},
		{"/api/v1", false, ""},
		{"/apis", false, ""},
		{"/apis/apps", false, ""},
		{"/apis/apps/v1", false, ""},
		{"/api/v1/configmaps", false, ""},
		{"/api/v1/namespaces", false, ""},
		{"/api/v1/namespaces/ns", false, ""},
		{"/api/v1/namespaces/ns/configmaps", false, ""},
		{"/api/v1/namespaces/ns/configmaps/a", false, ""},
		{"/apis/example.com/v1/namespaces/ns/widgets/w", false, ""},
		{"/api/v1/nodes/n1", false, ""},
		{"/api/v1/namespaces/ns/secrets", true, ""},
		{"/api/v1/secrets", false, "Secrets are not served"},
		{"/api/v1/namespaces/ns/secrets", false, "Secrets are not served"},
		{"/api/v1/namespaces/ns/secrets/s", false, "Secrets are not served"},
		{"/api/v1/namespaces/ns/pods/p/exec", false, `subresource "exec"`},
		{"/api/v1/namespaces/ns/pods/p/attach", false, `subresource "attach"`},
		{"/api/v1/namespaces/ns/pods/p/portforward", false, `subresource "portforward"`},
		{"/api/v1/namespaces/ns/pods/p/proxy/metrics", false, `subresource "proxy/metrics"`},
		{"/api/v1/namespaces/ns/services/s:80/proxy/", false, `not a clean API path`},
		{"/api/v1/namespaces/ns/services/s:80/proxy", false, `subresource "proxy"`},
		{"/api/v1/nodes/n1/proxy/logs", false, `subresource "proxy/logs"`},
		{"/api/v1/namespaces/ns/pods/p/log", false, `subresource "log"`},
		{"/api/v1/namespaces/ns/status", false, `subresource "status"`},
		{"/api/v1/namespaces/ns/serviceaccounts/sa/token", false, `subresource "token"`},
		{"/api/v1/proxy/namespaces/ns/pods/p", false, "proxy verb"},
		{"/api/v1/watch/configmaps", false, "legacy /watch/"},
		{"/logs", false, "is not served"},
		{"/metrics", false, "is not served"},
		{"/openapi/v2", false, "is not served"},
		{"/api/v1/../../logs", false, "not a clean API path"},
		{"/api//v1", false, "not a clean API path"},
		{"", false, "not a clean API path"},
	}
	for _, c := range cases {
		ref := checkPath(c.path, c.allowSecrets)
		switch {
		case c.refused == "" && ref != nil:
			t.Errorf("%s: refused: %s", c.path, ref.message)
		case c.refused != "" && ref == nil:
			t.Errorf("%s: passed, want a refusal saying %q", c.path, c.refused)
		case c.refused != "" && !strings.Contains(ref.message, c.refused):
			t.Errorf("%s: refusal %q does not say %q", c.path, ref.message, c.refused)
		}
	}
}

// Who may call: the accepted host names, and only this server's own page.
func TestCheckCaller(t *testing.T) {
	hosts, err := ParseAcceptHosts(DefaultAcceptHosts)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		host    string
		headers map[string]string
		ok      bool
	}{
		{"127.0.0.1 with a port", "127.0.0.1:8080", nil, true},
		{"localhost", "localhost:8080", nil, true},
		{"::1", "[::1]:8080", nil, true},
		{"no port", "localhost", nil, true},
		{"a rebinding name", "attacker.example:8080", nil, false},
		{"a name that contains localhost", "localhost.attacker.example:8080", nil, false},
		{"a LAN address", "192.168.1.2:8080", nil, false},
		{"same origin", "127.0.0.1:8080", map[string]string{"Origin": "http://127.0.0.1:8080", "Sec-Fetch-Site": "same-origin"}, true},
		{"typed in the address bar", "127.0.0.1:8080", map[string]string{"Sec-Fetch-Site": "none"}, true},
		{"a foreign origin", "127.0.0.1:8080", map[string]string{"Origin": "https://attacker.example"}, false},
		{"another port of localhost", "127.0.0.1:8080", map[string]string{"Origin": "http://127.0.0.1:9999"}, false},
		{"a null origin", "127.0.0.1:8080", map[string]string{"Origin": "null"}, false},
		{"cross-site fetch without Origin", "127.0.0.1:8080", map[string]string{"Sec-Fetch-Site": "cross-site"}, false},
		{"same-site fetch (another port)", "127.0.0.1:8080", map[string]string{"Sec-Fetch-Site": "same-site"}, false},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/cluster/api", nil)
		r.Host = c.host
		for k, v := range c.headers {
			r.Header.Set(k, v)
		}
		ref := checkCaller(r, hosts)
		if (ref == nil) != c.ok {
			t.Errorf("%s: ok=%v, refusal %v", c.name, ref == nil, ref)
		}
	}
}

func TestParseAcceptHosts(t *testing.T) {
	if _, err := ParseAcceptHosts(" , "); err == nil {
		t.Error("an empty list was accepted")
	}
	if _, err := ParseAcceptHosts("^a$,("); err == nil {
		t.Error("a bad pattern was accepted")
	}
	res, err := ParseAcceptHosts(`^example\.com$, ^localhost$`)
	if err != nil || len(res) != 2 {
		t.Errorf("got %v %v", res, err)
	}
}
