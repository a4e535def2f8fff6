package models

import (
	"strings"
	"testing"
	"time"

	"github.com/natreport/natreport/surveys"
)

// TestCarryForwardMapped carries answers across template versions: each
// target code takes the source code it is mapped to, unmapped codes are
// left out, and the audit entry names both codes.
func TestCarryForwardMapped(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		clk := fixClock(db, time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC))
		me := actorOf(newUser(t, db, RoleFocalPoint, "CHL"))
		prev := newReport(t, db, "CHL", newCycle(t, db, 2024), me)
		for code, v := range map[string]surveys.Value{
			"II.f.2": {Status: "yes", Measures: "Statement of 2023", Links: []string{"https://example.org/s"}},
			"II.k.3": {Status: "partly"},
			"II.f.4": {Status: "yes"},
		} {
			_, err := db.SaveAnswer(ctx, prev.ID, code, v, 0, me, nil)
			must(t, err)
		}
		must(t, db.SetReportStatus(ctx, prev.ID, StatusDraft, StatusSubmitted, me))
		clk.t = time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
		r := newReport(t, db, "CHL", newCycle(t, db, 2026), me)

		sections := map[string][]string{"II.f": {"II.f.1", "II.f.2", "II.f.3"}, "II.k": {"II.k.1"}}
		sources := map[string]string{"II.f.1": "II.f.2", "II.k.1": "II.k.3"} // II.f.2 and II.f.3 take nothing
		must(t, db.CarryForwardMapped(ctx, r.ID, prev.ID, sections, sources, "2024-2025", me))
		as, err := db.ListAnswers(ctx, r.ID)
		must(t, err)
		if len(as) != 2 {
			t.Fatalf("carried %+v", as)
		}
		if a := as["II.f.1"]; a.CarriedFrom != "2024-2025" || a.Value.Measures != "Statement of 2023" || len(a.Value.Links) != 1 {
			t.Errorf("II.f.1 = %+v", a)
		}
		if a := as["II.k.1"]; a.Value.Status != "partly" {
			t.Errorf("II.k.1 = %+v", a)
		}
		es, err := db.ListAudit(ctx, []int64{r.ID}, 0)
		must(t, err)
		var details []string
		for _, e := range es {
			if e.Action == ActionAnswersCarry {
				details = append(details, e.Detail)
			}
		}
		if all := strings.Join(details, "\n"); !strings.Contains(all, "section II.f: 1 answers") || !strings.Contains(all, "II.f.1←II.f.2") || !strings.Contains(all, "II.k.1←II.k.3") {
			t.Errorf("carry entries %q", all)
		}
	})
}
