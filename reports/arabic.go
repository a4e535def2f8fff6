package reports

// Arabic shaping for fonts used without an OpenType layout engine: fpdf
// draws one glyph per code point and knows nothing of GSUB, so each Arabic
// letter is replaced here by its contextual presentation form (Arabic
// Presentation Forms-A and -B), and lam followed by an alef by the lam-alef
// ligature. Shaping works on logical order; bidi reordering comes after.

// joining is the Unicode joining type of a character.
type joining uint8

const (
	joinNone        joining = iota // not Arabic: breaks joining (type U)
	joinDual                       // D: joins on both sides
	joinRight                      // R: joins only the preceding letter (alef, dal, reh, waw, ...)
	joinCausing                    // C: tatweel, ZWJ
	joinTransparent                // T: harakat and other marks
)

// forms holds the isolated, final, initial and medial presentation forms of a
// letter; 0 where the form does not exist.
type forms struct {
	iso, fin, ini, med rune
}

// arabicForms maps a letter to its presentation forms. Right-joining letters
// have no initial or medial form.
var arabicForms = map[rune]forms{
	0x0621: {0xFE80, 0, 0, 0},                // hamza (non-joining)
	0x0622: {0xFE81, 0xFE82, 0, 0},           // alef with madda above
	0x0623: {0xFE83, 0xFE84, 0, 0},           // alef with hamza above
	0x0624: {0xFE85, 0xFE86, 0, 0},           // waw with hamza above
	0x0625: {0xFE87, 0xFE88, 0, 0},           // alef with hamza below
	0x0626: {0xFE89, 0xFE8A, 0xFE8B, 0xFE8C}, // yeh with hamza above
	0x0627: {0xFE8D, 0xFE8E, 0, 0},           // alef
	0x0628: {0xFE8F, 0xFE90, 0xFE91, 0xFE92}, // beh
	0x0629: {0xFE93, 0xFE94, 0, 0},           // teh marbuta
	0x062A: {0xFE95, 0xFE96, 0xFE97, 0xFE98}, // teh
	0x062B: {0xFE99, 0xFE9A, 0xFE9B, 0xFE9C}, // theh
	0x062C: {0xFE9D, 0xFE9E, 0xFE9F, 0xFEA0}, // jeem
	0x062D: {0xFEA1, 0xFEA2, 0xFEA3, 0xFEA4}, // hah
	0x062E: {0xFEA5, 0xFEA6, 0xFEA7, 0xFEA8}, // khah
	0x062F: {0xFEA9, 0xFEAA, 0, 0},           // dal
	0x0630: {0xFEAB, 0xFEAC, 0, 0},           // thal
	0x0631: {0xFEAD, 0xFEAE, 0, 0},           // reh
	0x0632: {0xFEAF, 0xFEB0, 0, 0},           // zain
	0x0633: {0xFEB1, 0xFEB2, 0xFEB3, 0xFEB4}, // seen
	0x0634: {0xFEB5, 0xFEB6, 0xFEB7, 0xFEB8}, // sheen
	0x0635: {0xFEB9, 0xFEBA, 0xFEBB, 0xFEBC}, // sad
	0x0636: {0xFEBD, 0xFEBE, 0xFEBF, 0xFEC0}, // dad
	0x0637: {0xFEC1, 0xFEC2, 0xFEC3, 0xFEC4}, // tah
	0x0638: {0xFEC5, 0xFEC6, 0xFEC7, 0xFEC8}, // zah
	0x0639: {0xFEC9, 0xFECA, 0xFECB, 0xFECC}, // ain
	0x063A: {0xFECD, 0xFECE, 0xFECF, 0xFED0}, // ghain
	0x0641: {0xFED1, 0xFED2, 0xFED3, 0xFED4}, // feh
	0x0642: {0xFED5, 0xFED6, 0xFED7, 0xFED8}, // qaf
	0x0643: {0xFED9, 0xFEDA, 0xFEDB, 0xFEDC}, // kaf
	0x0644: {0xFEDD, 0xFEDE, 0xFEDF, 0xFEE0}, // lam
	0x0645: {0xFEE1, 0xFEE2, 0xFEE3, 0xFEE4}, // meem
	0x0646: {0xFEE5, 0xFEE6, 0xFEE7, 0xFEE8}, // noon
	0x0647: {0xFEE9, 0xFEEA, 0xFEEB, 0xFEEC}, // heh
	0x0648: {0xFEED, 0xFEEE, 0, 0},           // waw
	0x0649: {0xFEEF, 0xFEF0, 0, 0},           // alef maksura
	0x064A: {0xFEF1, 0xFEF2, 0xFEF3, 0xFEF4}, // yeh
	// Letters of Forms-A that UN Arabic texts meet in names and loanwords.
	0x0671: {0xFB50, 0xFB51, 0, 0},           // alef wasla
	0x067E: {0xFB56, 0xFB57, 0xFB58, 0xFB59}, // peh
	0x0686: {0xFB7A, 0xFB7B, 0xFB7C, 0xFB7D}, // tcheh
	0x0698: {0xFB8A, 0xFB8B, 0, 0},           // jeh
	0x06A4: {0xFB6A, 0xFB6B, 0xFB6C, 0xFB6D}, // veh
	0x06A9: {0xFB8E, 0xFB8F, 0xFB90, 0xFB91}, // keheh
	0x06AF: {0xFB92, 0xFB93, 0xFB94, 0xFB95}, // gaf
	0x06CC: {0xFBFC, 0xFBFD, 0xFBFE, 0xFBFF}, // farsi yeh
}

// lamAlef maps the alef that follows a lam to the isolated and final forms of
// the ligature.
var lamAlef = map[rune][2]rune{
	0x0622: {0xFEF5, 0xFEF6},
	0x0623: {0xFEF7, 0xFEF8},
	0x0625: {0xFEF9, 0xFEFA},
	0x0627: {0xFEFB, 0xFEFC},
}

const (
	lam = 0x0644
	zwj = 0x200D
	// zwnj breaks joining and is then dropped like zwj: neither has a glyph
	// worth drawing.
	zwnj = 0x200C
)

// joiningType returns the joining type of r.
func joiningType(r rune) joining {
	if r >= 0x0600 && r <= 0x06FF {
		return arabicJoining[r-0x0600]
	}
	if r == zwj {
		return joinCausing
	}
	return joinNone
}

// arabicJoining and arabicFormsOf are joiningTypeOf and arabicForms as
// arrays over U+0600-U+06FF, where every character with forms or a joining
// type other than joinNone is, but ZWJ.
var arabicJoining, arabicFormsOf = func() (j [0x100]joining, f [0x100]forms) {
	for r := rune(0x0600); r <= 0x06FF; r++ {
		j[r-0x0600] = joiningTypeOf(r)
		f[r-0x0600] = arabicForms[r]
	}
	return j, f
}()

// joiningTypeOf returns the joining type of r from arabicForms and the
// Unicode ranges of joining-causing and transparent characters.
func joiningTypeOf(r rune) joining {
	if f, ok := arabicForms[r]; ok {
		if f.ini == 0 {
			if f.fin == 0 {
				return joinNone // hamza stands alone
			}
			return joinRight
		}
		return joinDual
	}
	switch {
	case r == 0x0640 || r == zwj: // tatweel
		return joinCausing
	case r >= 0x0610 && r <= 0x061A, r >= 0x064B && r <= 0x065F, r == 0x0670,
		r >= 0x06D6 && r <= 0x06DC, r >= 0x06DF && r <= 0x06E4, r == 0x06E7, r == 0x06E8,
		r >= 0x06EA && r <= 0x06ED:
		return joinTransparent
	}
	return joinNone
}

// formsOf returns the presentation forms of r, if it has any.
func formsOf(r rune) (forms, bool) {
	if r < 0x0600 || r > 0x06FF {
		return forms{}, false
	}
	f := arabicFormsOf[r-0x0600]
	return f, f.iso != 0
}

// hasArabic reports whether s holds a character that shaping changes.
func hasArabic(s string) bool {
	for _, r := range s {
		if r >= 0x0600 && r <= 0x06FF {
			return true
		}
	}
	return false
}

// shapeArabic returns s in logical order with every Arabic letter replaced by
// its contextual presentation form and lam-alef pairs by their ligature.
// Harakat are transparent: they neither join nor break joining, and are kept
// after the letter they belong to. Text without Arabic is returned unchanged.
func shapeArabic(s string) string {
	if !hasArabic(s) {
		return s
	}
	out, _ := shapeInto(nil, nil, []rune(s))
	return string(out)
}

// shapeInto appends in shaped to out; types is a buffer for the joining
// types of in, returned for reuse.
func shapeInto(out []rune, types []joining, in []rune) ([]rune, []joining) {
	types = types[:0]
	for _, r := range in {
		types = append(types, joiningType(r))
	}
	// neighbour returns the index of the nearest non-transparent character
	// from i in direction step, or -1.
	neighbour := func(i, step int) int {
		for j := i + step; j >= 0 && j < len(in); j += step {
			if types[j] != joinTransparent {
				return j
			}
		}
		return -1
	}
	joinsBefore := func(i int) bool { // i links to the character before it
		p := neighbour(i, -1)
		return p >= 0 && (types[p] == joinDual || types[p] == joinCausing) &&
			(types[i] == joinDual || types[i] == joinRight || types[i] == joinCausing)
	}
	for i := 0; i < len(in); i++ {
		r := in[i]
		if r == zwj || r == zwnj {
			continue
		}
		f, ok := formsOf(r)
		if !ok {
			out = append(out, r)
			continue
		}
		before := joinsBefore(i)
		n := neighbour(i, +1)
		if r == lam && n >= 0 {
			if lig, ok := lamAlef[in[n]]; ok { // only after a lam: rare
				if before {
					out = append(out, lig[1])
				} else {
					out = append(out, lig[0])
				}
				// Marks between lam and alef follow the ligature.
				out = append(out, in[i+1:n]...)
				i = n
				continue
			}
		}
		after := n >= 0 && (types[i] == joinDual || types[i] == joinCausing) &&
			(types[n] == joinDual || types[n] == joinRight || types[n] == joinCausing)
		form := f.iso
		switch {
		case before && after && f.med != 0:
			form = f.med
		case before && f.fin != 0:
			form = f.fin
		case after && f.ini != 0:
			form = f.ini
		}
		out = append(out, form)
	}
	return out, types
}
