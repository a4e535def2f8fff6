package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/natreport/natreport/surveys"
)

// ActionReportImport and ActionUserImport are the audit actions of the bulk
// import path (generated data for benchmarks, migrations from elsewhere).
const (
	ActionReportImport = "report.import"
	ActionUserImport   = "user.import"
)

// ImportReport stores r with every answer of answers (each at version 1),
// in one transaction with one audit entry, report.import. Unlike
// CreateReport followed by one SaveAnswer per question, it writes the
// report in the status, visibility and times r already has: it is the bulk
// path for generated or migrated data, not for people. r.ID, r.CycleLabel
// and zero times are filled.
func (db *DB) ImportReport(ctx context.Context, r *Report, answers map[string]surveys.Value, actor Actor) error {
	if r.Version == 0 {
		r.Version = 1
	}
	if r.Lang == "" {
		r.Lang = "en"
	}
	if !surveys.ValidStatus(r.Status) || !surveys.ValidVisibility(r.Visibility) {
		return fmt.Errorf("%w: status %q, visibility %q", ErrInvalid, r.Status, r.Visibility)
	}
	now := db.Now()
	if r.CreatedAt.IsZero() {
		r.CreatedAt = now
	}
	if r.UpdatedAt.IsZero() {
		r.UpdatedAt = r.CreatedAt
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		c, err := getCycle(tx, "id = ?", r.CycleID)
		if err != nil {
			return err
		}
		var id int64
		err = tx.Raw(`INSERT INTO reports (state_iso3, cycle_id, version, status, visibility, carried_from_id,
				created_at, updated_at, submitted_at, submitted_by, published_at, lang)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			r.StateISO3, r.CycleID, r.Version, r.Status, r.Visibility, r.CarriedFromID,
			r.CreatedAt, r.UpdatedAt, r.SubmittedAt, r.SubmittedBy, r.PublishedAt, r.Lang).Scan(&id).Error
		if err != nil {
			return err
		}
		r.ID, r.CycleLabel = id, c.Label
		if len(answers) > 0 {
			// One multi-row INSERT per chunk: SQLite allows 32,766 parameters.
			codes := sortedKeys(answers)
			const perRow, chunk = 5, 500
			for start := 0; start < len(codes); start += chunk {
				part := codes[start:min(start+chunk, len(codes))]
				var sb strings.Builder
				args := make([]any, 0, len(part)*perRow)
				sb.WriteString(`INSERT INTO answers (report_id, question_code, value, version, carried_from, updated_by, updated_at) VALUES `)
				for i, code := range part {
					if i > 0 {
						sb.WriteString(", ")
					}
					sb.WriteString("(?, ?, ?, 1, '', ?, ?)")
					args = append(args, id, code, valueJSON(answers[code]), actor.UserID, r.UpdatedAt)
				}
				if err := tx.Exec(sb.String(), args...).Error; err != nil {
					return err
				}
			}
		}
		e := actor.entry(ActionReportImport, id)
		e.NewValue = r.Status
		e.Detail = fmt.Sprintf("%s %s version %d, %d answers", r.StateISO3, c.Label, r.Version, len(answers))
		return db.audit(ctx, tx, e)
	})
	return r.insertErr(err)
}

// ImportUsers stores users, all with the same password, hashed once, in
// one transaction with a user.import audit entry each; it fills their IDs.
// It is the bulk path for generated accounts (hashing each password
// separately takes a quarter second per account).
func (db *DB) ImportUsers(ctx context.Context, users []*User, password string, actor Actor) error {
	hash, err := hashPassword(password, db.bcryptCost)
	if err != nil {
		return err
	}
	now := db.Now()
	err = db.tx(ctx, func(tx *gorm.DB) error {
		for _, u := range users {
			email := NormalizeEmail(u.Email)
			if email == "" || !strings.Contains(email, "@") {
				return fmt.Errorf("%w: email %q", ErrInvalid, u.Email)
			}
			if err := checkRole(tx, u.Role, u.StateISO3); err != nil {
				return err
			}
			var id int64
			if err := tx.Raw(`INSERT INTO users (email, name, role, state_iso3, password_hash, disabled, created_at, password_changed_at, must_change_password)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				email, strings.TrimSpace(u.Name), u.Role, nullString(u.StateISO3), hash, u.Disabled, now, now, u.MustChangePassword).Scan(&id).Error; err != nil {
				return err
			}
			u.ID, u.Email, u.Name, u.PasswordHash = id, email, strings.TrimSpace(u.Name), hash
			u.CreatedAt, u.PasswordChangedAt = now, now
			e := actor.entry(ActionUserImport, 0)
			e.Detail = strings.TrimSpace(email + " " + u.Role + " " + u.StateISO3)
			if err := db.audit(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if isDuplicate(err) {
		return fmt.Errorf("%w: %v", ErrDuplicate, err)
	}
	return err
}

// SQLiteDSN is the data source name the write connection opens path with
// (WAL, synchronous=FULL, ...): natbench's bare commit loop uses the same.
func SQLiteDSN(path string) string { return path + "?" + sqliteParams.Encode() }
