package models

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/natreport/natreport/surveys"
)

func TestSaveAnswerConflict(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		clk := fixClock(db, time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
		alice := newUser(t, db, RoleContributor, "BRA")
		bob := newUser(t, db, RoleContributor, "BRA")
		r := newReport(t, db, "BRA", newCycle(t, db, 2026), actorOf(alice))

		a, err := db.SaveAnswer(ctx, r.ID, "II.g.1", surveys.Value{Status: surveys.StatusNo}, 0, actorOf(alice), nil)
		must(t, err)
		if a.Version != 1 || a.UpdatedBy != alice.ID || !a.UpdatedAt.Equal(clk.t) || a.CarriedFrom != "" {
			t.Fatalf("first save %+v", a)
		}

		// Both open the form at version 1; Alice saves first.
		clk.advance(time.Minute)
		summary := func(v surveys.Value) string { return "status=" + v.Status }
		a, err = db.SaveAnswer(ctx, r.ID, "II.g.1", surveys.Value{Status: surveys.StatusPartly, Challenges: "funding"}, 1, actorOf(alice), summary)
		must(t, err)
		if a.Version != 2 {
			t.Fatalf("second save %+v", a)
		}
		cur, err := db.SaveAnswer(ctx, r.ID, "II.g.1", surveys.Value{Status: surveys.StatusYes}, 1, actorOf(bob), summary)
		wantErr(t, err, ErrConflict)
		if cur.Version != 2 || cur.Value.Status != surveys.StatusPartly || cur.Value.Challenges != "funding" || cur.UpdatedBy != alice.ID {
			t.Errorf("conflict returned %+v, want Alice's answer", cur)
		}
		stored, err := db.GetAnswer(ctx, r.ID, "II.g.1")
		must(t, err)
		if stored.Value.Status != surveys.StatusPartly || stored.Version != 2 {
			t.Errorf("Bob overwrote Alice: %+v", stored)
		}

		// A first answer made meanwhile by someone else is a conflict too.
		_, err = db.SaveAnswer(ctx, r.ID, "II.g.1", surveys.Value{Status: surveys.StatusYes}, 0, actorOf(bob), nil)
		wantErr(t, err, ErrConflict)
		cur, err = db.SaveAnswer(ctx, r.ID, "II.g.2", surveys.Value{Text: "x"}, 3, actorOf(bob), nil)
		wantErr(t, err, ErrConflict)
		if cur.Version != 0 {
			t.Errorf("conflict on a missing answer returned %+v", cur)
		}
		_, err = db.GetAnswer(ctx, r.ID, "II.g.2")
		wantErr(t, err, ErrNotFound)
		_, err = db.SaveAnswer(ctx, 9999, "II.g.1", surveys.Value{}, 0, actorOf(bob), nil)
		wantErr(t, err, ErrNotFound)

		// Bob reloads and saves on top of version 2.
		a, err = db.SaveAnswer(ctx, r.ID, "II.g.1", surveys.Value{Status: surveys.StatusYes}, 2, actorOf(bob), summary)
		must(t, err)
		if a.Version != 3 || a.UpdatedBy != bob.ID {
			t.Errorf("third save %+v", a)
		}

		// One audit entry per successful save, with old and new values.
		es, err := db.ListAudit(ctx, []int64{r.ID}, 0)
		must(t, err)
		var saves []AuditEntry
		for _, e := range es {
			if e.Action == ActionAnswerSave {
				saves = append(saves, e)
			}
		}
		if len(saves) != 3 {
			t.Fatalf("%d answer.save entries, want 3", len(saves))
		}
		if e := saves[0]; e.QuestionCode != "II.g.1" || e.OldValue != "status=partly" || e.NewValue != "status=yes" || e.UserID != bob.ID || e.Email != bob.Email {
			t.Errorf("latest save entry %+v", e)
		}
		if e := saves[2]; e.OldValue != "" || e.NewValue != `{"status":"no"}` {
			t.Errorf("first save entry %+v, want JSON values", e)
		}
		got, _ := db.GetReportByID(ctx, r.ID)
		if !got.UpdatedAt.Equal(clk.t) {
			t.Errorf("report updated at %v, want %v", got.UpdatedAt, clk.t)
		}
	})
}

// TestSaveAnswerRace has many writers save from the same base version at
// once: exactly one wins, the others get the winner's answer.
func TestSaveAnswerRace(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		u := newUser(t, db, RoleContributor, "IND")
		r := newReport(t, db, "IND", newCycle(t, db, 2026), actorOf(u))
		for base := range 3 {
			const n = 8
			var wg sync.WaitGroup
			results := make([]Answer, n)
			errs := make([]error, n)
			for i := range n {
				wg.Go(func() {
					results[i], errs[i] = db.SaveAnswer(ctx, r.ID, "III.1", surveys.Value{Text: strings.Repeat("x", i+1)}, base, actorOf(u), nil)
				})
			}
			wg.Wait()
			won := -1
			for i, err := range errs {
				switch {
				case err == nil:
					if won >= 0 {
						t.Fatalf("base %d: writers %d and %d both won", base, won, i)
					}
					won = i
				case !errors.Is(err, ErrConflict):
					t.Fatalf("base %d: writer %d: %v", base, i, err)
				}
			}
			if won < 0 {
				t.Fatalf("base %d: nobody won", base)
			}
			for i, err := range errs {
				if err != nil && (results[i].Version != base+1 || results[i].Value.Text != results[won].Value.Text) {
					t.Errorf("base %d: loser %d saw %+v, want the winner's %+v", base, i, results[i], results[won])
				}
			}
			stored, _ := db.GetAnswer(ctx, r.ID, "III.1")
			if stored.Version != base+1 || stored.Value.Text != results[won].Value.Text {
				t.Errorf("base %d: stored %+v, winner %+v", base, stored, results[won])
			}
		}
		if got := actions(t, db, r.ID); len(got) != 4 {
			t.Errorf("audit %v, want one create and three saves", got)
		}
	})
}

func TestSaveAnswerDurable(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		u := newUser(t, db, RoleFocalPoint, "DEU")
		r := newReport(t, db, "DEU", newCycle(t, db, 2026), actorOf(u))
		v := surveys.Value{Contact: map[string]string{"name": "Erika Mustermann", "email": "poc@example.de"},
			Choices: []string{"osce", "eu"}}
		_, err := db.SaveAnswer(ctx, r.ID, "III.2", v, 0, actorOf(u), nil)
		must(t, err)
		must(t, db.Close())

		again, err := Open(ctx, db.cfg)
		must(t, err)
		defer again.Close()
		a, err := again.GetAnswer(ctx, r.ID, "III.2")
		must(t, err)
		if a.Version != 1 || a.Value.Contact["name"] != "Erika Mustermann" || !slices.Equal(a.Value.Choices, v.Choices) {
			t.Errorf("after reopening %+v", a)
		}
	})
}

func TestCarryForwardAndConfirm(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		clk := fixClock(db, time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC))
		u := newUser(t, db, RoleFocalPoint, "CHL")
		me := actorOf(u)
		old := newCycle(t, db, 2024)
		prev := newReport(t, db, "CHL", old, me)
		for code, status := range map[string]string{"II.a.1": "yes", "II.a.2": "no", "II.b.1": "partly", "II.c.1": "na"} {
			_, err := db.SaveAnswer(ctx, prev.ID, code, surveys.Value{Status: status}, 0, me, nil)
			must(t, err)
		}
		must(t, db.SetReportStatus(ctx, prev.ID, StatusDraft, StatusSubmitted, me))

		clk.t = time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
		cur := newCycle(t, db, 2026)
		r := newReport(t, db, "CHL", cur, me)
		// Already answered in the new report: carrying leaves it alone.
		_, err := db.SaveAnswer(ctx, r.ID, "II.b.1", surveys.Value{Status: "yes"}, 0, me, nil)
		must(t, err)

		last, err := db.LastSubmittedReport(ctx, "CHL", cur)
		must(t, err)
		sections := map[string][]string{"II.a": {"II.a.1", "II.a.2", "II.a.3"}, "II.b": {"II.b.1"}}
		must(t, db.CarryForward(ctx, r.ID, last.ID, sections, last.CycleLabel, me))

		as, err := db.ListAnswers(ctx, r.ID)
		must(t, err)
		if len(as) != 3 {
			t.Fatalf("answers after carrying %+v", as)
		}
		for code, want := range map[string]struct{ status, from string }{
			"II.a.1": {"yes", "2024-2025"}, "II.a.2": {"no", "2024-2025"}, "II.b.1": {"yes", ""},
		} {
			if a := as[code]; a.Value.Status != want.status || a.CarriedFrom != want.from || a.Version != 1 {
				t.Errorf("%s = %+v, want %v", code, a, want)
			}
		}
		got, _ := db.GetReportByID(ctx, r.ID)
		if got.CarriedFromID == nil || *got.CarriedFromID != prev.ID {
			t.Errorf("carried from %v, want %d", got.CarriedFromID, prev.ID)
		}

		// "No change": confirming clears the mark and bumps the version.
		must(t, db.ConfirmAnswers(ctx, r.ID, []string{"II.a.1", "II.b.1", "II.z.9"}, me))
		as, _ = db.ListAnswers(ctx, r.ID)
		if a := as["II.a.1"]; a.CarriedFrom != "" || a.Version != 2 || a.Value.Status != "yes" {
			t.Errorf("confirmed %+v", a)
		}
		if a := as["II.b.1"]; a.Version != 1 {
			t.Errorf("confirming a non-carried answer changed it: %+v", a)
		}
		// Editing a carried answer clears the mark too.
		a, err := db.SaveAnswer(ctx, r.ID, "II.a.2", surveys.Value{Status: "partly"}, 1, me, nil)
		must(t, err)
		if a.CarriedFrom != "" || a.Version != 2 {
			t.Errorf("edited carried answer %+v", a)
		}

		// One carry entry: section II.b had nothing left to carry.
		want := []string{ActionReportCreate, ActionAnswerSave, ActionAnswersCarry, ActionAnswersConfirm, ActionAnswerSave}
		if got := actions(t, db, r.ID); !slices.Equal(got, want) {
			t.Errorf("audit %v, want %v", got, want)
		}
		es, _ := db.ListAudit(ctx, []int64{r.ID}, 0)
		if e := es[1]; e.QuestionCode != "II.a.1" || !strings.Contains(e.Detail, "2024-2025") {
			t.Errorf("confirm entry %+v", e)
		}
		if e := es[2]; !strings.Contains(e.Detail, "section II.a: 2 answers") || !strings.Contains(e.Detail, "II.a.1, II.a.2") {
			t.Errorf("carry entry %+v", e)
		}

		// Another State's report is never a source; a submitted one no target.
		fr := newReport(t, db, "FRA", cur, me)
		wantErr(t, db.CarryForward(ctx, fr.ID, prev.ID, sections, "2024-2025", me), ErrInvalid)
		wantErr(t, db.CarryForward(ctx, prev.ID, r.ID, sections, "2026-2027", me), ErrReadOnly)
		wantErr(t, db.ConfirmAnswers(ctx, prev.ID, []string{"II.a.1"}, me), ErrReadOnly)
	})
}

func TestAuditAppendOnly(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		must(t, db.AddAudit(ctx, AuditEntry{Email: "nobody@example.org", IP: "198.51.100.1", Action: "login.fail"}))
		must(t, db.AddAudit(ctx, AuditEntry{UserID: 7, Email: "x@example.org", Action: "login.ok"}))
		if err := db.w.Exec("UPDATE audit_log SET action = 'x'").Error; err == nil {
			t.Error("audit_log accepted an UPDATE")
		}
		if err := db.w.Exec("DELETE FROM audit_log").Error; err == nil {
			t.Error("audit_log accepted a DELETE")
		}
		es, err := db.ListAuditAll(ctx, 0)
		must(t, err)
		if len(es) != 2 || es[0].Action != "login.ok" || es[0].UserID != 7 || es[1].IP != "198.51.100.1" || es[1].At.IsZero() {
			t.Errorf("entries %+v", es)
		}
		none, err := db.ListAudit(ctx, nil, 10)
		must(t, err)
		if len(none) != 0 {
			t.Errorf("no reports, entries %+v", none)
		}
	})
}
