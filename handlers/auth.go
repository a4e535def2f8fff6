package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/views"
)

// stashPrefix marks the fields of a form that was posted while the session
// had expired: the sign-in form carries them so nothing typed is lost.
const stashPrefix = "stash."

func (s *Server) loginForm(c *gin.Context) error {
	if currentUser(c) != nil {
		c.Redirect(http.StatusSeeOther, "/")
		return nil
	}
	s.render(c, http.StatusOK, views.LoginPage(s.page(c, views.T(c.Request.Context(), "login.title")), views.LoginForm{Next: safeNext(c.Query("next"))}))
	return nil
}

// askToSignIn answers a request that needs a session. A GET is sent to
// the sign-in page; a POST gets the sign-in form at once, carrying what
// was posted, so the person signs in again and then sends it on.
func (s *Server) askToSignIn(c *gin.Context) {
	next := c.Request.URL.RequestURI()
	if wantsJSON(c) {
		c.JSON(http.StatusUnauthorized, gin.H{"error": views.T(c.Request.Context(), "login.expired"), "signin": "/login"})
		return
	}
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(next))
		return
	}
	form := views.LoginForm{Next: safeNext(next), Expired: true}
	if err := c.Request.ParseForm(); err == nil {
		form.Stash = stashFields(c.Request.PostForm)
	}
	s.render(c, http.StatusUnauthorized, views.LoginPage(s.page(c, views.T(c.Request.Context(), "login.title")), form))
}

func stashFields(v url.Values) []views.Field {
	keys := make([]string, 0, len(v))
	for k := range v {
		if k == "password" || strings.HasPrefix(k, stashPrefix) {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []views.Field
	for _, k := range keys {
		for _, val := range v[k] {
			out = append(out, views.Field{Name: k, Value: val})
		}
	}
	return out
}

// login signs a person in: a new session, or the form again with why not.
// Refused text (textErrors) is no sign-in attempt: nothing is counted or
// recorded.
func (s *Server) login(c *gin.Context) error {
	ctx := c.Request.Context()
	form := loginFormOf(c)
	if form.Errors = textErrors(c); len(form.Errors) > 0 {
		s.render(c, http.StatusUnprocessableEntity, views.LoginPage(s.page(c, views.T(ctx, "login.title")), form))
		return nil
	}
	ip := c.ClientIP()
	att, err := s.throttle.Attempt(ctx, form.Email, ip)
	if err != nil {
		return err
	}
	if !att.allowed {
		s.record(c, models.AuditEntry{Email: form.Email, IP: ip, Action: models.ActionLoginThrottled})
		form.Error = "login.throttled"
		c.Header("Retry-After", strconv.Itoa(att.retryAfterSeconds()))
		s.render(c, http.StatusTooManyRequests, views.LoginPage(s.page(c, views.T(ctx, "login.title")), form))
		return nil
	}
	u, err := s.db.GetUserByEmail(ctx, form.Email)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return err
	}
	// The same bcrypt work for an unknown or disabled account as for a
	// real one: the time of the answer does not tell which.
	if !s.db.CheckPasswordOf(u, c.PostForm("password")) {
		s.record(c, models.AuditEntry{Email: form.Email, IP: ip, Action: "login.fail"})
		form.Error = "login.failed"
		s.render(c, http.StatusUnauthorized, views.LoginPage(s.page(c, views.T(ctx, "login.title")), form))
		return nil
	}
	if err := s.throttle.Succeeded(ctx, att); err != nil {
		return err
	}
	// A new session id at every sign-in; the old one, if any, is revoked.
	if old, ok := c.Get(ctxToken); ok {
		if err := s.db.DeleteSession(ctx, old.(string)); err != nil {
			s.log.ErrorContext(ctx, "revoke session", "err", err)
		}
	}
	token, err := s.db.CreateSession(ctx, u.ID, ip, c.Request.UserAgent(), s.cfg.SessionMaxAge)
	if err != nil {
		return err
	}
	if err := s.db.AddAudit(ctx, models.AuditEntry{UserID: u.ID, Email: u.Email, IP: ip, Action: "login.ok"}); err != nil {
		return err
	}
	s.setSessionCookie(c, token)
	if len(form.Stash) > 0 {
		c.Set(ctxUser, u)
		s.render(c, http.StatusOK, views.ResumePage(s.page(c, views.T(ctx, "login.resume_title")), form))
		return nil
	}
	to := form.Next
	if to == "" {
		to = "/"
	}
	s.redirect(c, to, "signed_in")
	return nil
}

// loginFormOf reads the sign-in form, with the fields of a form posted
// while the session had expired.
func loginFormOf(c *gin.Context) views.LoginForm {
	email := strings.ToLower(strings.TrimSpace(c.PostForm("email")))
	form := views.LoginForm{Email: email, Next: safeNext(c.PostForm("next"))}
	for k, vals := range c.Request.PostForm {
		if name, ok := strings.CutPrefix(k, stashPrefix); ok {
			for _, v := range vals {
				form.Stash = append(form.Stash, views.Field{Name: name, Value: v})
			}
		}
	}
	form.Expired = len(form.Stash) > 0
	return form
}

func (s *Server) logout(c *gin.Context) error {
	if tok, ok := c.Get(ctxToken); ok {
		if err := s.db.DeleteSession(c.Request.Context(), tok.(string)); err != nil {
			return err
		}
		if u := currentUser(c); u != nil {
			s.record(c, models.AuditEntry{UserID: u.ID, Email: u.Email, IP: c.ClientIP(), Action: "logout"})
		}
	}
	s.clearSessionCookie(c)
	s.redirect(c, "/login", "signed_out")
	return nil
}

func (s *Server) passwordForm(c *gin.Context) error {
	s.render(c, http.StatusOK, views.PasswordPage(s.page(c, views.T(c.Request.Context(), "password.title")), views.PasswordForm{MinLength: models.MinPasswordLength}))
	return nil
}

func (s *Server) passwordChange(c *gin.Context) error {
	ctx := c.Request.Context()
	u := currentUser(c)
	form := views.PasswordForm{Errors: textErrors(c), MinLength: models.MinPasswordLength}
	current, next, again := c.PostForm("current"), c.PostForm("new"), c.PostForm("confirm")
	switch {
	case !models.CheckPassword(u.PasswordHash, current):
		form.Errors["current"] = "password.wrong"
	case models.CheckPassword(u.PasswordHash, next):
		form.Errors["new"] = "password.same"
	case models.PasswordProblem(next, u.Email, u.Name) != "":
		form.Errors["new"] = models.PasswordProblem(next, u.Email, u.Name)
	case next != again:
		form.Errors["confirm"] = "password.mismatch"
	}
	if len(form.Errors) > 0 {
		s.render(c, http.StatusUnprocessableEntity, views.PasswordPage(s.page(c, views.T(ctx, "password.title")), form))
		return nil
	}
	if err := s.db.SetPassword(ctx, u.ID, next); err != nil {
		return err
	}
	s.record(c, models.AuditEntry{UserID: u.ID, Email: u.Email, IP: c.ClientIP(), Action: "password.change"})
	// Every session was revoked; this browser signs in afresh.
	token, err := s.db.CreateSession(ctx, u.ID, c.ClientIP(), c.Request.UserAgent(), s.cfg.SessionMaxAge)
	if err != nil {
		return err
	}
	s.setSessionCookie(c, token)
	s.redirect(c, "/", "password_changed")
	return nil
}
