package handlers

import (
	"context"
	"testing"
	"time"

	"github.com/natreport/natreport/models"
)

// TestCycleProcessTitles: the cycles list and a cycle's board give the
// process name in the reader's language, in the UN's terms.
func TestCycleProcessTitles(t *testing.T) {
	a := newApp(t)
	opens := time.Now().AddDate(0, -1, 0)
	for _, c := range []*models.Cycle{
		{Label: "2026-2027", ProcessName: "Open-ended working group", OpensOn: opens, DueOn: opens.AddDate(1, 0, 0), ClosesOn: opens.AddDate(1, 6, 0), TemplateVersion: "v1"},
		{Label: "2028", ProcessName: "Programme of Action", OpensOn: opens.AddDate(2, 0, 0), DueOn: opens.AddDate(3, 0, 0), ClosesOn: opens.AddDate(3, 6, 0), TemplateVersion: "v1"},
	} {
		if err := a.db.CreateCycle(context.Background(), c, models.Actor{Email: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	c := a.anon()
	for lang, want := range map[string][]string{
		"ru": {"Рабочая группа открытого состава", "Программа действий"},
		"fr": {"Groupe de travail à composition non limitée", "Programme d&#39;action"},
		"ar": {"الفريق العامل المفتوح العضوية", "برنامج العمل"},
		"zh": {"不限成员名额工作组", "行动纲领"},
		"es": {"Grupo de Trabajo de Composición Abierta", "Programa de Acción"},
	} {
		w := c.get("/cycles?lang=" + lang)
		wantBody(t, w, want...)
		noBody(t, w, "Open-ended working group", "Programme of Action")
		wantBody(t, c.get("/cycles/2026-2027?lang="+lang), want[0])
	}
}
