package reports

import (
	"bytes"
	"slices"
	"strconv"
	"sync"

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
// ActualText (PDF 32000-1, 14.9.4), after a comment that names the
// direction the inner one is arranged for:
//
//	%R0
//	/Span<</ActualText(the line as typed)>>BDC
//	/Span<</ActualText(the same, arranged for poppler)>>BDC ... EMC EMC
//
// A reader that follows the specification takes the outer text, which
// replaces everything inside it: the line in logical order. Poppler does
// not nest ActualText: the inner text replaces the outer, and it puts the
// inner text's characters over the line's glyphs left to right and then
// applies its rule. The inner text is the typed line arranged so that this
// rule gives it back (forPoppler), for the direction of the page it is on:
// the writer arranges it for the layout's direction, and writePacked
// arranges it again where poppler will read the page the other way
// (fixSpans).
//
// Where the rule cannot give a space back between a right-to-left letter
// and a digit or Latin letter, the space is a no-break space, which the
// rule counts as a digit; where the character there is not a space, a
// left-to-right mark (U+200E) is added, or at the end of a line read right
// to left a no-break space, which there is only white space. Poppler counts the marks as
// left-to-right letters when it chooses a page's direction, so the comment
// of a line arranged for right to left says how many it has ("%R2"); on a
// page where they would tip the count, no-break spaces stand in for them.
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

// popplerOrder appends to out text as poppler extracts it from characters
// placed left to right in that order, without the embedding controls it
// adds; lr is the page's direction.
func popplerOrder(out, text []rune, lr bool) []rune {
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

// forPoppler appends to dst the characters which, placed left to right,
// poppler extracts as x on a page of direction lr: x itself with some
// spaces made no-break spaces and some left-to-right marks added, as the
// package comment says; or no-break spaces instead of the marks, unless
// marks.
//
// x is cut into pieces that poppler outputs as they are ("ltr") and pieces
// it reverses ("rtl"). An ltr piece has no right-to-left letter; an rtl
// piece has no digit or left-to-right letter and starts (on left-to-right
// pages) or ends (on right-to-left ones) with a right-to-left letter.
func forPoppler(dst, x []rune, lr, marks bool) []rune {
	n := len(x)
	reversed := func(rs []rune) {
		for k := len(rs) - 1; k >= 0; k-- {
			dst = append(dst, rs[k])
		}
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
			if i > 0 && !leftOrNumber(a[0]) { // a is not empty: see below
				switch {
				case a[0] == ' ':
					dst = append(dst, nbsp)
					a = a[1:]
				case marks:
					dst = append(dst, lrm)
				default:
					dst = append(dst, nbsp)
				}
			}
			dst = append(dst, a...)
			if j == n {
				break
			}
			k := j
			for k < n && !leftOrNumber(x[k]) {
				k++
			}
			for popplerClass(x[k-1]) != pRight {
				k-- // neutrals after the last letter go to the next piece
			}
			reversed(x[j:k])
			i = k
		}
		return dst
	}
	// Poppler outputs, reading from the right: rtl reversed, ltr, rtl
	// reversed, ... An ltr piece ends with a digit or letter. The pieces
	// are found left to right and written right to left.
	var cuts [16]int
	bounds := append(cuts[:0], 0) // where each piece starts
	for i := 0; i < n; {
		k := i
		for k < n && !leftOrNumber(x[k]) {
			k++
		}
		if k == n {
			break
		}
		j := k
		for j < n && popplerClass(x[j]) != pRight {
			j++
		}
		bounds = append(bounds, k, j)
		i = j
	}
	end := n
	for p := len(bounds) - 1; p >= 0; p-- {
		start := bounds[p]
		if p%2 == 0 {
			reversed(x[start:end])
		} else {
			a := x[start:end]
			last := len(a) - 1
			switch {
			case leftOrNumber(a[last]):
				dst = append(dst, a...)
			case a[last] == ' ':
				dst = append(dst, a[:last]...)
				dst = append(dst, nbsp)
			case marks && end < n: // at the end of a line it is only white space
				dst = append(dst, a...)
				dst = append(dst, lrm)
			default:
				dst = append(dst, a...)
				dst = append(dst, nbsp)
			}
		}
		end = start
	}
	return dst
}

// logicalForms maps the presentation forms shaping draws, from U+FB50 to
// U+FEFF, to the letter each stands for (a lam-alef ligature to its alef):
// logicalOf as a table, for the lines drawn.
var logicalForms = func() *[0xFF00 - 0xFB50]rune {
	t := new([0xFF00 - 0xFB50]rune)
	for form, to := range logicalOf {
		if form >= 0xFB50 && form < 0xFF00 {
			t[form-0xFB50] = to[0]
		}
	}
	return t
}()

// letterOf returns the letter a character drawn stands for, itself unless
// it is a presentation form or lamMark.
func letterOf(r rune) rune {
	switch {
	case r >= 0xFB50 && r < 0xFF00:
		if to := logicalForms[r-0xFB50]; to != 0 {
			return to
		}
	case r == lamMark:
		return lam
	}
	return r
}

// typedText appends the characters typed for shaped text, in logical
// order: presentation forms become letters, a lam-alef ligature lam and
// alef.
func typedText(dst []rune, shaped string) []rune {
	for _, r := range shaped {
		if isLamAlef(r) {
			dst = append(dst, lam)
		}
		dst = append(dst, letterOf(r))
	}
	return dst
}

// seenText appends the characters poppler finds in a line's runs, left to
// right: each glyph's ToUnicode text.
func seenText(dst []rune, l line) []rune {
	for _, r := range l.runs {
		for _, c := range r.text {
			dst = append(dst, letterOf(c))
		}
	}
	return dst
}

// spanScratch holds the buffers of the line whose ActualText is worked out.
type spanScratch struct {
	typed, seen, order []rune
	ops                []byte
	rd                 bytes.Reader
}

// openSpans opens the marked-content sequences of line l when poppler
// would read it wrong without them (see the package comment), and reports
// whether it did. Lines of a paragraph with right-to-left text are checked
// on pages of either direction, others on pages of the layout's.
func (p *painter) openSpans(l line) bool {
	s := &p.scratch.span
	s.typed = typedText(s.typed[:0], l.logical)
	s.seen = seenText(s.seen[:0], l)
	lr := !p.rtl
	right := func(lr bool) bool {
		s.order = popplerOrder(s.order[:0], s.seen, lr)
		return slices.Equal(s.order, s.typed)
	}
	if right(lr) && (!l.bidi || right(!lr)) {
		return false
	}
	s.ops = appendSpans(s.ops[:0], s.typed, lr, true)
	s.rd.Reset(s.ops[:len(s.ops)-1]) // fpdf adds the newline
	p.pdf.RawWriteBuf(&s.rd)
	return true
}

// appendSpans appends the comment and the operators that open the
// marked-content sequences of a line typed x, arranged for a page of
// direction lr (see forPoppler for marks).
func appendSpans(b []byte, x []rune, lr, marks bool) []byte {
	var buf [256]rune
	inner := forPoppler(buf[:0], x, lr, marks)
	if lr {
		b = append(b, "%L\n"...)
	} else {
		b = append(b, "%R"...)
		b = strconv.AppendInt(b, int64(countRune(inner, lrm)), 10)
		b = append(b, '\n')
	}
	b = appendSpan(b, x)
	return appendSpan(b, inner)
}

func countRune(rs []rune, r rune) int {
	n := 0
	for _, c := range rs {
		if c == r {
			n++
		}
	}
	return n
}

const spanOpen, spanClose = "/Span<</ActualText(\xFE\xFF", ")>>BDC\n"

// appendSpan appends the operator that opens a marked-content sequence
// whose ActualText is text, a literal string in UTF-16.
func appendSpan(b []byte, text []rune) []byte {
	b = append(b, spanOpen...)
	for _, r := range text {
		if r > 0xFFFF {
			r = 0xFFFD // never drawn: see layoutParagraph
		}
		for _, c := range [2]byte{byte(r >> 8), byte(r)} {
			switch c {
			case '(', ')', '\\':
				b = append(b, '\\', c)
			case '\r': // a bare carriage return would be read as a newline
				b = append(b, '\\', 'r')
			default:
				b = append(b, c)
			}
		}
	}
	return append(b, spanClose...)
}

// readString appends to dst the UTF-16 text of the literal string that
// starts at b[0], as appendSpan and fpdf's Text write it, up to its closing
// parenthesis at b[n]; ok is false when b holds no complete string. With
// dst nil it only finds the end.
func readString(dst []rune, b []byte, decode bool) (text []rune, n int, ok bool) {
	var hi byte
	odd := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch c {
		case ')':
			return dst, i, !odd
		case '\\':
			if i++; i == len(b) {
				return dst, i, false
			}
			if c = b[i]; c == 'r' {
				c = '\r'
			}
		}
		if !odd {
			hi, odd = c, true
			continue
		}
		odd = false
		if decode {
			dst = append(dst, rune(hi)<<8|rune(c))
		}
	}
	return dst, len(b), false
}

// spanPair is a line's comment and two opening operators in a content
// stream, as appendSpans writes them.
type spanPair struct {
	start, end int  // from the comment to the end of the inner operator
	outer      int  // where the outer ActualText's string starts
	lr         bool // the direction it is arranged for
	marks      int  // left-to-right marks of a right-to-left arrangement
}

// spanPairs returns the pairs of a content stream, or false if one is not
// as appendSpans writes it.
func spanPairs(stream []byte) ([]spanPair, bool) {
	var pairs []spanPair
	for i := 0; ; {
		j := bytes.Index(stream[i:], []byte(spanOpen))
		if j < 0 {
			return pairs, true
		}
		at := i + j
		// The comment: "%L\n" or "%R<marks>\n".
		c := bytes.LastIndexByte(stream[:at], '%')
		if c < 0 || at-c < 3 || stream[at-1] != '\n' {
			return nil, false
		}
		pr := spanPair{start: c, outer: at + len(spanOpen)}
		switch tag := stream[c+1 : at-1]; {
		case string(tag) == "L":
			pr.lr = true
		case tag[0] == 'R':
			m, err := strconv.Atoi(string(tag[1:]))
			if err != nil {
				return nil, false
			}
			pr.marks = m
		default:
			return nil, false
		}
		end := pr.outer
		for k := range 2 {
			_, n, ok := readString(nil, stream[end:], false)
			if !ok || !bytes.HasPrefix(stream[end+n:], []byte(spanClose)) {
				return nil, false
			}
			end += n + len(spanClose)
			if k == 0 {
				if !bytes.HasPrefix(stream[end:], []byte(spanOpen)) {
					return nil, false
				}
				end += len(spanOpen)
			}
		}
		pr.end = end
		pairs = append(pairs, pr)
		i = end
	}
}

// fixSpans returns a page's content stream with the inner ActualText of
// every line arranged for the direction poppler reads the page in, or the
// stream itself when it needs no change.
func fixSpans(stream []byte) []byte {
	if !bytes.Contains(stream, []byte(spanOpen)) {
		return stream
	}
	// Left-to-right marks only make a page that poppler reads left to
	// right more so; on a page read right to left they must not tip the
	// count.
	count := popplerCount(stream)
	lr, marks := count >= 0, true
	switch {
	case lr && !bytes.Contains(stream, []byte("\n%R")):
		return stream
	case !lr && !bytes.Contains(stream, []byte("\n%L\n")) && count+rtlMarks(stream) < 0:
		return stream
	}
	pairs, ok := spanPairs(stream)
	if !ok {
		return stream // not written by openSpans: leave it
	}
	var x []rune
	typed := func(pr spanPair) []rune {
		x, _, _ = readString(x[:0], stream[pr.outer:], true)
		return x
	}
	if !lr {
		for _, pr := range pairs {
			if pr.lr {
				count += countRune(forPoppler(nil, typed(pr), false, true), lrm)
			} else {
				count += pr.marks
			}
		}
		marks = count < 0
	}
	var out []byte
	last := 0
	for _, pr := range pairs {
		if pr.lr == lr && (lr || marks || pr.marks == 0) {
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(stream)+len(stream)/8)
		}
		out = append(out, stream[last:pr.start]...)
		out = appendSpans(out, typed(pr), lr, marks)
		last = pr.end
	}
	if out == nil {
		return stream
	}
	return append(out, stream[last:]...)
}

// rtlMarks returns the number of left-to-right marks that the comments of
// lines arranged for right to left announce.
func rtlMarks(stream []byte) int {
	sum := 0
	for i := 0; ; {
		j := bytes.Index(stream[i:], []byte("\n%R"))
		if j < 0 {
			return sum
		}
		i += j + len("\n%R")
		e := bytes.IndexByte(stream[i:], '\n')
		if e < 0 {
			return sum
		}
		if m, err := strconv.Atoi(string(stream[i : i+e])); err == nil && bytes.HasPrefix(stream[i+e+1:], []byte(spanOpen)) {
			sum += m
		}
		i += e
	}
}

// popplerCount returns how many more left-to-right letters than
// right-to-left ones the glyphs of a page's content stream have, as poppler
// counts them to choose the page's direction. It reads the strings of the
// "(...) Tj" operators fpdf writes, in UTF-16. A line's ActualText, which
// poppler counts instead of its glyphs, has the same letters, and maybe
// left-to-right marks (see fixSpans).
func popplerCount(stream []byte) int {
	weights := letterWeights()
	count := 0
	for i := 0; ; {
		j := bytes.Index(stream[i:], []byte(" Td ("))
		if j < 0 {
			return count
		}
		var hi byte
		odd := false
		for i += j + len(" Td ("); i < len(stream) && stream[i] != ')'; i++ {
			c := stream[i]
			if c == '\\' && i+1 < len(stream) {
				if i++; stream[i] == 'r' {
					c = '\r'
				} else {
					c = stream[i]
				}
			}
			if odd {
				count += int(weights[uint16(hi)<<8|uint16(c)])
			}
			hi, odd = c, !odd
		}
	}
}

var (
	weightsOnce sync.Once
	weights     *[0x10000]int8
)

// letterWeights returns, for every character drawn, +1 if poppler counts
// it as a left-to-right letter, -1 as a right-to-left one, else 0.
func letterWeights() *[0x10000]int8 {
	weightsOnce.Do(func() {
		w := new([0x10000]int8)
		for r := range w {
			switch popplerClass(letterOf(rune(r))) {
			case pLeft:
				w[r] = 1
			case pRight:
				w[r] = -1
			}
		}
		weights = w
	})
	return weights
}
