//go:build !wasm

package main

import (
	"bytes"
	"crypto/rand"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// app.wasm goes out brotli-compressed to browsers that accept it, with the
// uncompressed size for go-app's progress label and go-app's caching
// rules; others, and every other path, get what the next handler serves.
func TestCompressedWasm(t *testing.T) {
	wasm := make([]byte, 300_000)
	rand.Read(wasm[:1000]) // mostly zeros: compressible, not trivially
	path := filepath.Join(t.TempDir(), "app.wasm")
	if err := os.WriteFile(path, wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "plain "+r.URL.Path) })
	h := serveCompressedWasm(next, "v1", path, true).(*compressedWasm)
	for deadline := time.Now().Add(60 * time.Second); h.br.Load() == nil || h.br.Load().quality != brotliBest; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("compression did not finish")
		}
	}
	get := func(path string, hdr map[string]string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		for k, v := range hdr {
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}

	w := get("/web/app.wasm", map[string]string{"Accept-Encoding": "gzip, deflate, br, zstd"})
	if w.Header().Get("Content-Encoding") != "br" || w.Header().Get(uncompressedLengthHeader) != "300000" || w.Header().Get(qualityHeader) != "11" ||
		w.Header().Get("Content-Type") != "application/wasm" || w.Header().Get("ETag") != `"v1"` {
		t.Fatalf("headers: %v", w.Header())
	}
	body, err := io.ReadAll(brotli.NewReader(w.Body))
	if err != nil || !bytes.Equal(body, wasm) {
		t.Fatalf("the compressed body does not decompress to app.wasm (%v)", err)
	}
	if w.Body.Len() > len(wasm)/5 {
		t.Errorf("compressed to %d of %d bytes", w.Body.Len(), len(wasm))
	}
	if w := get("/web/app.wasm", map[string]string{"Accept-Encoding": "br", "If-None-Match": `"v1"`}); w.Code != http.StatusNotModified {
		t.Errorf("a cached copy with the same version: %d, want 304", w.Code)
	}
	for _, tc := range []struct{ path, enc string }{
		{"/web/app.wasm", "gzip"},
		{"/web/app.wasm", "br;q=0"},
		{"/web/app.css", "br"},
	} {
		if w := get(tc.path, map[string]string{"Accept-Encoding": tc.enc}); w.Body.String() != "plain "+tc.path {
			t.Errorf("%s with %q: %q, want the next handler's", tc.path, tc.enc, w.Body.String())
		}
	}
}
