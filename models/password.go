package models

import (
	"strings"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
)

// MinPasswordScore is the least zxcvbn score (0-4) a chosen password must
// reach: 3 means "safely unguessable" against an online attack and a
// reasonable defence against an offline one.
const MinPasswordScore = 3

// Password problems, as message keys of the password form.
const (
	PasswordTooShort = "password.too_short"
	PasswordTooLong  = "password.too_long"
	PasswordWeak     = "password.weak"
)

// PasswordProblem says what is wrong with a password someone chose, or ""
// when it will do. Besides the length it asks zxcvbn, a maintained
// strength estimator with its own lists of common passwords, names and
// keyboard patterns; hints are words of the account (its e-mail, its name)
// that a guesser would try first.
func PasswordProblem(pw string, hints ...string) string {
	switch {
	case utf8.RuneCountInString(pw) < MinPasswordLength:
		return PasswordTooShort
	case len(pw) > 72:
		return PasswordTooLong
	}
	words := []string{"natreport", "national", "report", "password"}
	for _, h := range hints {
		words = append(words, h)
		words = append(words, strings.FieldsFunc(h, func(r rune) bool { return r == '@' || r == '.' || r == ' ' || r == '-' || r == '_' })...)
	}
	if zxcvbn.PasswordStrength(pw, words).Score < MinPasswordScore {
		return PasswordWeak
	}
	return ""
}
