package reports

import (
	"bytes"
	"math"
	"math/rand/v2"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	"github.com/natreport/natreport/surveys"
	"golang.org/x/text/unicode/bidi"
)

// The tests here check the shortcuts WriteNationalReport takes for speed
// against what fpdf does itself: widths from tables, fonts registered
// reduced, page contents compressed after fpdf.

// fixtures returns the documents the tests render, in every language.
func fixtures() map[string]Document {
	docs := map[string]Document{}
	for _, lang := range langs {
		docs[lang] = testDocument(lang)
		docs[lang+"/big"] = bigDocument(lang)
		odd := testDocument(lang)
		odd.Meta.Draft = true
		odd.Answers["I.1.3"] = surveys.Value{Text: "emoji 🙂, control \x07 chars, \u202Eoverride\u202C, \u0627\u064e\u0644\u0652 نُشر\tx\u00a0y"}
		odd.Answers["II.g.4"] = surveys.Value{Rows: []map[string]string{{"title": strings.Repeat(answerTexts[lang].long+" ", 8)}}}
		docs[lang+"/odd"] = odd
	}
	return docs
}

// raw renders d and returns the PDF as fpdf outputs it, page contents
// uncompressed, and whether the reduced fonts missed a character.
func raw(t *testing.T, d Document, wholeFonts bool) ([]byte, bool) {
	t.Helper()
	r := newNational(d)
	if wholeFonts {
		r.runes = nil
	}
	r.build()
	var b bytes.Buffer
	if err := r.output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), r.missed
}

// TestWidthsAreFpdfs checks the advance tables against fpdf measuring the
// characters itself, for every BMP character, in every font, at the sizes
// the report uses.
func TestWidthsAreFpdfs(t *testing.T) {
	p := newPainter(fpdf.New("P", "mm", "A4", ""), false, 1)
	for id := range numFonts {
		s := fontSpecs[id]
		pdf := fpdf.New("P", "mm", "A4", "")
		pdf.AddUTF8FontFromBytes(s.family, s.style, s.data)
		f := faceSans
		switch s.family {
		case "naskh":
			f = faceNaskh
		case "droidfallback":
			f = faceCJK
		}
		if f.font() != id {
			t.Fatalf("font %d is not %v", id, f)
		}
		bad := 0
		for _, size := range []float64{7.5, 9.5, 26} {
			pdf.SetFont(s.family, s.style, size)
			st := tstyle{size: size}
			for r := rune(0); r <= 0xFFFF; r++ {
				if r >= 0xD800 && r <= 0xDFFF {
					continue // not a character
				}
				if f == faceNaskh && isMark(r) {
					if _, ok := markInk(r); ok {
						continue // drawn over the letter before, on purpose
					}
				}
				want := pdf.GetStringWidth(string(r))
				if got := p.width(r, f, st); math.Abs(got-want) > 1e-9*max(1, want) && bad < 10 {
					t.Errorf("%s%s %.1f pt: width of U+%04X = %v, fpdf says %v", s.family, s.style, size, r, got, want)
					bad++
				}
			}
		}
	}
}

// TestReducedFontsCutAlike checks that the subset fpdf cuts from a reduced
// font is the one it cuts from the whole font, byte for byte.
func TestReducedFontsCutAlike(t *testing.T) {
	var text strings.Builder
	for _, d := range fixtures() {
		text.WriteString(string(documentRunesList(documentRunes(d, labelsFor(d.Lang)))))
	}
	all := []rune(text.String())
	rng := rand.New(rand.NewPCG(1, 2))
	for id := range numFonts {
		s := fontSpecs[id]
		ft := fontTables(id)
		if ft == nil {
			t.Fatalf("%s%s: tables not read", s.family, s.style)
		}
		// Cuts of the characters of the fixtures, and of random ones.
		cuts := []string{string(all), "", "Aé€"}
		for range 3 {
			var b strings.Builder
			for range 300 {
				b.WriteRune(rune(rng.IntN(0xFFFE) + 1))
			}
			cuts = append(cuts, b.String())
		}
		for i, cut := range cuts {
			var set runeSet
			for _, r := range cut {
				set.add(r)
			}
			reduced := ft.subset(&set)
			want := fpdf.UTF8CutFont(s.data, cut)
			got := fpdf.UTF8CutFont(reduced, cut)
			if !bytes.Equal(got, want) {
				t.Errorf("%s%s, cut %d: the subset of the reduced font (%d bytes) differs from the whole font's (%d bytes)",
					s.family, s.style, i, len(got), len(want))
			}
			if len(reduced) >= len(s.data) && i == 0 {
				t.Errorf("%s%s: reduced font of %d bytes, the whole is %d", s.family, s.style, len(reduced), len(s.data))
			}
			// Only the glyphs needed are kept: fpdf reads every glyph's
			// metrics and offset.
			if r := parseSfnt(reduced); r == nil || r.numGlyphs > utf8.RuneCountInString(cut)+256+1 {
				t.Errorf("%s%s, cut %d: reduced font has more glyphs than the characters need", s.family, s.style, i)
			}
		}
	}
}

func documentRunesList(s *runeSet) []rune {
	var rs []rune
	for r := rune(1); r <= 0xFFFF; r++ {
		if s.has(r) && (r < 0xD800 || r > 0xDFFF) {
			rs = append(rs, r)
		}
	}
	return rs
}

var (
	fontRefRE = regexp.MustCompile(`/F([0-9a-f]{40}) (\d+) 0 R`)
	fontIDRE  = regexp.MustCompile(`/F[0-9a-f]{40}`)
)

// normalizeFontIDs replaces fpdf's font IDs (a hash of the font's widths,
// which differ between a reduced and a whole font) by the fonts' names, and
// sorts the font resource dictionary, which fpdf sorts by ID.
func normalizeFontIDs(t *testing.T, pdf []byte) string {
	t.Helper()
	s := string(pdf)
	names := map[string]string{}
	for _, m := range fontRefRE.FindAllStringSubmatch(s, -1) {
		obj := regexp.MustCompile(`(?m)^` + m[2] + ` 0 obj\n<</Type /Font\n/Subtype /Type0\n/BaseFont /(\S+)`).FindStringSubmatch(s)
		if obj == nil {
			t.Fatalf("font object %s not found", m[2])
		}
		names[m[1]] = "/F<" + obj[1] + ">"
	}
	s = fontIDRE.ReplaceAllStringFunc(s, func(id string) string {
		if n, ok := names[id[2:]]; ok {
			return n
		}
		t.Fatalf("unknown font ID %s", id)
		return ""
	})
	start := strings.Index(s, "/Font <<\n")
	end := strings.Index(s[start:], ">>\n")
	lines := strings.Split(s[start+len("/Font <<\n"):start+end], "\n")
	slices.Sort(lines)
	return s[:start] + strings.Join(lines, "\n") + s[start+end:]
}

// TestReducedFontsDrawAlike renders every fixture with reduced fonts and
// with whole fonts: apart from fpdf's font IDs, the PDFs are the same bytes,
// so the embedded subsets, their widths and glyph maps are too. It also
// checks that no fixture draws a character the reduced fonts lack.
func TestReducedFontsDrawAlike(t *testing.T) {
	for name, d := range fixtures() {
		reduced, missed := raw(t, d, false)
		whole, _ := raw(t, d, true)
		if missed {
			t.Errorf("%s: a character is missing from the reduced fonts", name)
		}
		if normalizeFontIDs(t, reduced) != normalizeFontIDs(t, whole) {
			t.Errorf("%s: PDF with reduced fonts differs from the one with whole fonts", name)
		}
	}
}

// TestMissedCharacterFallsBack makes the reduced fonts miss a character: the
// document is then drawn again with fonts reduced to every character drawn,
// which draws what whole fonts draw.
func TestMissedCharacterFallsBack(t *testing.T) {
	defer func() { runeSetOf = documentRunes }()
	d := testDocument("en")
	runeSetOf = func(d Document, l *labels) *runeSet {
		s := documentRunes(d, l)
		s[('e')>>6] &^= 1 << ('e' & 63)
		return s
	}
	r := newNational(d)
	r.build()
	if !r.missed {
		t.Fatal("drawing an 'e' missing from the reduced fonts went unnoticed")
	}
	r = drawNational(d)
	if r.missed || r.runes == nil || !r.runes.has('e') {
		t.Fatalf("second drawing: missed %v, reduced %v", r.missed, r.runes != nil)
	}
	var got bytes.Buffer
	if err := r.output(&got); err != nil {
		t.Fatal(err)
	}
	whole, _ := raw(t, d, true)
	if normalizeFontIDs(t, got.Bytes()) != normalizeFontIDs(t, whole) {
		t.Error("a document whose reduced fonts miss a character is not the one drawn with whole fonts")
	}
	var a, b bytes.Buffer
	if err := WriteNationalReport(&a, d); err != nil {
		t.Fatal(err)
	}
	if err := WriteNationalReport(&b, d); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the document drawn twice is not the same bytes twice")
	}
}

// TestPackedAsFpdfCompresses checks that compressing page contents after
// fpdf gives the bytes fpdf gives when it compresses them itself.
func TestPackedAsFpdfCompresses(t *testing.T) {
	for name, d := range fixtures() {
		// Without the font fixes (tounicode.go), which fpdf does not make.
		r := newNational(d)
		r.build()
		var src borrowWriter
		if err := r.output(&src); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := writePacked(&got, src.b, nil); err != nil {
			t.Fatal(err)
		}
		r = newNational(d)
		r.pdf.SetCompression(true)
		r.build()
		var want bytes.Buffer
		if err := r.output(&want); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%s: packed PDF (%d bytes) differs from fpdf's compressed PDF (%d bytes)", name, got.Len(), want.Len())
		}
	}
}

func TestPackRejectsOtherPDFs(t *testing.T) {
	d := testDocument("en")
	src, _ := raw(t, d, false)
	for name, bad := range map[string][]byte{
		"empty":        nil,
		"truncated":    src[:len(src)/2],
		"no xref":      bytes.Replace(src, []byte("\nxref\n"), []byte("\nxxxx\n"), 1),
		"moved object": bytes.Replace(src, []byte("\n3 0 obj\n"), []byte("\n3 0 obj \n"), 1),
		"stream":       bytes.Replace(src, []byte("<</Length "), []byte("<</Filter /X /Length "), 1),
	} {
		var out bytes.Buffer
		if err := writePacked(&out, bad, nil); err == nil {
			t.Errorf("%s: no error", name)
		}
		if out.Len() != 0 {
			t.Errorf("%s: wrote %d bytes", name, out.Len())
		}
	}
}

// TestLeftToRightNeedsNoReordering checks the shortcut of layoutParagraph:
// a left-to-right paragraph without right-to-left characters or Arabic
// numbers has every level 0, so its visual order is its logical order.
func TestLeftToRightNeedsNoReordering(t *testing.T) {
	var texts []string
	for _, d := range fixtures() {
		for _, v := range d.Answers {
			texts = append(texts, v.Text, v.Challenges, v.AssistanceText)
		}
	}
	texts = append(texts, "2026–2027", "(a) [b] {c} <d> «e» 13.5% $5 +1-2 x/y 1,000.5 ¹²³ ⁅⁆ ≤≥", "\u0301x\u0301 ·•")
	for _, s := range texts {
		rs := []rune(s)
		if slices.ContainsFunc(rs, func(r rune) bool {
			c := bidiClass(r)
			return c == bidi.R || c == bidi.AL || c == bidi.AN
		}) {
			continue
		}
		for _, lv := range resolveLevels(rs, false) {
			if lv != 0 {
				t.Errorf("%q: level %d", s, lv)
				break
			}
		}
		if got := string(visualLine(rs, resolveLevels(rs, false), false)); got != s {
			t.Errorf("%q reordered to %q", s, got)
		}
	}
}

// TestDocumentRunesCoverEveryField fills every text of a document's meta
// and answers, field by field, with characters of its own: documentRunes
// foresees them all, so the reduced fonts miss none (a miss draws the
// document twice). A field added to Meta or surveys.Value that the report
// draws and documentRunes forgets fails here.
func TestDocumentRunesCoverEveryField(t *testing.T) {
	next := rune(0x0100) // Latin Extended, then Greek and Cyrillic: drawn by Noto Sans
	fresh := func() string {
		s := string([]rune{next, next + 1})
		next += 2
		return s
	}
	fill := func(v reflect.Value) {
		for i := range v.NumField() {
			switch f := v.Field(i); f.Kind() {
			case reflect.String:
				f.SetString(fresh())
			case reflect.Slice:
				if f.Type().Elem().Kind() == reflect.String {
					f.Set(reflect.ValueOf([]string{fresh()}))
				}
			}
		}
	}
	for _, lang := range langs {
		d := bigDocument(lang)
		meta := reflect.ValueOf(&d.Meta).Elem()
		fill(meta)
		d.Meta.Status, d.Meta.Visibility, d.Meta.Audience = "submitted", "restricted", "secretariat"
		d.Meta.StateName = fresh()
		for code, v := range d.Answers {
			status := v.Status
			fill(reflect.ValueOf(&v).Elem())
			v.Status = status
			v.Rows = []map[string]string{{"title": fresh()}}
			v.Contact = map[string]string{"name": fresh(), "email": fresh()}
			d.Answers[code] = v
		}
		r := newNational(d)
		r.build()
		if r.missed {
			t.Errorf("%s: a text of the document is missing from documentRunes", lang)
		}
	}
}
