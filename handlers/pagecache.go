package handlers

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/andybalholm/brotli"
	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/views"
)

// Kept pages: the report overview and the section pages are drawn from a
// dozen reads and thousands of template writes, and read far more often
// than what they show changes. A drawn page is kept, per viewer, language
// and path, under the page stamp of its State (models.ReadPageStamp):
// database triggers move the stamp with every write to what the page
// shows, on any instance, so a request reads the session and the stamp,
// and sends the kept bytes while the stamp has not moved. The session is
// still read on every request: signing out or disabling a user takes
// effect at once, everywhere.

// keptPagesLimit bounds the bytes kept (uncompressed and compressed).
const keptPagesLimit = 64 << 20

// keptPage is a page as drawn, and the stamp it was drawn under.
type keptPage struct {
	stamp models.PageStamp
	body  []byte

	mu  sync.Mutex
	enc map[string][]byte // compressed copies, made on first request
}

// pageKeeper holds the kept pages of one server.
type pageKeeper struct {
	mu    sync.Mutex
	pages map[string]*keptPage
	bytes int
	limit int

	hits, draws atomic.Int64 // for the tests
}

func newPageKeeper(limit int) *pageKeeper {
	return &pageKeeper{pages: map[string]*keptPage{}, limit: limit}
}

func (k *pageKeeper) get(key string) *keptPage {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.pages[key]
}

// put keeps p under key, dropping pages (in map order, so at random) to
// stay within the limit.
func (k *pageKeeper) put(key string, p *keptPage) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if old, ok := k.pages[key]; ok {
		k.bytes -= old.size()
	}
	k.pages[key] = p
	k.bytes += p.size()
	for kk, old := range k.pages {
		if k.bytes <= k.limit {
			break
		}
		if kk != key {
			k.bytes -= old.size()
			delete(k.pages, kk)
		}
	}
}

// size is what p counts against the limit (its compressed copies are
// counted as if made: at most as large as the body each).
func (p *keptPage) size() int { return 3*len(p.body) + len(p.body)/2 }

// compressed returns the body in encoding enc ("gzip" or "br").
func (p *keptPage) compressed(enc string) []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	if b, ok := p.enc[enc]; ok {
		return b
	}
	var buf bytes.Buffer
	switch enc {
	case "br":
		w := brotliPool.Get().(*brotli.Writer)
		w.Reset(&buf)
		_, _ = w.Write(p.body)
		_ = w.Close()
		brotliPool.Put(w)
	default:
		w := gzipPool.Get().(*gzip.Writer)
		w.Reset(&buf)
		_, _ = w.Write(p.body)
		_ = w.Close()
		gzipPool.Put(w)
	}
	if p.enc == nil {
		p.enc = map[string][]byte{}
	}
	p.enc[enc] = buf.Bytes()
	return p.enc[enc]
}

// isStateCode: s has the form of :iso3 the page stamps are kept under
// (three capital letters), checked on every request.
func isStateCode(s string) bool {
	return len(s) == 3 && 'A' <= s[0] && s[0] <= 'Z' && 'A' <= s[1] && s[1] <= 'Z' && 'A' <= s[2] && s[2] <= 'Z'
}

// ctxPageStamp holds the page stamp read with the session (session).
const ctxPageStamp = "natreport.pagestamp"

// keptState is the State whose page a request may be served from what is
// kept, or "": only a plain GET of a State's page is kept. A query (?v=,
// ?lang=) or a flash message makes the page one of a kind.
func keptState(c *gin.Context) string {
	iso3 := c.Param("iso3")
	if c.Request.Method != http.MethodGet || c.Request.URL.RawQuery != "" || !isStateCode(iso3) {
		return ""
	}
	if _, err := c.Request.Cookie(flashCookie); err == nil {
		return ""
	}
	return iso3
}

// keep serves the page drawn by draw from what is kept when its stamp
// has not moved, and keeps what draw draws otherwise.
func (s *Server) keep(draw handlerFunc) handlerFunc {
	return func(c *gin.Context) error {
		iso3 := keptState(c)
		if iso3 == "" {
			return draw(c)
		}
		// The stamp is read before anything the page shows (with the
		// session, when there is one): a page kept under it shows at
		// least what it says.
		var stamp models.PageStamp
		if v, ok := c.Get(ctxPageStamp); ok {
			stamp = v.(models.PageStamp)
		} else {
			var err error
			if stamp, err = s.db.ReadPageStamp(c.Request.Context(), iso3); err != nil {
				return err
			}
		}
		key := s.pageKey(c)
		if p := s.pages.get(key); p != nil && p.stamp == stamp {
			s.pages.hits.Add(1)
			s.sendKept(c, p)
			return nil
		}
		s.pages.draws.Add(1)
		rec := &pageRecorder{ResponseWriter: c.Writer}
		c.Writer = rec
		err := draw(c)
		c.Writer = rec.ResponseWriter
		if err == nil && rec.Status() == http.StatusOK && rec.Header().Get("Set-Cookie") == "" {
			s.pages.put(key, &keptPage{stamp: stamp, body: rec.buf.Bytes()})
		}
		return err
	}
}

// pageKey names a page by everything besides its State's data that it
// shows: the path, the language, the viewer as the session has them now,
// and the day (the days left to the due date).
func (s *Server) pageKey(c *gin.Context) string {
	var b strings.Builder
	b.WriteString(c.Request.URL.Path)
	b.WriteByte(0)
	b.WriteString(views.Lang(c.Request.Context()))
	b.WriteByte(0)
	if u := currentUser(c); u != nil {
		for _, f := range []string{strconv.FormatInt(u.ID, 10), u.Role, u.StateISO3, u.Name, u.Email} {
			b.WriteString(f)
			b.WriteByte(0)
		}
	}
	b.WriteString(strconv.FormatInt(s.now().Unix()/86400, 10))
	return b.String()
}

// sendKept writes a kept page, compressed when the client asks.
func (s *Server) sendKept(c *gin.Context, p *keptPage) {
	h := c.Writer.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Add("Vary", "Accept-Encoding")
	body := p.body
	if enc := negotiateEncoding(c.GetHeader("Accept-Encoding")); enc != "" {
		body = p.compressed(enc)
		h.Set("Content-Encoding", enc)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.Status(http.StatusOK)
	_, _ = c.Writer.Write(body)
}

// pageRecorder passes a reply on and keeps a copy of its body.
type pageRecorder struct {
	gin.ResponseWriter
	buf bytes.Buffer
}

func (w *pageRecorder) Write(p []byte) (int, error) {
	w.buf.Write(p)
	return w.ResponseWriter.Write(p)
}

func (w *pageRecorder) WriteString(s string) (int, error) {
	w.buf.WriteString(s)
	return w.ResponseWriter.WriteString(s)
}
