//go:build !js

package mock_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
)

// compactEtcd compacts etcd at its current revision through etcd's JSON
// gateway (/v3/kv/...), which every etcd v3 serves on its client URL: a
// few lines of HTTP instead of etcd's gRPC client and its dependencies.
// Like kube-apiserver's own compactor (k8s.io/apiserver's etcd3.Compact),
// it also records the revision under compact_rev_key, which kube-apiserver
// watches to learn the compacted revision.
func compactEtcd(ctx context.Context, t *testing.T, etcdURL string) {
	if etcdURL == "" {
		t.Fatal("the env file names no ETCD_URL")
	}
	var rng struct {
		Header struct {
			Revision string `json:"revision"`
		} `json:"header"`
	}
	key := []byte("compact_rev_key")
	etcdPost(ctx, t, etcdURL+"/v3/kv/range", map[string]any{"key": key}, &rng)
	rev := rng.Header.Revision
	etcdPost(ctx, t, etcdURL+"/v3/kv/put", map[string]any{"key": key, "value": []byte(rev)}, nil)
	etcdPost(ctx, t, etcdURL+"/v3/kv/compaction", map[string]any{"revision": rev, "physical": true}, nil)
}

func etcdPost(ctx context.Context, t *testing.T, url string, body any, out any) {
	b, err := json.Marshal(body) // []byte fields become base64, as the gateway wants
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("etcd %s: %v", url, err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("etcd %s: %s: %s", url, resp.Status, text)
	}
	if out != nil {
		if err := json.Unmarshal(text, out); err != nil {
			t.Fatal(fmt.Errorf("etcd %s: %w: %s", url, err, text))
		}
	}
}
