package reports

import (
	"bytes"
	"hash/fnv"
	"math/bits"
	"strconv"
	"unicode/utf16"
)

// What a reader copies or searches is what the ToUnicode map of each font
// says its glyphs stand for. fpdf gives every font the identity map, which
// is right for every font but Naskh: shaping (arabic.go) draws Arabic as
// presentation forms, so the copied text would be presentation forms, which
// no search for the words typed finds. The Naskh font's map sends every
// presentation form back to the letter typed.
//
// A lam-alef ligature is one glyph for two letters. Mapped to both, readers
// disagree on their order: the glyph's two characters are placed left to
// right over it, and poppler (pdftotext, Evince, Okular) then reverses the
// right-to-left line, giving alef before lam; so does a logical ActualText
// around a right-to-left run, which poppler spreads over the run left to
// right and reverses with the rest. So the ligature maps to its alef alone,
// and a zero-width glyph drawn right after it, on its right edge where the
// lam is drawn, maps to the lam (lamMark): two glyphs of one letter each,
// which every reader puts in order by their positions. Lines that mix
// directions need more than the map: see actualtext.go.
//
// The reduced fonts embedded (fontsubset.go) are named as subsets, as the
// PDF specification asks: a tag of six capital letters, derived from the
// characters drawn in the font, a plus sign, then the font's PostScript
// name.

// logicalOf maps a presentation form that shaping produces to the letters
// typed.
var logicalOf = func() map[rune][]rune {
	m := map[rune][]rune{}
	for letter, f := range arabicForms {
		for _, form := range []rune{f.iso, f.fin, f.ini, f.med} {
			if form != 0 {
				m[form] = []rune{letter}
			}
		}
	}
	for alef, lig := range lamAlef {
		m[lig[0]] = []rune{alef}
		m[lig[1]] = []rune{alef}
	}
	m[lamMark] = []rune{lam}
	return m
}()

// lamMark is the character drawn after each lam-alef ligature to stand for
// its lam: zero width joiner, which the Naskh font has as an empty glyph of
// no advance, and which text never draws otherwise (shaping drops it).
const lamMark = zwj

// isLamAlef reports whether r is a lam-alef ligature.
func isLamAlef(r rune) bool { return r >= 0xFEF5 && r <= 0xFEFC }

// fontFix is how the objects fpdf writes for one font are changed.
type fontFix struct {
	key       string // fpdf's key of the font: its objects name it /utf8KEY
	name      string // the name the font gets instead
	toUnicode []byte // the font's ToUnicode CMap, or nil to keep fpdf's
}

// fontFixes returns the changes to the fonts loaded in a document whose
// fonts drew the characters drawn.
func fontFixes(loaded [numFonts]bool, drawn *[numFonts]*runeSet) []fontFix {
	var fixes []fontFix
	for id, set := range drawn {
		if !loaded[id] {
			continue
		}
		if set == nil {
			set = new(runeSet)
		}
		s := fontSpecs[id]
		fixes = append(fixes, fontFix{
			key:       fontKey(s),
			name:      subsetTag(set) + "+" + s.psName,
			toUnicode: toUnicodeCMap(set),
		})
	}
	return fixes
}

// fontKey returns the key fpdf files a font under.
func fontKey(s fontSpec) string { return s.family + s.style }

// subsetTag returns six capital letters that depend on the characters of
// set alone.
func subsetTag(set *runeSet) string {
	h := fnv.New64a()
	var b [8]byte
	for _, w := range set {
		for i := range b {
			b[i] = byte(w >> (8 * i))
		}
		h.Write(b[:])
	}
	v := h.Sum64()
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + byte(v%26)
		v /= 26
	}
	return string(tag)
}

// toUnicodeCMap returns a ToUnicode CMap that maps every character of set
// to the characters typed, or nil when set holds no presentation form (the
// identity map fpdf writes is then right).
func toUnicodeCMap(set *runeSet) []byte {
	var codes []rune
	forms := false
	for w, word := range set {
		for word != 0 {
			c := rune(w*64 + bits.TrailingZeros64(word))
			word &= word - 1
			codes = append(codes, c)
			if _, ok := logicalOf[c]; ok {
				forms = true
			}
		}
	}
	if !forms {
		return nil
	}
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo\n<</Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	hex4 := func(v uint16) {
		const digits = "0123456789ABCDEF"
		b.Write([]byte{digits[v>>12], digits[v>>8&15], digits[v>>4&15], digits[v&15]})
	}
	// At most 100 mappings a block.
	for len(codes) > 0 {
		n := min(len(codes), 100)
		b.WriteString(strconv.Itoa(n))
		b.WriteString(" beginbfchar\n")
		for _, c := range codes[:n] {
			b.WriteByte('<')
			hex4(uint16(c))
			b.WriteString("> <")
			to, ok := logicalOf[c]
			if !ok {
				to = []rune{c}
			}
			for _, u := range utf16.Encode(to) {
				hex4(u)
			}
			b.WriteString(">\n")
		}
		b.WriteString("endbfchar\n")
		codes = codes[n:]
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend")
	return b.Bytes()
}
