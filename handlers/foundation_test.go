package handlers

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/static"
)

func TestHealthz(t *testing.T) {
	a := newApp(t)
	w := a.anon().get("/healthz")
	wantStatus(t, w, http.StatusOK)
	if w.Body.String() != "ok" {
		t.Errorf("body %q, want ok", w.Body.String())
	}
}

func TestSecurityHeaders(t *testing.T) {
	a := newApp(t)
	a.user("admin@x.org", models.RoleAdmin, "")
	for _, c := range []struct {
		name   string
		client *client
		path   string
		cache  string
	}{
		{"anonymous page", a.anon(), "/states", "no-store"},
		{"signed-in page", a.login("admin@x.org"), "/admin/users", "no-store"},
		{"not found", a.anon(), "/nope", "no-store"},
		{"static by plain name", a.anon(), "/static/app.css", "public, max-age=300"},
		{"static fingerprinted", a.anon(), static.Path("app.css"), "public, max-age=31536000, immutable"},
		{"static old fingerprint", a.anon(), "/static/000000000000/app.css", "public, max-age=300"},
		{"favicon", a.anon(), "/favicon.ico", "public, max-age=86400"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := c.client.get(c.path).Header()
			csp := h.Get("Content-Security-Policy")
			if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
				t.Errorf("CSP %q", csp)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("nosniff missing")
			}
			if h.Get("Referrer-Policy") == "" {
				t.Errorf("referrer policy missing")
			}
			if got := h.Get("Cache-Control"); got != c.cache {
				t.Errorf("Cache-Control %q, want %q", got, c.cache)
			}
		})
	}
}

func TestLoginSessionLogout(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		a.user("fp@x.org", models.RoleFocalPoint, "JPN")
		c := a.anon()
		w := c.post("/login", url.Values{"email": {"fp@x.org"}, "password": {"wrong password!"}})
		wantStatus(t, w, http.StatusUnauthorized)
		wantBody(t, w, "The e-mail address or password is not right.", `value="fp@x.org"`)

		w = c.post("/login", url.Values{"email": {"FP@x.org "}, "password": {testPassword}, "next": {"/states"}})
		wantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != "/states" {
			t.Errorf("redirect to %q", loc)
		}
		ck := c.cookies[sessionCookie]
		if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" {
			t.Fatalf("session cookie %+v", ck)
		}
		first := ck.Value
		wantBody(t, c.get("/"), "Japan")

		// Signing in again gives a new session id and revokes the old one.
		w = c.post("/login", url.Values{"email": {"fp@x.org"}, "password": {testPassword}})
		wantStatus(t, w, http.StatusSeeOther)
		if c.cookies[sessionCookie].Value == first {
			t.Errorf("session id not renewed at sign-in")
		}
		old := a.anon()
		old.cookies[sessionCookie] = &http.Cookie{Name: sessionCookie, Value: first}
		wantStatus(t, old.get("/account/password"), http.StatusSeeOther)

		// Sign-out revokes the session on the server, not just the cookie.
		token := c.cookies[sessionCookie].Value
		wantStatus(t, c.post("/logout", nil), http.StatusSeeOther)
		replay := a.anon()
		replay.cookies[sessionCookie] = &http.Cookie{Name: sessionCookie, Value: token}
		w = replay.get("/account/password")
		wantStatus(t, w, http.StatusSeeOther)
		if !strings.HasPrefix(w.Header().Get("Location"), "/login") {
			t.Errorf("revoked session not sent to sign in: %s", w.Header().Get("Location"))
		}
	})
}

func TestLoginRejectsOffsiteNext(t *testing.T) {
	a := newApp(t)
	a.user("s@x.org", models.RoleSecretariat, "")
	for _, next := range []string{"https://evil.example/", "//evil.example", "/\\evil.example"} {
		w := a.anon().post("/login", url.Values{"email": {"s@x.org"}, "password": {testPassword}, "next": {next}})
		wantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != "/" {
			t.Errorf("next %q redirected to %q", next, loc)
		}
	}
}

func TestLoginThrottled(t *testing.T) {
	a := newApp(t)
	a.user("d@x.org", models.RoleDonor, "")
	c := a.anon()
	for i := 0; i < 5; i++ {
		wantStatus(t, c.post("/login", url.Values{"email": {"d@x.org"}, "password": {"nope nope nope"}}), http.StatusUnauthorized)
	}
	// Even the right password is refused while the account is throttled.
	w := c.post("/login", url.Values{"email": {"d@x.org"}, "password": {testPassword}})
	wantStatus(t, w, http.StatusTooManyRequests)
	wantBody(t, w, "Too many failed attempts")
	if w.Header().Get("Retry-After") == "" {
		t.Errorf("no Retry-After")
	}
	// Per IP: many accounts from one address.
	ip := a.anon()
	for i := 0; i < 20; i++ {
		ip.post("/login", url.Values{"email": {"nobody" + string(rune('a'+i)) + "@x.org"}, "password": {"wrong wrong wrong"}})
	}
	wantStatus(t, ip.post("/login", url.Values{"email": {"other@x.org"}, "password": {"wrong wrong wrong"}}), http.StatusTooManyRequests)
}

// TestRoles checks the access of every role to every guarded route group:
// authorisation denies by default.
func TestRoles(t *testing.T) {
	a := newApp(t)
	a.cycle("2026-2027", time.Now().AddDate(0, -1, 0))
	roles := map[string]*client{"anonymous": a.anon()}
	for _, r := range []struct{ email, role, state string }{
		{"admin@x.org", models.RoleAdmin, ""}, {"sec@x.org", models.RoleSecretariat, ""}, {"donor@x.org", models.RoleDonor, ""},
		{"fp@x.org", models.RoleFocalPoint, "JPN"}, {"co@x.org", models.RoleContributor, "JPN"},
	} {
		a.user(r.email, r.role, r.state)
		roles[r.role] = a.login(r.email)
	}
	cases := []struct {
		path string
		want map[string]int
	}{
		{"/admin/users", map[string]int{"anonymous": 303, "admin": 200, "secretariat": 403, "donor": 403, "focal-point": 403, "contributor": 403}},
		{"/cycles-new", map[string]int{"anonymous": 303, "admin": 200, "secretariat": 200, "donor": 403, "focal-point": 403, "contributor": 403}},
		{"/cycles/2026-2027/board.csv", map[string]int{"anonymous": 303, "admin": 200, "secretariat": 200, "donor": 403, "focal-point": 403, "contributor": 403}},
		{"/account/password", map[string]int{"anonymous": 303, "admin": 200, "secretariat": 200, "donor": 200, "focal-point": 200, "contributor": 200}},
		{"/", map[string]int{"anonymous": 200, "admin": 200, "secretariat": 200, "donor": 200, "focal-point": 200, "contributor": 200}},
		{"/reports/JPN/2026-2027", map[string]int{"anonymous": 404, "admin": 404, "secretariat": 404, "donor": 404, "focal-point": 200, "contributor": 200}},
	}
	for _, c := range cases {
		for role, want := range c.want {
			t.Run(role+c.path, func(t *testing.T) {
				wantStatus(t, roles[role].get(c.path), want)
			})
		}
	}
}

func TestHomePerRole(t *testing.T) {
	a := newApp(t)
	a.cycle("2026-2027", time.Now().AddDate(0, -1, 0))
	a.user("fp@x.org", models.RoleFocalPoint, "KEN")
	a.user("sec@x.org", models.RoleSecretariat, "")
	a.user("donor@x.org", models.RoleDonor, "")
	w := a.login("fp@x.org").get("/")
	wantBody(t, w, "Kenya", "2026-2027", "/reports/KEN/2026-2027", "Your State has not started")
	w = a.login("sec@x.org").get("/")
	wantBody(t, w, "2026-2027", "195 States", "New cycle")
	w = a.login("donor@x.org").get("/")
	wantBody(t, w, "2026-2027", "195 States")
	noBody(t, w, "New cycle", "coming soon")
}

func TestStatesPage(t *testing.T) {
	a := newApp(t)
	w := a.anon().get("/states")
	wantStatus(t, w, http.StatusOK)
	if n := strings.Count(w.Body.String(), `<tr id="state-`); n != 195 {
		t.Errorf("%d States listed, want 195 (193 members and 2 observers)", n)
	}
	wantBody(t, w, "Holy See", "State of Palestine", "Observer State")
	w = a.anon().get("/states?group=" + url.QueryEscape("Eastern European"))
	if n := strings.Count(w.Body.String(), `<tr id="state-`); n != 23 {
		t.Errorf("%d Eastern European States, want 23", n)
	}
	wantStatus(t, a.anon().get("/states?group=Martian"), http.StatusBadRequest)
}

func TestTemplateBrowser(t *testing.T) {
	a := newApp(t)
	w := a.anon().get("/templates/v1")
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, `id="q-II.g.1"`, "GGE2015", "No question is mandatory")
	wantStatus(t, a.anon().get("/templates/v99"), http.StatusNotFound)
}

func TestErrorsThroughOneDoor(t *testing.T) {
	a := newApp(t)
	a.user("admin@x.org", models.RoleAdmin, "")
	admin := a.login("admin@x.org")
	w := a.anon().get("/no/such/page")
	wantStatus(t, w, http.StatusNotFound)
	wantBody(t, w, "This page does not exist")
	wantStatus(t, a.anon().do(httptest.NewRequest(http.MethodDelete, "/states", nil)), http.StatusMethodNotAllowed)
	wantStatus(t, admin.post("/admin/users/abc/role", url.Values{"role": {"donor"}}), http.StatusBadRequest)
	wantStatus(t, admin.post("/admin/users/99999/role", url.Values{"role": {"donor"}}), http.StatusNotFound)
	wantStatus(t, a.anon().get("/reports/XYZ/2026-2027"), http.StatusNotFound)
	wantStatus(t, a.anon().get("/cycles/1999-2000"), http.StatusNotFound)
}

func TestCrossOriginPostRefused(t *testing.T) {
	a := newApp(t)
	a.user("admin@x.org", models.RoleAdmin, "")
	c := a.login("admin@x.org")
	req := httptest.NewRequest(http.MethodPost, "/admin/users", strings.NewReader("email=x%40y.org&name=X&role=donor"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	w := c.do(req)
	wantStatus(t, w, http.StatusForbidden)
	if _, err := a.db.GetUserByEmail(req.Context(), "x@y.org"); err == nil {
		t.Errorf("cross-site post created a user")
	}
}

func TestCycleForm(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		a.user("sec@x.org", models.RoleSecretariat, "")
		c := a.login("sec@x.org")
		bad := url.Values{"label": {"2026 2027!"}, "process_name": {"Global Mechanism"}, "opens_on": {"2026-02-30"},
			"due_on": {"2026-12-31"}, "closes_on": {"2027-03-31"}, "template_version": {"v1"}, "thematic_priority": {"Critical infrastructure"}}
		w := c.post("/cycles-new", bad)
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, "such as 2026 or 2026-2027", "Enter a date as YYYY-MM-DD", `value="2026 2027!"`, `value="Critical infrastructure"`, `aria-invalid="true"`)

		good := url.Values{"label": {"2026-2027"}, "process_name": {"Global Mechanism"}, "opens_on": {"2026-01-15"},
			"due_on": {"2026-12-31"}, "closes_on": {"2027-03-31"}, "conference_on": {"2027-07-01"}, "template_version": {"v1"},
			"thematic_priority": {"Critical infrastructure"}, "thematic_enabled": {"on"}}
		w = c.post("/cycles-new", good)
		wantStatus(t, w, http.StatusSeeOther)
		w = c.get("/cycles/2026-2027")
		wantBody(t, w, "Global Mechanism", "1 July 2027", "Critical infrastructure", "The cycle was saved")
		wantStatus(t, c.post("/cycles-new", good), http.StatusUnprocessableEntity)

		order := url.Values{"label": {"2028-2029"}, "process_name": {"X"}, "opens_on": {"2028-05-01"}, "due_on": {"2028-01-01"}, "closes_on": {"2029-01-01"}, "template_version": {"v1"}}
		wantBody(t, c.post("/cycles-new", order), "The dates must run")

		edit := good
		edit.Set("process_name", "Annual conference")
		wantStatus(t, c.post("/cycles/2026-2027/edit", edit), http.StatusSeeOther)
		wantBody(t, c.get("/cycles"), "Annual conference")
	})
}

func TestCycleTemplateLockedOnceUsed(t *testing.T) {
	a := newApp(t)
	a.user("sec@x.org", models.RoleSecretariat, "")
	a.user("fp@x.org", models.RoleFocalPoint, "JPN")
	cy := a.cycle("2026-2027", time.Now().AddDate(0, -1, 0))
	wantStatus(t, a.login("fp@x.org").post("/reports/JPN/2026-2027/start", nil), http.StatusSeeOther)
	form := url.Values{"label": {cy.Label}, "process_name": {"X"}, "opens_on": {"2026-01-01"}, "due_on": {"2026-06-01"}, "closes_on": {"2026-12-01"}, "template_version": {"v2"}}
	w := a.login("sec@x.org").post("/cycles/2026-2027/edit", form)
	wantStatus(t, w, http.StatusUnprocessableEntity)
}

func TestAdminUsers(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		a.user("admin@x.org", models.RoleAdmin, "")
		c := a.login("admin@x.org")
		w := c.post("/admin/users", url.Values{"email": {"new@x.org"}, "name": {"New Person"}, "role": {"focal-point"}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, "Focal points and contributors work for one State", `value="new@x.org"`, `value="New Person"`)

		w = c.post("/admin/users", url.Values{"email": {"new@x.org"}, "name": {"New Person"}, "role": {"focal-point"}, "state": {"fra"}})
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "one-time-password")
		body := w.Body.String()
		i := strings.Index(body, `id="one-time-password">`)
		pw := body[i+len(`id="one-time-password">`):]
		pw = pw[:strings.Index(pw, "<")]
		if len(pw) < 12 {
			t.Fatalf("one-time password %q", pw)
		}
		wantStatus(t, a.anon().post("/login", url.Values{"email": {"new@x.org"}, "password": {pw}}), http.StatusSeeOther)
		u, err := a.db.GetUserByEmail(t.Context(), "new@x.org")
		if err != nil || u.StateISO3 != "FRA" {
			t.Fatalf("user %+v %v", u, err)
		}
		wantStatus(t, c.post("/admin/users", url.Values{"email": {"new@x.org"}, "name": {"Again"}, "role": {"donor"}}), http.StatusUnprocessableEntity)

		// Role change, then disabling revokes their sessions.
		other := a.anon()
		wantStatus(t, other.post("/login", url.Values{"email": {"new@x.org"}, "password": {pw}}), http.StatusSeeOther)
		// A one-time password: nothing else until the user picks their own.
		w = other.get("/states")
		wantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != "/account/password" {
			t.Errorf("one-time password user sent to %q", loc)
		}
		wantBody(t, other.get("/account/password"), "the one you were given works only once")
		id := itoa(u.ID)
		wantStatus(t, c.post("/admin/users/"+id+"/role", url.Values{"role": {"contributor"}, "state": {"FRA"}}), http.StatusSeeOther)
		wantStatus(t, c.post("/admin/users/"+id+"/disable", nil), http.StatusSeeOther)
		wantStatus(t, other.get("/account/password"), http.StatusSeeOther)
		wantStatus(t, a.anon().post("/login", url.Values{"email": {"new@x.org"}, "password": {pw}}), http.StatusUnauthorized)
		entries, err := a.db.ListAuditAll(t.Context(), 0)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, e := range entries {
			seen[e.Action] = true
		}
		for _, want := range []string{"user.create", "user.role", "user.disable", "login.ok", "login.fail"} {
			if !seen[want] {
				t.Errorf("audit log lacks %s", want)
			}
		}
	})
}

func TestPasswordChange(t *testing.T) {
	a := newApp(t)
	a.user("d@x.org", models.RoleDonor, "")
	c := a.login("d@x.org")
	other := a.login("d@x.org")
	w := c.post("/account/password", url.Values{"current": {testPassword}, "new": {"short"}, "confirm": {"short"}})
	wantStatus(t, w, http.StatusUnprocessableEntity)
	wantBody(t, w, "at least 12 characters")
	wantStatus(t, c.post("/account/password", url.Values{"current": {"bad"}, "new": {"a new long password"}, "confirm": {"a new long password"}}), http.StatusUnprocessableEntity)
	wantStatus(t, c.post("/account/password", url.Values{"current": {testPassword}, "new": {"a new long password"}, "confirm": {"a new long password"}}), http.StatusSeeOther)
	// This browser stays signed in; every other session is revoked.
	wantStatus(t, c.get("/account/password"), http.StatusOK)
	wantStatus(t, other.get("/account/password"), http.StatusSeeOther)
}

// TestExpiredSessionKeepsTyping: a form posted after the session expired
// comes back as a sign-in form carrying the text, then a resume page.
func TestExpiredSessionKeepsTyping(t *testing.T) {
	a := newApp(t)
	a.user("fp@x.org", models.RoleFocalPoint, "JPN")
	a.cycle("2026-2027", time.Now().AddDate(0, -1, 0))
	c := a.login("fp@x.org")
	wantStatus(t, c.post("/reports/JPN/2026-2027/start", nil), http.StatusSeeOther)
	delete(c.cookies, sessionCookie) // the session is gone
	typed := "Our strategy was adopted in 2025 after consultation"
	w := c.post("/reports/JPN/2026-2027/sections/II.a", url.Values{"II.a.1.status": {"yes"}, "II.a.1.challenges": {typed}, "v.II.a.1": {"0"}})
	wantStatus(t, w, http.StatusUnauthorized)
	wantBody(t, w, "Your session has expired", `name="stash.II.a.1.challenges"`, typed)
	w = c.post("/login", url.Values{"email": {"fp@x.org"}, "password": {testPassword}, "next": {"/reports/JPN/2026-2027/sections/II.a"},
		"stash.II.a.1.status": {"yes"}, "stash.II.a.1.challenges": {typed}, "stash.v.II.a.1": {"0"}})
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, `action="/reports/JPN/2026-2027/sections/II.a"`, `name="II.a.1.challenges"`, typed)
	// Autosave gets a JSON answer it can act on.
	anon := a.anon()
	anon.accept = "application/json"
	w = anon.post("/reports/JPN/2026-2027/answers/II.a.1", url.Values{"II.a.1.status": {"yes"}, "v.II.a.1": {"0"}})
	wantStatus(t, w, http.StatusUnauthorized)
	wantBody(t, w, `"signin"`)
}

func TestLanguageAndDirection(t *testing.T) {
	a := newApp(t)
	c := a.anon()
	w := c.get("/states?lang=ar")
	wantBody(t, w, `lang="ar"`, `dir="rtl"`)
	// The choice sticks through a cookie.
	w = c.get("/cycles")
	wantBody(t, w, `lang="ar"`)
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept-Language", "es-MX,es;q=0.9")
	w = a.anon().do(req)
	wantBody(t, w, `lang="es"`, `dir="ltr"`)
}

func TestOversizedBodyRefused(t *testing.T) {
	a := newApp(t)
	a.user("fp@x.org", models.RoleFocalPoint, "JPN")
	a.cycle("2026-2027", time.Now().AddDate(0, -1, 0))
	c := a.login("fp@x.org")
	wantStatus(t, c.post("/reports/JPN/2026-2027/start", nil), http.StatusSeeOther)
	huge := url.Values{"II.a.1.challenges": {strings.Repeat("x", 5<<20)}, "v.II.a.1": {"0"}}
	w := c.post("/reports/JPN/2026-2027/sections/II.a", huge)
	if w.Code < 400 || w.Code >= 500 {
		t.Errorf("oversized body: status %d, want 4xx", w.Code)
	}
}

func TestOneTimePasswordChanged(t *testing.T) {
	a := newApp(t)
	u := &models.User{Email: "otp@x.org", Name: "OTP", Role: models.RoleDonor, MustChangePassword: true}
	if err := a.db.CreateUser(t.Context(), u, "one-time-password-1"); err != nil {
		t.Fatal(err)
	}
	c := a.anon()
	wantStatus(t, c.post("/login", url.Values{"email": {"otp@x.org"}, "password": {"one-time-password-1"}}), http.StatusSeeOther)
	wantStatus(t, c.get("/"), http.StatusSeeOther)
	wantStatus(t, c.post("/account/password", url.Values{"current": {"one-time-password-1"}, "new": {"my own good password"}, "confirm": {"my own good password"}}), http.StatusSeeOther)
	wantStatus(t, c.get("/"), http.StatusOK)
}
