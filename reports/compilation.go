package reports

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// Compilation is everything the conference compilation of a cycle is
// drawn from: translated chapters made by the caller from what the reader
// may read, then the reports as annexes, loaded one at a time.
type Compilation struct {
	// Lang is the language of layout: Arabic lays the document out right
	// to left.
	Lang        string
	Title       string // "Conference compilation"
	Subtitle    string // process name and cycle
	Note        string // who it was made for, and that it holds no scores
	ContentsH   string // "Contents"
	AnnexesH    string // the heading of the annexes
	ProcessName string
	Cycle       string
	// Generated is the date written into the document; it comes from the
	// data so that the output is deterministic.
	Generated time.Time
	Chapters  []Chapter
	// AnnexTitles are the bookmarks and contents lines of the annexes, in
	// order; Annex(i) loads the i-th annex only when it is drawn. Annexes
	// are drawn by several goroutines at once: Annex must allow that.
	AnnexTitles []string
	Annex       func(i int) (Document, error)
	// Progress, if set, is told after each annex is drawn, in order, from
	// the goroutine of WriteCompilation.
	Progress func(done int)
}

// Chapter is one chapter of the front matter: an introduction, vector
// charts each followed by its data, tables, and headed blocks of text.
type Chapter struct {
	Title, Intro string
	Charts       []Chart
	Tables       []Table
	Blocks       []Block
}

// Chart is a stacked bar chart: one bar per row, one part per key.
type Chart struct {
	Title string
	Keys  []string // legend labels, one per part, in order
	// Parts name a fill per key: yes, partly, no, na, unanswered,
	// not_shared, shared, no_report or needs.
	Parts []string
	Bars  []ChartBar
}

// ChartBar is one bar and its counts, in Keys order.
type ChartBar struct {
	Label  string
	Counts []int
}

// Table is a captioned table of text.
type Table struct {
	Caption string
	Header  []string
	Rows    [][]string
}

// Block is a heading with label: text lines (a State's answers on the
// thematic priority).
type Block struct {
	Heading string
	Lines   [][2]string
}

// partFill are the fills of chart parts. Each part also carries its count
// and the data table follows every chart, so colour is never the only cue.
var partFill = map[string][3]int{
	"yes": answerRGB["yes"], "partly": answerRGB["partly"], "no": answerRGB["no"], "na": answerRGB["na"],
	"unanswered": {255, 255, 255}, "not_shared": {225, 225, 225},
	"shared": {33, 102, 172}, "no_report": {255, 255, 255}, "needs": {107, 174, 214},
}

// annexesPerDoc is how many annexes are drawn into one fpdf document
// before its pages are written out (join.go): it bounds the memory a
// compilation holds, whatever its number of annexes.
const annexesPerDoc = 8

// WriteCompilation writes the compilation PDF to w: a cover, a table of
// contents, the chapters, then every annex with a bookmark per State.
// Annexes are drawn in groups, by all processors at once, and each group's
// pages are written out before more are drawn (join.go), so memory stays
// bounded however many annexes there are. The output depends on c alone.
func WriteCompilation(w io.Writer, c Compilation) error {
	if c.Annex == nil && len(c.AnnexTitles) > 0 {
		return errors.New("reports: compilation without an annex loader")
	}
	cw := &compiler{c: c, l: labelsFor(c.Lang)}
	// The front matter: its contents are filled in once the annexes'
	// pages are known.
	cw.national = cw.newDoc()
	cw.marks = &cw.outline
	info := cw.pdf
	info.SetTitle(c.Title+": "+c.Subtitle, true)
	info.SetSubject(c.Subtitle, true)
	info.SetCreator("natreport", true)
	info.SetProducer("natreport", true)
	cw.front()
	j := newJoiner(w, 297, cw.k)
	base := cw.pdf.PageNo()
	annexEntry := len(c.Chapters) + 1 // cw.toc: chapters, the annexes' heading, the annexes
	groups := make([]*annexGroup, (len(c.AnnexTitles)+annexesPerDoc-1)/annexesPerDoc)
	draw := func(_ context.Context, i int, z io.Writer) error {
		g, err := cw.drawGroup(i, z)
		groups[i] = g
		return err
	}
	emit := func(i int, z []byte) error {
		g := groups[i]
		groups[i] = nil
		if err := j.writePages(base, g.cut, z); err != nil {
			return err
		}
		for k, first := range g.firsts {
			n := i*annexesPerDoc + k
			e := &cw.toc[annexEntry+n]
			e.page = base + first
			cw.pdf.SetLink(e.link, 0, e.page)
			cw.annexPages = append(cw.annexPages, e.page)
			if c.Progress != nil {
				c.Progress(n + 1)
			}
		}
		for _, m := range g.marks {
			m.page += base
			cw.outline = append(cw.outline, m)
		}
		cw.addDrawn(&g.drawn)
		base += len(g.cut.ends)
		return nil
	}
	if err := Batch(context.Background(), len(groups), 0, draw, emit); err != nil {
		return err
	}
	cw.drawContents()
	cut, z, err := cw.cut(cw.painter, true)
	if err != nil {
		return err
	}
	if err := j.writePages(0, cut, z.Bytes()); err != nil {
		return err
	}
	decor := cw.decorate(base)
	dcut, z, err := cw.cut(decor, false)
	if err != nil {
		return err
	}
	if err := j.writeDecors(dcut, z.Bytes()); err != nil {
		return err
	}
	raw, fixes, err := cw.fonts()
	if err != nil {
		return err
	}
	fonts, err := j.writeFonts(raw, fixes)
	if err != nil {
		return err
	}
	return j.finish(fonts, cw.outline, cut.info, c.Lang)
}

// compiler draws a compilation: the front matter into a document of its
// own (the embedded national), the annexes into others.
type compiler struct {
	*national
	c Compilation
	l *labels
	// outline is the bookmarks of the whole document, in order.
	outline []outlineMark
	// drawn are the characters drawn in each font by every document.
	drawn [numFonts]*runeSet
	// annexPages are the first pages of the annexes, for the running heads.
	annexPages []int
}

// annexGroup is a group of annexes drawn and ready to join.
type annexGroup struct {
	cut    *cutDoc
	firsts []int // the first page of each annex, in the group's document
	marks  []outlineMark
	drawn  [numFonts]*runeSet
}

// newDoc starts an fpdf document of the compilation, with stand-in fonts
// (join.go).
func (cw *compiler) newDoc() *national {
	pdf := fpdf.New("P", "mm", "A4", "")
	gen := cw.c.Generated
	if gen.IsZero() {
		gen = time.Unix(0, 0)
	}
	pdf.SetCreationDate(gen.UTC())
	pdf.SetModificationDate(gen.UTC())
	pdf.SetCatalogSort(true)
	pdf.SetCompression(false)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(pageMargin, pageTop, pageMargin)
	pdf.SetLang(cw.c.Lang)
	rtl := cw.c.Lang == "ar"
	lead := 1.45
	if rtl {
		lead = 1.75
	}
	p := newPainter(pdf, rtl, lead)
	p.top, p.bottom = pageTop, pageBottom
	p.runes = stubRunes
	return &national{painter: p, d: Document{Lang: cw.c.Lang}, l: cw.l}
}

// cut writes out the document p drew and cuts it into pages, their
// contents compressed in the buffer returned; it adds the characters p
// drew to the compilation's.
func (cw *compiler) cut(p *painter, wrap bool) (*cutDoc, *bytes.Buffer, error) {
	if err := p.pdf.Error(); err != nil {
		return nil, nil, fmt.Errorf("reports: compilation: %w", err)
	}
	var raw borrowWriter
	if err := p.output(&raw); err != nil {
		return nil, nil, fmt.Errorf("reports: compilation: %w", err)
	}
	var z bytes.Buffer
	cut, err := cutFpdf(raw.b, p.pdf.PageCount(), wrap, &z)
	cw.addDrawn(&p.drawn)
	return cut, &z, err
}

// addDrawn adds characters drawn to the compilation's.
func (cw *compiler) addDrawn(drawn *[numFonts]*runeSet) {
	for id, set := range drawn {
		if set == nil {
			continue
		}
		if cw.drawn[id] == nil {
			cw.drawn[id] = new(runeSet)
		}
		for i, w := range set {
			cw.drawn[id][i] |= w
		}
	}
}

// front draws the cover, leaves room for the contents, draws the chapters
// and the heading of the annexes.
func (cw *compiler) front() {
	cw.use(faceSans, 10)
	cw.cover()
	cw.toc = append(cw.toc, tocEntry{level: 0, title: cw.c.Title})
	for _, ch := range cw.c.Chapters {
		cw.toc = append(cw.toc, tocEntry{level: 0, title: ch.Title})
	}
	cw.toc = append(cw.toc, tocEntry{level: 0, title: cw.c.AnnexesH})
	for _, t := range cw.c.AnnexTitles {
		cw.toc = append(cw.toc, tocEntry{level: 1, title: t})
	}
	cw.toc = cw.toc[1:] // the cover is not listed
	cw.reserveTOC(cw.c.ContentsH)
	for i := range cw.c.Chapters {
		cw.chapter(i, &cw.c.Chapters[i])
	}
	cw.newPage()
	cw.startEntry(len(cw.c.Chapters))
	cw.para(cw.c.AnnexesH, stH1, pageMargin, cw.contentW(), alignStart, "")
}

// drawGroup draws the i-th group of annexes into a document of its own,
// whose pages' contents it compresses into z. It is called from several
// goroutines at once: it reads cw and writes only its own document.
func (cw *compiler) drawGroup(i int, z io.Writer) (*annexGroup, error) {
	an := cw.newDoc()
	g := &annexGroup{}
	an.marks = &g.marks
	for n := i * annexesPerDoc; n < min((i+1)*annexesPerDoc, len(cw.c.AnnexTitles)); n++ {
		d, err := cw.c.Annex(n)
		if err != nil {
			return nil, err
		}
		g.firsts = append(g.firsts, an.pdf.PageNo()+1)
		an.drawAnnex(cw.c.AnnexTitles[n], d)
	}
	var raw borrowWriter
	if err := an.output(&raw); err != nil {
		return nil, fmt.Errorf("reports: compilation: %w", err)
	}
	cut, err := cutFpdf(raw.b, an.pdf.PageCount(), true, z)
	g.cut, g.drawn = cut, an.drawn
	return g, err
}

// cover draws the first page of the compilation.
func (cw *compiler) cover() {
	cw.newPage()
	cw.bookmark(cw.c.Title, 0)
	x, w := pageMargin, cw.contentW()
	cw.y = 50
	if cw.c.ProcessName != "" {
		cw.para(cw.c.ProcessName, tstyle{size: 12, color: grey}, x, w, alignStart, "")
	}
	cw.y += 4
	cw.para(cw.c.Title, tstyle{size: 26, bold: true, color: accent}, x, w, alignStart, "")
	cw.y += 4
	cw.para(cw.c.Subtitle, tstyle{size: 15, color: black}, x, w, alignStart, "")
	cw.y += 14
	cw.para(cw.c.Note, tstyle{size: 10, color: grey}, x, w, alignStart, "")
}

// chapter draws one chapter of the front matter.
func (cw *compiler) chapter(i int, ch *Chapter) {
	cw.newPage()
	cw.startEntry(i)
	x, w := pageMargin, cw.contentW()
	cw.para(ch.Title, stH1, x, w, alignStart, "")
	cw.y += 2
	if ch.Intro != "" {
		cw.para(ch.Intro, tstyle{size: 9, color: grey}, x, w, alignStart, "")
		cw.y += 4
	}
	for _, c := range ch.Charts {
		cw.chart(c)
	}
	for _, t := range ch.Tables {
		cw.dataTable(t)
	}
	for _, b := range ch.Blocks {
		cw.need(20)
		cw.y += 3
		cw.para(b.Heading, stH2, x, w, alignStart, "")
		cw.y += 1
		for _, ln := range b.Lines {
			cw.para(ln[0], stSmallB, x, w, alignStart, "")
			cw.para(ln[1], stBody, x+4, w-4, alignStart, "")
			cw.y += 1.5
		}
	}
}

// dataTable draws a captioned table.
func (cw *compiler) dataTable(t Table) {
	if len(t.Rows) == 0 {
		return
	}
	cw.need(25)
	cw.y += 2
	cw.para(t.Caption, stSmallB, pageMargin, cw.contentW(), alignStart, "")
	cw.y += 1
	rows := make([][]cell, len(t.Rows))
	for i, r := range t.Rows {
		rows[i] = make([]cell, len(r))
		for j, s := range r {
			rows[i][j] = cell{text: s}
		}
	}
	weights := make([]float64, len(t.Header))
	for i := range weights {
		weights[i] = 1
	}
	weights[0] = 2
	cw.table(pageMargin, cw.contentW(), t.Header, weights, rows, tstyle{size: 7.5, color: black})
	cw.y += 3
}

// chart draws a stacked bar chart as vectors: every part filled, outlined
// and labelled with its count when it is wide enough, and a legend.
func (cw *compiler) chart(c Chart) {
	x, w := pageMargin, cw.contentW()
	st := tstyle{size: 8, color: black}
	lh := cw.lineHeight(st)
	cw.need(20 + float64(len(c.Bars))*8)
	cw.y += 2
	cw.para(c.Title, stSmallB, x, w, alignStart, "")
	cw.y += 2
	// Legend.
	lx := x
	for i, k := range c.Keys {
		lw := 0.0
		for _, l := range cw.layout(k, stSmall, 200) {
			lw = max(lw, l.w)
		}
		if lx+5+lw > x+w {
			lx = x
			cw.y += 5
		}
		cw.fill(c.Parts[i], cw.col(lx, 3.5), cw.y+0.6, 3.5, 3.5)
		cw.textAt(k, stSmall, lx+5, cw.y, lw+1, alignStart)
		lx += 5 + lw + 6
	}
	cw.y += 7
	labelW, numW := 50.0, 10.0
	barX := x + labelW + 3
	barW := w - labelW - 3 - numW - 2
	for _, b := range c.Bars {
		lines := cw.layout(b.Label, st, labelW)
		h := max(float64(len(lines))*lh, 6.5) + 2
		cw.need(h)
		for i, l := range lines {
			cw.drawLine(l, cw.lineX(cw.col(x, labelW), labelW, l.w, alignStart), cw.y+float64(i)*lh, st)
		}
		total := 0
		for _, n := range b.Counts {
			total += n
		}
		by, bh := cw.y+0.3, 5.5
		cw.pdf.SetDrawColor(120, 120, 120)
		cw.pdf.SetLineWidth(0.15)
		cw.pdf.Rect(cw.col(barX, barW), by, barW, bh, "D")
		off := 0.0
		for k, n := range b.Counts {
			if n == 0 || total == 0 {
				continue
			}
			sw := barW * float64(n) / float64(total)
			cw.fill(c.Parts[k], cw.col(barX+off, sw), by, sw, bh)
			if sw >= 4.5 {
				tc := black
				if p := c.Parts[k]; p == "yes" || p == "no" || p == "shared" {
					tc = [3]int{255, 255, 255}
				}
				cw.textAt(strconv.Itoa(n), tstyle{size: 7, bold: true, color: tc}, barX+off, by+0.4, sw, alignCenter)
			}
			off += sw
		}
		cw.textAt(strconv.Itoa(total), tstyle{size: 8, color: grey}, barX+barW+2, cw.y+0.3, numW, alignEnd)
		cw.y += h
	}
	cw.y += 2
}

// fill draws one outlined part of a bar (page coordinates).
func (cw *compiler) fill(part string, x, y, w, h float64) {
	c, ok := partFill[part]
	if !ok {
		c = [3]int{200, 200, 200}
	}
	cw.pdf.SetFillColor(c[0], c[1], c[2])
	cw.pdf.SetDrawColor(60, 60, 60)
	cw.pdf.SetLineWidth(0.15)
	cw.pdf.Rect(x, y, w, h, "FD")
}

// drawAnnex draws one national report into the compilation: its cover,
// overview and parts as WriteNationalReport draws them, under one
// bookmark for the State (title), without its own table of contents.
func (r *national) drawAnnex(title string, d Document) {
	an := &national{painter: r.painter, d: d, l: r.l, annex: title, marks: r.marks}
	for _, part := range d.Template.Parts {
		if part.Thematic && !d.Meta.Thematic {
			continue
		}
		an.parts = append(an.parts, part)
	}
	an.toc = append(an.toc, tocEntry{level: 0, title: an.l.Overview, link: an.pdf.AddLink()})
	for _, part := range an.parts {
		an.toc = append(an.toc, tocEntry{level: 0, code: part.Code, title: part.Title.In(d.Lang), link: an.pdf.AddLink()})
		for _, s := range part.Sections {
			an.toc = append(an.toc, tocEntry{level: 1, code: s.Code, title: s.Title.In(d.Lang), link: an.pdf.AddLink()})
		}
	}
	an.cover()
	an.overview()
	for i := range an.parts {
		an.part(&an.parts[i])
	}
}

// decorate draws the running heads and page numbers of n pages, one page
// of a document of their own for each page of the compilation.
func (cw *compiler) decorate(n int) *painter {
	dec := cw.newDoc()
	w := cw.contentW()
	head := strings.Join(nonEmpty(cw.c.ProcessName, cw.c.Cycle), " · ")
	annex := -1
	for i := 1; i <= n; i++ {
		for annex+1 < len(cw.annexPages) && cw.annexPages[annex+1] <= i {
			annex++
		}
		dec.newPage()
		left := cw.c.Title
		if annex >= 0 {
			left = cw.c.AnnexTitles[annex]
		}
		dec.frame(i > 1, left, head)
		dec.textAt(cw.l.pageOf(i, n), stPageNum, pageMargin+w/2, 284, w/2, alignEnd)
	}
	return dec.painter
}

// fonts draws every character the compilation drew, each in its font,
// into a document of its own whose fonts are the ones embedded, and
// returns it (uncompressed, as fpdf writes it) with the changes those
// fonts need (tounicode.go).
func (cw *compiler) fonts() ([]byte, []fontFix, error) {
	all := new(runeSet)
	var loaded [numFonts]bool
	for id, set := range cw.drawn {
		if set != nil {
			loaded[id] = true
			for i, w := range set {
				all[i] |= w
			}
		}
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(false)
	pdf.AddPage()
	p := newPainter(pdf, false, 1)
	p.runes = all
	for id, set := range cw.drawn {
		if set == nil {
			continue
		}
		p.register(fontID(id))
		s := fontSpecs[id]
		pdf.SetFont(s.family, s.style, 10)
		var text []rune
		for w, word := range set {
			for word != 0 {
				text = append(text, rune(w*64+bits.TrailingZeros64(word)))
				word &= word - 1
			}
		}
		pdf.Text(10, 10, string(text))
	}
	if err := pdf.Error(); err != nil {
		return nil, nil, err
	}
	var raw borrowWriter
	if err := pdf.Output(&raw); err != nil {
		return nil, nil, fmt.Errorf("reports: compilation fonts: %w", err)
	}
	return raw.b, fontFixes(loaded, &cw.drawn), nil
}
