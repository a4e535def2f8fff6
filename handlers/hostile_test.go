package handlers

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/natreport/natreport/models"
)

// hostileValues are what an attacker types into every field.
var hostileValues = []string{
	"nul\x00byte",
	"bad\xff\xfeutf8",
	"bell\x07esc\x1b[2J",
	"\u202eevil\u202c override",
	"<script>alert('xss')</script>",
	`"><img src=x onerror=alert(1)>`,
	"'; DROP TABLE answers; --",
	"1e400",
	"-99999999999999999999999999999",
	strings.Repeat("x", 100000),
}

// TestHostileInput sends hostile values in every field of every POST
// route, as a caller allowed to use it, on both databases: never a 5xx,
// nothing stored by a refused request, and what comes back is escaped.
func TestHostileInput(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		a.cycle("2026-2027", time.Now().AddDate(0, -1, 0))
		a.user("fp@jp.example", models.RoleFocalPoint, "JPN")
		a.user("co@jp.example", models.RoleContributor, "JPN")
		a.user("fp@ke.example", models.RoleFocalPoint, "KEN")
		donor := a.user("donor@d.example", models.RoleDonor, "")
		a.user("sec@un.example", models.RoleSecretariat, "")
		a.user("admin@un.example", models.RoleAdmin, "")
		fp, admin := a.login("fp@jp.example"), a.login("admin@un.example")
		wantStatus(t, fp.post(mBase+"/start", nil), http.StatusSeeOther)
		s := newServer(a.db, builtinTemplates, Config{}, quietLogger())
		s.routes()
		for _, ri := range s.routeInfo {
			pattern := ri.Method + " " + ri.Path
			if _, ok := matrixRoutes[pattern]; !ok || ri.Method != http.MethodPost || pattern == "POST /logout" {
				continue
			}
			row := matrixRoutes[pattern]
			// The admin's user routes act on the donor, not on the caller.
			row.path = strings.Replace(row.path, "/admin/users/1/", "/admin/users/"+itoa(donor.ID)+"/", 1)
			caller := fp
			if strings.HasPrefix(pattern, "POST /admin/") || strings.HasPrefix(pattern, "POST /cycles") {
				caller = admin
			}
			if pattern == "POST /login" {
				caller = a.anon()
			}
			for _, bad := range hostileValues {
				form := matrixForm(pattern)
				if len(form) == 0 {
					form = url.Values{"email": {"x@x.org"}, "password": {"x"}, "current": {"x"}, "new": {"y"}, "confirm": {"y"}}
				}
				for k := range form {
					if k != "v.II.a.1" {
						form.Set(k, bad)
					}
				}
				form.Set("extra."+bad, bad)
				before := snapshot(t, a)
				w := caller.post(row.path, form)
				if w.Code >= 500 {
					t.Fatalf("%s with %.40q: status %d", pattern, bad, w.Code)
				}
				if w.Code >= 400 {
					if after := snapshot(t, a); after != before {
						t.Errorf("%s with %.40q refused (%d) but changed\n%s\ninto\n%s", pattern, bad, w.Code, before, after)
					}
				}
				body := w.Body.String()
				for _, raw := range []string{"<script>alert('xss')", "<img src=x onerror"} {
					if strings.Contains(body, raw) {
						t.Errorf("%s with %.40q: %s shown unescaped", pattern, bad, raw)
					}
				}
			}
			// A 10 MB body is refused, not read.
			big := strings.NewReader("body=" + strings.Repeat("a", 10<<20))
			req := httptest.NewRequest(http.MethodPost, row.path, big)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			before := snapshot(t, a)
			if w := caller.do(req); w.Code < 400 || w.Code >= 500 {
				t.Errorf("%s with 10 MB: status %d, want 4xx", pattern, w.Code)
			}
			if after := snapshot(t, a); after != before {
				t.Errorf("%s with 10 MB changed the data", pattern)
			}
		}
		// Stored answers still read back and render: the report pages work.
		wantStatus(t, fp.get(mBase), http.StatusOK)
		wantStatus(t, fp.get(mBase+"/sections/II.a"), http.StatusOK)
		wantStatus(t, admin.get("/admin/users"), http.StatusOK)
	})
}
