package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/natreport/natreport/demo"
	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// bench is one natbench run: its settings, its files and what it found.
type bench struct {
	cfg  config
	work string
	out  io.Writer

	bin      string // the natreport binary built
	pristine string // the generated database, never served
	gen      *demo.Generated
	tmpl     *surveys.Template

	srv     *server // the main server (pages, autosave, PDFs)
	client  *http.Client
	cookies map[string]string // e-mail → Cookie header
	ws      []*writer         // the autosave writers, kept across runs

	doc doc
}

func (b *bench) logf(format string, a ...any) {
	fmt.Fprintf(b.out, "natbench: "+format+"\n", a...)
}

// all runs every measurement in order and returns the report.
func (b *bench) all(ctx context.Context) (doc, error) {
	b.doc.Machine = machineInfo()
	b.doc.Machine.LoadBefore = loadAvg()
	b.doc.Machine.Busy = busy(b.cfg.Busy)
	b.doc.Commands = []string{
		"make bench    # go run ./cmd/natbench -out docs/BENCHMARKS.md -duration 5s -runs 3",
		"make bench BENCH_DURATION=1s BENCH_RUNS=1    # a quick run (figures too short to quote)",
	}
	b.doc.Setup = append(b.doc.Setup, fmt.Sprintf("Settings of this run: %d runs of each measurement, load runs of %s, %d connections (pages) and %d concurrent writers (autosave).",
		b.cfg.Runs, b.cfg.Duration, b.cfg.Conns, b.cfg.Conns))
	if err := b.build(ctx); err != nil {
		return b.doc, err
	}
	if err := b.generate(ctx); err != nil {
		return b.doc, err
	}
	defer func() { b.srv.stop() }()
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"cold start", b.coldStart},
		{"sign in", b.signIn},
		{"pages", b.pages},
		{"pages on PostgreSQL", b.postgresPages},
		{"autosave", b.autosave},
		{"PDF", b.pdfs},
		{"ZIP", b.zip},
		{"gap summary", b.gaps},
		{"compilation", b.compilation},
	}
	for _, s := range steps {
		if err := ctx.Err(); err != nil {
			return b.doc, err
		}
		if !b.runs(s.name) {
			continue
		}
		b.logf("%s", s.name)
		if err := s.fn(ctx); err != nil {
			return b.doc, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	b.doc.Machine.LoadAfter = loadAvg()
	b.doc.Notes = append(b.doc.Notes,
		"The load generator runs inside natbench, on the same cores as the server it measures; so do the bare Gin ceiling and the bare commit loop, so each ratio compares like with like.",
		"Requests do not ask for compression (neither would wrk): the page figures are for uncompressed HTML, as served by the bare Gin handler.",
		"The server keeps the report overview and section pages it draws, per viewer, language and path, under its State's page stamp, which database triggers move with every write to what the page shows (handlers/pagecache.go): a repeated request reads the session and the stamp in one query and sends the kept bytes. The page figures are for pages kept since the last change; the row \"drawn anew\" is the cost of the first request after a change (a query string is never served from what is kept).",
	)
	return b.doc, nil
}

// build compiles the server.
// runs reports whether step is one -only asked for (cold start, which
// starts the server, and sign in always run).
func (b *bench) runs(step string) bool {
	if b.cfg.Only == "" || step == "sign in" || step == "cold start" {
		return true
	}
	for _, s := range strings.Split(b.cfg.Only, ",") {
		if strings.EqualFold(strings.TrimSpace(s), step) {
			return true
		}
	}
	return false
}

func (b *bench) build(ctx context.Context) error {
	b.bin = filepath.Join(b.work, "natreport")
	start := time.Now()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", b.bin, "./cmd/natreport")
	cmd.Stdout, cmd.Stderr = b.out, b.out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build: %w", err)
	}
	b.doc.Setup = append(b.doc.Setup, fmt.Sprintf("`go build -o %s ./cmd/natreport` took %.1f s.", "$TMP/natreport", time.Since(start).Seconds()))
	return nil
}

// generate writes the pristine database: cfg.States States over two cycles.
func (b *bench) generate(ctx context.Context) error {
	templates, err := surveys.Builtin()
	if err != nil {
		return err
	}
	b.pristine = filepath.Join(b.work, "generated.db")
	start := time.Now()
	db, err := models.Open(ctx, models.Config{SQLitePath: b.pristine, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return err
	}
	b.gen, err = demo.Synthetic(ctx, db, templates, b.cfg.States)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	took := time.Since(start)
	b.tmpl = templates[b.gen.Templates[1]] // the later cycle's: drafts are written in it
	fi, err := os.Stat(b.pristine)
	if err != nil {
		return err
	}
	g := b.gen
	b.doc.Setup = append(b.doc.Setup,
		fmt.Sprintf("Generated in %.1f s (demo.Synthetic through models.ImportReport, one transaction per report): %d member States, a focal point each and a secretariat account, two cycles (%s on template %s, %d questions; %s on %s, %d questions), every question answered: %s answers, a %.0f MB SQLite file.",
			took.Seconds(), len(g.States), g.Cycles[0], g.Templates[0], len(templates[g.Templates[0]].AllQuestions()),
			g.Cycles[1], g.Templates[1], len(b.tmpl.AllQuestions()), thousands(strconv.Itoa(g.Answers)), float64(fi.Size())/(1<<20)),
		fmt.Sprintf("Reports of %s: %s. Reports of %s: %s.", g.Cycles[0], counts(g.Status[g.Cycles[0]]), g.Cycles[1], counts(g.Status[g.Cycles[1]])),
		fmt.Sprintf("Visibility of %s: %s.", g.Cycles[1], counts(g.Visibility[g.Cycles[1]])))
	return copyFile(b.pristine, b.dbPath("main"))
}

func (b *bench) dbPath(name string) string { return filepath.Join(b.work, name+".db") }

func counts(m map[string]int) string {
	var parts []string
	for _, k := range []string{"draft", "review", "submitted", "published", "withdrawn", "private", "restricted", "donors", "public"} {
		if m[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", m[k], k))
		}
	}
	return strings.Join(parts, ", ")
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o600)
}

// start runs the server on the database name.
func (b *bench) start(ctx context.Context, name string) (*server, time.Duration, error) {
	return startServer(ctx, b.bin, b.dbPath(name), "", filepath.Join(b.work, name+".log"))
}

// coldStart measures exec → /healthz 200; the last server started stays up.
func (b *bench) coldStart(ctx context.Context) error {
	var ms []float64
	n := max(b.cfg.ColdStart, b.cfg.Runs)
	for i := range n {
		s, took, err := b.start(ctx, "main")
		if err != nil {
			return err
		}
		ms = append(ms, msOf(took))
		if i < n-1 {
			s.stop()
		} else {
			b.srv = s
		}
	}
	sp := spreadOf(ms)
	b.doc.Rows = append(b.doc.Rows, row{What: "cold start: exec of the binary → first /healthz 200 (migrated file of " + strconv.Itoa(len(b.gen.States)) + " States)",
		App: sp.format("ms"), Runs: joinNums(ms, "ms")})
	b.goal("Cold start under 150 ms", sp.format("ms"), sp.Median < 150)
	return nil
}

// signIn signs in the secretariat and the focal points of the drafts.
func (b *bench) signIn(ctx context.Context) error {
	b.client = loopbackClient(b.cfg.Conns)
	b.cookies = map[string]string{}
	emails := []string{b.gen.Secretariat}
	for _, iso3 := range b.writerStates() {
		emails = append(emails, b.gen.Focal[iso3])
	}
	for _, e := range emails {
		c, err := login(ctx, b.client, b.srv.base, e, demo.Password)
		if err != nil {
			return err
		}
		b.cookies[e] = c
	}
	return nil
}

// writerStates are the draft States written into (at most eight).
func (b *bench) writerStates() []string {
	return b.gen.Drafts[:min(8, len(b.gen.Drafts))]
}

// largestSection is the section with the most questions.
func (b *bench) largestSection() string {
	best, n := "", 0
	for _, s := range b.tmpl.Sections() {
		if len(s.Questions) > n {
			best, n = s.Code, len(s.Questions)
		}
	}
	return best
}

// pages measures the largest section page and the report overview of a
// draft, as its focal point, each next to a bare Gin handler serving the
// same bytes.
func (b *bench) pages(ctx context.Context) error {
	iso3 := b.gen.Drafts[0]
	cookie := b.cookies[b.gen.Focal[iso3]]
	report := "/reports/" + iso3 + "/" + b.gen.Cycles[1]
	sec := b.largestSection()
	if err := b.page(ctx, b.srv.base, report+"/sections/"+sec, cookie, "section page "+sec+" (the largest) of a draft, as its focal point", "SQLite"); err != nil {
		return err
	}
	if err := b.page(ctx, b.srv.base, report+"/sections/"+sec+"?v=1", cookie, "section page "+sec+" drawn anew on every request (?v=1: as after each change)", ""); err != nil {
		return err
	}
	return b.page(ctx, b.srv.base, report, cookie, "report overview of a draft, as its focal point", "")
}

// page measures one page of the server at srvBase against a bare Gin
// handler serving the same bytes, and adds its row; goalDB names the
// database of the section page's goal ("": no goal).
func (b *bench) page(ctx context.Context, srvBase, path, cookie, what, goalDB string) error {
	body, err := fetch(ctx, b.client, http.MethodGet, srvBase+path, cookie, nil, http.StatusOK)
	if err != nil {
		return err
	}
	ceil, stop, err := bareGin(body)
	if err != nil {
		return err
	}
	app, bare := b.compare(ctx, b.cfg.Conns, getter(b.client, srvBase+path, cookie), getter(b.client, ceil+path, ""))
	stop()
	r := loadRow(fmt.Sprintf("%s, %d connections (%.1f KB)", what, b.cfg.Conns, float64(len(body))/1024), app, "bare Gin handler serving the same bytes", bare)
	ratio := spreadOf(perSecond(app)).Median / spreadOf(perSecond(bare)).Median
	r.Ratio = fmt.Sprintf("%.1f%%", 100*ratio)
	b.doc.Rows = append(b.doc.Rows, r)
	if goalDB != "" {
		p99 := spreadOf(p99s(app)).Median
		b.goal(fmt.Sprintf("Section page at least 30%% of the bare Gin handler, p99 under 50 ms, %d connections (%s)", b.cfg.Conns, goalDB),
			fmt.Sprintf("%.1f%%, p99 %.1f ms", 100*ratio, p99), ratio >= 0.30 && p99 < 50)
	}
	return nil
}

func (b *bench) compare(ctx context.Context, conns int, app, ceiling func(context.Context, int) error) (a, c []loadResult) {
	for range b.cfg.Runs {
		a = append(a, drive(ctx, conns, b.cfg.Duration, app))
		if ceiling != nil {
			c = append(c, drive(ctx, conns, b.cfg.Duration, ceiling))
		}
	}
	return a, c
}

// loadRow formats repeated load runs of natreport next to its ceiling.
func loadRow(what string, app []loadResult, ceilName string, ceil []loadResult) row {
	r := row{What: what, App: loadFigures(app, "req/s")}
	r.Runs = "natreport " + loadRuns(app)
	if ceil != nil {
		r.Ceiling = ceilName + ": " + loadFigures(ceil, "req/s")
		r.Runs += "; " + ceilName + " " + loadRuns(ceil)
	}
	return r
}

func loadFigures(rs []loadResult, unit string) string {
	s := spreadOf(perSecond(rs)).format(unit) + fmt.Sprintf(", p50 %.1f ms, p99 %.1f ms", spreadOf(p50s(rs)).Median, spreadOf(p99s(rs)).Median)
	errs := 0
	for _, r := range rs {
		errs += r.Errors
	}
	if errs > 0 {
		s += fmt.Sprintf(", **%d errors**", errs)
	}
	return s
}

func loadRuns(rs []loadResult) string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, fmt.Sprintf("%s/s p99 %.1f ms", num(r.PerSecond()), msOf(r.P99)))
	}
	return strings.Join(parts, ", ")
}

func perSecond(rs []loadResult) []float64 {
	var out []float64
	for _, r := range rs {
		out = append(out, r.PerSecond())
	}
	return out
}

func p50s(rs []loadResult) []float64 {
	var out []float64
	for _, r := range rs {
		out = append(out, msOf(r.P50))
	}
	return out
}

func p99s(rs []loadResult) []float64 {
	var out []float64
	for _, r := range rs {
		out = append(out, msOf(r.P99))
	}
	return out
}

func msOf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func joinNums(xs []float64, unit string) string {
	var parts []string
	for _, x := range xs {
		parts = append(parts, num(x))
	}
	return strings.Join(parts, ", ") + " " + unit
}

func (b *bench) goal(text, result string, met bool) {
	m := "no"
	if met {
		m = "**yes**"
	}
	b.doc.Goals = append(b.doc.Goals, goal{Goal: text, Result: result, Met: m})
}

// writer is one autosaving page: its own question of its State's draft.
type writer struct {
	iso3, code, cookie string
	version, n         int
}

// writers spreads cfg.Conns writers over the draft States, each on its own
// status question (one without a condition, so it is always shown). They
// are made once: each keeps the version its last reply gave.
func (b *bench) writers() ([]*writer, error) {
	if b.ws != nil {
		return b.ws, nil
	}
	var codes []string
	for _, q := range b.tmpl.AllQuestions() {
		if q.Kind == surveys.KindStatus && q.ShowWhen == nil {
			codes = append(codes, q.Code)
		}
	}
	states := b.writerStates()
	if len(states) == 0 {
		return nil, errors.New("no draft to write into")
	}
	per := (b.cfg.Conns + len(states) - 1) / len(states)
	if per > len(codes) {
		return nil, fmt.Errorf("%d writers per State, %d status questions", per, len(codes))
	}
	var out []*writer
	for i := range b.cfg.Conns {
		iso3 := states[i%len(states)]
		out = append(out, &writer{iso3: iso3, code: codes[i/len(states)], cookie: b.cookies[b.gen.Focal[iso3]], version: 1})
	}
	b.ws = out
	return out, nil
}

// save is one autosave of w, as the page script sends it.
func (b *bench) save(ctx context.Context, w *writer) error {
	w.n++
	st := "yes"
	if w.n%2 == 1 {
		st = "partly"
	}
	form := url.Values{"v." + w.code: {strconv.Itoa(w.version)}, w.code + ".status": {st},
		w.code + ".challenges": {"load run " + strconv.Itoa(w.n)}}
	u := b.srv.base + "/reports/" + w.iso3 + "/" + b.gen.Cycles[1] + "/answers/" + w.code
	body, err := fetch(ctx, b.client, http.MethodPost, u, w.cookie, form, http.StatusOK)
	var reply struct {
		Version int `json:"version"`
	}
	if jerr := json.Unmarshal(body, &reply); jerr == nil && reply.Version > 0 {
		w.version = reply.Version // a conflict's reply carries the stored version too
	}
	return err
}

// autosave measures cfg.Conns concurrent writers next to the bare commit loop.
func (b *bench) autosave(ctx context.Context) error {
	ws, err := b.writers()
	if err != nil {
		return err
	}
	loop, err := openCommitLoop(filepath.Join(b.work, "bare-commit.db"))
	if err != nil {
		return err
	}
	defer loop.close()
	// Each run of the writers is followed by one of the bare loop, as
	// compare alternates a page with its ceiling: the disk's commit time
	// drifts from minute to minute, and both sides see the same drift.
	var app, bare []loadResult
	for range b.cfg.Runs {
		app = append(app, drive(ctx, len(ws), b.cfg.Duration, func(ctx context.Context, i int) error { return b.save(ctx, ws[i]) }))
		bare = append(bare, drive(ctx, 1, b.cfg.Duration, loop.commit))
	}
	r := loadRow(fmt.Sprintf("durable autosave, %d concurrent writers in %d draft States (each its own question)", len(ws), len(b.writerStates())),
		app, "bare loop of one-row INSERT + COMMIT, SQLite WAL, synchronous=FULL, one connection", bare)
	r.App = strings.Replace(r.App, "req/s", "saves/s", 1)
	r.Ceiling = strings.Replace(r.Ceiling, "req/s", "tx/s", 1)
	ratio := spreadOf(perSecond(app)).Median / spreadOf(perSecond(bare)).Median
	r.Ratio = fmt.Sprintf("%.2f×", ratio)
	b.doc.Rows = append(b.doc.Rows, r)
	p99 := spreadOf(p99s(app)).Median
	b.goal(fmt.Sprintf("Autosave at least as fast as the bare commit loop, p99 under 50 ms, %d writers", len(ws)),
		fmt.Sprintf("%.2f×, p99 %.1f ms", ratio, p99), ratio >= 1.0 && p99 < 50)
	return nil
}

// publicReport is a State whose report of the earlier cycle anyone may
// read (the PDF and its print view are fetched without signing in).
func (b *bench) publicReport(ctx context.Context) (string, error) {
	for _, iso3 := range b.gen.States {
		u := b.srv.base + "/reports/" + iso3 + "/" + b.gen.Cycles[0] + "/print"
		if _, err := fetch(ctx, b.client, http.MethodGet, u, "", nil, http.StatusOK); err == nil {
			return iso3, nil
		}
	}
	return "", errors.New("no public report")
}

// pdfs measures the national PDF in English, Arabic and Chinese next to
// warm Chromium printing the print view.
func (b *bench) pdfs(ctx context.Context) error {
	iso3, err := b.publicReport(ctx)
	if err != nil {
		return err
	}
	base := b.srv.base + "/reports/" + iso3 + "/" + b.gen.Cycles[0]
	var tab context.Context
	chromeErr := ""
	if _, err := exec.LookPath(chromiumPath()); err != nil {
		chromeErr = "no Chromium at " + chromiumPath()
	} else {
		browser, stop, err := startChromium(chromiumPath())
		if err != nil {
			chromeErr = "Chromium did not start: " + err.Error()
		} else {
			defer stop()
			tab = browser
		}
	}
	native := map[string]float64{}
	for _, lang := range []string{"en", "ar", "zh"} {
		pdfURL, printURL := base+"/report.pdf?lang="+lang, base+"/print?lang="+lang
		if _, err := fetch(ctx, b.client, http.MethodGet, pdfURL, "", nil, http.StatusOK); err != nil { // warm
			return err
		}
		if tab != nil {
			if _, err := printPDF(tab, printURL); err != nil { // warm: the first print starts the tab
				return err
			}
		}
		var mine, theirs []float64
		size := 0
		for range b.cfg.Runs {
			start := time.Now()
			for range b.cfg.PDFs {
				pdf, err := fetch(ctx, b.client, http.MethodGet, pdfURL, "", nil, http.StatusOK)
				if err != nil {
					return err
				}
				size = len(pdf)
			}
			mine = append(mine, msOf(time.Since(start))/float64(b.cfg.PDFs))
			if tab == nil {
				continue
			}
			start = time.Now()
			for range b.cfg.Chromium {
				if _, err := printPDF(tab, printURL); err != nil {
					return err
				}
			}
			theirs = append(theirs, msOf(time.Since(start))/float64(b.cfg.Chromium))
		}
		n, c := spreadOf(mine), spreadOf(theirs)
		native[lang] = n.Median
		r := row{What: fmt.Sprintf("national report PDF, %s (%s %s, public copy, %.0f KB), one after another", lang, iso3, b.gen.Cycles[0], float64(size)/1024),
			App: n.format("ms"), Runs: "native " + joinNums(mine, "ms")}
		if tab == nil {
			r.Ceiling = "warm Chromium: not measured (" + chromeErr + ")"
			b.doc.Rows = append(b.doc.Rows, r)
			continue
		}
		r.Ceiling = "warm Chromium printing the print view: " + c.format("ms")
		r.Ratio = fmt.Sprintf("%.1f× faster", c.Median/n.Median)
		r.Runs += "; Chromium " + joinNums(theirs, "ms")
		b.doc.Rows = append(b.doc.Rows, r)
		b.goal("PDF at least 15× faster than warm Chromium, "+lang, fmt.Sprintf("%.1f×", c.Median/n.Median), c.Median/n.Median >= 15)
	}
	for _, lang := range []string{"ar", "zh"} {
		ratio := native[lang] / native["en"]
		b.goal(lang+" PDF within 3× of en", fmt.Sprintf("%.2f× (%.1f ÷ %.1f ms)", ratio, native[lang], native["en"]), ratio <= 3)
	}
	return nil
}

// signedIn starts a fresh server on the database name and signs the
// secretariat in.
func (b *bench) signedIn(ctx context.Context, name string) (*server, string, error) {
	s, _, err := b.start(ctx, name)
	if err != nil {
		return nil, "", err
	}
	c, err := login(ctx, b.client, s.base, b.gen.Secretariat, demo.Password)
	if err != nil {
		s.stop()
		return nil, "", err
	}
	return s, c, nil
}

// zip measures the secretariat's ZIP of the earlier cycle, each run on a
// freshly started server, with that server's peak RSS.
func (b *bench) zip(ctx context.Context) error {
	b.srv.stop()
	var secs, rss []float64
	files, size := 0, 0
	for range b.cfg.Runs {
		s, cookie, err := b.signedIn(ctx, "main")
		if err != nil {
			return err
		}
		start := time.Now()
		body, err := fetch(ctx, b.client, http.MethodGet, s.base+"/cycles/"+b.gen.Cycles[0]+"/reports.zip", cookie, nil, http.StatusOK)
		took := time.Since(start)
		if err != nil {
			s.stop()
			return err
		}
		peak, err := s.peakRSS()
		s.stop()
		if err != nil {
			return err
		}
		zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
		if err != nil {
			return err
		}
		files, size = len(zr.File), len(body)
		secs, rss = append(secs, took.Seconds()), append(rss, peak)
	}
	t, m := spreadOf(secs), spreadOf(rss)
	b.doc.Rows = append(b.doc.Rows, row{
		What: fmt.Sprintf("secretariat's ZIP of %s: %d PDFs (%.1f MB), freshly started server, %d cores", b.gen.Cycles[0], files, float64(size)/(1<<20), runtime.NumCPU()),
		App:  t.format("s") + ", server's peak RSS " + m.format("MB"),
		Runs: joinNums(secs, "s") + "; peak RSS " + joinNums(rss, "MB")})
	b.goal(fmt.Sprintf("ZIP of 193 reports under 1.5 s (this run: %d)", files), t.format("s"), t.Median < 1.5 && files >= 193)
	return nil
}

// gaps measures the gap summary page for the secretariat, if it exists.
func (b *bench) gaps(ctx context.Context) error {
	const goalText = "Gap summary under 50 ms"
	s, cookie, err := b.signedIn(ctx, "main")
	if err != nil {
		return err
	}
	defer s.stop()
	u := s.base + "/cycles/" + b.gen.Cycles[1] + "/gaps"
	start := time.Now()
	_, err = fetch(ctx, b.client, http.MethodGet, u, cookie, nil, http.StatusOK)
	first := time.Since(start)
	if err != nil {
		if strings.Contains(err.Error(), "status 404") {
			b.doc.Rows = append(b.doc.Rows, row{What: "gap summary page (/cycles/:cycle/gaps)", Missing: "not built yet (not on this branch)"})
			b.doc.Goals = append(b.doc.Goals, goal{Goal: goalText, Result: "not measured: not built yet", Met: "—"})
			return nil
		}
		return err
	}
	rs, _ := b.compare(ctx, 1, getter(b.client, u, cookie), nil)
	p50 := spreadOf(p50s(rs))
	b.doc.Rows = append(b.doc.Rows, row{
		What: fmt.Sprintf("gap summary page of %s for the secretariat, one connection (first request on a fresh server: %.1f ms)", b.gen.Cycles[1], msOf(first)),
		App:  loadFigures(rs, "req/s"), Runs: loadRuns(rs)})
	b.goal(goalText, fmt.Sprintf("p50 %.1f ms, p99 %.1f ms; first request %.1f ms", p50.Median, spreadOf(p99s(rs)).Median, msOf(first)), p50.Median < 50)
	return nil
}

// compilation measures the conference compilation of the earlier cycle,
// if it exists: each run on a fresh copy of the generated data and a
// freshly started server, from the request to the file being ready.
func (b *bench) compilation(ctx context.Context) error {
	const goalText = "Compilation of 193 reports under 3 s, peak RSS under 200 MB"
	var secs, rss []float64
	size := 0
	for i := range b.cfg.Runs {
		name := "compilation-" + strconv.Itoa(i)
		if err := copyFile(b.pristine, b.dbPath(name)); err != nil {
			return err
		}
		s, cookie, err := b.signedIn(ctx, name)
		if err != nil {
			return err
		}
		page := s.base + "/cycles/" + b.gen.Cycles[0] + "/compilation"
		if _, err := fetch(ctx, b.client, http.MethodGet, page, cookie, nil, http.StatusOK); err != nil {
			s.stop()
			if strings.Contains(err.Error(), "status 404") {
				b.doc.Rows = append(b.doc.Rows, row{What: "conference compilation (/cycles/:cycle/compilation)", Missing: "not built yet (not on this branch)"})
				b.doc.Goals = append(b.doc.Goals, goal{Goal: goalText, Result: "not measured: not built yet", Met: "—"})
				return nil
			}
			return err
		}
		start := time.Now()
		if _, err := fetch(ctx, b.client, http.MethodPost, page, cookie, url.Values{}, http.StatusSeeOther); err != nil {
			s.stop()
			return err
		}
		var pdf []byte
		for deadline := start.Add(5 * time.Minute); ; {
			pdf, err = fetch(ctx, b.client, http.MethodGet, page+".pdf", cookie, nil, http.StatusOK)
			if err == nil || time.Now().After(deadline) || ctx.Err() != nil {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		took := time.Since(start)
		peak, perr := s.peakRSS()
		s.stop()
		if err != nil {
			return err
		}
		if perr != nil {
			return perr
		}
		size = len(pdf)
		secs, rss = append(secs, took.Seconds()), append(rss, peak)
	}
	t, m := spreadOf(secs), spreadOf(rss)
	n := len(b.gen.States) // the earlier cycle: every report submitted or published, none private
	b.doc.Rows = append(b.doc.Rows, row{
		What: fmt.Sprintf("conference compilation of %s (%d reports, %.1f MB PDF): request → file ready (polled every 20 ms), fresh server", b.gen.Cycles[0], n, float64(size)/(1<<20)),
		App:  t.format("s") + ", server's peak RSS " + m.format("MB"),
		Runs: joinNums(secs, "s") + "; peak RSS " + joinNums(rss, "MB")})
	b.goal(goalText+fmt.Sprintf(" (this run: %d)", n), t.format("s")+", peak "+m.format("MB"), t.Median < 3 && m.Median < 200 && n >= 193)
	return nil
}

// machineInfo describes this machine.
func machineInfo() machine {
	m := machine{CPUs: runtime.NumCPU(), Date: time.Now().UTC().Format("2006-01-02 15:04 UTC")}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				m.CPU = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
				m.Memory = fmt.Sprintf("%.1f GiB", kb/(1<<20))
			}
		}
	}
	if out, err := exec.Command("go", "version").Output(); err == nil {
		m.Go = strings.TrimSpace(string(out))
	}
	m.Chromium = "no Chromium"
	if out, err := exec.Command(chromiumPath(), "--version").Output(); err == nil {
		m.Chromium = strings.TrimSpace(string(out))
	}
	return m
}

// loadAvg is the 1, 5 and 15 minute load averages.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " / ") + " (1 / 5 / 15 min)"
}

// busy says what else ran: the -busy text, and the load average if the
// machine was not idle when the run began.
func busy(said string) string {
	var parts []string
	if said = strings.TrimSpace(said); said != "" {
		if !strings.HasSuffix(said, ".") {
			said += "."
		}
		parts = append(parts, said)
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) > 0 {
			if l, err := strconv.ParseFloat(f[0], 64); err == nil && l > 0.3 {
				parts = append(parts, fmt.Sprintf("Other work was running when the run began (load average %.2f on %d cores): figures are lower than on a quiet machine; a quiet run replaces them.", l, runtime.NumCPU()))
			}
		}
	}
	return strings.Join(parts, " ")
}
