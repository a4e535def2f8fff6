package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/natreport/natreport/demo"
	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/models/modeltest"
)

// The demo has a compilation ready to build: the secretariat reaches it
// from the current cycle's page, and building it gives one annex per
// report the secretariat reads.
func TestDemoCompilation(t *testing.T) {
	db := modeltest.OpenTest(t)
	ctx := context.Background()
	if _, err := demo.Load(ctx, db, builtinTemplates, time.Now()); err != nil {
		t.Fatal(err)
	}
	a := newAppOn(t, db)
	sec := a.anon()
	wantStatus(t, sec.post("/login", url.Values{"email": {"secretariat@" + demo.Domain}, "password": {demo.Password}}), http.StatusSeeOther)

	const cycle = "2026-2027"
	wantBody(t, sec.get("/cycles/"+cycle), `href="/cycles/`+cycle+`/compilation"`)
	jpn := a.anon()
	wantStatus(t, jpn.post("/login", url.Values{"email": {"jpn.focal@" + demo.Domain}, "password": {demo.Password}}), http.StatusSeeOther)
	noBody(t, jpn.get("/cycles/"+cycle), `/compilation"`)
	w := sec.get("/cycles/" + cycle + "/compilation")
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, "Build the compilation")

	wantStatus(t, sec.post("/cycles/"+cycle+"/compilation", nil), http.StatusSeeOther)
	cy, err := db.GetCycle(ctx, cycle)
	if err != nil {
		t.Fatal(err)
	}
	job := waitCompilationOf(t, db, cy.ID, "en")
	if job.Status != models.CompilationDone || job.Total < 5 || job.Progress != job.Total {
		t.Fatalf("demo compilation = %+v, want done with at least 5 annexes", job)
	}
	f := sec.get("/cycles/" + cycle + "/compilation.pdf")
	wantStatus(t, f, http.StatusOK)
	flat := strings.Join(strings.Fields(pdfText(t, f.Body.Bytes())), " ")
	for _, want := range []string{"Annex 1", "Japan", "Capacity gaps"} {
		if !strings.Contains(flat, want) {
			t.Errorf("demo compilation lacks %q", want)
		}
	}
	t.Logf("demo compilation: %d annexes, %d bytes", job.Total, job.Size)
}
