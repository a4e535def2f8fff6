package surveys

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// header is a valid template up to one question (I.a.1, line 10); snippets
// are appended as further questions from line 13.
const header = `version: v1
title: {en: T}
parts:
  - code: "I"
    title: {en: P}
    sections:
      - code: "I.a"
        title: {en: S}
        questions:
          - code: I.a.1
            kind: status
            text: {en: Q1}
`

// withQuestions appends snippet lines, indented as questions, to header.
func withQuestions(snippet string) []byte {
	var b strings.Builder
	b.WriteString(header)
	for _, l := range strings.Split(strings.TrimSpace(snippet), "\n") {
		b.WriteString("          " + l + "\n")
	}
	return []byte(b.String())
}

func TestCheckQuestions(t *testing.T) {
	tests := []struct {
		name    string
		snippet string
		want    []string
	}{
		{"valid", "- {code: I.a.2, kind: short, text: {en: Q}}", nil},
		{"unknown kind", "- {code: I.a.2, kind: essay, text: {en: Q}}",
			[]string{`t.yaml:13: I.a.2: unknown kind "essay"`}},
		{"no kind", "- {code: I.a.2, text: {en: Q}}",
			[]string{`t.yaml:13: I.a.2: kind is not set`}},
		{"no English", "- {code: I.a.2, kind: short, text: {fr: Q}}",
			[]string{`t.yaml:13: I.a.2: text has no English text`}},
		{"unknown language", "- {code: I.a.2, kind: short, text: {en: Q, de: F}}",
			[]string{`t.yaml:13: I.a.2: text: unknown language "de" (want one of ar, zh, en, fr, ru, es)`}},
		{"duplicate code", "- {code: I.a.1, kind: short, text: {en: Q}}",
			[]string{`t.yaml:13: I.a.1: duplicate code (first used on line 10)`}},
		{"code of another section", "- {code: I.b.1, kind: short, text: {en: Q}}",
			[]string{`t.yaml:13: I.b.1: question code must start with its section code "I.a."`}},
		{"no code", "- {kind: short, text: {en: Q}}",
			[]string{`t.yaml:13: question has no code`}},
		{"single without options", "- {code: I.a.2, kind: single, text: {en: Q}}",
			[]string{`t.yaml:13: I.a.2: single question needs options`}},
		{"options on short", "- {code: I.a.2, kind: short, text: {en: Q}, options: [{value: x, label: {en: X}}]}",
			[]string{`t.yaml:13: I.a.2: options are only for single and multi questions, not short`}},
		{"duplicate option", "- {code: I.a.2, kind: multi, text: {en: Q}, options: [{value: x, label: {en: X}}, {value: x, label: {en: Y}}]}",
			[]string{`t.yaml:13: I.a.2: duplicate option value "x"`}},
		{"option without label", "- {code: I.a.2, kind: single, text: {en: Q}, options: [{value: x, label: {en: ''}}]}",
			[]string{`t.yaml:13: I.a.2: option "x" label has no English text`}},
		{"option without value", "- {code: I.a.2, kind: single, text: {en: Q}, options: [{label: {en: X}}]}",
			[]string{`t.yaml:13: I.a.2: option has no value`}},
		{"rows without columns", "- {code: I.a.2, kind: rows, text: {en: Q}}",
			[]string{`t.yaml:13: I.a.2: rows question needs columns`}},
		{"bad column kind", "- {code: I.a.2, kind: rows, text: {en: Q}, columns: [{key: c, kind: multi, label: {en: C}}]}",
			[]string{`t.yaml:13: I.a.2: column "c": kind "multi" is not one of short, long, number, date, url, single`}},
		{"single column without options", "- {code: I.a.2, kind: rows, text: {en: Q}, columns: [{key: c, kind: single, label: {en: C}}]}",
			[]string{`t.yaml:13: I.a.2: column "c": single column needs options`}},
		{"duplicate column", "- {code: I.a.2, kind: rows, text: {en: Q}, columns: [{key: c, kind: short, label: {en: C}}, {key: c, kind: long, label: {en: D}}]}",
			[]string{`t.yaml:13: I.a.2: duplicate column key "c"`}},
		{"columns on short", "- {code: I.a.2, kind: short, text: {en: Q}, columns: [{key: c, kind: short, label: {en: C}}]}",
			[]string{`t.yaml:13: I.a.2: columns are only for rows questions, not short`}},
		{"show_when later question", "- {code: I.a.2, kind: short, text: {en: Q}, show_when: {question: I.a.3, in: [yes]}}\n- {code: I.a.3, kind: status, text: {en: Q}}",
			[]string{`t.yaml:13: I.a.2: show_when refers to "I.a.3", which is not an earlier question`}},
		{"show_when missing question", "- {code: I.a.2, kind: short, text: {en: Q}, show_when: {question: X.1, in: [yes]}}",
			[]string{`t.yaml:13: I.a.2: show_when refers to "X.1", which is not an earlier question`}},
		{"show_when itself", "- {code: I.a.2, kind: short, text: {en: Q}, show_when: {question: I.a.2, in: [yes]}}",
			[]string{`t.yaml:13: I.a.2: show_when refers to the question itself`}},
		{"show_when text question", "- {code: I.a.2, kind: short, text: {en: Q}}\n- {code: I.a.3, kind: short, text: {en: Q}, show_when: {question: I.a.2, in: [x]}}",
			[]string{`t.yaml:14: I.a.3: show_when refers to I.a.2, a short question (want status, single or multi)`}},
		{"show_when bad status", "- {code: I.a.2, kind: short, text: {en: Q}, show_when: {question: I.a.1, in: [maybe]}}",
			[]string{`t.yaml:13: I.a.2: show_when: "maybe" is not a value of I.a.1 (want one of yes, partly, no, na)`}},
		{"show_when bad option", "- {code: I.a.2, kind: single, text: {en: Q}, options: [{value: x, label: {en: X}}]}\n- {code: I.a.3, kind: short, text: {en: Q}, show_when: {question: I.a.2, in: [y]}}",
			[]string{`t.yaml:14: I.a.3: show_when: "y" is not a value of I.a.2 (want one of x)`}},
		{"show_when no values", "- {code: I.a.2, kind: short, text: {en: Q}, show_when: {question: I.a.1}}",
			[]string{`t.yaml:13: I.a.2: show_when has no values in "in"`}},
		{"unknown source", "- {code: I.a.2, kind: short, text: {en: Q}, sources: [Wikipedia]}",
			[]string{`t.yaml:13: I.a.2: source "Wikipedia" does not start with a known reference (see SourcePrefixes)`}},
		{"source prefix glued", "- {code: I.a.2, kind: short, text: {en: Q}, sources: [GGE2015x]}",
			[]string{`t.yaml:13: I.a.2: source "GGE2015x" does not start with a known reference (see SourcePrefixes)`}},
		{"empty source", "- {code: I.a.2, kind: short, text: {en: Q}, sources: ['']}",
			[]string{`t.yaml:13: I.a.2: empty source reference`}},
		{"bad norm tag", "- {code: I.a.2, kind: short, text: {en: Q}, tags: {norms: [l]}}",
			[]string{`t.yaml:13: I.a.2: unknown norms tag "l" (want one of a, b, c, d, e, f, g, h, i, j, k)`}},
		{"bad cmm tag", "- {code: I.a.2, kind: short, text: {en: Q}, tags: {cmm: [policy]}}",
			[]string{`t.yaml:13: I.a.2: unknown cmm tag "policy" (want one of policy-strategy, culture-society, knowledge-capabilities, legal-regulatory, standards-technologies)`}},
		{"bad gci tag", "- {code: I.a.2, kind: short, text: {en: Q}, tags: {gci: [legal, tech]}}",
			[]string{`t.yaml:13: I.a.2: unknown gci tag "tech" (want one of legal, technical, organisational, capacity-development, cooperation)`}},
		{"bad level tag", "- {code: I.a.2, kind: short, text: {en: Q}, tags: {level: [local]}}",
			[]string{`t.yaml:13: I.a.2: unknown level tag "local" (want one of national, regional, global)`}},
		{"min above max", "- {code: I.a.2, kind: number, text: {en: Q}, min: 5, max: 1}",
			[]string{`t.yaml:13: I.a.2: min 5 is greater than max 1`}},
		{"min on short", "- {code: I.a.2, kind: short, text: {en: Q}, min: 1}",
			[]string{`t.yaml:13: I.a.2: min and max are only for number questions`}},
		{"negative max_length", "- {code: I.a.2, kind: long, text: {en: Q}, max_length: -1}",
			[]string{`t.yaml:13: I.a.2: max_length must not be negative`}},
		{"contact may be published", "- {code: I.a.2, kind: contact, text: {en: Q}}",
			[]string{`t.yaml:13: I.a.2: contact questions must set never_publish: true`}},
		{"register on short", "- {code: I.a.2, kind: short, text: {en: Q}, register: needs}",
			[]string{`t.yaml:13: I.a.2: register "needs" is only for rows questions`}},
		{"unknown register", "- {code: I.a.2, kind: rows, text: {en: Q}, register: gifts, columns: [{key: c, kind: short, label: {en: C}}]}",
			[]string{`t.yaml:13: I.a.2: unknown register "gifts" (want needs or offers)`}},
		{"two problems", "- {code: I.a.2, kind: single, text: {en: ''}}",
			[]string{`t.yaml:13: I.a.2: text has no English text`, `t.yaml:13: I.a.2: single question needs options`}},
		// Decoding errors come from the YAML library, with its line.
		{"unknown field", "- code: I.a.2\n  kind: short\n  text: {en: Q}\n  colour: red",
			[]string{`t.yaml:16: unknown field "colour" in question`}},
		{"wrong type", "- {code: I.a.2, kind: number, text: {en: Q}, min: abc}",
			[]string{"t.yaml:13: cannot unmarshal !!str `abc` into float64"}},
		{"text not a map", "- {code: I.a.2, kind: short, text: Q}",
			[]string{`t.yaml:13: expected a map of language codes to text, such as {en: "..."}`}},
		{"syntax error", "- code: I.a.2\n  kind: short\n    text: {en: Q}",
			[]string{`t.yaml:15: mapping values are not allowed in this context`}},
		{"tab", "- code: I.a.2\n  kind: short\n  text: {en: Q}\n\t- x",
			[]string{`t.yaml:16: found character that cannot start any token`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := problemStrings(Check("t.yaml", withQuestions(tt.snippet)))
			if !slices.Equal(got, tt.want) {
				t.Errorf("problems:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func problemStrings(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

func TestCheckTemplate(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		{"empty", "", []string{"t.yaml:1: empty template"}},
		{"no version", "title: {en: T}\nparts: []\n",
			[]string{"t.yaml:1: version is not set", "t.yaml:1: the template has no parts"}},
		{"bad version", "version: V 1\ntitle: {en: T}\nparts: [{code: I, title: {en: P}, sections: [{code: I.a, title: {en: S}, questions: [{code: I.a.1, kind: short, text: {en: Q}}]}]}]\n",
			[]string{`t.yaml:1: version "V 1": use lower-case letters, digits, '.', '_' or '-'`}},
		{"no title", "version: v1\nparts: [{code: I, title: {en: P}, sections: [{code: I.a, title: {en: S}, questions: [{code: I.a.1, kind: short, text: {en: Q}}]}]}]\n",
			[]string{"t.yaml:1: title has no English text"}},
		{"part and section problems", "version: v1\ntitle: {en: T}\nparts:\n  - code: I\n    title: {fr: P}\n    sections:\n      - code: II.a\n        title: {en: S}\n        questions: []\n",
			[]string{
				"t.yaml:4: I: part title has no English text",
				`t.yaml:7: II.a: section code must start with its part code "I."`,
				"t.yaml:7: II.a: section has no questions",
			}},
		{"section code reused as question code", "version: v1\ntitle: {en: T}\nparts:\n  - code: I\n    title: {en: P}\n    sections:\n      - code: I.a\n        title: {en: S}\n        questions:\n          - {code: I.a, kind: short, text: {en: Q}}\n",
			[]string{
				"t.yaml:10: I.a: duplicate code (first used on line 7)",
				`t.yaml:10: I.a: question code must start with its section code "I.a."`,
			}},
		{"unknown top-level field", "version: v1\ntitle: {en: T}\nauthor: me\nparts: []\n",
			[]string{`t.yaml:3: unknown field "author" in template`}},
		{"two documents", "version: v1\ntitle: {en: T}\nparts: [{code: I, title: {en: P}, sections: [{code: I.a, title: {en: S}, questions: [{code: I.a.1, kind: short, text: {en: Q}}]}]}]\n---\nversion: v2\n",
			[]string{"t.yaml:4: more than one YAML document in the file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := problemStrings(Check("t.yaml", []byte(tt.yaml)))
			if !slices.Equal(got, tt.want) {
				t.Errorf("problems:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestParse(t *testing.T) {
	t.Run("valid sets file, lines and links", func(t *testing.T) {
		tpl, err := Parse("t.yaml", withQuestions("- {code: I.a.2, kind: short, text: {en: Q}, show_when: {question: I.a.1, in: [yes]}}"))
		if err != nil {
			t.Fatal(err)
		}
		if tpl.File != "t.yaml" || tpl.Version != "v1" {
			t.Errorf("file %q version %q", tpl.File, tpl.Version)
		}
		if tpl.Parts[0].Line != 4 || tpl.Parts[0].Sections[0].Line != 7 {
			t.Errorf("part line %d, section line %d; want 4, 7", tpl.Parts[0].Line, tpl.Parts[0].Sections[0].Line)
		}
		q, ok := tpl.Question("I.a.2")
		if !ok || q.Line != 13 || q.cond == nil || q.cond.Code != "I.a.1" {
			t.Errorf("I.a.2: ok %v line %d cond %v", ok, q.Line, q.cond)
		}
	})
	t.Run("invalid returns ValidationError", func(t *testing.T) {
		_, err := Parse("t.yaml", withQuestions("- {code: I.a.2, kind: essay, text: {en: ''}}"))
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("err = %v, want *ValidationError", err)
		}
		want := "t.yaml:13: I.a.2: unknown kind \"essay\"\nt.yaml:13: I.a.2: text has no English text"
		if err.Error() != want || len(ve.Problems) != 2 {
			t.Errorf("err =\n%s\nwant\n%s", err, want)
		}
	})
	t.Run("syntax error returns ValidationError", func(t *testing.T) {
		_, err := Parse("t.yaml", []byte("version: [\n"))
		var ve *ValidationError
		if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Line == 0 {
			t.Fatalf("err = %#v", err)
		}
	})
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		name string
		p    Problem
		want string
	}{
		{"with code", Problem{File: "f.yaml", Line: 3, Code: "II.g.1", Msg: "bad"}, "f.yaml:3: II.g.1: bad"},
		{"without code", Problem{File: "f.yaml", Line: 1, Msg: "bad"}, "f.yaml:1: bad"},
		{"without line", Problem{File: "f.yaml", Code: "X", Msg: "bad"}, "f.yaml: X: bad"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTemplateHelpers(t *testing.T) {
	tpl := fixture(t)
	var codes []string
	for _, q := range tpl.AllQuestions() {
		codes = append(codes, q.Code)
	}
	wantCodes := []string{"I.a.1", "I.a.2", "I.a.3", "I.a.4", "I.a.5", "I.b.1", "I.b.2", "I.b.3", "V.a.1"}
	if !slices.Equal(codes, wantCodes) {
		t.Errorf("AllQuestions = %v, want %v", codes, wantCodes)
	}
	var sections []string
	for _, s := range tpl.Sections() {
		sections = append(sections, s.Code)
	}
	if want := []string{"I.a", "I.b", "V.a"}; !slices.Equal(sections, want) {
		t.Errorf("Sections = %v, want %v", sections, want)
	}
	tests := []struct {
		code              string
		wantQ, wantS      bool
		wantPart, wantSec string
	}{
		{"I.a.3", true, false, "", ""},
		{"I.b", false, true, "I", "I.b"},
		{"V.a", false, true, "V", "V.a"},
		{"X", false, false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			q, okQ := tpl.Question(tt.code)
			if okQ != tt.wantQ || (okQ && q.Code != tt.code) {
				t.Errorf("Question(%q) = %v, %v", tt.code, q, okQ)
			}
			s, p, okS := tpl.Section(tt.code)
			if okS != tt.wantS {
				t.Fatalf("Section(%q) ok = %v", tt.code, okS)
			}
			if okS && (s.Code != tt.wantSec || p.Code != tt.wantPart) {
				t.Errorf("Section(%q) = %s in %s", tt.code, s.Code, p.Code)
			}
		})
	}
	// A template built in Go works without Link, by scanning.
	built := &Template{Parts: []Part{{Code: "I", Sections: []Section{{Code: "I.a", Questions: []Question{{Code: "I.a.1"}}}}}}}
	if q, ok := built.Question("I.a.1"); !ok || q.Code != "I.a.1" {
		t.Errorf("unlinked Question = %v, %v", q, ok)
	}
	if p, ok := tpl.Part("V"); !ok || !p.Thematic {
		t.Errorf("Part(V) = %v, %v", p, ok)
	}
}
