package models

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

var ctx = context.Background()

// clock is a settable time for a test database.
type clock struct{ t time.Time }

func (c *clock) now() time.Time           { return c.t }
func (c *clock) advance(d time.Duration)  { c.t = c.t.Add(d) }
func fixClock(db *DB, t time.Time) *clock { c := &clock{t}; db.SetNow(c.now); return c }

var userSeq atomic.Int64

// newUser makes a user with a fresh email; iso3 "" for roles without a State.
func newUser(t *testing.T, db *DB, role, iso3 string) *User {
	t.Helper()
	n := userSeq.Add(1)
	u := &User{Email: fmt.Sprintf("User%d@Example.org", n), Name: fmt.Sprintf("User %d", n), Role: role, StateISO3: iso3}
	if err := db.CreateUser(ctx, u, "correct horse battery"); err != nil {
		t.Fatalf("create user: %v", err)
	}
	return u
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// newCycle makes the cycle "Y-Y+1" opening on 1 March of Y and closing on
// 28 February two years on.
func newCycle(t *testing.T, db *DB, year int) *Cycle {
	t.Helper()
	c := &Cycle{Label: strconv.Itoa(year) + "-" + strconv.Itoa(year+1), ProcessName: "Global Mechanism",
		OpensOn: date(year, 3, 1), DueOn: date(year+1, 12, 31), ClosesOn: date(year+2, 2, 28), TemplateVersion: "2026.1"}
	if err := db.CreateCycle(ctx, c, Actor{Email: "admin@example.org"}); err != nil {
		t.Fatalf("create cycle: %v", err)
	}
	return c
}

func newReport(t *testing.T, db *DB, iso3 string, c *Cycle, actor Actor) *Report {
	t.Helper()
	r := &Report{StateISO3: iso3, CycleID: c.ID}
	if err := db.CreateReport(ctx, r, actor); err != nil {
		t.Fatalf("create report: %v", err)
	}
	return r
}

func actorOf(u *User) Actor { return Actor{UserID: u.ID, Email: u.Email, IP: "192.0.2.1"} }

func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("err = %v, want %v", err, target)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// actions lists the actions of the audit entries of a report, oldest first.
func actions(t *testing.T, db *DB, reportID int64) []string {
	t.Helper()
	es, err := db.ListAudit(ctx, []int64{reportID}, 0)
	must(t, err)
	out := make([]string, len(es))
	for i, e := range es {
		out[len(es)-1-i] = e.Action
	}
	return out
}
