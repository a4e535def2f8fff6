package handlers

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// waitCompilation waits for the background job of the cycle in lang to
// finish and returns it.
func waitCompilation(t *testing.T, g *gapsApp, lang string) *models.Compilation {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		job, err := g.db.GetCompilation(context.Background(), g.cycle.ID, lang, surveys.AudSecretariat)
		if err == nil && (job.Status == models.CompilationDone || job.Status == models.CompilationFailed) {
			return job
		}
		if time.Now().After(deadline) {
			t.Fatalf("compilation not finished: %+v, %v", job, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestCompilation(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		g := newGapsApp(t, a)
		g.file(t, g.cycle, "FRA", strategy, models.StatusPublished, models.VisibilityPublic)
		g.file(t, g.cycle, "JPN", map[string]surveys.Value{"II.a.1": {Status: surveys.StatusNo, Challenges: "Japanese challenge"}}, models.StatusSubmitted, models.VisibilityRestricted)
		g.file(t, g.cycle, "DEU", map[string]surveys.Value{"II.a.1": {Status: surveys.StatusNo, Challenges: "German private words"}}, models.StatusSubmitted, models.VisibilityPrivate)

		// Secretariat and admin only.
		for _, c := range []*client{g.donor, g.ken, g.deu} {
			wantStatus(t, c.get("/cycles/2026-2027/compilation"), http.StatusForbidden)
			wantStatus(t, c.post("/cycles/2026-2027/compilation", nil), http.StatusForbidden)
			wantStatus(t, c.get("/cycles/2026-2027/compilation.pdf"), http.StatusForbidden)
		}
		wantStatus(t, g.pub.get("/cycles/2026-2027/compilation"), http.StatusSeeOther)

		w := g.sec.get("/cycles/2026-2027/compilation")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "No compilation has been built in this language yet.", "Build the compilation")
		wantStatus(t, g.sec.get("/cycles/2026-2027/compilation.pdf"), http.StatusNotFound)
		wantStatus(t, g.sec.post("/cycles/2026-2027/compilation?lang=fr", nil), http.StatusSeeOther)
		job := waitCompilation(t, g, "fr")
		if job.Status != models.CompilationDone || job.Total != 2 || job.Progress != 2 {
			t.Fatalf("job = %+v", job)
		}
		w = g.sec.get("/cycles/2026-2027/compilation?lang=fr")
		wantBody(t, w, "Prête.", `href="/cycles/2026-2027/compilation.pdf"`)
		noBody(t, w, `http-equiv="refresh"`)
		// Asking again at the same data keeps the file.
		wantStatus(t, g.sec.post("/cycles/2026-2027/compilation?lang=fr", nil), http.StatusSeeOther)
		if again := waitCompilation(t, g, "fr"); again.FinishedAt == nil || !again.FinishedAt.Equal(*job.FinishedAt) {
			t.Errorf("rebuilt at the same data: %+v", again)
		}

		f := g.sec.get("/cycles/2026-2027/compilation.pdf?lang=fr")
		wantStatus(t, f, http.StatusOK)
		text := pdfText(t, f.Body.Bytes())
		for _, want := range []string{"Compilation pour la conférence", "Annexe 1 : France", "Annexe 2 : Japan", "Japanese challenge", "Lacunes de capacités", "Participation par groupe régional"} {
			if !strings.Contains(strings.Join(strings.Fields(text), " "), want) {
				t.Errorf("compilation lacks %q", want)
			}
		}
		for _, not := range []string{"German private words", "Allemagne"} {
			if strings.Contains(text, not) {
				t.Errorf("compilation holds %q from a private report", not)
			}
		}

		// New data: the file is stale, not served, and can be built again.
		if err := g.db.SetVisibility(context.Background(), mustReport(t, g, "JPN").ID, models.VisibilityPublic, models.Actor{Email: "test"}); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, g.sec.get("/cycles/2026-2027/compilation.pdf?lang=fr"), http.StatusNotFound)
		wantBody(t, g.sec.get("/cycles/2026-2027/compilation?lang=fr"), "Les rapports ont changé depuis.")
	})
}

func mustReport(t *testing.T, g *gapsApp, iso3 string) *models.Report {
	t.Helper()
	r, err := g.db.GetReport(context.Background(), iso3, g.cycle.Label, 0)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
