package handlers

import (
	"context"
	"net/http"
	"testing"

	"github.com/natreport/natreport/models"
)

// TestSignInSameWork: through the real sign-in handler, a refused sign-in
// makes exactly one password hash comparison whether the account is
// known, unknown or disabled, so the time of the answer does not tell
// which (finding: about 250 ms for a known account, 2 ms for an unknown
// one; disabled accounts skipped the hash too). Speed itself is measured
// by BenchmarkSignInKnownVsUnknown, not here.
func TestSignInSameWork(t *testing.T) {
	a := newApp(t)
	a.user("known@x.org", models.RoleFocalPoint, "JPN")
	off := a.user("off@x.org", models.RoleFocalPoint, "JPN")
	if err := a.db.SetUserDisabled(context.Background(), off.ID, true); err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct{ name, email, pw string }{
		{"known, wrong password", "known@x.org", "wrong wrong wrong"},
		{"unknown account", "nobody@x.org", "wrong wrong wrong"},
		{"unknown account, a real password", "nobody@x.org", testPassword},
		{"disabled account, its right password", "off@x.org", testPassword},
	} {
		before := models.PasswordChecks()
		// A fresh address each time: the throttle is not what is tested.
		w := signInFrom(a, "192.0.2."+string(rune('1'+i)), tc.email, tc.pw)
		wantStatus(t, w, http.StatusUnauthorized)
		if n := models.PasswordChecks() - before; n != 1 {
			t.Errorf("%s: %d password hash comparisons, want 1", tc.name, n)
		}
	}
}
