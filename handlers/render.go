package handlers

import (
	"net/http"
	"net/url"

	"github.com/a-h/templ"
	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/views"
)

// render writes a templ component with the request's context (so the
// language and cancellation reach the view).
func (s *Server) render(c *gin.Context, status int, comp templ.Component) {
	c.Status(status)
	c.Header("Content-Type", "text/html; charset=utf-8")
	if err := comp.Render(c.Request.Context(), c.Writer); err != nil {
		s.log.ErrorContext(c.Request.Context(), "render", "err", err)
	}
}

// page builds the layout data for a request.
func (s *Server) page(c *gin.Context, title string) views.Page {
	p := views.Page{Title: title, Path: langPath(c.Request.URL.Path), Flash: s.takeFlash(c)}
	if _, ok := c.Get(ctxTextErrors); ok {
		// Said once above the form, whichever fields it shows (textDoor).
		p.Alert = views.T(c.Request.Context(), "text_refused.alert")
	}
	if u := currentUser(c); u != nil {
		v := &views.Viewer{ID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role, StateISO3: u.StateISO3}
		if u.StateISO3 != "" {
			if st, err := s.db.GetState(c.Request.Context(), u.StateISO3); err == nil {
				v.StateName = st.Name
			}
		}
		p.Viewer = v
	}
	return p
}

const flashCookie = "flash"

// redirect answers a successful POST with 303 and a one-time flash message.
func (s *Server) redirect(c *gin.Context, to, flashID string) {
	if flashID != "" {
		http.SetCookie(c.Writer, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(flashID), Path: "/", MaxAge: 60,
			HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	}
	c.Redirect(http.StatusSeeOther, to)
}

// takeFlash reads and clears the flash message (translated).
func (s *Server) takeFlash(c *gin.Context) string {
	ck, err := c.Request.Cookie(flashCookie)
	if err != nil || ck.Value == "" {
		return ""
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	id, err := url.QueryUnescape(ck.Value)
	if err != nil || len(id) > 64 {
		return ""
	}
	// Only known messages: a forged cookie shows nothing.
	if msg := views.T(c.Request.Context(), "flash."+id); msg != "flash."+id {
		return msg
	}
	return ""
}
