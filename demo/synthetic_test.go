package demo

import (
	"context"
	"testing"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/models/modeltest"
	"github.com/natreport/natreport/surveys"
)

// TestSynthetic checks that the generator writes what it says: n States
// with a focal point each, a secretariat account, every question answered
// in both cycles, the counts per status it reports, and one report.import
// audit entry per report.
func TestSynthetic(t *testing.T) {
	modeltest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		templates, err := surveys.Builtin()
		if err != nil {
			t.Fatal(err)
		}
		const n = 9
		g, err := Synthetic(ctx, db, templates, n)
		if err != nil {
			t.Fatal(err)
		}
		if len(g.States) != n || len(g.Focal) != n {
			t.Fatalf("%d States, %d focal points, want %d", len(g.States), len(g.Focal), n)
		}
		// Nine States: prev has States 0 and 5 submitted; cur follows the
		// eight-step pattern, State 8 a draft again.
		want := map[string]map[string]int{
			cyclePrev: {models.StatusSubmitted: 2, models.StatusPublished: 7},
			cycleCur:  {models.StatusDraft: 4, models.StatusReview: 1, models.StatusSubmitted: 2, models.StatusPublished: 2},
		}
		if g.Templates != [2]string{templateVersion, curTemplateVersion} {
			t.Errorf("templates %v", g.Templates)
		}
		total := 0
		for i, label := range g.Cycles {
			questions := len(templates[g.Templates[i]].AllQuestions())
			total += n * questions
			cy, err := db.GetCycle(ctx, label)
			if err != nil {
				t.Fatal(err)
			}
			if cy.TemplateVersion != g.Templates[i] {
				t.Errorf("%s: template %s, want %s", label, cy.TemplateVersion, g.Templates[i])
			}
			latest, err := db.LatestReportsForCycle(ctx, cy.ID)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			vis := map[string]int{}
			for iso3, r := range latest {
				got[r.Status]++
				vis[r.Visibility]++
				vals, err := db.ListValues(ctx, r.ID)
				if err != nil {
					t.Fatal(err)
				}
				if len(vals) != questions {
					t.Errorf("%s %s: %d answers, want %d", iso3, label, len(vals), questions)
				}
			}
			for status, c := range want[label] {
				if got[status] != c || g.Status[label][status] != c {
					t.Errorf("%s %s: stored %d, reported %d, want %d", label, status, got[status], g.Status[label][status], c)
				}
			}
			for v, c := range vis {
				if g.Visibility[label][v] != c {
					t.Errorf("%s visibility %s: stored %d, reported %d", label, v, c, g.Visibility[label][v])
				}
			}
			if len(vis) < 3 {
				t.Errorf("%s: visibilities %v, want a mix", label, vis)
			}
		}
		if g.Answers != total {
			t.Errorf("Answers = %d, want %d", g.Answers, total)
		}
		if len(g.Drafts) != 4 {
			t.Errorf("drafts %v, want 4", g.Drafts)
		}
		for _, email := range append([]string{g.Secretariat}, g.Focal[g.States[0]]) {
			u, err := db.GetUserByEmail(ctx, email)
			if err != nil {
				t.Fatalf("%s: %v", email, err)
			}
			if !models.CheckPassword(u.PasswordHash, Password) {
				t.Errorf("%s: password does not match", email)
			}
		}
		audit, err := db.ListAuditAll(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		imports := 0
		for _, e := range audit {
			if e.Action == models.ActionReportImport {
				imports++
			}
		}
		if imports != 2*n {
			t.Errorf("%d report.import entries, want %d", imports, 2*n)
		}
	})
}
