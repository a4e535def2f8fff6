package handlers

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestAPIGaps: the gap summary counts, for each reader, the reports they
// may read as shared and the other submitted ones as withheld; a private
// report (Japan's) and a draft (China's) count for nobody outside their
// State; the drill-down names only shared States.
func TestAPIGaps(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		aa := newAPIApp(t, a)
		submitted := []string{"BRA", "DEU", "FRA", "KEN", "MEX"} // submitted or published, not private
		for _, reader := range apiReaders {
			t.Run(reader, func(t *testing.T) {
				var shared []string
				for _, r := range readable[reader] {
					shared = append(shared, strings.Fields(r)[0])
				}
				w := aa.get(reader, "/api/v1/cycles/"+apiCycleLabel+"/gaps")
				var g apiGaps
				decodeJSON(t, w, http.StatusOK, &g)
				checkSchema(t, "Gaps", w.Body.Bytes())
				if g.Cycle != apiCycleLabel || len(g.Norms) != 11 || len(g.Cells) != 11*len(g.Groups) || len(g.NormTotals) != 11 || g.Progress != nil {
					t.Fatalf("shape: %d norms, %d cells, %d groups, progress %v", len(g.Norms), len(g.Cells), len(g.Groups), g.Progress)
				}
				wantWithheld := 0
				for _, s := range submitted {
					if !slices.Contains(shared, s) {
						wantWithheld++
					}
				}
				gotShared, gotWithheld := 0, 0
				for _, p := range g.Participation {
					gotShared += p.Shared
					gotWithheld += p.Withheld
				}
				if gotShared != len(shared) || gotWithheld != wantWithheld {
					t.Errorf("shared %d withheld %d, want %d and %d", gotShared, gotWithheld, len(shared), wantWithheld)
				}
				named := map[string]bool{}
				withheldStates := 0
				for _, c := range g.Cells {
					for _, s := range c.States {
						named[s.State] = true
					}
					if c.Norm == "a" {
						withheldStates += c.WithheldStates
					}
					if c.Total != c.Yes+c.Partly+c.No+c.NA+c.Unanswered+c.NotShared {
						t.Errorf("cell %s/%s: total %d", c.Norm, c.Group, c.Total)
					}
				}
				for s := range named {
					if !slices.Contains(shared, s) {
						t.Errorf("%s named in a cell", s)
					}
				}
				if withheldStates != wantWithheld {
					t.Errorf("norm (a): %d withheld States, want %d", withheldStates, wantWithheld)
				}
				// II.a.1 is "partly" in every fixture report, with assistance
				// needed, so even a donors' copy shows it: one per shared State.
				partly := 0
				for _, c := range g.NormTotals {
					if c.Norm == "a" {
						partly = c.Partly
					}
				}
				wantPartly := len(shared)
				if partly != wantPartly {
					t.Errorf("norm (a): %d partly, want %d", partly, wantPartly)
				}
			})
		}
		wantAPIError(t, aa.get("anonymous", "/api/v1/cycles/1999/gaps"), http.StatusNotFound)
	})
}
