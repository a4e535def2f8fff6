package reports

import (
	"bytes"
	"slices"
	"unicode/utf16"

	"golang.org/x/text/unicode/bidi"
)

// What a reader copies from a line that mixes directions. The ToUnicode maps
// (tounicode.go) give each glyph the letter typed, and a reader then puts
// the glyphs of a line in order itself. Poppler (pdftotext, Evince, Okular)
// does it by a rule of its own, not UAX #9: it takes the glyphs left to
// right and reverses every run of right-to-left letters, the neutral
// characters next to a run staying where they are drawn; on a page where
// right-to-left letters outnumber left-to-right ones it reads the runs right
// to left instead. A right-to-left sentence with Latin words or numbers in
// it ("قانون رقم 175 لسنة 2018 ...") or one that ends with a bracket comes out
// with its words in the wrong order, and cannot be found.
//
// Such a line is wrapped in two marked-content sequences with an
// ActualText (PDF 32000-1, 14.9.4):
//
//	/Span<</ActualText<the line as typed>>>BDC
//	/Span<</ActualText<the same, arranged for poppler>>>BDC ... EMC EMC
//
// A reader that follows the specification takes the outer text, which
// replaces everything inside it: the line in logical order. Poppler does
// not nest ActualText: the inner text replaces the outer, and it puts the
// inner text's characters over the line's glyphs left to right and then
// applies its rule. The inner text is the typed line arranged so that this
// rule gives it back (forPoppler), for the direction of the page it is on:
// the writer arranges it for the layout's direction, and writePacked
// arranges it again on a page that poppler will read the other way
// (fixSpans). Where the rule cannot give a space back between a
// right-to-left letter and a digit or Latin letter, the space is a no-break
// space, which the rule counts as a digit; where the character there is
// not a space, a left-to-right mark (U+200E) is added, or at the end of the
// line a no-break space.
//
// A line gets the sequences only when poppler would read it wrong without:
// lines of Arabic alone, and lines without Arabic on pages of their own
// direction, keep only their glyphs.

// pclass is how poppler classifies a character when it orders a line.
type pclass uint8

const (
	pNeutral pclass = iota
	pLeft
	pRight
	pNumber
)

// popplerClass returns poppler's class of r: its bidi class grouped, with
// the numbers' separators and terminators counted as numbers.
func popplerClass(r rune) pclass {
	switch r {
	case 0x202F: // narrow no-break space
		return pNeutral
	case 0x202A, 0x202D: // LRE, LRO
		return pLeft
	case 0x202B, 0x202E: // RLE, RLO
		return pRight
	}
	switch bidiClass(r) {
	case bidi.L:
		return pLeft
	case bidi.R, bidi.AL:
		return pRight
	case bidi.EN, bidi.AN, bidi.ES, bidi.ET, bidi.CS:
		return pNumber
	}
	return pNeutral
}

// leftOrNumber reports whether poppler ends a right-to-left run at r.
func leftOrNumber(r rune) bool {
	c := popplerClass(r)
	return c == pLeft || c == pNumber
}

const (
	nbsp = '\u00A0'
	lrm  = '\u200E'
)

// popplerOrder returns text as poppler extracts it from characters placed
// left to right in that order, without the embedding controls it adds. lr
// is the page's direction (popplerLR).
func popplerOrder(text []rune, lr bool) []rune {
	out := make([]rune, 0, len(text))
	n := len(text)
	if lr {
		for i := 0; i < n; {
			j := i
			for j < n && popplerClass(text[j]) != pRight {
				j++
			}
			out = append(out, text[i:j]...)
			i = j
			for j < n && !leftOrNumber(text[j]) {
				j++
			}
			for k := j - 1; k >= i; k-- {
				out = append(out, text[k])
			}
			i = j
		}
		return out
	}
	for i := n - 1; i >= 0; {
		j := i
		for j >= 0 && !leftOrNumber(text[j]) {
			j--
		}
		for k := i; k > j; k-- {
			out = append(out, text[k])
		}
		i = j
		for j >= 0 && popplerClass(text[j]) != pRight {
			j--
		}
		out = append(out, text[j+1:i+1]...)
		i = j
	}
	return out
}

// forPoppler returns the characters which, placed left to right, poppler
// extracts as x on a page of direction lr: x itself with some spaces made
// no-break spaces and some left-to-right marks added, as the package
// comment says.
func forPoppler(x []rune, lr bool) []rune {
	n := len(x)
	// x is cut into pieces that poppler outputs as they are ("ltr") and
	// pieces it reverses ("rtl"). An ltr piece has no right-to-left
	// letter; an rtl piece has no digit or left-to-right letter and starts
	// (on left-to-right pages) or ends (on right-to-left ones) with a
	// right-to-left letter.
	type piece struct {
		rs  []rune
		rtl bool
	}
	var pieces []piece
	// startLTR and endLTR make a piece begin or end with a digit or a
	// left-to-right letter.
	startLTR := func(rs []rune) []rune {
		switch {
		case len(rs) == 0 || leftOrNumber(rs[0]):
			return rs
		case rs[0] == ' ':
			return append([]rune{nbsp}, rs[1:]...)
		}
		return append([]rune{lrm}, rs...)
	}
	endLTR := func(rs []rune, atEnd bool) []rune {
		last := len(rs) - 1
		switch {
		case last < 0 || leftOrNumber(rs[last]):
			return rs
		case rs[last] == ' ':
			return append(rs[:last:last], nbsp)
		case atEnd:
			// At the end of the line a no-break space is only white space.
			return append(rs[:len(rs):len(rs)], nbsp)
		}
		return append(rs[:len(rs):len(rs)], lrm)
	}
	if lr {
		// Poppler outputs, left to right: ltr, rtl reversed, ltr, ... An ltr
		// piece after an rtl one begins with a digit or letter.
		for i := 0; i < n; {
			j := i
			for j < n && popplerClass(x[j]) != pRight {
				j++
			}
			a := x[i:j]
			if i > 0 {
				a = startLTR(a)
			}
			pieces = append(pieces, piece{a, false})
			if j == n {
				break
			}
			k := j
			for k < n && !leftOrNumber(x[k]) {
				k++
			}
			for popplerClass(x[k-1]) != pRight {
				k--
			}
			pieces = append(pieces, piece{x[j:k], true})
			i = k
		}
	} else {
		// Poppler outputs, reading from the right: rtl reversed, ltr, rtl
		// reversed, ... An ltr piece ends with a digit or letter.
		for i := 0; i < n; {
			k := i
			for k < n && !leftOrNumber(x[k]) {
				k++
			}
			pieces = append(pieces, piece{x[i:k], true})
			if k == n {
				break
			}
			j := k
			for j < n && popplerClass(x[j]) != pRight {
				j++
			}
			pieces = append(pieces, piece{endLTR(x[k:j], j == n), false})
			i = j
		}
		slices.Reverse(pieces)
	}
	out := make([]rune, 0, n+4)
	for _, p := range pieces {
		if p.rtl {
			for k := len(p.rs) - 1; k >= 0; k-- {
				out = append(out, p.rs[k])
			}
		} else {
			out = append(out, p.rs...)
		}
	}
	return out
}

// typedText returns the characters typed for shaped text in logical
// order: presentation forms become letters, a lam-alef ligature lam and
// alef.
func typedText(dst []rune, shaped []rune) []rune {
	for _, r := range shaped {
		switch to, ok := logicalOf[r]; {
		case isLamAlef(r):
			dst = append(dst, lam, to[0])
		case ok:
			dst = append(dst, to...)
		default:
			dst = append(dst, r)
		}
	}
	return dst
}

// seenText returns the characters poppler finds in a line's runs, left to
// right: each glyph's ToUnicode text.
func seenText(dst []rune, l line) []rune {
	for _, r := range l.runs {
		for _, c := range r.text {
			if to, ok := logicalOf[c]; ok {
				dst = append(dst, to...)
			} else {
				dst = append(dst, c)
			}
		}
	}
	return dst
}

// actualText returns the operators that open the marked-content
// sequences of a line (see the package comment), or "" when poppler reads
// the line right without them. both says to check pages of either
// direction, not only of the layout's.
func (p *painter) actualText(l line, both bool) string {
	x := typedText(nil, []rune(l.logical))
	seen := seenText(nil, l)
	lr := !p.rtl
	if slices.Equal(popplerOrder(seen, lr), x) && (!both || slices.Equal(popplerOrder(seen, !lr), x)) {
		return ""
	}
	b := make([]byte, 0, 16*len(x)+64)
	b = appendSpan(b, x)
	b = appendSpan(b, forPoppler(x, lr))
	return string(b[:len(b)-1])
}

const spanOpen, spanClose = "/Span<</ActualText<FEFF", ">>>BDC\n"

// appendSpan appends the operator that opens a marked-content sequence
// whose ActualText is text.
func appendSpan(b []byte, text []rune) []byte {
	const digits = "0123456789ABCDEF"
	b = append(b, spanOpen...)
	for _, u := range utf16.Encode(text) {
		b = append(b, digits[u>>12], digits[u>>8&15], digits[u>>4&15], digits[u&15])
	}
	return append(b, spanClose...)
}

// fixSpans returns a page's content stream with the inner ActualText of
// every line arranged for the direction poppler will read the page in, or
// the stream itself when it needs no change.
func fixSpans(stream []byte) []byte {
	if !bytes.Contains(stream, []byte(spanOpen)) {
		return stream
	}
	type pair struct {
		start, end int // of the inner span's hexadecimal text
		typed      []rune
	}
	var pairs []pair
	count := 0 // left-to-right letters less right-to-left ones, as poppler counts
	lrms := [2]int{}
	for i := 0; ; {
		j := bytes.Index(stream[i:], []byte(spanOpen))
		if j < 0 {
			break
		}
		outer := i + j + len(spanOpen)
		oe := bytes.Index(stream[outer:], []byte(spanClose))
		inner := outer + oe + len(spanClose) + len(spanOpen)
		if oe < 0 || inner > len(stream) || !bytes.HasPrefix(stream[inner-len(spanOpen):], []byte(spanOpen)) {
			return stream // not written by appendSpan: leave it
		}
		ie := bytes.Index(stream[inner:], []byte(spanClose))
		if ie < 0 {
			return stream
		}
		x, ok := decodeHex16(stream[outer : outer+oe])
		if !ok {
			return stream
		}
		pairs = append(pairs, pair{inner, inner + ie, x})
		for k, lr := range []bool{true, false} {
			for _, r := range forPoppler(x, lr) {
				if r == lrm {
					lrms[k]++
				}
			}
		}
		i = inner + ie
	}
	count = popplerCount(stream)
	lr := count+lrms[0] >= 0
	var out []byte
	last := 0
	for _, pr := range pairs {
		want := appendSpan(nil, forPoppler(pr.typed, lr))
		want = want[len(spanOpen) : len(want)-len(spanClose)]
		if bytes.Equal(want, stream[pr.start:pr.end]) {
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(stream)+len(stream)/8)
		}
		out = append(out, stream[last:pr.start]...)
		out = append(out, want...)
		last = pr.end
	}
	if out == nil {
		return stream
	}
	return append(out, stream[last:]...)
}

// decodeHex16 decodes the hexadecimal UTF-16 text that appendSpan writes.
func decodeHex16(h []byte) ([]rune, bool) {
	if len(h)%4 != 0 {
		return nil, false
	}
	u := make([]uint16, len(h)/4)
	for i := range u {
		for _, c := range h[4*i : 4*i+4] {
			var d byte
			switch {
			case c >= '0' && c <= '9':
				d = c - '0'
			case c >= 'A' && c <= 'F':
				d = c - 'A' + 10
			default:
				return nil, false
			}
			u[i] = u[i]<<4 | uint16(d)
		}
	}
	return utf16.Decode(u), true
}

// popplerCount returns how many more left-to-right letters than
// right-to-left ones the text drawn by a page's content stream has, as
// poppler counts them to choose the page's direction (lamMark stands for a
// lam). It reads the strings of the "(...) Tj" operators fpdf writes, in
// UTF-16.
func popplerCount(stream []byte) int {
	count := 0
	for i := 0; ; {
		j := bytes.Index(stream[i:], []byte(" Td ("))
		if j < 0 {
			return count
		}
		i += j + len(" Td (")
		var hi byte
		odd := false
		for ; i < len(stream) && stream[i] != ')'; i++ {
			c := stream[i]
			if c == '\\' && i+1 < len(stream) {
				i++
				c = stream[i]
				if c == 'r' {
					c = '\r'
				}
			}
			if !odd {
				hi, odd = c, true
				continue
			}
			odd = false
			r := rune(hi)<<8 | rune(c)
			if r == lamMark {
				r = lam
			}
			switch popplerClass(r) {
			case pLeft:
				count++
			case pRight:
				count--
			}
		}
	}
}

// openSpans opens the marked-content sequences of line l when it needs
// them, and reports whether it did.
func (p *painter) openSpans(l line) bool {
	m := p.actualText(l, l.bidi)
	if m != "" {
		p.pdf.RawWriteStr(m)
	}
	return m != ""
}
