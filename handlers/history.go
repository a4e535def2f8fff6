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
func (s *Server) reportHistory(c *gin.Context) {
	rc, ok := s.loadReport(c)
	if !ok {
		return
	}
	if rc.report == nil || !(rc.member || rc.audience == surveys.AudSecretariat) {
		s.fail(c, errForbidden)
		return
	}
	reader := readerOf(rc.user)
	d := views.HistoryData{H: s.header(rc), Version: map[int64]int{}}
	var ids []int64
	for _, v := range rc.versions {
		if _, ok := surveys.Audience(reader, surveys.ReportRef{StateISO3: rc.state.ISO3, Status: v.Status, Visibility: v.Visibility}); ok {
			ids = append(ids, v.ID)
			d.Version[v.ID] = v.Version
		}
	}
	entries, err := s.db.ListAudit(c.Request.Context(), ids, 1000)
	if err != nil {
		s.fail(c, err)
		return
	}
	d.Entries = entries
	s.render(c, http.StatusOK, views.HistoryPage(s.page(c, views.T(c.Request.Context(), "history.title")), d))
}

// reportCompare compares the report with the previous cycle's, or two
// versions of this report (?from=1&to=2), question by question.
func (s *Server) reportCompare(c *gin.Context) {
	rc, ok := s.loadStarted(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	reader := readerOf(rc.user)
	readable := func(r *models.Report) (string, bool) {
		return surveys.Audience(reader, surveys.ReportRef{StateISO3: rc.state.ISO3, Status: r.Status, Visibility: r.Visibility})
	}
	d := views.CompareData{H: s.header(rc)}
	prev, err := s.previousReport(c, rc)
	if err != nil {
		s.fail(c, err)
		return
	}
	var older, newer *models.Report
	from, to := c.Query("from"), c.Query("to")
	if from != "" || to != "" {
		f, err1 := strconv.Atoi(from)
		t, err2 := strconv.Atoi(to)
		if err1 != nil || err2 != nil || f < 1 || t < 1 || f > len(rc.versions) || t > len(rc.versions) {
			s.fail(c, errBadRequest)
			return
		}
		older, newer = &rc.versions[f-1], &rc.versions[t-1]
		d.OldLabel = views.T(ctx, "report.version_n", map[string]any{"N": f})
		d.NewLabel = views.T(ctx, "report.version_n", map[string]any{"N": t})
	} else {
		if prev == nil {
			s.fail(c, errNotFound)
			return
		}
		older, newer = prev, rc.report
		d.OldLabel, d.NewLabel = prev.CycleLabel, rc.cycle.Label
	}
	audOld, ok1 := readable(older)
	audNew, ok2 := readable(newer)
	if !ok1 || !ok2 {
		s.fail(c, errNotFound)
		return
	}
	oldVals, err := s.values(c, older.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	newVals, err := s.values(c, newer.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	oldVals, newVals = rc.tmpl.ForAudience(audOld, oldVals), rc.tmpl.ForAudience(audNew, newVals)
	lang := views.Lang(ctx)
	d.Counts = map[string]int{}
	for _, diff := range surveys.Compare(rc.tmpl, oldVals, newVals) {
		d.Rows = append(d.Rows, views.CompareRow{Code: diff.Code, Question: diff.Question.Text.In(lang),
			Old: diff.Old.Summary(diff.Question, lang), New: diff.New.Summary(diff.Question, lang), Change: string(diff.Change)})
		d.Counts[string(diff.Change)]++
	}
	if prev != nil {
		d.Choices = append(d.Choices, views.CompareChoice{Label: views.T(ctx, "compare.with_cycle", map[string]any{"Cycle": prev.CycleLabel}), Query: "", Current: from == ""})
	}
	for i := 1; i < len(rc.versions); i++ {
		if _, ok := readable(&rc.versions[i-1]); !ok {
			continue
		}
		if _, ok := readable(&rc.versions[i]); !ok {
			continue
		}
		q := "?from=" + strconv.Itoa(i) + "&to=" + strconv.Itoa(i+1)
		d.Choices = append(d.Choices, views.CompareChoice{Label: views.T(ctx, "compare.versions", map[string]any{"From": i, "To": i + 1}),
			Query: q, Current: from == strconv.Itoa(i) && to == strconv.Itoa(i+1)})
	}
	s.render(c, http.StatusOK, views.ComparePage(s.page(c, views.T(ctx, "compare.title")), d))
}

// values reads the answer values of a report version.
func (s *Server) values(c *gin.Context, reportID int64) (map[string]surveys.Value, error) {
	stored, err := s.db.ListAnswers(c.Request.Context(), reportID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]surveys.Value, len(stored))
	for code, a := range stored {
		out[code] = a.Value
	}
	return out, nil
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
func (s *Server) reportPrint(c *gin.Context) {
	rc, ok := s.loadStarted(c)
	if !ok {
		return
	}
	_, vals, err := s.answersFor(c, rc)
	if err != nil {
		s.fail(c, err)
		return
	}
	vals = visibleAnswers(rc.tmpl, vals)
	d := views.PrintData{H: s.header(rc), Template: rc.tmpl, Answers: vals, Thematic: rc.cycle.ThematicEnabled,
		Overview: surveys.NormOverview(rc.tmpl, vals), Draft: rc.report.Status == models.StatusDraft || rc.report.Status == models.StatusReview}
	p := s.page(c, rc.state.Name+" · "+rc.cycle.Label)
	p.Wide = true
	s.render(c, http.StatusOK, views.PrintPage(p, d))
}
