//go:build !wasm

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// webDir is go-app's static resource folder, relative to the working
// directory; the Handler serves it at /web/ and expects /web/app.wasm there.
const webDir = "web"

func serverMain() {
	addr := flag.String("addr", "", "`host:port` to serve on; overrides --address and --port")
	gen := flag.String("gen", "", "write a static site into `DIR` instead of serving")
	prefix := flag.String("prefix", "", "URL path `P` the static site is hosted under, e.g. the repository name on GitHub Pages")
	bestCompression := flag.Bool("best-compression", true, "after a quick brotli compression of app.wasm, make a smaller one in the background (about 2 minutes of one core)")
	cluster := registerClusterFlags()
	flag.Parse()

	version, err := hashDir(webDir)
	if err != nil {
		log.Fatalf("%v (build the client first: make wasm)", err)
	}
	h := handler(version)

	if *gen != "" {
		if err := generate(*gen, *prefix, h); err != nil {
			log.Fatal(err)
		}
		return
	}

	mux, err := cluster.mux(h)
	if err != nil {
		log.Fatal(err)
	}
	listen := cluster.listenAddr(*addr)
	if !loopback(listen) {
		log.Printf("warning: serving on %s, beyond loopback: other machines can reach the page and the cluster proxy (whose Host check still applies)", listen)
	}
	log.Printf("InformerScope on http://%s", listen)
	log.Fatal(http.ListenAndServe(listen, serveCompressedWasm(mux, version, filepath.Join(webDir, "app.wasm"), *bestCompression)))
}

// handler describes the page. Every resource it names is local: the service
// worker caches them all at install, and a single remote or missing one
// (go-app's default icon is remote) makes the install fail silently offline.
func handler(version string) *app.Handler {
	resources := app.LocalDir("") // go-app's default: ./web at /web/
	return &app.Handler{
		Resources:   resources,
		Name:        "InformerScope",
		ShortName:   "InformerScope",
		Title:       "InformerScope",
		Description: "See how a Kubernetes informer works, step by step, in your browser.",
		Icon: app.Icon{
			Default: "/web/icon-192.png",
			Large:   "/web/icon-512.png",
			SVG:     "/web/icon.svg",
		},
		Styles:       []string{"/web/app.css"},
		Version:      version,
		LoadingLabel: "Loading InformerScope: {progress}%",
		// Set when app.wasm goes out compressed (server_brotli.go); a
		// static host's own compression does not set it, and the loader
		// then falls back to Content-Length.
		WasmContentLengthHeader: uncompressedLengthHeader,
		RawHeaders:              headScripts(resources.AppWASM()),
	}
}

// generate writes the static site. go-app writes the pages and its own
// scripts but leaves web/ empty, so the resources are copied after it.
func generate(dir, prefix string, h *app.Handler) error {
	if prefix != "" {
		h.Resources = app.GitHubPages(prefix)
		h.RawHeaders = headScripts(h.Resources.AppWASM())
	}
	if err := app.GenerateStaticWebsite(dir, h); err != nil {
		return err
	}
	return copyDir(webDir, filepath.Join(dir, webDir))
}

// hashDir returns a hash of every file in dir, app.wasm included.
// It is the Handler's Version: go-app's ETag and service-worker cache are
// keyed on Version alone, so without a content hash a rebuilt app.wasm
// would keep being answered with 304 or served from the old cache.
func hashDir(dir string) (string, error) {
	if _, err := os.Stat(filepath.Join(dir, "app.wasm")); err != nil {
		return "", err
	}
	entries, err := os.ReadDir(dir) // sorted by name, so the hash is stable
	if err != nil {
		return "", err
	}
	sum := sha256.New()
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(sum, "%s\x00", e.Name())
		_, err = io.Copy(sum, f)
		f.Close()
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(sum.Sum(nil))[:16], nil
}

// copyDir copies the regular files of src into dst (not recursively: web/
// is flat).
func copyDir(src, dst string) error {
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
