package reports

import (
	"fmt"
	"strings"
	"testing"
)

// runes spells a string as code points, to read failures of shaping.
func runes(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%04X", r)
	}
	return b.String()
}

func TestShapeArabic(t *testing.T) {
	tests := []struct {
		name, in string
		want     []rune
	}{
		{"seen lam-alef meem", "سلام", []rune{0xFEB3, 0xFEFC, 0xFEE1}},
		{"lam-alef alone", "لا", []rune{0xFEFB}},
		{"lam-alef with hamza after alef", "الأمن", []rune{0xFE8D, 0xFEF7, 0xFEE3, 0xFEE6}},
		{"lam-alef with madda", "آلآت", []rune{0xFE81, 0xFEF5, 0xFE95}},
		{"lam-alef after a right-joining letter", "بإلإ", []rune{0xFE91, 0xFE88, 0xFEF9}},
		{"beh alef beh", "باب", []rune{0xFE91, 0xFE8E, 0xFE8F}},
		{"dual-joining word", "محمد", []rune{0xFEE3, 0xFEA4, 0xFEE4, 0xFEAA}},
		{"non-joining letters", "دار", []rune{0xFEA9, 0xFE8D, 0xFEAD}},
		{"waw zain alef reh teh marbuta", "وزارة", []rune{0xFEED, 0xFEAF, 0xFE8D, 0xFEAD, 0xFE93}},
		{"dal then reh breaks joining", "مدرسة", []rune{0xFEE3, 0xFEAA, 0xFEAD, 0xFEB3, 0xFE94}},
		{"thal final", "هذا", []rune{0xFEEB, 0xFEAC, 0xFE8D}},
		{"harakat are transparent", "نُشر", []rune{0xFEE7, 0x064F, 0xFEB8, 0xFEAE}},
		{"shadda between joined letters", "مدّة", []rune{0xFEE3, 0xFEAA, 0x0651, 0xFE93}},
		{"tatweel joins both sides", "ـبـ", []rune{0x0640, 0xFE92, 0x0640}},
		{"hamza does not join", "ماء", []rune{0xFEE3, 0xFE8E, 0xFE80}},
		{"yeh final before hamza", "شيء", []rune{0xFEB7, 0xFEF2, 0xFE80}},
		{"zwnj breaks joining and is dropped", "ب\u200cب", []rune{0xFE8F, 0xFE8F}},
		{"numbers and Latin untouched", "عام 2021 CERT", []rune{0xFECB, 0xFE8E, 0xFEE1, ' ', '2', '0', '2', '1', ' ', 'C', 'E', 'R', 'T'}},
		{"no Arabic, unchanged", "Norm (g) 2021", []rune("Norm (g) 2021")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := shapeArabic(tt.in)
			if got != string(tt.want) {
				t.Errorf("shapeArabic(%q) = %s, want %s", tt.in, runes(got), runes(string(tt.want)))
			}
		})
	}
}

// rev reverses a run of Arabic letters as it is displayed left to right.
func rev(s string) string {
	rs := []rune(s)
	for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
		rs[i], rs[j] = rs[j], rs[i]
	}
	return string(rs)
}

func TestReorder(t *testing.T) {
	tests := []struct {
		name, in string
		rtl      bool // layout direction, used when the text has no strong character
		want     string
	}{
		{"Arabic with number and acronym", "فريق CERT في عام 2021", true,
			"2021 " + rev("عام") + " " + rev("في") + " CERT " + rev("فريق")},
		{"brackets are mirrored", "فريق (CERT) الوطني", true,
			rev("الوطني") + " (CERT) " + rev("فريق")},
		{"number in brackets", "الفقرة (13)", true, "(13) " + rev("الفقرة")},
		{"Latin with slashes and numbers stays one run", "الوثيقة A/70/174 المعتمدة", true,
			rev("المعتمدة") + " A/70/174 " + rev("الوثيقة")},
		{"Arabic number with terminator", "نسبة 13.5%", true, "%13.5 " + rev("نسبة")},
		{"left-to-right paragraph with Arabic inside", "The CERT (فريق) since 2021.", false,
			"The CERT (" + rev("فريق") + ") since 2021."},
		{"direction from first strong character", "CERT فريق", true, "CERT " + rev("فريق")},
		{"digits only take the layout direction", "2026–2027", true, "2027–2026"},
		{"digits only in a left-to-right layout", "2026–2027", false, "2026–2027"},
		{"mark stays after its letter", "نُشر", true, "رشنُ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := reorder(tt.in, tt.rtl); got != tt.want {
				t.Errorf("reorder(%q) = %q (%s), want %q (%s)", tt.in, got, runes(got), tt.want, runes(tt.want))
			}
		})
	}
}

func TestWrapThenReorder(t *testing.T) {
	// A paragraph wraps in logical order; each line is then reordered, so
	// the first words are on the first line, at its right.
	p := newNational(testDocument("ar")).painter
	text := "أنشئ فريق CERT الوطني في عام 2021 وانضم إلى منتدى FIRST في عام 2023."
	lines := p.layout(text, stBody, 40)
	if len(lines) < 2 {
		t.Fatalf("got %d lines, want the paragraph wrapped", len(lines))
	}
	var firstLine strings.Builder
	for _, r := range lines[0].runs {
		firstLine.WriteString(r.text)
	}
	first := firstLine.String()
	if !strings.HasSuffix(first, rev(shapeArabic("أنشئ"))) {
		t.Errorf("first line %q does not end (at its right) with the first word", first)
	}
	if !strings.Contains(first, "CERT") || strings.Contains(first, "2023") {
		t.Errorf("first line %q: want CERT on it and 2023 on a later line", first)
	}
	for i, l := range lines {
		if l.w > 40.001 {
			t.Errorf("line %d is %.2f mm wide, more than the 40 mm box", i, l.w)
		}
	}
}

func TestFaceOf(t *testing.T) {
	tests := []struct {
		r    rune
		want face
	}{
		{'A', faceSans}, {'7', faceSans}, {'Ж', faceSans}, {'é', faceSans}, {'(', faceSans},
		{'ب', faceNaskh}, {0xFEFB, faceNaskh}, {'،', faceNaskh}, {0x064F, faceNaskh},
		{'国', faceCJK}, {'，', faceCJK}, {'。', faceCJK}, {'（', faceCJK}, {'カ', faceCJK}, {'한', faceCJK},
	}
	for _, tt := range tests {
		if got := faceOf(tt.r); got != tt.want {
			t.Errorf("faceOf(%q) = %d, want %d", tt.r, got, tt.want)
		}
	}
}

// TestFontsCoverText checks that every character the test report and the
// labels use has a glyph in the font its script is drawn with: no boxes.
func TestFontsCoverText(t *testing.T) {
	var all strings.Builder
	for lang, s := range answerTexts {
		all.WriteString(s.state + s.process + s.lead + s.long + s.challenges + s.assistance + s.cert + s.law + s.modality)
		l := labelsFor(lang)
		all.WriteString(l.OverviewIntro + l.DraftMark + l.PageOf + l.Colon + l.EmptySection + l.CopyFor)
		for _, m := range []map[string]string{l.Answer, l.Norms, l.StatusName, l.VisibilityName, l.AudienceName, l.Contact} {
			for _, v := range m {
				all.WriteString(v)
			}
		}
	}
	seen := map[rune]bool{}
	for _, r := range shapeArabic(all.String()) {
		if seen[r] || r == ' ' || r == '\n' {
			continue
		}
		seen[r] = true
		f := faceOf(r)
		if _, ok := glyphExtent(f.spec().data, r); !ok {
			// Spaces and other blank glyphs have no outline but a cmap entry.
			if _, ok := cmapLookup(tableOf(t, f.spec().data, "cmap"), r); !ok {
				t.Errorf("%q (U+%04X) has no glyph in face %d", r, r, f)
			}
		}
	}
}

// tableOf returns a table of a TrueType font.
func tableOf(t *testing.T, font []byte, tag string) []byte {
	t.Helper()
	n := int(font[4])<<8 | int(font[5])
	for i := range n {
		rec := font[12+16*i:]
		if string(rec[:4]) == tag {
			off := int(rec[8])<<24 | int(rec[9])<<16 | int(rec[10])<<8 | int(rec[11])
			ln := int(rec[12])<<24 | int(rec[13])<<16 | int(rec[14])<<8 | int(rec[15])
			return font[off : off+ln]
		}
	}
	t.Fatalf("no %s table", tag)
	return nil
}

func TestLabelsComplete(t *testing.T) {
	for _, lang := range []string{"ar", "zh", "en", "fr", "ru", "es"} {
		if _, ok := allLabels[lang]; !ok {
			t.Fatalf("no labels for %s", lang)
		}
		l := labelsFor(lang)
		for _, k := range normKeys {
			if l.Norms[k] == "" {
				t.Errorf("%s: no label for norm (%s)", lang, k)
			}
		}
		for _, k := range answerKeys {
			if l.Answer[k] == "" {
				t.Errorf("%s: no label for answer %q", lang, k)
			}
		}
		for _, k := range []string{"draft", "review", "submitted", "published"} {
			if l.StatusName[k] == "" {
				t.Errorf("%s: no status name %q", lang, k)
			}
		}
		for _, k := range []string{"private", "restricted", "donors", "public"} {
			if l.VisibilityName[k] == "" {
				t.Errorf("%s: no visibility name %q", lang, k)
			}
		}
		if got := l.pageOf(3, 12); !strings.Contains(got, "3") || !strings.Contains(got, "12") {
			t.Errorf("%s: pageOf(3, 12) = %q", lang, got)
		}
	}
}
