package models

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/natreport/natreport/surveys"
)

// Report statuses and visibilities are the domain's (surveys); the store
// uses the same constants under its own names.
const (
	StatusDraft     = surveys.ReportDraft
	StatusReview    = surveys.ReportReview
	StatusSubmitted = surveys.ReportSubmitted
	StatusPublished = surveys.ReportPublished
	StatusWithdrawn = surveys.ReportWithdrawn

	VisibilityPrivate    = surveys.VisPrivate
	VisibilityRestricted = surveys.VisRestricted
	VisibilityDonors     = surveys.VisDonors
	VisibilityPublic     = surveys.VisPublic
)

// Report is one version of a State's national report for a cycle. The
// State's report for a cycle is its latest version; amending a submitted
// report makes a new version and leaves the old one as it was.
type Report struct {
	ID            int64      `gorm:"column:id"`
	StateISO3     string     `gorm:"column:state_iso3"`
	CycleID       int64      `gorm:"column:cycle_id"`
	CycleLabel    string     `gorm:"column:cycle_label"` // filled from cycles
	Version       int        `gorm:"column:version"`
	Status        string     `gorm:"column:status"`
	Visibility    string     `gorm:"column:visibility"`
	CarriedFromID *int64     `gorm:"column:carried_from_id"` // report answers were carried from
	CreatedAt     time.Time  `gorm:"column:created_at"`
	UpdatedAt     time.Time  `gorm:"column:updated_at"`
	SubmittedAt   *time.Time `gorm:"column:submitted_at"`
	SubmittedBy   *int64     `gorm:"column:submitted_by"`
	PublishedAt   *time.Time `gorm:"column:published_at"`
	Lang          string     `gorm:"column:lang"`
}

func (r *Report) utc() {
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	for _, p := range []**time.Time{&r.SubmittedAt, &r.PublishedAt} {
		if *p != nil {
			t := (*p).UTC()
			*p = &t
		}
	}
}

// reportSelect selects reports r joined to their cycle c.
const reportSelect = `SELECT r.id, r.state_iso3, r.cycle_id, c.label AS cycle_label, r.version, r.status, r.visibility,
	r.carried_from_id, r.created_at, r.updated_at, r.submitted_at, r.submitted_by, r.published_at, r.lang
	FROM reports r JOIN cycles c ON c.id = r.cycle_id `

// latestVersion restricts reports r to the latest version of each State and cycle.
const latestVersion = `r.version = (SELECT MAX(r2.version) FROM reports r2
	WHERE r2.state_iso3 = r.state_iso3 AND r2.cycle_id = r.cycle_id)`

func scanReports(q *gorm.DB, where string, args ...any) ([]Report, error) {
	var out []Report
	if err := q.Raw(reportSelect+where, args...).Scan(&out).Error; err != nil {
		return nil, err
	}
	for i := range out {
		out[i].utc()
	}
	return out, nil
}

func getReport(q *gorm.DB, where string, args ...any) (*Report, error) {
	rs, err := scanReports(q, where, args...)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, ErrNotFound
	}
	return &rs[0], nil
}

// GetReport returns version of the report of the State iso3 for the cycle
// labelled cycleLabel; version 0 means the latest.
func (db *DB) GetReport(ctx context.Context, iso3, cycleLabel string, version int) (*Report, error) {
	if version == 0 {
		return getReport(db.read(ctx), "WHERE r.state_iso3 = ? AND c.label = ? AND "+latestVersion, iso3, cycleLabel)
	}
	return getReport(db.read(ctx), "WHERE r.state_iso3 = ? AND c.label = ? AND r.version = ?", iso3, cycleLabel, version)
}

// GetReportByID returns the report version with id.
func (db *DB) GetReportByID(ctx context.Context, id int64) (*Report, error) {
	return getReport(db.read(ctx), "WHERE r.id = ?", id)
}

// ListReportVersions lists all versions of a State's report for a cycle,
// oldest first.
func (db *DB) ListReportVersions(ctx context.Context, iso3, cycleLabel string) ([]Report, error) {
	var out []Report
	err := db.hotRows(ctx, reportSelect+"WHERE r.state_iso3 = ? AND c.label = ? ORDER BY r.version", func(rows *sql.Rows) error {
		r, err := scanReport(rows)
		out = append(out, r)
		return err
	}, iso3, cycleLabel)
	return out, err
}

// cycleVersions selects a cycle c and the versions r of one State's
// report for it: one row with NULL report columns when there are none.
var cycleVersions = "SELECT c." + strings.ReplaceAll(cycleCols, ", ", ", c.") +
	`, r.id, r.version, r.status, r.visibility, r.carried_from_id, r.created_at, r.updated_at, r.submitted_at, r.submitted_by, r.published_at, r.lang
	FROM cycles c LEFT JOIN reports r ON r.cycle_id = c.id AND r.state_iso3 = ? WHERE c.label = ? ORDER BY r.version`

// CycleVersions is GetCycle and ListReportVersions in one query, which
// every page of a report needs: the cycle labelled cycleLabel
// (ErrNotFound if none) and the versions of State iso3's report for it,
// oldest first (none before the State starts it).
func (db *DB) CycleVersions(ctx context.Context, cycleLabel, iso3 string) (*Cycle, []Report, error) {
	var cy *Cycle
	var out []Report
	err := db.hotRows(ctx, cycleVersions, func(rows *sql.Rows) error {
		var (
			id, version, carried, by               sql.NullInt64
			status, visibility, lang               sql.NullString
			created, updated, submitted, published sql.NullTime
		)
		c, err := scanCycle(rows, &id, &version, &status, &visibility, &carried, &created, &updated, &submitted, &by, &published, &lang)
		if err != nil {
			return err
		}
		if cy == nil {
			cy = &c
		}
		if !id.Valid {
			return nil
		}
		r := Report{ID: id.Int64, StateISO3: iso3, CycleID: c.ID, CycleLabel: c.Label, Version: int(version.Int64),
			Status: status.String, Visibility: visibility.String, CreatedAt: created.Time, UpdatedAt: updated.Time, Lang: lang.String}
		nullableReport(&r, carried, by, submitted, published)
		out = append(out, r)
		return nil
	}, iso3, cycleLabel)
	if err == nil && cy == nil {
		err = ErrNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	return cy, out, nil
}

// scanReport reads one row of reportSelect.
func scanReport(rows *sql.Rows) (Report, error) {
	var r Report
	var carried, by sql.NullInt64
	var sub, pub sql.NullTime
	err := rows.Scan(&r.ID, &r.StateISO3, &r.CycleID, &r.CycleLabel, &r.Version, &r.Status, &r.Visibility,
		&carried, &r.CreatedAt, &r.UpdatedAt, &sub, &by, &pub, &r.Lang)
	nullableReport(&r, carried, by, sub, pub)
	return r, err
}

// nullableReport sets the columns of r that may be NULL, and makes its
// times UTC.
func nullableReport(r *Report, carried, by sql.NullInt64, sub, pub sql.NullTime) {
	if carried.Valid {
		r.CarriedFromID = &carried.Int64
	}
	if by.Valid {
		r.SubmittedBy = &by.Int64
	}
	if sub.Valid {
		r.SubmittedAt = &sub.Time
	}
	if pub.Valid {
		r.PublishedAt = &pub.Time
	}
	r.utc()
}

// StateReports lists the latest version of each of a State's reports,
// newest cycle first.
func (db *DB) StateReports(ctx context.Context, iso3 string) ([]Report, error) {
	return scanReports(db.read(ctx), "WHERE r.state_iso3 = ? AND "+latestVersion+" ORDER BY c.opens_on DESC, c.id DESC", iso3)
}

// LatestReportsForCycle returns the latest version of every report of a
// cycle, keyed by State ISO3 code.
func (db *DB) LatestReportsForCycle(ctx context.Context, cycleID int64) (map[string]*Report, error) {
	rs, err := scanReports(db.read(ctx), "WHERE r.cycle_id = ? AND "+latestVersion, cycleID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*Report, len(rs))
	for i := range rs {
		out[rs[i].StateISO3] = &rs[i]
	}
	return out, nil
}

// LastSubmittedReport is the State's last report before the cycle before:
// the latest submitted or published version from the most recent earlier
// cycle in which the State has one (what carry-forward copies from).
// ErrNotFound when there is none.
func (db *DB) LastSubmittedReport(ctx context.Context, iso3 string, before *Cycle) (*Report, error) {
	return getReport(db.read(ctx), `WHERE r.state_iso3 = ? AND c.opens_on < ? AND r.status IN (?, ?)
		ORDER BY c.opens_on DESC, c.id DESC, r.version DESC LIMIT 1`,
		iso3, before.OpensOn, StatusSubmitted, StatusPublished)
}

// CreateReport stores r and fills its ID, CycleLabel and times. Zero fields
// take their defaults: version 1, draft, restricted, English. A report that
// exists for the State, cycle and version is ErrDuplicate.
func (db *DB) CreateReport(ctx context.Context, r *Report, actor Actor) error {
	if r.Version == 0 {
		r.Version = 1
	}
	if r.Status == "" {
		r.Status = StatusDraft
	}
	if r.Visibility == "" {
		r.Visibility = VisibilityRestricted
	}
	if r.Lang == "" {
		r.Lang = "en"
	}
	if !surveys.ValidStatus(r.Status) || !surveys.ValidVisibility(r.Visibility) {
		return fmt.Errorf("%w: status %q, visibility %q", ErrInvalid, r.Status, r.Visibility)
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		c, err := getCycle(tx, "id = ?", r.CycleID)
		if err != nil {
			return err
		}
		now := db.Now()
		var id int64
		err = tx.Raw(`INSERT INTO reports (state_iso3, cycle_id, version, status, visibility, carried_from_id,
				created_at, updated_at, submitted_at, submitted_by, published_at, lang)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			r.StateISO3, r.CycleID, r.Version, r.Status, r.Visibility, r.CarriedFromID,
			now, now, r.SubmittedAt, r.SubmittedBy, r.PublishedAt, r.Lang).Scan(&id).Error
		if err != nil {
			return err
		}
		r.ID, r.CycleLabel, r.CreatedAt, r.UpdatedAt = id, c.Label, now, now
		e := actor.entry(ActionReportCreate, id)
		e.NewValue = r.Status
		e.Detail = fmt.Sprintf("%s %s version %d", r.StateISO3, c.Label, r.Version)
		return db.audit(ctx, tx, e)
	})
	return r.insertErr(err)
}

// insertErr is the error of inserting r: a report that exists for the
// State, cycle and version is ErrDuplicate, an unknown State ErrInvalid;
// r.ID is cleared on either.
func (r *Report) insertErr(err error) error {
	switch {
	case isDuplicate(err):
		r.ID = 0
		return fmt.Errorf("%w: report %s version %d", ErrDuplicate, r.StateISO3, r.Version)
	case isForeignKey(err):
		r.ID = 0
		return fmt.Errorf("%w: unknown State %q", ErrInvalid, r.StateISO3)
	}
	return err
}

// SetReportStatus moves a report from status from to status to, only if it
// is still in from (ErrConflict otherwise: someone else moved it first).
// Submitting records SubmittedAt and SubmittedBy; publishing PublishedAt.
// Which moves are allowed is the caller's rule.
func (db *DB) SetReportStatus(ctx context.Context, reportID int64, from, to string, actor Actor) error {
	if !surveys.ValidStatus(from) || !surveys.ValidStatus(to) || !surveys.Allowed(from, to) {
		return fmt.Errorf("%w: status %q → %q", ErrInvalid, from, to)
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		now := db.Now()
		set, args := "status = ?, updated_at = ?", []any{to, now}
		switch to {
		case StatusSubmitted:
			set += ", submitted_at = ?, submitted_by = ?"
			args = append(args, now, nullID(actor.UserID))
		case StatusPublished:
			set += ", published_at = ?"
			args = append(args, now)
		}
		res := tx.Exec("UPDATE reports SET "+set+" WHERE id = ? AND status = ?", append(args, reportID, from)...)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			if _, err := getReport(tx, "WHERE r.id = ?", reportID); err != nil {
				return err
			}
			return fmt.Errorf("%w: report %d is no longer %s", ErrConflict, reportID, from)
		}
		e := actor.entry(ActionReportStatus, reportID)
		e.OldValue, e.NewValue = from, to
		return db.audit(ctx, tx, e)
	})
}

// nullID maps 0 to SQL NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// SetVisibility sets who may read a report.
func (db *DB) SetVisibility(ctx context.Context, reportID int64, vis string, actor Actor) error {
	if !surveys.ValidVisibility(vis) {
		return fmt.Errorf("%w: visibility %q", ErrInvalid, vis)
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		r, err := getReport(tx, "WHERE r.id = ?", reportID)
		if err != nil {
			return err
		}
		if r.Visibility == vis {
			return nil
		}
		if err := tx.Exec("UPDATE reports SET visibility = ?, updated_at = ? WHERE id = ?", vis, db.Now(), reportID).Error; err != nil {
			return err
		}
		e := actor.entry(ActionReportVisibility, reportID)
		e.OldValue, e.NewValue = r.Visibility, vis
		return db.audit(ctx, tx, e)
	})
}

// NewVersion amends a report: it makes version+1 as a draft with a copy of
// every answer and section assignment, and leaves the old version as it
// was. Only the latest version of a submitted, published or withdrawn
// report can be amended (ErrConflict otherwise).
func (db *DB) NewVersion(ctx context.Context, reportID int64, actor Actor) (*Report, error) {
	var out *Report
	err := db.tx(ctx, func(tx *gorm.DB) error {
		old, err := getReport(tx, "WHERE r.id = ?", reportID)
		if err != nil {
			return err
		}
		if old.Status == StatusDraft || old.Status == StatusReview {
			return fmt.Errorf("%w: report %d is still a %s; edit it in place", ErrConflict, reportID, old.Status)
		}
		var latest int
		if err := tx.Raw("SELECT MAX(version) FROM reports WHERE state_iso3 = ? AND cycle_id = ?", old.StateISO3, old.CycleID).Scan(&latest).Error; err != nil {
			return err
		}
		if latest != old.Version {
			return fmt.Errorf("%w: report %d is version %d, not the latest (%d)", ErrConflict, reportID, old.Version, latest)
		}
		now := db.Now()
		r := Report{StateISO3: old.StateISO3, CycleID: old.CycleID, CycleLabel: old.CycleLabel, Version: old.Version + 1,
			Status: StatusDraft, Visibility: old.Visibility, CarriedFromID: old.CarriedFromID,
			CreatedAt: now, UpdatedAt: now, Lang: old.Lang}
		err = tx.Raw(`INSERT INTO reports (state_iso3, cycle_id, version, status, visibility, carried_from_id, created_at, updated_at, lang)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			r.StateISO3, r.CycleID, r.Version, r.Status, r.Visibility, r.CarriedFromID, now, now, r.Lang).Scan(&r.ID).Error
		if err != nil {
			return err
		}
		// Answer versions restart at 1: they guard edits of this report only.
		err = tx.Exec(`INSERT INTO answers (report_id, question_code, value, version, carried_from, updated_by, updated_at)
			SELECT CAST(? AS BIGINT), question_code, value, 1, carried_from, updated_by, updated_at FROM answers WHERE report_id = ?`,
			r.ID, old.ID).Error
		if err != nil {
			return err
		}
		err = tx.Exec(`INSERT INTO section_assignments (report_id, section_code, user_id, assigned_by, assigned_at)
			SELECT CAST(? AS BIGINT), section_code, user_id, assigned_by, assigned_at FROM section_assignments WHERE report_id = ?`,
			r.ID, old.ID).Error
		if err != nil {
			return err
		}
		e := actor.entry(ActionReportCreate, r.ID)
		e.NewValue = r.Status
		e.Detail = fmt.Sprintf("%s %s version %d, amending version %d (report %s)",
			r.StateISO3, r.CycleLabel, r.Version, old.Version, strconv.FormatInt(old.ID, 10))
		if err := db.audit(ctx, tx, e); err != nil {
			return err
		}
		out = &r
		return nil
	})
	if isDuplicate(err) {
		return nil, fmt.Errorf("%w: a newer version was made meanwhile", ErrConflict)
	}
	return out, err
}
