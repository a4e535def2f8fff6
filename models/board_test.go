package models

import (
	"testing"
	"time"

	"github.com/natreport/natreport/surveys"
)

func TestCycleBoard(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		clk := fixClock(db, time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC))
		u := newUser(t, db, RoleFocalPoint, "JPN")
		me := actorOf(u)
		c := newCycle(t, db, 2026)
		other := newCycle(t, db, 2028)

		jpn := newReport(t, db, "JPN", c, me)
		must(t, db.SetReportStatus(ctx, jpn.ID, StatusDraft, StatusSubmitted, me))
		clk.advance(time.Hour)
		jpn2, err := db.NewVersion(ctx, jpn.ID, me)
		must(t, err)
		clk.advance(time.Hour)
		_, err = db.SaveAnswer(ctx, jpn2.ID, "I.1", surveys.Value{Status: "yes"}, 0, me, nil)
		must(t, err)
		jpnLast := clk.t

		clk.advance(time.Hour)
		pse := newReport(t, db, "PSE", c, me)
		newReport(t, db, "FRA", other, me) // another cycle: not on this board
		clk.advance(time.Hour)
		// Activity on version 1 after version 2 still counts for the State.
		must(t, db.AddAudit(ctx, AuditEntry{ReportID: &pse.ID, Action: "comment.add"}))

		rows, err := db.CycleBoard(ctx, c.ID)
		must(t, err)
		if len(rows) != 195 {
			t.Fatalf("%d rows, want every State and observer", len(rows))
		}
		byISO := map[string]BoardRow{}
		for i, r := range rows {
			byISO[r.State.ISO3] = r
			if i > 0 && rows[i-1].State.Name > r.State.Name {
				t.Fatalf("not sorted by name at %s", r.State.Name)
			}
		}
		j := byISO["JPN"]
		if j.Report == nil || j.Report.ID != jpn2.ID || j.Report.Version != 2 || j.Report.Status != StatusDraft ||
			j.Report.CycleLabel != c.Label || j.Report.CycleID != c.ID || j.Report.Visibility != VisibilityRestricted ||
			j.Report.Lang != "en" || j.Report.CreatedAt.IsZero() {
			t.Errorf("JPN row %+v", j.Report)
		}
		if j.LastActivity == nil || !j.LastActivity.Equal(jpnLast) || j.State.Name != "Japan" {
			t.Errorf("JPN last activity %v, want %v", j.LastActivity, jpnLast)
		}
		p := byISO["PSE"]
		if p.Report == nil || p.Report.ID != pse.ID || !p.State.Observer || p.LastActivity == nil || !p.LastActivity.Equal(clk.t) {
			t.Errorf("PSE row %+v %+v %v", p.State, p.Report, p.LastActivity)
		}
		for _, iso := range []string{"FRA", "VAT", "KEN"} {
			if r := byISO[iso]; r.Report != nil || r.LastActivity != nil || r.State.ISO3 != iso {
				t.Errorf("%s row %+v, want not started", iso, r)
			}
		}
		if got := byISO["JPN"].Report.SubmittedAt; got != nil {
			t.Errorf("draft version 2 has submitted at %v", got)
		}
	})
}
