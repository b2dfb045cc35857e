package proxy

import (
	"encoding/json"
	"net/http"
	"regexp"
)

// InfoPath is where the page asks whether a cluster is connected.
const InfoPath = "/cluster-info"

// NoClusterReason is the Status reason under the proxy's prefix when no
// cluster is connected (remote.NoClusterReason says the same).
const NoClusterReason = "NoClusterConnected"

// Info is the answer at InfoPath: whether a cluster is connected, and if so
// which, and where the page reaches it. It holds no credential.
type Info struct {
	Connected bool `json:"connected"`
	// ProxyPath is where the cluster's API is served ("/cluster").
	ProxyPath    string `json:"proxyPath"`
	Context      string `json:"context,omitempty"`
	Cluster      string `json:"cluster,omitempty"`
	Server       string `json:"server,omitempty"`
	Namespace    string `json:"namespace,omitempty"`
	AllowSecrets bool   `json:"allowSecrets"`
	// Message says why nothing is connected, for the page to show.
	Message string `json:"message,omitempty"`
}

// NewInfo describes the proxy p to cluster c; nil for both means no
// cluster is connected.
func NewInfo(p *Proxy, c *Cluster) Info {
	if p == nil || c == nil {
		return Info{ProxyPath: DefaultPrefix, Message: "no cluster is connected: start the server with --kubeconfig (or KUBECONFIG set) to watch one"}
	}
	return Info{Connected: true, ProxyPath: p.Prefix(), Context: c.Context, Cluster: c.Name,
		Server: c.Server, Namespace: c.Namespace, AllowSecrets: p.opts.AllowSecrets}
}

// InfoHandler answers InfoPath with info, behind the same caller checks
// as the proxy (which cluster the user watches is nobody else's business).
func InfoHandler(info Info, acceptHosts []*regexp.Regexp) http.Handler {
	if acceptHosts == nil {
		acceptHosts, _ = ParseAcceptHosts(DefaultAcceptHosts)
	}
	body, _ := json.Marshal(info)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ref := checkCaller(r, acceptHosts); ref != nil {
			writeRefusal(w, ref)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(body)
	})
}

// NoCluster answers every request under the prefix when no cluster is
// connected: a 503 Status the page's client explains.
func NoCluster() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeStatus(w, http.StatusServiceUnavailable, NoClusterReason,
			"no cluster is connected: start the InformerScope server with --kubeconfig (or KUBECONFIG set)")
	})
}
