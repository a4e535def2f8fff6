package reports

import (
	"bytes"
	"flag"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/natreport/natreport/surveys"
)

var (
	update = flag.Bool("update", false, "rewrite the golden files in testdata/")
	keep   = flag.String("keep", "", "also write the generated PDFs and rendered pages to this directory")
)

var langs = []string{"ar", "zh", "en", "fr", "ru", "es"}

// needTool returns the path of an external tool; without it the test is
// skipped, except in CI where every tool must be installed.
func needTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required when CI=true: %v", name, err)
		}
		t.Skipf("%s is not installed", name)
	}
	return path
}

// tool runs an external tool and returns its standard output.
func tool(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(needTool(t, name), args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out, stderr.Bytes())
	}
	return string(out)
}

// writeReport renders d and writes it to a file named name.pdf.
func writeReport(t *testing.T, d Document, name string) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteNationalReport(&buf, d); err != nil {
		t.Fatalf("WriteNationalReport: %v", err)
	}
	dir := t.TempDir()
	if *keep != "" {
		dir = *keep
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, buf.Bytes()
}

// pages returns the text of each page of a PDF.
func pages(t *testing.T, path string, args ...string) []string {
	t.Helper()
	text := tool(t, "pdftotext", append(args, path, "-")...)
	return strings.Split(text, "\f")
}

func TestNationalReportGolden(t *testing.T) {
	for _, lang := range langs {
		t.Run(lang, func(t *testing.T) {
			d := testDocument(lang)
			path, first := writeReport(t, d, "national_"+lang)
			var again bytes.Buffer
			if err := WriteNationalReport(&again, d); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first, again.Bytes()) {
				t.Error("two renderings of the same document differ")
			}

			got := tool(t, "pdftotext", "-layout", path, "-")
			golden := filepath.Join("testdata", "national_"+lang+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./reports/ -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("pdftotext -layout differs from %s (run with -update if the change is intended)\n%s", golden, firstDiff(string(want), got))
			}

			check := tool(t, "qpdf", "--check", path)
			if !strings.Contains(check, "No syntax or stream encoding errors") || strings.Contains(strings.ToLower(check), "warning") {
				t.Errorf("qpdf --check:\n%s", check)
			}

			fonts := pdfFonts(t, path)
			for name, emb := range fonts {
				if !emb {
					t.Errorf("font %s is not embedded", name)
				}
			}
			has := func(sub string) bool {
				for name := range fonts {
					if strings.Contains(strings.ToLower(name), sub) {
						return true
					}
				}
				return false
			}
			wantCJK, wantNaskh := lang == "zh", lang == "ar"
			if has("droid") != wantCJK {
				t.Errorf("fonts %v: Droid Sans Fallback present = %v, want %v", fonts, has("droid"), wantCJK)
			}
			if has("naskh") != wantNaskh {
				t.Errorf("fonts %v: Noto Naskh Arabic present = %v, want %v", fonts, has("naskh"), wantNaskh)
			}
			if !has("notosans") {
				t.Errorf("fonts %v: Noto Sans missing", fonts)
			}
			// Bold is drawn with the regular fonts: only those are embedded,
			// reduced, and named as subsets.
			subset := regexp.MustCompile(`^[A-Z]{6}\+(NotoSans-Regular|NotoNaskhArabic-Regular|DroidSansFallbackFull)$`)
			for name := range fonts {
				if !subset.MatchString(name) {
					t.Errorf("fonts %v: %s is not a subset of one of the regular fonts", fonts, name)
				}
			}
		})
	}
}

// firstDiff shows the first line where two texts differ.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\nwant: " + a + "\n got: " + b
		}
	}
	return ""
}

// pdfFonts returns the fonts pdffonts lists, with whether each is embedded.
func pdfFonts(t *testing.T, path string) map[string]bool {
	t.Helper()
	out := tool(t, "pdffonts", path)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 3 {
		t.Fatalf("pdffonts lists no font:\n%s", out)
	}
	// The "emb" column starts where its header does.
	col := strings.Index(lines[0], "emb")
	fonts := map[string]bool{}
	for _, l := range lines[2:] {
		if len(l) < col+3 {
			t.Fatalf("unexpected pdffonts line %q", l)
		}
		fonts[strings.Fields(l)[0]] = l[col:col+3] == "yes"
	}
	return fonts
}

func TestNationalReportRendersPages(t *testing.T) {
	for _, lang := range []string{"ar", "zh"} {
		t.Run(lang, func(t *testing.T) {
			path, _ := writeReport(t, testDocument(lang), "render_"+lang)
			// The body page with the long answer of I.1.3.
			body := 0
			for i, p := range pages(t, path) {
				if strings.Contains(p, "I.1.3") {
					body = i + 1
				}
			}
			if body == 0 {
				t.Fatal("no page shows question I.1.3")
			}
			for _, page := range []int{1, body} {
				dir := t.TempDir()
				if *keep != "" {
					dir = *keep
				}
				prefix := filepath.Join(dir, lang+"-page"+strconv.Itoa(page))
				n := strconv.Itoa(page)
				tool(t, "pdftoppm", "-png", "-r", "50", "-f", n, "-l", n, "-singlefile", path, prefix)
				f, err := os.Open(prefix + ".png")
				if err != nil {
					t.Fatal(err)
				}
				img, err := png.Decode(f)
				f.Close()
				if err != nil {
					t.Fatal(err)
				}
				b := img.Bounds()
				ink := 0
				for y := b.Min.Y; y < b.Max.Y; y++ {
					for x := b.Min.X; x < b.Max.X; x++ {
						r, g, bl, _ := img.At(x, y).RGBA()
						if r < 0xE000 || g < 0xE000 || bl < 0xE000 {
							ink++
						}
					}
				}
				if share := float64(ink) / float64(b.Dx()*b.Dy()); share < 0.01 {
					t.Errorf("page %d is nearly blank: %.2f%% of pixels have ink", page, 100*share)
				}
			}
		})
	}
}

func TestArabicExtractedText(t *testing.T) {
	path, _ := writeReport(t, testDocument("ar"), "extract_ar")
	raw := strings.Join(pages(t, path), "\n")
	// The ToUnicode map of the Arabic font gives back the letters typed,
	// not the presentation forms drawn, and pdftotext puts right-to-left
	// lines in reading order: the words are found as typed.
	for _, r := range raw {
		if _, ok := logicalOf[r]; ok && r != lamMark {
			t.Fatalf("extracted text has the presentation form %04X", r)
		}
	}
	// pdftotext marks direction with embedding controls and may move a
	// space across them: drop the controls and compare words.
	text := stripBidiMarks(raw)
	for _, want := range []string{"القانون الدولي", "جمهورية إكزامبليا", "الاتصالات", "الآلية العالمية", "إمكانية الاطلاع",
		"التقرير الوطني", "2021", "FIRST", "https://www.example.org/strategy-2021.pdf"} {
		if !strings.Contains(text, want) {
			t.Errorf("extracted text lacks %q", want)
		}
	}
	if !strings.Contains(plainText(text), "فريق CERT الوطني") {
		t.Error("extracted text lacks the words فريق CERT الوطني in reading order")
	}
}

// typedArabic is a sentence as a focal point types it, with lam-alef
// ligatures of every kind (لا، لأ، لإ، لآ). pdftotext orders a line by a
// simple rule of its own: on a left-to-right page, a run of right-to-left
// letters is read right to left, but neutral characters between runs
// (punctuation at the end of an Arabic line, Latin words, digits) keep
// their visual place, whatever the PDF says. The sentence tested in every
// copy is therefore letters and spaces; TestArabicExtractedText checks
// mixed text on Arabic pages.
const typedArabic = "تتولى الهيئة الوطنية للأمن السيبراني تنسيق الاستجابة للحوادث مع الإدارات المعنية بلا انقطاع وفق الآلية المعتمدة لإدارة المخاطر"

// TestTypedArabicFound checks that a sentence typed in Arabic can be found
// in the text pdftotext extracts from every copy of a report, whatever its
// language, even where the sentence wraps.
func TestTypedArabicFound(t *testing.T) {
	for _, lang := range []string{"ar", "en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			d := testDocument(lang)
			d.Answers["I.1.3"] = surveys.Value{Text: typedArabic}
			path, _ := writeReport(t, d, "typed_"+lang)
			for _, mode := range [][]string{nil, {"-layout"}} {
				text := strings.Join(strings.Fields(stripBidiMarks(strings.Join(pages(t, path, mode...), " "))), " ")
				if !strings.Contains(text, typedArabic) {
					t.Errorf("pdftotext %v does not find the sentence typed:\n%s", mode, text)
				}
			}
		})
	}
}

func TestDraftMark(t *testing.T) {
	tests := []struct {
		lang  string
		draft bool
		mark  string
	}{
		{"en", true, "DRAFT: for internal coordination"},
		{"en", false, "DRAFT:"},
		{"fr", true, "PROJET : pour coordination interne"},
		{"ar", true, "مسودة: للتنسيق الداخلي"},
		{"ar", false, "للتنسيق الداخلي"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+strconv.FormatBool(tt.draft), func(t *testing.T) {
			d := testDocument(tt.lang)
			d.Meta.Draft = tt.draft
			path, _ := writeReport(t, d, "draft_"+tt.lang+"_"+strconv.FormatBool(tt.draft))
			// The mark is rotated: pdftotext -raw gives the characters of
			// a left-to-right mark in drawing order, one per line. An
			// Arabic mark carries the text typed (actualtext.go), which
			// pdftotext gives in its default mode.
			mark := squeeze(tt.mark)
			ps := pages(t, path, "-raw")
			if tt.lang == "ar" {
				ps = pages(t, path)
			}
			ps = ps[:len(ps)-1] // after the last form feed
			for i, p := range ps {
				got := strings.Count(squeeze(p), mark)
				if tt.draft && got != 1 {
					t.Errorf("page %d shows the draft mark %d times, want once", i+1, got)
				}
				if !tt.draft && got != 0 {
					t.Errorf("page %d shows %q without Draft", i+1, tt.mark)
				}
			}
		})
	}
}

func TestLinks(t *testing.T) {
	path, pdf := writeReport(t, testDocument("en"), "links_en")
	for _, uri := range []string{
		"/URI (https://www.example.org/strategy-2021.pdf)",
		"/URI (https://laws.example.org/examplia/2010/12)",
		"/URI (https://laws.example.org/examplia/2013/27)",
		"/URI (mailto:poc@cert.example.org)",
	} {
		if !bytes.Contains(pdf, []byte(uri)) {
			t.Errorf("PDF has no link %s", uri)
		}
	}
	// Every table-of-contents entry links to its page: 1 overview, 5 parts,
	// 7 sections.
	if n := len(regexp.MustCompile(`/Subtype /Link [^>]*/Dest \[`).FindAll(pdf, -1)); n != 13 {
		t.Errorf("PDF has %d internal links, want 13", n)
	}
	check := tool(t, "qpdf", "--json", "--json-key=outlines", path)
	for _, title := range []string{"Contents", "Overview", "II Norms", "II.g Norm (g): protect critical infrastructure", "IV.1 Needs and offers"} {
		if !strings.Contains(check, `"title": "`+title+`"`) {
			t.Errorf("no bookmark %q in outlines:\n%s", title, check)
		}
	}
}

func TestContentsPageNumbers(t *testing.T) {
	for _, lang := range []string{"en", "fr", "ru", "es", "zh"} {
		t.Run(lang, func(t *testing.T) {
			d := testDocument(lang)
			path, _ := writeReport(t, d, "toc_"+lang)
			ps := pages(t, path, "-layout")
			toc := ps[1]
			checked := 0
			for _, part := range d.Template.Parts {
				entries := [][2]string{{part.Code, part.Title.In(lang)}}
				for _, s := range part.Sections {
					entries = append(entries, [2]string{s.Code, s.Title.In(lang)})
				}
				for _, e := range entries {
					code, title := regexp.QuoteMeta(e[0]), regexp.QuoteMeta(e[1])
					m := regexp.MustCompile(`(?m)^\s*` + code + `\s+` + title + `[\s.]*?(\d+)\s*$`).FindStringSubmatch(toc)
					if m == nil {
						t.Errorf("contents have no entry for %s %s:\n%s", e[0], e[1], toc)
						continue
					}
					page, _ := strconv.Atoi(m[1])
					if page < 1 || page > len(ps) {
						t.Errorf("%s points to page %d of %d", e[0], page, len(ps))
						continue
					}
					heading := regexp.MustCompile(`(?m)^\s*` + code + `\s+` + title + `\s*$`)
					if !heading.MatchString(ps[page-1]) {
						t.Errorf("contents say %s %q starts on page %d, but its heading is not there", e[0], e[1], page)
					}
					if page > 1 && heading.MatchString(ps[page-2]) && page-1 != 2 {
						t.Errorf("%s %q already starts on page %d", e[0], e[1], page-1)
					}
					checked++
				}
			}
			if checked != 12 {
				t.Errorf("checked %d entries, want 12", checked)
			}
		})
	}
}

func TestThematicPartsOptional(t *testing.T) {
	d := testDocument("en")
	d.Meta.Thematic = false
	path, _ := writeReport(t, d, "thematic_off_en")
	text := strings.Join(pages(t, path), "")
	if strings.Contains(text, "Thematic priority") || regexp.MustCompile(`(^|[^I])V\.1\.1`).MatchString(text) {
		t.Error("thematic part drawn although Meta.Thematic is false")
	}
	if !strings.Contains(text, "Capacity-building") {
		t.Error("regular parts missing")
	}
}

func TestNationalReportNeedsTemplate(t *testing.T) {
	if err := WriteNationalReport(&bytes.Buffer{}, Document{Lang: "en"}); err == nil {
		t.Error("no error without a template")
	}
}

// stripBidiMarks removes the embedding and isolate controls pdftotext adds.
func stripBidiMarks(s string) string {
	return strings.Map(func(r rune) rune {
		if (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) {
			return -1
		}
		return r
	}, s)
}

// squeeze removes white space and bidi controls.
func squeeze(s string) string {
	return strings.Join(strings.Fields(stripBidiMarks(s)), "")
}

func TestNationalReportOddInput(t *testing.T) {
	d := testDocument("ar")
	huge := strings.Repeat(answerTexts["ar"].long+" ", 60) // taller than a page
	d.Answers["II.g.4"] = surveys.Value{Rows: []map[string]string{{"title": huge, "scope": strings.Repeat("x", 3000)}}}
	d.Answers["I.1.3"] = surveys.Value{Text: "emoji 🙂, control \x07 chars, \u202Eoverride\u202C, " + strings.Repeat("W", 400)}
	d.Answers["0.1.1"] = surveys.Value{}
	d.Template.Parts = append(d.Template.Parts, surveys.Part{Code: "X"})
	d.Meta.Generated = time.Time{}
	path, _ := writeReport(t, d, "odd_ar")
	check := tool(t, "qpdf", "--check", path)
	if !strings.Contains(check, "No syntax or stream encoding errors") {
		t.Errorf("qpdf --check:\n%s", check)
	}
}

// TestNotSharedApartFromUnanswered checks that a copy for readers who may
// not see every answer says which questions are not shared with them,
// apart from the unanswered ones, and that the State's and secretariat's
// copies never do.
func TestNotSharedApartFromUnanswered(t *testing.T) {
	for _, tt := range []struct {
		aud       string
		notShared bool
	}{
		{surveys.AudDonors, true},
		{surveys.AudPublic, true},
		{surveys.AudSecretariat, false},
		{surveys.AudState, false},
	} {
		t.Run(tt.aud, func(t *testing.T) {
			d := testDocument("en")
			d.Meta.Audience = tt.aud
			d.Answers = d.Template.ForAudience(tt.aud, d.Answers)
			path, _ := writeReport(t, d, "notshared_"+tt.aud)
			text := strings.Join(strings.Fields(strings.Join(pages(t, path), " ")), " ")
			l := labelsFor("en")
			if got := strings.Contains(text, l.Answer[withheldKey]); got != tt.notShared {
				t.Errorf("legend shows %q: %v, want %v", l.Answer[withheldKey], got, tt.notShared)
			}
			if got := strings.Contains(text, "not shared with you:"); got != tt.notShared {
				t.Errorf("sections say what is not shared: %v, want %v", got, tt.notShared)
			}
		})
	}
	// Donors see part I as not shared, not as empty.
	d := testDocument("en")
	d.Meta.Audience = surveys.AudDonors
	d.Answers = d.Template.ForAudience(surveys.AudDonors, d.Answers)
	r := newNational(d)
	counts := r.normCounts()
	for nk, c := range counts {
		if c[""] != 0 {
			t.Errorf("donors' copy counts %d unanswered for norm (%s); hidden answers must count as not shared", c[""], nk)
		}
	}
}
