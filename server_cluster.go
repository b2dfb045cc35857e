//go:build !wasm

package main

import (
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"

	"github.com/informerscope/informerscope/internal/proxy"
)

// clusterFlags are the kubectl-style flags of the real-cluster mode. The
// server reads a kubeconfig only when asked to (--kubeconfig, --context or
// $KUBECONFIG): a plain `make run` never opens a door to whatever cluster
// ~/.kube/config happens to name.
type clusterFlags struct {
	address      *string
	port         *int
	kubeconfig   *string
	context      *string
	allowSecrets *bool
	acceptHosts  *string
}

func registerClusterFlags() *clusterFlags {
	return &clusterFlags{
		address:      flag.String("address", "127.0.0.1", "IP `address` to serve on; loopback by default, so neither the page nor the cluster proxy is exposed to the network"),
		port:         flag.Int("port", 8080, "`port` to serve on"),
		kubeconfig:   flag.String("kubeconfig", "", "kubeconfig `file` of a cluster to watch, proxied read-only under "+proxy.DefaultPrefix+" (default: $KUBECONFIG, if set; else no cluster)"),
		context:      flag.String("context", "", "kubeconfig `context` to use (default: the current context); implies loading the kubeconfig as kubectl does"),
		allowSecrets: flag.Bool("allow-secrets", false, "let the proxy serve Secrets (refused by default)"),
		acceptHosts:  flag.String("accept-hosts", proxy.DefaultAcceptHosts, "comma-separated `regexps` of Host header names the cluster proxy accepts (a guard against DNS rebinding)"),
	}
}

// listenAddr is where to listen: -addr when given (the older flag, still
// used by `make run`), else --address and --port.
func (f *clusterFlags) listenAddr(addr string) string {
	if addr != "" {
		return addr
	}
	return net.JoinHostPort(*f.address, strconv.Itoa(*f.port))
}

// wanted tells whether the user asked for a cluster.
func (f *clusterFlags) wanted() bool {
	return *f.kubeconfig != "" || *f.context != "" || os.Getenv("KUBECONFIG") != ""
}

// mux serves the cluster proxy and /cluster-info beside the page. They are
// mounted before go-app's handler, which would otherwise answer their
// paths with its router and its ETag logic. A kubeconfig that cannot be
// read does not stop the server: the page still works with the simulated
// cluster, and /cluster-info says what went wrong.
func (f *clusterFlags) mux(page http.Handler) (http.Handler, error) {
	hosts, err := proxy.ParseAcceptHosts(*f.acceptHosts)
	if err != nil {
		return nil, err
	}
	var p *proxy.Proxy
	var cluster *proxy.Cluster
	info := proxy.NewInfo(nil, nil)
	if f.wanted() {
		cluster, err = proxy.LoadKubeconfig(*f.kubeconfig, *f.context)
		if err == nil {
			p, err = proxy.New(cluster.Config, proxy.Options{AllowSecrets: *f.allowSecrets, AcceptHosts: hosts})
		}
		if err != nil {
			log.Printf("no cluster: %v", err)
			info.Message = "no cluster is connected: " + err.Error()
		} else {
			info = proxy.NewInfo(p, cluster)
			log.Printf("proxying context %q (cluster %s at %s) read-only under %s", cluster.Context, cluster.Name, cluster.Server, p.Prefix())
		}
	}
	mux := http.NewServeMux()
	mux.Handle(proxy.InfoPath, proxy.InfoHandler(info, hosts))
	if p != nil {
		mux.Handle(proxy.DefaultPrefix+"/", p)
	} else {
		mux.Handle(proxy.DefaultPrefix+"/", proxy.NoCluster())
	}
	mux.Handle("/", page)
	return mux, nil
}

// loopback tells whether addr listens on loopback only.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
