package handlers

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/views"
)

// home shows each role what it works on: a focal point their State and the
// current cycle, the secretariat and donors the cycles and States.
func (s *Server) home(c *gin.Context) error {
	ctx := c.Request.Context()
	u := currentUser(c)
	cycles, err := s.db.ListCycles(ctx)
	if err != nil {
		return err
	}
	d := views.HomeData{Cycles: cycleViews(cycles)}
	cur, err := s.db.CurrentCycle(ctx, s.now())
	switch {
	case errors.Is(err, models.ErrNotFound):
		cur = nil
	case err != nil:
		return err
	default:
		cv := cycleView(cur)
		d.Current, d.DaysToDue = &cv, daysBetween(s.now(), cur.DueOn)
		if d.Counts, err = s.statusCounts(c, cur); err != nil {
			return err
		}
	}
	states, err := s.db.ListStates(ctx, "")
	if err != nil {
		return err
	}
	d.StateCount = len(states)
	if u != nil && u.StateISO3 != "" {
		if err := s.homeState(c, u.StateISO3, cur, &d); err != nil {
			return err
		}
	}
	if u != nil && u.Role == models.RoleAdmin {
		users, err := s.db.ListUsers(ctx)
		if err != nil {
			return err
		}
		d.UserCount = len(users)
	}
	s.render(c, http.StatusOK, views.HomePage(s.page(c, views.T(ctx, "home.title")), d))
	return nil
}

// homeState fills the viewer's State and its report in the current cycle.
func (s *Server) homeState(c *gin.Context, iso3 string, cur *models.Cycle, d *views.HomeData) error {
	ctx := c.Request.Context()
	st, err := s.db.GetState(ctx, iso3)
	if err != nil {
		return err
	}
	sv := stateRef(*st)
	d.State = &sv
	if cur == nil {
		return nil
	}
	r, err := s.db.GetReport(ctx, iso3, cur.Label, 0)
	switch {
	case errors.Is(err, models.ErrNotFound):
	case err != nil:
		return err
	default:
		d.Report = &views.ReportStatus{Status: r.Status, Version: r.Version}
	}
	return nil
}
