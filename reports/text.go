package reports

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/text/unicode/bidi"
)

// The text engine: fpdf draws one string in one font, so every paragraph is
// shaped (Arabic), wrapped over its logical text with widths from per-font
// advance tables (widths.go), then each line is reordered for display (bidi)
// and cut into runs of one font each. Fonts are registered with the document
// the first time a run needs them, so a document embeds only the scripts it
// uses, and reduced to the characters the document has (fontsubset.go).
// Bold is drawn with the regular fonts, filled and stroked (drawLine), and
// measured with their advances.

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
	// logical is the line's text in logical order (shaped), kept when
	// poppler may extract the line in another order (actualtext.go): in a
	// paragraph with right-to-left text, or in a right-to-left layout.
	logical string
	// bidi says the paragraph has right-to-left text: the line may then
	// come out wrong on pages of either direction.
	bidi bool
}

// painter wraps fpdf with script-aware text and a vertical flow position.
type painter struct {
	pdf    *fpdf.Fpdf
	rtl    bool    // layout direction of the document
	k      float64 // points per mm
	pageW  float64
	pageH  float64
	top    float64 // where the flow starts on a page
	bottom float64 // where the flow must stop
	y      float64 // current flow position
	lead   float64 // line height as a multiple of the font size
	loaded [numFonts]bool
	// runes, when not nil, are the characters the document may draw: fonts
	// are registered reduced to them (see fontsubset.go). missed records
	// that a character outside them was drawn after all.
	runes  *runeSet
	missed bool
	// drawn are the characters drawn in each font: they name its subset
	// and give its ToUnicode map (tounicode.go).
	drawn [numFonts]*runeSet

	// The font and text colour last selected, to save operators.
	font     fontID
	fontSize float64
	fontSet  bool
	color    [3]int
	colorSet bool
	scratch  scratch
}

// scratch holds the buffers of a paragraph being laid out, reused from one
// paragraph to the next.
type scratch struct {
	in     []rune // the paragraph
	shaped []rune // the paragraph after Arabic shaping
	types  []joining
	rs     []rune
	ws     []float64
	levels []uint8
	vis    []rune
	bidi   bidiScratch
	line   []byte // visual text of a line being cut into runs
	op     []byte // a text operator being written (textop.go)
	span   spanScratch
}

func newPainter(pdf *fpdf.Fpdf, rtl bool, lead float64) *painter {
	w, h := pdf.GetPageSize()
	return &painter{
		pdf:   pdf,
		rtl:   rtl,
		k:     pdf.GetConversionRatio(),
		pageW: w,
		pageH: h,
		lead:  lead,
	}
}

// register adds font id to the document the first time it is needed, so
// that a document embeds only the fonts it uses.
func (p *painter) register(id fontID) {
	if !p.loaded[id] {
		s := fontSpecs[id]
		data := s.data
		if t := fontTables(id); t != nil && p.runes != nil {
			data = t.subset(p.runes)
		}
		p.pdf.AddUTF8FontFromBytes(s.family, s.style, data)
		p.loaded[id] = true
	}
}

// use selects face f at size, registering the font with the document on
// first use.
func (p *painter) use(f face, size float64) {
	id := f.font()
	p.register(id)
	// Sizes that print alike (Tf has two decimals) are the same size.
	if p.fontSet && p.font == id && (p.fontSize == size || ftoa(p.fontSize) == ftoa(size)) {
		return
	}
	s := fontSpecs[id]
	p.pdf.SetFont(s.family, s.style, size)
	p.font, p.fontSize, p.fontSet = id, size, true
}

// forgetFont makes the next use emit a font change, as needed after moving
// to another page's content stream.
func (p *painter) forgetFont() { p.fontSet = false }

// textColor sets the colour of the text drawn next.
func (p *painter) textColor(c [3]int) {
	if p.colorSet && p.color == c {
		return
	}
	p.pdf.SetTextColor(c[0], c[1], c[2])
	p.color, p.colorSet = c, true
}

// advance returns the advance of r in 1/1000 of the font size of its face.
// A font is registered as soon as it is measured, as when fpdf measured.
func (p *painter) advance(f face, r rune) int {
	id := f.font()
	p.register(id)
	if r > 0xFFFF {
		r = 0xFFFD // see layoutParagraph
	}
	return int(advances(id)[r])
}

// width returns the width in mm of r in style st.
// Arabic marks take no room: they are drawn over the letter before them.
func (p *painter) width(r rune, f face, st tstyle) float64 {
	if f == faceNaskh && isMark(r) {
		if _, ok := markInk(r); ok {
			return 0
		}
	}
	w := float64(p.advance(f, r)) * st.size / 1000 / p.k
	if st.bold {
		w += boldSpacing(f, st) / p.k
	}
	return w
}

// lineHeight returns the height of a line of text in style st, in mm.
func (p *painter) lineHeight(st tstyle) float64 {
	return st.size * p.lead / p.k
}

// layout wraps text to width and returns its visual lines. Newlines start
// new paragraphs; an empty paragraph gives an empty line.
func (p *painter) layout(text string, st tstyle, width float64) []line {
	text = strings.ReplaceAll(strings.TrimRight(text, "\n\r "), "\r\n", "\n")
	if !strings.Contains(text, "\n") {
		return p.layoutParagraph(text, st, width, nil)
	}
	var out []line
	for para := range strings.SplitSeq(text, "\n") {
		out = p.layoutParagraph(para, st, width, out)
	}
	return out
}

// layoutParagraph appends the lines of one paragraph to lines.
func (p *painter) layoutParagraph(s string, st tstyle, width float64, lines []line) []line {
	in := p.scratch.in[:0]
	arabic := false // as hasArabic
	for _, r := range s {
		in = append(in, r)
		arabic = arabic || (r >= 0x0600 && r <= 0x06FF)
	}
	if arabic {
		p.scratch.shaped, p.scratch.types = shapeInto(p.scratch.shaped[:0], p.scratch.types, in)
		p.scratch.in = in
		in = p.scratch.shaped
	} else {
		p.scratch.in = in
	}
	rs := p.scratch.rs[:0]
	rtlChars := false // characters that bidi may move
	for _, r := range in {
		switch {
		case r == '\t' || r == 0xA0:
			r = ' '
		case r == '\r' || r < 0x20 || isBidiControl(r):
			continue
		case r > 0xFFFF:
			// fpdf addresses glyphs with 16-bit codes; none of the fonts
			// has characters beyond the Basic Multilingual Plane anyway.
			r = 0xFFFD
		}
		switch bidiClass(r) {
		case bidi.R, bidi.AL, bidi.AN:
			rtlChars = true
		}
		rs = append(rs, r)
	}
	p.scratch.rs = rs
	for len(rs) > 0 && rs[0] == ' ' {
		rs = rs[1:]
	}
	if len(rs) == 0 {
		return append(lines, line{})
	}
	// A paragraph without strong characters (a date, a phone number, a
	// count) is left to right as UAX #9 rule P3 says, whatever the layout:
	// the layout direction only aligns it.
	rtl := paragraphRTL(rs, false)
	// A left-to-right paragraph without right-to-left letters or Arabic
	// numbers has every level 0 (rules W1-W7, N1-N2, I1): its visual order
	// is its logical order, and levels are not needed.
	var levels []uint8
	if rtl || rtlChars {
		levels = resolveLevelsInto(p.scratch.levels, &p.scratch.bidi, rs, rtl)
		p.scratch.levels = levels
	}
	ws := p.scratch.ws[:0]
	for _, r := range rs {
		ws = append(ws, p.width(r, faceOf(r), st))
	}
	p.scratch.ws = ws
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
		var lv []uint8
		if levels != nil {
			lv = levels[start:trim]
		}
		lines = append(lines, p.makeLine(rs[start:trim], lv, rtl, st, ws[start:trim]))
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
	if noBreakBefore(b) || noBreakAfter(a) {
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
// levels nil means the line is left to right throughout, already in visual
// order. ws are the widths of rs in their own faces (layoutParagraph
// measured them), reused when the line is not reordered.
func (p *painter) makeLine(rs []rune, levels []uint8, rtl bool, st tstyle, ws []float64) line {
	vis := rs
	if levels != nil {
		vis = visualLineInto(p.scratch.vis[:0], &p.scratch.bidi, rs, levels, rtl)
		p.scratch.vis = vis
	}
	// The runs' texts are cut from one string holding the whole line.
	type span struct {
		face       face
		start, end int // bytes of text
		x, w       float64
	}
	var spans [8]span
	runs := spans[:0]
	text := p.scratch.line[:0]
	cur, start, pos := face(255), 0.0, 0.0
	runStart := 0
	baseX, baseW := 0.0, 0.0
	flush := func() {
		if len(text) > runStart {
			runs = append(runs, span{cur, runStart, len(text), start, pos - start})
		}
		runStart = len(text)
		start = pos
	}
	for i, r := range vis {
		f := faceOf(r)
		if f == faceNaskh && isMark(r) {
			if e, ok := markInk(r); ok && i > 0 {
				flush()
				mx := baseX + baseW/2 - (e.min+e.max)/2*st.size/1000/p.k
				text = utf8.AppendRune(text, r)
				runs = append(runs, span{faceNaskh, runStart, len(text), mx, 0})
				runStart = len(text)
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
		text = utf8.AppendRune(text, r)
		if isLamAlef(r) {
			// The ligature stands for two letters: see lamMark.
			text = utf8.AppendRune(text, lamMark)
		}
		if levels == nil && f == faceOf(r) {
			baseW = ws[i] // p.width(r, f, st), measured already
		} else {
			baseW = p.width(r, f, st)
		}
		baseX = pos
		pos += baseW
	}
	flush()
	p.scratch.line = text
	l := line{w: pos}
	if levels != nil || p.rtl {
		l.logical, l.bidi = string(rs), levels != nil
	}
	if len(runs) > 0 {
		all := string(text)
		l.runs = make([]run, len(runs))
		for i, sp := range runs {
			l.runs[i] = run{face: sp.face, text: all[sp.start:sp.end], x: sp.x, w: sp.w}
		}
	}
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

// boldLook is how bold text is drawn in each face, in shares of the font
// size: the width of the outline stroked around the regular glyphs, and the
// spacing added after every character (PDF Tc, counted in the widths) to
// make up for the room the outline takes. Arabic letters join, so Naskh gets
// no spacing.
var boldLook = [...]struct{ stroke, spacing float64 }{
	faceSans:  {0.05, 0.035},
	faceNaskh: {0.035, 0},
	faceCJK:   {0.03, 0},
}

// boldSpacing returns the spacing in points added after each character of
// face f in bold text of style st, rounded as it is written to the page.
func boldSpacing(f face, st tstyle) float64 {
	if !st.bold || boldLook[f].spacing == 0 {
		return 0
	}
	return math.Round(boldLook[f].spacing*st.size*1000) / 1000
}

// drawLine draws l with its top at y, starting at page x.
//
// Bold text is the regular font filled and then stroked (text rendering
// mode 2) in the text colour, with round joins so that sharp corners do not
// grow spikes, and spaced out (boldLook). Those settings live only inside a
// q ... Q pair around the line, so fpdf's own line width, draw colour and
// rendering mode are as it believes after it. A font selected inside the
// pair is undone by Q too: the line's first font is selected before it, and
// if the line changes font the painter forgets its font, so that the next
// text selects one again.
func (p *painter) drawLine(l line, x, y float64, st tstyle) {
	p.textColor(st.color)
	if len(l.runs) == 0 {
		return
	}
	lh := p.lineHeight(st)
	base := y + (lh-st.size/p.k)/2 + st.size/p.k*0.8
	span := l.logical != "" && p.openSpans(l)
	p.use(l.runs[0].face, st.size)
	first, look, tc := p.font, face(255), 0.0
	if st.bold {
		p.pdf.RawWriteStr(boldOn(st.color))
	}
	for _, r := range l.runs {
		p.use(r.face, st.size)
		if st.bold && r.face != look {
			p.pdf.RawWriteStr(boldFace(r.face, st, tc))
			look, tc = r.face, boldSpacing(r.face, st)
		}
		drawn := p.drawn[r.face.font()]
		if drawn == nil {
			drawn = new(runeSet)
			p.drawn[r.face.font()] = drawn
		}
		for _, c := range r.text {
			drawn.add(c)
			if p.runes != nil && !p.runes.has(c) {
				p.missed = true
			}
		}
		p.text(x+r.x, base, r.text)
	}
	if st.bold {
		p.pdf.RawWriteStr("Q")
		if p.font != first {
			p.forgetFont()
		}
	}
	if span {
		p.pdf.RawWriteStr("EMC EMC")
	}
}

// boldOn returns the operators that start bold text in colour c.
func boldOn(c [3]int) string {
	b := make([]byte, 0, 40)
	b = append(b, "q 1 j 2 Tr"...)
	for _, v := range c {
		b = append(b, ' ')
		b = strconv.AppendFloat(b, float64(v)/255, 'f', 3, 64)
	}
	b = append(b, " RG"...)
	return string(b)
}

// boldFace returns the operators that set the outline and spacing of bold
// text in face f and style st, the spacing being tc until then.
func boldFace(f face, st tstyle, tc float64) string {
	b := make([]byte, 0, 24)
	b = strconv.AppendFloat(b, boldLook[f].stroke*st.size, 'f', 2, 64)
	b = append(b, " w"...)
	if sp := boldSpacing(f, st); sp != tc {
		b = append(b, ' ')
		b = strconv.AppendFloat(b, sp, 'f', -1, 64)
		b = append(b, " Tc"...)
	}
	return string(b)
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
