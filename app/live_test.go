package ui

import (
	"strings"
	"testing"

	"github.com/informerscope/informerscope/internal/proxy"
)

// Without a cluster the page says so once, in the server's words.
func TestNotConnected(t *testing.T) {
	server := proxy.NewInfo(nil, nil).Message
	for _, tc := range []struct{ message, want string }{
		{"", "No cluster is connected."},
		{server, "N" + server[1:]},
		{"no cluster is connected: open /x/kubeconfig: no such file", "No cluster is connected: open /x/kubeconfig: no such file"},
	} {
		got := clusterInfo{Message: tc.message}.notConnected()
		if got != tc.want || strings.Count(strings.ToLower(got), "no cluster is connected") != 1 {
			t.Errorf("message %q: the page says %q, want %q", tc.message, got, tc.want)
		}
	}
}
