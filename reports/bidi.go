package reports

import (
	"slices"

	"golang.org/x/text/unicode/bidi"
)

// A subset of the Unicode Bidirectional Algorithm (UAX #9) that is enough
// for report text: one paragraph level (from the first strong character, or
// the layout direction), no explicit embeddings or isolates (their controls
// are stripped), weak and neutral types resolved by rules W1-W7 and N1-N2,
// implicit levels I1-I2, and per line L1 (trailing spaces), L2 (reversal) and
// L4 (mirrored brackets). Character classes come from x/text's tables; the
// algorithm is written here because x/text's Paragraph is not complete.

// paragraphRTL returns whether a paragraph is right to left: the direction
// of its first strong character, or def when it has none (rules P2-P3).
func paragraphRTL(rs []rune, def bool) bool {
	for _, r := range rs {
		switch bidiClass(r) {
		case bidi.L:
			return false
		case bidi.R, bidi.AL:
			return true
		}
	}
	return def
}

// isBidiControl reports whether r is an explicit formatting character or
// boundary neutral, which this subset drops from the text (rule X9).
func isBidiControl(r rune) bool {
	switch bidiClass(r) {
	case bidi.BN, bidi.LRO, bidi.RLO, bidi.LRE, bidi.RLE, bidi.PDF, bidi.LRI, bidi.RLI, bidi.FSI, bidi.PDI:
		return r != '\t' && r != '\n'
	}
	return false
}

// resolveLevels returns the embedding level of every rune of a paragraph
// whose base direction is rtl.
func resolveLevels(rs []rune, rtl bool) []uint8 {
	return resolveLevelsInto(nil, new(bidiScratch), rs, rtl)
}

// bidiScratch holds working buffers of the algorithm, reused from one
// paragraph or line to the next.
type bidiScratch struct {
	t  []bidi.Class
	lv []uint8
	cl []cluster
}

// resolveLevelsInto is resolveLevels appending to dst[:0].
func resolveLevelsInto(dst []uint8, s *bidiScratch, rs []rune, rtl bool) []uint8 {
	n := len(rs)
	t := s.t[:0]
	for _, r := range rs {
		t = append(t, bidiClass(r))
	}
	s.t = t
	sos := bidi.L
	var base uint8
	if rtl {
		sos, base = bidi.R, 1
	}
	// W1: a mark takes the type of the character before it.
	for i := range t {
		if t[i] == bidi.NSM {
			if i == 0 {
				t[i] = sos
			} else {
				t[i] = t[i-1]
			}
		}
	}
	// W2, W3: European numbers after Arabic letters are Arabic numbers;
	// Arabic letters are then simply right to left.
	last := sos
	for i := range t {
		switch t[i] {
		case bidi.L, bidi.R, bidi.AL:
			last = t[i]
		case bidi.EN:
			if last == bidi.AL {
				t[i] = bidi.AN
			}
		}
	}
	for i := range t {
		if t[i] == bidi.AL {
			t[i] = bidi.R
		}
	}
	// W4: one separator between two numbers of the same kind joins them.
	for i := 1; i+1 < n; i++ {
		switch {
		case t[i] == bidi.ES && t[i-1] == bidi.EN && t[i+1] == bidi.EN:
			t[i] = bidi.EN
		case t[i] == bidi.CS && t[i-1] == bidi.EN && t[i+1] == bidi.EN:
			t[i] = bidi.EN
		case t[i] == bidi.CS && t[i-1] == bidi.AN && t[i+1] == bidi.AN:
			t[i] = bidi.AN
		}
	}
	// W5: terminators (%, currency) next to a European number belong to it.
	for i := 0; i < n; i++ {
		if t[i] != bidi.ET {
			continue
		}
		j := i
		for j < n && t[j] == bidi.ET {
			j++
		}
		if (i > 0 && t[i-1] == bidi.EN) || (j < n && t[j] == bidi.EN) {
			for k := i; k < j; k++ {
				t[k] = bidi.EN
			}
		}
		i = j - 1
	}
	// W6: other separators and terminators are neutral.
	for i := range t {
		switch t[i] {
		case bidi.ES, bidi.ET, bidi.CS:
			t[i] = bidi.ON
		}
	}
	// W7: European numbers in left-to-right context are left to right.
	last = sos
	for i := range t {
		switch t[i] {
		case bidi.L, bidi.R:
			last = t[i]
		case bidi.EN:
			if last == bidi.L {
				t[i] = bidi.L
			}
		}
	}
	// N1, N2: neutrals between two strong types of the same direction take
	// it; others take the paragraph direction. Numbers count as R here.
	strong := func(c bidi.Class) (bidi.Class, bool) {
		switch c {
		case bidi.L:
			return bidi.L, true
		case bidi.R, bidi.EN, bidi.AN:
			return bidi.R, true
		}
		return 0, false
	}
	for i := 0; i < n; i++ {
		if _, ok := strong(t[i]); ok {
			continue
		}
		j := i
		for j < n {
			if _, ok := strong(t[j]); ok {
				break
			}
			j++
		}
		before, after := sos, sos
		if i > 0 {
			before, _ = strong(t[i-1])
		}
		if j < n {
			after, _ = strong(t[j])
		}
		dir := sos
		if before == after {
			dir = before
		}
		for k := i; k < j; k++ {
			t[k] = dir
		}
		i = j - 1
	}
	// I1, I2: implicit levels.
	levels := slices.Grow(dst[:0], n)[:n]
	for i, c := range t {
		l := base
		switch {
		case base == 0 && c == bidi.R:
			l = 1
		case base == 0 && (c == bidi.AN || c == bidi.EN):
			l = 2
		case base == 1 && (c == bidi.L || c == bidi.EN || c == bidi.AN):
			l = 2
		}
		levels[i] = l
	}
	return levels
}

// visualLine returns one line of a paragraph in visual (left to right) order:
// rs and levels are the line's runes and their resolved levels. Trailing
// whitespace is reset to the paragraph level (L1), runs are reversed from the
// highest level down to the lowest odd level (L2), and mirrored characters at
// odd levels are replaced by their mirror image (L4). A base letter and the
// marks that follow it stay together, so marks are drawn after their letter.
func visualLine(rs []rune, levels []uint8, rtl bool) []rune {
	return visualLineInto(nil, new(bidiScratch), rs, levels, rtl)
}

// cluster is a base character and the marks after it: rs[start:end].
type cluster struct {
	start, end int
	level      uint8
}

// visualLineInto is visualLine appending to dst[:0].
func visualLineInto(dst []rune, s *bidiScratch, rs []rune, levels []uint8, rtl bool) []rune {
	n := len(rs)
	if n == 0 {
		return dst[:0]
	}
	var base uint8
	if rtl {
		base = 1
	}
	lv := append(s.lv[:0], levels...)
	s.lv = lv
	for i := n - 1; i >= 0; i-- { // L1
		c := bidiClass(rs[i])
		if c != bidi.WS && c != bidi.S {
			break
		}
		lv[i] = base
	}
	var maxL, minOdd uint8 = 0, 255
	for _, l := range lv {
		maxL = max(maxL, l)
		if l%2 == 1 {
			minOdd = min(minOdd, l)
		}
	}
	cl := s.cl[:0]
	for i := 0; i < n; i++ {
		j := i + 1
		for j < n && bidiClass(rs[j]) == bidi.NSM {
			j++
		}
		cl = append(cl, cluster{i, j, lv[i]})
		i = j - 1
	}
	s.cl = cl
	for l := maxL; l >= minOdd && l > 0; l-- { // L2
		for i := 0; i < len(cl); i++ {
			if cl[i].level < l {
				continue
			}
			j := i
			for j < len(cl) && cl[j].level >= l {
				j++
			}
			for a, b := i, j-1; a < b; a, b = a+1, b-1 {
				cl[a], cl[b] = cl[b], cl[a]
			}
			i = j
		}
	}
	out := dst[:0]
	for _, c := range cl {
		for k := c.start; k < c.end; k++ {
			r := rs[k]
			if lv[k]%2 == 1 {
				if m, ok := mirrors[r]; ok {
					r = m
				}
			}
			out = append(out, r)
		}
	}
	return out
}

// mirrors holds the Bidi_Mirroring_Glyph pairs that report text uses.
var mirrors = map[rune]rune{
	'(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<',
	'«': '»', '»': '«', '‹': '›', '›': '‹', '⁅': '⁆', '⁆': '⁅',
	'≤': '≥', '≥': '≤', '〈': '〉', '〉': '〈',
}

// reorder returns a single-line text in visual order, with base direction
// from its content (or rtl when it has no strong character).
func reorder(s string, rtl bool) string {
	rs := []rune(s)
	dir := paragraphRTL(rs, rtl)
	return string(visualLine(rs, resolveLevels(rs, dir), dir))
}
