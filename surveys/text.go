package surveys

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrText is the message key for text natreport refuses to store.
const ErrText = "error.text_chars"

// CheckText is the one rule for text that comes in from outside: it must
// be valid UTF-8 and hold no NUL or other control character except tab,
// line feed and carriage return. PostgreSQL refuses NUL and invalid UTF-8
// (which gave 500s) and SQLite stores them (or replaces them) silently, so
// such text is refused at the door, the same on both databases, with a
// field error. It reports whether s passes.
func CheckText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == '\t' || r == '\n' || r == '\r' {
			continue
		}
		// C0, DEL and C1 controls.
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// CheckForm applies CheckText to every name and value of form and returns
// a field error for each field that fails (the field named as sent; a name
// that itself fails is reported under "").
func CheckForm(form url.Values) FieldErrors {
	var errs FieldErrors
	for name, vals := range form {
		field := name
		ok := CheckText(name)
		if !ok {
			field = ""
		}
		for _, v := range vals {
			ok = ok && CheckText(v)
		}
		if !ok {
			if errs == nil {
				errs = FieldErrors{}
			}
			errs.Add(field, ErrText)
		}
	}
	return errs
}

// SafeText makes s fit CheckText for logging or display: invalid bytes
// become U+FFFD and control characters other than tab and newline are
// dropped.
func SafeText(s string) string {
	if CheckText(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r != '\t' && r != '\n' && unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}
