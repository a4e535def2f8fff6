package handlers

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/models/modeltest"
	"github.com/natreport/natreport/surveys"
)

// testPassword is the password of every fixture user.
const testPassword = "correct horse battery"

// app is the real router over a real SQLite file (or PostgreSQL, see
// forEachApp), migrated by the production code.
type app struct {
	t  testing.TB
	db *models.DB
	h  http.Handler
}

var builtinTemplates = func() map[string]*surveys.Template {
	t, err := surveys.Builtin()
	if err != nil {
		panic(err)
	}
	return t
}()

func newApp(t testing.TB) *app {
	t.Helper()
	return newAppOn(t, modeltest.OpenTest(t))
}

func newAppOn(t testing.TB, db *models.DB) *app {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h := New(db, builtinTemplates, Config{}, log)
	return &app{t: t, db: db, h: h}
}

// forEachApp runs fn against SQLite and, when DATABASE_URL is set, PostgreSQL.
func forEachApp(t *testing.T, fn func(t *testing.T, a *app)) {
	modeltest.ForEachDB(t, func(t *testing.T, db *models.DB) { fn(t, newAppOn(t, db)) })
}

// user creates a user with testPassword.
func (a *app) user(email, role, iso3 string) *models.User {
	a.t.Helper()
	u := &models.User{Email: email, Name: strings.Split(email, "@")[0], Role: role, StateISO3: iso3}
	if err := a.db.CreateUser(context.Background(), u, testPassword); err != nil {
		a.t.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// cycle creates a reporting cycle open on today's date.
func (a *app) cycle(label string, opens time.Time) *models.Cycle {
	a.t.Helper()
	c := &models.Cycle{Label: label, ProcessName: "Global Mechanism", OpensOn: opens, DueOn: opens.AddDate(1, 0, 0),
		ClosesOn: opens.AddDate(1, 6, 0), TemplateVersion: "v1"}
	if err := a.db.CreateCycle(context.Background(), c, models.Actor{Email: "test"}); err != nil {
		a.t.Fatalf("create cycle: %v", err)
	}
	return c
}

// client is one browser: a cookie jar in front of the router.
type client struct {
	a       *app
	cookies map[string]*http.Cookie
	accept  string
}

func (a *app) anon() *client { return &client{a: a, cookies: map[string]*http.Cookie{}} }

// login signs a new client in and fails the test if it cannot.
func (a *app) login(email string) *client {
	a.t.Helper()
	c := a.anon()
	w := c.post("/login", url.Values{"email": {email}, "password": {testPassword}})
	if w.Code != http.StatusSeeOther {
		a.t.Fatalf("login %s: status %d: %s", email, w.Code, w.Body.String())
	}
	return c
}

func (c *client) do(req *http.Request) *httptest.ResponseRecorder {
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	if c.accept != "" {
		req.Header.Set("Accept", c.accept)
	}
	w := httptest.NewRecorder()
	c.a.h.ServeHTTP(w, req)
	for _, ck := range w.Result().Cookies() {
		if ck.MaxAge < 0 {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck
		}
	}
	return w
}

func (c *client) get(path string) *httptest.ResponseRecorder {
	return c.do(httptest.NewRequest(http.MethodGet, path, nil))
}

func (c *client) post(path string, form url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// wantStatus fails the test unless the response has the status.
func wantStatus(t testing.TB, w *httptest.ResponseRecorder, status int) {
	t.Helper()
	if w.Code != status {
		body := w.Body.String()
		if len(body) > 600 {
			body = body[:600]
		}
		t.Fatalf("status %d, want %d; body: %s", w.Code, status, body)
	}
}

// wantBody fails the test unless the body contains every string.
func wantBody(t testing.TB, w *httptest.ResponseRecorder, subs ...string) {
	t.Helper()
	body := w.Body.String()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			t.Errorf("body lacks %q", s)
		}
	}
}

// noBody fails the test if the body contains any string.
func noBody(t testing.TB, w *httptest.ResponseRecorder, subs ...string) {
	t.Helper()
	body := w.Body.String()
	for _, s := range subs {
		if strings.Contains(body, s) {
			t.Errorf("body contains %q", s)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
