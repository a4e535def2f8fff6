package reports

import (
	"sync"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/text/unicode/bidi"
)

// Tables computed once per process and shared, read only, by every
// document: the advance of every character in every font, and the bidi
// class of every character. Layout measures text by adding up advances
// instead of asking fpdf string by string.

// advanceTable holds the advance of every BMP character in one font, in
// 1/1000 of the font size.
type advanceTable struct {
	once sync.Once
	adv  *[0x10000]int32
}

var advanceTables [numFonts]advanceTable

// advances returns the advance table of font id, measuring it the first
// time. The widths are fpdf's own: the font is registered with a scratch
// document and each character measured with GetStringSymbolWidth, so that
// layout agrees with what fpdf would measure, rounding and missing glyphs
// included.
func advances(id fontID) *[0x10000]int32 {
	t := &advanceTables[id]
	t.once.Do(func() {
		s := fontSpecs[id]
		pdf := fpdf.New("P", "mm", "A4", "")
		pdf.AddUTF8FontFromBytes(s.family, s.style, s.data)
		pdf.SetFont(s.family, s.style, 10)
		adv := new([0x10000]int32)
		var buf [utf8.UTFMax]byte
		for r := range adv {
			n := utf8.EncodeRune(buf[:], rune(r))
			adv[r] = int32(pdf.GetStringSymbolWidth(string(buf[:n])))
		}
		t.adv = adv
	})
	return t.adv
}

var (
	bidiOnce    sync.Once
	bidiClasses *[0x10000]uint8
)

// bidiClass returns the bidirectional class of r.
func bidiClass(r rune) bidi.Class {
	if r < 0 || r > 0xFFFF {
		return lookupBidiClass(r)
	}
	bidiOnce.Do(func() {
		t := new([0x10000]uint8)
		for r := range t {
			t[r] = uint8(lookupBidiClass(rune(r)))
		}
		bidiClasses = t
	})
	return bidi.Class(bidiClasses[r])
}

func lookupBidiClass(r rune) bidi.Class {
	p, _ := bidi.LookupRune(r)
	return p.Class()
}
