package handlers

import (
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// compressMinSize: replies shorter than this go out as they are; the
// framing would cost more than it saves.
const compressMinSize = 1024

// compressible lists the content types worth compressing; PDF, ZIP, XLSX
// and images are compressed already.
var compressible = []string{"text/html", "text/css", "text/csv", "text/plain", "text/javascript",
	"application/javascript", "application/json", "image/svg+xml"}

var (
	gzipPool   = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(io.Discard, 5); return w }}
	brotliPool = sync.Pool{New: func() any { return brotli.NewWriterLevel(io.Discard, 4) }}
)

// negotiateEncoding picks "br", "gzip" or "" (identity) from an
// Accept-Encoding header, honouring q=0 refusals; brotli is preferred
// when both are acceptable.
func negotiateEncoding(header string) string {
	q := map[string]float64{}
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			continue
		}
		w := 1.0
		if k, v, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(k) == "q" {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || f < 0 || f > 1 {
				continue
			}
			w = f
		}
		q[name] = w
	}
	accept := func(enc string) (float64, bool) {
		if w, ok := q[enc]; ok {
			return w, w > 0
		}
		if w, ok := q["*"]; ok {
			return w, w > 0
		}
		return 0, false
	}
	br, brOK := accept("br")
	gz, gzOK := accept("gzip")
	switch {
	case brOK && (!gzOK || br >= gz):
		return "br"
	case gzOK:
		return "gzip"
	}
	return ""
}

// compressHandler compresses text replies with the encoding the client
// prefers (brotli or gzip), and says so with Vary. Replies that set their
// own Content-Encoding (the precompressed static files) pass untouched.
func compressHandler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		enc := negotiateEncoding(r.Header.Get("Accept-Encoding"))
		cw := &compressWriter{ResponseWriter: w, enc: enc, head: r.Method == http.MethodHead}
		defer cw.finish()
		next.ServeHTTP(cw, r)
	})
}

// compressWriter holds back the first bytes of a reply until it knows
// whether compressing pays, then either compresses or passes through.
type compressWriter struct {
	http.ResponseWriter
	enc     string
	head    bool
	status  int
	buf     []byte
	decided bool
	out     io.Writer // the encoder, or the ResponseWriter itself
	closer  func()
}

func (cw *compressWriter) WriteHeader(code int) {
	if cw.decided || cw.status != 0 {
		return
	}
	if code < 200 { // informational: pass on, the real status follows
		cw.ResponseWriter.WriteHeader(code)
		return
	}
	cw.status = code
}

func (cw *compressWriter) Write(p []byte) (int, error) {
	if cw.status == 0 {
		cw.status = http.StatusOK
	}
	if !cw.decided {
		if len(cw.buf)+len(p) < compressMinSize {
			cw.buf = append(cw.buf, p...)
			return len(p), nil
		}
		// Long enough: send what was held back, then p itself (not a
		// copy of it: a page written at once is tens of kilobytes).
		if err := cw.decide(true); err != nil {
			return 0, err
		}
	}
	return cw.out.Write(p)
}

// decide sends the headers and what was held back; big says whether the
// reply is long enough to be worth compressing.
func (cw *compressWriter) decide(big bool) error {
	cw.decided = true
	if cw.status == 0 {
		cw.status = http.StatusOK
	}
	h := cw.Header()
	ct := h.Get("Content-Type")
	kind := false
	for _, c := range compressible {
		if strings.HasPrefix(ct, c) {
			kind = true
			break
		}
	}
	if kind && h.Get("Content-Encoding") == "" {
		h.Add("Vary", "Accept-Encoding")
	}
	cw.out = cw.ResponseWriter
	if big && kind && cw.enc != "" && h.Get("Content-Encoding") == "" && !cw.head &&
		cw.status != http.StatusNoContent && cw.status != http.StatusNotModified {
		h.Set("Content-Encoding", cw.enc)
		h.Del("Content-Length")
		h.Del("Accept-Ranges")
		switch cw.enc {
		case "br":
			bw := brotliPool.Get().(*brotli.Writer)
			bw.Reset(cw.ResponseWriter)
			cw.out, cw.closer = bw, func() { _ = bw.Close(); brotliPool.Put(bw) }
		case "gzip":
			gw := gzipPool.Get().(*gzip.Writer)
			gw.Reset(cw.ResponseWriter)
			cw.out, cw.closer = gw, func() { _ = gw.Close(); gzipPool.Put(gw) }
		}
	}
	cw.ResponseWriter.WriteHeader(cw.status)
	if len(cw.buf) == 0 {
		return nil
	}
	_, err := cw.out.Write(cw.buf)
	cw.buf = nil
	return err
}

// finish ends the reply: a short one goes out as it is.
func (cw *compressWriter) finish() {
	if !cw.decided {
		if cw.status == 0 && len(cw.buf) == 0 {
			return // the handler wrote nothing; net/http sends its default
		}
		_ = cw.decide(false)
	}
	if cw.closer != nil {
		cw.closer()
		cw.closer = nil
	}
}

// Flush sends what is buffered (streamed downloads flush as they go).
func (cw *compressWriter) Flush() {
	if !cw.decided {
		_ = cw.decide(true)
	}
	if f, ok := cw.out.(interface{ Flush() error }); ok {
		_ = f.Flush()
	}
	if f, ok := cw.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (cw *compressWriter) Unwrap() http.ResponseWriter { return cw.ResponseWriter }
