package informer

import (
	"fmt"
	"path"
	"path/filepath"
	"runtime"
	"strings"
)

// thisPackage is the import path of this package, as function names in a
// stack start.
const thisPackage = "github.com/informerscope/informerscope/informer."

// nameFromCallsite names a Reflector after the first caller outside this
// package's own code, as "dir/file.go:line", as client-go names its
// reflectors. The package's tests count as callers.
func nameFromCallsite() string {
	pcs := make([]uintptr, 16)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
	for {
		f, more := frames.Next()
		inPackage := strings.HasPrefix(f.Function, thisPackage) && !strings.HasSuffix(f.File, "_test.go")
		if !inPackage && f.File != "" && !strings.HasPrefix(f.Function, "runtime.") {
			return fmt.Sprintf("%s:%d", shortPath(f.File), f.Line)
		}
		if !more {
			return "????"
		}
	}
}

// shortPath keeps the last directory and the file name of file.
func shortPath(file string) string {
	file = filepath.ToSlash(file)
	return path.Base(path.Dir(file)) + "/" + path.Base(file)
}
