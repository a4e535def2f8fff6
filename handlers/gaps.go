package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
	"github.com/natreport/natreport/views"
)

// cycleData is a cycle as one reader may read it: every State, the copy
// of its report the reader may read (if any), and the gap summary made of
// those copies only.
type cycleData struct {
	cycle  *models.Cycle
	tmpl   *surveys.Template
	reader surveys.Reader
	states []surveys.GapState // every State, sorted by name
	// read holds, per State shared with the reader, the version read.
	read map[string]*models.Report
	// register is the cycle's needs the reader may read.
	register []models.Need
	gaps     *surveys.Gaps
}

// readCycle loads what reader may read of cycle cy: for each State the
// newest version they may read (surveys.ReadableVersion), as their
// audience sees it, and whether a report is withheld from them; the
// needs register as the reader may read it; the gap summary. The previous
// cycle, when there is one, is read the same way for progress, with only
// the answers the summary reads.
func (s *Server) readCycle(ctx context.Context, reader surveys.Reader, cy *models.Cycle) (*cycleData, error) {
	return s.readCycleCodes(ctx, reader, cy, false)
}

// readCycleCodes is readCycle; gapsOnly reads only the answers the gap
// summary needs (surveys.GapCodes), not enough for exports or annexes.
func (s *Server) readCycleCodes(ctx context.Context, reader surveys.Reader, cy *models.Cycle, gapsOnly bool) (*cycleData, error) {
	d, all, err := s.readCopies(ctx, reader, cy, gapsOnly)
	if err != nil {
		return nil, err
	}
	t := d.tmpl
	groups, err := s.db.RegionalGroups(ctx)
	if err != nil {
		return nil, err
	}
	if d.register, err = s.db.ListNeeds(ctx, reader, models.NeedFilter{Cycle: cy.Label}); err != nil {
		return nil, err
	}
	in := surveys.GapInput{Template: t, Groups: groups, States: d.states, Needs: registerNeeds(d.register)}
	prev, err := s.db.PreviousCycle(ctx, cy)
	switch {
	case errors.Is(err, models.ErrNotFound):
	case err != nil:
		return nil, err
	default:
		if pt, ok := s.templates[prev.TemplateVersion]; ok {
			in.PrevTemplate = pt
			// The cycle before counts in progress only: the answers the
			// summary reads are enough, whoever asks for the whole cycle.
			if in.Previous, _, err = s.gapStates(ctx, reader, prev, pt, all, true); err != nil {
				return nil, err
			}
		}
	}
	d.gaps = surveys.ComputeGaps(in)
	return d, nil
}

// readCopies is readCycle without the gap summary (d.gaps is nil) and
// without the previous cycle: the copies of cy the reader may read, as the
// long-format export needs them. It returns every State too.
func (s *Server) readCopies(ctx context.Context, reader surveys.Reader, cy *models.Cycle, gapsOnly bool) (*cycleData, []models.State, error) {
	t, err := s.template(cy)
	if err != nil {
		return nil, nil, err
	}
	all, err := s.db.ListStates(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	d := &cycleData{cycle: cy, tmpl: t, reader: reader}
	d.states, d.read, err = s.gapStates(ctx, reader, cy, t, all, gapsOnly)
	return d, all, err
}

// registerNeeds gives the gap summary what it counts of each need.
func registerNeeds(ns []models.Need) []surveys.RegisterNeed {
	out := make([]surveys.RegisterNeed, len(ns))
	for i, n := range ns {
		out[i] = surveys.RegisterNeed{Group: n.RegionalGroup, CMM: n.CMM, Type: n.Type, Status: n.Status}
	}
	return out
}

// gapStates classifies every State of all for reader in cycle cy.
func (s *Server) gapStates(ctx context.Context, reader surveys.Reader, cy *models.Cycle, t *surveys.Template, all []models.State, gapsOnly bool) ([]surveys.GapState, map[string]*models.Report, error) {
	versions, err := s.db.CycleReportVersions(ctx, cy.ID)
	if err != nil {
		return nil, nil, err
	}
	out := make([]surveys.GapState, len(all))
	read := map[string]*models.Report{}
	var ids []int64
	for i, st := range all {
		g := surveys.GapState{ISO3: st.ISO3, Name: st.Name, Group: st.RegionalGroup}
		vs := versions[st.ISO3]
		refs := refsOf(vs)
		if idx, aud, ok := surveys.ReadableVersion(reader, refs, 0); ok {
			g.Shared, g.Audience = true, aud
			read[st.ISO3] = &vs[idx]
			ids = append(ids, vs[idx].ID)
		} else {
			g.Withheld = surveys.Withheld(reader, refs)
		}
		out[i] = g
	}
	var codes []string
	if gapsOnly {
		codes = surveys.GapCodes(t)
	}
	vals, err := s.db.AnswerValues(ctx, ids, codes...)
	if err != nil {
		return nil, nil, err
	}
	for i := range out {
		if r, ok := read[out[i].ISO3]; ok {
			out[i].Answers = surveys.ReaderCopy(t, out[i].Audience, vals[r.ID])
		}
	}
	return out, read, nil
}

// gapsPage is the capacity-gap summary of a cycle, made only of what the
// reader may read; ?norm=&group= opens the States behind one cell.
func (s *Server) gapsPage(c *gin.Context) error {
	cy, err := s.db.GetCycle(c.Request.Context(), c.Param("cycle"))
	if err != nil {
		return err
	}
	d, err := s.readGaps(c.Request.Context(), readerOf(currentUser(c)), cy)
	if err != nil {
		return err
	}
	v := views.GapsData{Cycle: cy.Label, ProcessName: cy.ProcessName, Gaps: d.gaps, Template: d.tmpl,
		Staff: isStaff(currentUser(c))}
	if n, g := c.Query("norm"), c.Query("group"); n != "" || g != "" {
		ni, gi := slices.Index(d.gaps.Norms, n), slices.Index(d.gaps.Groups, g)
		if ni < 0 || gi < 0 {
			return errNotFound
		}
		v.Drill = &views.GapDrill{Norm: n, Group: g, Cell: d.gaps.Cells[ni][gi]}
		for _, cs := range v.Drill.Cell.States {
			v.Drill.Links = append(v.Drill.Links, "/reports/"+cs.ISO3+"/"+cy.Label+"?v="+strconv.Itoa(d.read[cs.ISO3].Version))
		}
	}
	title := views.T(c.Request.Context(), "gaps.title") + " · " + cy.Label
	p := s.page(c, title)
	p.Wide = true
	s.render(c, http.StatusOK, views.GapsPage(p, v))
	return nil
}

// maxCompare is how many States the side-by-side view shows at once.
const maxCompare = 3

// sideBySideColumn is one State's column: the copy of the newest version
// of its report the reader may read, or nothing.
func (s *Server) sideBySideColumn(ctx context.Context, reader surveys.Reader, cy *models.Cycle, t *surveys.Template, iso3 string) (views.SideBySideColumn, error) {
	st, err := s.db.GetState(ctx, iso3)
	if err != nil {
		return views.SideBySideColumn{}, err
	}
	col := views.SideBySideColumn{ISO3: st.ISO3, Name: st.Name}
	versions, err := s.db.ListReportVersions(ctx, st.ISO3, cy.Label)
	if err != nil {
		return col, err
	}
	if idx, aud, ok := surveys.ReadableVersion(reader, refsOf(versions), 0); ok {
		vals, err := s.db.ListValues(ctx, versions[idx].ID)
		if err != nil {
			return col, err
		}
		col.Readable, col.Version = true, versions[idx].Version
		col.Answers = surveys.ReaderCopy(t, aud, vals)
	}
	return col, nil
}

// sideBySideStates reads ?states=: up to maxCompare ISO3 codes.
func sideBySideStates(q string) ([]string, error) {
	var out []string
	for _, code := range strings.Split(q, ",") {
		code = strings.ToUpper(strings.TrimSpace(code))
		if code != "" && !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	if len(out) > maxCompare {
		return nil, withCause(errInvalid, fmt.Errorf("%d States to compare", len(out)))
	}
	return out, nil
}

// comparePage shows up to three States side by side on one part of the
// template, from the copies the reader may read.
func (s *Server) comparePage(c *gin.Context) error {
	ctx := c.Request.Context()
	cycles, err := s.db.ListCycles(ctx)
	if err != nil {
		return err
	}
	all, err := s.db.ListStates(ctx, "")
	if err != nil {
		return err
	}
	v := views.SideBySideData{Part: c.Query("part")}
	for _, cy := range cycles {
		v.Cycles = append(v.Cycles, cy.Label)
	}
	for _, st := range all {
		v.AllStates = append(v.AllStates, views.StateOption{ISO3: st.ISO3, Name: st.Name})
	}
	v.Cycle = c.Query("cycle")
	if v.Cycle == "" && len(cycles) > 0 {
		v.Cycle = cycles[0].Label
	}
	if v.States, err = sideBySideStates(c.Query("states")); err != nil {
		return err
	}
	p := s.page(c, views.T(ctx, "sidebyside.title"))
	p.Wide = true
	if v.Cycle == "" || len(v.States) == 0 {
		s.render(c, http.StatusOK, views.SideBySidePage(p, v))
		return nil
	}
	cy, err := s.db.GetCycle(ctx, v.Cycle)
	if err != nil {
		return err
	}
	t, err := s.template(cy)
	if err != nil {
		return err
	}
	for _, part := range t.Parts {
		v.Parts = append(v.Parts, views.PartOption{Code: part.Code, Title: part.Title.In(views.Lang(ctx))})
	}
	if v.Part == "" {
		v.Part = t.Parts[0].Code
	}
	pi := slices.IndexFunc(t.Parts, func(p surveys.Part) bool { return p.Code == v.Part })
	if pi < 0 {
		return errNotFound
	}
	v.Sections = t.Parts[pi].Sections
	reader := readerOf(currentUser(c))
	for _, iso3 := range v.States {
		col, err := s.sideBySideColumn(ctx, reader, cy, t, iso3)
		if err != nil {
			return err
		}
		v.Columns = append(v.Columns, col)
	}
	s.render(c, http.StatusOK, views.SideBySidePage(p, v))
	return nil
}
