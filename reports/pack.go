package reports

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
)

// fpdf compresses every stream with a zlib writer of its own, and a zlib
// writer costs far more to make (over a megabyte of tables, cleared) than
// the few kilobytes of a page it then compresses. So the report asks fpdf for
// uncompressed page contents and compresses them here with writers kept from
// one document to the next, in exactly the form fpdf gives them: the same
// dictionary, the same zlib stream (same level, same data), so the file is
// byte for byte the one fpdf writes with compression on. Only the
// cross-reference table moves, and the ActualText of lines on a page that
// poppler reads in the direction opposite to the layout's (fixSpans).

// zlibFree keeps idle zlib writers, at most one per processor. A sync.Pool
// would lose them at every garbage collection, which making reports causes
// often.
var zlibFree = make(chan *zlib.Writer, min(runtime.GOMAXPROCS(0), 8))

func getZlib() *zlib.Writer {
	select {
	case zw := <-zlibFree:
		return zw
	default:
		zw, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed) // fpdf's level
		return zw
	}
}

func putZlib(zw *zlib.Writer) {
	zw.Reset(nil)
	select {
	case zlibFree <- zw:
	default:
	}
}

// pdfObject is an indirect object of a PDF: its number and its bytes from
// "N 0 obj" to the end of the line after "endobj".
type pdfObject struct {
	num  int
	data []byte
}

var errPack = errors.New("reports: unexpected PDF structure from fpdf")

// writePacked writes to w the PDF src, which fpdf wrote without
// compression, with every page content stream compressed (FlateDecode) and
// the cross-reference table and startxref rewritten for the new offsets. It
// expects the layout fpdf writes: a classic cross-reference table, objects
// laid end to end, and pages whose dictionary names its content stream as
// "/Contents N 0 R"; it writes nothing when src is otherwise.
//
// fixes rename fonts and replace their ToUnicode maps (tounicode.go).
func writePacked(w io.Writer, src []byte, fixes []fontFix) error {
	f, err := readFpdf(src)
	if err != nil {
		return err
	}
	n, objs, offsets, xrefOff, trailer, eof := f.n, f.objs, f.offsets, f.xrefOff, f.trailer, f.eof
	const startxref = "startxref\n"

	// Content streams are the objects pages name as /Contents.
	data := f.data
	streams := make([][]byte, n) // by object number; nil for other objects
	var todo []int
	for _, o := range objs {
		body := o.data[bytes.IndexByte(o.data, '\n')+1:]
		if !bytes.HasPrefix(body, []byte("<</Type /Page\n")) {
			continue
		}
		_, after, ok := bytes.Cut(body, []byte("\n/Contents "))
		c, ok2 := atoiUntil(after, ' ')
		if !ok || !ok2 || c <= 0 || c >= n || streams[c] != nil {
			return fmt.Errorf("%w: page %d with bad contents", errPack, o.num)
		}
		// fpdf: "N 0 obj\n<</Length %d>>\nstream\n" data
		// "\nendstream\nendobj\n", and nothing else.
		const head, mid, tail = " 0 obj\n<</Length ", ">>\nstream\n", "\nendstream\nendobj\n"
		rest, ok := bytes.CutPrefix(data[c], []byte(strconv.Itoa(c)+head))
		l, ok2 := atoiUntil(rest, '>')
		if !ok || !ok2 {
			return fmt.Errorf("%w: content stream %d", errPack, c)
		}
		rest, ok = bytes.CutPrefix(rest[len(strconv.Itoa(l)):], []byte(mid))
		if !ok || len(rest) != l+len(tail) || string(rest[l:]) != tail {
			return fmt.Errorf("%w: content stream %d", errPack, c)
		}
		streams[c] = rest[:l:l]
		todo = append(todo, c)
	}

	repl, err := fixFonts(data, fixes)
	if err != nil {
		return err
	}

	// Compress the streams, spread over the processors: each stream's
	// bytes depend on its data alone. A worker compresses into a buffer of
	// its own; zipped[c] is where stream c's output is.
	type span struct {
		buf        *bytes.Buffer
		start, end int
	}
	zipped := make([]span, n)
	var next atomic.Int64
	work := func(buf *bytes.Buffer) {
		zw := getZlib()
		defer putZlib(zw)
		for {
			i := int(next.Add(1)) - 1
			if i >= len(todo) {
				return
			}
			c := todo[i]
			start := buf.Len()
			zw.Reset(buf)
			// Writes to a bytes.Buffer cannot fail.
			_, _ = zw.Write(fixSpans(streams[c]))
			_ = zw.Close()
			zipped[c] = span{buf, start, buf.Len()}
		}
	}
	workers := min(runtime.GOMAXPROCS(0), (len(todo)+3)/4, cap(zlibFree))
	bufs := make([]bytes.Buffer, max(workers, 1))
	var wg sync.WaitGroup
	for i := 1; i < workers; i++ {
		wg.Go(func() { work(&bufs[i]) })
	}
	work(&bufs[0])
	wg.Wait()

	// Write the objects in order, copying runs of objects as they are.
	out := &countWriter{w: w}
	newOff := make([]int, n)
	out.write(src[:f.startObj]) // header
	var num []byte
	plain := func(num int) bool { return streams[num] == nil && repl[num] == nil }
	for i := 0; i < len(objs); {
		if r := repl[objs[i].num]; r != nil {
			newOff[objs[i].num] = out.n
			out.write(r)
			i++
			continue
		}
		if plain(objs[i].num) {
			j, at := i, out.n
			for ; j < len(objs) && plain(objs[j].num); j++ {
				newOff[objs[j].num] = at + offsets[objs[j].num] - offsets[objs[i].num]
			}
			end := xrefOff
			if j < len(objs) {
				end = offsets[objs[j].num]
			}
			out.write(src[offsets[objs[i].num]:end])
			i = j
			continue
		}
		c := objs[i].num
		z := zipped[c]
		newOff[c] = out.n
		// As fpdf writes it: "<</Filter /FlateDecode /Length %d>>".
		num = strconv.AppendInt(num[:0], int64(c), 10)
		num = append(num, " 0 obj\n<</Filter /FlateDecode /Length "...)
		num = strconv.AppendInt(num, int64(z.end-z.start), 10)
		num = append(num, ">>\nstream\n"...)
		out.write(num)
		out.write(z.buf.Bytes()[z.start:z.end])
		out.write([]byte("\nendstream\nendobj\n"))
		i++
	}
	xo := out.n
	xref := make([]byte, 0, 32+20*n+len(trailer)+len(startxref)+32)
	xref = append(xref, "xref\n0 "...)
	xref = strconv.AppendInt(xref, int64(n), 10)
	xref = append(xref, "\n0000000000 65535 f \n"...)
	for j := 1; j < n; j++ {
		var d [10]byte
		s := strconv.AppendInt(d[:0], int64(newOff[j]), 10)
		for range 10 - len(s) {
			xref = append(xref, '0')
		}
		xref = append(xref, s...)
		xref = append(xref, " 00000 n \n"...)
	}
	xref = append(xref, trailer...)
	xref = append(xref, startxref...)
	xref = strconv.AppendInt(xref, int64(xo), 10)
	xref = append(xref, eof...)
	out.write(xref)
	return out.err
}

// fpdfFile is a PDF as fpdf writes it, cut into its objects.
type fpdfFile struct {
	n        int         // objects, counting the free object 0
	objs     []pdfObject // in the order of the file
	offsets  []int       // by object number
	data     [][]byte    // each object's bytes, by object number
	xrefOff  int         // where the cross-reference table starts
	trailer  []byte      // from "trailer" to "startxref"
	eof      []byte      // the end of the file after the startxref offset
	startObj int         // where the first object starts: the header ends
}

// readFpdf cuts src, a PDF written by fpdf, into its objects. It expects
// the layout fpdf writes: a classic cross-reference table and objects laid
// end to end; it refuses anything else.
func readFpdf(src []byte) (*fpdfFile, error) {
	const startxref = "startxref\n"
	sx := bytes.LastIndex(src, []byte(startxref))
	if sx < 0 {
		return nil, fmt.Errorf("%w: no startxref", errPack)
	}
	xrefOff, ok := atoiUntil(src[sx+len(startxref):], '\n')
	if !ok || xrefOff <= 0 || xrefOff >= sx {
		return nil, fmt.Errorf("%w: bad startxref", errPack)
	}
	eof := src[sx+len(startxref):]
	eof = eof[bytes.IndexByte(eof, '\n'):] // "\n%%EOF\n"
	// xref\n0 N\n then N entries of 20 bytes.
	x, ok := bytes.CutPrefix(src[xrefOff:], []byte("xref\n0 "))
	if !ok {
		return nil, fmt.Errorf("%w: no xref table", errPack)
	}
	n, ok := atoiUntil(x, '\n')
	if !ok || n < 2 {
		return nil, fmt.Errorf("%w: bad xref size", errPack)
	}
	x = x[bytes.IndexByte(x, '\n')+1:]
	if len(x) < 20*n || string(x[:20]) != "0000000000 65535 f \n" {
		return nil, fmt.Errorf("%w: bad xref entries", errPack)
	}
	trailer, _, ok := bytes.Cut(x[20*n:], []byte(startxref))
	if !ok {
		return nil, fmt.Errorf("%w: no trailer", errPack)
	}

	objs := make([]pdfObject, n-1)
	offsets := make([]int, n) // by object number
	for j := 1; j < n; j++ {
		e := x[20*j : 20*j+20]
		off, err := strconv.Atoi(string(e[:10]))
		if err != nil || string(e[10:]) != " 00000 n \n" || off <= 0 || off >= xrefOff {
			return nil, fmt.Errorf("%w: bad xref entry %d", errPack, j)
		}
		offsets[j] = off
		objs[j-1] = pdfObject{num: j}
	}
	slices.SortFunc(objs, func(a, b pdfObject) int { return offsets[a.num] - offsets[b.num] })
	data := make([][]byte, n) // by object number
	for i := range objs {
		end := xrefOff
		if i+1 < len(objs) {
			end = offsets[objs[i+1].num]
		}
		o := &objs[i]
		o.data = src[offsets[o.num]:end]
		if !bytes.HasPrefix(o.data, []byte(strconv.Itoa(o.num)+" 0 obj\n")) {
			return nil, fmt.Errorf("%w: object %d is not where the xref says", errPack, o.num)
		}
		data[o.num] = o.data
	}
	return &fpdfFile{n: n, objs: objs, offsets: offsets, data: data, xrefOff: xrefOff, trailer: trailer, eof: eof,
		startObj: offsets[objs[0].num]}, nil
}

// countWriter writes to w and counts the bytes, keeping the first error.
type countWriter struct {
	w   io.Writer
	n   int
	err error
}

func (c *countWriter) write(b []byte) {
	if c.err != nil {
		return
	}
	m, err := c.w.Write(b)
	c.n += m
	c.err = err
}

// atoiUntil parses the decimal number at the start of b, which must be
// followed by the byte end.
func atoiUntil(b []byte, end byte) (int, bool) {
	i := bytes.IndexByte(b, end)
	if i <= 0 || i > 10 {
		return 0, false
	}
	v, err := strconv.Atoi(string(b[:i]))
	return v, err == nil && v >= 0
}

// borrowWriter takes the bytes fpdf outputs without copying them: fpdf
// writes its whole buffer in one Write (bytes.Buffer.WriteTo) and is not
// used afterwards, so the slice stays as it is. Should there be more than
// one Write, the later ones are appended to a copy.
type borrowWriter struct{ b []byte }

func (w *borrowWriter) Write(p []byte) (int, error) {
	if w.b == nil {
		w.b = p
	} else {
		w.b = append(w.b[:len(w.b):len(w.b)], p...)
	}
	return len(p), nil
}

// fixFonts returns the objects that fixes replace, by object number: a
// font's Type0 and CIDFont dictionaries and its descriptor get the new
// name, and its ToUnicode stream the new map.
func fixFonts(data [][]byte, fixes []fontFix) ([][]byte, error) {
	repl := make([][]byte, len(data))
	if len(fixes) == 0 {
		return repl, nil
	}
	for _, fx := range fixes {
		old := []byte("/utf8" + fx.key + "\n")
		name := []byte("/" + fx.name + "\n")
		found := false
		for num, d := range data {
			if d == nil || !bytes.Contains(d, old) {
				continue
			}
			repl[num] = bytes.ReplaceAll(d, old, name)
			body := d[bytes.IndexByte(d, '\n')+1:]
			if !bytes.HasPrefix(body, []byte("<</Type /Font\n/Subtype /Type0\n")) {
				continue
			}
			found = true
			if fx.toUnicode == nil {
				continue
			}
			_, after, ok := bytes.Cut(body, []byte("/ToUnicode "))
			tu, ok2 := atoiUntil(after, ' ')
			if !ok || !ok2 || tu <= 0 || tu >= len(data) || data[tu] == nil {
				return nil, fmt.Errorf("%w: font %s without ToUnicode", errPack, fx.key)
			}
			o := strconv.AppendInt(nil, int64(tu), 10)
			o = append(o, " 0 obj\n<</Length "...)
			o = strconv.AppendInt(o, int64(len(fx.toUnicode)), 10)
			o = append(o, ">>\nstream\n"...)
			o = append(o, fx.toUnicode...)
			o = append(o, "\nendstream\nendobj\n"...)
			repl[tu] = o
		}
		if !found {
			return nil, fmt.Errorf("%w: no font %s", errPack, fx.key)
		}
	}
	return repl, nil
}
