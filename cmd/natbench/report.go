package main

import (
	"fmt"
	"io"
	"strings"
)

// keptMarker separates what natbench writes in docs/BENCHMARKS.md from the
// hand-written part after it, which it keeps as it is.
const keptMarker = "<!-- natbench: everything below this line is kept as it is by make bench -->"

// row is one measurement next to its ceiling.
type row struct {
	What    string // what was measured
	App     string // natreport's figure
	Ceiling string // the ceiling and its figure, "" when there is none
	Ratio   string // natreport ÷ ceiling (or ceiling ÷ natreport for times)
	Runs    string // every run's figures
	Missing string // non-empty: not measured, and why
}

// goal is one goal of issue 11 and whether this run met it.
type goal struct{ Goal, Result, Met string }

// machine describes where the run took place.
type machine struct {
	CPUs                  int
	CPU, Memory, Go       string
	Chromium, Date        string
	LoadBefore, LoadAfter string
	Busy                  string // what else ran, in words
}

// doc is everything natbench writes.
type doc struct {
	Machine  machine
	Commands []string
	Setup    []string
	Rows     []row
	Goals    []goal
	Notes    []string
}

// splitKept returns the hand-written part of an existing BENCHMARKS.md: the
// text after keptMarker ("" if there is none).
func splitKept(old string) string {
	_, after, ok := strings.Cut(old, keptMarker)
	if !ok {
		return ""
	}
	return strings.TrimLeft(after, "\n")
}

// writeMarkdown writes d, then keptMarker and kept.
func writeMarkdown(w io.Writer, d doc, kept string) error {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	cell := func(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
	p("# Benchmarks\n\n")
	p("Written by `make bench` (`go run ./cmd/natbench`): one run builds the server, generates the data, starts\n")
	p("the real binary on 127.0.0.1 and measures each figure next to its ceiling, in the same run. Speed is measured\n")
	p("here, never in timed tests. Figures are medians of the repetitions, with the spread (min–max) in brackets.\n\n")
	p("## Machine\n\n")
	m := d.Machine
	p("- %d cores: %s; %s of memory.\n", m.CPUs, m.CPU, m.Memory)
	p("- %s; %s.\n", m.Go, m.Chromium)
	p("- Run on %s. Load average before the run: %s; after: %s.\n", m.Date, m.LoadBefore, m.LoadAfter)
	if m.Busy != "" {
		p("- **%s**\n", m.Busy)
	}
	p("\n## Commands\n\n")
	for _, c := range d.Commands {
		p("    %s\n", c)
	}
	p("\n## Data\n\n")
	for _, s := range d.Setup {
		p("- %s\n", s)
	}
	p("\n## Results\n\n")
	p("| what | natreport | ceiling, in the same run | ratio |\n|---|---|---|---|\n")
	for _, r := range d.Rows {
		if r.Missing != "" {
			p("| %s | **not measured: %s** | — | — |\n", cell(r.What), cell(r.Missing))
			continue
		}
		c, ratio := r.Ceiling, r.Ratio
		if c == "" {
			c = "—"
		}
		if ratio == "" {
			ratio = "—"
		}
		p("| %s | %s | %s | %s |\n", cell(r.What), cell(r.App), cell(c), cell(ratio))
	}
	p("\nEvery run, in order:\n\n| what | runs |\n|---|---|\n")
	for _, r := range d.Rows {
		if r.Missing == "" {
			p("| %s | %s |\n", cell(r.What), cell(r.Runs))
		}
	}
	p("\n## Goals of issue 11\n\n| goal | this run | met? |\n|---|---|---|\n")
	for _, g := range d.Goals {
		p("| %s | %s | %s |\n", cell(g.Goal), cell(g.Result), cell(g.Met))
	}
	if len(d.Notes) > 0 {
		p("\n## Notes\n\n")
		for _, n := range d.Notes {
			p("- %s\n", n)
		}
	}
	p("\n%s\n\n", keptMarker)
	b.WriteString(kept)
	_, err := io.WriteString(w, b.String())
	return err
}
