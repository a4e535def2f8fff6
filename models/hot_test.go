package models

import (
	"strings"
	"testing"
)

func TestDollarPlaceholders(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT a FROM t WHERE b = ?", "SELECT a FROM t WHERE b = $1"},
		{"WHERE a = ? AND b IN (?, ?, ?)", "WHERE a = $1 AND b IN ($2, $3, $4)"},
	} {
		if got := dollarPlaceholders(tc.in); got != tc.want {
			t.Errorf("dollarPlaceholders(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestAnswersIn checks the kept texts of answersIn against the ones it
// builds, and that each has one placeholder per question and the report.
func TestAnswersIn(t *testing.T) {
	for n := 1; n < len(answersInN)+3; n++ {
		q := answersIn(n)
		if q != answersInText(n) {
			t.Fatalf("answersIn(%d) = %q, want %q", n, q, answersInText(n))
		}
		if got := strings.Count(q, "?"); got != n+1 {
			t.Errorf("answersIn(%d) has %d placeholders, want %d", n, got, n+1)
		}
	}
}
