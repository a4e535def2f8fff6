package handlers

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/natreport/natreport/models"
)

// TestPasswordStrength: weak, common and unchanged passwords are refused
// with a field error; a one-time password cannot be "changed" to itself.
func TestPasswordStrength(t *testing.T) {
	a := newApp(t)
	u := &models.User{Email: "otp@x.org", Name: "Olga Petrova", Role: models.RoleDonor, MustChangePassword: true}
	const otp = "kW3v-9qPz-Lm2x-Ty7d"
	if err := a.db.CreateUser(t.Context(), u, otp); err != nil {
		t.Fatal(err)
	}
	c := a.anon()
	wantStatus(t, c.post("/login", url.Values{"email": {"otp@x.org"}, "password": {otp}}), http.StatusSeeOther)
	for _, tc := range []struct{ pw, msg string }{
		{"aaaaaaaaaaaa", "too easy to guess"},
		{"password1234", "too easy to guess"},
		{"olga.petrova", "too easy to guess"},
		{otp, "must differ from the current one"},
	} {
		w := c.post("/account/password", url.Values{"current": {otp}, "new": {tc.pw}, "confirm": {tc.pw}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, tc.msg)
		wantStatus(t, c.get("/"), http.StatusSeeOther) // still must change it
	}
	wantStatus(t, c.post("/account/password", url.Values{"current": {otp}, "new": {"a very good new password 42"}, "confirm": {"a very good new password 42"}}), http.StatusSeeOther)
	wantStatus(t, c.get("/"), http.StatusOK)
}
