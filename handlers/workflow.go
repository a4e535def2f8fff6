package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
	"github.com/natreport/natreport/views"
)

// stepFlash is the message after each step of a report's life; the steps
// themselves and the statuses they allow are surveys' (lifecycle.go).
var stepFlash = map[string]string{
	surveys.StepReview:   "report_review",
	surveys.StepReopen:   "report_reopened",
	surveys.StepSubmit:   "report_submitted",
	surveys.StepPublish:  "report_published",
	surveys.StepWithdraw: "report_withdrawn",
	surveys.StepAmend:    "report_amended",
}

// loadFocal loads the newest version for a change only the State's focal
// point may make.
func (s *Server) loadFocal(c *gin.Context) (*reportCtx, error) {
	rc, err := s.loadReport(c)
	if err != nil {
		return nil, err
	}
	if rc.report == nil || !rc.isFocal() {
		return nil, errForbidden
	}
	if !rc.latest() {
		return nil, errReportLocked
	}
	return rc, nil
}

// reportStatus moves the report one step: ask for sign-off, reopen,
// publish, withdraw publication, or amend (a new version). Submission has
// its own confirmation step (reportSubmit).
func (s *Server) reportStatus(c *gin.Context) error {
	rc, err := s.loadFocal(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	step := c.PostForm("action")
	if step == surveys.StepSubmit {
		return errBadRequest
	}
	to, err := surveys.Next(step, rc.ref())
	switch {
	case errors.Is(err, surveys.ErrPrivate):
		s.redirect(c, rc.basePath(), "publish_private")
		return nil
	case err != nil:
		return err
	case step == surveys.StepAmend:
		_, err = s.db.NewVersion(ctx, rc.report.ID, actorOf(c))
	default:
		err = s.db.SetReportStatus(ctx, rc.report.ID, rc.report.Status, to, actorOf(c))
	}
	if err != nil {
		return statusRefused(err)
	}
	if to == surveys.ReportPublished && step != surveys.StepAmend {
		s.syncRegisters(c, rc.report.ID, rc.tmpl)
	}
	s.redirect(c, rc.basePath(), stepFlash[step])
	return nil
}

// statusRefused maps a refused change of status: the report changed under
// the person's hands, so it is locked as they see it.
func statusRefused(err error) error {
	if errors.Is(err, models.ErrConflict) {
		return withCause(errReportLocked, err)
	}
	return err
}

// submitForm is the confirmation step before submission.
func (s *Server) submitForm(c *gin.Context) error {
	rc, err := s.loadFocal(c)
	if err != nil {
		return err
	}
	return s.renderSubmit(c, rc, http.StatusOK, "")
}

func (s *Server) renderSubmit(c *gin.Context, rc *reportCtx, status int, errID string) error {
	_, vals, err := s.answersFor(c, rc)
	if err != nil {
		return err
	}
	d := views.SubmitData{H: s.header(rc), Progress: surveys.TemplateProgress(rc.tmpl, vals, rc.cycle.ThematicEnabled), Error: errID}
	s.render(c, status, views.SubmitPage(s.page(c, views.T(c.Request.Context(), "submit.title")), d))
	return nil
}

// reportSubmit submits the report after re-asking for the password. The
// submitted version is frozen; changes need a new version.
func (s *Server) reportSubmit(c *gin.Context) error {
	rc, err := s.loadFocal(c)
	if err != nil {
		return err
	}
	to, err := surveys.Next(surveys.StepSubmit, rc.ref())
	if err != nil {
		return err
	}
	if len(textErrors(c)) > 0 {
		return s.renderSubmit(c, rc, http.StatusUnprocessableEntity, errTextShown)
	}
	if status, msgID, err := s.submitPasswordRefusal(c, rc); err != nil {
		return err
	} else if status != 0 {
		return s.renderSubmit(c, rc, status, msgID)
	}
	if err := s.db.SetReportStatus(c.Request.Context(), rc.report.ID, rc.report.Status, to, actorOf(c)); err != nil {
		return statusRefused(err)
	}
	s.syncRegisters(c, rc.report.ID, rc.tmpl)
	s.redirect(c, rc.basePath(), stepFlash[surveys.StepSubmit])
	return nil
}

// reportVisibility records the State's choice of who may read the report.
func (s *Server) reportVisibility(c *gin.Context) error {
	rc, err := s.loadFocal(c)
	if err != nil {
		return err
	}
	vis := c.PostForm("visibility")
	if !surveys.ValidVisibility(vis) {
		return errBadRequest
	}
	if err := s.db.SetVisibility(c.Request.Context(), rc.report.ID, vis, actorOf(c)); err != nil {
		return err
	}
	s.redirect(c, rc.basePath(), "visibility_saved")
	return nil
}

// sectionConfirm confirms every carried answer of a section in one step:
// "no change since the last report".
func (s *Server) sectionConfirm(c *gin.Context) error {
	rc, sec, _, err := s.loadSectionToEdit(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	stored, err := s.db.ListAnswers(ctx, rc.report.ID)
	if err != nil {
		return err
	}
	var codes []string
	for _, q := range sec.Questions {
		if a, ok := stored[q.Code]; ok && a.CarriedFrom != "" {
			codes = append(codes, q.Code)
		}
	}
	if len(codes) > 0 {
		if err := s.db.ConfirmAnswers(ctx, rc.report.ID, codes, actorOf(c)); err != nil {
			return err
		}
	}
	s.redirect(c, rc.basePath()+"/sections/"+url.PathEscape(sec.Code), "confirmed")
	return nil
}

// sectionAssign lets the focal point give a section to a colleague of the State.
func (s *Server) sectionAssign(c *gin.Context) error {
	rc, sec, _, err := s.loadSection(c)
	if err != nil {
		return err
	}
	if !rc.isFocal() {
		return errForbidden
	}
	if !rc.canAssign() {
		return errReportLocked
	}
	id, err := strconv.ParseInt(c.PostForm("user_id"), 10, 64)
	if err != nil || id < 0 {
		return errBadRequest
	}
	if id > 0 {
		u, err := s.db.GetUser(c.Request.Context(), id)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return err // the database failed: not the request's fault
		}
		if err != nil || u.StateISO3 != rc.state.ISO3 || u.Disabled {
			return errBadRequest
		}
	}
	notice, err := s.assignedNotice(c, rc, sec, id)
	if err != nil {
		return err
	}
	if err := s.db.AssignSection(c.Request.Context(), rc.report.ID, sec.Code, id, actorOf(c), notice...); err != nil {
		return err
	}
	to := rc.basePath()
	if c.PostForm("back") == "section" {
		to += "/sections/" + url.PathEscape(sec.Code)
	}
	s.redirect(c, to, "assigned")
	return nil
}

// sectionComment adds an internal comment; comments never leave the State.
func (s *Server) sectionComment(c *gin.Context) error {
	rc, sec, _, err := s.loadSection(c)
	if err != nil {
		return err
	}
	if !rc.member {
		return errForbidden
	}
	body := strings.TrimSpace(c.PostForm("body"))
	if errs := textErrors(c); len(errs) > 0 {
		return s.commentRefused(c, rc, sec, body, errTextShown)
	}
	if body == "" || len([]rune(body)) > 4000 {
		return s.commentRefused(c, rc, sec, body, "comment.invalid")
	}
	if _, err := s.db.AddComment(c.Request.Context(), rc.report.ID, sec.Code, body, actorOf(c)); err != nil {
		return err
	}
	s.redirect(c, rc.basePath()+"/sections/"+url.PathEscape(sec.Code)+"#comments", "comment_added")
	return nil
}

// commentRefused shows the section again with the comment as typed.
func (s *Server) commentRefused(c *gin.Context, rc *reportCtx, sec *surveys.Section, body, msgID string) error {
	_, part, _ := rc.tmpl.Section(sec.Code)
	_, vals, err := s.answersFor(c, rc)
	if err != nil {
		return err
	}
	d, err := s.sectionData(c, rc, sec, part, vals)
	if err != nil {
		return err
	}
	for i := range d.Questions {
		d.Questions[i].Shown = fingerprint(d.Questions[i].Value)
	}
	d.CommentText, d.CommentError = body, msgID
	s.render(c, http.StatusUnprocessableEntity, views.SectionPage(s.page(c, sec.Code+" · "+rc.state.Name), d))
	return nil
}
