package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

// testCompilation has one chapter with a chart and a table, one of text
// blocks, and n annexes drawn from testDocument under distinct names.
func testCompilation(lang string, n int, annex func(int) Document) Compilation {
	c := Compilation{
		Lang: lang, Title: "Conference compilation", Subtitle: "Global Mechanism 2026-2027",
		Note: "Made of the reports the secretariat may read.", ContentsH: "Contents", AnnexesH: "Annexes: the national reports",
		ProcessName: "Global Mechanism", Cycle: "2026-2027", Generated: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC),
		Chapters: []Chapter{
			{Title: "Participation per regional group", Intro: "No score, rank or league table.",
				Charts: []Chart{{Title: "Reports per group", Keys: []string{"Shared", "Not shared with you", "No report"},
					Parts: []string{"shared", "not_shared", "no_report"},
					Bars:  []ChartBar{{Label: "African Group", Counts: []int{17, 3, 34}}, {Label: "Asia-Pacific Group", Counts: []int{0, 0, 54}}}}},
				Tables: []Table{{Caption: "Participation table", Header: []string{"Group", "Shared", "Not shared", "None"},
					Rows: [][]string{{"African Group", "17", "3", "34"}, {"Asia-Pacific Group", "0", "0", "54"}}}}},
			{Title: "Thematic priority", Blocks: []Block{{Heading: "Exampleland", Lines: [][2]string{{"V.a.1 Measures?", "Partly: a plan for 2027"}}}}},
		},
		Annex: func(i int) (Document, error) { return annex(i), nil },
	}
	for i := range n {
		c.AnnexTitles = append(c.AnnexTitles, fmt.Sprintf("Annex %d: State %03d", i+1, i+1))
	}
	return c
}

// tempPDF writes data to name.pdf in a temporary directory.
func tempPDF(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name+".pdf")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func namedDocument(lang string) func(int) Document {
	return func(i int) Document {
		d := testDocument(lang)
		d.Meta.StateName = fmt.Sprintf("State %03d", i+1)
		return d
	}
}

func TestCompilationPDF(t *testing.T) {
	var done []int
	c := testCompilation("en", 3, namedDocument("en"))
	c.Progress = func(n int) { done = append(done, n) }
	var buf bytes.Buffer
	if err := WriteCompilation(&buf, c); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(done) != "[1 2 3]" {
		t.Errorf("progress %v", done)
	}
	path := tempPDF(t, "compilation", buf.Bytes())
	ps := pages(t, path, "-layout")
	all := squeeze(strings.Join(ps, " "))
	for _, want := range []string{"Conference compilation", "Contents", "Participation per regional group", "African Group 17 3 34",
		"Thematic priority", "Exampleland", "Partly: a plan for 2027", "Annexes: the national reports",
		"Annex 1: State 001", "Annex 3: State 003", "State 002"} {
		if !strings.Contains(all, squeeze(want)) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	// The contents page lists every annex with the page of its cover.
	for i := 1; i <= 3; i++ {
		title := fmt.Sprintf("Annex %d: State %03d", i, i)
		line := ""
		for _, l := range strings.Split(ps[1], "\n") {
			if strings.Contains(l, title) {
				line = l
			}
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			t.Errorf("contents lack %s", title)
			continue
		}
		var page int
		fmt.Sscan(f[len(f)-1], &page)
		if page < 2 || page > len(ps) || !strings.Contains(squeeze(ps[page-1]), fmt.Sprintf("State%03d", i)) {
			t.Errorf("%s points to page %d", title, page)
		}
	}
	// One bookmark per State, with the report's own bookmarks under it.
	outline := tool(t, "qpdf", "--json", "--json-key=outlines", path)
	for i := 1; i <= 3; i++ {
		if !strings.Contains(outline, fmt.Sprintf(`"title": "Annex %d: State %03d"`, i, i)) {
			t.Errorf("no bookmark for annex %d", i)
		}
	}
	if strings.Count(outline, `"title": "Overview"`) != 3 {
		t.Errorf("want one Overview bookmark per annex")
	}
	tool(t, "qpdf", "--check", path)
}

func TestCompilationArabic(t *testing.T) {
	c := testCompilation("ar", 1, namedDocument("ar"))
	c.Title = "التجميع الخاص بالمؤتمر"
	var buf bytes.Buffer
	if err := WriteCompilation(&buf, c); err != nil {
		t.Fatal(err)
	}
	path := tempPDF(t, "ar", buf.Bytes())
	// pdftotext gives presentation forms; NFKC maps them back to letters.
	if text := squeeze(norm.NFKC.String(strings.Join(pages(t, path), " "))); !strings.Contains(text, squeeze("التجميع الخاص بالمؤتمر")) {
		t.Errorf("Arabic title not extracted")
	}
}

func TestCompilationAnnexError(t *testing.T) {
	c := testCompilation("en", 2, namedDocument("en"))
	c.Annex = func(i int) (Document, error) {
		if i == 1 {
			return Document{}, fmt.Errorf("boom")
		}
		return testDocument("en"), nil
	}
	if err := WriteCompilation(&bytes.Buffer{}, c); err == nil || err.Error() != "boom" {
		t.Errorf("err = %v, want the loader's", err)
	}
}

// BenchmarkCompilation draws compilations of 50, 100 and 193 annexes of
// the big test report (about 150 answered questions each) and reports
// the peak heap seen between annexes.
func BenchmarkCompilation(b *testing.B) {
	for _, n := range []int{50, 100, 193} {
		b.Run(fmt.Sprintf("states-%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var peak uint64
			for b.Loop() {
				runtime.GC()
				c := testCompilation("en", n, func(int) Document { return bigDocument("en") })
				var ms runtime.MemStats
				c.Progress = func(done int) {
					if done%10 == 0 || done == n {
						runtime.ReadMemStats(&ms)
						peak = max(peak, ms.HeapInuse)
					}
				}
				var w countingWriter
				if err := WriteCompilation(&w, c); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(w.n)/1e6, "MB-file")
			}
			b.ReportMetric(float64(peak)/1e6, "MB-peak-heap")
		})
	}
}

type countingWriter struct{ n int }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

// TestCompilationMemoryBounded: the annexes' pages are written out group
// by group, so the live heap after the last annex is not larger than after
// the first group by more than what the whole document keeps per page (its
// bookmarks, page numbers and running heads: a few hundred bytes a page).
func TestCompilationMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("draws 64 annexes")
	}
	const n = 64
	c := testCompilation("en", n, namedDocument("en"))
	var first, last uint64
	c.Progress = func(done int) {
		if done != annexesPerDoc && done != n {
			return
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if done == annexesPerDoc {
			first = ms.HeapAlloc
		} else {
			last = ms.HeapAlloc
		}
	}
	var w countingWriter
	if err := WriteCompilation(&w, c); err != nil {
		t.Fatal(err)
	}
	growth := int64(last) - int64(first)
	t.Logf("live heap after %d annexes: %.1f MB, after %d: %.1f MB; file %.1f MB", annexesPerDoc, float64(first)/1e6, n, float64(last)/1e6, float64(w.n)/1e6)
	if growth > 2<<20 {
		t.Errorf("the live heap grew by %.1f MB over %d annexes: drawn pages are kept", float64(growth)/1e6, n-annexesPerDoc)
	}
}

// TestCompilationJoined: annexes drawn in several groups and joined make
// one valid file, the same bytes every time, with each font embedded once
// and contents, bookmarks and page numbers right across the groups.
func TestCompilationJoined(t *testing.T) {
	const n = 2*annexesPerDoc + 3
	c := testCompilation("en", n, namedDocument("en"))
	var first, again bytes.Buffer
	if err := WriteCompilation(&first, c); err != nil {
		t.Fatal(err)
	}
	if err := WriteCompilation(&again, c); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), again.Bytes()) {
		t.Error("two compilations of the same data differ")
	}
	path := tempPDF(t, "joined", first.Bytes())
	tool(t, "qpdf", "--check", path)
	fonts := strings.Split(strings.TrimSpace(tool(t, "pdffonts", path)), "\n")[2:]
	if len(fonts) != 1 || !strings.Contains(fonts[0], "NotoSans-Regular") || !strings.Contains(fonts[0], "CID TrueType      Identity-H       yes yes yes") {
		t.Errorf("want NotoSans embedded once, as a subset with a ToUnicode map:\n%s", strings.Join(fonts, "\n"))
	}
	ps := pages(t, path, "-layout")
	if len(ps) > 0 && strings.TrimSpace(ps[len(ps)-1]) == "" {
		ps = ps[:len(ps)-1]
	}
	total := len(ps)
	for i, p := range ps {
		if want := fmt.Sprintf("Page %d of %d", i+1, total); !strings.Contains(p, want) {
			t.Fatalf("page %d lacks %q", i+1, want)
		}
	}
	outline := tool(t, "qpdf", "--json", "--json-key=outlines", path)
	var tree struct {
		Outlines []struct {
			Title string
			Page  int `json:"destpageposfrom1"`
		}
	}
	if err := json.Unmarshal([]byte(outline), &tree); err != nil {
		t.Fatal(err)
	}
	bookmarks := map[string]int{}
	for _, o := range tree.Outlines {
		bookmarks[o.Title] = o.Page
	}
	for i := 1; i <= n; i++ {
		title := fmt.Sprintf("Annex %d: State %03d", i, i)
		var page int
		for _, l := range strings.Split(ps[1]+ps[2], "\n") {
			if f := strings.Fields(l); strings.Contains(l, title) && len(f) > 0 {
				fmt.Sscan(f[len(f)-1], &page)
			}
		}
		if page < 2 || page > total || !strings.Contains(ps[page-1], fmt.Sprintf("State %03d", i)) || !strings.Contains(ps[page-1], "National report") {
			t.Errorf("%s listed at page %d", title, page)
		}
		if i > 1 && !strings.Contains(ps[page-1], title) {
			t.Errorf("page %d lacks the running head %q", page, title)
		}
		if got := bookmarks[title]; got != page {
			t.Errorf("bookmark %s points at page %d, want %d", title, got, page)
		}
	}
	if got := strings.Count(outline, `"title": "Overview"`); got != n {
		t.Errorf("%d Overview bookmarks, want %d", got, n)
	}
}

// TestCompilationNoAnnexes: a cycle without a readable report still makes
// a valid compilation of its front matter.
func TestCompilationNoAnnexes(t *testing.T) {
	c := testCompilation("zh", 0, nil)
	var buf bytes.Buffer
	if err := WriteCompilation(&buf, c); err != nil {
		t.Fatal(err)
	}
	path := tempPDF(t, "empty", buf.Bytes())
	tool(t, "qpdf", "--check", path)
	if text := strings.Join(pages(t, path), " "); !strings.Contains(text, "Annexes: the national reports") {
		t.Errorf("no annexes heading:\n%s", text)
	}
}
