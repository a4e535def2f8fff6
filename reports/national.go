// Package reports builds the documents natreport hands out: the per-country
// PDF of a national report in any of the six UN languages. Builders write to
// an io.Writer and are deterministic: the same data gives the same bytes.
package reports

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/natreport/natreport/i18n"
	"github.com/natreport/natreport/surveys"
)

// Meta describes one copy of a national report.
type Meta struct {
	StateName   string
	ISO3        string
	Cycle       string
	ProcessName string // e.g. "Global Mechanism on ICT security": configuration, never hard-coded
	Version     int
	Status      string    // draft, review, submitted, published
	SubmittedAt time.Time // zero when not submitted
	Visibility  string    // private, restricted, donors, public
	Audience    string    // who this copy is for: state, secretariat, donors, public
	// Draft draws a diagonal "DRAFT: for internal coordination" mark on
	// every page.
	Draft bool
	// Thematic includes the template's thematic parts.
	Thematic bool
	// ThematicPriority is the cycle's thematic priority, drawn under the
	// thematic part's heading.
	ThematicPriority string
	// Generated is the date written into the document (cover and PDF
	// metadata). It comes from the data so that output is deterministic;
	// when zero, 1970-01-01 is used.
	Generated time.Time
}

// Document is everything a national report PDF is drawn from.
type Document struct {
	// Lang is the language of labels and layout: ar, zh, en, fr, ru or es.
	// Arabic lays the document out right to left.
	Lang     string
	Meta     Meta
	Template *surveys.Template
	// Answers are keyed by question code, already filtered by the caller
	// for visibility and conditional display: exactly these are drawn.
	Answers map[string]surveys.Value
}

// Page geometry, in mm.
const (
	pageMargin = 18.0
	pageTop    = 22.0
	pageBottom = 297.0 - 20.0
	codeW      = 17.0 // question code column
	sourcesW   = 34.0 // sources column
	gutter     = 3.0
)

// draftAlpha is the opacity the draft mark looks to have.
const draftAlpha = 0.16

// Colours.
var (
	black     = [3]int{25, 25, 25}
	grey      = [3]int{105, 105, 105}
	linkBlue  = [3]int{20, 70, 160}
	accent    = [3]int{0, 84, 134}
	ruleGrey  = [3]int{200, 200, 200}
	headFill  = [3]int{232, 238, 244}
	draftRed  = [3]int{190, 30, 45} // the draft mark, at draftAlpha
	answerRGB = map[string][3]int{
		"yes":    {27, 120, 55},
		"partly": {230, 171, 2},
		"no":     {178, 24, 43},
		"na":     {140, 140, 140},
		"":       {222, 222, 222},
		// Not shared with this copy's reader: a pale blue, apart from the
		// grey of unanswered.
		withheldKey: {196, 214, 234},
	}
)

// Text styles.
var (
	stBody    = tstyle{size: 9.5, color: black}
	stBold    = tstyle{size: 9.5, bold: true, color: black}
	stSmall   = tstyle{size: 8, color: black}
	stSmallB  = tstyle{size: 8, bold: true, color: black}
	stNote    = tstyle{size: 7.5, color: grey}
	stH1      = tstyle{size: 16, bold: true, color: accent}
	stH2      = tstyle{size: 12, bold: true, color: accent}
	stCode    = tstyle{size: 9, bold: true, color: accent}
	stLink    = tstyle{size: 9.5, color: linkBlue}
	stPageNum = tstyle{size: 7.5, color: grey}
)

// WriteNationalReport writes the PDF of one national report to w: a cover,
// a table of contents, an overview of answers per norm, then every part and
// section with the answered questions.
func WriteNationalReport(w io.Writer, d Document) error {
	if d.Template == nil {
		return errors.New("reports: national report without a template")
	}
	return drawNational(d).write(w)
}

// drawNational draws d with fonts reduced to the characters it may draw.
func drawNational(d Document) *national {
	r := newNational(d)
	r.build()
	if r.missed {
		// A character the fonts were reduced to did not foresee: draw the
		// document again with fonts reduced to those and every character
		// drawn. Layout does not depend on the fonts registered (widths come
		// from advances), so the second drawing draws the same characters;
		// a reduced font gives the bytes the whole font gives
		// (TestReducedFontsDrawAlike). Parsing whole fonts instead would
		// cost a Chinese report most of its time (Droid Sans Fallback has
		// 49,000 glyphs).
		runes := *r.runes
		for _, drawn := range r.drawn {
			if drawn != nil {
				for i, w := range drawn {
					runes[i] |= w
				}
			}
		}
		r = newNational(d)
		r.runes = &runes
		r.build()
		if r.missed { // cannot happen; whole fonts never miss
			r = newNational(d)
			r.runes = nil
			r.build()
		}
	}
	return r
}

// write outputs the document drawn.
func (r *national) write(w io.Writer) error {
	if err := r.pdf.Error(); err != nil {
		return fmt.Errorf("reports: national report: %w", err)
	}
	// fpdf writes page contents uncompressed (see newNational), and
	// writePacked compresses them.
	var raw borrowWriter
	if err := r.output(&raw); err != nil {
		return fmt.Errorf("reports: national report: %w", err)
	}
	return writePacked(w, raw.b, fontFixes(r.loaded, &r.drawn))
}

// national holds the state of one report being drawn.
type national struct {
	*painter
	d       Document
	l       *labels
	parts   []surveys.Part
	toc     []tocEntry
	tocPage int // first page of the table of contents
	// annex, in a compilation, is the report's bookmark: its cover is
	// bookmarked so, and its own bookmarks nest one level under it.
	annex string
	// marks, when set, receive the bookmarks instead of fpdf (outline).
	marks *[]outlineMark
}

// tocEntry is a line of the table of contents and its destination.
type tocEntry struct {
	level       int
	code, title string
	link        int
	page        int     // page the entry points to
	tocPage     int     // page of the table of contents it is listed on
	y           float64 // its position there
	lines       []line
}

// generatedAt is when the document says it was made: Meta.Generated, or
// the epoch, so that a document without it is still the same every time.
func generatedAt(d Document) time.Time {
	if d.Meta.Generated.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return d.Meta.Generated.UTC()
}

// coverDates returns the submission date ("" when not submitted) and the
// date of generation as the document's language writes dates.
func coverDates(d Document) (submitted, generated string) {
	if !d.Meta.SubmittedAt.IsZero() {
		submitted = i18n.FormatDate(d.Lang, d.Meta.SubmittedAt.UTC())
	}
	return submitted, i18n.FormatDate(d.Lang, generatedAt(d))
}

func newNational(d Document) *national {
	pdf := fpdf.New("P", "mm", "A4", "")
	gen := generatedAt(d)
	pdf.SetCreationDate(gen)
	pdf.SetModificationDate(gen)
	pdf.SetCatalogSort(true)
	// Page contents are compressed by writePacked, more cheaply than fpdf
	// does, into the same bytes.
	pdf.SetCompression(false)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(pageMargin, pageTop, pageMargin)
	pdf.SetLang(d.Lang)
	l := labelsFor(d.Lang)
	title := l.NationalReport
	if d.Meta.StateName != "" {
		title += ": " + d.Meta.StateName
	}
	pdf.SetTitle(title, true)
	pdf.SetAuthor(d.Meta.StateName, true)
	pdf.SetSubject(strings.TrimSpace(d.Meta.ProcessName+" "+d.Meta.Cycle), true)
	pdf.SetCreator("natreport", true)
	pdf.SetProducer("natreport", true)

	rtl := d.Lang == "ar"
	lead := 1.45
	if rtl {
		lead = 1.75 // Naskh has tall ascenders and deep descenders
	}
	p := newPainter(pdf, rtl, lead)
	p.top, p.bottom = pageTop, pageBottom
	p.runes = runeSetOf(d, l)
	r := &national{painter: p, d: d, l: l}
	for _, part := range d.Template.Parts {
		if part.Thematic && !d.Meta.Thematic {
			continue
		}
		r.parts = append(r.parts, part)
	}
	return r
}

func (r *national) contentW() float64 { return r.pageW - 2*pageMargin }

func (r *national) build() {
	// Bookmarks need a UTF-8 font selected to encode their titles.
	r.use(faceSans, 10)
	r.cover()
	r.reserveContents()
	r.overview()
	for i := range r.parts {
		r.part(&r.parts[i])
	}
	r.drawContents()
	r.decorate()
}

// bookmark adds an outline entry at the flow position.
func (r *national) bookmark(title string, level int) {
	if r.annex != "" {
		level++
	}
	r.outline(title, level)
}

// outline adds an outline entry at the flow position: to fpdf's outline,
// or to marks when they are kept apart (a compilation joins several fpdf
// documents and writes one outline for them, join.go).
func (r *national) outline(title string, level int) {
	r.use(faceSans, 10)
	if r.marks != nil {
		*r.marks = append(*r.marks, outlineMark{title: title, level: level, page: r.pdf.PageNo(), y: r.y})
		return
	}
	r.pdf.Bookmark(title, level, r.y)
}

// cover draws the first page.
func (r *national) cover() {
	r.newPage()
	if r.annex != "" {
		r.outline(r.annex, 0)
	} else {
		r.bookmark(r.l.Cover, 0)
	}
	m := r.d.Meta
	x, w := pageMargin, r.contentW()
	r.y = 40
	if m.ProcessName != "" {
		r.para(m.ProcessName, tstyle{size: 11, color: grey}, x, w, alignStart, "")
	}
	r.y += 4
	title := r.d.Template.Title.In(r.d.Lang)
	if title == "" {
		title = r.l.NationalReport
	}
	r.para(title, tstyle{size: 20, bold: true, color: accent}, x, w, alignStart, "")
	r.y += 2
	r.para(r.l.NationalReport, tstyle{size: 13, color: black}, x, w, alignStart, "")
	r.y += 14
	r.para(m.StateName, tstyle{size: 26, bold: true, color: black}, x, w, alignStart, "")
	r.y += 4
	r.pdf.SetDrawColor(accent[0], accent[1], accent[2])
	r.pdf.SetLineWidth(0.8)
	r.pdf.Line(r.col(x, 40), r.y, r.col(x, 40)+40, r.y)
	r.y += 10

	submitted, generated := coverDates(r.d)
	if submitted == "" {
		submitted = r.l.NotSubmitted
	}
	rows := [][]cell{
		{{text: r.l.State}, {text: m.StateName}},
		{{text: r.l.ISO}, {text: m.ISO3}},
		{{text: r.l.Process}, {text: m.ProcessName}},
		{{text: r.l.Cycle}, {text: m.Cycle}},
		{{text: r.l.Version}, {text: strconv.Itoa(m.Version)}},
		{{text: r.l.TemplateVersion}, {text: r.d.Template.Version}},
		{{text: r.l.Status}, {text: name(r.l.StatusName, m.Status)}},
		{{text: r.l.Submitted}, {text: submitted}},
		{{text: r.l.Visibility}, {text: name(r.l.VisibilityName, m.Visibility)}},
		{{text: r.l.CopyFor}, {text: name(r.l.AudienceName, m.Audience)}},
		{{text: r.l.Generated}, {text: generated}},
	}
	r.table(x, w, nil, []float64{1, 2}, rows, tstyle{size: 10, color: black})
}

// reserveContents lays the table of contents out and leaves its pages
// blank: page numbers are known only once the rest is drawn. The layout is
// fixed here, so the number of pages cannot change when it is filled in.
func (r *national) reserveContents() {
	r.toc = append(r.toc, tocEntry{level: 0, title: r.l.Overview})
	for _, part := range r.parts {
		r.toc = append(r.toc, tocEntry{level: 0, code: part.Code, title: part.Title.In(r.d.Lang)})
		for _, s := range part.Sections {
			r.toc = append(r.toc, tocEntry{level: 1, code: s.Code, title: s.Title.In(r.d.Lang)})
		}
	}
	r.reserveTOC(r.l.Contents)
}

// reserveTOC lays out the entries of r.toc under title on new pages, left
// blank until drawContents fills them in.
func (r *national) reserveTOC(title string) {
	r.newPage()
	r.tocPage = r.pdf.PageNo()
	r.bookmark(title, 0)
	r.para(title, stH1, pageMargin, r.contentW(), alignStart, "")
	r.y += 4
	page := r.tocPage
	for i := range r.toc {
		e := &r.toc[i]
		st := tocStyle(e.level)
		_, tw := r.tocBoxes(e.level)
		e.lines = r.layout(e.title, st, tw)
		h := float64(len(e.lines))*r.lineHeight(st) + 1.2
		if e.level == 0 {
			h += 2
		}
		if r.y+h > r.bottom {
			r.newPage()
			page = r.pdf.PageNo()
		}
		e.tocPage, e.y = page, r.y
		e.link = r.pdf.AddLink()
		r.y += h
	}
}

func tocStyle(level int) tstyle {
	if level == 0 {
		return tstyle{size: 10.5, bold: true, color: black}
	}
	return tstyle{size: 9.5, color: black}
}

// tocBoxes returns the layout x and width of an entry's title.
func (r *national) tocBoxes(level int) (x, w float64) {
	indent := 0.0
	if level > 0 {
		indent = 6
	}
	x = pageMargin + indent + 14
	return x, r.contentW() - (x - pageMargin) - 14
}

// startEntry marks where the next table-of-contents entry begins.
func (r *national) startEntry(i int) {
	e := &r.toc[i]
	e.page = r.pdf.PageNo()
	r.pdf.SetLink(e.link, r.y, e.page)
	r.bookmark(strings.TrimSpace(e.code+" "+e.title), e.level)
}

// drawContents fills the reserved pages in.
func (r *national) drawContents() {
	last := r.pdf.PageNo()
	for _, e := range r.toc {
		r.pdf.SetPage(e.tocPage)
		r.forgetFont()
		st := tocStyle(e.level)
		lh := r.lineHeight(st)
		tx, tw := r.tocBoxes(e.level)
		y := e.y
		if e.level == 0 {
			y += 2
		}
		if e.code != "" {
			r.textAt(e.code, st, tx-14, y, 13, alignStart)
		}
		for i, l := range e.lines {
			r.drawLine(l, r.lineX(r.col(tx, tw), tw, l.w, alignStart), y+float64(i)*lh, st)
		}
		num := strconv.Itoa(e.page)
		nx := pageMargin + r.contentW() - 12
		r.textAt(num, st, nx, y+float64(len(e.lines)-1)*lh, 12, alignEnd)
		// Dotted leader from the end of the last line to the number.
		lastW := e.lines[len(e.lines)-1].w
		ly := y + float64(len(e.lines))*lh - lh*0.3
		from, to := tx+lastW+2, nx+12-r.tocNumW(num, st)-2
		if to > from {
			r.pdf.SetDrawColor(grey[0], grey[1], grey[2])
			r.pdf.SetLineWidth(0.2)
			r.pdf.SetDashPattern([]float64{0.4, 1.2}, 0)
			r.pdf.Line(r.col(from, 0), ly, r.col(to, 0), ly)
			r.pdf.SetDashPattern(nil, 0)
		}
		h := float64(len(e.lines)) * lh
		r.pdf.Link(pageMargin, y, r.contentW(), h, e.link)
	}
	r.pdf.SetPage(last)
}

func (r *national) tocNumW(num string, st tstyle) float64 {
	w := 0.0
	for _, c := range num {
		w += r.width(c, faceSans, st)
	}
	return w
}

// decorate draws the header, footer and draft mark of every page, now that
// the page count is known.
func (r *national) decorate() {
	n := r.pdf.PageCount()
	m := r.d.Meta
	w := r.contentW()
	left := strings.Join(nonEmpty(m.StateName, m.Cycle), " · ")
	vis := r.l.Visibility + r.l.Colon + name(r.l.VisibilityName, m.Visibility)
	for i := 1; i <= n; i++ {
		r.pdf.SetPage(i)
		r.forgetFont()
		r.frame(i > 1, left, m.ProcessName)
		r.textAt(vis, stPageNum, pageMargin, 284, w/2, alignStart)
		r.textAt(r.l.pageOf(i, n), stPageNum, pageMargin+w/2, 284, w/2, alignEnd)
		if m.Draft {
			r.draftMark()
		}
	}
}

// frame draws the rules of a page's head and foot, and with head the
// running head: left at the start, right at the end. The foot's texts are
// the caller's.
func (r *national) frame(head bool, left, right string) {
	w := r.contentW()
	if head {
		r.textAt(left, stPageNum, pageMargin, 10, w/2, alignStart)
		r.textAt(right, stPageNum, pageMargin+w/2, 10, w/2, alignEnd)
		r.pdf.SetDrawColor(ruleGrey[0], ruleGrey[1], ruleGrey[2])
		r.pdf.SetLineWidth(0.2)
		r.pdf.Line(pageMargin, 15.5, pageMargin+w, 15.5)
	}
	r.pdf.SetDrawColor(ruleGrey[0], ruleGrey[1], ruleGrey[2])
	r.pdf.SetLineWidth(0.2)
	r.pdf.Line(pageMargin, 282, pageMargin+w, 282)
}

// draftMark draws the diagonal draft mark across the page.
func (r *national) draftMark() {
	// The mark looks like draftRed at 16% opacity over the page, but is
	// opaque and darkens what is under it (blend mode Darken): bold text is
	// stroked over its own fill, and a translucent stroke would darken the
	// fill where the two overlap, outlining every letter. Darken gives the
	// same colour however often it is painted, shows as the light red on
	// paper, and leaves the darker text and lines under the mark as they are.
	var light [3]int
	for i, c := range draftRed {
		light[i] = int(math.Round(255 - draftAlpha*float64(255-c)))
	}
	st := tstyle{size: 44, bold: true, color: light}
	lines := r.layout(r.l.DraftMark, st, 1000)
	if len(lines) == 0 || lines[0].w == 0 {
		return
	}
	l := lines[0]
	// Fit the diagonal of the page, keeping a margin.
	if maxW := 250.0; l.w > maxW {
		st.size *= maxW / l.w
		l = r.layout(r.l.DraftMark, st, 1000)[0]
	}
	cx, cy := r.pageW/2, 297.0/2
	lh := r.lineHeight(st)
	r.pdf.SetAlpha(1, "Darken")
	r.pdf.TransformBegin()
	r.pdf.TransformRotate(math.Atan2(297, 210)*180/math.Pi, cx, cy)
	r.drawLine(l, cx-l.w/2, cy-lh/2, st)
	r.pdf.TransformEnd()
	r.pdf.SetAlpha(1, "Normal")
	r.forgetFont()
}

// overview draws the distribution of status answers per norm.
func (r *national) overview() {
	r.newPage()
	r.startEntry(0)
	x, w := pageMargin, r.contentW()
	r.para(r.l.Overview, stH1, x, w, alignStart, "")
	r.y += 2
	r.para(r.l.OverviewIntro, tstyle{size: 9, color: grey}, x, w, alignStart, "")
	r.y += 5

	// Legend.
	lx := x
	for _, k := range answerKeys {
		if k == withheldKey && !r.mayWithhold() {
			continue
		}
		label := r.l.Answer[k]
		lw := 0.0
		for _, l := range r.layout(label, stSmall, 200) {
			lw = max(lw, l.w)
		}
		if lx+5+lw > x+w {
			lx = x
			r.y += 6
		}
		r.swatch(k, r.col(lx, 3.5), r.y+0.6, 3.5, 3.5)
		r.textAt(label, stSmall, lx+5, r.y, lw+1, alignStart)
		lx += 5 + lw + 6
	}
	r.y += 10

	counts := r.normCounts()
	labelW, numW := 66.0, 10.0
	barX := x + labelW + 3
	barW := w - labelW - 3 - numW - 2
	st := tstyle{size: 8.5, color: black}
	lh := r.lineHeight(st)
	for _, nk := range normKeys {
		c := counts[nk]
		lines := r.layout(r.l.Norms[nk], st, labelW-8)
		h := max(float64(len(lines))*lh, 7) + 3
		r.need(h)
		r.textAt("("+nk+")", tstyle{size: 8.5, bold: true, color: accent}, x, r.y, 7, alignStart)
		for i, l := range lines {
			r.drawLine(l, r.lineX(r.col(x+8, labelW-8), labelW-8, l.w, alignStart), r.y+float64(i)*lh, st)
		}
		total := 0
		for _, k := range answerKeys {
			total += c[k]
		}
		by := r.y + 0.5
		bh := 5.5
		if total == 0 {
			r.pdf.SetDrawColor(ruleGrey[0], ruleGrey[1], ruleGrey[2])
			r.pdf.SetLineWidth(0.2)
			r.pdf.Rect(r.col(barX, barW), by, barW, bh, "D")
		}
		off := 0.0
		for _, k := range answerKeys {
			if c[k] == 0 {
				continue
			}
			sw := barW * float64(c[k]) / float64(total)
			sx := r.col(barX+off, sw)
			r.swatch(k, sx, by, sw, bh)
			if sw >= 4.5 {
				tc := [3]int{255, 255, 255}
				if k != "yes" && k != "no" {
					tc = black
				}
				r.textAt(strconv.Itoa(c[k]), tstyle{size: 7.5, bold: true, color: tc}, barX+off, by+0.4, sw, alignCenter)
			}
			off += sw
		}
		r.textAt(strconv.Itoa(total), tstyle{size: 8.5, color: grey}, barX+barW+2, r.y+0.4, numW, alignEnd)
		r.y += h
	}
}

// swatch fills a rectangle (page coordinates) in an answer's colour.
func (r *national) swatch(key string, x, y, w, h float64) {
	c := answerRGB[key]
	r.pdf.SetFillColor(c[0], c[1], c[2])
	style := "F"
	if key == "" {
		r.pdf.SetDrawColor(170, 170, 170)
		r.pdf.SetLineWidth(0.15)
		style = "FD"
	}
	r.pdf.Rect(x, y, w, h, style)
}

// normCounts counts, per norm, the answers to the status questions tagged
// with it; a question without a status answer counts as unanswered, and
// one whose answer this copy's reader may not see as not shared.
func (r *national) normCounts() map[string]map[string]int {
	counts := map[string]map[string]int{}
	for _, nk := range normKeys {
		counts[nk] = map[string]int{}
	}
	for pi := range r.parts {
		part := &r.parts[pi]
		for _, s := range part.Sections {
			for qi := range s.Questions {
				q := &s.Questions[qi]
				if q.Kind != surveys.KindStatus {
					continue
				}
				status := r.d.Answers[q.Code].Status
				if _, ok := answerRGB[status]; !ok || status == withheldKey {
					status = ""
				}
				if r.withheld(part, q) {
					status = withheldKey
				}
				for _, nk := range q.Tags.Norms {
					if c, ok := counts[strings.ToLower(nk)]; ok {
						c[status]++
					}
				}
			}
		}
	}
	return counts
}

// mayWithhold reports whether this copy's reader may be kept from some
// answers: anyone but the State and the secretariat.
func (r *national) mayWithhold() bool {
	switch r.d.Meta.Audience {
	case "", surveys.AudState, surveys.AudSecretariat:
		return false
	}
	return true
}

// withheld reports whether the answer to q, of part, is kept from this
// copy's reader (see surveys.QuestionWithheld).
func (r *national) withheld(part *surveys.Part, q *surveys.Question) bool {
	return r.mayWithhold() && surveys.QuestionWithheld(r.d.Meta.Audience, part, q, r.d.Answers)
}

// entryIndex returns the table-of-contents index of a part or section.
func (r *national) entryIndex(level int, code string) int {
	for i, e := range r.toc {
		if e.level == level && e.code == code {
			return i
		}
	}
	return -1
}

// part draws one part, starting on a new page.
func (r *national) part(part *surveys.Part) {
	r.newPage()
	if i := r.entryIndex(0, part.Code); i >= 0 {
		r.startEntry(i)
	}
	r.heading(part.Code, part.Title.In(r.d.Lang), stH1, 20)
	if intro := part.Intro.In(r.d.Lang); intro != "" {
		r.para(intro, tstyle{size: 9, color: grey}, pageMargin, r.contentW(), alignStart, "")
	}
	if part.Thematic && r.d.Meta.ThematicPriority != "" {
		r.y += 1
		r.para(r.l.Thematic, stSmallB, pageMargin, r.contentW(), alignStart, "")
		r.para(r.d.Meta.ThematicPriority, stBody, pageMargin, r.contentW(), alignStart, "")
	}
	r.y += 4
	for i := range part.Sections {
		r.section(part, &part.Sections[i])
	}
}

// heading draws a numbered heading: the code in its own column so that it
// stays at the start of the line whatever the direction of the title.
func (r *national) heading(code, title string, st tstyle, codeCol float64) {
	x, w := pageMargin, r.contentW()
	lines := r.layout(title, st, w-codeCol)
	r.need(float64(len(lines)) * r.lineHeight(st))
	if code != "" {
		r.textAt(code, st, x, r.y, codeCol-2, alignStart)
	}
	r.drawLines(lines, st, x+codeCol, w-codeCol, alignStart, "")
	r.y += 1
}

// section draws a section heading, a column header and its answered
// questions.
func (r *national) section(part *surveys.Part, s *surveys.Section) {
	r.need(30)
	r.y += 3
	if i := r.entryIndex(1, s.Code); i >= 0 {
		r.startEntry(i)
	}
	r.heading(s.Code, s.Title.In(r.d.Lang), stH2, 20)
	if intro := s.Intro.In(r.d.Lang); intro != "" {
		r.para(intro, tstyle{size: 8.5, color: grey}, pageMargin, r.contentW(), alignStart, "")
	}
	answered, withheld := 0, 0
	for qi := range s.Questions {
		q := &s.Questions[qi]
		if _, ok := r.d.Answers[q.Code]; ok {
			answered++
		} else if r.withheld(part, q) && surveys.Visible(q, r.d.Answers) {
			withheld++
		}
	}
	// What is kept from the reader is said apart from what is unanswered.
	notShared := func() {
		if withheld > 0 {
			r.y += 1
			r.para(fmt.Sprintf(r.l.NotSharedSection, withheld), tstyle{size: 9, color: grey}, pageMargin, r.contentW(), alignStart, "")
			r.y += 3
		}
	}
	if answered == 0 {
		if withheld == 0 {
			r.y += 1
			r.para(r.l.EmptySection, tstyle{size: 9, color: grey}, pageMargin, r.contentW(), alignStart, "")
			r.y += 3
		}
		notShared()
		return
	}
	r.columnHeader()
	for _, q := range s.Questions {
		if v, ok := r.d.Answers[q.Code]; ok {
			r.question(q, v)
		}
	}
	r.y += 2
	notShared()
}

// Question block columns, in layout coordinates.
func (r *national) mainCol() (x, w float64) {
	x = pageMargin + codeW + gutter
	return x, r.pageW - pageMargin - sourcesW - gutter - x
}

func (r *national) sourcesCol() (x, w float64) {
	return r.pageW - pageMargin - sourcesW, sourcesW
}

// columnHeader names the three columns of the question blocks.
func (r *national) columnHeader() {
	r.y += 1
	mx, mw := r.mainCol()
	sx, sw := r.sourcesCol()
	h := r.lineHeight(stNote)
	r.need(h + 12)
	r.textAt(r.l.Code, stNote, pageMargin, r.y, codeW, alignStart)
	r.textAt(r.l.Question, stNote, mx, r.y, mw, alignStart)
	r.textAt(r.l.Sources, stNote, sx, r.y, sw, alignStart)
	r.y += h + 0.5
	r.rule(0.3, accent)
	r.y += 1.5
}

// rule draws a horizontal line across the content width at the flow position.
func (r *national) rule(width float64, c [3]int) {
	r.pdf.SetDrawColor(c[0], c[1], c[2])
	r.pdf.SetLineWidth(width)
	r.pdf.Line(pageMargin, r.y, r.pageW-pageMargin, r.y)
}

// question draws one answered question: code, text and sources side by
// side, then the answer.
func (r *national) question(q surveys.Question, v surveys.Value) {
	mx, mw := r.mainCol()
	sx, sw := r.sourcesCol()
	qLines := r.layout(q.Text.In(r.d.Lang), stBold, mw)
	var sLines []line
	if len(q.Sources) > 0 {
		sLines = r.layout(strings.Join(q.Sources, "; "), stNote, sw)
	}
	qh := float64(len(qLines)) * r.lineHeight(stBold)
	sh := float64(len(sLines)) * r.lineHeight(stNote)
	// Keep the question with its sources and the first line of its answer.
	r.need(max(qh+r.lineHeight(stBody), sh))
	top, topPage := r.y, r.pdf.PageNo()
	r.textAt(q.Code, stCode, pageMargin, top+0.3, codeW, alignStart)
	for i, l := range sLines {
		r.drawLine(l, r.lineX(r.col(sx, sw), sw, l.w, alignStart), top+float64(i)*r.lineHeight(stNote), stNote)
	}
	r.drawLines(qLines, stBold, mx, mw, alignStart, "")
	r.y += 0.8
	sourcesEnd := top + sh
	switch q.Kind {
	case surveys.KindStatus:
		r.statusAnswer(v, mx, mw)
	case surveys.KindSingle:
		r.para(optionLabel(q.Options, v.Text, r.d.Lang), stBody, mx, mw, alignStart, "")
	case surveys.KindMulti:
		for _, c := range v.Choices {
			r.para("• "+optionLabel(q.Options, c, r.d.Lang), stBody, mx, mw, alignStart, "")
		}
	case surveys.KindURL:
		r.para(v.Text, stLink, mx, mw, alignStart, v.Text)
	case surveys.KindRows:
		if r.pdf.PageNo() == topPage {
			r.y = max(r.y, sourcesEnd)
		}
		r.y += 0.5
		r.rowsAnswer(q, v, mx)
	case surveys.KindContact:
		r.contactAnswer(v, mx, mw)
	default: // short, long, number, date
		r.para(v.Text, stBody, mx, mw, alignStart, "")
	}
	if r.pdf.PageNo() == topPage {
		r.y = max(r.y, sourcesEnd)
	}
	r.y += 2
	r.rule(0.1, ruleGrey)
	r.y += 2
}

// statusAnswer draws a status with its challenges and assistance needed.
func (r *national) statusAnswer(v surveys.Value, x, w float64) {
	key := v.Status
	if _, ok := answerRGB[key]; !ok {
		key = ""
	}
	r.need(r.lineHeight(stBold))
	r.swatch(key, r.col(x, 3.2), r.y+1.1, 3.2, 3.2)
	r.textAt(r.l.Answer[key], stBold, x+5, r.y, w-5, alignStart)
	r.y += r.lineHeight(stBold)
	if v.Measures != "" {
		r.y += 0.5
		r.para(r.l.Measures, stSmallB, x, w, alignStart, "")
		r.para(v.Measures, stBody, x, w, alignStart, "")
	}
	if len(v.Links) > 0 {
		r.y += 0.5
		r.para(r.l.Links, stSmallB, x, w, alignStart, "")
		for _, l := range v.Links {
			r.para(l, stBody, x, w, alignStart, l)
		}
	}
	if v.Challenges != "" {
		r.y += 0.5
		r.para(r.l.Challenges, stSmallB, x, w, alignStart, "")
		r.para(v.Challenges, stBody, x, w, alignStart, "")
	}
	if v.AssistanceNeeded || v.AssistanceText != "" {
		r.y += 0.5
		r.para(r.l.AssistanceNeeded, stSmallB, x, w, alignStart, "")
		text := v.AssistanceText
		if text == "" {
			text = r.l.Answer["yes"]
		}
		r.para(text, stBody, x, w, alignStart, "")
		var kind []string
		if v.AssistanceType != "" {
			kind = append(kind, r.l.AssistType+r.l.Colon+name(r.l.AssistTypes, v.AssistanceType))
		}
		if v.AssistancePriority != "" {
			kind = append(kind, r.l.AssistPriority+r.l.Colon+name(r.l.AssistPriorities, v.AssistancePriority))
		}
		if len(kind) > 0 {
			r.para(strings.Join(kind, " · "), stSmall, x, w, alignStart, "")
		}
	}
}

// rowsAnswer draws repeating rows as a table across the main and sources
// columns.
func (r *national) rowsAnswer(q surveys.Question, v surveys.Value, x float64) {
	w := r.pageW - pageMargin - x
	headers := make([]string, len(q.Columns))
	weights := make([]float64, len(q.Columns))
	for i, c := range q.Columns {
		headers[i] = c.Label.In(r.d.Lang)
		switch c.Kind {
		case surveys.KindLong:
			weights[i] = 2
		case surveys.KindURL:
			weights[i] = 1.6
		case surveys.KindNumber, surveys.KindDate:
			weights[i] = 0.8
		default:
			weights[i] = 1.2
		}
	}
	rows := make([][]cell, 0, len(v.Rows))
	for _, row := range v.Rows {
		cells := make([]cell, len(q.Columns))
		for i, c := range q.Columns {
			val := row[c.Key]
			switch c.Kind {
			case surveys.KindSingle:
				cells[i] = cell{text: optionLabel(c.Options, val, r.d.Lang)}
			case surveys.KindURL:
				cells[i] = cell{text: val, link: val}
			default:
				cells[i] = cell{text: val}
			}
		}
		rows = append(rows, cells)
	}
	r.table(x, w, headers, weights, rows, stSmall)
}

// contactAnswer draws a contact block as a small two-column table.
func (r *national) contactAnswer(v surveys.Value, x, w float64) {
	var rows [][]cell
	for _, f := range surveys.ContactFields {
		val := v.Contact[f]
		if val == "" {
			continue
		}
		c := cell{text: val}
		if f == "email" {
			c.link = "mailto:" + val
		}
		rows = append(rows, []cell{{text: r.l.Contact[f]}, c})
	}
	r.y += 0.5
	r.table(x, w, nil, []float64{1, 2.2}, rows, stSmall)
}

// optionLabel returns the label of an option value, or the value itself.
func optionLabel(opts []surveys.Option, value, lang string) string {
	for _, o := range opts {
		if o.Value == value {
			if s := o.Label.In(lang); s != "" {
				return s
			}
		}
	}
	return value
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
