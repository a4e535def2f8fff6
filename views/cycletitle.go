package views

import (
	"context"

	"github.com/natreport/natreport/i18n"
)

// processKeys maps the English name of a reporting process to the message
// that gives it in the six languages; any other name is shown as typed.
var processKeys = map[string]string{
	"Global Mechanism on ICT security": "cycle.process.global_mechanism",
}

// ProcessTitle is the name of a cycle's process in the language of ctx.
func ProcessTitle(ctx context.Context, name string) string {
	return ProcessTitleIn(Lang(ctx), name)
}

// ProcessTitleIn is the name of a cycle's process in lang (for PDFs).
func ProcessTitleIn(lang, name string) string {
	if key, ok := processKeys[name]; ok {
		return i18n.NewPrinter(lang).T(key)
	}
	return name
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
