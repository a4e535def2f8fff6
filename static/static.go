// Package static holds the stylesheet and the script of natreport,
// embedded in the binary. The pages work without the script; it adds
// autosave, conditional display and the unsaved-changes warning.
package static

import "embed"

// FS holds the static files.
//
//go:embed *.css *.js
var FS embed.FS
