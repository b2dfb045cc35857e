//go:build !wasm

package main

import (
	"bytes"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/andybalholm/brotli"
)

// uncompressedLengthHeader carries app.wasm's size when it is sent
// compressed: go-app's loader reads it (Handler.WasmContentLengthHeader)
// to show download progress, since Content-Length is then the compressed
// size.
const uncompressedLengthHeader = "X-Uncompressed-Length"

// Brotli qualities: quick is ready a few seconds after the server starts
// (21 MB to 4.1 MB in about 4 s on two cores); best takes minutes (about
// 2 min for 3.5 MB) and replaces it when done, if asked for.
const (
	brotliQuick = 6
	brotliBest  = 11
)

// qualityHeader says which quality the compressed app.wasm was made at.
const qualityHeader = "X-Brotli-Quality"

// compressedWasm serves web/app.wasm brotli-compressed to browsers that
// accept it, which is a fifth of the bytes or less. It compresses in memory
// when the server starts, from the app.wasm of that moment, so it can never
// be stale; until that is done, requests get the plain file.
type compressedWasm struct {
	next    http.Handler
	version string
	size    int
	br      atomic.Pointer[compressed]
}

type compressed struct {
	data    []byte
	quality int
}

// serveCompressedWasm serves wasmPath compressed at the quick quality, and
// then, if best is set, at the best one once that is done.
func serveCompressedWasm(next http.Handler, version, wasmPath string, best bool) http.Handler {
	c := &compressedWasm{next: next, version: version}
	data, err := os.ReadFile(wasmPath)
	if err != nil {
		log.Printf("app.wasm will be served uncompressed: %v", err)
		return next
	}
	c.size = len(data)
	go func() {
		qualities := []int{brotliQuick}
		if best {
			qualities = append(qualities, brotliBest)
		}
		for _, q := range qualities {
			start := time.Now()
			var b bytes.Buffer
			w := brotli.NewWriterLevel(&b, q)
			if _, err := w.Write(data); err != nil || w.Close() != nil {
				log.Printf("app.wasm: brotli at quality %d failed", q)
				return
			}
			c.br.Store(&compressed{data: b.Bytes(), quality: q})
			log.Printf("app.wasm compressed with brotli at quality %d: %d -> %d bytes in %v", q, len(data), b.Len(), time.Since(start).Round(time.Millisecond))
		}
	}()
	return c
}

func (c *compressedWasm) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	br := c.br.Load()
	if r.URL.Path != "/web/app.wasm" || br == nil || !acceptsBrotli(r) {
		c.next.ServeHTTP(w, r)
		return
	}
	// The same caching rules as go-app's Handler: revalidate every time,
	// keyed on the Version, which hashes web/.
	etag := `"` + c.version + `"`
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("ETag", etag)
	w.Header().Add("Vary", "Accept-Encoding")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/wasm")
	w.Header().Set("Content-Encoding", "br")
	w.Header().Set("Content-Length", strconv.Itoa(len(br.data)))
	w.Header().Set(uncompressedLengthHeader, strconv.Itoa(c.size))
	w.Header().Set(qualityHeader, strconv.Itoa(br.quality))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(br.data)
}

func acceptsBrotli(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(name) == "br" && strings.TrimSpace(q) != "q=0" {
			return true
		}
	}
	return false
}
