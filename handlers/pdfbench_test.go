package handlers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/natreport/natreport/demo"
	"github.com/natreport/natreport/models/modeltest"
)

// BenchmarkReportPDF compares, in one run, the native PDF of Japan's demo
// report (GET /report.pdf: database reads, visibility, fpdf drawing) with
// the path users would otherwise take: printing the report's HTML print
// view to PDF in headless Chromium, already started and warm (navigate,
// then Page.printToPDF). Each in English, Arabic and Chinese.
func BenchmarkReportPDF(b *testing.B) {
	db := modeltest.OpenTest(b)
	if _, err := demo.Load(context.Background(), db, builtinTemplates, time.Now()); err != nil {
		b.Fatal(err)
	}
	a := newAppOn(b, db)
	srv := httptest.NewServer(a.h)
	defer srv.Close()
	const path = "/reports/JPN/2026-2027"
	for _, lang := range []string{"en", "ar", "zh"} {
		b.Run("native-"+lang, func(b *testing.B) {
			b.ReportAllocs()
			c := a.anon()
			for i := 0; i < b.N; i++ {
				w := c.get(path + "/report.pdf?lang=" + lang)
				if w.Code != http.StatusOK || w.Body.Len() < 10000 {
					b.Fatalf("pdf: %d, %d bytes", w.Code, w.Body.Len())
				}
			}
		})
	}
	chrome := chromiumPath()
	if _, err := exec.LookPath(chrome); err != nil {
		if os.Getenv("CI") == "true" {
			b.Fatalf("Chromium missing: %v", err)
		}
		b.Skip("no Chromium")
	}
	ctx, stop, err := startChromium(chrome)
	if err != nil {
		b.Fatal(err)
	}
	defer stop()
	for _, lang := range []string{"en", "ar", "zh"} {
		b.Run("chromium-"+lang, func(b *testing.B) {
			tab, cancel := chromedp.NewContext(ctx)
			defer cancel()
			url := srv.URL + path + "/print?lang=" + lang
			print := func() []byte {
				if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
					b.Fatal(err)
				}
				pdf, err := chromedp.Run(tab, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
				if err != nil {
					b.Fatal(err)
				}
				return pdf
			}
			print() // warm: the first print starts the tab
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if pdf := print(); len(pdf) < 10000 {
					b.Fatalf("chromium pdf %d bytes", len(pdf))
				}
			}
		})
	}
}

// BenchmarkSyntheticPDF draws the PDF that make bench measures: the first
// public report of the earlier cycle written by demo.Synthetic (template
// v1, English answers), in English, Arabic and Chinese, through the real
// router. Its figures are the ones to compare with BenchmarkReportPDF's:
// the same code on make bench's data.
func BenchmarkSyntheticPDF(b *testing.B) {
	db := modeltest.OpenTest(b)
	gen, err := demo.Synthetic(context.Background(), db, builtinTemplates, 4)
	if err != nil {
		b.Fatal(err)
	}
	a := newAppOn(b, db)
	path := ""
	for _, iso3 := range gen.States {
		p := "/reports/" + iso3 + "/" + gen.Cycles[0]
		if a.anon().get(p+"/print").Code == http.StatusOK {
			path = p
			break
		}
	}
	if path == "" {
		b.Fatal("no public report")
	}
	for _, lang := range []string{"en", "ar", "zh"} {
		b.Run(lang, func(b *testing.B) {
			b.ReportAllocs()
			c := a.anon()
			for b.Loop() {
				w := c.get(path + "/report.pdf?lang=" + lang)
				if w.Code != http.StatusOK || w.Body.Len() < 10000 {
					b.Fatalf("pdf: %d, %d bytes", w.Code, w.Body.Len())
				}
			}
		})
	}
}

// BenchmarkSyntheticZIP draws the secretariat's ZIP of the earlier cycle
// that make bench measures, on make bench's data: NATREPORT_BENCH_STATES
// States (the first size listed; 193 if unset).
func BenchmarkSyntheticZIP(b *testing.B) {
	n := 193
	if os.Getenv("NATREPORT_BENCH_STATES") != "" {
		n = benchSizes[0]
	}
	db := modeltest.OpenTest(b)
	gen, err := demo.Synthetic(context.Background(), db, builtinTemplates, n)
	if err != nil {
		b.Fatal(err)
	}
	a := newAppOn(b, db)
	sec := a.anon()
	if w := sec.post("/login", url.Values{"email": {gen.Secretariat}, "password": {demo.Password}}); w.Code != http.StatusSeeOther {
		b.Fatalf("login: %d", w.Code)
	}
	b.ReportAllocs()
	for b.Loop() {
		w := sec.get("/cycles/" + gen.Cycles[0] + "/reports.zip")
		if w.Code != http.StatusOK || w.Body.Len() < 10000*n {
			b.Fatalf("zip: %d, %d bytes", w.Code, w.Body.Len())
		}
	}
}
