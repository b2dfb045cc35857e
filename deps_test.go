//go:build !wasm

package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestWasmDoesNotLinkClientGo guards the line DESIGN.md draws between the
// halves: client-go (kubeconfig, the proxy) belongs to the server only. It
// is a test dependency of the informer core and would otherwise slip into
// app.wasm through one careless import, adding megabytes and credentials
// code to the page.
func TestWasmDoesNotLinkClientGo(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps for js/wasm: %v\n%s", err, stderr(err))
	}
	var linked []string
	for _, pkg := range strings.Fields(string(out)) {
		if pkg == "k8s.io/client-go" || strings.HasPrefix(pkg, "k8s.io/client-go/") {
			linked = append(linked, pkg)
		}
	}
	if len(linked) > 0 {
		t.Errorf("app.wasm links %d client-go packages, e.g. %s; find the importer with:\n"+
			"  GOOS=js GOARCH=wasm go list -deps -f '{{.ImportPath}}: {{.Imports}}' . | grep client-go",
			len(linked), linked[0])
	}
}

// stderr returns what a failed command wrote to standard error, if anything.
func stderr(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}
