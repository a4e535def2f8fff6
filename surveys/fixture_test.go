package surveys

import "testing"

// fixtureYAML is a small template used by the answer, progress, comparison
// and overview tests.
const fixtureYAML = `version: test
title: {en: Fixture}
parts:
  - code: "I"
    title: {en: One}
    sections:
      - code: I.a
        title: {en: Section A}
        questions:
          - {code: I.a.1, kind: status, text: {en: "Strategy?"}, tags: {norms: [a]}}
          - {code: I.a.2, kind: url, text: {en: Link}, show_when: {question: I.a.1, in: [yes, partly]}}
          - {code: I.a.3, kind: status, text: {en: "Plan?"}, tags: {norms: [g]}, show_when: {question: I.a.1, in: [yes]}}
          - {code: I.a.4, kind: short, text: {en: Name}, show_when: {question: I.a.3, in: [yes]}}
          - code: I.a.5
            kind: multi
            text: {en: Pick}
            options: [{value: x, label: {en: Ex}}, {value: y, label: {en: Why}}]
      - code: I.b
        title: {en: Section B}
        questions:
          - {code: I.b.1, kind: status, text: {en: "CI law?"}, tags: {norms: [a, g]}}
          - code: I.b.2
            kind: rows
            register: needs
            text: {en: Needs}
            columns:
              - {key: area, kind: single, label: {en: Area}, options: [{value: ci, label: {en: Critical infrastructure}}]}
              - {key: norm, kind: single, label: {en: Norm}, options: [{value: g, label: {en: G}}, {value: none, label: {en: None}}]}
              - {key: type, kind: single, label: {en: Type}, options: [{value: training, label: {en: Training}}]}
              - {key: priority, kind: single, label: {en: Priority}, options: [{value: high, label: {en: High}}]}
              - {key: timeframe, kind: short, label: {en: Timeframe}}
              - {key: budget, kind: number, label: {en: Budget}}
              - {key: description, kind: long, label: {en: Description}}
          - code: I.b.3
            kind: rows
            register: offers
            text: {en: Offers}
            columns:
              - {key: area, kind: single, label: {en: Area}, options: [{value: ci, label: {en: Critical infrastructure}}]}
              - {key: type, kind: single, label: {en: Type}, options: [{value: training, label: {en: Training}}]}
              - {key: regions, kind: short, label: {en: Regions}}
              - {key: modality, kind: single, label: {en: Modality}, options: [{value: bilateral, label: {en: Bilateral}}]}
              - {key: description, kind: long, label: {en: Description}}
  - code: "V"
    title: {en: Thematic}
    thematic: true
    sections:
      - code: V.a
        title: {en: Priority}
        questions:
          - {code: V.a.1, kind: long, text: {en: Measures}}
`

func fixture(t *testing.T) *Template {
	t.Helper()
	tpl, err := Parse("fixture.yaml", []byte(fixtureYAML))
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return tpl
}

func status(s string) Value { return Value{Status: s} }

func mustQuestion(t *testing.T, tpl *Template, code string) *Question {
	t.Helper()
	q, ok := tpl.Question(code)
	if !ok {
		t.Fatalf("no question %s", code)
	}
	return q
}
