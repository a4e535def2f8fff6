package demo

import (
	"context"
	"fmt"
	"testing"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

func TestDebugStats(t *testing.T) {
	ctx := context.Background()
	db, _ := load(t)
	tmpl := surveys.MustBuiltin("v1")
	for _, iso := range demoStates() {
		for _, label := range []string{cyclePrev, cycleCur} {
			vs, _ := db.ListReportVersions(ctx, iso, label)
			for _, r := range vs {
				vals := values(t, db, r.ID)
				st, _ := db.ListAnswers(ctx, r.ID)
				carried := 0
				for _, a := range st {
					if a.CarriedFrom != "" {
						carried++
					}
				}
				p := surveys.TemplateProgress(tmpl, vals, label == cycleCur)
				fmt.Printf("%s %s v%d %-9s %-10s answers=%3d carried=%3d needs=%2d offers=%d progress=%+v sub=%v pub=%v\n", iso, label, r.Version, r.Status, r.Visibility, len(vals), carried,
					len(surveys.Needs(tmpl, vals)), len(surveys.Offers(tmpl, vals)), p, r.SubmittedAt, r.PublishedAt)
			}
		}
	}
	jp, _ := db.GetReport(ctx, "JPN", cycleCur, 0)
	jo, _ := db.GetReport(ctx, "JPN", cyclePrev, 0)
	for _, d := range surveys.Compare(tmpl, values(t, db, jo.ID), values(t, db, jp.ID)) {
		if d.Change != surveys.Unchanged {
			fmt.Println(d.Code, d.Change, "|", d.Old.Summary(d.Question, "en"), "=>", d.New.Summary(d.Question, "en"))
		}
	}
	es, _ := db.ListAudit(ctx, []int64{jp.ID}, 0)
	for i := len(es) - 1; i >= 0; i-- {
		e := es[i]
		fmt.Println(e.At.Format("2006-01-02 15:04:05"), e.Email, e.Action, e.QuestionCode, e.OldValue, "->", e.NewValue, "|", e.Detail)
	}
	_ = models.StatusDraft
}
