package reports

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"unicode/utf16"
)

// A compilation is too long to be one fpdf document: fpdf keeps every
// page's content, uncompressed, until the document is written out, and then
// copies it all into one growing buffer. So a compilation is drawn as
// several small fpdf documents (the front matter, groups of annexes, the
// running heads), and the joiner here writes their pages into one PDF as
// they come: each page's content compressed, the pages of a group written
// and forgotten before the next group is drawn. What spans the whole
// document the joiner writes itself at the end: the page tree, the outline
// (bookmarks), one set of fonts and the catalogue.
//
// Fonts. Text in fpdf's UTF-8 fonts is written as character codes (CIDs
// are the Unicode values), whatever subset the font is cut to, so the
// pages of every document can share one font. The documents are drawn with
// stand-in fonts reduced to almost nothing (stubRunes), which are cheap to
// register and to write; the fonts embedded in the joined file are cut once,
// at the end, to every character any document drew. fpdf names a font in a
// page's resources by a hash of the font it was given, so every document
// drawn with the same stand-in uses the same name, and one resource
// dictionary serves every page.
//
// Each page's content is wrapped in q … Q and followed by a second content
// stream, its running head and footer, drawn last in a document of their
// own once the page count is known.

// stubRunes are the characters the stand-in fonts are reduced to: none (the
// subset still keeps the first 256 characters, as fpdf expects).
var stubRunes = new(runeSet)

// pdfHeader is what fpdf writes before the first object.
const pdfHeader = "%PDF-1.3\n%µ¶\n"

// annot is a link annotation of a page.
type annot struct {
	rect string // "x1 y1 x2 y2", as fpdf wrote it
	uri  string // the URI as a PDF string with its parentheses, or ""
	page int    // otherwise the destination page, in the document drawn
	y    string // and the destination's top, as fpdf wrote it
}

// cutDoc is an fpdf document made ready to join: its pages' contents,
// compressed end to end in a buffer of the caller's, and their links.
type cutDoc struct {
	ends   []int // the end of each page's compressed content
	annots [][]annot
	fonts  map[string]fontRef // the fonts its pages name, by resource name
	info   []byte             // its Info dictionary, "<<" to ">>"
}

// fontRef is a font in fpdf's resources: its key and its object.
type fontRef struct {
	key string
	num int
}

// cutFpdf cuts raw, an uncompressed document of pages pages written by
// fpdf, into its pages, compressing each page's content into z (wrapped
// in q … Q when wrap is set). It refuses any page or resource it does not
// know how to carry over.
func cutFpdf(raw []byte, pages int, wrap bool, z io.Writer) (*cutDoc, error) {
	f, err := readFpdf(raw)
	if err != nil {
		return nil, err
	}
	if f.n < 3+2*pages || !bytes.HasPrefix(raw, []byte(pdfHeader)) {
		return nil, fmt.Errorf("%w: %d pages expected", errPack, pages)
	}
	cut := &cutDoc{ends: make([]int, pages), annots: make([][]annot, pages)}
	if cut.fonts, err = fpdfFonts(f); err != nil {
		return nil, err
	}
	if cut.info, err = fpdfInfo(f); err != nil {
		return nil, err
	}
	out := &countWriter{w: z}
	zw := getZlib()
	defer putZlib(zw)
	for p := 1; p <= pages; p++ {
		content, annots, err := fpdfPage(f, p)
		if err != nil {
			return nil, err
		}
		cut.annots[p-1] = annots
		zw.Reset(writerFunc(func(b []byte) (int, error) { out.write(b); return len(b), out.err }))
		if wrap {
			_, _ = zw.Write([]byte("q\n"))
		}
		_, _ = zw.Write(content)
		if wrap {
			_, _ = zw.Write([]byte("\nQ\n"))
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		cut.ends[p-1] = out.n
	}
	return cut, out.err
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

// fpdfPage returns the content of page p of f and its links. fpdf writes
// page p as object 1+2p and its content as object 2+2p.
func fpdfPage(f *fpdfFile, p int) ([]byte, []annot, error) {
	bad := func(what string) error { return fmt.Errorf("%w: page %d: %s", errPack, p, what) }
	num := 1 + 2*p
	d, ok := bytes.CutPrefix(f.data[num], []byte(strconv.Itoa(num)+" 0 obj\n<</Type /Page\n/Parent 1 0 R\n/Resources 2 0 R\n"))
	if !ok {
		return nil, nil, bad("unexpected dictionary")
	}
	var annots []annot
	if rest, ok := bytes.CutPrefix(d, []byte("/Annots [")); ok {
		var err error
		if annots, rest, err = readAnnots(rest); err != nil {
			return nil, nil, bad(err.Error())
		}
		if d, ok = bytes.CutPrefix(rest, []byte("]\n")); !ok {
			return nil, nil, bad("annotations")
		}
	}
	if string(d) != "/Contents "+strconv.Itoa(num+1)+" 0 R>>\nendobj\n" {
		return nil, nil, bad("unexpected entries")
	}
	const head, mid, tail = " 0 obj\n<</Length ", ">>\nstream\n", "\nendstream\nendobj\n"
	rest, ok := bytes.CutPrefix(f.data[num+1], []byte(strconv.Itoa(num+1)+head))
	l, ok2 := atoiUntil(rest, '>')
	if !ok || !ok2 {
		return nil, nil, bad("content")
	}
	rest, ok = bytes.CutPrefix(rest[len(strconv.Itoa(l)):], []byte(mid))
	if !ok || len(rest) != l+len(tail) || string(rest[l:]) != tail {
		return nil, nil, bad("content")
	}
	return rest[:l], annots, nil
}

// readAnnots reads the link annotations fpdf writes, up to the "]" that
// closes the array, and returns what follows it.
func readAnnots(b []byte) ([]annot, []byte, error) {
	var out []annot
	for len(b) > 0 && b[0] != ']' {
		rest, ok := bytes.CutPrefix(b, []byte("<</Type /Annot /Subtype /Link /Rect ["))
		if !ok {
			return nil, nil, fmt.Errorf("annotation")
		}
		rect, rest, ok := bytes.Cut(rest, []byte("] /Border [0 0 0] "))
		if !ok {
			return nil, nil, fmt.Errorf("annotation rectangle")
		}
		a := annot{rect: string(rect)}
		if s, ok := bytes.CutPrefix(rest, []byte("/A <</S /URI /URI (")); ok {
			// fpdf escapes every parenthesis and backslash in the string.
			i := 0
			for ; i < len(s) && s[i] != ')'; i++ {
				if s[i] == '\\' {
					i++
				}
			}
			if i >= len(s) {
				return nil, nil, fmt.Errorf("URI")
			}
			a.uri = "(" + string(s[:i]) + ")"
			if rest, ok = bytes.CutPrefix(s[i+1:], []byte(">>>>")); !ok {
				return nil, nil, fmt.Errorf("URI end")
			}
		} else if s, ok := bytes.CutPrefix(rest, []byte("/Dest [")); ok {
			obj, ok := atoiUntil(s, ' ')
			if !ok || obj < 3 || obj%2 == 0 {
				return nil, nil, fmt.Errorf("destination")
			}
			a.page = (obj - 1) / 2
			s, ok = bytes.CutPrefix(s[len(strconv.Itoa(obj)):], []byte(" 0 R /XYZ 0 "))
			y, after, ok2 := bytes.Cut(s, []byte(" null]>>"))
			if !ok || !ok2 {
				return nil, nil, fmt.Errorf("destination")
			}
			a.y, rest = string(y), after
		} else {
			return nil, nil, fmt.Errorf("unknown annotation")
		}
		out = append(out, a)
		b = rest
	}
	return out, b, nil
}

// fpdfFonts reads fpdf's resource dictionary (object 2) and returns the
// fonts it names, by resource name. Anything but fonts in it is refused.
func fpdfFonts(f *fpdfFile) (map[string]fontRef, error) {
	d, ok := bytes.CutPrefix(f.data[2], []byte("2 0 obj\n<<\n/ProcSet [/PDF /Text /ImageB /ImageC /ImageI]\n/Font <<\n"))
	body, rest, ok2 := bytes.Cut(d, []byte(">>\n"))
	if !ok || !ok2 || string(rest) != "/XObject <<\n>>\n/ColorSpace <<\n>>\n>>\nendobj\n" {
		return nil, fmt.Errorf("%w: resources other than fonts", errPack)
	}
	fonts := map[string]fontRef{}
	for ln := range bytes.Lines(body) {
		name, ref, ok := bytes.Cut(bytes.TrimSuffix(ln, []byte("\n")), []byte(" "))
		num, ok2 := atoiUntil(ref, ' ')
		if !ok || !ok2 || !bytes.HasPrefix(name, []byte("/F")) || num <= 0 || num >= f.n || string(ref) != strconv.Itoa(num)+" 0 R" {
			return nil, fmt.Errorf("%w: font resource %q", errPack, ln)
		}
		_, after, ok := bytes.Cut(f.data[num], []byte("\n/BaseFont /utf8"))
		key, _, ok2 := bytes.Cut(after, []byte("\n"))
		if !ok || !ok2 {
			return nil, fmt.Errorf("%w: font %d", errPack, num)
		}
		fonts[string(name[1:])] = fontRef{key: string(key), num: num}
	}
	return fonts, nil
}

// fpdfInfo returns the Info dictionary the trailer of f names.
func fpdfInfo(f *fpdfFile) ([]byte, error) {
	_, after, ok := bytes.Cut(f.trailer, []byte("\n/Info "))
	num, ok2 := atoiUntil(after, ' ')
	if !ok || !ok2 || num <= 0 || num >= f.n {
		return nil, fmt.Errorf("%w: no Info", errPack)
	}
	d := f.data[num][len(strconv.Itoa(num)+" 0 obj\n"):]
	d, ok = bytes.CutSuffix(d, []byte("\nendobj\n"))
	if !ok {
		return nil, fmt.Errorf("%w: Info", errPack)
	}
	return d, nil
}

// outlineMark is a bookmark: its title and level, and the page and
// position (mm from the top) it points at.
type outlineMark struct {
	title string
	level int
	page  int
	y     float64
}

// joiner writes a PDF of the pages of several fpdf documents (see the top
// of this file). Objects 1 and 2 are the page tree and the resources,
// written last.
type joiner struct {
	out     countWriter
	offsets []int             // by object number, from 1; 0 until written
	pages   map[int]int       // page number → its page object
	decors  map[int]int       // page number → its running heads' stream
	keys    map[string]string // resource name → fpdf font key, of every page written
	wrote   int               // pages written
	pageH   float64           // page height, mm
	k       float64           // points per mm
}

func newJoiner(w io.Writer, pageH, k float64) *joiner {
	j := &joiner{out: countWriter{w: w}, offsets: make([]int, 3), pages: map[int]int{}, decors: map[int]int{},
		keys: map[string]string{}, pageH: pageH, k: k}
	j.out.write([]byte(pdfHeader))
	return j
}

// alloc returns a new object number.
func (j *joiner) alloc() int {
	j.offsets = append(j.offsets, 0)
	return len(j.offsets) - 1
}

// pageObj returns the object number of page p (1-based, in the whole
// document), allocated the first time a page or a link needs it.
func (j *joiner) pageObj(p int) int { return j.objOf(j.pages, p) }

// decorObj returns the object number of page p's running heads.
func (j *joiner) decorObj(p int) int { return j.objOf(j.decors, p) }

// objOf returns the object number of page p in m, allocating it the
// first time.
func (j *joiner) objOf(m map[int]int, p int) int {
	n, ok := m[p]
	if !ok {
		n = j.alloc()
		m[p] = n
	}
	return n
}

// begin starts object num.
func (j *joiner) begin(num int) {
	j.offsets[num] = j.out.n
	j.out.write(strconv.AppendInt(nil, int64(num), 10))
	j.out.write([]byte(" 0 obj\n"))
}

// stream writes object num as a compressed stream of data.
func (j *joiner) stream(num int, data []byte) {
	j.begin(num)
	b := append([]byte("<</Filter /FlateDecode /Length "), strconv.Itoa(len(data))...)
	j.out.write(append(b, ">>\nstream\n"...))
	j.out.write(data)
	j.out.write([]byte("\nendstream\nendobj\n"))
}

// addFonts records the fonts a document's pages name.
func (j *joiner) addFonts(fonts map[string]fontRef) error {
	for name, f := range fonts {
		if k, ok := j.keys[name]; ok && k != f.key {
			return fmt.Errorf("%w: font name %s for %s and %s", errPack, name, k, f.key)
		}
		j.keys[name] = f.key
	}
	return nil
}

// writePages writes the pages of cut as pages base+1, base+2, … of the joined
// document; z holds their compressed contents. Links to page q of the
// document drawn point at page base+q.
func (j *joiner) writePages(base int, cut *cutDoc, z []byte) error {
	if err := j.addFonts(cut.fonts); err != nil {
		return err
	}
	start := 0
	var b []byte
	for i, end := range cut.ends {
		p := base + i + 1
		c := j.alloc()
		j.stream(c, z[start:end])
		start = end
		j.begin(j.pageObj(p))
		b = append(b[:0], "<</Type /Page\n/Parent 1 0 R\n/Resources 2 0 R\n"...)
		if as := cut.annots[i]; len(as) > 0 {
			b = append(b, "/Annots ["...)
			for _, a := range as {
				b = append(b, "<</Type /Annot /Subtype /Link /Rect ["...)
				b = append(b, a.rect...)
				b = append(b, "] /Border [0 0 0] "...)
				if a.uri != "" {
					b = append(b, "/A <</S /URI /URI "...)
					b = append(b, a.uri...)
					b = append(b, ">>>>"...)
					continue
				}
				b = append(b, "/Dest ["...)
				b = strconv.AppendInt(b, int64(j.pageObj(base+a.page)), 10)
				b = append(b, " 0 R /XYZ 0 "...)
				b = append(b, a.y...)
				b = append(b, " null]>>"...)
			}
			b = append(b, "]\n"...)
		}
		b = append(b, "/Contents ["...)
		b = strconv.AppendInt(b, int64(c), 10)
		b = append(b, " 0 R "...)
		b = strconv.AppendInt(b, int64(j.decorObj(p)), 10)
		b = append(b, " 0 R]>>\nendobj\n"...)
		j.out.write(b)
		j.wrote = max(j.wrote, p)
	}
	return j.out.err
}

// writeDecors writes the running heads of pages 1…n, page p's being page p
// of cut.
func (j *joiner) writeDecors(cut *cutDoc, z []byte) error {
	if len(cut.ends) != j.wrote {
		return fmt.Errorf("%w: running heads of %d pages for %d", errPack, len(cut.ends), j.wrote)
	}
	if err := j.addFonts(cut.fonts); err != nil {
		return err
	}
	start := 0
	for i, end := range cut.ends {
		j.stream(j.decorObj(i+1), z[start:end])
		start = end
	}
	return j.out.err
}

// writeFonts writes the fonts of raw, a document written by fpdf that drew
// every character of the joined document, changed by fixes, and returns
// their objects by fpdf font key.
func (j *joiner) writeFonts(raw []byte, fixes []fontFix) (map[string]int, error) {
	f, err := readFpdf(raw)
	if err != nil {
		return nil, err
	}
	fonts, err := fpdfFonts(f)
	if err != nil {
		return nil, err
	}
	repl, err := fixFonts(f.data, fixes)
	if err != nil {
		return nil, err
	}
	obj := func(num int) []byte {
		if repl[num] != nil {
			return repl[num]
		}
		return f.data[num]
	}
	// Every object the fonts' dictionaries lead to, numbered anew.
	renum := map[int]int{}
	var order []int
	var visit func(num int) error
	visit = func(num int) error {
		if _, ok := renum[num]; ok {
			return nil
		}
		if num <= 2 || num >= f.n {
			return fmt.Errorf("%w: font object %d", errPack, num)
		}
		renum[num] = j.alloc()
		order = append(order, num)
		for _, r := range objRefs(dictOf(obj(num))) {
			if err := visit(r); err != nil {
				return err
			}
		}
		return nil
	}
	byKey := map[string]int{}
	for _, name := range slices.Sorted(maps.Keys(fonts)) {
		ft := fonts[name]
		if err := visit(ft.num); err != nil {
			return nil, err
		}
		byKey[ft.key] = renum[ft.num]
	}
	for _, num := range order {
		d := obj(num)
		dict := dictOf(d)
		j.offsets[renum[num]] = j.out.n
		j.out.write(renumber(dict, renum, num))
		j.out.write(d[len(dict):])
	}
	return byKey, j.out.err
}

// dictOf returns an object up to its stream data, if it has any.
func dictOf(obj []byte) []byte {
	if i := bytes.Index(obj, []byte("\nstream\n")); i >= 0 {
		return obj[:i+len("\nstream\n")]
	}
	return obj
}

// objRefs returns the object numbers "N 0 R" refers to in b, which holds
// no strings (fpdf's font dictionaries).
func objRefs(b []byte) []int {
	var refs []int
	for i := 0; ; {
		k := bytes.Index(b[i:], []byte(" 0 R"))
		if k < 0 {
			return refs
		}
		end := i + k
		s := end
		for s > 0 && b[s-1] >= '0' && b[s-1] <= '9' {
			s--
		}
		if n, err := strconv.Atoi(string(b[s:end])); err == nil && s < end {
			refs = append(refs, n)
		}
		i = end + len(" 0 R")
	}
}

// renumber rewrites the object's own number and its references by renum.
func renumber(dict []byte, renum map[int]int, self int) []byte {
	head := strconv.Itoa(self) + " 0 obj\n"
	out := strconv.AppendInt(nil, int64(renum[self]), 10)
	out = append(out, " 0 obj\n"...)
	b := dict[len(head):]
	for {
		k := bytes.Index(b, []byte(" 0 R"))
		if k < 0 {
			return append(out, b...)
		}
		s := k
		for s > 0 && b[s-1] >= '0' && b[s-1] <= '9' {
			s--
		}
		n, _ := strconv.Atoi(string(b[s:k]))
		out = append(out, b[:s]...)
		out = strconv.AppendInt(out, int64(renum[n]), 10)
		out = append(out, " 0 R"...)
		b = b[k+len(" 0 R"):]
	}
}

// finish writes the resources naming fonts (by fpdf key), the outline,
// the page tree, info, catalogue and cross-reference table.
func (j *joiner) finish(fonts map[string]int, marks []outlineMark, info []byte, lang string) error {
	n := j.wrote
	for p := range j.pages {
		if p < 1 || p > n {
			return fmt.Errorf("%w: a link to page %d of %d", errPack, p, n)
		}
	}
	if len(j.decors) != n {
		return fmt.Errorf("%w: running heads of %d pages for %d", errPack, len(j.decors), n)
	}
	var b []byte
	j.begin(2)
	b = append(b, "<<\n/ProcSet [/PDF /Text /ImageB /ImageC /ImageI]\n/Font <<\n"...)
	for _, name := range slices.Sorted(maps.Keys(j.keys)) {
		num, ok := fonts[j.keys[name]]
		if !ok {
			return fmt.Errorf("%w: font %s not embedded", errPack, j.keys[name])
		}
		b = append(b, "/"+name+" "...)
		b = strconv.AppendInt(b, int64(num), 10)
		b = append(b, " 0 R\n"...)
	}
	j.out.write(append(b, ">>\n>>\nendobj\n"...))

	outlines := j.writeOutline(marks)

	j.begin(1)
	b = append(b[:0], "<</Type /Pages\n/Kids ["...)
	for p := 1; p <= n; p++ {
		b = strconv.AppendInt(b, int64(j.pageObj(p)), 10)
		b = append(b, " 0 R "...)
	}
	b = append(b, "]\n/Count "...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, "\n/MediaBox [0 0 "...)
	b = append(b, fmt.Sprintf("%.2f %.2f", 210*j.k, j.pageH*j.k)...)
	j.out.write(append(b, "]\n>>\nendobj\n"...))

	infoNum := j.alloc()
	j.begin(infoNum)
	j.out.write(info)
	j.out.write([]byte("\nendobj\n"))
	root := j.alloc()
	j.begin(root)
	b = append(b[:0], "<<\n/Type /Catalog\n/Pages 1 0 R\n"...)
	if lang != "" {
		b = append(b, "/Lang ("+lang+")\n"...)
	}
	if outlines > 0 {
		b = append(b, "/Outlines "...)
		b = strconv.AppendInt(b, int64(outlines), 10)
		b = append(b, " 0 R\n/PageMode /UseOutlines\n"...)
	}
	j.out.write(append(b, ">>\nendobj\n"...))

	xref := j.out.n
	b = append(b[:0], "xref\n0 "...)
	b = strconv.AppendInt(b, int64(len(j.offsets)), 10)
	b = append(b, "\n0000000000 65535 f \n"...)
	for num := 1; num < len(j.offsets); num++ {
		if j.offsets[num] == 0 {
			return fmt.Errorf("%w: object %d not written", errPack, num)
		}
		b = append(b, fmt.Sprintf("%010d 00000 n \n", j.offsets[num])...)
	}
	b = append(b, fmt.Sprintf("trailer\n<<\n/Size %d\n/Root %d 0 R\n/Info %d 0 R\n>>\nstartxref\n%d\n%%%%EOF\n",
		len(j.offsets), root, infoNum, xref)...)
	j.out.write(b)
	return j.out.err
}

// writeOutline writes the bookmarks as fpdf does (levels nest by their
// order) and returns the outline's root object, or 0 without bookmarks.
func (j *joiner) writeOutline(marks []outlineMark) int {
	nb := len(marks)
	if nb == 0 {
		return 0
	}
	type link struct{ parent, prev, next, first, last int }
	ls := make([]link, nb)
	for i := range ls {
		ls[i] = link{-1, -1, -1, -1, -1}
	}
	lru := map[int]int{}
	level := 0
	for i, o := range marks {
		if o.level > 0 {
			parent := lru[o.level-1]
			ls[i].parent = parent
			ls[parent].last = i
			if o.level > level {
				ls[parent].first = i
			}
		} else {
			ls[i].parent = nb
		}
		if o.level <= level && i > 0 {
			prev := lru[o.level]
			ls[prev].next = i
			ls[i].prev = prev
		}
		lru[o.level] = i
		level = o.level
	}
	nums := make([]int, nb+1)
	for i := range nums {
		nums[i] = j.alloc()
	}
	var b []byte
	for i, o := range marks {
		j.begin(nums[i])
		b = append(b[:0], "<</Title "...)
		b = appendTextString(b, o.title)
		ref := func(key string, to int) {
			if to >= 0 {
				b = append(b, key...)
				b = strconv.AppendInt(b, int64(nums[to]), 10)
				b = append(b, " 0 R"...)
			}
		}
		ref("\n/Parent ", ls[i].parent)
		ref("\n/Prev ", ls[i].prev)
		ref("\n/Next ", ls[i].next)
		ref("\n/First ", ls[i].first)
		ref("\n/Last ", ls[i].last)
		b = append(b, "\n/Dest ["...)
		b = strconv.AppendInt(b, int64(j.pageObj(o.page)), 10)
		b = append(b, fmt.Sprintf(" 0 R /XYZ 0 %.2f null]\n/Count 0>>\nendobj\n", (j.pageH-o.y)*j.k)...)
		j.out.write(b)
	}
	j.begin(nums[nb])
	b = append(b[:0], "<</Type /Outlines /First "...)
	b = strconv.AppendInt(b, int64(nums[0]), 10)
	b = append(b, " 0 R\n/Last "...)
	b = strconv.AppendInt(b, int64(nums[lru[0]]), 10)
	j.out.write(append(b, " 0 R>>\nendobj\n"...))
	return nums[nb]
}

// appendTextString appends s as a PDF text string: UTF-16BE with a byte
// order mark, in hexadecimal.
func appendTextString(b []byte, s string) []byte {
	const digits = "0123456789ABCDEF"
	b = append(b, "<FEFF"...)
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, digits[u>>12], digits[u>>8&15], digits[u>>4&15], digits[u&15])
	}
	return append(b, '>')
}
