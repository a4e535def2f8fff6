package handlers

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/natreport/natreport/internal/testdb"
	"github.com/natreport/natreport/models/modeltest"
)

// TestTwoInstancesOnePostgres runs two natreport instances (two handlers
// over two connections pools) on one PostgreSQL schema, the way to grow
// beyond one machine: a session made on one works on the other, a
// conflicting edit across them is refused, the sign-in limit counts across
// both, and the hourly job runs on one of them.
func TestTwoInstancesOnePostgres(t *testing.T) {
	tg := testdb.Postgres(t)
	db1, db2 := modeltest.Open(t, tg), modeltest.Open(t, tg)
	a1, a2 := newAppOn(t, db1), newAppOn(t, db2)

	ra := newReportApp(t, a1)
	ra.start(t)
	// A session made on instance 1 is honoured by instance 2.
	on2 := func(c *client) *client { return &client{a: a2, cookies: c.cookies, accept: c.accept} }
	wantStatus(t, on2(ra.fp).get(base), http.StatusOK)
	wantStatus(t, on2(ra.fp).get("/account/password"), http.StatusOK)
	// Signing out on 2 ends it on 1.
	other := a1.login("fp@jp.example")
	wantStatus(t, on2(other).post("/logout", nil), http.StatusSeeOther)
	wantStatus(t, other.get("/account/password"), http.StatusSeeOther)

	// Two people save the same answer from the same version, one on each
	// instance: the second is refused and nothing is overwritten.
	ra.fp.accept, ra.co.accept = "application/json", "application/json"
	wantStatus(t, ra.fp.post(base+"/answers/II.a.1", url.Values{"v.II.a.1": {"0"}, "II.a.1.status": {"yes"}}), http.StatusOK)
	wantStatus(t, on2(ra.co).post(base+"/answers/II.a.1", url.Values{"v.II.a.1": {"0"}, "II.a.1.status": {"no"}}), http.StatusConflict)
	if got := ra.answers(t, 0)["II.a.1"].Value.Status; got != "yes" {
		t.Errorf("answer %q after the refused save, want yes", got)
	}

	// The sign-in limit counts across both instances.
	for i := 0; i < 5; i++ {
		h := a1
		if i%2 == 1 {
			h = a2
		}
		wantStatus(t, signInFrom(h, "198.51.100.77", "fp@jp.example", "wrong wrong wrong"), http.StatusUnauthorized)
	}
	wantStatus(t, signInFrom(a2, "198.51.100.77", "fp@jp.example", testPassword), http.StatusTooManyRequests)
	wantStatus(t, signInFrom(a1, "198.51.100.77", "fp@jp.example", testPassword), http.StatusTooManyRequests)

	// The hourly job runs on one instance only until its lease ends.
	ran1, err1 := db1.Housekeeping(context.Background(), "instance-1", 50*time.Minute)
	ran2, err2 := db2.Housekeeping(context.Background(), "instance-2", 50*time.Minute)
	if err1 != nil || err2 != nil || !ran1 || ran2 {
		t.Errorf("housekeeping: instance 1 ran %v (%v), instance 2 ran %v (%v); want exactly instance 1", ran1, err1, ran2, err2)
	}
}
