//go:build wasm

package main

// serverMain is never reached in the browser (RunWhenOnBrowser does not
// return there); it exists so main.go compiles for both targets while the
// server code, and everything it imports, stays out of app.wasm.
func serverMain() {}
