package reports

import (
	_ "embed"
	"unicode"
)

// The fonts ship inside the binary (no system font is read at run time);
// their licences are beside them in fonts/. Noto Sans covers Latin, Cyrillic
// and Greek, Noto Naskh Arabic the Arabic script including the presentation
// forms that shaping produces, and Droid Sans Fallback the Han, Kana and
// Hangul characters. Only the regular weights are embedded: bold text is the
// regular font filled and stroked (see drawLine), which saves a document the
// fixed cost of registering a font per bold face.
var (
	//go:embed fonts/NotoSans-Regular.ttf
	notoSansRegular []byte
	//go:embed fonts/NotoNaskhArabic-Regular.ttf
	notoNaskhRegular []byte
	//go:embed fonts/DroidSansFallbackFull.ttf
	droidFallback []byte
)

// face is the font a run of text is drawn with, chosen by its script.
type face uint8

const (
	faceSans  face = iota // Latin, Cyrillic, Greek, digits, common punctuation
	faceNaskh             // Arabic
	faceCJK               // Han, Kana, Hangul, CJK and full-width punctuation
)

// fontSpec names a face as registered with fpdf.
type fontSpec struct {
	family string
	style  string
	data   []byte
	psName string // PostScript name, after the subset tag in the PDF
}

// fontID is one of the embedded fonts.
type fontID uint8

const (
	fontSans fontID = iota
	fontNaskh
	fontCJK
	numFonts
)

var fontSpecs = [numFonts]fontSpec{
	fontSans:  {"notosans", "", notoSansRegular, "NotoSans-Regular"},
	fontNaskh: {"naskh", "", notoNaskhRegular, "NotoNaskhArabic-Regular"},
	fontCJK:   {"droidfallback", "", droidFallback, "DroidSansFallbackFull"},
}

// font returns the font that draws f, in either weight: bold is drawn with
// the regular font (see drawLine).
func (f face) font() fontID {
	switch f {
	case faceNaskh:
		return fontNaskh
	case faceCJK:
		return fontCJK
	}
	return fontSans
}

// spec returns the fpdf family, style and bytes of f.
func (f face) spec() fontSpec { return fontSpecs[f.font()] }

// faceOf returns the face that draws r.
func faceOf(r rune) face {
	switch {
	case r < 0x0590:
		return faceSans
	case r >= 0x0600 && r <= 0x06FF, r >= 0x0750 && r <= 0x077F, r >= 0x08A0 && r <= 0x08FF,
		r >= 0xFB50 && r <= 0xFDFF, r >= 0xFE70 && r <= 0xFEFE:
		return faceNaskh
	case r >= 0x1100 && r <= 0x11FF, r >= 0x2E80 && r <= 0x2FDF, r >= 0x3000 && r <= 0x303F,
		r >= 0x3040 && r <= 0x33FF, r >= 0x3400 && r <= 0x4DBF, r >= 0x4E00 && r <= 0x9FFF,
		r >= 0xAC00 && r <= 0xD7AF, r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F,
		r >= 0xFF00 && r <= 0xFFEF:
		return faceCJK
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
		return faceCJK
	}
	return faceSans
}

// isCJK reports whether a line may break before or after r without a space.
func isCJK(r rune) bool {
	return faceOf(r) == faceCJK && r != 0x3000
}

// noBreakBefore reports whether r is punctuation that must not start a
// line (kinsoku).
func noBreakBefore(r rune) bool {
	switch r {
	case '，', '。', '、', '；', '：', '！', '？',
		'）', '」', '』', '】', '〉', '》', '〕',
		',', '.', ';', ':', '!', '?', ')', '%',
		'・', 'ー', '々':
		return true
	}
	return false
}

// noBreakAfter reports whether r is punctuation that must not end a line.
func noBreakAfter(r rune) bool {
	switch r {
	case '（', '「', '『', '【', '〈', '《', '〔', '(':
		return true
	}
	return false
}
