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

// loadSection reads :section of a started report; a thematic section of a
// cycle without a thematic priority does not exist.
func (s *Server) loadSection(c *gin.Context) (*reportCtx, *surveys.Section, *surveys.Part, error) {
	rc, err := s.loadStarted(c)
	if err != nil {
		return nil, nil, nil, err
	}
	sec, part, ok := rc.tmpl.Section(c.Param("section"))
	if !ok || (part.Thematic && !rc.cycle.ThematicEnabled) {
		return nil, nil, nil, errNotFound
	}
	return rc, sec, part, nil
}

// loadSectionToEdit is loadSection for a change of answers: refused unless
// the viewer may edit the report now.
func (s *Server) loadSectionToEdit(c *gin.Context) (*reportCtx, *surveys.Section, *surveys.Part, error) {
	rc, sec, part, err := s.loadSection(c)
	if err == nil {
		err = rc.mayEdit()
	}
	if err != nil {
		return nil, nil, nil, err
	}
	return rc, sec, part, nil
}

// sectionShow shows a section: the form for the State's editors, the
// answers read-only for everyone else.
func (s *Server) sectionShow(c *gin.Context) error {
	rc, sec, part, err := s.loadSection(c)
	if err != nil {
		return err
	}
	stored, vals, err := s.answersFor(c, rc)
	if err != nil {
		return err
	}
	d, err := s.sectionData(c, rc, sec, part, vals)
	if err != nil {
		return err
	}
	for i := range d.Questions {
		qv := &d.Questions[i]
		qv.Shown = fingerprint(qv.Value)
		if a, ok := stored[qv.Q.Code]; ok && rc.member {
			qv.Version, qv.Carried = a.Version, a.CarriedFrom
			if a.CarriedFrom != "" {
				d.Carried++
			}
		}
	}
	s.render(c, http.StatusOK, views.SectionPage(s.page(c, sec.Code+" · "+rc.state.Name), d))
	return nil
}

// sectionData builds the section page around answer values.
func (s *Server) sectionData(c *gin.Context, rc *reportCtx, sec *surveys.Section, part *surveys.Part, vals map[string]surveys.Value) (views.SectionData, error) {
	ctx := c.Request.Context()
	d := views.SectionData{H: s.header(rc), Part: part, Section: sec, Progress: surveys.SectionProgressFor(rc.audience, part, sec, vals)}
	for i := range sec.Questions {
		q := &sec.Questions[i]
		v, answered := vals[q.Code]
		visible := surveys.Visible(q, vals)
		// A reader outside the State sees what was answered, and what is
		// kept from them as not shared, never as unanswered.
		notShared := !rc.member && visible && surveys.QuestionWithheld(rc.audience, part, q, vals)
		if !rc.member && !answered && !notShared {
			continue
		}
		d.Questions = append(d.Questions, views.QuestionView{Q: q, Value: v, Visible: visible, NotShared: notShared})
	}
	secs := rc.tmpl.Sections()
	for i, x := range secs {
		if x.Code != sec.Code {
			continue
		}
		for j := i - 1; j >= 0 && d.Prev == nil; j-- {
			if s.sectionOn(rc, secs[j]) {
				d.Prev = secs[j]
			}
		}
		for j := i + 1; j < len(secs) && d.Next == nil; j++ {
			if s.sectionOn(rc, secs[j]) {
				d.Next = secs[j]
			}
		}
	}
	if rc.member {
		comments, err := s.db.ListComments(ctx, rc.report.ID, sec.Code)
		if err != nil {
			return d, err
		}
		d.Comments = commentViews(comments)
		assigned, err := s.db.SectionAssignments(ctx, rc.report.ID)
		if err != nil {
			return d, err
		}
		if u, ok := assigned[sec.Code]; ok {
			d.Assignee = u.Name
		}
		if rc.isFocal() {
			if d.Contributors, err = s.activeUsers(c, rc.state.ISO3); err != nil {
				return d, err
			}
		}
	}
	return d, nil
}

// sectionOn reports whether a section is part of the cycle's report.
func (s *Server) sectionOn(rc *reportCtx, sec *surveys.Section) bool {
	_, part, ok := rc.tmpl.Section(sec.Code)
	return ok && (!part.Thematic || rc.cycle.ThematicEnabled)
}

// sectionSave saves every changed answer of a section (the form without
// JavaScript). Invalid values and conflicting edits are refused one by one;
// the page comes back with the person's input kept and the reasons beside
// each field, and everything else is saved.
func (s *Server) sectionSave(c *gin.Context) error {
	rc, sec, part, err := s.loadSectionToEdit(c)
	if err != nil {
		return err
	}
	if err := c.Request.ParseForm(); err != nil {
		return errBadRequest
	}
	form := c.Request.PostForm
	stored, err := s.db.ListAnswers(c.Request.Context(), rc.report.ID)
	if err != nil {
		return err
	}
	sv := &sectionSaving{rc: rc, form: form, stored: stored, typed: models.Values(stored), take: map[string]bool{}}
	for _, code := range form["take"] {
		sv.take[code] = true
	}
	sv.opCode, sv.op, sv.opRow = parseRowOp(form.Get("rowop"))
	shown := make([]views.QuestionView, 0, len(sec.Questions))
	failed := false
	for i := range sec.Questions {
		qv, bad, err := s.saveQuestion(c, sv, &sec.Questions[i])
		if err != nil {
			return err
		}
		shown, failed = append(shown, qv), failed || bad
	}
	if !failed {
		return s.sectionSaved(c, rc, sec, part, sv)
	}
	d, err := s.sectionData(c, rc, sec, part, sv.typed)
	if err != nil {
		return err
	}
	for i := range shown {
		shown[i].Visible = surveys.Visible(shown[i].Q, sv.typed)
		d.HasErrors = d.HasErrors || len(shown[i].Errors) > 0
		d.HasConflicts = d.HasConflicts || shown[i].Conflict != nil
	}
	d.Questions, d.Locked = shown, sv.locked
	status := http.StatusUnprocessableEntity
	if (d.HasConflicts || d.Locked) && !d.HasErrors {
		status = http.StatusConflict
	}
	s.render(c, status, views.SectionPage(s.page(c, sec.Code+" · "+rc.state.Name), d))
	return nil
}

// sectionSaving is one post of a section form as it is saved.
type sectionSaving struct {
	rc     *reportCtx
	form   url.Values
	stored map[string]models.Answer
	typed  map[string]surveys.Value // the answers as typed, else as stored
	take   map[string]bool          // questions whose colleague's answer the person took
	locked bool                     // the store refused a save: the report left draft meanwhile
	opCode string                   // the question of a row button, if one was pressed
	op     string
	opRow  int
}

// saveQuestion saves one question of a section form if the person changed
// it; failed is true when its value was refused (field errors, conflict).
func (s *Server) saveQuestion(c *gin.Context, sv *sectionSaving, q *surveys.Question) (qv views.QuestionView, failed bool, err error) {
	form := sv.form
	cur, exists := sv.stored[q.Code]
	qv = views.QuestionView{Q: q, Value: cur.Value, Version: cur.Version, Carried: cur.CarriedFrom, Shown: fingerprint(cur.Value)}
	if sv.take[q.Code] || !submitted(q, form) {
		return qv, false, nil
	}
	v, errs := surveys.ParseAnswer(q, form)
	if q.Code == sv.opCode {
		v.Rows = applyRowOp(v.Rows, sv.op, sv.opRow)
	}
	sv.typed[q.Code] = v
	qv.Value = v
	base, _ := strconv.Atoi(form.Get("v." + q.Code))
	untouched := form.Get("h."+q.Code) == fingerprint(v) && q.Code != sv.opCode
	switch {
	case len(errs) > 0:
		qv.Errors, qv.Version = errs, base
		return qv, true, nil
	case untouched && base == cur.Version:
	case untouched:
		// Left as shown while a colleague changed it: keep theirs.
		qv.Value = cur.Value
		sv.typed[q.Code] = cur.Value
	case exists && surveys.Equal(cur.Value, v):
	case !exists && v.IsEmpty(q.Kind):
	default:
		runHook(saveHooks.before)
		a, err := s.db.SaveAnswer(c.Request.Context(), sv.rc.report.ID, q.Code, v, base, actorOf(c), summarizer(q))
		switch {
		case errors.Is(err, models.ErrConflict):
			qv.Conflict, qv.Version, qv.Shown = s.conflict(c, q, v, a), a.Version, fingerprint(a.Value)
			return qv, true, nil
		case errors.Is(err, models.ErrReadOnly):
			// Submitted meanwhile: the form comes back with the text as typed.
			sv.locked, qv.Version = true, base
			return qv, true, nil
		case err != nil:
			return qv, false, err
		}
		qv.Version, qv.Carried, qv.Shown = a.Version, "", fingerprint(a.Value)
	}
	return qv, false, nil
}

// sectionSaved sends the person on after a save without refusals: back to
// the section (to the question of a row button), or to the next section.
func (s *Server) sectionSaved(c *gin.Context, rc *reportCtx, sec *surveys.Section, part *surveys.Part, sv *sectionSaving) error {
	to := rc.basePath() + "/sections/" + url.PathEscape(sec.Code)
	if c.PostForm("next") != "" {
		if d, _ := s.sectionData(c, rc, sec, part, sv.typed); d.Next != nil {
			to = rc.basePath() + "/sections/" + url.PathEscape(d.Next.Code)
		}
	}
	if sv.opCode != "" {
		to += "#q-" + sv.opCode
	}
	s.redirect(c, to, "saved")
	return nil
}

// submitted reports whether the form carries any field of q (a question
// the form did not show is left as it is).
func submitted(q *surveys.Question, form url.Values) bool {
	if _, ok := form["v."+q.Code]; ok {
		return true
	}
	for k := range form {
		if k == q.Code || strings.HasPrefix(k, q.Code+".") {
			return true
		}
	}
	return false
}

// summarizer renders values of q for the audit log, in English.
func summarizer(q *surveys.Question) func(surveys.Value) string {
	return func(v surveys.Value) string { return v.Summary(q, "en") }
}

// conflict describes a refused save: mine as typed, theirs as stored.
func (s *Server) conflict(c *gin.Context, q *surveys.Question, mine surveys.Value, theirs models.Answer) *views.Conflict {
	lang := views.Lang(c.Request.Context())
	cf := &views.Conflict{Mine: mine.Summary(q, lang), Theirs: theirs.Value.Summary(q, lang), TheirVersion: theirs.Version, At: theirs.UpdatedAt}
	if u, err := s.db.GetUser(c.Request.Context(), theirs.UpdatedBy); err == nil {
		cf.By = u.Name
	}
	return cf
}

// parseRowOp reads a row button: "CODE|add", "CODE|N|up", "CODE|N|down"
// or "CODE|N|remove". Adding needs no change: the form always ends with a
// blank row, so the page comes back to the question with a new one.
func parseRowOp(s string) (code, op string, row int) {
	parts := strings.Split(s, "|")
	if len(parts) == 2 && parts[1] == "add" {
		return parts[0], "add", 0
	}
	if len(parts) != 3 {
		return "", "", 0
	}
	n, err := strconv.Atoi(parts[1])
	if err != nil || n < 0 {
		return "", "", 0
	}
	return parts[0], parts[2], n
}

// applyRowOp moves or removes one row.
func applyRowOp(rows []map[string]string, op string, i int) []map[string]string {
	if i >= len(rows) {
		return rows
	}
	out := append([]map[string]string(nil), rows...)
	switch op {
	case "up":
		if i > 0 {
			out[i-1], out[i] = out[i], out[i-1]
		}
	case "down":
		if i+1 < len(out) {
			out[i+1], out[i] = out[i], out[i+1]
		}
	case "remove":
		out = append(out[:i], out[i+1:]...)
	}
	return out
}
