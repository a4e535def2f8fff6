package handlers

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// pdfText extracts the text of a PDF with pdftotext (poppler-utils).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext missing (poppler-utils)")
		}
		t.Skip("pdftotext missing")
	}
	f := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-raw", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestReportPDF(t *testing.T) {
	a := newApp(t)
	ra := newReportApp(t, a)
	ra.start(t)
	ra.fp.accept = "application/json"
	for code, form := range map[string]url.Values{
		"0.b.2":  {"0.b.2.contact.name": {"JPCERT Coordination Center"}, "0.b.2.contact.email": {"office@jpcert.example"}},
		"II.g.1": {"II.g.1.status": {"yes"}, "II.g.1.challenges": {"Fourteen sectors designated"}},
		"II.a.8": {"II.a.8": {"https://www.nisc.go.jp/eng/"}},
	} {
		form.Set("v."+code, "0")
		wantStatus(t, ra.fp.post(base+"/answers/"+code, form), http.StatusOK)
	}
	ra.fp.accept = ""

	// The State downloads its draft, marked as such, with its contacts.
	w := ra.fp.get(base + "/report.pdf")
	wantStatus(t, w, http.StatusOK)
	if ct := w.Header().Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("content type %q", ct)
	}
	if cd := w.Header().Get("Content-Disposition"); cd != `attachment; filename="JPN-2026-2027-v1.pdf"` {
		t.Errorf("disposition %q", cd)
	}
	if !bytes.HasPrefix(w.Body.Bytes(), []byte("%PDF-")) {
		t.Fatalf("not a PDF")
	}
	text := pdfText(t, w.Body.Bytes())
	if !strings.Contains(squeeze(text), "DRAFT:forinternalcoordination") {
		t.Errorf("State's draft PDF lacks the draft mark")
	}
	for _, s := range []string{"Japan", "2026-2027", "II.g.1", "Fourteen sectors designated", "office@jpcert.example", "https://www.nisc.go.jp/eng/"} {
		if !strings.Contains(text, s) {
			t.Errorf("State's PDF lacks %q", s)
		}
	}
	// Nobody else reads a draft.
	wantStatus(t, ra.sec.get(base+"/report.pdf"), http.StatusNotFound)

	// Published at public: the public copy has no contacts and no draft mark.
	r, _ := a.db.GetReport(context.Background(), "JPN", "2026-2027", 0)
	for _, step := range [][2]string{{"draft", "submitted"}, {"submitted", "published"}} {
		if err := a.db.SetReportStatus(context.Background(), r.ID, step[0], step[1], models.Actor{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.db.SetVisibility(context.Background(), r.ID, "public", models.Actor{}); err != nil {
		t.Fatal(err)
	}
	pub := pdfText(t, ra.anon.get(base+"/report.pdf").Body.Bytes())
	if strings.Contains(pub, "office@jpcert.example") || strings.Contains(squeeze(pub), "DRAFT:") {
		t.Errorf("public PDF shows contacts or the draft mark")
	}
	if !strings.Contains(pub, "Fourteen sectors designated") {
		t.Errorf("public PDF lacks a public answer")
	}
	sec := pdfText(t, ra.sec.get(base+"/report.pdf").Body.Bytes())
	if !strings.Contains(sec, "office@jpcert.example") {
		t.Errorf("secretariat PDF lacks the contacts")
	}
	// An older version by query parameter, named after its version.
	wantStatus(t, ra.fp.post(base+"/status", url.Values{"action": {"amend"}}), http.StatusSeeOther)
	w = ra.fp.get(base + "/report.pdf?v=1")
	wantStatus(t, w, http.StatusOK)
	if cd := w.Header().Get("Content-Disposition"); !strings.Contains(cd, "JPN-2026-2027-v1.pdf") {
		t.Errorf("disposition %q", cd)
	}
	if cd := ra.fp.get(base + "/report.pdf").Header().Get("Content-Disposition"); !strings.Contains(cd, "JPN-2026-2027-v2.pdf") {
		t.Errorf("latest disposition %q", cd)
	}
	wantStatus(t, ra.fp.get(base+"/report.pdf?v=7"), http.StatusNotFound)

	// In Arabic the labels are Arabic.
	ar := pdfText(t, ra.anon.get(base+"/report.pdf?lang=ar").Body.Bytes())
	if !regexp.MustCompile(`[\x{0600}-\x{06FF}\x{FE70}-\x{FEFF}]`).MatchString(ar) {
		t.Errorf("Arabic PDF has no Arabic text")
	}
}

// TestPrintViewAndPDFAgree: the HTML print view and the PDF show the same
// answered questions.
func TestPrintViewAndPDFAgree(t *testing.T) {
	a := newApp(t)
	ra := newReportApp(t, a)
	ra.start(t)
	ra.fp.accept = "application/json"
	codes := []string{"I.a.1", "II.b.1", "II.c.2", "II.k.1", "III.a.1"}
	for _, code := range codes {
		wantStatus(t, ra.fp.post(base+"/answers/"+code, url.Values{"v." + code: {"0"}, code + ".status": {"partly"}, code + ".challenges": {"Challenge of " + code}}), http.StatusOK)
	}
	ra.fp.accept = ""
	html := ra.fp.get(base + "/print").Body.String()
	pdf := pdfText(t, ra.fp.get(base+"/report.pdf").Body.Bytes())
	for _, code := range codes {
		inHTML := strings.Contains(html, `id="q-`+code+`"`) && strings.Contains(html, "Challenge of "+code)
		inPDF := strings.Contains(pdf, "Challenge of "+code)
		if !inHTML || !inPDF {
			t.Errorf("%s: in print view %v, in PDF %v", code, inHTML, inPDF)
		}
	}
	if strings.Contains(html, `id="q-II.a.1"`) {
		t.Errorf("the print view shows an unanswered question")
	}
	if regexp.MustCompile(`(^|[^I])II\.a\.1\s`).MatchString(pdf) {
		t.Errorf("the PDF shows an unanswered question")
	}
	if !strings.Contains(html, "DRAFT: for internal coordination") {
		t.Errorf("print view of a draft lacks the draft mark")
	}
}

func TestCycleZIP(t *testing.T) {
	a := newApp(t)
	ra := newReportApp(t, a)
	ra.start(t)
	ctx := context.Background()
	// Japan submits; Kenya keeps a draft; Chile submits but privately.
	r, _ := a.db.GetReport(ctx, "JPN", "2026-2027", 0)
	if err := a.db.SetReportStatus(ctx, r.ID, "draft", "submitted", models.Actor{}); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, ra.other.post("/reports/KEN/2026-2027/start", nil), http.StatusSeeOther)
	chl := &models.Report{StateISO3: "CHL", CycleID: ra.cycle.ID, Version: 1, Status: "draft", Visibility: "private"}
	if err := a.db.CreateReport(ctx, chl, models.Actor{}); err != nil {
		t.Fatal(err)
	}
	_ = a.db.SetReportStatus(ctx, chl.ID, "draft", "submitted", models.Actor{})
	w := ra.sec.get("/cycles/2026-2027/reports.zip")
	wantStatus(t, w, http.StatusOK)
	if ct := w.Header().Get("Content-Type"); ct != "application/zip" {
		t.Errorf("content type %q", ct)
	}
	zr, err := zip.NewReader(bytes.NewReader(w.Body.Bytes()), int64(w.Body.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if len(names) != 1 || names[0] != "JPN-2026-2027-v1.pdf" {
		t.Errorf("ZIP holds %v, want only Japan's submitted report", names)
	}
	wantStatus(t, ra.donor.get("/cycles/2026-2027/reports.zip"), http.StatusForbidden)
}

// squeeze drops white space (the PDF's rotated draft mark comes out one
// character per line).
func squeeze(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// TestCycleZIPManyReports: with more reports than workers, the ZIP holds
// each readable report once, in the board's order, each PDF the same
// bytes as its own download, and the ZIP the same bytes every time.
func TestCycleZIPManyReports(t *testing.T) {
	a := newApp(t)
	ra := newReportApp(t, a)
	ctx := context.Background()
	states := []string{"ARG", "BRA", "CHL", "DEU", "EST", "FJI", "GHA", "IND", "JPN"}
	for i, iso3 := range states {
		r := &models.Report{StateISO3: iso3, CycleID: ra.cycle.ID, Version: 1, Status: "draft", Visibility: "public"}
		if err := a.db.CreateReport(ctx, r, models.Actor{}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.db.SaveAnswer(ctx, r.ID, "II.g.1", surveys.Value{Status: "yes", Challenges: "Answer of " + iso3}, 0, models.Actor{}, nil); err != nil {
			t.Fatal(err)
		}
		if i%4 == 3 {
			continue // a draft: not in the ZIP
		}
		if err := a.db.SetReportStatus(ctx, r.ID, "draft", "submitted", models.Actor{}); err != nil {
			t.Fatal(err)
		}
	}
	// Estonia amends and submits version 2, which the ZIP holds; Argentina's
	// version 2 is a draft, so the ZIP holds its version 1.
	for iso3, submit := range map[string]bool{"EST": true, "ARG": false} {
		r, _ := a.db.GetReport(ctx, iso3, "2026-2027", 0)
		v2, err := a.db.NewVersion(ctx, r.ID, models.Actor{})
		if err != nil {
			t.Fatal(err)
		}
		if submit {
			if err := a.db.SetReportStatus(ctx, v2.ID, "draft", "submitted", models.Actor{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	w := ra.sec.get("/cycles/2026-2027/reports.zip")
	wantStatus(t, w, http.StatusOK)
	again := ra.sec.get("/cycles/2026-2027/reports.zip")
	if !bytes.Equal(w.Body.Bytes(), again.Body.Bytes()) {
		t.Error("two downloads of the ZIP differ")
	}
	zr, err := zip.NewReader(bytes.NewReader(w.Body.Bytes()), int64(w.Body.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		single := ra.sec.get("/reports/" + f.Name[:3] + "/2026-2027/report.pdf?v=" + strings.TrimSuffix(f.Name[len("XXX-2026-2027-v"):], ".pdf"))
		wantStatus(t, single, http.StatusOK)
		if !bytes.Equal(got, single.Body.Bytes()) {
			t.Errorf("%s in the ZIP differs from its own download", f.Name)
		}
	}
	want := []string{"ARG-2026-2027-v1.pdf", "BRA-2026-2027-v1.pdf", "CHL-2026-2027-v1.pdf", "EST-2026-2027-v2.pdf",
		"FJI-2026-2027-v1.pdf", "GHA-2026-2027-v1.pdf", "JPN-2026-2027-v1.pdf"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("ZIP holds\n%v\nwant\n%v", names, want)
	}
}
