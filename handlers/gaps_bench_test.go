package handlers

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/natreport/natreport/demo"
	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/models/modeltest"
	"github.com/natreport/natreport/reports"
	"github.com/natreport/natreport/surveys"
)

// generated fills db with n States' reports over three cycles: every
// question of template v1 answered, two needs and an offer each, most
// reports public and some restricted, donors-level or private.
func generated(b *testing.B, db *models.DB, n int) {
	b.Helper()
	ctx := context.Background()
	t := builtinTemplates["v1"]
	states, err := db.ListStates(ctx, "")
	if err != nil {
		b.Fatal(err)
	}
	var members []models.State
	for _, st := range states {
		if !st.Observer {
			members = append(members, st)
		}
	}
	if n > len(members) {
		b.Fatalf("%d States asked, %d exist", n, len(members))
	}
	vis := []string{models.VisibilityPublic, models.VisibilityPublic, models.VisibilityRestricted, models.VisibilityDonors, models.VisibilityPublic, models.VisibilityPrivate}
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for ci, year := range []int{2022, 2024, 2026} {
		cy := &models.Cycle{Label: fmt.Sprintf("%d-%d", year, year+1), ProcessName: "Global Mechanism",
			OpensOn: time.Date(year, 3, 1, 0, 0, 0, 0, time.UTC), DueOn: time.Date(year+1, 3, 1, 0, 0, 0, 0, time.UTC),
			ClosesOn: time.Date(year+1, 9, 1, 0, 0, 0, 0, time.UTC), TemplateVersion: "v1", ThematicEnabled: true, ThematicPriority: "Critical infrastructure"}
		if err := db.CreateCycle(ctx, cy, models.Actor{Email: "bench"}); err != nil {
			b.Fatal(err)
		}
		for si, st := range members[:n] {
			answers := map[string]surveys.Value{}
			for qi, q := range t.AllQuestions() {
				answers[q.Code] = demo.SyntheticValue(q, si+qi+ci)
			}
			r := &models.Report{StateISO3: st.ISO3, CycleID: cy.ID, Status: models.StatusPublished, Visibility: vis[(si+ci)%len(vis)],
				SubmittedAt: &now, PublishedAt: &now}
			if err := db.ImportReport(ctx, r, answers, models.Actor{Email: "bench"}); err != nil {
				b.Fatal(err)
			}
			// The registers, as submitting fills them: the kinds of
			// assistance are counted from the needs register.
			if _, err := db.SyncRegisters(ctx, r.ID, surveys.Needs(t, answers), surveys.Offers(t, answers), models.Actor{Email: "bench"}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// benchSizes are the numbers of States generated; NATREPORT_BENCH_STATES
// (e.g. "193") measures only the sizes it lists, comma-separated.
var benchSizes = func() []int {
	var sizes []int
	for f := range strings.SplitSeq(os.Getenv("NATREPORT_BENCH_STATES"), ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
			sizes = append(sizes, n)
		}
	}
	if len(sizes) == 0 {
		return []int{50, 100, 193}
	}
	return sizes
}()

// benchServer is a Server over generated data for n States.
func benchServer(b *testing.B, n int) (*Server, *app, *models.Cycle) {
	b.Helper()
	db := modeltest.OpenTest(b)
	generated(b, db, n)
	a := newAppOn(b, db)
	a.user("sec@un.example", models.RoleSecretariat, "")
	s := &Server{db: db, templates: builtinTemplates, log: slog.New(slog.NewTextHandler(io.Discard, nil)), now: time.Now}
	cy, err := db.GetCycle(context.Background(), "2026-2027")
	if err != nil {
		b.Fatal(err)
	}
	return s, a, cy
}

// BenchmarkGapSummary measures the gap summary of a cycle for the
// secretariat. cold: reading every version of the cycle and the one
// before, the answers the summary needs of the versions read, and
// computing the summary.
// cached: what a page or gap export does once that was done at the same
// data (the fingerprint query and a lookup). compute: surveys.ComputeGaps
// alone, on data already read.
func BenchmarkGapSummary(b *testing.B) {
	for _, n := range benchSizes {
		s, _, cy := benchServer(b, n)
		reader := surveys.Reader{Role: models.RoleSecretariat}
		ctx := context.Background()
		b.Run(fmt.Sprintf("cold/states-%d", n), func(b *testing.B) {
			b.ReportAllocs()
			start, ops := cpuClock(), 0
			for b.Loop() {
				ops++
				if _, err := s.readCycleCodes(ctx, reader, cy, true); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, start, ops)
		})
		b.Run(fmt.Sprintf("cached/states-%d", n), func(b *testing.B) {
			b.ReportAllocs()
			start, ops := cpuClock(), 0
			for b.Loop() {
				ops++
				if _, err := s.readGaps(ctx, reader, cy); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, start, ops)
		})
		d, err := s.readCycle(ctx, reader, cy)
		if err != nil {
			b.Fatal(err)
		}
		groups, _ := s.db.RegionalGroups(ctx)
		b.Run(fmt.Sprintf("compute/states-%d", n), func(b *testing.B) {
			b.ReportAllocs()
			start, ops := cpuClock(), 0
			for b.Loop() {
				ops++
				surveys.ComputeGaps(surveys.GapInput{Template: d.tmpl, Groups: groups, States: d.states})
			}
			reportCPU(b, start, ops)
		})
	}
}

// BenchmarkAnswersExport measures GET /cycles/2026-2027/answers.csv and
// .xlsx for the secretariat through the router: the whole request.
func BenchmarkAnswersExport(b *testing.B) {
	for _, n := range benchSizes {
		_, a, _ := benchServer(b, n)
		c := a.login("sec@un.example")
		for _, ext := range []string{"csv", "xlsx"} {
			b.Run(fmt.Sprintf("%s/states-%d", ext, n), func(b *testing.B) {
				b.ReportAllocs()
				start, ops := cpuClock(), 0
				for b.Loop() {
					ops++
					w := c.get("/cycles/2026-2027/answers." + ext)
					if w.Code != http.StatusOK || w.Body.Len() < 1000 {
						b.Fatalf("%d, %d bytes", w.Code, w.Body.Len())
					}
				}
				reportCPU(b, start, ops)
			})
		}
	}
}

// BenchmarkCompilationCycle measures building the compilation of a cycle
// for the secretariat, as the background job does (reading, chapters,
// every readable report as an annex), writing to a discarding writer. It
// reports the peak heap in use, sampled after every fifth annex, and the
// process's resident memory: before each build (the generated data, the
// test binary) and its high-water mark during the build (Linux: the mark
// is reset before each build, see resetPeakRSS).
func BenchmarkCompilationCycle(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("states-%d", n), func(b *testing.B) {
			s, _, cy := benchServer(b, n)
			b.ReportAllocs()
			var peak uint64
			var rssBefore, rssPeak float64
			start, ops := cpuClock(), 0
			for b.Loop() {
				ops++
				runtime.GC()
				debug.FreeOSMemory()
				before, hwm := resetPeakRSS(b)
				rssBefore = max(rssBefore, before)
				ctx := context.Background()
				d, err := s.readCycle(ctx, compilationReader, cy)
				if err != nil {
					b.Fatal(err)
				}
				annexes := d.shared()
				comp := s.compilation(ctx, d, annexes, time.Now())
				var ms runtime.MemStats
				comp.Progress = func(done int) {
					if done%5 == 0 || done == len(annexes) {
						runtime.ReadMemStats(&ms)
						peak = max(peak, ms.HeapInuse)
					}
				}
				if err := reports.WriteCompilation(io.Discard, comp); err != nil {
					b.Fatal(err)
				}
				rssPeak = max(rssPeak, hwm())
			}
			reportCPU(b, start, ops)
			b.ReportMetric(float64(peak)/1e6, "MB-peak-heap")
			b.ReportMetric(rssBefore, "MB-rss-before")
			b.ReportMetric(rssPeak, "MB-peak-rss")
		})
	}
}

// cpuClock reads the CPU time this process used (user and system), so
// that benchmarks on a shared machine can report the work done apart from
// the time spent waiting for a core.
func cpuClock() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the CPU time per operation since start, in ms.
func reportCPU(b *testing.B, start time.Duration, ops int) {
	if ops > 0 {
		b.ReportMetric(float64(cpuClock()-start)/float64(ops)/1e6, "cpu-ms/op")
	}
}

// resetPeakRSS returns the process's resident memory now, in MB, and a
// function that returns its high-water mark since this call. It resets the
// kernel's mark (VmHWM) by writing 5 to /proc/self/clear_refs; where that
// is not possible the benchmark is skipped rather than report a mark that
// includes earlier work.
func resetPeakRSS(b *testing.B) (float64, func() float64) {
	b.Helper()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Skipf("cannot reset the peak resident memory: %v", err)
	}
	return procStatusMB(b, "VmRSS:"), func() float64 { return procStatusMB(b, "VmHWM:") }
}

// procStatusMB reads a kB field of /proc/self/status, in MB.
func procStatusMB(b *testing.B, field string) float64 {
	b.Helper()
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(line, field); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb / 1024
		}
	}
	b.Fatalf("no %s in /proc/self/status", field)
	return 0
}
