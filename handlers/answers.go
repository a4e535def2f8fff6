package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
	"github.com/natreport/natreport/views"
)

// answerJSON is the reply to an autosave.
type answerJSON struct {
	Version  int               `json:"version"`
	SavedAt  string            `json:"saved_at,omitempty"`
	Shown    string            `json:"shown,omitempty"`
	Errors   map[string]string `json:"errors,omitempty"`
	Conflict *conflictJSON     `json:"conflict,omitempty"`
	Visible  map[string]bool   `json:"visible,omitempty"`
}

type conflictJSON struct {
	Mine    string `json:"mine"`
	Theirs  string `json:"theirs"`
	Version int    `json:"version"`
	By      string `json:"by"`
	At      string `json:"at"`
	Message string `json:"message"`
}

// answerSave is the autosave of one answer: the page posts the fields of
// one question with the version it was shown; the reply says the new
// version, the field errors, or the colleague's newer answer.
func (s *Server) answerSave(c *gin.Context) error {
	rc, err := s.loadStarted(c)
	if err != nil {
		return err
	}
	if err := rc.mayEdit(); err != nil {
		return err
	}
	ctx := c.Request.Context()
	q, ok := rc.tmpl.Question(c.Param("code"))
	if !ok {
		return errNotFound
	}
	if _, part, _ := rc.tmpl.SectionOf(q.Code); part != nil && part.Thematic && !rc.cycle.ThematicEnabled {
		return errNotFound
	}
	if err := c.Request.ParseForm(); err != nil {
		return errBadRequest
	}
	base, err := strconv.Atoi(c.PostForm("v." + q.Code))
	if err != nil || base < 0 {
		return errBadRequest
	}
	v, errs := surveys.ParseAnswer(q, c.Request.PostForm)
	if len(errs) > 0 {
		out := answerJSON{Version: base, Errors: map[string]string{}}
		for f, key := range errs {
			out.Errors[f] = views.T(ctx, key, q.MessageArgs())
		}
		c.JSON(http.StatusUnprocessableEntity, out)
		return nil
	}
	// The reply is built from the save itself: the values the section's
	// conditional questions depend on are read in the save's transaction.
	sec, _, _ := rc.tmpl.SectionOf(q.Code)
	runHook(saveHooks.before)
	res, err := s.db.Save(ctx, models.SaveRequest{ReportID: rc.report.ID, Code: q.Code, Value: v, BaseVersion: base,
		Actor: actorOf(c), Summary: summarizer(q), With: surveys.Conditions(sec), SaveID: saveID(c.PostForm("save_id"))})
	runHook(saveHooks.after)
	a := res.Answer
	if errors.Is(err, models.ErrConflict) {
		cf := s.conflict(c, q, v, a)
		c.JSON(http.StatusConflict, answerJSON{Version: a.Version, Shown: fingerprint(a.Value), Conflict: &conflictJSON{
			Mine: cf.Mine, Theirs: cf.Theirs, Version: a.Version, By: cf.By, At: views.DateTime(ctx, cf.At),
			Message: views.T(ctx, "conflict.message", map[string]any{"Name": cf.By}),
		}})
		return nil
	}
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, answerJSON{Version: a.Version, SavedAt: a.UpdatedAt.UTC().Format("15:04"), Shown: fingerprint(a.Value),
		Visible: visibleIn(sec, res.With)})
	return nil
}

// visibleIn tells the page which conditional questions of a section show
// with these answers.
func visibleIn(sec *surveys.Section, answers map[string]surveys.Value) map[string]bool {
	out := map[string]bool{}
	if sec == nil {
		return out
	}
	for i := range sec.Questions {
		if sec.Questions[i].ShowWhen != nil {
			out[sec.Questions[i].Code] = surveys.Visible(&sec.Questions[i], answers)
		}
	}
	return out
}
