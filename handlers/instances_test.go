package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/natreport/natreport/internal/testdb"
	"github.com/natreport/natreport/models"
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

	// The hourly job, started at the same moment on both instances, runs
	// on exactly one of them, and on neither again until its lease ends.
	var ran [2]bool
	var errs [2]error
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, db := range []*models.DB{db1, db2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			ran[i], errs[i] = db.Housekeeping(context.Background(), fmt.Sprintf("instance-%d", i+1), 50*time.Minute)
		}()
	}
	close(start)
	wg.Wait()
	if errs[0] != nil || errs[1] != nil || ran[0] == ran[1] {
		t.Errorf("housekeeping at once: instance 1 ran %v (%v), instance 2 ran %v (%v); want exactly one", ran[0], errs[0], ran[1], errs[1])
	}
	for i, db := range []*models.DB{db1, db2} {
		// The holder renews its lease; the other waits for it to end.
		again, err := db.Housekeeping(context.Background(), fmt.Sprintf("instance-%d", i+1), 50*time.Minute)
		if err != nil || again != ran[i] {
			t.Errorf("housekeeping again on instance %d: ran %v (%v), want %v", i+1, again, err, ran[i])
		}
	}
	// Many rounds of a run-once job raced from both instances: one winner each.
	for round := range 20 {
		name := fmt.Sprintf("test-job-%d", round)
		var wins atomic.Int32
		var wg sync.WaitGroup
		for i, db := range []*models.DB{db1, db2, db1, db2} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := db.TryLease(context.Background(), name, fmt.Sprintf("holder-%d", i), time.Hour)
				if err != nil {
					t.Error(err)
				}
				if ok {
					wins.Add(1)
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Errorf("round %d: %d holders took the lease, want 1", round, wins.Load())
		}
	}
}
