package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/natreport/natreport/demo"
	"github.com/natreport/natreport/handlers"
	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// These tests keep the harness from rotting: they run its pieces on tiny
// inputs and check what they count, never how fast anything is.

// TestDrive checks that the load generator counts every request the
// server saw, separates errors and reports latencies.
func TestDrive(t *testing.T) {
	var hits atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path == "/fail" {
			http.Error(w, "no", http.StatusTeapot)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer ts.Close()
	client := loopbackClient(4)
	r := drive(context.Background(), 4, 200*time.Millisecond, getter(client, ts.URL+"/", ""))
	if r.Requests == 0 || r.Errors != 0 {
		t.Fatalf("requests %d, errors %d", r.Requests, r.Errors)
	}
	if int64(r.Requests) != hits.Load() {
		t.Errorf("counted %d requests, the server saw %d", r.Requests, hits.Load())
	}
	if r.P50 <= 0 || r.P99 < r.P50 || r.Elapsed < 200*time.Millisecond || r.PerSecond() <= 0 {
		t.Errorf("p50 %v, p99 %v, elapsed %v, %f/s", r.P50, r.P99, r.Elapsed, r.PerSecond())
	}
	hits.Store(0)
	r = drive(context.Background(), 2, 100*time.Millisecond, getter(client, ts.URL+"/fail", ""))
	if r.Requests != 0 || r.Errors == 0 || int64(r.Errors) != hits.Load() {
		t.Errorf("failing server: requests %d, errors %d, seen %d", r.Requests, r.Errors, hits.Load())
	}
}

// TestLoopbackOnly checks that the client refuses any host but 127.0.0.1.
func TestLoopbackOnly(t *testing.T) {
	_, err := fetch(context.Background(), loopbackClient(1), http.MethodGet, "http://localhost:1/", "", nil, http.StatusOK)
	if err == nil || !strings.Contains(err.Error(), "only 127.0.0.1") {
		t.Fatalf("err = %v, want a refusal", err)
	}
}

func TestPercentileAndSpread(t *testing.T) {
	ms := func(n ...int) []time.Duration {
		var out []time.Duration
		for _, x := range n {
			out = append(out, time.Duration(x)*time.Millisecond)
		}
		return out
	}
	for _, c := range []struct {
		in       []time.Duration
		p        int
		want     time.Duration
		scenario string
	}{
		{nil, 50, 0, "empty"},
		{ms(7), 99, 7 * time.Millisecond, "one"},
		{ms(1, 2, 3, 4), 50, 2 * time.Millisecond, "even p50"},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond, "p99 of ten"},
	} {
		if got := percentile(c.in, c.p); got != c.want {
			t.Errorf("%s: p%d = %v, want %v", c.scenario, c.p, got, c.want)
		}
	}
	if s := spreadOf([]float64{3, 1, 2}); s != (spread{2, 1, 3}) {
		t.Errorf("spread %+v", s)
	}
	if s := spreadOf([]float64{4, 1, 2, 3}); s != (spread{2.5, 1, 4}) {
		t.Errorf("spread %+v", s)
	}
	if got := num(18780); got != "18,780" {
		t.Errorf("num = %q", got)
	}
}

// TestMarkdown checks that the writer includes every row, goal and note,
// and keeps the hand-written part after the marker.
func TestMarkdown(t *testing.T) {
	d := doc{
		Machine:  machine{CPUs: 2, CPU: "Test CPU", LoadBefore: "1.00", LoadAfter: "2.00", Busy: "Other builds ran."},
		Commands: []string{"make bench"},
		Setup:    []string{"Generated 5 States."},
		Rows: []row{
			{What: "section page", App: "900 req/s", Ceiling: "bare Gin: 9,000 req/s", Ratio: "10.0%", Runs: "900/s"},
			{What: "autosave | writers", App: "700 saves/s", Runs: "700/s"},
			{What: "gap summary", Missing: "not built yet"},
		},
		Goals: []goal{{Goal: "Cold start under 150 ms", Result: "90 ms", Met: "**yes**"}},
		Notes: []string{"A note."},
	}
	kept := "## Kept section\n\nby hand\n"
	var buf bytes.Buffer
	if err := writeMarkdown(&buf, d, kept); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"Test CPU", "1.00", "2.00", "Other builds ran.", "make bench", "Generated 5 States.",
		"| section page | 900 req/s | bare Gin: 9,000 req/s | 10.0% |", `autosave \| writers`, "not measured: not built yet",
		"| Cold start under 150 ms | 90 ms | **yes** |", "A note.", keptMarker} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if got := splitKept(out); got != kept {
		t.Errorf("kept part %q, want %q", got, kept)
	}
	if splitKept("# no marker") != "" {
		t.Error("text without the marker is not kept")
	}
}

// TestCommitLoop checks the bare commit loop writes one row per counted
// transaction, on natreport's DSN.
func TestCommitLoop(t *testing.T) {
	l, err := openCommitLoop(filepath.Join(t.TempDir(), "bare.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.close()
	r := drive(context.Background(), 1, 200*time.Millisecond, l.commit)
	var n int
	if err := l.db.QueryRow("SELECT COUNT(*) FROM saves").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if r.Requests == 0 || r.Errors != 0 || n != r.Requests {
		t.Errorf("counted %d commits (%d errors), table holds %d rows", r.Requests, r.Errors, n)
	}
}

// TestPieces runs the page, autosave and PDF measurements against the
// real router over 5 generated States for 200 ms each, and checks that
// every save was really stored at the version the writers last saw.
func TestPieces(t *testing.T) {
	ctx := context.Background()
	t.Setenv("CHROMIUM", filepath.Join(t.TempDir(), "no-chromium")) // the ceiling is skipped, and said so
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := models.Open(ctx, models.Config{SQLitePath: filepath.Join(t.TempDir(), "nr.db"), Logger: quiet, BcryptCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	templates, err := surveys.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	gen, err := demo.Synthetic(ctx, db, templates, 5)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(handlers.New(db, templates, handlers.Config{}, quiet))
	defer ts.Close()
	b := &bench{cfg: config{Runs: 1, Duration: 200 * time.Millisecond, Conns: 4, PDFs: 1, Chromium: 1},
		out: io.Discard, gen: gen, tmpl: templates[gen.Templates[1]], srv: &server{base: ts.URL}}
	for _, step := range []func(context.Context) error{b.signIn, b.pages, b.pdfs} {
		if err := step(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.autosave(ctx); err != nil {
		t.Fatal(err)
	}
	seen, saves, attempts := map[string]bool{}, 0, 0
	for _, w := range b.ws {
		if seen[w.iso3+w.code] {
			t.Errorf("two writers on %s %s", w.iso3, w.code)
		}
		seen[w.iso3+w.code] = true
		rep, err := db.GetReport(ctx, w.iso3, gen.Cycles[1], 0)
		if err != nil {
			t.Fatal(err)
		}
		a, err := db.GetAnswer(ctx, rep.ID, w.code)
		if err != nil {
			t.Fatal(err)
		}
		if a.Version != w.version {
			t.Errorf("%s %s: stored version %d, writer saw %d", w.iso3, w.code, a.Version, w.version)
		}
		saves += w.version - 1
		attempts += w.n
	}
	if len(b.ws) != 4 || saves == 0 || saves != attempts {
		t.Errorf("%d writers: %d saves stored, %d sent", len(b.ws), saves, attempts)
	}
	// Rows: section page kept and drawn, overview, three PDFs, autosave.
	if len(b.doc.Rows) != 7 {
		t.Fatalf("%d rows: %+v", len(b.doc.Rows), b.doc.Rows)
	}
	for _, r := range b.doc.Rows {
		if r.App == "" || strings.Contains(r.App, "errors") {
			t.Errorf("row %q: %q", r.What, r.App)
		}
	}
	if !strings.Contains(b.doc.Rows[3].Ceiling, "not measured") {
		t.Errorf("PDF row without Chromium: ceiling %q", b.doc.Rows[3].Ceiling)
	}
	var names []string
	for _, g := range b.doc.Goals {
		names = append(names, g.Goal)
	}
	for _, want := range []string{"Section page", "ar PDF within 3×", "zh PDF within 3×", "Autosave"} {
		if !strings.Contains(strings.Join(names, "\n"), want) {
			t.Errorf("goals %q lack %q", names, want)
		}
	}
}

func TestOnlySteps(t *testing.T) {
	b := &bench{cfg: config{Only: "pages, Autosave"}}
	for step, want := range map[string]bool{"cold start": true, "sign in": true, "pages": true, "autosave": true,
		"pages on PostgreSQL": false, "PDF": false, "compilation": false} {
		if got := b.runs(step); got != want {
			t.Errorf("-only %q: runs(%q) = %v, want %v", b.cfg.Only, step, got, want)
		}
	}
	b.cfg.Only = ""
	if !b.runs("compilation") {
		t.Error("without -only every step runs")
	}
}
