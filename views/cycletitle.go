package views

import (
	"context"

	"github.com/natreport/natreport/i18n"
)

// ProcessTitle is the name of a cycle's process in the language of ctx.
func ProcessTitle(ctx context.Context, name string) string {
	return ProcessTitleIn(Lang(ctx), name)
}

// ProcessTitleIn is the name of a cycle's process in lang (for PDFs).
func ProcessTitleIn(lang, name string) string {
	return i18n.ProcessTitle(lang, name)
}

// LangName is a language's own name ("Français"), or the code if unknown.
func LangName(code string) string {
	if n, ok := i18n.Names[code]; ok {
		return n
	}
	return code
}

// LatestTemplate is the newest built-in template version, the one the
// navigation shows and new cycles use by default.
const LatestTemplate = "v2"
