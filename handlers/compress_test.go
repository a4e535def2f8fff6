package handlers

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/static"
)

func TestNegotiateEncoding(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"gzip", "gzip"},
		{"gzip, deflate, br", "br"},
		{"br;q=0, gzip", "gzip"},
		{"gzip;q=0.5, br;q=0.4", "gzip"},
		{"gzip;q=0.5, br;q=0.5", "br"},
		{"*", "br"},
		{"*;q=0", ""},
		{"identity", ""},
		{"gzip;q=0", ""},
		{"br;q=abc, gzip", "gzip"},
		{"BR", "br"},
	} {
		if got := negotiateEncoding(tt.in); got != tt.want {
			t.Errorf("negotiateEncoding(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// decode undoes the Content-Encoding of a reply.
func decode(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	var r io.Reader = w.Body
	switch w.Header().Get("Content-Encoding") {
	case "gzip":
		zr, err := gzip.NewReader(w.Body)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(w.Body)
	case "":
	default:
		t.Fatalf("unexpected encoding %q", w.Header().Get("Content-Encoding"))
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s: %v", w.Header().Get("Content-Encoding"), err)
	}
	return string(b)
}

func getWith(c *client, path, acceptEncoding string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	return c.do(req)
}

// TestCompression: pages, scripts and styles are compressed as the
// browser asks, decode to the same bytes, and say Vary; what is not text
// or is short goes out as it is.
func TestCompression(t *testing.T) {
	a := newApp(t)
	a.user("admin@x.org", models.RoleAdmin, "")
	c := a.login("admin@x.org")
	c.get("/") // takes the one-time "signed in" message
	for _, path := range []string{"/states", "/admin/users", static.Path("app.css"), static.Path("app.js"), "/static/app.js"} {
		plain := getWith(c, path, "")
		wantStatus(t, plain, http.StatusOK)
		if enc := plain.Header().Get("Content-Encoding"); enc != "" {
			t.Fatalf("%s without Accept-Encoding: Content-Encoding %q", path, enc)
		}
		if !strings.Contains(plain.Header().Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s: Vary %q lacks Accept-Encoding", path, plain.Header().Get("Vary"))
		}
		for _, enc := range []string{"gzip", "br"} {
			w := getWith(c, path, enc)
			wantStatus(t, w, http.StatusOK)
			if got := w.Header().Get("Content-Encoding"); got != enc {
				t.Fatalf("%s with %s: Content-Encoding %q", path, enc, got)
			}
			if !strings.Contains(w.Header().Get("Vary"), "Accept-Encoding") {
				t.Errorf("%s %s: Vary %q", path, enc, w.Header().Get("Vary"))
			}
			if w.Body.Len()*2 > plain.Body.Len() {
				t.Errorf("%s %s: %d bytes from %d: less than half expected", path, enc, w.Body.Len(), plain.Body.Len())
			}
			if got := decode(t, w); got != plain.Body.String() {
				t.Errorf("%s %s: decoded reply differs from the plain one", path, enc)
			}
		}
	}
	// Short replies and redirects go out as they are.
	w := getWith(a.anon(), "/healthz", "gzip, br")
	if w.Header().Get("Content-Encoding") != "" {
		t.Errorf("/healthz (%d bytes) was compressed", w.Body.Len())
	}
	w = getWith(a.anon(), "/account/password", "gzip, br")
	wantStatus(t, w, http.StatusSeeOther)
	if w.Header().Get("Content-Encoding") != "" {
		t.Errorf("redirect was compressed")
	}
	// A revalidation gets 304 with no body.
	w = getWith(a.anon(), static.Path("app.css"), "br")
	req := httptest.NewRequest(http.MethodGet, static.Path("app.css"), nil)
	req.Header.Set("If-None-Match", w.Header().Get("ETag"))
	w = a.anon().do(req)
	wantStatus(t, w, http.StatusNotModified)
	if w.Body.Len() != 0 {
		t.Errorf("304 with a body")
	}
	wantStatus(t, a.anon().get("/static/nope.css"), http.StatusNotFound)
}

// TestCompressionStreams: a reply written in pieces with flushes in
// between (as the ZIP download does) decodes whole.
func TestCompressionStreams(t *testing.T) {
	want := strings.Repeat("natreport streams its downloads; ", 2000)
	h := compressHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		for i := 0; i < len(want); i += 1000 {
			_, _ = io.WriteString(w, want[i:min(i+1000, len(want))])
			w.(http.Flusher).Flush()
		}
	}))
	for _, enc := range []string{"gzip", "br", ""} {
		w := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/x.csv", nil)
		req.Header.Set("Accept-Encoding", enc)
		h.ServeHTTP(w, req)
		if got := w.Header().Get("Content-Encoding"); got != enc {
			t.Fatalf("%q: Content-Encoding %q", enc, got)
		}
		if got := decode(t, w); got != want {
			t.Fatalf("%q: decoded %d bytes, want %d", enc, len(got), len(want))
		}
	}
	// A PDF is never compressed again.
	pdf := compressHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write(bytes.Repeat([]byte("%PDF-1.7 "), 1000))
	}))
	w := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/r.pdf", nil)
	req.Header.Set("Accept-Encoding", "gzip, br")
	pdf.ServeHTTP(w, req)
	if w.Header().Get("Content-Encoding") != "" || w.Body.Len() != 9000 {
		t.Fatalf("PDF: Content-Encoding %q, %d bytes", w.Header().Get("Content-Encoding"), w.Body.Len())
	}
}
