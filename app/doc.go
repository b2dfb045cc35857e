// Package ui holds InformerScope's go-app components: the views and the
// controls drawn in the browser.
//
// The package is named ui, not app, so that it does not clash with go-app's
// own package app, which every file here imports. Components read the
// informer core's results; they never reach into its internals.
package ui
