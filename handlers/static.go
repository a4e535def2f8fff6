package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/static"
)

// staticFile serves a stylesheet or script, compressed once and kept.
// Under its current fingerprint (static.Path) a file never changes, so the
// browser may keep it for a year; by its plain name or an old fingerprint,
// for five minutes.
func (s *Server) staticFile(c *gin.Context) error {
	f, current := static.Lookup(strings.TrimPrefix(c.Param("file"), "/"))
	if f == nil {
		return errNotFound
	}
	h := c.Writer.Header()
	if current {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	etag := `"` + f.Hash + `"`
	h.Set("ETag", etag)
	h.Add("Vary", "Accept-Encoding")
	if c.GetHeader("If-None-Match") == etag {
		c.Status(http.StatusNotModified)
		return nil
	}
	body := f.Body
	switch enc := negotiateEncoding(c.GetHeader("Accept-Encoding")); {
	case enc == "br" && f.Compressed("br") != nil:
		body = f.Compressed("br")
		h.Set("Content-Encoding", "br")
	case enc != "" && f.Compressed("gzip") != nil:
		body = f.Compressed("gzip")
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.Status(http.StatusOK)
	if c.Request.Method != http.MethodHead {
		_, _ = c.Writer.Write(body)
	}
	return nil
}
