package models

import "testing"

func TestPasswordProblem(t *testing.T) {
	for _, tc := range []struct {
		pw    string
		hints []string
		want  string
	}{
		{"short", nil, PasswordTooShort},
		{"aaaaaaaaaaaa", nil, PasswordWeak},
		{"password1234", nil, PasswordWeak},
		{"qwertyuiopas", nil, PasswordWeak},
		{"123456789012", nil, PasswordWeak},
		{"natreport2026", nil, PasswordWeak},
		{"jeanne.dupont@example.org", []string{"jeanne.dupont@example.org", "Jeanne Dupont"}, PasswordWeak},
		{"correct horse battery", nil, ""},
		{"a very good new password 42", nil, ""},
		{string(make([]byte, 80)) + "x", nil, PasswordTooLong},
	} {
		if got := PasswordProblem(tc.pw, tc.hints...); got != tc.want {
			t.Errorf("PasswordProblem(%q) = %q, want %q", tc.pw, got, tc.want)
		}
	}
}
