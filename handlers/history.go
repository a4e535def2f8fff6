package handlers

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
	"github.com/natreport/natreport/views"
)

// reportHistory shows the record of changes of every version of the
// report the viewer may read: for the State's users and the secretariat.
func (s *Server) reportHistory(c *gin.Context) error {
	rc, err := s.loadReport(c)
	if err != nil {
		return err
	}
	if rc.report == nil || !(rc.member || rc.audience == surveys.AudSecretariat) {
		return errForbidden
	}
	d := views.HistoryData{H: s.header(rc), Version: map[int64]int{}}
	var ids []int64
	for _, i := range surveys.ReadableVersions(readerOf(rc.user), rc.refs()) {
		ids = append(ids, rc.versions[i].ID)
		d.Version[rc.versions[i].ID] = rc.versions[i].Version
	}
	entries, err := s.db.ListAudit(c.Request.Context(), ids, 1000)
	if err != nil {
		return err
	}
	d.Entries = auditViews(historyFor(entries, rc.member, rc.user.Role == models.RoleAdmin))
	s.render(c, http.StatusOK, views.HistoryPage(s.page(c, views.T(c.Request.Context(), "history.title")), d))
	return nil
}

// reportCompare compares the report with the previous cycle's, or two
// versions of this report (?from=1&to=2), question by question.
func (s *Server) reportCompare(c *gin.Context) error {
	rc, err := s.loadStarted(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	d := views.CompareData{H: s.header(rc)}
	prev, err := s.previousReport(c, rc)
	if err != nil {
		return err
	}
	older, newer, err := comparePair(c, rc, prev, &d)
	if err != nil {
		return err
	}
	audOld, ok1 := rc.readable(older)
	audNew, ok2 := rc.readable(newer)
	if !ok1 || !ok2 {
		return errNotFound
	}
	oldVals, err := s.db.ListValues(ctx, older.ID)
	if err != nil {
		return err
	}
	newVals, err := s.db.ListValues(ctx, newer.ID)
	if err != nil {
		return err
	}
	// The previous cycle's report may use an earlier template version.
	oldT := rc.tmpl
	if older.CycleID != rc.cycle.ID {
		if oldT, err = s.templateOf(ctx, older); err != nil {
			return err
		}
		if oldT.Version != rc.tmpl.Version {
			d.Note = views.T(ctx, "compare.across_versions", map[string]any{"From": oldT.Version, "To": rc.tmpl.Version})
		}
	}
	oldVals, newVals = oldT.ForAudience(audOld, oldVals), rc.tmpl.ForAudience(audNew, newVals)
	lang := views.Lang(ctx)
	d.Counts = map[string]int{}
	for _, diff := range surveys.CompareAcross(rc.tmpl, oldT, oldVals, newVals) {
		d.Rows = append(d.Rows, views.CompareRow{Code: diff.Code, Question: diff.Question.Text.In(lang),
			Old: diff.Old.Summary(diff.Question, lang), New: diff.New.Summary(diff.Question, lang), Change: string(diff.Change)})
		d.Counts[string(diff.Change)]++
	}
	d.Choices = compareChoices(c, rc, prev)
	s.render(c, http.StatusOK, views.ComparePage(s.page(c, views.T(ctx, "compare.title")), d))
	return nil
}

// readable says whether the viewer may read version r of the report, and
// which copy.
func (rc *reportCtx) readable(r *models.Report) (string, bool) {
	return surveys.Audience(readerOf(rc.user), refOf(r))
}

// comparePair reads which two reports to compare: two versions asked for
// (?from=&to=), or the previous cycle's report and this one.
func comparePair(c *gin.Context, rc *reportCtx, prev *models.Report, d *views.CompareData) (older, newer *models.Report, err error) {
	ctx := c.Request.Context()
	from, to := c.Query("from"), c.Query("to")
	if from == "" && to == "" {
		if prev == nil {
			return nil, nil, errNotFound
		}
		d.OldLabel, d.NewLabel = prev.CycleLabel, rc.cycle.Label
		return prev, rc.report, nil
	}
	f, err1 := strconv.Atoi(from)
	t, err2 := strconv.Atoi(to)
	if err1 != nil || err2 != nil || f < 1 || t < 1 || f > len(rc.versions) || t > len(rc.versions) {
		return nil, nil, errBadRequest
	}
	d.OldLabel = views.T(ctx, "report.version_n", map[string]any{"N": f})
	d.NewLabel = views.T(ctx, "report.version_n", map[string]any{"N": t})
	return &rc.versions[f-1], &rc.versions[t-1], nil
}

// compareChoices are the comparisons the viewer may switch to.
func compareChoices(c *gin.Context, rc *reportCtx, prev *models.Report) []views.CompareChoice {
	ctx := c.Request.Context()
	from, to := c.Query("from"), c.Query("to")
	var out []views.CompareChoice
	if prev != nil {
		out = append(out, views.CompareChoice{Label: views.T(ctx, "compare.with_cycle", map[string]any{"Cycle": prev.CycleLabel}), Query: "", Current: from == ""})
	}
	for i := 1; i < len(rc.versions); i++ {
		if _, ok := rc.readable(&rc.versions[i-1]); !ok {
			continue
		}
		if _, ok := rc.readable(&rc.versions[i]); !ok {
			continue
		}
		q := "?from=" + strconv.Itoa(i) + "&to=" + strconv.Itoa(i+1)
		out = append(out, views.CompareChoice{Label: views.T(ctx, "compare.versions", map[string]any{"From": i, "To": i + 1}),
			Query: q, Current: from == strconv.Itoa(i) && to == strconv.Itoa(i+1)})
	}
	return out
}

// visibleAnswers are the answers of a version as its reader may see them,
// without those the conditional display hides.
func visibleAnswers(t *surveys.Template, vals map[string]surveys.Value) map[string]surveys.Value {
	out := make(map[string]surveys.Value, len(vals))
	for code, v := range vals {
		if q, ok := t.Question(code); ok && surveys.Visible(q, vals) && !v.IsEmpty(q.Kind) {
			out[code] = v
		}
	}
	return out
}

// reportPrint is the printable HTML view: the same content as the PDF, for
// internal approval of a draft or for reading.
func (s *Server) reportPrint(c *gin.Context) error {
	rc, err := s.loadStarted(c)
	if err != nil {
		return err
	}
	_, vals, err := s.answersFor(c, rc)
	if err != nil {
		return err
	}
	withheld := surveys.WithheldQuestions(rc.audience, rc.tmpl, vals)
	vals = visibleAnswers(rc.tmpl, vals)
	d := views.PrintData{H: s.header(rc), Template: rc.tmpl, Answers: vals, Withheld: withheld, Thematic: rc.cycle.ThematicEnabled,
		Overview: surveys.NormOverviewFor(rc.audience, rc.tmpl, vals), Draft: surveys.Unsubmitted(rc.report.Status)}
	p := s.page(c, rc.state.Name+" · "+rc.cycle.Label)
	p.Wide = true
	s.render(c, http.StatusOK, views.PrintPage(p, d))
	return nil
}
