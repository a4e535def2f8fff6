package models

import (
	"context"
	"time"
)

// BoardRow is one State on the status board of a cycle: its latest report
// (nil: not started) and when anything last happened to any version of it.
type BoardRow struct {
	State        State
	Report       *Report
	LastActivity *time.Time
}

// CycleBoard lists every State, members and observers, sorted by name, with
// its latest report in the cycle and the time of the last audit entry on
// the State's reports of the cycle, in one query.
func (db *DB) CycleBoard(ctx context.Context, cycleID int64) ([]BoardRow, error) {
	var rows []struct {
		State
		RID          *int64     `gorm:"column:r_id"`
		RCycleID     *int64     `gorm:"column:r_cycle_id"`
		RCycleLabel  *string    `gorm:"column:r_cycle_label"`
		RVersion     *int       `gorm:"column:r_version"`
		RStatus      *string    `gorm:"column:r_status"`
		RVisibility  *string    `gorm:"column:r_visibility"`
		RCarriedFrom *int64     `gorm:"column:r_carried_from_id"`
		RCreatedAt   *time.Time `gorm:"column:r_created_at"`
		RUpdatedAt   *time.Time `gorm:"column:r_updated_at"`
		RSubmittedAt *time.Time `gorm:"column:r_submitted_at"`
		RSubmittedBy *int64     `gorm:"column:r_submitted_by"`
		RPublishedAt *time.Time `gorm:"column:r_published_at"`
		RLang        *string    `gorm:"column:r_lang"`
		LastActivity *time.Time `gorm:"column:last_activity"`
	}
	// The last activity is read through the entry with the highest id (the
	// log is append-only, so ids follow time), which keeps the column's
	// declared type and so its time decoding on SQLite.
	err := db.read(ctx).Raw(`SELECT s.iso3, s.iso2, s.m49, s.name, s.regional_group, s.group_note, s.m49_region,
			s.m49_subregion, s.observer,
			r.id AS r_id, r.cycle_id AS r_cycle_id, c.label AS r_cycle_label, r.version AS r_version,
			r.status AS r_status, r.visibility AS r_visibility, r.carried_from_id AS r_carried_from_id,
			r.created_at AS r_created_at, r.updated_at AS r_updated_at, r.submitted_at AS r_submitted_at,
			r.submitted_by AS r_submitted_by, r.published_at AS r_published_at, r.lang AS r_lang,
			a.at AS last_activity
		FROM states s
		LEFT JOIN reports r ON r.state_iso3 = s.iso3 AND r.cycle_id = ? AND r.version =
			(SELECT MAX(r2.version) FROM reports r2 WHERE r2.state_iso3 = s.iso3 AND r2.cycle_id = ?)
		LEFT JOIN cycles c ON c.id = r.cycle_id
		LEFT JOIN audit_log a ON a.id =
			(SELECT MAX(a2.id) FROM audit_log a2 JOIN reports r3 ON r3.id = a2.report_id
			 WHERE r3.state_iso3 = s.iso3 AND r3.cycle_id = ?)
		ORDER BY s.name`, cycleID, cycleID, cycleID).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]BoardRow, len(rows))
	for i, x := range rows {
		out[i].State = x.State
		if x.LastActivity != nil {
			t := x.LastActivity.UTC()
			out[i].LastActivity = &t
		}
		if x.RID == nil {
			continue
		}
		r := &Report{ID: *x.RID, StateISO3: x.ISO3, CycleID: *x.RCycleID, CycleLabel: deref(x.RCycleLabel),
			Version: *x.RVersion, Status: deref(x.RStatus), Visibility: deref(x.RVisibility),
			CarriedFromID: x.RCarriedFrom, SubmittedAt: x.RSubmittedAt, SubmittedBy: x.RSubmittedBy,
			PublishedAt: x.RPublishedAt, Lang: deref(x.RLang)}
		if x.RCreatedAt != nil {
			r.CreatedAt = *x.RCreatedAt
		}
		if x.RUpdatedAt != nil {
			r.UpdatedAt = *x.RUpdatedAt
		}
		r.utc()
		out[i].Report = r
	}
	return out, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
