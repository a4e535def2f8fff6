package handlers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/natreport/natreport/internal/testdb"
	"github.com/natreport/natreport/models/modeltest"
)

// TestRevocationAcrossInstances runs two natreport instances on one
// database (a SQLite file, a PostgreSQL schema) with their page caches
// and prepared statements warm, and checks that nothing they keep lets a
// request through once its session is ended or its user disabled on the
// other instance: the session and the user are read on every request.
func TestRevocationAcrossInstances(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		db1, db2 := modeltest.Open(t, tg), modeltest.Open(t, tg)
		a1, a2 := newAppOn(t, db1), newAppOn(t, db2)
		ra := newReportApp(t, a1)
		ra.start(t)
		on2 := func(c *client) *client { return &client{a: a2, cookies: c.cookies, accept: c.accept} }
		page := base + "/sections/II.a"
		save := func(c *client, v string) *httptest.ResponseRecorder {
			c.accept = "application/json"
			defer func() { c.accept = "" }()
			return c.post(base+"/answers/II.a.1", url.Values{"v.II.a.1": {v}, "II.a.1.status": {"yes"}})
		}
		// Both instances serve both people: everything they keep is warm.
		for _, c := range []*client{ra.fp, ra.co, on2(ra.fp), on2(ra.co)} {
			wantStatus(t, c.get(page), http.StatusOK)
		}
		wantStatus(t, save(ra.co, "0"), http.StatusOK)
		wantStatus(t, save(on2(ra.co), "1"), http.StatusOK)

		// The contributor is disabled through instance 1: instance 2
		// refuses them on the very next request, page and save alike.
		co, err := db1.GetUserByEmail(context.Background(), "co@jp.example")
		if err != nil {
			t.Fatal(err)
		}
		if err := db1.SetUserDisabled(context.Background(), co.ID, true); err != nil {
			t.Fatal(err)
		}
		refused(t, on2(ra.co).get(page))
		refused(t, save(on2(ra.co), "2"))
		refused(t, ra.co.get(page))

		// The focal point signs out on instance 2: instance 1 refuses the
		// session at once.
		wantStatus(t, on2(ra.fp).get(page), http.StatusOK)
		kept := &client{a: a1, cookies: map[string]*http.Cookie{}}
		for k, v := range ra.fp.cookies {
			kept.cookies[k] = v
		}
		wantStatus(t, on2(ra.fp).post("/logout", nil), http.StatusSeeOther)
		refused(t, kept.get(page))
		refused(t, save(kept, "2"))
	})
}

// refused fails the test unless w refuses the request as it refuses
// anyone not signed in: sent to sign in, 401, or the draft not found
// (an anonymous reader never learns that a draft exists).
func refused(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	switch w.Code {
	case http.StatusSeeOther:
		if loc := w.Header().Get("Location"); !strings.HasPrefix(loc, "/login") {
			t.Fatalf("sent to %q, want the sign-in page", loc)
		}
	case http.StatusUnauthorized, http.StatusNotFound:
	default:
		t.Fatalf("status %d, want a refusal (303 to sign in, 401 or 404)", w.Code)
	}
}
