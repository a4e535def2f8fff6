package i18n

import "strings"

// processKeys maps the English name of a reporting process, as the
// secretariat types it when it opens a cycle (see processKey for how it is
// compared), to the message that gives it in the six languages, in the
// terms of the official UN language versions; any other name is shown as
// typed.
var processKeys = map[string]string{
	"global mechanism on ict security":         "cycle.process.global_mechanism",
	"global mechanism":                         "cycle.process.global_mechanism_short",
	"open ended working group":                 "cycle.process.oewg",
	"oewg":                                     "cycle.process.oewg",
	"open ended working group on ict security": "cycle.process.oewg_ict",
	"oewg on ict security":                     "cycle.process.oewg_ict",
	"programme of action":                      "cycle.process.poa",
	"program of action":                        "cycle.process.poa",
	"poa":                                      "cycle.process.poa",
	"programme of action on ict security":      "cycle.process.poa_ict",
	"program of action on ict security":        "cycle.process.poa_ict",
	"poa on ict security":                      "cycle.process.poa_ict",
	"annual review":                            "cycle.process.annual_review",
	"annual conference":                        "cycle.process.annual_conference",
}

// processKey is how a process name is looked up: case, hyphens and runs of
// spaces do not matter ("Open-ended Working Group" is "open ended working
// group").
func processKey(name string) string {
	name = strings.NewReplacer("-", " ", "\u2010", " ", "\u2011", " ", "\u2013", " ").Replace(strings.ToLower(name))
	return strings.Join(strings.Fields(name), " ")
}

// ProcessTitle is the name of a reporting process in lang: a name known
// in processKeys in the six languages, any other as typed.
func ProcessTitle(lang, name string) string {
	if key, ok := processKeys[processKey(name)]; ok {
		return NewPrinter(lang).T(key)
	}
	return name
}
