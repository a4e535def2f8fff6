package handlers

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/i18n"
	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
	"github.com/natreport/natreport/views"
)

// httpError is an error with a status and a translatable, safe message
// (msgID). Its cause, if any, is logged and never shown (GoToSocial's
// gtserror.WithCode).
type httpError struct {
	status int
	msgID  string
	cause  error
}

func (e *httpError) Error() string {
	if e.cause != nil {
		return e.msgID + ": " + e.cause.Error()
	}
	return e.msgID
}

func (e *httpError) Unwrap() error { return e.cause }

// withCause returns a copy of he that carries cause for the log.
func withCause(he *httpError, cause error) error {
	return &httpError{status: he.status, msgID: he.msgID, cause: cause}
}

// handlerFunc is a handler that returns its error to the one door instead
// of writing it: parse, call, render or redirect, return.
type handlerFunc func(c *gin.Context) error

// h adapts a handlerFunc for the route table: a returned error goes
// through fail, which maps it to a status and a safe page.
func (s *Server) h(fn handlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := fn(c); err != nil {
			s.fail(c, err)
		}
	}
}

// domainErrors maps the store's and the domain's errors to replies: the
// one table that says which status each kind of refusal gets.
var domainErrors = []struct {
	err error
	he  *httpError
}{
	{models.ErrNotFound, errNotFound},
	{models.ErrReadOnly, errReportLocked},
	{models.ErrConflict, errConflict},
	{models.ErrDuplicate, errDuplicate},
	{models.ErrInvalid, errInvalid},
	{surveys.ErrUnknownStep, errBadRequest},
	{surveys.ErrStepRefused, errReportLocked},
}

// httpErrorOf maps err to its reply; nil means an internal error.
func httpErrorOf(err error) *httpError {
	var he *httpError
	if errors.As(err, &he) {
		return he
	}
	for _, d := range domainErrors {
		if errors.Is(err, d.err) {
			return d.he
		}
	}
	return nil
}

var (
	errNotFound   = &httpError{http.StatusNotFound, "error.not_found", nil}
	errForbidden  = &httpError{http.StatusForbidden, "error.forbidden", nil}
	errBadRequest = &httpError{http.StatusBadRequest, "error.bad_request", nil}
	errMethod     = &httpError{http.StatusMethodNotAllowed, "error.method", nil}
	errInvalid    = &httpError{http.StatusUnprocessableEntity, "error.invalid", nil}
	errConflict   = &httpError{http.StatusConflict, "error.conflict", nil}
	errDuplicate  = &httpError{http.StatusConflict, "error.duplicate", nil}
	// errReportLocked: the report is no longer a draft (or not the newest
	// version), so it cannot change as asked.
	errReportLocked = &httpError{http.StatusConflict, "report.locked", nil}
)

// fail is the one error door: known errors get their status and a safe
// message; anything else is logged and shown as a 500 without details.
func (s *Server) fail(c *gin.Context, err error) {
	he := httpErrorOf(err)
	switch {
	case he == nil:
		s.log.ErrorContext(c.Request.Context(), "internal error", slog.String("path", c.Request.URL.Path), slog.Any("err", err))
		he = &httpError{http.StatusInternalServerError, "error.internal", nil}
	case he.cause != nil:
		s.log.InfoContext(c.Request.Context(), "refused", slog.String("path", c.Request.URL.Path), slog.Int("status", he.status), slog.Any("err", he.cause))
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

// wantsJSON reports whether the request comes from the page's script or
// calls the JSON API.
func wantsJSON(c *gin.Context) bool {
	return isAPI(c.Request.URL.Path) || strings.Contains(c.GetHeader("Accept"), "application/json")
}

// crossOriginDenied answers a cross-origin state-changing request.
func crossOriginDenied(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusForbidden)
	_, _ = w.Write([]byte(i18n.NewPrinter(i18n.FromRequest(r)).T("error.forbidden") + "\n"))
}
