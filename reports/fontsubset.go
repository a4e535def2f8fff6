package reports

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"sync"
)

// fpdf parses a whole TrueType font each time a document registers it, and
// parses it again to cut the subset it embeds: for Droid Sans Fallback, 49,000
// glyphs, that is most of the time of a Chinese report. So a document
// registers a reduced font instead: the embedded font with a cmap of only the
// characters the document may draw, and only the glyphs those need,
// renumbered in their order. Everything fpdf reads from it (metrics, names,
// widths of those characters, outlines, the order of glyphs) is what it
// would read from the whole font, so the subset it embeds comes out the same,
// byte for byte. The tables of each font are read once per process, and
// shared read only by every document and worker.

// runeSet is a set of BMP characters.
type runeSet [0x10000 / 64]uint64

func (s *runeSet) add(r rune) {
	if r >= 0 && r <= 0xFFFF {
		s[r>>6] |= 1 << (r & 63)
	}
}

func (s *runeSet) has(r rune) bool {
	return r >= 0 && r <= 0xFFFF && s[r>>6]&(1<<(r&63)) != 0
}

// sfnt is a TrueType font read once: its tables, and its character map as
// fpdf reads it.
type sfnt struct {
	tables map[string][]byte
	// glyph maps every character to the glyph that the cmap subtable fpdf
	// uses gives it, 0 included; -1 for characters outside its segments.
	glyph       []int32
	loca        []int // numGlyphs+1 offsets into glyf
	numGlyphs   int
	numHMetrics int
}

var (
	sfntOnce [numFonts]sync.Once
	sfnts    [numFonts]*sfnt
)

// fontTables returns font id read, or nil when the font is not what this
// file expects (fpdf then gets the whole font).
func fontTables(id fontID) *sfnt {
	sfntOnce[id].Do(func() { sfnts[id] = parseSfnt(fontSpecs[id].data) })
	return sfnts[id]
}

func parseSfnt(font []byte) *sfnt {
	u16 := func(b []byte, at int) int { return int(binary.BigEndian.Uint16(b[at:])) }
	u32 := func(b []byte, at int) int { return int(binary.BigEndian.Uint32(b[at:])) }
	if len(font) < 12 || u32(font, 0) != 0x00010000 {
		return nil
	}
	f := &sfnt{tables: map[string][]byte{}}
	n := u16(font, 4)
	for i := range n {
		rec := 12 + 16*i
		if rec+16 > len(font) {
			return nil
		}
		off, ln := u32(font, rec+8), u32(font, rec+12)
		if off+ln > len(font) {
			return nil
		}
		f.tables[string(font[rec:rec+4])] = font[off : off+ln]
	}
	head, hhea, maxp := f.tables["head"], f.tables["hhea"], f.tables["maxp"]
	cmap, loca, glyf, hmtx := f.tables["cmap"], f.tables["loca"], f.tables["glyf"], f.tables["hmtx"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 || cmap == nil || glyf == nil {
		return nil
	}
	f.numGlyphs = u16(maxp, 4)
	f.numHMetrics = u16(hhea, 34)
	if f.numHMetrics == 0 || f.numHMetrics > f.numGlyphs ||
		len(hmtx) < 4*f.numHMetrics+2*(f.numGlyphs-f.numHMetrics) {
		return nil
	}
	f.loca = make([]int, f.numGlyphs+1)
	for g := range f.loca {
		switch u16(head, 50) {
		case 0:
			if 2*g+2 > len(loca) {
				return nil
			}
			f.loca[g] = 2 * u16(loca, 2*g)
		case 1:
			if 4*g+4 > len(loca) {
				return nil
			}
			f.loca[g] = u32(loca, 4*g)
		default:
			return nil
		}
		if f.loca[g] > len(glyf) || (g > 0 && f.loca[g] < f.loca[g-1]) {
			return nil
		}
	}
	// The first Unicode subtable (platform 0, or Windows Unicode BMP) in
	// format 4, as fpdf picks it.
	sub := -1
	for i := range u16(cmap, 2) {
		rec := 4 + 8*i
		if rec+8 > len(cmap) {
			return nil
		}
		platform, encoding, off := u16(cmap, rec), u16(cmap, rec+2), u32(cmap, rec+4)
		if (platform == 3 && encoding == 1) || platform == 0 {
			if off+14 <= len(cmap) && u16(cmap, off) == 4 {
				sub = off
				break
			}
		}
	}
	if sub < 0 {
		return nil
	}
	// Decoded as fpdf decodes it (generateSCCSDictionaries), quirks and all.
	t := cmap[sub:]
	rim := u16(t, 2)
	segs := u16(t, 6) / 2
	ends, starts := 14, 16+2*segs
	deltas, ranges := starts+2*segs, starts+4*segs
	if ranges+2*segs > len(t) || rim > len(t) {
		return nil
	}
	f.glyph = make([]int32, 0x10000)
	for i := range f.glyph {
		f.glyph[i] = -1
	}
	for s := range segs {
		end, start := u16(t, ends+2*s), u16(t, starts+2*s)
		delta, ro := u16(t, deltas+2*s), u16(t, ranges+2*s)
		for c := start; c <= end; c++ {
			g := 0
			if ro == 0 {
				g = (c + delta) & 0xFFFF
			} else if at := ranges + 2*s + ro + 2*(c-start); at < rim && at+2 <= len(t) {
				if g = u16(t, at); g != 0 {
					g = (g + delta) & 0xFFFF
				}
			}
			f.glyph[c] = int32(g)
		}
	}
	if f.glyph[0xFFFF] < 0 {
		return nil // a format 4 subtable ends with a 0xFFFF segment
	}
	return f
}

// subset returns a TrueType font with the tables fpdf reads from f, a cmap
// of the characters of set that f maps (and of every character up to 0xFF
// that it maps, which fpdf lists the widths of whatever the document draws),
// and the outlines of their glyphs and of the glyphs those are made of.
//
// Only the glyphs needed are kept, numbered in their order in f, so that
// fpdf, which cuts its subset in glyph order too, cuts the same one. A
// Chinese document uses a few hundred of Droid Sans Fallback's 49,000
// glyphs: fpdf reads metrics and offsets for each glyph of the font it is
// given, twice per document, which with the original numbers cost most of
// the time of a Chinese report.
func (f *sfnt) subset(set *runeSet) []byte {
	glyf := f.tables["glyf"]
	need := make([]bool, f.numGlyphs)
	need[0] = true
	var chars []rune
	for w, word := range set {
		for word != 0 {
			c := rune(w*64 + bits.TrailingZeros64(word))
			word &= word - 1
			if c > 0xFF && f.glyph[c] >= 0 {
				chars = append(chars, c)
			}
		}
	}
	low := make([]rune, 0, 256)
	for c := range rune(256) {
		if f.glyph[c] >= 0 {
			low = append(low, c)
		}
	}
	chars = append(low, chars...)
	if chars[len(chars)-1] != 0xFFFF {
		chars = append(chars, 0xFFFF)
	}
	work := make([]int, 0, len(chars))
	mark := func(g int) {
		if g < f.numGlyphs && !need[g] {
			need[g] = true
			work = append(work, g)
		}
	}
	for _, c := range chars {
		mark(int(f.glyph[c]))
	}
	// Components of composite glyphs, as fpdf follows them.
	for len(work) > 0 {
		g := work[len(work)-1]
		work = work[:len(work)-1]
		eachComponent(glyf[f.loca[g]:f.loca[g+1]], func(at int) {
			mark(int(binary.BigEndian.Uint16(glyf[f.loca[g]+at:])))
		})
	}
	// The glyphs kept, in order, and their new numbers.
	newID := make([]int32, f.numGlyphs)
	var kept []int
	for g, ok := range need {
		if ok {
			newID[g] = int32(len(kept))
			kept = append(kept, g)
		}
	}
	numGlyphs := len(kept)

	// glyf and a long loca: the bytes of each glyph, composites pointing at
	// the new numbers of their components; hmtx with a long metric for
	// every glyph, as fpdf reads each (advance, left side bearing).
	be := binary.BigEndian
	size := 0
	for _, g := range kept {
		size += f.loca[g+1] - f.loca[g]
	}
	newGlyf := make([]byte, 0, size)
	newLoca := make([]byte, 4*(numGlyphs+1))
	hmtx := f.tables["hmtx"]
	newHmtx := make([]byte, 4*numGlyphs)
	lastAdvance := hmtx[4*(f.numHMetrics-1):][:2]
	for i, g := range kept {
		be.PutUint32(newLoca[4*i:], uint32(len(newGlyf)))
		start := len(newGlyf)
		newGlyf = append(newGlyf, glyf[f.loca[g]:f.loca[g+1]]...)
		data := newGlyf[start:]
		eachComponent(data, func(at int) {
			be.PutUint16(data[at:], uint16(newID[be.Uint16(data[at:])]))
		})
		m := newHmtx[4*i:]
		if g < f.numHMetrics {
			copy(m, hmtx[4*g:4*g+4])
		} else {
			copy(m, lastAdvance)
			copy(m[2:], hmtx[4*f.numHMetrics+2*(g-f.numHMetrics):][:2])
		}
	}
	be.PutUint32(newLoca[4*numGlyphs:], uint32(len(newGlyf)))

	head := slices.Clone(f.tables["head"])
	be.PutUint16(head[50:], 1) // long loca
	hhea := slices.Clone(f.tables["hhea"])
	be.PutUint16(hhea[34:], uint16(numGlyphs))
	maxp := slices.Clone(f.tables["maxp"])
	be.PutUint16(maxp[4:], uint16(numGlyphs))

	tables := map[string][]byte{
		"cmap": cmapFormat4(chars, func(c rune) int { return int(newID[f.glyph[c]]) }),
		"glyf": newGlyf,
		"head": head,
		"hhea": hhea,
		"hmtx": newHmtx,
		"loca": newLoca,
		"maxp": maxp,
	}
	for _, tag := range []string{"OS/2", "cvt ", "fpgm", "gasp", "name", "post", "prep"} {
		if t, ok := f.tables[tag]; ok {
			tables[tag] = t
		}
	}
	return assembleSfnt(tables)
}

// eachComponent calls fn with the offset in a glyph's data of the glyph
// number of each of its components, if it is a composite glyph.
func eachComponent(data []byte, fn func(at int)) {
	if len(data) < 10 || int16(binary.BigEndian.Uint16(data)) >= 0 {
		return
	}
	for at := 10; at+4 <= len(data); {
		flags := binary.BigEndian.Uint16(data[at:])
		fn(at + 2)
		at += 4
		if flags&symbolWordsFlag != 0 {
			at += 4
		} else {
			at += 2
		}
		switch {
		case flags&symbolScaleFlag != 0:
			at += 2
		case flags&symbolAllScaleFlag != 0:
			at += 4
		case flags&symbol2x2Flag != 0:
			at += 8
		}
		if flags&symbolContinueFlag == 0 {
			break
		}
	}
}

// Composite glyph flags.
const (
	symbolWordsFlag    = 1 << 0
	symbolScaleFlag    = 1 << 3
	symbolContinueFlag = 1 << 5
	symbolAllScaleFlag = 1 << 6
	symbol2x2Flag      = 1 << 7
)

// cmapFormat4 returns a cmap table with one Windows Unicode BMP subtable
// in format 4 that maps chars (ascending, ending with 0xFFFF) to their
// glyphs (glyph gives each one's), one segment for each run of consecutive
// characters and glyphs.
func cmapFormat4(chars []rune, glyph func(rune) int) []byte {
	type seg struct{ start, end, delta int }
	var segs []seg
	for _, c := range chars {
		d := (glyph(c) - int(c)) & 0xFFFF
		if n := len(segs); n > 0 && segs[n-1].end == int(c)-1 && segs[n-1].delta == d {
			segs[n-1].end = int(c)
			continue
		}
		segs = append(segs, seg{int(c), int(c), d})
	}
	n := len(segs)
	length := 16 + 8*n
	b := make([]byte, 12+length)
	be := binary.BigEndian
	be.PutUint16(b[2:], 1)  // one subtable
	be.PutUint16(b[4:], 3)  // Windows
	be.PutUint16(b[6:], 1)  // Unicode BMP
	be.PutUint32(b[8:], 12) // offset
	t := b[12:]
	be.PutUint16(t[0:], 4)
	be.PutUint16(t[2:], uint16(length))
	be.PutUint16(t[6:], uint16(2*n))
	sr, es := 1, 0
	for sr*2 <= n {
		sr *= 2
		es++
	}
	be.PutUint16(t[8:], uint16(2*sr))
	be.PutUint16(t[10:], uint16(es))
	be.PutUint16(t[12:], uint16(2*n-2*sr))
	for i, s := range segs {
		be.PutUint16(t[14+2*i:], uint16(s.end))
		be.PutUint16(t[16+2*n+2*i:], uint16(s.start))
		be.PutUint16(t[16+4*n+2*i:], uint16(s.delta))
		// idRangeOffset 0: the glyph is the character plus delta.
	}
	return b
}

// assembleSfnt lays tables out as a TrueType file. The font only goes from
// here to fpdf, which reads neither the table checksums nor the file
// checksum, so they are left at zero.
func assembleSfnt(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	size := 12 + 16*len(tables)
	for tag, t := range tables {
		tags = append(tags, tag)
		size += (len(t) + 3) &^ 3
	}
	slices.Sort(tags)
	b := make([]byte, size)
	be := binary.BigEndian
	be.PutUint32(b[0:], 0x00010000)
	n := len(tags)
	sr, es := 1, 0
	for sr*2 <= n {
		sr *= 2
		es++
	}
	be.PutUint16(b[4:], uint16(n))
	be.PutUint16(b[6:], uint16(16*sr))
	be.PutUint16(b[8:], uint16(es))
	be.PutUint16(b[10:], uint16(16*n-16*sr))
	off := 12 + 16*n
	for i, tag := range tags {
		rec := b[12+16*i:]
		copy(rec, tag)
		be.PutUint32(rec[8:], uint32(off))
		be.PutUint32(rec[12:], uint32(len(tables[tag])))
		copy(b[off:], tables[tag])
		off += (len(tables[tag]) + 3) &^ 3
	}
	return b
}
