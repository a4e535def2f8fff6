package reports

import (
	"reflect"

	"github.com/natreport/natreport/surveys"
)

// runeSetOf is documentRunes, or what a test puts in its place.
var runeSetOf = documentRunes

// documentRunes returns the characters a document may draw: those of every
// text of the document and of its labels, with the forms text takes on its
// way to the page (Arabic presentation forms, mirrored brackets, the
// replacement character) and the ASCII that numbers, dates and separators
// use. It is a superset by design; the painter checks every character it
// draws against it (see painter.drawLine).
func documentRunes(d Document, l *labels) *runeSet {
	set := new(runeSet)
	add := func(s string) {
		for _, r := range s {
			set.add(r)
		}
	}
	in := func(t surveys.Text) { add(t.In(d.Lang)) }
	options := func(opts []surveys.Option) {
		for _, o := range opts {
			add(o.Value)
			in(o.Label)
		}
	}
	for r := rune(0x20); r < 0x7F; r++ {
		set.add(r)
	}
	add("•·\uFFFD\u200D") // U+200D: lamMark

	// Labels: every string of the struct, and every value of its maps.
	lv := reflect.ValueOf(l).Elem()
	for i := range lv.NumField() {
		switch f := lv.Field(i); f.Kind() {
		case reflect.String:
			add(f.String())
		case reflect.Map:
			for it := f.MapRange(); it.Next(); {
				if it.Value().Kind() == reflect.String {
					add(it.Value().String())
				}
			}
		}
	}

	m := d.Meta
	submitted, generated := coverDates(d)
	for _, s := range []string{m.StateName, m.ISO3, m.Cycle, m.ProcessName, m.Status, m.Visibility, m.Audience, m.ThematicPriority, submitted, generated} {
		add(s)
	}
	if t := d.Template; t != nil {
		add(t.Version)
		in(t.Title)
		in(t.Intro)
		for _, p := range t.Parts {
			add(p.Code)
			in(p.Title)
			in(p.Intro)
			for _, s := range p.Sections {
				add(s.Code)
				in(s.Title)
				in(s.Intro)
				for _, q := range s.Questions {
					add(q.Code)
					in(q.Text)
					for _, src := range q.Sources {
						add(src)
					}
					options(q.Options)
					for _, c := range q.Columns {
						in(c.Label)
						options(c.Options)
					}
				}
			}
		}
	}
	for _, v := range d.Answers {
		for _, s := range []string{v.Status, v.Measures, v.Challenges, v.AssistanceText, v.AssistanceType, v.AssistancePriority, v.Text} {
			add(s)
		}
		for _, s := range v.Links {
			add(s)
		}
		for _, c := range v.Choices {
			add(c)
		}
		for _, row := range v.Rows {
			for _, s := range row {
				add(s)
			}
		}
		for _, s := range v.Contact {
			add(s)
		}
	}

	// What shaping and bidi may turn characters into.
	for r, f := range arabicForms {
		if set.has(r) {
			for _, form := range []rune{f.iso, f.fin, f.ini, f.med} {
				set.add(form)
			}
		}
	}
	if set.has(lam) {
		for alef, lig := range lamAlef {
			if set.has(alef) {
				set.add(lig[0])
				set.add(lig[1])
			}
		}
	}
	for r, m := range mirrors {
		if set.has(r) {
			set.add(m)
		}
	}
	return set
}
