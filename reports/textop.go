package reports

import (
	"io"
	"math/bits"
	"strconv"

	"codeberg.org/go-pdf/fpdf"
)

// fpdf's Text formats each string with fmt, converts it to UTF-16 and
// escapes it in three passes, and records each of its characters in a map
// of the font's used characters: for a report of a few thousand runs that
// was a tenth of its time. The painter writes the same operators itself,
// byte for byte (TestTextOpIsFpdfs), and hands fpdf the characters each
// font drew once, just before the document is written (output).

// fpdfText, set by tests, makes the painter draw through fpdf's Text.
var fpdfText = false

// text draws s at page position (x, y) in the current font and text
// colour, writing what fpdf's Text writes: "BT x y Td (s) Tj ET", wrapped
// in q … Q with the text colour when it differs from the fill colour. The
// characters of s are not recorded as used: drawLine adds them to p.drawn,
// and output hands those to fpdf.
func (p *painter) text(x, y float64, s string) {
	if fpdfText {
		p.pdf.Text(x, y, s)
		return
	}
	b := p.scratch.op[:0]
	fr, fg, fb := p.pdf.GetFillColor()
	tr, tg, tb := p.pdf.GetTextColor()
	// fpdf compares the colours as it writes them, which differ exactly
	// when the components do.
	wrap := fr != tr || fg != tg || fb != tb
	if wrap {
		b = append(b, "q "...)
		b = appendFillColor(b, tr, tg, tb)
		b = append(b, ' ')
	}
	b = append(b, "BT "...)
	b = strconv.AppendFloat(b, x*p.k, 'f', 2, 64)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, (p.pageH-y)*p.k, 'f', 2, 64)
	b = append(b, " Td ("...)
	b = appendUTF16Escaped(b, s)
	b = append(b, ") Tj ET"...)
	if wrap {
		b = append(b, " Q"...)
	}
	p.scratch.op = b
	p.pdf.RawWriteStr(string(b))
}

// appendFillColor appends a fill colour operator as fpdf writes it
// (rgbColorValue): "g" with one component for a grey, else "rg".
func appendFillColor(b []byte, r, g, bl int) []byte {
	comp := func(b []byte, v int) []byte {
		return strconv.AppendFloat(b, float64(min(max(v, 0), 255))/255, 'f', 3, 64)
	}
	b = comp(b, r)
	if r == g && r == bl {
		return append(b, " g"...)
	}
	b = append(b, ' ')
	b = comp(b, g)
	b = append(b, ' ')
	b = comp(b, bl)
	return append(b, " rg"...)
}

// appendUTF16Escaped appends s, whose characters are all in the Basic
// Multilingual Plane (layoutParagraph sees to it), in UTF-16 big endian
// without a byte order mark, as a PDF literal string's content: as fpdf's
// utf8toutf16 converts it and its escape escapes backslash, parentheses and
// carriage return.
func appendUTF16Escaped(b []byte, s string) []byte {
	for _, r := range s {
		for _, c := range [2]byte{byte(r >> 8), byte(r)} {
			switch c {
			case '\\', '(', ')':
				b = append(b, '\\', c)
			case '\r':
				b = append(b, '\\', 'r')
			default:
				b = append(b, c)
			}
		}
	}
	return b
}

// output writes the document out with fpdf, after recording with each
// font the characters drawn in it, as fpdf's Text would have: fpdf cuts
// each embedded font to them. They are recorded in a template that is never
// placed: a template shares the document's fonts, and its Text marks the
// characters it draws as used by them without adding to any page.
func (p *painter) output(w io.Writer) error {
	if !fpdfText {
		p.markUsed()
	}
	return p.pdf.Output(w)
}

func (p *painter) markUsed() {
	if p.drawn == [numFonts]*runeSet{} {
		return // nothing drawn
	}
	var text []rune
	p.pdf.CreateTemplate(func(t *fpdf.Tpl) {
		for id, set := range p.drawn {
			if set == nil || !p.loaded[id] {
				continue
			}
			text = text[:0]
			for i, word := range set {
				for word != 0 {
					text = append(text, rune(i*64+bits.TrailingZeros64(word)))
					word &= word - 1
				}
			}
			s := fontSpecs[id]
			t.SetFont(s.family, s.style, 10)
			t.Text(0, 0, string(text))
		}
	})
}
