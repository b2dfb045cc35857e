// Package ui is InformerScope's page in the browser: go-app components for
// the controls and forms, and the views, which draw themselves as HTML
// fragments (rawhtml.go) whose clicks go through data-act (clicks.go).
//
// The package is named ui, not app, so that it does not clash with go-app's
// own package app, which every file here imports. Components read the
// informer core's results; they never reach into its internals.
package ui
