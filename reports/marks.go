package reports

import (
	"encoding/binary"
	"sync"
)

// Without an OpenType engine, Arabic marks (harakat) are not attached to
// their letter by the font's anchors: a mark glyph has no advance and sits
// wherever its outline was drawn. So the report centres each mark over its
// letter itself, from the mark's horizontal extent read from the font's glyf
// table here.

// inkExtent is the horizontal extent of a glyph's outline in units of 1/1000
// of the font size.
type inkExtent struct{ min, max float64 }

var (
	markOnce   sync.Once
	markExtent map[rune]inkExtent
)

// isMark reports whether r is an Arabic mark drawn over or under a letter.
func isMark(r rune) bool {
	return joiningType(r) == joinTransparent
}

// markInk returns the horizontal extent of the mark r in the Naskh face.
// Bold text strokes the same outline evenly on both sides, so the extent
// centres bold marks too.
func markInk(r rune) (inkExtent, bool) {
	markOnce.Do(func() {
		m := map[rune]inkExtent{}
		for r := rune(0x0610); r <= 0x06ED; r++ {
			if !isMark(r) {
				continue
			}
			if e, ok := glyphExtent(faceNaskh.spec().data, r); ok {
				m[r] = e
			}
		}
		markExtent = m
	})
	e, ok := markExtent[r]
	return e, ok
}

// glyphExtent reads the horizontal bounding box of the glyph that font maps
// r to (cmap format 4, head, loca, glyf). It returns false when the font
// cannot tell.
func glyphExtent(font []byte, r rune) (inkExtent, bool) {
	tables := map[string][]byte{}
	if len(font) < 12 {
		return inkExtent{}, false
	}
	n := int(binary.BigEndian.Uint16(font[4:]))
	for i := range n {
		rec := 12 + 16*i
		if rec+16 > len(font) {
			return inkExtent{}, false
		}
		tag := string(font[rec : rec+4])
		off := int(binary.BigEndian.Uint32(font[rec+8:]))
		ln := int(binary.BigEndian.Uint32(font[rec+12:]))
		if off+ln > len(font) {
			return inkExtent{}, false
		}
		tables[tag] = font[off : off+ln]
	}
	head, cmap, loca, glyf := tables["head"], tables["cmap"], tables["loca"], tables["glyf"]
	if len(head) < 54 || cmap == nil || loca == nil || glyf == nil {
		return inkExtent{}, false
	}
	upem := float64(binary.BigEndian.Uint16(head[18:]))
	longLoca := binary.BigEndian.Uint16(head[50:]) == 1
	gid, ok := cmapLookup(cmap, r)
	if !ok {
		return inkExtent{}, false
	}
	var start, end int
	if longLoca {
		if 4*gid+8 > len(loca) {
			return inkExtent{}, false
		}
		start = int(binary.BigEndian.Uint32(loca[4*gid:]))
		end = int(binary.BigEndian.Uint32(loca[4*gid+4:]))
	} else {
		if 2*gid+4 > len(loca) {
			return inkExtent{}, false
		}
		start = 2 * int(binary.BigEndian.Uint16(loca[2*gid:]))
		end = 2 * int(binary.BigEndian.Uint16(loca[2*gid+2:]))
	}
	if end-start < 10 || end > len(glyf) {
		return inkExtent{}, false
	}
	g := glyf[start:]
	xMin := float64(int16(binary.BigEndian.Uint16(g[2:])))
	xMax := float64(int16(binary.BigEndian.Uint16(g[6:])))
	return inkExtent{xMin * 1000 / upem, xMax * 1000 / upem}, true
}

// cmapLookup maps r to a glyph index through the Unicode BMP subtable
// (format 4) of a cmap table.
func cmapLookup(cmap []byte, r rune) (int, bool) {
	if len(cmap) < 4 || r > 0xFFFF {
		return 0, false
	}
	n := int(binary.BigEndian.Uint16(cmap[2:]))
	for i := range n {
		rec := 4 + 8*i
		if rec+8 > len(cmap) {
			return 0, false
		}
		platform := binary.BigEndian.Uint16(cmap[rec:])
		encoding := binary.BigEndian.Uint16(cmap[rec+2:])
		off := int(binary.BigEndian.Uint32(cmap[rec+4:]))
		if !(platform == 3 && encoding == 1) && platform != 0 {
			continue
		}
		if off+14 > len(cmap) || binary.BigEndian.Uint16(cmap[off:]) != 4 {
			continue
		}
		sub := cmap[off:]
		segs := int(binary.BigEndian.Uint16(sub[6:])) / 2
		ends, starts := 14, 16+2*segs
		deltas, ranges := starts+2*segs, starts+4*segs
		if ranges+2*segs > len(sub) {
			return 0, false
		}
		for s := range segs {
			endCode := rune(binary.BigEndian.Uint16(sub[ends+2*s:]))
			if r > endCode {
				continue
			}
			startCode := rune(binary.BigEndian.Uint16(sub[starts+2*s:]))
			if r < startCode {
				return 0, false
			}
			delta := int(int16(binary.BigEndian.Uint16(sub[deltas+2*s:])))
			ro := int(binary.BigEndian.Uint16(sub[ranges+2*s:]))
			if ro == 0 {
				return (int(r) + delta) & 0xFFFF, true
			}
			at := ranges + 2*s + ro + 2*int(r-startCode)
			if at+2 > len(sub) {
				return 0, false
			}
			g := int(binary.BigEndian.Uint16(sub[at:]))
			if g == 0 {
				return 0, false
			}
			return (g + delta) & 0xFFFF, true
		}
		return 0, false
	}
	return 0, false
}
