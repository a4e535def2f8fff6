package models

import (
	"errors"
	"testing"
	"time"

	"github.com/natreport/natreport/surveys"
)

// TestSaveRetryRecognised: a retry of a save that committed (same client
// save id) is answered as saved, not as a conflict, and writes nothing
// more; a retry whose content changed since builds on the person's own
// save; another id or another person still conflicts.
func TestSaveRetryRecognised(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		fixClock(db, time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
		alice := newUser(t, db, RoleContributor, "BRA")
		bob := newUser(t, db, RoleContributor, "BRA")
		r := newReport(t, db, "BRA", newCycle(t, db, 2026), actorOf(alice))
		save := func(who *User, v surveys.Value, base int, id string) (Answer, error) {
			res, err := db.Save(ctx, SaveRequest{ReportID: r.ID, Code: "II.g.1", Value: v, BaseVersion: base, Actor: actorOf(who), SaveID: id})
			return res.Answer, err
		}
		audits := func() int {
			all, err := db.ListAudit(ctx, []int64{r.ID}, 0)
			must(t, err)
			return len(all)
		}
		yes := surveys.Value{Status: surveys.StatusYes, Challenges: "first"}
		a, err := save(alice, yes, 0, "s-1")
		must(t, err)
		if a.Version != 1 || a.SaveID != "s-1" {
			t.Fatalf("first save %+v", a)
		}
		n := audits()
		// The reply was lost; the page sends the same save again.
		again, err := save(alice, yes, 0, "s-1")
		if err != nil || again.Version != 1 || !surveys.Equal(again.Value, yes) {
			t.Fatalf("retry: %+v %v, want version 1 saved", again, err)
		}
		if audits() != n {
			t.Errorf("a retry wrote %d audit entries", audits()-n)
		}
		// The person typed more before the retry: it builds on their own save.
		more := surveys.Value{Status: surveys.StatusYes, Challenges: "first, then more"}
		b, err := save(alice, more, 0, "s-1")
		if err != nil || b.Version != 2 || !surveys.Equal(b.Value, more) {
			t.Fatalf("retry with more: %+v %v, want version 2", b, err)
		}
		// A save from an old version under another id is a real conflict,
		// and so is someone else's save carrying the same id.
		if _, err := save(alice, yes, 1, "s-2"); !errors.Is(err, ErrConflict) {
			t.Errorf("stale save with a new id: %v, want ErrConflict", err)
		}
		if _, err := save(bob, more, 1, "s-1"); !errors.Is(err, ErrConflict) {
			t.Errorf("someone else's save with the id: %v, want ErrConflict", err)
		}
		// Without ids nothing changes: a stale save conflicts.
		if _, err := save(alice, yes, 1, ""); !errors.Is(err, ErrConflict) {
			t.Errorf("stale save without an id: %v, want ErrConflict", err)
		}
	})
}
