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
func (s *Server) home(c *gin.Context) {
	ctx := c.Request.Context()
	u := currentUser(c)
	d := views.HomeData{}
	cycles, err := s.db.ListCycles(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	d.Cycles = cycles
	cur, err := s.db.CurrentCycle(ctx, s.now())
	switch {
	case errors.Is(err, models.ErrNotFound):
	case err != nil:
		s.fail(c, err)
		return
	default:
		d.Current = cur
		d.DaysToDue = daysBetween(s.now(), cur.DueOn)
		counts, err := s.statusCounts(c, cur)
		if err != nil {
			s.fail(c, err)
			return
		}
		d.Counts = counts
	}
	states, err := s.db.ListStates(ctx, "")
	if err != nil {
		s.fail(c, err)
		return
	}
	d.StateCount = len(states)
	if u != nil && u.StateISO3 != "" {
		st, err := s.db.GetState(ctx, u.StateISO3)
		if err != nil {
			s.fail(c, err)
			return
		}
		d.State = st
		if cur != nil {
			r, err := s.db.GetReport(ctx, u.StateISO3, cur.Label, 0)
			switch {
			case errors.Is(err, models.ErrNotFound):
			case err != nil:
				s.fail(c, err)
				return
			default:
				d.Report = r
			}
		}
	}
	if u != nil && u.Role == models.RoleAdmin {
		users, err := s.db.ListUsers(ctx)
		if err != nil {
			s.fail(c, err)
			return
		}
		d.UserCount = len(users)
	}
	s.render(c, http.StatusOK, views.HomePage(s.page(c, views.T(ctx, "home.title")), d))
}
