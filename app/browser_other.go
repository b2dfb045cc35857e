//go:build !(js && wasm)

package ui

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// Stand-ins for browser_js.go, for native tests and server-side
// prerendering, where there is no browser.

func download(name, mime string, data []byte)                        {}
func readChosenFile(input app.Value, done func(text, errMsg string)) {}
func copyText(s string)                                              {}
func Mark(name string)                                               {}
func prefersReducedMotion() bool                                     { return false }
func prefersDark() bool                                              { return false }
func setTheme(theme string)                                          {}
func exposeMemory()                                                  {}
func releaseServiceWorker()                                          {}
func showReady()                                                     {}
func tuneGC()                                                        {}
func collectIfDue() bool                                             { return false }
