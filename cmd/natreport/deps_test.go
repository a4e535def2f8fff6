package main

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// deps lists the packages pkg links, as `go list -deps` does.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", pkg).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}

// TestDependencyRules: the shape of the code, checked. Views never reach
// storage (they take view types), the pure domain reaches neither storage
// nor HTTP nor views, and the binary does not link the testing package.
func TestDependencyRules(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	storage := regexp.MustCompile(`gorm|pgx|sqlite|/models$`)
	cases := []struct {
		pkg    string
		banned *regexp.Regexp
	}{
		{"github.com/natreport/natreport/views", storage},
		{"github.com/natreport/natreport/surveys", regexp.MustCompile(`gorm|pgx|sqlite|gin-gonic|a-h/templ|/models$|/views$|/handlers$`)},
		{"github.com/natreport/natreport/reports", storage},
		{"github.com/natreport/natreport/cmd/natreport", regexp.MustCompile(`^testing$|/modeltest$|/internal/testdb$`)},
	}
	for _, c := range cases {
		t.Run(c.pkg, func(t *testing.T) {
			for _, d := range deps(t, c.pkg) {
				if c.banned.MatchString(d) {
					t.Errorf("%s links %s", c.pkg, d)
				}
			}
		})
	}
}
