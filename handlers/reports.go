package handlers

import (
	"fmt"
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

func (rc *reportCtx) ref() surveys.ReportRef { return refOf(rc.report) }

// latest reports whether the loaded version is the newest one.
func (rc *reportCtx) latest() bool {
	return rc.report != nil && len(rc.versions) > 0 && rc.versions[len(rc.versions)-1].ID == rc.report.ID
}

// canEdit: State members edit the newest version while it is a draft.
func (rc *reportCtx) canEdit() bool {
	return rc.member && rc.report != nil && rc.latest() && rc.report.Status == surveys.ReportDraft
}

// canAssign: the focal point may assign the sections of the latest version
// while it is being written or signed off.
func (rc *reportCtx) canAssign() bool {
	return rc.isFocal() && rc.report != nil && rc.latest() && surveys.Unsubmitted(rc.report.Status)
}

// isFocal: the State's focal point, who submits and decides on publication.
func (rc *reportCtx) isFocal() bool {
	return rc.member && rc.user.Role == models.RoleFocalPoint
}

// loadReport reads :iso3 and :cycle (and ?v= for an older version) and
// applies the one visibility check, surveys.Audience. A report the viewer
// may not read is a 404, so its existence does not leak.
func (s *Server) loadReport(c *gin.Context) (*reportCtx, error) {
	ctx := c.Request.Context()
	rc := &reportCtx{user: currentUser(c)}
	st, err := s.db.GetState(ctx, c.Param("iso3"))
	if err != nil {
		return nil, err
	}
	rc.state = *st
	if rc.cycle, rc.versions, err = s.db.CycleVersions(ctx, c.Param("cycle"), st.ISO3); err != nil {
		return nil, err
	}
	if rc.tmpl, err = s.template(rc.cycle); err != nil {
		return nil, err
	}
	reader := readerOf(rc.user)
	rc.member = reader.IsStateMember(surveys.ReportRef{StateISO3: st.ISO3})
	if len(rc.versions) == 0 {
		if !rc.member {
			return nil, errNotFound
		}
		return rc, nil
	}
	asked := 0
	if v := c.Query("v"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > len(rc.versions) {
			return nil, errNotFound
		}
		asked = n
	}
	i, aud, ok := surveys.ReadableVersion(reader, rc.refs(), asked)
	if !ok {
		return nil, errNotFound
	}
	rc.report, rc.audience = &rc.versions[i], aud
	return rc, nil
}

// refs are the versions of the report as access decisions see them.
func (rc *reportCtx) refs() []surveys.ReportRef { return refsOf(rc.versions) }

// refOf is a report version as access decisions see it.
func refOf(r *models.Report) surveys.ReportRef {
	return surveys.ReportRef{StateISO3: r.StateISO3, Status: r.Status, Visibility: r.Visibility}
}

// refsOf is refOf for each version.
func refsOf(versions []models.Report) []surveys.ReportRef {
	out := make([]surveys.ReportRef, len(versions))
	for i := range versions {
		out[i] = refOf(&versions[i])
	}
	return out
}

// template is the survey template a cycle uses.
func (s *Server) template(cy *models.Cycle) (*surveys.Template, error) {
	t, ok := s.templates[cy.TemplateVersion]
	if !ok {
		return nil, fmt.Errorf("cycle %s uses unknown template %s", cy.Label, cy.TemplateVersion)
	}
	return t, nil
}

// loadStarted is loadReport for pages of a report that exists: before the
// State starts its report, they are not found.
func (s *Server) loadStarted(c *gin.Context) (*reportCtx, error) {
	rc, err := s.loadReport(c)
	if err == nil && rc.report == nil {
		return nil, errNotFound
	}
	return rc, err
}

// mayEdit refuses unless the viewer may edit the report now: a State
// member sees a locked report, anyone else a forbidden one.
func (rc *reportCtx) mayEdit() error {
	if rc.canEdit() {
		return nil
	}
	if rc.member && rc.report != nil {
		return errReportLocked
	}
	return errForbidden
}

// answersFor returns the answers of the loaded version as its audience may
// see them.
func (s *Server) answersFor(c *gin.Context, rc *reportCtx) (map[string]models.Answer, map[string]surveys.Value, error) {
	stored, err := s.db.ListAnswers(c.Request.Context(), rc.report.ID)
	if err != nil {
		return nil, nil, err
	}
	return stored, rc.tmpl.ForAudience(rc.audience, models.Values(stored)), nil
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
		Assignable: rc.canAssign(),
	}
	if rc.cycle.ThematicEnabled {
		h.ThematicPriority = rc.cycle.ThematicPriority
	}
	if rc.report != nil {
		h.Version, h.Status, h.Visibility, h.Latest = rc.report.Version, rc.report.Status, rc.report.Visibility, rc.latest()
		h.SubmittedAt, h.ReportLang = rc.report.SubmittedAt, rc.report.Lang
		for _, i := range surveys.ReadableVersions(readerOf(rc.user), rc.refs()) {
			h.Versions = append(h.Versions, rc.versions[i].Version)
		}
	}
	return h
}
