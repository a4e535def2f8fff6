package handlers

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/i18n"
	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/views"
)

// httpError is an error with a status and a translatable, safe message.
type httpError struct {
	status int
	msgID  string
}

func (e *httpError) Error() string { return e.msgID }

var (
	errNotFound   = &httpError{http.StatusNotFound, "error.not_found"}
	errForbidden  = &httpError{http.StatusForbidden, "error.forbidden"}
	errBadRequest = &httpError{http.StatusBadRequest, "error.bad_request"}
	errMethod     = &httpError{http.StatusMethodNotAllowed, "error.method"}
	errInvalid    = &httpError{http.StatusUnprocessableEntity, "error.invalid"}
)

// fail is the one error door: known errors get their status and a safe
// message; anything else is logged and shown as a 500 without details.
func (s *Server) fail(c *gin.Context, err error) {
	var he *httpError
	switch {
	case errors.As(err, &he):
	case errors.Is(err, models.ErrNotFound):
		he = errNotFound
	default:
		s.log.ErrorContext(c.Request.Context(), "internal error", slog.String("path", c.Request.URL.Path), slog.Any("err", err))
		he = &httpError{http.StatusInternalServerError, "error.internal"}
	}
	if c.Writer.Written() {
		return
	}
	if he.status == http.StatusTooManyRequests {
		c.Header("Retry-After", "900")
	}
	if wantsJSON(c) {
		c.AbortWithStatusJSON(he.status, gin.H{"error": views.T(c.Request.Context(), he.msgID)})
		return
	}
	s.render(c, he.status, views.ErrorPage(s.page(c, views.T(c.Request.Context(), "error.title")), he.status, he.msgID))
	c.Abort()
}

// wantsJSON reports whether the request comes from the page's script.
func wantsJSON(c *gin.Context) bool {
	return strings.Contains(c.GetHeader("Accept"), "application/json")
}

// crossOriginDenied answers a cross-origin state-changing request.
func crossOriginDenied(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusForbidden)
	_, _ = w.Write([]byte(i18n.NewPrinter(i18n.FromRequest(r)).T("error.forbidden") + "\n"))
}
