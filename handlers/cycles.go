package handlers

import (
	"encoding/csv"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
	"github.com/natreport/natreport/views"
)

func (s *Server) cyclesList(c *gin.Context) error {
	cycles, err := s.db.ListCycles(c.Request.Context())
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, views.CyclesPage(s.page(c, views.T(c.Request.Context(), "cycles.title")), cycleViews(cycles)))
	return nil
}

// loadCycle reads the :cycle parameter; an unknown cycle is a 404.
func (s *Server) loadCycle(c *gin.Context) (*models.Cycle, error) {
	return s.db.GetCycle(c.Request.Context(), c.Param("cycle"))
}

// cycleShow shows a cycle; the secretariat and admins also get the status
// board of every State, filterable and downloadable as CSV.
func (s *Server) cycleShow(c *gin.Context) error {
	cy, err := s.loadCycle(c)
	if err != nil {
		return err
	}
	rows, err := s.boardRows(c, cy)
	if err != nil {
		return err
	}
	f := views.BoardFilter{Group: c.Query("group"), Status: c.Query("status")}
	cv := cycleView(cy)
	d := views.CycleData{Cycle: &cv, DaysToDue: daysBetween(s.now(), cy.DueOn), Filter: f,
		Rows: filterBoard(rows, f), Groups: groupCounts(rows), Full: isStaff(currentUser(c))}
	s.render(c, http.StatusOK, views.CyclePage(s.page(c, cy.ProcessName+" "+cy.Label), d))
	return nil
}

func isStaff(u *models.User) bool {
	return u != nil && surveys.IsStaff(u.Role)
}

// boardRows is the board as the viewer may see it: staff see every
// status; everyone else sees only what was published to them.
func (s *Server) boardRows(c *gin.Context, cy *models.Cycle) ([]views.BoardRow, error) {
	board, err := s.db.CycleBoard(c.Request.Context(), cy.ID)
	if err != nil {
		return nil, err
	}
	u := currentUser(c)
	reader := readerOf(u)
	out := make([]views.BoardRow, 0, len(board))
	for _, b := range board {
		row := views.BoardRow{State: stateRef(b.State), Status: "none"}
		if b.Report != nil {
			ref := surveys.ReportRef{StateISO3: b.State.ISO3, Status: b.Report.Status, Visibility: b.Report.Visibility}
			_, canRead := surveys.Audience(reader, ref)
			switch {
			case isStaff(u) || reader.IsStateMember(ref):
				row.Status, row.Version, row.LastActivity = b.Report.Status, b.Report.Version, b.LastActivity
			case canRead:
				row.Status, row.Version = b.Report.Status, b.Report.Version
			default:
				row.Status = surveys.UnreadableStatus(ref)
			}
			row.CanRead = canRead
		}
		out = append(out, row)
	}
	return out, nil
}

func filterBoard(rows []views.BoardRow, f views.BoardFilter) []views.BoardRow {
	if f.Group == "" && f.Status == "" {
		return rows
	}
	var out []views.BoardRow
	for _, r := range rows {
		if (f.Group == "" || views.GroupValue(r.State.RegionalGroup) == f.Group) && (f.Status == "" || r.Status == f.Status) {
			out = append(out, r)
		}
	}
	return out
}

// groupCounts counts States per regional group and status.
func groupCounts(rows []views.BoardRow) []views.GroupCount {
	idx := map[string]int{}
	var out []views.GroupCount
	for _, r := range rows {
		g := r.State.RegionalGroup
		i, ok := idx[g]
		if !ok {
			i = len(out)
			idx[g] = i
			out = append(out, views.GroupCount{Group: g, ByStatus: map[string]int{}})
		}
		out[i].ByStatus[r.Status]++
		out[i].Total++
	}
	return out
}

// cycleBoardCSV downloads the status board, with the same filters.
func (s *Server) cycleBoardCSV(c *gin.Context) error {
	cy, err := s.loadCycle(c)
	if err != nil {
		return err
	}
	all, err := s.boardRows(c, cy)
	if err != nil {
		return err
	}
	rows := filterBoard(all, views.BoardFilter{Group: c.Query("group"), Status: c.Query("status")})
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="status-`+cy.Label+`.csv"`)
	w := csv.NewWriter(c.Writer)
	_ = w.Write([]string{"iso3", "state", "regional_group", "status", "version", "last_activity", "days_to_due"}) // errors stick: w.Error below
	days := daysBetween(s.now(), cy.DueOn)
	for _, r := range rows {
		last, version := "", ""
		if r.LastActivity != nil {
			last = r.LastActivity.UTC().Format(time.RFC3339)
		}
		if r.Version > 0 {
			version = views.Itoa(r.Version)
		}
		_ = w.Write([]string{r.State.ISO3, r.State.Name, r.State.RegionalGroup, r.Status, version, last, views.Itoa(days)})
	}
	w.Flush()
	return w.Error()
}

func daysBetween(now, due time.Time) int {
	d := due.Sub(now.Truncate(24 * time.Hour))
	return int(d.Hours() / 24)
}

// cycleForm reads and checks the cycle form.
func (s *Server) cycleForm(c *gin.Context) (views.CycleForm, models.Cycle) {
	f := views.CycleForm{
		Label: strings.TrimSpace(c.PostForm("label")), ProcessName: strings.TrimSpace(c.PostForm("process_name")),
		OpensOn: c.PostForm("opens_on"), DueOn: c.PostForm("due_on"), ClosesOn: c.PostForm("closes_on"),
		ConferenceOn: c.PostForm("conference_on"), ThematicPriority: strings.TrimSpace(c.PostForm("thematic_priority")),
		ThematicEnabled: c.PostForm("thematic_enabled") == "on", TemplateVersion: c.PostForm("template_version"),
		Errors: textErrors(c),
	}
	f.Versions = s.versions()
	cy := models.Cycle{Label: f.Label, ProcessName: f.ProcessName, ThematicPriority: f.ThematicPriority,
		ThematicEnabled: f.ThematicEnabled, TemplateVersion: f.TemplateVersion}
	if !models.ValidCycleLabel(f.Label) {
		f.Errors["label"] = "cycle.error_label_years"
	}
	if f.ProcessName == "" || len(f.ProcessName) > 200 {
		f.Errors["process_name"] = "cycle.error_process"
	}
	parse := func(field, val string, dst *time.Time) {
		t, err := time.Parse("2006-01-02", val)
		if err != nil {
			f.Errors[field] = "error.date"
			return
		}
		*dst = t
	}
	parse("opens_on", f.OpensOn, &cy.OpensOn)
	parse("due_on", f.DueOn, &cy.DueOn)
	parse("closes_on", f.ClosesOn, &cy.ClosesOn)
	if f.ConferenceOn != "" {
		var t time.Time
		parse("conference_on", f.ConferenceOn, &t)
		cy.ConferenceOn = &t
	}
	if len(f.Errors) == 0 && (cy.DueOn.Before(cy.OpensOn) || cy.ClosesOn.Before(cy.DueOn)) {
		f.Errors["due_on"] = "cycle.error_order"
	}
	if _, ok := s.templates[f.TemplateVersion]; !ok {
		f.Errors["template_version"] = "cycle.error_template"
	}
	return f, cy
}

func (s *Server) cycleNewForm(c *gin.Context) error {
	f := views.CycleForm{ProcessName: "Global Mechanism on ICT security", TemplateVersion: views.LatestTemplate, Errors: map[string]string{}}
	f.Versions = s.versions()
	s.render(c, http.StatusOK, views.CycleFormPage(s.page(c, views.T(c.Request.Context(), "cycles.new")), f))
	return nil
}

func (s *Server) cycleCreate(c *gin.Context) error {
	f, cy := s.cycleForm(c)
	if len(f.Errors) == 0 {
		err := s.db.CreateCycle(c.Request.Context(), &cy, actorOf(c))
		switch {
		case errors.Is(err, models.ErrDuplicate):
			f.Errors["label"] = "cycle.error_duplicate"
		case err != nil:
			return err
		default:
			s.redirect(c, "/cycles/"+cy.Label, "cycle_saved")
			return nil
		}
	}
	s.render(c, http.StatusUnprocessableEntity, views.CycleFormPage(s.page(c, views.T(c.Request.Context(), "cycles.new")), f))
	return nil
}

func (s *Server) cycleEditForm(c *gin.Context) error {
	cy, err := s.loadCycle(c)
	if err != nil {
		return err
	}
	f := views.CycleFormFrom(cycleView(cy))
	f.Versions = s.versions()
	s.render(c, http.StatusOK, views.CycleFormPage(s.page(c, views.T(c.Request.Context(), "cycles.edit")), f))
	return nil
}

func (s *Server) cycleUpdate(c *gin.Context) error {
	old, err := s.loadCycle(c)
	if err != nil {
		return err
	}
	f, cy := s.cycleForm(c)
	f.Editing = true
	cy.ID = old.ID
	reports, err := s.db.LatestReportsForCycle(c.Request.Context(), old.ID)
	if err != nil {
		return err
	}
	used := len(reports) > 0
	// The template of a cycle that has reports never changes.
	if used && cy.TemplateVersion != old.TemplateVersion {
		f.Errors["template_version"] = "cycle.error_template_locked"
	}
	if len(f.Errors) == 0 {
		err := s.db.UpdateCycle(c.Request.Context(), &cy, actorOf(c))
		switch {
		case errors.Is(err, models.ErrDuplicate):
			f.Errors["label"] = "cycle.error_duplicate"
		case err != nil:
			return err
		default:
			s.redirect(c, "/cycles/"+cy.Label, "cycle_saved")
			return nil
		}
	}
	s.render(c, http.StatusUnprocessableEntity, views.CycleFormPage(s.page(c, views.T(c.Request.Context(), "cycles.edit")), f))
	return nil
}

// actorOf is who makes a change, for the audit log.
func actorOf(c *gin.Context) models.Actor {
	a := models.Actor{IP: c.ClientIP()}
	if u := currentUser(c); u != nil {
		a.UserID, a.Email = u.ID, u.Email
	}
	return a
}

// readerOf is who reads, for visibility decisions.
func readerOf(u *models.User) surveys.Reader {
	if u == nil {
		return surveys.Reader{}
	}
	return surveys.Reader{Role: u.Role, StateISO3: u.StateISO3}
}
