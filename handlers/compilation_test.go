package handlers

import (
	"context"
	"io"
	"log/slog"
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
	return waitCompilationOf(t, g.db, g.cycle.ID, lang)
}

// waitCompilationOf waits for the background job of cycle id in lang.
func waitCompilationOf(t *testing.T, db *models.DB, cycleID int64, lang string) *models.Compilation {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		job, err := db.GetCompilation(context.Background(), cycleID, lang, surveys.AudSecretariat)
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
		deu := g.file(t, g.cycle, "DEU", map[string]surveys.Value{"II.a.1": {Status: surveys.StatusNo, Challenges: "German private words", AssistanceNeeded: true}}, models.StatusSubmitted, models.VisibilityPrivate)
		// The needs register, as submitting fills it: France's mark on
		// II.a.2 (public), Germany's on II.a.1 (private: not in the PDF).
		tpl := builtinTemplates["v1"]
		for _, r := range []*models.Report{mustReport(t, g, "FRA"), deu} {
			vals, err := g.db.ListValues(context.Background(), r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := g.db.SyncRegisters(context.Background(), r.ID, surveys.Needs(tpl, vals), surveys.Offers(tpl, vals), models.Actor{Email: "test"}); err != nil {
				t.Fatal(err)
			}
		}

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
		flat := strings.Join(strings.Fields(text), " ")
		if !strings.Contains(flat, "Besoins du registre par statut") || !strings.Contains(flat, "Groupe des États d'Europe occidentale et autres États 1 0 0 0 0 0 1") {
			t.Errorf("compilation lacks the register's needs by status (France's one open need, not Germany's)")
		}
		// The count beside it is the register's too: France's one need.
		if want := "Besoins exprimés : 1 ·"; !strings.Contains(flat, want) {
			t.Errorf("compilation lacks %q (the register's count)", want)
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

// Two instances over one database build a job once: the second finds the
// lease taken, or the job done.
func TestCompilationBuiltOnce(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		g := newGapsApp(t, a)
		g.file(t, g.cycle, "FRA", strategy, models.StatusPublished, models.VisibilityPublic)
		ctx := context.Background()
		fp, err := (&Server{db: a.db}).compilationFingerprint(ctx, g.cycle)
		if err != nil {
			t.Fatal(err)
		}
		job, err := a.db.RequestCompilation(ctx, g.cycle.ID, "en", surveys.AudSecretariat, fp, 0)
		if err != nil {
			t.Fatal(err)
		}
		// Another instance holds the job's lease: this one does not build.
		lease := "compilation-" + itoa(job.ID)
		if ok, err := a.db.TryLease(ctx, lease, "other-instance", time.Minute); err != nil || !ok {
			t.Fatalf("lease: %v %v", ok, err)
		}
		s := &Server{db: a.db, templates: builtinTemplates, log: discardLog()}
		if err := s.runCompilation(ctx, job.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := a.db.GetCompilation(ctx, g.cycle.ID, "en", surveys.AudSecretariat); got.Status != models.CompilationQueued {
			t.Fatalf("built under another instance's lease: %+v", got)
		}
		if err := a.db.ReleaseLease(ctx, lease, "other-instance"); err != nil {
			t.Fatal(err)
		}
		if err := s.runCompilation(ctx, job.ID); err != nil {
			t.Fatal(err)
		}
		done, _ := a.db.GetCompilation(ctx, g.cycle.ID, "en", surveys.AudSecretariat)
		if done.Status != models.CompilationDone || done.Total != 1 {
			t.Fatalf("job = %+v", done)
		}
		// A second run finds nothing to do and leaves the file as it is.
		if err := s.runCompilation(ctx, job.ID); err != nil {
			t.Fatal(err)
		}
		again, _ := a.db.GetCompilation(ctx, g.cycle.ID, "en", surveys.AudSecretariat)
		if !again.FinishedAt.Equal(*done.FinishedAt) || again.Size != done.Size {
			t.Errorf("built twice: %+v then %+v", done, again)
		}
	})
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
