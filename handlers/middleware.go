package handlers

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/i18n"
	"github.com/natreport/natreport/models"
)

const (
	maxBody       = 4 << 20
	sessionCookie = "natreport_session"
	langCookie    = "lang"
	ctxUser       = "natreport.user"
	ctxToken      = "natreport.token"
)

// securityHeaders are the headers every response carries, as shared
// values (each a slice of one, so that an Add elsewhere copies it).
var securityHeaders = http.Header{
	"Content-Security-Policy":    {"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
	"X-Content-Type-Options":     {"nosniff"},
	"X-Frame-Options":            {"DENY"},
	"Referrer-Policy":            {"same-origin"},
	"Cross-Origin-Opener-Policy": {"same-origin"},
	"Permissions-Policy":         {"camera=(), microphone=(), geolocation=()"},
}

var (
	hstsHeader    = []string{"max-age=31536000; includeSubDomains"}
	noStoreHeader = []string{"no-store"}
	staticHeader  = []string{"public, max-age=3600"}
)

// securityHeadersHandler sets the security headers on every response,
// including those the cross-origin protection refuses before the router.
// With secure cookies natreport is served over HTTPS only, and says so
// (HSTS) so that a browser never tries it over plain HTTP again.
func securityHeadersHandler(next http.Handler, https bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if https {
			h["Strict-Transport-Security"] = hstsHeader
		}
		for k, v := range securityHeaders {
			h[k] = v
		}
		// No form of natreport is near this size; a larger body is refused
		// (the form parser then fails and the request gets a 400).
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		if strings.HasPrefix(r.URL.Path, "/static/") {
			h["Cache-Control"] = staticHeader
		} else {
			h["Cache-Control"] = noStoreHeader
		}
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a panic into a logged 500 through the error door.
func (s *Server) recoverer(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.fail(c, fmt.Errorf("panic: %v", v))
		}
	}()
	c.Next()
}

// requestLog writes one structured line per request.
func (s *Server) requestLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	s.log.LogAttrs(c.Request.Context(), slog.LevelInfo, "request",
		slog.String("method", c.Request.Method),
		slog.String("path", c.Request.URL.Path),
		slog.Int("status", c.Writer.Status()),
		slog.Duration("latency", time.Since(start)),
		slog.String("ip", c.ClientIP()),
	)
}

// language picks the interface language and puts a printer in the request
// context; ?lang= also sets a cookie so the choice sticks.
func (s *Server) language(c *gin.Context) {
	lang := i18n.FromRequest(c.Request)
	if q := c.Query("lang"); i18n.Supported(q) {
		http.SetCookie(c.Writer, &http.Cookie{Name: langCookie, Value: q, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	}
	c.Request = c.Request.WithContext(i18n.WithPrinter(c.Request.Context(), i18n.NewPrinter(lang)))
	c.Next()
}

// session loads the signed-in user, if any, from the session cookie. The
// JSON API does not read it (see apiAuth).
func (s *Server) session(c *gin.Context) {
	ck, err := c.Request.Cookie(sessionCookie)
	if err != nil || ck.Value == "" || isAPI(c.Request.URL.Path) {
		c.Next()
		return
	}
	iso3 := keptState(c)
	_, u, stamp, err := s.db.LookupSessionStamped(c.Request.Context(), ck.Value, s.cfg.IdleTimeout, iso3)
	switch {
	case errors.Is(err, models.ErrNotFound):
		s.clearSessionCookie(c)
	case err != nil:
		s.fail(c, err)
		c.Abort()
		return
	default:
		c.Set(ctxUser, u)
		c.Set(ctxToken, ck.Value)
		if iso3 != "" {
			c.Set(ctxPageStamp, stamp) // for keep, in the same round trip
		}
		// A one-time password is changed before anything else.
		if u.MustChangePassword && !passwordFree(c.Request.URL.Path) {
			s.redirect(c, "/account/password", "password_required")
			c.Abort()
			return
		}
	}
	c.Next()
}

// passwordFree lists what a user with a one-time password may still reach.
func passwordFree(path string) bool {
	return path == "/account/password" || path == "/logout" || path == "/healthz" || strings.HasPrefix(path, "/static/")
}

func (s *Server) setSessionCookie(c *gin.Context, token string) {
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: token, Path: "/",
		MaxAge: int(s.cfg.SessionMaxAge / time.Second), HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearSessionCookie(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// currentUser returns the signed-in user or nil.
func currentUser(c *gin.Context) *models.User {
	if v, ok := c.Get(ctxUser); ok {
		return v.(*models.User)
	}
	return nil
}

// requireRole denies by default: the request goes on only for a signed-in
// user whose role is listed (any role when none are listed). An anonymous
// request is sent to sign in, keeping what a form posted.
func (s *Server) requireRole(roles ...string) gin.HandlerFunc {
	return func(c *gin.Context) {
		u := currentUser(c)
		if u == nil {
			s.askToSignIn(c)
			c.Abort()
			return
		}
		if len(roles) == 0 {
			c.Next()
			return
		}
		for _, r := range roles {
			if u.Role == r {
				c.Next()
				return
			}
		}
		s.fail(c, errForbidden)
		c.Abort()
	}
}
