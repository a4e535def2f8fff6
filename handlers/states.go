package handlers

import (
	"errors"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/views"
)

func (s *Server) statesList(c *gin.Context) error {
	ctx := c.Request.Context()
	group := c.Query("group")
	groups, err := s.db.RegionalGroups(ctx)
	if err != nil {
		return err
	}
	if group != "" && !slices.Contains(groups, group) {
		return errBadRequest
	}
	states, err := s.db.ListStates(ctx, group)
	if err != nil {
		return err
	}
	statuses, cycleLabel, err := s.currentStatuses(c)
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, views.StatesPage(s.page(c, views.T(ctx, "states.title")), views.StatesData{
		States: stateRefs(states), Groups: groups, Group: group, Status: statuses, Cycle: cycleLabel,
	}))
	return nil
}

// currentStatuses returns, for the current cycle, each State's report
// status as the viewer may see it (see boardRows).
func (s *Server) currentStatuses(c *gin.Context) (map[string]string, string, error) {
	cur, err := s.db.CurrentCycle(c.Request.Context(), s.now())
	if errors.Is(err, models.ErrNotFound) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	rows, err := s.boardRows(c, cur)
	if err != nil {
		return nil, "", err
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.State.ISO3] = r.Status
	}
	return out, cur.Label, nil
}

// statusCounts counts States per report status in a cycle, as the viewer
// may see them.
func (s *Server) statusCounts(c *gin.Context, cy *models.Cycle) (map[string]int, error) {
	rows, err := s.boardRows(c, cy)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Status]++
	}
	return out, nil
}
