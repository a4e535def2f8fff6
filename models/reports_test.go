package models

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/natreport/natreport/surveys"
)

func TestReports(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		clk := fixClock(db, time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC))
		fp := newUser(t, db, RoleFocalPoint, "JPN")
		me := actorOf(fp)
		c := newCycle(t, db, 2026)

		r := newReport(t, db, "JPN", c, me)
		if r.ID == 0 || r.Version != 1 || r.Status != StatusDraft || r.Visibility != VisibilityRestricted ||
			r.Lang != "en" || r.CycleLabel != "2026-2027" || !r.CreatedAt.Equal(clk.t) {
			t.Fatalf("created %+v", r)
		}
		wantErr(t, db.CreateReport(ctx, &Report{StateISO3: "JPN", CycleID: c.ID}, me), ErrDuplicate)
		wantErr(t, db.CreateReport(ctx, &Report{StateISO3: "XXX", CycleID: c.ID}, me), ErrInvalid)
		wantErr(t, db.CreateReport(ctx, &Report{StateISO3: "JPN", CycleID: 9999}, me), ErrNotFound)
		wantErr(t, db.CreateReport(ctx, &Report{StateISO3: "FRA", CycleID: c.ID, Visibility: "everyone"}, me), ErrInvalid)

		got, err := db.GetReport(ctx, "JPN", "2026-2027", 0)
		must(t, err)
		if got.ID != r.ID || got.CycleID != c.ID || got.CycleLabel != "2026-2027" || got.SubmittedAt != nil ||
			got.SubmittedBy != nil || got.PublishedAt != nil || got.CarriedFromID != nil || !got.UpdatedAt.Equal(clk.t) {
			t.Errorf("got %+v", got)
		}
		_, err = db.GetReport(ctx, "FRA", "2026-2027", 0)
		wantErr(t, err, ErrNotFound)
		_, err = db.GetReport(ctx, "JPN", "2026-2027", 2)
		wantErr(t, err, ErrNotFound)

		// Amending a draft makes no sense: it is edited in place.
		_, err = db.NewVersion(ctx, r.ID, me)
		wantErr(t, err, ErrConflict)

		// Status moves are conditional on the status the caller saw.
		must(t, db.SetReportStatus(ctx, r.ID, StatusDraft, StatusReview, me))
		// In review, editing pauses until the report is reopened.
		_, err = db.SaveAnswer(ctx, r.ID, "I.1", surveys.Value{Text: "in review"}, 0, me, nil)
		wantErr(t, err, ErrReadOnly)
		_, err = db.NewVersion(ctx, r.ID, me)
		wantErr(t, err, ErrConflict)
		wantErr(t, db.SetReportStatus(ctx, r.ID, StatusDraft, StatusSubmitted, me), ErrConflict)
		wantErr(t, db.SetReportStatus(ctx, 9999, StatusDraft, StatusSubmitted, me), ErrNotFound)
		wantErr(t, db.SetReportStatus(ctx, r.ID, StatusReview, "gone", me), ErrInvalid)
		clk.advance(time.Hour)
		must(t, db.SetReportStatus(ctx, r.ID, StatusReview, StatusSubmitted, me))
		got, _ = db.GetReportByID(ctx, r.ID)
		if got.Status != StatusSubmitted || got.SubmittedAt == nil || !got.SubmittedAt.Equal(clk.t) ||
			got.SubmittedBy == nil || *got.SubmittedBy != fp.ID || got.PublishedAt != nil {
			t.Errorf("after submit %+v", got)
		}
		_, err = db.SaveAnswer(ctx, r.ID, "I.1", surveys.Value{Text: "late"}, 0, me, nil)
		wantErr(t, err, ErrReadOnly)

		must(t, db.SetVisibility(ctx, r.ID, VisibilityPublic, me))
		wantErr(t, db.SetVisibility(ctx, r.ID, "everyone", me), ErrInvalid)
		clk.advance(time.Hour)
		must(t, db.SetReportStatus(ctx, r.ID, StatusSubmitted, StatusPublished, me))
		got, _ = db.GetReportByID(ctx, r.ID)
		if got.Visibility != VisibilityPublic || got.PublishedAt == nil || !got.PublishedAt.Equal(clk.t) {
			t.Errorf("after publish %+v", got)
		}

		want := []string{"report.create", "report.status", "report.status", "report.visibility", "report.status"}
		if got := actions(t, db, r.ID); !slices.Equal(got, want) {
			t.Errorf("audit %v, want %v", got, want)
		}
		es, _ := db.ListAudit(ctx, []int64{r.ID}, 1)
		if len(es) != 1 || es[0].OldValue != StatusSubmitted || es[0].NewValue != StatusPublished ||
			es[0].UserID != fp.ID || es[0].ReportID == nil || *es[0].ReportID != r.ID || !es[0].At.Equal(clk.t) {
			t.Errorf("last entry %+v", es)
		}

		// LastSubmittedReport looks at earlier cycles only.
		next := newCycle(t, db, 2028)
		last, err := db.LastSubmittedReport(ctx, "JPN", next)
		must(t, err)
		if last.ID != r.ID {
			t.Errorf("last submitted %+v", last)
		}
		_, err = db.LastSubmittedReport(ctx, "JPN", c)
		wantErr(t, err, ErrNotFound)
		_, err = db.LastSubmittedReport(ctx, "FRA", next)
		wantErr(t, err, ErrNotFound)

		fr := newReport(t, db, "FRA", c, Actor{})
		latest, err := db.LatestReportsForCycle(ctx, c.ID)
		must(t, err)
		if len(latest) != 2 || latest["JPN"].ID != r.ID || latest["FRA"].ID != fr.ID {
			t.Errorf("latest %v", latest)
		}
		reps, err := db.StateReports(ctx, "JPN")
		must(t, err)
		if len(reps) != 1 || reps[0].ID != r.ID {
			t.Errorf("state reports %+v", reps)
		}
	})
}

func TestNewVersion(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		fixClock(db, time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC))
		fp := newUser(t, db, RoleFocalPoint, "KEN")
		contrib := newUser(t, db, RoleContributor, "KEN")
		me := actorOf(fp)
		c := newCycle(t, db, 2026)
		v1 := newReport(t, db, "KEN", c, me)
		_, err := db.SaveAnswer(ctx, v1.ID, "II.g.1", surveys.Value{Status: surveys.StatusYes}, 0, me, nil)
		must(t, err)
		_, err = db.SaveAnswer(ctx, v1.ID, "IV.1", surveys.Value{Rows: []map[string]string{{"area": "CSIRT"}}}, 0, me, nil)
		must(t, err)
		must(t, db.AssignSection(ctx, v1.ID, "II.g", contrib.ID, me))
		must(t, db.SetVisibility(ctx, v1.ID, VisibilityDonors, me))
		must(t, db.SetReportStatus(ctx, v1.ID, StatusDraft, StatusSubmitted, me))

		v2, err := db.NewVersion(ctx, v1.ID, me)
		must(t, err)
		if v2.Version != 2 || v2.Status != StatusDraft || v2.Visibility != VisibilityDonors || v2.CycleID != c.ID ||
			v2.StateISO3 != "KEN" || v2.SubmittedAt != nil || v2.ID == v1.ID {
			t.Fatalf("new version %+v", v2)
		}
		a2, err := db.ListAnswers(ctx, v2.ID)
		must(t, err)
		if len(a2) != 2 || a2["II.g.1"].Value.Status != surveys.StatusYes || a2["IV.1"].Value.Rows[0]["area"] != "CSIRT" ||
			a2["II.g.1"].Version != 1 {
			t.Errorf("copied answers %+v", a2)
		}
		as, err := db.SectionAssignments(ctx, v2.ID)
		must(t, err)
		if as["II.g"].ID != contrib.ID {
			t.Errorf("copied assignments %+v", as)
		}

		// Editing version 2 leaves version 1 as submitted.
		_, err = db.SaveAnswer(ctx, v2.ID, "II.g.1", surveys.Value{Status: surveys.StatusPartly}, 1, me, nil)
		must(t, err)
		a1, _ := db.ListAnswers(ctx, v1.ID)
		if a1["II.g.1"].Value.Status != surveys.StatusYes {
			t.Errorf("version 1 changed: %+v", a1["II.g.1"])
		}
		old, _ := db.GetReport(ctx, "KEN", c.Label, 1)
		if old.Status != StatusSubmitted {
			t.Errorf("version 1 is %s", old.Status)
		}
		latest, _ := db.GetReport(ctx, "KEN", c.Label, 0)
		if latest.ID != v2.ID {
			t.Errorf("latest is %+v, want version 2", latest)
		}
		vs, err := db.ListReportVersions(ctx, "KEN", c.Label)
		must(t, err)
		if len(vs) != 2 || vs[0].Version != 1 || vs[1].Version != 2 {
			t.Errorf("versions %+v", vs)
		}

		// Only the latest version can be amended, once.
		_, err = db.NewVersion(ctx, v1.ID, me)
		wantErr(t, err, ErrConflict)
		_, err = db.NewVersion(ctx, 9999, me)
		wantErr(t, err, ErrNotFound)
		byCycle, _ := db.LatestReportsForCycle(ctx, c.ID)
		if byCycle["KEN"].ID != v2.ID {
			t.Errorf("latest for cycle %+v", byCycle["KEN"])
		}
		if got := actions(t, db, v2.ID); len(got) != 2 || got[0] != ActionReportCreate || got[1] != ActionAnswerSave {
			t.Errorf("version 2 audit %v", got)
		}
	})
}

// TestSetReportStatusRefusesWhatTheDomainRefuses: the store asks surveys'
// lifecycle; a move no step makes is refused before it touches the row,
// and leaves no audit entry.
func TestSetReportStatusRefusesWhatTheDomainRefuses(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		fp := newUser(t, db, RoleFocalPoint, "JPN")
		me := actorOf(fp)
		r := newReport(t, db, "JPN", newCycle(t, db, 2026), me)
		refuseAll := func(from string) {
			t.Helper()
			for _, to := range surveys.Statuses {
				if !surveys.Allowed(from, to) {
					wantErr(t, db.SetReportStatus(ctx, r.ID, from, to, me), ErrInvalid)
				}
			}
			got, err := db.GetReportByID(ctx, r.ID)
			must(t, err)
			if got.Status != from {
				t.Errorf("status %s after refused moves, want %s", got.Status, from)
			}
		}
		refuseAll(StatusDraft)
		if got := actions(t, db, r.ID); !slices.Equal(got, []string{ActionReportCreate}) {
			t.Errorf("audit after refused moves %v", got)
		}
		must(t, db.SetReportStatus(ctx, r.ID, StatusDraft, StatusSubmitted, me))
		refuseAll(StatusSubmitted)
		// A submitted report never goes back to a draft: amend it instead.
		wantErr(t, db.SetReportStatus(ctx, r.ID, StatusSubmitted, StatusDraft, me), ErrInvalid)
		must(t, db.SetReportStatus(ctx, r.ID, StatusSubmitted, StatusPublished, me))
		refuseAll(StatusPublished)
		if got := actions(t, db, r.ID); !slices.Equal(got, []string{ActionReportCreate, ActionReportStatus, ActionReportStatus}) {
			t.Errorf("audit %v", got)
		}
	})
}

// TestCycleVersions: one query gives what GetCycle and ListReportVersions
// give, for a report with two versions, a State that has not started,
// and an unknown cycle.
func TestCycleVersions(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		fp := newUser(t, db, RoleFocalPoint, "JPN")
		me := actorOf(fp)
		c := newCycle(t, db, 2026)
		r := newReport(t, db, "JPN", c, me)
		must(t, db.SetReportStatus(ctx, r.ID, StatusDraft, StatusReview, me))
		must(t, db.SetReportStatus(ctx, r.ID, StatusReview, StatusSubmitted, me))
		_, err := db.NewVersion(ctx, r.ID, me)
		must(t, err)
		newReport(t, db, "KEN", newCycle(t, db, 2028), me) // another State, another cycle
		for _, iso3 := range []string{"JPN", "FRA"} {
			cy, versions, err := db.CycleVersions(ctx, c.Label, iso3)
			must(t, err)
			wantCy, err := db.GetCycle(ctx, c.Label)
			must(t, err)
			wantVersions, err := db.ListReportVersions(ctx, iso3, c.Label)
			must(t, err)
			if !reflect.DeepEqual(cy, wantCy) {
				t.Errorf("%s: cycle %+v, want %+v", iso3, cy, wantCy)
			}
			if !reflect.DeepEqual(versions, wantVersions) {
				t.Errorf("%s: versions %+v, want %+v", iso3, versions, wantVersions)
			}
			if want := map[string]int{"JPN": 2, "FRA": 0}[iso3]; len(versions) != want {
				t.Errorf("%s: %d versions, want %d", iso3, len(versions), want)
			}
		}
		_, _, err = db.CycleVersions(ctx, "1999-2000", "JPN")
		wantErr(t, err, ErrNotFound)
	})
}
