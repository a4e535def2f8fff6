package handlers

import (
	"maps"
	"mime"
	"net/http"
	"reflect"
	"runtime"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/surveys"
	"github.com/natreport/natreport/views"
)

// errText refuses text that cannot be stored (surveys.CheckText).
var errText = &httpError{http.StatusUnprocessableEntity, surveys.ErrText, nil}

// errTextShown is the field error of a form that comes back with refused
// text: the refused characters were replaced (surveys.SafeText) and the
// person checks the text before sending it again.
const errTextShown = "error.text_replaced"

// ctxTextErrors holds the fields whose posted text the door refused.
const ctxTextErrors = "natreport.text_errors"

// answerRoutes check their fields themselves, question by question
// (surveys.ParseAnswer), so that the form comes back with the error on
// the field and everything else as typed.
var answerRoutes = map[string]bool{
	"/reports/:iso3/:cycle/answers/:code":     true,
	"/reports/:iso3/:cycle/sections/:section": true,
}

// textDoor applies the one rule for incoming text (surveys.CheckText) to
// the path, the query and every posted field before any handler runs, so
// that no text a database would refuse or alter reaches one. A form
// route (registered with s.form) gets the refused fields as field errors
// (textErrors) and their text with only the refused characters replaced,
// and comes back with the error on the field and everything as typed;
// any other route refuses the request with 422 and the posted fields
// shown again to send once corrected (textRefused; JSON with the fields
// named for the page's script). It is middleware registered through the
// door (s.h): a returned error aborts.
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
	if err := parseBody(r); err != nil {
		return withCause(errBadRequest, err)
	}
	if answerRoutes[c.FullPath()] {
		return nil
	}
	errs := surveys.CheckForm(r.PostForm)
	switch {
	case errs == nil:
		return nil
	case wantsJSON(c):
		msg := views.T(r.Context(), surveys.ErrText)
		out := map[string]string{}
		for f := range errs {
			out[f] = msg
		}
		c.AbortWithStatusJSON(http.StatusUnprocessableEntity, gin.H{"error": msg, "errors": out})
		return nil
	case !slices.Contains(c.HandlerNames(), formAdapter):
		return s.textRefused(c)
	}
	r.PostForm = safeValues(r.PostForm)
	r.Form = safeValues(r.Form)
	shown := map[string]string{}
	for f := range errs {
		shown[surveys.SafeText(f)] = errTextShown
	}
	c.Set(ctxTextErrors, shown)
	return nil
}

// textRefused answers a form with refused text posted to a route that
// does not show its own form again: 422 and the posted fields, the refused
// ones editable with their refused characters replaced, the others
// carried, to send again to the same address. Nothing typed is lost; a
// password is never shown back.
func (s *Server) textRefused(c *gin.Context) error {
	r := c.Request
	f := views.RefusedForm{Action: safeNext(r.URL.RequestURI())}
	if f.Action == "" {
		return errText
	}
	for _, name := range slices.Sorted(maps.Keys(r.PostForm)) {
		vals := r.PostForm[name]
		refused := !surveys.CheckText(name) || slices.ContainsFunc(vals, func(v string) bool { return !surveys.CheckText(v) })
		if name == "password" {
			continue
		}
		for _, v := range vals {
			f.Fields = append(f.Fields, views.RefusedField{Name: surveys.SafeText(name), Value: surveys.SafeText(v), Refused: refused})
		}
	}
	s.render(c, http.StatusUnprocessableEntity, views.TextRefusedPage(s.page(c, views.T(r.Context(), "text_refused.title")), f))
	c.Abort()
	return nil
}

// parseBody reads a posted form into r.PostForm, a multipart one too:
// gin's c.PostForm would otherwise parse a multipart body itself, after
// the door.
func parseBody(r *http.Request) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		return r.ParseMultipartForm(maxBody)
	}
	return r.ParseForm()
}

// safeValues is v with every name and value made storable
// (surveys.SafeText); values of names that become equal are kept together.
func safeValues(v map[string][]string) map[string][]string {
	out := make(map[string][]string, len(v))
	for name, vals := range v {
		k := surveys.SafeText(name)
		for _, val := range vals {
			out[k] = append(out[k], surveys.SafeText(val))
		}
	}
	return out
}

// textErrors returns the field errors the door found in the posted text
// (a new map: field -> message id) with the form's own errors (more) over
// them, for a form handler to start its checks with. A form with any
// error comes back, so a refused text is never stored, even with its
// refused characters replaced.
func textErrors(c *gin.Context, more ...map[string]string) map[string]string {
	out := map[string]string{}
	if v, ok := c.Get(ctxTextErrors); ok {
		maps.Copy(out, v.(map[string]string))
	}
	for _, m := range more {
		maps.Copy(out, m)
	}
	return out
}

// form adapts the handler of a route that shows its form again with field
// errors: as s.h, and the door lets refused text through to it, replaced
// and marked (textErrors), instead of refusing the request. Its handler
// must start its checks with textErrors (TestFormRoutesTakeTextErrors).
func (s *Server) form(fn handlerFunc) gin.HandlerFunc {
	return formHandler(s.h(fn)).serve
}

// formHandler marks a form route in the handler chain (c.HandlerNames):
// gin names a method value after its type and method, wherever it is made.
type formHandler gin.HandlerFunc

func (f formHandler) serve(c *gin.Context) { f(c) }

// formAdapter is the name gin gives the handlers made by form.
var formAdapter = runtime.FuncForPC(reflect.ValueOf(formHandler(nil).serve).Pointer()).Name()
