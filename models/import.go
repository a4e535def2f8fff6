package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/natreport/natreport/surveys"
)

// ImportedReport is a finished report version to load as it is, with its
// answers: generated data for benchmarks, or reports brought over from
// another system.
type ImportedReport struct {
	StateISO3  string
	Status     string // submitted or published
	Visibility string
	Answers    map[string]surveys.Value
}

// ImportReports stores reports as version 1 of each State's report for
// the cycle, with their answers, in one transaction, and records each in
// the audit log. Their times are now; a State that has a report for the
// cycle already is ErrDuplicate, and nothing is stored.
func (db *DB) ImportReports(ctx context.Context, cycleID int64, rs []ImportedReport, actor Actor) error {
	for _, r := range rs {
		if (r.Status != StatusSubmitted && r.Status != StatusPublished) || !surveys.ValidVisibility(r.Visibility) {
			return fmt.Errorf("%w: import %s as %s, %s", ErrInvalid, r.StateISO3, r.Status, r.Visibility)
		}
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		now := db.Now()
		for _, r := range rs {
			var published any
			if r.Status == StatusPublished {
				published = now
			}
			var id int64
			if err := tx.Raw(`INSERT INTO reports (state_iso3, cycle_id, version, status, visibility, created_at, updated_at, submitted_at, published_at, lang)
				VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, 'en') RETURNING id`,
				r.StateISO3, cycleID, r.Status, r.Visibility, now, now, now, published).Scan(&id).Error; err != nil {
				return err
			}
			for _, code := range sortedKeys(r.Answers) {
				if err := tx.Exec(`INSERT INTO answers (report_id, question_code, value, version, updated_at) VALUES (?, ?, ?, 1, ?)`,
					id, code, valueJSON(r.Answers[code]), now).Error; err != nil {
					return err
				}
			}
			e := actor.entry(ActionReportCreate, id)
			e.NewValue = r.Status
			e.Detail = fmt.Sprintf("%s imported with %d answers", r.StateISO3, len(r.Answers))
			if err := db.audit(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if isDuplicate(err) {
		return fmt.Errorf("%w: a report exists already", ErrDuplicate)
	}
	return err
}
