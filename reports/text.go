package reports

import (
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// The text engine: fpdf draws one string in one font, so every paragraph is
// shaped (Arabic), wrapped over its logical text with widths measured per
// font, then each line is reordered for display (bidi) and cut into runs of
// one font each. Fonts are registered with the document the first time a
// run needs them, so a document embeds only the scripts it uses.

// tstyle is how a piece of text is drawn.
type tstyle struct {
	size  float64 // points
	bold  bool
	color [3]int
}

// run is a piece of a visual line drawn in one font.
type run struct {
	face face
	text string
	x, w float64 // mm from the start of the line
}

// line is one visual line, runs left to right.
type line struct {
	runs []run
	w    float64
}

// painter wraps fpdf with script-aware text and a vertical flow position.
type painter struct {
	pdf    *fpdf.Fpdf
	rtl    bool    // layout direction of the document
	k      float64 // points per mm
	pageW  float64
	top    float64 // where the flow starts on a page
	bottom float64 // where the flow must stop
	y      float64 // current flow position
	lead   float64 // line height as a multiple of the font size
	loaded map[string]bool
	widths map[string]map[rune]int // glyph advance in font units, per font
	font   string                  // font last selected, to save Tf operators
}

func newPainter(pdf *fpdf.Fpdf, rtl bool, lead float64) *painter {
	w, _ := pdf.GetPageSize()
	return &painter{
		pdf:    pdf,
		rtl:    rtl,
		k:      pdf.GetConversionRatio(),
		pageW:  w,
		lead:   lead,
		loaded: map[string]bool{},
		widths: map[string]map[rune]int{},
	}
}

// use selects face in the given weight and size, registering the font with
// the document on first use.
func (p *painter) use(f face, bold bool, size float64) {
	s := f.spec(bold)
	key := s.family + s.style
	if !p.loaded[key] {
		p.pdf.AddUTF8FontFromBytes(s.family, s.style, s.data)
		p.loaded[key] = true
	}
	if p.font == key+ftoa(size) {
		return
	}
	p.pdf.SetFont(s.family, s.style, size)
	p.font = key + ftoa(size)
}

// forgetFont makes the next use emit a font change, as needed after moving
// to another page's content stream.
func (p *painter) forgetFont() { p.font = "" }

// advance returns the advance of r in font units of its face.
func (p *painter) advance(f face, bold bool, r rune) int {
	s := f.spec(bold)
	key := s.family + s.style
	m := p.widths[key]
	if m == nil {
		m = map[rune]int{}
		p.widths[key] = m
	}
	if w, ok := m[r]; ok {
		return w
	}
	p.use(f, bold, 10)
	w := p.pdf.GetStringSymbolWidth(string(r))
	m[r] = w
	return w
}

// width returns the width in mm of r in style st.
// Arabic marks take no room: they are drawn over the letter before them.
func (p *painter) width(r rune, f face, st tstyle) float64 {
	if f == faceNaskh && isMark(r) {
		if _, ok := markInk(st.bold, r); ok {
			return 0
		}
	}
	return float64(p.advance(f, st.bold, r)) * st.size / 1000 / p.k
}

// lineHeight returns the height of a line of text in style st, in mm.
func (p *painter) lineHeight(st tstyle) float64 {
	return st.size * p.lead / p.k
}

// layout wraps text to width and returns its visual lines. Newlines start
// new paragraphs; an empty paragraph gives an empty line.
func (p *painter) layout(text string, st tstyle, width float64) []line {
	text = strings.ReplaceAll(strings.TrimRight(text, "\n\r "), "\r\n", "\n")
	var out []line
	for _, para := range strings.Split(text, "\n") {
		out = append(out, p.layoutParagraph(para, st, width)...)
	}
	return out
}

func (p *painter) layoutParagraph(s string, st tstyle, width float64) []line {
	s = shapeArabic(s)
	rs := make([]rune, 0, len(s))
	for _, r := range s {
		switch {
		case r == '\t' || r == 0xA0:
			r = ' '
		case r == '\r' || isBidiControl(r) || r < 0x20:
			continue
		case r > 0xFFFF:
			// fpdf addresses glyphs with 16-bit codes; none of the fonts
			// has characters beyond the Basic Multilingual Plane anyway.
			r = 0xFFFD
		}
		rs = append(rs, r)
	}
	for len(rs) > 0 && rs[0] == ' ' {
		rs = rs[1:]
	}
	if len(rs) == 0 {
		return []line{{}}
	}
	// A paragraph without strong characters (a date, a phone number, a
	// count) is left to right as UAX #9 rule P3 says, whatever the layout:
	// the layout direction only aligns it.
	rtl := paragraphRTL(rs, false)
	levels := resolveLevels(rs, rtl)
	ws := make([]float64, len(rs))
	for i, r := range rs {
		ws[i] = p.width(r, faceOf(r), st)
	}
	var lines []line
	for start := 0; start < len(rs); {
		end, w, lastBreak := start, 0.0, -1
		for end < len(rs) {
			if end > start && canBreak(rs, end) {
				lastBreak = end
			}
			if rs[end] != ' ' && end > start && w+ws[end] > width {
				break
			}
			w += ws[end]
			end++
		}
		if end < len(rs) && lastBreak > start {
			end = lastBreak
		}
		trim := end
		for trim > start && rs[trim-1] == ' ' {
			trim--
		}
		lines = append(lines, p.makeLine(rs[start:trim], levels[start:trim], rtl, st))
		start = end
		for start < len(rs) && rs[start] == ' ' {
			start++
		}
	}
	return lines
}

// canBreak reports whether a line may break before rs[i].
func canBreak(rs []rune, i int) bool {
	a, b := rs[i-1], rs[i]
	if b == ' ' {
		return false
	}
	if a == ' ' {
		return true
	}
	if noBreakBefore[b] || noBreakAfter[a] {
		return false
	}
	if isCJK(a) || isCJK(b) {
		return true
	}
	// Long links wrap after a slash.
	return a == '/' && i >= 2 && rs[i-2] != '/'
}

// makeLine reorders one logical line for display and cuts it into runs.
// An Arabic mark becomes a run of its own, centred over the letter before it.
func (p *painter) makeLine(rs []rune, levels []uint8, rtl bool, st tstyle) line {
	vis := visualLine(rs, levels, rtl)
	var l line
	var b strings.Builder
	cur, start, pos := face(255), 0.0, 0.0
	baseX, baseW := 0.0, 0.0
	flush := func() {
		if b.Len() > 0 {
			l.runs = append(l.runs, run{face: cur, text: b.String(), x: start, w: pos - start})
		}
		b.Reset()
		start = pos
	}
	for i, r := range vis {
		f := faceOf(r)
		if f == faceNaskh && isMark(r) {
			if e, ok := markInk(st.bold, r); ok && i > 0 {
				flush()
				mx := baseX + baseW/2 - (e.min+e.max)/2*st.size/1000/p.k
				l.runs = append(l.runs, run{face: faceNaskh, text: string(r), x: mx})
				cur = 255
				continue
			}
		}
		if r == ' ' {
			// A space goes with the run it is in, saving a font switch.
			switch {
			case cur != 255:
				f = cur
			case i+1 < len(vis):
				f = faceOf(vis[i+1])
			}
		}
		if f != cur {
			flush()
			cur = f
		}
		b.WriteRune(r)
		baseX, baseW = pos, p.width(r, f, st)
		pos += baseW
	}
	flush()
	l.w = pos
	return l
}

// col returns the page x of a box given in left-to-right layout coordinates:
// in a right-to-left document the layout is mirrored.
func (p *painter) col(x, w float64) float64 {
	if p.rtl {
		return p.pageW - x - w
	}
	return x
}

// align is where a line sits in its box.
type align uint8

const (
	alignStart align = iota // left, or right in a right-to-left document
	alignEnd                // right, or left in a right-to-left document
	alignCenter
)

// lineX returns the page x where a line of width lw starts in the box at
// page x bx of width bw.
func (p *painter) lineX(bx, bw, lw float64, a align) float64 {
	switch {
	case a == alignCenter:
		return bx + (bw-lw)/2
	case (a == alignStart) == p.rtl:
		return bx + bw - lw
	}
	return bx
}

// drawLine draws l with its top at y, starting at page x.
func (p *painter) drawLine(l line, x, y float64, st tstyle) {
	lh := p.lineHeight(st)
	base := y + (lh-st.size/p.k)/2 + st.size/p.k*0.8
	p.pdf.SetTextColor(st.color[0], st.color[1], st.color[2])
	for _, r := range l.runs {
		p.use(r.face, st.bold, st.size)
		p.pdf.Text(x+r.x, base, r.text)
	}
}

// newPage starts a page and puts the flow at its top.
func (p *painter) newPage() {
	p.pdf.AddPage()
	p.forgetFont()
	p.y = p.top
}

// need starts a new page unless h mm fit below the flow position.
func (p *painter) need(h float64) {
	if p.y+h > p.bottom {
		p.newPage()
	}
}

// para draws text in the box x, w (layout coordinates) from the flow
// position, breaking pages between lines. A link makes every line clickable.
func (p *painter) para(text string, st tstyle, x, w float64, a align, link string) {
	p.drawLines(p.layout(text, st, w), st, x, w, a, link)
}

func (p *painter) drawLines(lines []line, st tstyle, x, w float64, a align, link string) {
	lh := p.lineHeight(st)
	bx := p.col(x, w)
	for _, l := range lines {
		p.need(lh)
		lx := p.lineX(bx, w, l.w, a)
		p.drawLine(l, lx, p.y, st)
		if link != "" && l.w > 0 {
			p.pdf.LinkString(lx, p.y, l.w, lh, link)
			p.pdf.SetDrawColor(st.color[0], st.color[1], st.color[2])
			p.pdf.SetLineWidth(0.15)
			ul := p.y + (lh-st.size/p.k)/2 + st.size/p.k*0.92
			p.pdf.Line(lx, ul, lx+l.w, ul)
		}
		p.y += lh
	}
}

// textAt draws one line of text (no wrapping beyond w) with its top at y,
// outside the flow: headers, footers, labels in charts.
func (p *painter) textAt(text string, st tstyle, x, y, w float64, a align) float64 {
	lines := p.layout(text, st, w)
	lh := p.lineHeight(st)
	bx := p.col(x, w)
	for i, l := range lines {
		p.drawLine(l, p.lineX(bx, w, l.w, a), y+float64(i)*lh, st)
	}
	return float64(len(lines)) * lh
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }
