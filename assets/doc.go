// Package assets holds the content InformerScope embeds into its binaries:
// scenarios, lessons and sample traces (see README.md).
package assets

import _ "embed"

// README is this folder's README.md; it says what belongs here.
//
//go:embed README.md
var README string
