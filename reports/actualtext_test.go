package reports

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/natreport/natreport/surveys"
)

// Sentences that mix directions, as a focal point types them.
const (
	// A law's title with its number, year and English name: a table cell.
	mixedTitle = "قانون رقم 175 لسنة 2018 بشأن مكافحة جرائم تقنية المعلومات (Cybercrime Law)"
	// A paragraph long enough to wrap, with a mark (shadda), Arabic
	// commas, a percentage, a slash, and Latin at the end of a line.
	mixedLong = "عدّل القانون رقم 12 لسنة 2023 قانون مكافحة جرائم تقنية المعلومات (Cybercrime Law) الصادر عام 2018، ويطبق على مزودي الخدمة وفق المعيار ISO/IEC 27001 بنسبة 100% في القطاعات الحيوية الثمانية، ويتولى فريق CERT الوطني المتابعة."
	// A left-to-right sentence with Arabic in brackets.
	mixedEnglish = "The Cybercrime Law (قانون مكافحة جرائم تقنية المعلومات) of 2018 applies to 14 sectors."
)

// plainText is extracted text with white space normalised, and without the
// directional controls pdftotext adds around runs (U+202A-U+202C) and the
// left-to-right marks a line may carry (see actualtext.go).
func plainText(s string) string {
	s = strings.Map(func(r rune) rune {
		if (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == lrm {
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// TestMixedDirectionExtracted checks that sentences mixing Arabic with
// Latin words and digits, in a paragraph and in a table cell, come out of
// pdftotext as typed in the Arabic, English and Chinese copies; and that
// every line of a wrapped sentence comes out as its own part of the
// sentence, in order.
func TestMixedDirectionExtracted(t *testing.T) {
	sentences := []string{mixedTitle, mixedLong, mixedEnglish}
	for _, lang := range []string{"ar", "en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			d := testDocument(lang)
			d.Answers["I.1.3"] = surveys.Value{Text: mixedLong + "\n" + mixedEnglish}
			d.Answers["II.g.4"] = surveys.Value{Rows: []map[string]string{{"title": mixedTitle}}}
			path, _ := writeReport(t, d, "mixed_"+lang)
			for _, mode := range [][]string{nil, {"-layout"}} {
				raw := strings.Join(pages(t, path, mode...), "\n")
				text := plainText(raw)
				for _, s := range sentences {
					if !strings.Contains(text, s) {
						t.Errorf("pdftotext %v does not find %q in:\n%s", mode, s, text)
					}
				}
				wrapped := 0
				for l := range strings.SplitSeq(raw, "\n") {
					l = plainText(l)
					if !strings.Contains(l, "جرائم") && !strings.Contains(l, "27001") && !strings.Contains(l, "Cybercrime") {
						continue
					}
					found := false
					for _, s := range sentences {
						found = found || strings.Contains(s, l)
					}
					if !found {
						t.Errorf("pdftotext %v: line %q is not part of a sentence typed", mode, l)
					}
					if !strings.Contains(text, l) {
						continue
					}
					for _, s := range sentences {
						if l != s && strings.Contains(s, l) {
							wrapped++
						}
					}
				}
				if wrapped < 3 {
					t.Errorf("pdftotext %v: %d lines hold part of a wrapped sentence, want the paragraph and the cell wrapped", mode, wrapped)
				}
			}
		})
	}
}

// TestMixedDirectionOnPagesOfTheOtherDirection checks the lines of a page
// that pdftotext reads in the direction opposite to the layout's: an
// English copy whose page is mostly Arabic, an Arabic copy whose page is
// mostly English.
func TestMixedDirectionOnPagesOfTheOtherDirection(t *testing.T) {
	english := strings.Repeat("The national team coordinates incident response with every sector regulator. ", 40)
	for lang, filler := range map[string]string{"en": strings.Repeat(typedArabic+" ", 25), "ar": english} {
		t.Run(lang, func(t *testing.T) {
			d := testDocument(lang)
			d.Answers["I.1.3"] = surveys.Value{Text: mixedLong + "\n" + mixedEnglish + "\n" + filler}
			path, data := writeReport(t, d, "flipped_"+lang)
			if !bytes.Contains(data, []byte("/FlateDecode")) {
				t.Fatal("no compressed page")
			}
			for _, mode := range [][]string{nil, {"-layout"}} {
				text := plainText(strings.Join(pages(t, path, mode...), "\n"))
				for _, s := range []string{mixedLong, mixedEnglish} {
					if !strings.Contains(text, s) {
						t.Errorf("pdftotext %v does not find %q in:\n%s", mode, s, text)
					}
				}
			}
		})
	}
}

// TestForPoppler checks that poppler's ordering rule, applied to what
// forPoppler arranges, gives back the text typed, on pages of either
// direction, for random lines of Arabic, Latin, digits and punctuation:
// exactly, up to no-break spaces for spaces and left-to-right marks; and
// without marks, a space may be added where a right-to-left word meets
// punctuation without one.
func TestForPoppler(t *testing.T) {
	alphabet := []string{"قانون", "رقم", "لسنة", "ب", "Law", "CERT", "x", "175", "2018", "12.5", "%", "(", ")", "،", "؟", "?", ".", ",", "-", "/", ":", "«", "»", "\"", "نُشر"}
	rng := rand.New(rand.NewPCG(1, 2))
	squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }
	for range 4000 {
		spaced := rng.IntN(2) == 0
		var b strings.Builder
		for i := range 1 + rng.IntN(8) {
			if i > 0 && (spaced || rng.IntN(3) > 0) {
				b.WriteByte(' ')
			}
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		x := b.String()
		for _, lr := range []bool{true, false} {
			for _, marks := range []bool{true, false} {
				s := forPoppler(nil, []rune(x), lr, marks)
				if !marks && slices.Contains(s, lrm) {
					t.Fatalf("%q arranged without marks has a left-to-right mark", x)
				}
				got := strings.ReplaceAll(string(popplerOrder(nil, s, lr)), string(lrm), "")
				got = strings.TrimRight(strings.ReplaceAll(got, string(nbsp), " "), " ")
				if (spaced || marks) && got != x || squeeze(got) != squeeze(x) {
					t.Fatalf("lr=%v marks=%v: %q arranged as %q comes out as %q", lr, marks, x, string(s), got)
				}
			}
		}
	}
}

func TestPopplerOrder(t *testing.T) {
	tests := []struct {
		name, in string
		lr       bool
		want     string
	}{
		{"left to right untouched", "Law (2018) x", true, "Law (2018) x"},
		{"Arabic run reversed", "abc " + rev("قانون رقم") + " 12", true, "abc  قانون رقم12"},
		{"neutral before a run stays in place", "." + rev("قانون"), true, ".قانون"},
		{"right-to-left page reads runs from the right", "12 " + rev("قانون"), false, "قانون 12"},
		{"trailing bracket moves to the front on a right-to-left page", "Law (x)", false, ")Law (x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(popplerOrder(nil, []rune(tt.in), tt.lr)); got != tt.want {
				t.Errorf("popplerOrder(%q, %v) = %q, want %q", tt.in, tt.lr, got, tt.want)
			}
		})
	}
}

// TestFixSpansFollowsThePage checks that writePacked arranges the inner
// ActualText for the direction poppler reads a page in, counting the
// letters the page draws, and the left-to-right marks on a page read right
// to left.
func TestFixSpansFollowsThePage(t *testing.T) {
	x := []rune("قانون رقم 175 (Law)")
	page := func(drawn string, lr, marks bool) []byte {
		b := appendSpans([]byte("q\n"), x, lr, marks)
		tj := appendSpan(nil, []rune(drawn))
		b = append(b, "BT 10 10 Td ("...)
		b = append(b, tj[len(spanOpen):len(tj)-len(spanClose)]...)
		return append(b, ") Tj ET\nEMC EMC\nQ\n"...)
	}
	for _, tt := range []struct {
		name      string
		drawn     string
		lr, marks bool
	}{
		{"Arabic page", "قانون رقم 175 وقانون آخر (Law)", false, true},
		{"Latin page", "Law 175 of the State (قانون)", true, true},
		// One right-to-left letter more than left-to-right ones: a
		// left-to-right mark would tip the page.
		{"nearly even page", "قانون Lawx", false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want := page(tt.drawn, tt.lr, tt.marks)
			for _, lr := range []bool{true, false} {
				if got := fixSpans(page(tt.drawn, lr, true)); !bytes.Equal(got, want) {
					t.Errorf("fixSpans of the page arranged for lr=%v gave\n%q\nwant\n%q", lr, got, want)
				}
			}
		})
	}
}
