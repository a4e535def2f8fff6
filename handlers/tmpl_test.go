package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// newV2ReportApp is newReportApp with the 2026-2027 cycle on template v2,
// its thematic priority switched on, and Japan's submitted report of a
// 2024-2025 cycle on template v1 (answers by v1 code).
func newV2ReportApp(t *testing.T, a *app, old map[string]surveys.Value) *reportApp {
	t.Helper()
	ctx := context.Background()
	ra := newReportApp(t, a)
	ra.cycle.TemplateVersion, ra.cycle.ThematicEnabled, ra.cycle.ThematicPriority = "v2", true, "Protection of critical infrastructure"
	if err := a.db.UpdateCycle(ctx, ra.cycle, models.Actor{}); err != nil {
		t.Fatal(err)
	}
	prev := &models.Cycle{Label: "2024-2025", ProcessName: "Global Mechanism on ICT security", OpensOn: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		DueOn: time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC), ClosesOn: time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC), TemplateVersion: "v1"}
	if err := a.db.CreateCycle(ctx, prev, models.Actor{}); err != nil {
		t.Fatal(err)
	}
	r := &models.Report{StateISO3: "JPN", CycleID: prev.ID, Version: 1, Status: "draft", Visibility: "public"}
	if err := a.db.CreateReport(ctx, r, models.Actor{}); err != nil {
		t.Fatal(err)
	}
	for code, v := range old {
		if _, err := a.db.SaveAnswer(ctx, r.ID, code, v, 0, models.Actor{}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.db.SetReportStatus(ctx, r.ID, "draft", "submitted", models.Actor{}); err != nil {
		t.Fatal(err)
	}
	return ra
}

// TestCarryForwardAcrossVersions starts a v2 report from a v1 one: answers
// follow v2's replaces, dropped v1 questions are not carried, and the
// comparison with the last cycle matches questions through the mapping.
func TestCarryForwardAcrossVersions(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		ra := newV2ReportApp(t, a, map[string]surveys.Value{
			"II.f.2": {Status: "yes", Challenges: "Policy under review"}, // → v2 II.f.1
			"II.f.4": {Status: "yes"},                                    // presumed capabilities: dropped in v2
			"II.k.3": {Status: "partly"},                                 // → v2 II.k.1 (with II.k.1)
			"II.g.1": {Status: "yes"},
			"II.h.4": {Status: "no"}, // → v2 III.a.1, asked once
		})
		w := ra.fp.get(base)
		wantBody(t, w, "Prefill from your report of 2024-2025", `value="II.f"`, `value="II.k"`, `value="III.a"`)
		noBody(t, w, `value="II.h"`) // nothing of v1's II.h maps into v2's II.h
		wantStatus(t, ra.fp.post(base+"/start", url.Values{"carry": {"II.f", "II.g", "II.k", "III.a"}}), http.StatusSeeOther)
		got := ra.answers(t, 0)
		for code, want := range map[string]string{"II.f.1": "yes", "II.k.1": "partly", "II.g.1": "yes", "III.a.1": "no"} {
			if a := got[code]; a.CarriedFrom != "2024-2025" || a.Value.Status != want {
				t.Errorf("%s: %+v, want %s carried from 2024-2025", code, a, want)
			}
		}
		if got["II.f.1"].Value.Challenges != "Policy under review" {
			t.Errorf("II.f.1 lost its challenges: %+v", got["II.f.1"].Value)
		}
		for _, code := range []string{"II.f.2", "II.f.3", "II.f.4", "II.h.4"} {
			if a, ok := got[code]; ok {
				t.Errorf("%s carried: %+v", code, a)
			}
		}
		// The audit log says where each answer came from.
		r, err := a.db.GetReport(context.Background(), "JPN", "2026-2027", 0)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := a.db.ListAudit(context.Background(), []int64{r.ID}, 0)
		if err != nil {
			t.Fatal(err)
		}
		var details []string
		for _, e := range entries {
			if e.Action == models.ActionAnswersCarry {
				details = append(details, e.Detail)
			}
		}
		if all := strings.Join(details, "\n"); !strings.Contains(all, "II.f.1←II.f.2") || !strings.Contains(all, "II.k.1←II.k.3") {
			t.Errorf("carry audit: %q", all)
		}

		// Change the carried II.k.1, answer II.f.1 the same, compare.
		ra.fp.accept = "application/json"
		wantStatus(t, ra.fp.post(base+"/answers/II.k.1", url.Values{"v.II.k.1": {"1"}, "II.k.1.status": {"yes"}}), http.StatusOK)
		ra.fp.accept = ""
		w = ra.fp.get(base + "/compare")
		wantStatus(t, w, http.StatusOK)
		body := w.Body.String()
		wantChanges(t, body, map[string]string{"II.f.1": "unchanged", "II.k.1": "changed", "III.a.1": "unchanged"})
		noBody(t, w, `id="cmp-II.f.4"`)
		wantBody(t, w, "Answers to template v1 are compared through the questions of template v2 that replace them.")
	})
}

// TestStatusDetails saves the measures taken and links with a status, and
// shows them on the section page, the print view and the PDF.
func TestStatusDetails(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		ra := newV2ReportApp(t, a, nil)
		ra.start(t)
		form := url.Values{"v.II.a.1": {"0"}, "II.a.1.status": {"yes"},
			"II.a.1.measures": {"National ICT security strategy adopted in 2024"},
			"II.a.1.links":    {"https://example.org/strategy\r\nhttps://example.org/law"}}
		wantStatus(t, ra.fp.post(base+"/sections/II.a", form), http.StatusSeeOther)
		v := ra.answers(t, 0)["II.a.1"].Value
		if v.Measures != "National ICT security strategy adopted in 2024" || len(v.Links) != 2 || v.Links[1] != "https://example.org/law" {
			t.Fatalf("saved %+v", v)
		}
		w := ra.fp.get(base + "/sections/II.a")
		wantBody(t, w, `name="II.a.1.measures"`, "National ICT security strategy adopted in 2024", "https://example.org/strategy\nhttps://example.org/law",
			"Details: measures taken and documents", "A/70/174 para 13(a)", "ITU National Cybersecurity Strategy guide (illustrative practice)")
		// A bad link re-renders the form with the error and the input kept.
		bad := url.Values{"v.II.a.2": {"0"}, "II.a.2.status": {"yes"}, "II.a.2.links": {"not a link"}}
		w = ra.fp.post(base+"/sections/II.a", bad)
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, "not a link")
		w = ra.fp.get(base + "/print")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "Measures taken", "National ICT security strategy adopted in 2024", `href="https://example.org/law"`)
		w = ra.fp.get(base + "/report.pdf?lang=en")
		wantStatus(t, w, http.StatusOK)
		text := squeeze(pdfText(t, w.Body.Bytes()))
		for _, s := range []string{"Measures taken", "National ICT security strategy adopted in 2024", "https://example.org/law"} {
			if !strings.Contains(text, squeeze(s)) {
				t.Errorf("PDF lacks %q", s)
			}
		}
	})
}

// TestV2Pages: the v2 template in the reader's language, the thematic
// priority on Part V, the report's language in its header and as the
// PDF's default language, and v2 as the new-cycle default.
func TestV2Pages(t *testing.T) {
	a := newApp(t)
	ra := newV2ReportApp(t, a, nil)
	// Started in French: the report keeps French.
	wantStatus(t, ra.fp.post(base+"/start?lang=fr", nil), http.StatusSeeOther)
	w := ra.fp.get(base + "/sections/V.a?lang=es")
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, `id="thematic-priority"`, "Protection of critical infrastructure", "Prioridad temática del ciclo",
		"¿Ha adoptado su Estado medidas sobre la prioridad temática de este ciclo?")
	w = ra.fp.get(base + "/sections/II.g?lang=ar")
	wantBody(t, w, "البنية التحتية الحيوية")
	noBody(t, ra.fp.get(base+"/sections/II.g?lang=en"), `id="thematic-priority"`)
	w = ra.fp.get(base + "?lang=en")
	wantBody(t, w, "Language of the report", `id="report-lang">Français<`)
	if r, _ := a.db.GetReport(context.Background(), "JPN", "2026-2027", 0); r.Lang != "fr" {
		t.Errorf("report language %q, want fr", r.Lang)
	}
	// The PDF is in the report's language unless another is asked for.
	ra.fp.get("/?lang=en")
	if text := squeeze(pdfText(t, ra.fp.get(base+"/report.pdf").Body.Bytes())); !strings.Contains(text, squeeze("Priorité thématique du cycle")) || !strings.Contains(text, squeeze("Protection of critical infrastructure")) {
		t.Errorf("default PDF is not in French: %.300s", text)
	}
	if text := squeeze(pdfText(t, ra.fp.get(base+"/report.pdf?lang=en").Body.Bytes())); !strings.Contains(text, squeeze("Thematic priority of this cycle")) {
		t.Errorf("?lang=en PDF is not in English: %.300s", text)
	}
	// Every script of v2 draws: the Chinese copy carries v2's Chinese texts;
	// the Arabic copy draws (its text extraction is issue 10 §2.9's).
	if text := squeeze(pdfText(t, ra.fp.get(base+"/report.pdf?lang=zh").Body.Bytes())); !strings.Contains(text, "规范(g)：保护关键基础设施") {
		t.Errorf("?lang=zh PDF lacks v2's Chinese titles: %.300s", text)
	}
	if w := ra.fp.get(base + "/report.pdf?lang=ar"); w.Code != http.StatusOK || w.Body.Len() < 10000 {
		t.Errorf("?lang=ar PDF: status %d, %d bytes", w.Code, w.Body.Len())
	}
	// The template page in Chinese, with the v1 questions each replaces.
	w = ra.anon.get("/templates/v2?lang=zh")
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, "规范 (g)：保护关键基础设施", "取代 <bdi>v1</bdi>: <bdi>II.k.1, II.k.3</bdi>", "示例性做法")
	a.user("admin@un.example", models.RoleAdmin, "")
	w = a.login("admin@un.example").get("/cycles-new")
	wantStatus(t, w, http.StatusOK)
	if body := w.Body.String(); !strings.Contains(body, `value="v2" selected`) && !strings.Contains(body, `value="v2" checked`) {
		i := strings.Index(body, `value="v2"`)
		t.Errorf("v2 is not the default: %.200s", body[max(i, 0):])
	}
}

// wantChanges checks the change badge of each question's row on the
// comparison page (code → unchanged, changed, new or removed).
func wantChanges(t *testing.T, body string, want map[string]string) {
	t.Helper()
	for code, change := range want {
		i := strings.Index(body, `id="cmp-`+code+`"`)
		if i < 0 {
			t.Errorf("%s missing from comparison", code)
			continue
		}
		row := body[i:]
		row = row[:strings.Index(row, "</tr>")]
		if !strings.Contains(row, "badge-"+change) {
			t.Errorf("%s: want %s in %s", code, change, row)
		}
	}
}
