package handlers

import (
	"context"
	"fmt"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// templateOf is the template of the cycle a report belongs to, so that a
// report to an earlier template version can be carried forward and
// compared through the newer version's replaces mapping.
func (s *Server) templateOf(ctx context.Context, r *models.Report) (*surveys.Template, error) {
	cy, err := s.db.GetCycleByID(ctx, r.CycleID)
	if err != nil {
		return nil, err
	}
	t, ok := s.templates[cy.TemplateVersion]
	if !ok {
		return nil, fmt.Errorf("cycle %s uses unknown template %s", cy.Label, cy.TemplateVersion)
	}
	return t, nil
}

// carrySources maps each question of template to onto the question of the
// previous report whose answer it would take over (see surveys.CarrySources).
func (s *Server) carrySources(ctx context.Context, to *surveys.Template, prev *models.Report) (map[string]string, error) {
	from, err := s.templateOf(ctx, prev)
	if err != nil {
		return nil, err
	}
	stored, err := s.db.ListAnswers(ctx, prev.ID)
	if err != nil {
		return nil, err
	}
	vals := make(map[string]surveys.Value, len(stored))
	for code, a := range stored {
		vals[code] = a.Value
	}
	return surveys.CarrySources(to, from, vals), nil
}
