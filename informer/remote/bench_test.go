//go:build !js

package remote_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/informerscope/informerscope/informer"
	"github.com/informerscope/informerscope/informer/remote"
	"github.com/informerscope/informerscope/internal/kubetest"
	"github.com/informerscope/informerscope/internal/proxy"
)

// benchNamespace holds the 5,000 ConfigMaps of the initial-list benchmark;
// kubetest.SeedConfigMaps fills it once per server, so a browser benchmark
// can list the same objects.
const benchNamespace = "informerscope-bench-5000"

// An initial list of 5,000 ConfigMaps from the real kube-apiserver,
// through the proxy, into our informer's indexer on the native runtime:
// objects per second from start to HasSynced, for the default streaming
// list and for LIST in pages of 500.
func BenchmarkInitialList5000ThroughProxy(b *testing.B) {
	const n = 5000
	cfg, _ := kubetest.Env(b)
	kubetest.SeedConfigMaps(b, cfg, benchNamespace, n)
	p, err := proxy.New(cfg, proxy.Options{})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(p)
	defer srv.Close()
	for _, c := range []struct {
		name  string
		gates informer.FeatureGates
	}{
		{"streaming list", informer.FeatureGates{}},
		{"list", informer.FeatureGates{DisableWatchListClient: true}},
	} {
		b.Run(c.name, func(b *testing.B) {
			lw, err := remote.New(remote.Options{BaseURL: srv.URL + proxy.DefaultPrefix, Resource: configMapsGVR, Namespace: benchNamespace})
			if err != nil {
				b.Fatal(err)
			}
			var total time.Duration
			for b.Loop() {
				start := time.Now()
				inf := informer.NewSharedIndexInformerWithOptions(lw, &unstructured.Unstructured{}, informer.SharedIndexInformerOptions{Gates: c.gates})
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan struct{})
				go func() { inf.RunWithContext(ctx); close(done) }()
				for !inf.HasSynced() {
					time.Sleep(time.Millisecond)
				}
				total += time.Since(start)
				if got := len(inf.GetIndexer().ListKeys()); got != n {
					b.Fatalf("indexer holds %d objects, want %d", got, n)
				}
				cancel()
				<-done
			}
			b.ReportMetric(float64(n)*float64(b.N)/total.Seconds(), "objects/s")
		})
	}
}
