package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/surveys"
	"github.com/natreport/natreport/views"
)

// errText refuses text that cannot be stored (surveys.CheckText).
var errText = &httpError{http.StatusUnprocessableEntity, surveys.ErrText, nil}

// answerRoutes check their fields themselves, question by question
// (surveys.ParseAnswer), so that the form comes back with the error on
// the field and everything else as typed.
var answerRoutes = map[string]bool{
	"/reports/:iso3/:cycle/answers/:code":     true,
	"/reports/:iso3/:cycle/sections/:section": true,
}

// textDoor applies the one rule for incoming text (surveys.CheckText) to
// the path, the query and every posted field before any handler runs, so
// that no text a database would refuse or alter reaches one. A refused
// form gets 422 with the fields named (JSON for the page's script). It is
// middleware registered through the door (s.h): a returned error aborts.
func (s *Server) textDoor(c *gin.Context) error {
	r := c.Request
	if !surveys.CheckText(r.URL.Path) || surveys.CheckForm(r.URL.Query()) != nil {
		return errBadRequest
	}
	// The user agent is stored with the session.
	if ua := r.UserAgent(); !surveys.CheckText(ua) {
		r.Header.Set("User-Agent", surveys.SafeText(ua))
	}
	if r.Method != http.MethodPost {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return withCause(errBadRequest, err)
	}
	if answerRoutes[c.FullPath()] {
		return nil
	}
	errs := surveys.CheckForm(r.PostForm)
	if errs == nil {
		return nil
	}
	if !wantsJSON(c) {
		return errText
	}
	msg := views.T(r.Context(), surveys.ErrText)
	out := map[string]string{}
	for f := range errs {
		out[f] = msg
	}
	c.AbortWithStatusJSON(http.StatusUnprocessableEntity, gin.H{"error": msg, "errors": out})
	return nil
}
