package handlers

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
	"github.com/natreport/natreport/views"
)

// reportShow is the report overview: status, due date, progress per part
// and section, who works on what. A State member sees the start page when
// the State has not started yet.
func (s *Server) reportShow(c *gin.Context) error {
	rc, err := s.loadReport(c)
	if err != nil {
		return err
	}
	d := views.ReportData{H: s.header(rc), Visibilities: surveys.VisibilityLevels}
	title := rc.state.Name + " · " + rc.cycle.Label
	if rc.report == nil {
		if err := s.carryOptions(c, rc, &d); err != nil {
			return err
		}
		s.render(c, http.StatusOK, views.ReportStartPage(s.page(c, title), d))
		return nil
	}
	stored, vals, err := s.answersFor(c, rc)
	if err != nil {
		return err
	}
	var assigned map[string]models.User
	if rc.member {
		if assigned, err = s.db.SectionAssignments(c.Request.Context(), rc.report.ID); err != nil {
			return err
		}
		if d.Contributors, err = s.activeUsers(c, rc.state.ISO3); err != nil {
			return err
		}
	}
	d.Overall = surveys.TemplateProgressFor(rc.audience, rc.tmpl, vals, rc.cycle.ThematicEnabled)
	d.Parts = partSummaries(rc, views.Lang(c.Request.Context()), stored, vals, assigned)
	prev, err := s.previousReport(c, rc)
	if err != nil {
		return err
	}
	d.HasPrevious = prev != nil
	s.render(c, http.StatusOK, views.ReportPage(s.page(c, title), d))
	return nil
}

// partSummaries is the progress of each part and section of the report,
// with who works on each section and, for the State, what was carried.
func partSummaries(rc *reportCtx, lang string, stored map[string]models.Answer, vals map[string]surveys.Value, assigned map[string]models.User) []views.PartSummary {
	var out []views.PartSummary
	for i := range rc.tmpl.Parts {
		p := &rc.tmpl.Parts[i]
		if p.Thematic && !rc.cycle.ThematicEnabled {
			continue
		}
		ps := views.PartSummary{Code: p.Code, Title: p.Title.In(lang), Progress: surveys.PartProgressFor(rc.audience, p, vals)}
		for j := range p.Sections {
			sec := &p.Sections[j]
			ss := views.SectionSummary{Code: sec.Code, Title: sec.Title.In(lang), Progress: surveys.SectionProgressFor(rc.audience, p, sec, vals)}
			if u, ok := assigned[sec.Code]; ok {
				ss.Assignee, ss.AssigneeID = u.Name, u.ID
			}
			if rc.member {
				for _, q := range sec.Questions {
					if a, ok := stored[q.Code]; ok && a.CarriedFrom != "" {
						ss.Carried++
					}
				}
			}
			ps.Sections = append(ps.Sections, ss)
		}
		out = append(out, ps)
	}
	return out
}

// previousReport is the State's last submitted report of an earlier cycle
// that the viewer may read, or nil.
func (s *Server) previousReport(c *gin.Context, rc *reportCtx) (*models.Report, error) {
	prev, err := s.db.LastSubmittedReport(c.Request.Context(), rc.state.ISO3, rc.cycle)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if _, ok := rc.readable(prev); !ok {
		return nil, nil
	}
	return prev, nil
}

// carryOptions lists the sections of the State's last submitted report
// that can prefill a new one.
func (s *Server) carryOptions(c *gin.Context, rc *reportCtx, d *views.ReportData) error {
	prev, err := s.previousReport(c, rc)
	if err != nil || prev == nil {
		return err
	}
	sources, err := s.carrySources(c.Request.Context(), rc.tmpl, prev)
	if err != nil {
		return err
	}
	d.CarryFrom = prev.CycleLabel
	lang := views.Lang(c.Request.Context())
	for _, sec := range rc.tmpl.Sections() {
		n := 0
		for _, q := range sec.Questions {
			if _, ok := sources[q.Code]; ok {
				n++
			}
		}
		if n > 0 {
			d.CarryOptions = append(d.CarryOptions, views.CarryOption{Code: sec.Code, Title: sec.Title.In(lang), Answers: n})
		}
	}
	return nil
}

// reportStart creates the State's report for the cycle, prefilled section
// by section from its last submitted report where the person chose so.
func (s *Server) reportStart(c *gin.Context) error {
	rc, err := s.loadReport(c)
	if err != nil {
		return err
	}
	if !rc.member {
		return errForbidden
	}
	if rc.report != nil {
		s.redirect(c, rc.basePath(), "")
		return nil
	}
	ctx := c.Request.Context()
	r := &models.Report{StateISO3: rc.state.ISO3, CycleID: rc.cycle.ID, Version: 1, Status: models.StatusDraft,
		Visibility: models.VisibilityRestricted, Lang: views.Lang(ctx)}
	err = s.db.CreateReport(ctx, r, actorOf(c))
	if errors.Is(err, models.ErrDuplicate) {
		s.redirect(c, rc.basePath(), "")
		return nil
	}
	if err != nil {
		return err
	}
	if chosen := c.PostFormArray("carry"); len(chosen) > 0 {
		if err := s.carryForward(c, rc, r, chosen); err != nil {
			return err
		}
	}
	s.redirect(c, rc.basePath(), "report_started")
	return nil
}

// carryForward prefills the chosen sections of the new report r from the
// State's last submitted report.
func (s *Server) carryForward(c *gin.Context, rc *reportCtx, r *models.Report, chosen []string) error {
	prev, err := s.previousReport(c, rc)
	if err != nil || prev == nil {
		return err
	}
	sections := map[string][]string{}
	for _, code := range chosen {
		sec, _, ok := rc.tmpl.Section(code)
		if !ok {
			continue
		}
		for _, q := range sec.Questions {
			sections[code] = append(sections[code], q.Code)
		}
	}
	// Across template versions the answers follow the new version's
	// replaces mapping (surveys.CarrySources).
	sources, err := s.carrySources(c.Request.Context(), rc.tmpl, prev)
	if err != nil {
		return err
	}
	return s.db.CarryForwardMapped(c.Request.Context(), r.ID, prev.ID, sections, sources, prev.CycleLabel, actorOf(c))
}

// activeUsers are the State's users a section can be assigned to.
func (s *Server) activeUsers(c *gin.Context, iso3 string) ([]views.User, error) {
	all, err := s.db.ListUsersByState(c.Request.Context(), iso3)
	if err != nil {
		return nil, err
	}
	var out []views.User
	for _, u := range all {
		if !u.Disabled {
			out = append(out, userRow(u))
		}
	}
	return out, nil
}
