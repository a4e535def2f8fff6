package surveys

import (
	"net/url"
	"os"
	"strings"
	"testing"
)

// FuzzParse feeds the template loader arbitrary YAML: it must return a
// template or problems, never panic, and a template it accepts must have
// every question reachable by its code.
func FuzzParse(f *testing.F) {
	f.Add([]byte(fixtureYAML))
	if v1, err := os.ReadFile("templates/v1.yaml"); err == nil {
		f.Add(v1)
	}
	f.Add([]byte("version: v9\ntitle: {en: x}\nparts: []\n"))
	f.Add([]byte("version: &a v1\ntitle: *a\n"))
	f.Add([]byte("{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tpl, err := Parse("fuzz.yaml", data)
		problems := Check("fuzz.yaml", data)
		if (err == nil) != (len(problems) == 0) {
			t.Fatalf("Parse error %v but Check found %d problems", err, len(problems))
		}
		if err != nil {
			return
		}
		for _, q := range tpl.AllQuestions() {
			if got, ok := tpl.Question(q.Code); !ok || got != q {
				t.Fatalf("question %s not found by its code", q.Code)
			}
		}
	})
}

var fuzzTemplate = MustBuiltin("v1")

// FuzzParseAnswer posts arbitrary fields to each kind of question of
// template v1: ParseAnswer never panics, and what it accepts is storable
// text within the question's limits, summarises and compares equal to
// itself.
func FuzzParseAnswer(f *testing.F) {
	qs := fuzzTemplate.AllQuestions()
	for i, q := range qs {
		switch q.Kind {
		case KindStatus:
			f.Add(uint16(i), ".status", "yes", ".challenges", "none")
			f.Add(uint16(i), ".measures", "m\x00", ".links", "https://a.example/\n\xff")
			f.Add(uint16(i), ".assistance_type", "training\u202e", ".assistance_priority", "high\x1b")
		case KindRows:
			f.Add(uint16(i), ".rows.0."+q.Columns[0].Key, "x", ".rows.999.x", "y")
		case KindContact:
			f.Add(uint16(i), ".contact.email", "a@b.example", ".contact.name", "N")
		case KindNumber:
			f.Add(uint16(i), "", "1e308", "", "-0")
		case KindDate:
			f.Add(uint16(i), "", "2026-02-30", "", "")
		default:
			f.Add(uint16(i), "", "https://x.example/\x00", "", "\xff")
		}
	}
	f.Fuzz(func(t *testing.T, qi uint16, suffix1, value1, suffix2, value2 string) {
		q := qs[int(qi)%len(qs)]
		form := url.Values{}
		form.Add(q.Code+suffix1, value1)
		form.Add(q.Code+suffix2, value2)
		v, errs := ParseAnswer(q, form)
		for field, key := range errs {
			if field == "" || key == "" {
				t.Fatalf("empty field error %q: %q", field, key)
			}
		}
		if len(errs) > 0 {
			return
		}
		texts := []string{v.Status, v.Measures, v.Challenges, v.AssistanceText, v.AssistanceType, v.AssistancePriority, v.Text}
		texts = append(append(append(texts, v.Choices...), v.Links...), mapValues(v.Contact)...)
		for _, s := range texts {
			if !CheckText(s) {
				t.Fatalf("accepted text %q that CheckText refuses", s)
			}
		}
		for _, row := range v.Rows {
			for _, s := range row {
				if !CheckText(s) {
					t.Fatalf("accepted row text %q", s)
				}
			}
		}
		if !Equal(v, v) {
			t.Fatalf("value not equal to itself: %+v", v)
		}
		for _, lang := range []string{"en", "ar", "zh"} {
			_ = v.Summary(q, lang)
		}
	})
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// FuzzCheckText: SafeText always yields text CheckText accepts, and leaves
// accepted text alone.
func FuzzCheckText(f *testing.F) {
	for _, s := range []string{"", "ok\n", "a\x00b", "\xff\xfe", "\u202e", "\u0085", strings.Repeat("é", 10)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		safe := SafeText(s)
		if !CheckText(safe) {
			t.Fatalf("SafeText(%q) = %q, refused", s, safe)
		}
		if CheckText(s) && safe != s {
			t.Fatalf("SafeText changed accepted text %q to %q", s, safe)
		}
	})
}
