package reports

import (
	"bytes"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// withFpdfText runs fn with the painter drawing text through fpdf's Text.
func withFpdfText(fn func()) {
	fpdfText = true
	defer func() { fpdfText = false }()
	fn()
}

// TestTextOpIsFpdfs draws the same strings, at the same places and in the
// same colours, with the painter's text operator and with fpdf's Text: the
// two documents, fonts and their subsets included, are the same bytes.
func TestTextOpIsFpdfs(t *testing.T) {
	texts := []string{
		"Hello", "", " ", "(a) \\ b) c(", "tab\tcr\rnl", "é€\u00a0—", "\u0628\u0633\u0645 \ufef5",
		"中文，测试。", "\u0128\u0129\u0228\u0229\u5c5c\u285c\u2928", "\ufffd\u200d",
	}
	type pos struct{ x, y float64 }
	places := []pos{{0, 0}, {18, 22}, {-3.456, 300.005}, {105.125, 148.5}, {0.004999, 0.005}, {-0.001, 297}}
	colors := [][3]int{{0, 0, 0}, {25, 25, 25}, {190, 30, 45}, {255, 255, 255}, {1, 2, 3}, {-5, 300, 7}}
	draw := func() []byte {
		pdf := fpdf.New("P", "mm", "A4", "")
		pdf.SetCompression(false)
		pdf.SetCatalogSort(true)
		pdf.SetCreationDate(time.Unix(0, 0).UTC())
		pdf.SetModificationDate(time.Unix(0, 0).UTC())
		pdf.AddPage()
		p := newPainter(pdf, false, 1.45)
		for fi, f := range []face{faceSans, faceNaskh, faceCJK} {
			p.use(f, 9.5)
			for i, s := range texts {
				c := colors[(i+fi)%len(colors)]
				p.pdf.SetTextColor(c[0], c[1], c[2])
				if i%3 == 0 {
					fc := colors[(i+1)%len(colors)]
					p.pdf.SetFillColor(fc[0], fc[1], fc[2])
				}
				at := places[(i+fi)%len(places)]
				p.text(at.x, at.y, s)
				drawn := p.drawn[f.font()]
				if drawn == nil {
					drawn = new(runeSet)
					p.drawn[f.font()] = drawn
				}
				for _, r := range s {
					drawn.add(r)
				}
			}
		}
		var b bytes.Buffer
		if err := p.output(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	got := draw()
	var want []byte
	withFpdfText(func() { want = draw() })
	if !bytes.Equal(got, want) {
		t.Errorf("the painter's text operators (%d bytes) differ from fpdf's Text (%d bytes): %s", len(got), len(want), firstDiff(string(want), string(got)))
	}
}

// TestReportsDrawnAsWithFpdfText renders every fixture and a compilation
// both ways: the same bytes.
func TestReportsDrawnAsWithFpdfText(t *testing.T) {
	render := func() map[string][]byte {
		out := map[string][]byte{}
		for name, d := range fixtures() {
			var b bytes.Buffer
			if err := WriteNationalReport(&b, d); err != nil {
				t.Fatal(err)
			}
			out[name] = b.Bytes()
		}
		for _, lang := range []string{"en", "ar", "zh"} {
			var b bytes.Buffer
			if err := WriteCompilation(&b, testCompilation(lang, 3, namedDocument(lang))); err != nil {
				t.Fatal(err)
			}
			out["compilation/"+lang] = b.Bytes()
		}
		return out
	}
	got := render()
	var want map[string][]byte
	withFpdfText(func() { want = render() })
	for name, b := range want {
		if !bytes.Equal(got[name], b) {
			t.Errorf("%s: drawn with the painter's text operators (%d bytes), not the bytes fpdf's Text gives (%d bytes)", name, len(got[name]), len(b))
		}
	}
}
