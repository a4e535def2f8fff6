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

// reportCtx is one report version as a request sees it: who asks, which
// copy they may see, and what they may do.
type reportCtx struct {
	user     *models.User
	state    models.State
	cycle    *models.Cycle
	tmpl     *surveys.Template
	report   *models.Report // nil when the State has not started
	versions []models.Report
	audience string // surveys.Aud*; "" when not started
	member   bool   // the viewer works for the State
}

func (rc *reportCtx) ref() surveys.ReportRef {
	return surveys.ReportRef{StateISO3: rc.state.ISO3, Status: rc.report.Status, Visibility: rc.report.Visibility}
}

// latest reports whether the loaded version is the newest one.
func (rc *reportCtx) latest() bool {
	return rc.report != nil && len(rc.versions) > 0 && rc.versions[len(rc.versions)-1].ID == rc.report.ID
}

// canEdit: State members edit the newest version while it is a draft.
func (rc *reportCtx) canEdit() bool {
	return rc.member && rc.report != nil && rc.latest() && rc.report.Status == surveys.ReportDraft
}

// isFocal: the State's focal point, who submits and decides on publication.
func (rc *reportCtx) isFocal() bool {
	return rc.member && rc.user.Role == models.RoleFocalPoint
}

// loadReport reads :iso3 and :cycle (and ?v= for an older version) and
// applies the one visibility check, surveys.Audience. A report the viewer
// may not read is a 404, so its existence does not leak.
func (s *Server) loadReport(c *gin.Context) (*reportCtx, bool) {
	ctx := c.Request.Context()
	rc := &reportCtx{user: currentUser(c)}
	st, err := s.db.GetState(ctx, c.Param("iso3"))
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	rc.state = *st
	cy, ok := s.loadCycle(c)
	if !ok {
		return nil, false
	}
	rc.cycle = cy
	rc.tmpl, ok = s.templates[cy.TemplateVersion]
	if !ok {
		s.fail(c, errors.New("cycle "+cy.Label+" uses unknown template "+cy.TemplateVersion))
		return nil, false
	}
	reader := readerOf(rc.user)
	rc.member = reader.IsStateMember(surveys.ReportRef{StateISO3: st.ISO3})
	rc.versions, err = s.db.ListReportVersions(ctx, st.ISO3, cy.Label)
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	if len(rc.versions) == 0 {
		if !rc.member {
			s.fail(c, errNotFound)
			return nil, false
		}
		return rc, true
	}
	rc.report = &rc.versions[len(rc.versions)-1]
	if v := c.Query("v"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > len(rc.versions) {
			s.fail(c, errNotFound)
			return nil, false
		}
		rc.report = &rc.versions[n-1]
	}
	aud, ok := surveys.Audience(reader, rc.ref())
	if !ok {
		// An older readable version may exist (a published v1 while v2 is drafted).
		if c.Query("v") == "" {
			for i := len(rc.versions) - 2; i >= 0; i-- {
				ref := surveys.ReportRef{StateISO3: st.ISO3, Status: rc.versions[i].Status, Visibility: rc.versions[i].Visibility}
				if a, ok := surveys.Audience(reader, ref); ok {
					rc.report, aud = &rc.versions[i], a
					break
				}
			}
		}
		if aud == "" {
			s.fail(c, errNotFound)
			return nil, false
		}
	}
	rc.audience = aud
	return rc, true
}

// loadStarted is loadReport for pages of a report that exists: before the
// State starts its report, they are not found.
func (s *Server) loadStarted(c *gin.Context) (*reportCtx, bool) {
	rc, ok := s.loadReport(c)
	if ok && rc.report == nil {
		s.fail(c, errNotFound)
		return nil, false
	}
	return rc, ok
}

// requireEdit ends the request unless the viewer may edit the report now.
func (s *Server) requireEdit(c *gin.Context, rc *reportCtx) bool {
	if rc.canEdit() {
		return true
	}
	if rc.member && rc.report != nil {
		s.fail(c, errReportLocked)
	} else {
		s.fail(c, errForbidden)
	}
	return false
}

var errReportLocked = &httpError{http.StatusConflict, "report.locked", nil}

// answersFor returns the answers of the loaded version as its audience may
// see them.
func (s *Server) answersFor(c *gin.Context, rc *reportCtx) (map[string]models.Answer, map[string]surveys.Value, error) {
	stored, err := s.db.ListAnswers(c.Request.Context(), rc.report.ID)
	if err != nil {
		return nil, nil, err
	}
	vals := make(map[string]surveys.Value, len(stored))
	for code, a := range stored {
		vals[code] = a.Value
	}
	return stored, rc.tmpl.ForAudience(rc.audience, vals), nil
}

func (rc *reportCtx) basePath() string {
	return "/reports/" + rc.state.ISO3 + "/" + rc.cycle.Label
}

// header builds the report header for views.
func (s *Server) header(rc *reportCtx) views.ReportHeader {
	h := views.ReportHeader{
		StateISO3: rc.state.ISO3, StateName: rc.state.Name, Cycle: rc.cycle.Label, ProcessName: rc.cycle.ProcessName,
		DueOn: rc.cycle.DueOn, DaysToDue: daysBetween(s.now(), rc.cycle.DueOn), Audience: rc.audience,
		Member: rc.member, Focal: rc.isFocal(), CanEdit: rc.canEdit(), Staff: isStaff(rc.user), Base: rc.basePath(),
	}
	if rc.report != nil {
		h.Version, h.Status, h.Visibility, h.Latest = rc.report.Version, rc.report.Status, rc.report.Visibility, rc.latest()
		h.SubmittedAt = rc.report.SubmittedAt
		reader := readerOf(rc.user)
		for _, v := range rc.versions {
			if _, ok := surveys.Audience(reader, surveys.ReportRef{StateISO3: rc.state.ISO3, Status: v.Status, Visibility: v.Visibility}); ok {
				h.Versions = append(h.Versions, v.Version)
			}
		}
	}
	return h
}
