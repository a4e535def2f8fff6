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

// transition is one step of a report's life that a button asks for.
type transition struct {
	from, to string
	flash    string
}

// transitions are the status changes the focal point makes with one
// button; submission has its own confirmation step (reportSubmit).
var transitions = map[string]transition{
	"review":   {models.StatusDraft, models.StatusReview, "report_review"},
	"reopen":   {models.StatusReview, models.StatusDraft, "report_reopened"},
	"publish":  {models.StatusSubmitted, models.StatusPublished, "report_published"},
	"withdraw": {models.StatusPublished, models.StatusSubmitted, "report_withdrawn"},
}

// loadFocal loads the newest version for a change only the State's focal
// point may make.
func (s *Server) loadFocal(c *gin.Context) (*reportCtx, bool) {
	rc, ok := s.loadReport(c)
	if !ok {
		return nil, false
	}
	if rc.report == nil || !rc.isFocal() {
		s.fail(c, errForbidden)
		return nil, false
	}
	if !rc.latest() {
		s.fail(c, errReportLocked)
		return nil, false
	}
	return rc, true
}

// reportStatus moves the report one step: ask for sign-off, reopen,
// publish, withdraw publication, or amend (a new version).
func (s *Server) reportStatus(c *gin.Context) {
	rc, ok := s.loadFocal(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	action := c.PostForm("action")
	if action == "amend" {
		if rc.report.Status != models.StatusSubmitted && rc.report.Status != models.StatusPublished {
			s.fail(c, errReportLocked)
			return
		}
		if _, err := s.db.NewVersion(ctx, rc.report.ID, actorOf(c)); err != nil {
			s.fail(c, err)
			return
		}
		s.redirect(c, rc.basePath(), "report_amended")
		return
	}
	t, ok := transitions[action]
	if !ok {
		s.fail(c, errBadRequest)
		return
	}
	if action == "publish" && rc.report.Visibility == models.VisibilityPrivate {
		s.redirect(c, rc.basePath(), "publish_private")
		return
	}
	err := s.db.SetReportStatus(ctx, rc.report.ID, t.from, t.to, actorOf(c))
	if errors.Is(err, models.ErrConflict) {
		s.fail(c, errReportLocked)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.redirect(c, rc.basePath(), t.flash)
}

// submitForm is the confirmation step before submission.
func (s *Server) submitForm(c *gin.Context) {
	rc, ok := s.loadFocal(c)
	if !ok {
		return
	}
	s.renderSubmit(c, rc, http.StatusOK, "")
}

func (s *Server) renderSubmit(c *gin.Context, rc *reportCtx, status int, errID string) {
	_, vals, err := s.answersFor(c, rc)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := views.SubmitData{H: s.header(rc), Progress: surveys.TemplateProgress(rc.tmpl, vals, rc.cycle.ThematicEnabled), Error: errID}
	s.render(c, status, views.SubmitPage(s.page(c, views.T(c.Request.Context(), "submit.title")), d))
}

// reportSubmit submits the report after re-asking for the password. The
// submitted version is frozen; changes need a new version.
func (s *Server) reportSubmit(c *gin.Context) {
	rc, ok := s.loadFocal(c)
	if !ok {
		return
	}
	if rc.report.Status != models.StatusDraft && rc.report.Status != models.StatusReview {
		s.fail(c, errReportLocked)
		return
	}
	now, ip := s.now(), c.ClientIP()
	if s.throttle.Blocked(now, rc.user.Email, ip) {
		s.renderSubmit(c, rc, http.StatusTooManyRequests, "login.throttled")
		return
	}
	if !models.CheckPassword(rc.user.PasswordHash, c.PostForm("password")) {
		s.throttle.Fail(now, rc.user.Email, ip)
		s.renderSubmit(c, rc, http.StatusUnprocessableEntity, "submit.wrong_password")
		return
	}
	err := s.db.SetReportStatus(c.Request.Context(), rc.report.ID, rc.report.Status, models.StatusSubmitted, actorOf(c))
	if errors.Is(err, models.ErrConflict) {
		s.fail(c, errReportLocked)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.redirect(c, rc.basePath(), "report_submitted")
}

// reportVisibility records the State's choice of who may read the report.
func (s *Server) reportVisibility(c *gin.Context) {
	rc, ok := s.loadFocal(c)
	if !ok {
		return
	}
	vis := c.PostForm("visibility")
	if !models.ValidVisibility(vis) {
		s.fail(c, errBadRequest)
		return
	}
	if err := s.db.SetVisibility(c.Request.Context(), rc.report.ID, vis, actorOf(c)); err != nil {
		s.fail(c, err)
		return
	}
	s.redirect(c, rc.basePath(), "visibility_saved")
}

// sectionConfirm confirms every carried answer of a section in one step:
// "no change since the last report".
func (s *Server) sectionConfirm(c *gin.Context) {
	rc, sec, _, ok := s.loadSection(c)
	if !ok || !s.requireEdit(c, rc) {
		return
	}
	ctx := c.Request.Context()
	stored, err := s.db.ListAnswers(ctx, rc.report.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	var codes []string
	for _, q := range sec.Questions {
		if a, ok := stored[q.Code]; ok && a.CarriedFrom != "" {
			codes = append(codes, q.Code)
		}
	}
	if len(codes) > 0 {
		if err := s.db.ConfirmAnswers(ctx, rc.report.ID, codes, actorOf(c)); err != nil {
			s.fail(c, err)
			return
		}
	}
	s.redirect(c, rc.basePath()+"/sections/"+url.PathEscape(sec.Code), "confirmed")
}

// sectionAssign lets the focal point give a section to a colleague of the State.
func (s *Server) sectionAssign(c *gin.Context) {
	rc, sec, _, ok := s.loadSection(c)
	if !ok {
		return
	}
	if !rc.isFocal() {
		s.fail(c, errForbidden)
		return
	}
	id, err := strconv.ParseInt(c.PostForm("user_id"), 10, 64)
	if err != nil || id < 0 {
		s.fail(c, errBadRequest)
		return
	}
	if id > 0 {
		u, err := s.db.GetUser(c.Request.Context(), id)
		if err != nil || u.StateISO3 != rc.state.ISO3 || u.Disabled {
			s.fail(c, errBadRequest)
			return
		}
	}
	if err := s.db.AssignSection(c.Request.Context(), rc.report.ID, sec.Code, id, actorOf(c)); err != nil {
		s.fail(c, err)
		return
	}
	to := c.PostForm("back")
	if to != "section" {
		s.redirect(c, rc.basePath(), "assigned")
		return
	}
	s.redirect(c, rc.basePath()+"/sections/"+url.PathEscape(sec.Code), "assigned")
}

// sectionComment adds an internal comment; comments never leave the State.
func (s *Server) sectionComment(c *gin.Context) {
	rc, sec, _, ok := s.loadSection(c)
	if !ok {
		return
	}
	if !rc.member {
		s.fail(c, errForbidden)
		return
	}
	body := strings.TrimSpace(c.PostForm("body"))
	if body == "" || len([]rune(body)) > 4000 {
		s.commentRefused(c, rc, sec, body)
		return
	}
	if _, err := s.db.AddComment(c.Request.Context(), rc.report.ID, sec.Code, body, actorOf(c)); err != nil {
		s.fail(c, err)
		return
	}
	s.redirect(c, rc.basePath()+"/sections/"+url.PathEscape(sec.Code)+"#comments", "comment_added")
}

// commentRefused shows the section again with the comment as typed.
func (s *Server) commentRefused(c *gin.Context, rc *reportCtx, sec *surveys.Section, body string) {
	_, part, _ := rc.tmpl.Section(sec.Code)
	_, vals, err := s.answersFor(c, rc)
	if err != nil {
		s.fail(c, err)
		return
	}
	d, err := s.sectionData(c, rc, sec, part, vals)
	if err != nil {
		s.fail(c, err)
		return
	}
	for i := range d.Questions {
		d.Questions[i].Shown = fingerprint(d.Questions[i].Value)
	}
	d.CommentText, d.CommentError = body, "comment.invalid"
	s.render(c, http.StatusUnprocessableEntity, views.SectionPage(s.page(c, sec.Code+" · "+rc.state.Name), d))
}
