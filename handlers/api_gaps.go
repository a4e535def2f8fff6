package handlers

import (
	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/surveys"
)

// The gap summary in the API: what /cycles/{cycle}/gaps shows, computed
// by readCycle from the report versions the reader may read only.
// Distributions and counts, never a score.

type apiDistribution struct {
	Yes        int `json:"yes"`
	Partly     int `json:"partly"`
	No         int `json:"no"`
	NA         int `json:"na"`
	Unanswered int `json:"unanswered"`
	NotShared  int `json:"not_shared"`
	Total      int `json:"total"`
}

type apiGapCellState struct {
	State string `json:"state"`
	Name  string `json:"name"`
	apiDistribution
}

type apiGapCell struct {
	Norm  string `json:"norm"`
	Group string `json:"regional_group"`
	apiDistribution
	WithheldStates int               `json:"withheld_states"`
	States         []apiGapCellState `json:"states"`
}

type apiNormTotal struct {
	Norm string `json:"norm"`
	apiDistribution
}

type apiKindRow struct {
	Key    string `json:"key"`
	Counts []int  `json:"counts"`
	Total  int    `json:"total"`
}

type apiParticipation struct {
	Group    string `json:"regional_group"`
	States   int    `json:"states"`
	Shared   int    `json:"shared"`
	Withheld int    `json:"withheld"`
	NoReport int    `json:"no_report"`
}

type apiNormProgress struct {
	Norm        string  `json:"norm"`
	Moves       [][]int `json:"moves"`
	Moved       int     `json:"moved"`
	StatesMoved int     `json:"states_moved"`
	NeedsOpened int     `json:"needs_opened"`
	NeedsClosed int     `json:"needs_closed"`
}

type apiGaps struct {
	Cycle                 string             `json:"cycle"`
	Norms                 []string           `json:"norms"`
	Groups                []string           `json:"regional_groups"`
	Cells                 []apiGapCell       `json:"cells"`
	NormTotals            []apiNormTotal     `json:"norm_totals"`
	AssistanceKinds       []string           `json:"assistance_kinds"`
	AssistanceByGroup     []apiKindRow       `json:"assistance_by_group"`
	AssistanceByDimension []apiKindRow       `json:"assistance_by_capacity_dimension"`
	Participation         []apiParticipation `json:"participation"`
	ProgressStatuses      []string           `json:"progress_statuses"`
	Progress              []apiNormProgress  `json:"progress"`
	ComparedStates        int                `json:"compared_states"`
}

func distributionJSON(d surveys.Distribution) apiDistribution {
	return apiDistribution{Yes: d.Yes, Partly: d.Partly, No: d.No, NA: d.NA, Unanswered: d.Unanswered, NotShared: d.NotShared, Total: d.Total()}
}

func kindRowsJSON(rows []surveys.KindRow) []apiKindRow {
	out := make([]apiKindRow, len(rows))
	for i, r := range rows {
		out[i] = apiKindRow{Key: r.Key, Counts: nonNil(r.Counts), Total: r.Total}
	}
	return out
}

// progressStatuses names the rows and columns of the progress moves.
func progressStatuses() []string {
	out := make([]string, len(surveys.ProgressStatuses))
	for i, st := range surveys.ProgressStatuses {
		if st == surveys.StatusUnanswered {
			st = "unanswered"
		}
		out[i] = st
	}
	return out
}

// apiCycleGaps is the gap summary of a cycle for the reader.
func (s *Server) apiCycleGaps(c *gin.Context) error {
	ctx := c.Request.Context()
	cy, err := s.db.GetCycle(ctx, c.Param("cycle"))
	if err != nil {
		return err
	}
	d, err := s.readCycleCodes(ctx, readerOf(currentUser(c)), cy, true)
	if err != nil {
		return err
	}
	g := d.gaps
	out := apiGaps{Cycle: cy.Label, Norms: nonNil(g.Norms), Groups: nonNil(g.Groups), Cells: []apiGapCell{},
		NormTotals: []apiNormTotal{}, AssistanceKinds: nonNil(g.Kinds), AssistanceByGroup: kindRowsJSON(g.ByGroup),
		AssistanceByDimension: kindRowsJSON(g.ByCMM), Participation: []apiParticipation{},
		ProgressStatuses: progressStatuses(), ComparedStates: g.Compared}
	for ni, norm := range g.Norms {
		for gi, group := range g.Groups {
			cell := g.Cells[ni][gi]
			ac := apiGapCell{Norm: norm, Group: group, apiDistribution: distributionJSON(cell.Distribution),
				WithheldStates: cell.Withheld, States: []apiGapCellState{}}
			for _, cs := range cell.States {
				ac.States = append(ac.States, apiGapCellState{State: cs.ISO3, Name: cs.Name, apiDistribution: distributionJSON(cs.Distribution)})
			}
			out.Cells = append(out.Cells, ac)
		}
		out.NormTotals = append(out.NormTotals, apiNormTotal{Norm: norm, apiDistribution: distributionJSON(g.NormTotals[ni])})
	}
	for _, p := range g.Participation {
		out.Participation = append(out.Participation, apiParticipation{Group: p.Group, States: p.States, Shared: p.Shared,
			Withheld: p.Withheld, NoReport: p.NoReport})
	}
	if g.Progress != nil {
		out.Progress = []apiNormProgress{}
		for _, p := range g.Progress {
			moves := make([][]int, len(p.Moves))
			for i := range p.Moves {
				moves[i] = p.Moves[i][:]
			}
			out.Progress = append(out.Progress, apiNormProgress{Norm: p.Norm, Moves: moves, Moved: p.Moved,
				StatesMoved: p.StatesMoved, NeedsOpened: p.NeedsOpened, NeedsClosed: p.NeedsClosed})
		}
	}
	apiJSON(c, out)
	return nil
}
