package surveys

import (
	"net/url"
	"testing"
)

func TestCheckText(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"", true},
		{"plain", true},
		{"tab\tnew\nline\r\n", true},
		{"العربية 中文 русский", true},
		{"\u202eRTL override is text", true},
		{"<script>alert(1)</script>'; DROP TABLE x;--", true},
		{"nul\x00byte", false},
		{"bell\x07", false},
		{"esc\x1b[31m", false},
		{"del\x7f", false},
		{"c1\u0085", false},
		{"bad\xff\xfe", false},
		{"half\xe4\xb8", false},
		{"overlong\xc0\xaf", false},
		{"surrogate\xed\xa0\x80", false},
	} {
		if got := CheckText(tc.s); got != tc.want {
			t.Errorf("CheckText(%q) = %v, want %v", tc.s, got, tc.want)
		}
		if safe := SafeText(tc.s); !CheckText(safe) {
			t.Errorf("SafeText(%q) = %q still fails", tc.s, safe)
		}
	}
}

func TestCheckForm(t *testing.T) {
	errs := CheckForm(url.Values{"ok": {"fine", "also\nfine"}, "bad": {"fine", "x\x00"}, "n\xff": {"v"}})
	if len(errs) != 2 || errs["bad"] != ErrText || errs[""] != ErrText {
		t.Errorf("CheckForm: %v", errs)
	}
	if errs := CheckForm(url.Values{"a": {"b"}}); errs != nil {
		t.Errorf("clean form: %v", errs)
	}
}

// TestParseAnswerRefusesControlText: every kind of question refuses text
// that fails CheckText with a field error on the field.
func TestParseAnswerRefusesControlText(t *testing.T) {
	tmpl := fixture(t)
	for _, q := range tmpl.AllQuestions() {
		var field string
		switch q.Kind {
		case KindStatus:
			field = q.Code + ".challenges"
		case KindRows:
			field = RowField(q.Code, 0, q.Columns[0].Key)
		case KindContact:
			field = ContactField(q.Code, ContactFields[0])
		default:
			field = q.Code
		}
		for _, bad := range []string{"a\x00b", "a\xffb", "a\x1bb"} {
			_, errs := ParseAnswer(q, url.Values{field: {bad}})
			if errs[field] != ErrText {
				t.Errorf("%s (%s) %q: errors %v, want %s on %s", q.Code, q.Kind, bad, errs, ErrText, field)
			}
		}
	}
}
