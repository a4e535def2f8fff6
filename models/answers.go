package models

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/natreport/natreport/surveys"
	"gorm.io/gorm"
)

// Answer is the answer to one question of one report version. Version counts
// the saves of this answer and guards against silent overwrites: a save
// names the version it started from. CarriedFrom is the label of the cycle
// the answer was carried from, until a person confirms or edits it.
type Answer struct {
	ReportID     int64
	QuestionCode string
	Value        surveys.Value
	Version      int
	CarriedFrom  string
	UpdatedBy    int64
	UpdatedAt    time.Time
	// SaveID is the client's id of the save that wrote this version (the
	// page sends one per save and the same one when it retries), so that
	// a retry of a save that already committed is recognised.
	SaveID string
}

// answerRow is an answer as stored: the value is JSON text.
type answerRow struct {
	ReportID     int64     `gorm:"column:report_id"`
	QuestionCode string    `gorm:"column:question_code"`
	Value        string    `gorm:"column:value"`
	Version      int       `gorm:"column:version"`
	CarriedFrom  string    `gorm:"column:carried_from"`
	UpdatedBy    int64     `gorm:"column:updated_by"`
	UpdatedAt    time.Time `gorm:"column:updated_at"`
	SaveID       string    `gorm:"column:save_id"`
}

const answerCols = "report_id, question_code, value, version, carried_from, updated_by, updated_at, save_id"

func (r answerRow) answer() (Answer, error) {
	a := Answer{ReportID: r.ReportID, QuestionCode: r.QuestionCode, Version: r.Version,
		CarriedFrom: r.CarriedFrom, UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt.UTC(), SaveID: r.SaveID}
	if err := json.Unmarshal([]byte(r.Value), &a.Value); err != nil {
		return a, fmt.Errorf("answer %d/%s: %w", r.ReportID, r.QuestionCode, err)
	}
	return a, nil
}

func valueJSON(v surveys.Value) string {
	b, err := json.Marshal(v)
	if err != nil {
		// surveys.Value holds only strings, bools, slices and maps.
		panic(err)
	}
	return string(b)
}

func listAnswers(q *gorm.DB, reportID int64, codes ...string) (map[string]Answer, error) {
	var rows []answerRow
	q = q.Table("answers").Select(answerCols).Where("report_id = ?", reportID)
	if len(codes) > 0 {
		q = q.Where("question_code IN ?", codes)
	}
	if err := q.Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string]Answer, len(rows))
	for _, r := range rows {
		a, err := r.answer()
		if err != nil {
			return nil, err
		}
		out[a.QuestionCode] = a
	}
	return out, nil
}

// getAnswer returns the answer, or ok false when there is none.
func getAnswer(q *gorm.DB, reportID int64, code string) (a Answer, ok bool, err error) {
	m, err := listAnswers(q, reportID, code)
	if err != nil {
		return a, false, err
	}
	a, ok = m[code]
	return a, ok, nil
}

// Values are the values of stored answers, keyed by question code: the one
// place stored answers become what surveys works on.
func Values(stored map[string]Answer) map[string]surveys.Value {
	out := make(map[string]surveys.Value, len(stored))
	for code, a := range stored {
		out[code] = a.Value
	}
	return out
}

// ListValues returns the answer values of a report keyed by question code.
func (db *DB) ListValues(ctx context.Context, reportID int64) (map[string]surveys.Value, error) {
	stored, err := db.ListAnswers(ctx, reportID)
	if err != nil {
		return nil, err
	}
	return Values(stored), nil
}

// ListAnswers returns the answers of a report keyed by question code.
func (db *DB) ListAnswers(ctx context.Context, reportID int64) (map[string]Answer, error) {
	out := map[string]Answer{}
	err := db.hotRows(ctx, "SELECT "+answerCols+" FROM answers WHERE report_id = ?", func(rows *sql.Rows) error {
		a, err := scanAnswer(rows)
		out[a.QuestionCode] = a
		return err
	}, reportID)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// The statements of a save (saveTx).
const (
	answerUpdate = `UPDATE answers SET value = ?, version = ?, carried_from = '', updated_by = ?, updated_at = ?, save_id = ?
			WHERE report_id = ? AND question_code = ? AND version = ?`
	answerInsert = `INSERT INTO answers (report_id, question_code, value, version, carried_from, updated_by, updated_at, save_id)
			VALUES (?, ?, ?, ?, '', ?, ?, ?) ON CONFLICT (report_id, question_code) DO NOTHING`
	reportTouch = "UPDATE reports SET updated_at = ? WHERE id = ?"
)

// editableSelect reads a report to change, locked on PostgreSQL.
func (db *DB) editableSelect() string {
	if db.Dialect == DialectPostgres {
		return reportSelect + "WHERE r.id = ? FOR NO KEY UPDATE OF r"
	}
	return reportSelect + "WHERE r.id = ?"
}

// prepareSave prepares the statements of req's save, once, before its
// transaction (see txStmt).
func (db *DB) prepareSave(ctx context.Context, req SaveRequest) error {
	qs := []string{db.saveReadSQL(len(saveCodes(req))), answerUpdate, answerInsert, reportTouch, auditInsert}
	if db.group != nil {
		qs = append(qs, savepointSet, savepointUndo, savepointRelease)
	}
	for _, q := range qs {
		if _, err := db.prepared(ctx, &db.hotW, db.w, q); err != nil {
			return err
		}
	}
	return nil
}

// scanAnswer reads one row of answerCols.
func scanAnswer(rows *sql.Rows) (Answer, error) {
	var r answerRow
	if err := rows.Scan(&r.ReportID, &r.QuestionCode, &r.Value, &r.Version, &r.CarriedFrom, &r.UpdatedBy, &r.UpdatedAt, &r.SaveID); err != nil {
		return Answer{}, err
	}
	return r.answer()
}

// GetAnswer returns one answer; ErrNotFound when the question has none.
func (db *DB) GetAnswer(ctx context.Context, reportID int64, code string) (Answer, error) {
	a, ok, err := getAnswer(db.read(ctx), reportID, code)
	if err == nil && !ok {
		err = ErrNotFound
	}
	return a, err
}

// editableReport locks the report row and checks its answers may change.
// On PostgreSQL the lock is the one the later UPDATE of reports.updated_at
// needs anyway: taking a weaker one first would let two savers deadlock.
// It also orders saves with status changes. SQLite's write lock covers both.
func (db *DB) editableReport(tx *gorm.DB, reportID int64) (*Report, error) {
	var r *Report
	err := db.txRows(tx.Statement.Context, tx, db.editableSelect(), func(rows *sql.Rows) error {
		rr, err := scanReport(rows)
		r = &rr
		return err
	}, reportID)
	if err == nil && r == nil {
		err = ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if !surveys.Editable(r.Status) {
		return nil, fmt.Errorf("%w: report %d is %s", ErrReadOnly, reportID, r.Status)
	}
	return r, nil
}

// SaveAnswer stores v as the answer to question code of a report, if the
// stored answer is still at baseVersion (0: there is no answer yet). If it
// is not, nothing is written and SaveAnswer returns the stored answer with
// ErrConflict, so the caller can show both. Otherwise it writes version
// baseVersion+1, clears CarriedFrom, and appends an audit entry with the old
// and new values rendered by summary (nil: JSON), all in one transaction
// committed before it returns. A report no longer editable is ErrReadOnly.
func (db *DB) SaveAnswer(ctx context.Context, reportID int64, code string, v surveys.Value, baseVersion int, actor Actor, summary func(surveys.Value) string) (Answer, error) {
	res, err := db.Save(ctx, SaveRequest{ReportID: reportID, Code: code, Value: v, BaseVersion: baseVersion, Actor: actor, Summary: summary})
	return res.Answer, err
}

// SaveRequest is one answer to store (see SaveAnswer). With names the
// questions whose stored values the caller needs back, read in the same
// transaction as the write (the page's conditional display), so that the
// reply to a committed save never depends on a later read.
type SaveRequest struct {
	ReportID    int64
	Code        string
	Value       surveys.Value
	BaseVersion int
	Actor       Actor
	Summary     func(surveys.Value) string
	With        []string
	// SaveID is the client's id of this save, the same when it retries
	// one whose reply it never got ("" if none).
	SaveID string
}

// SaveResult is what a save stored: the answer, and the values of the
// questions SaveRequest.With named, as of the save's own transaction.
type SaveResult struct {
	Answer Answer
	With   map[string]surveys.Value
}

// Save is SaveAnswer with its full request and result. On SQLite, saves
// that arrive while another commit is under way are committed together in
// one transaction (group commit, see groupcommit.go): each is
// acknowledged only after that commit, and one save's refusal (a
// conflict, a read-only report) does not affect the others.
func (db *DB) Save(ctx context.Context, req SaveRequest) (SaveResult, error) {
	if req.Summary == nil {
		req.Summary = valueJSON
	}
	req.Code = strings.TrimSpace(req.Code)
	if req.Code == "" {
		return SaveResult{}, fmt.Errorf("%w: empty question code", ErrInvalid)
	}
	var out SaveResult
	if err := db.prepareSave(ctx, req); err != nil {
		return out, err
	}
	var err error
	if db.group != nil {
		out, err = db.group.save(ctx, req)
	} else {
		err = db.tx(ctx, func(tx *gorm.DB) error {
			t, err := db.newSaveTxn(tx, false)
			if err != nil {
				return err
			}
			out, err = t.save(ctx, req)
			return err
		})
	}
	if errors.Is(err, errRetryConflict) {
		// Another transaction won between our read and our write: report
		// what it stored.
		cur, _, rerr := getAnswer(db.read(ctx), req.ReportID, req.Code)
		if rerr != nil {
			return SaveResult{}, rerr
		}
		return SaveResult{Answer: cur}, ErrConflict
	}
	return out, err
}

// retried reports whether req is a retry of the save that wrote cur: the
// same client save id, one version on from the base the client knew, by
// the same person.
func retried(req SaveRequest, cur Answer) bool {
	return req.SaveID != "" && cur.SaveID == req.SaveID && cur.Version == req.BaseVersion+1 && cur.UpdatedBy == req.Actor.UserID
}

// errRetryConflict is SaveAnswer's internal signal that the conditional
// write lost a race.
var errRetryConflict = fmt.Errorf("%w: lost race", ErrConflict)

// CarryForward copies into report toReportID the answers of report
// fromReportID to the questions of the chosen sections (section code →
// question codes), marked as carried from the cycle fromCycleLabel ("": the
// source report's cycle) until confirmed or edited. Questions the target already answers are left
// alone. Both reports must be the same State's; the target must be
// editable. It writes one audit entry per section.
func (db *DB) CarryForward(ctx context.Context, toReportID, fromReportID int64, sectionCodes map[string][]string, fromCycleLabel string, actor Actor) error {
	return db.CarryForwardMapped(ctx, toReportID, fromReportID, sectionCodes, nil, fromCycleLabel, actor)
}

// CarryForwardMapped is CarryForward across template versions: sourceOf
// maps a question code of the target report to the code of the source
// report's question whose answer it takes over (surveys.CarrySources);
// codes missing from a non-nil sourceOf are not carried. A nil sourceOf
// carries each code from the same code.
func (db *DB) CarryForwardMapped(ctx context.Context, toReportID, fromReportID int64, sectionCodes map[string][]string, sourceOf map[string]string, fromCycleLabel string, actor Actor) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		to, err := db.editableReport(tx, toReportID)
		if err != nil {
			return err
		}
		from, err := getReport(tx, "WHERE r.id = ?", fromReportID)
		if err != nil {
			return err
		}
		if from.StateISO3 != to.StateISO3 || from.ID == to.ID {
			return fmt.Errorf("%w: cannot carry answers from report %d into report %d", ErrInvalid, from.ID, to.ID)
		}
		if fromCycleLabel == "" {
			fromCycleLabel = from.CycleLabel
		}
		src, err := listAnswers(tx, fromReportID)
		if err != nil {
			return err
		}
		have, err := listAnswers(tx, toReportID)
		if err != nil {
			return err
		}
		now := db.Now()
		for _, section := range sortedKeys(sectionCodes) {
			var copied []string
			for _, code := range sectionCodes[section] {
				from := code
				if sourceOf != nil {
					from = sourceOf[code]
				}
				a, ok := src[from]
				if _, taken := have[code]; !ok || taken {
					continue
				}
				err := tx.Exec(`INSERT INTO answers (report_id, question_code, value, version, carried_from, updated_by, updated_at)
					VALUES (?, ?, ?, 1, ?, ?, ?)`, toReportID, code, valueJSON(a.Value), fromCycleLabel, actor.UserID, now).Error
				if err != nil {
					return err
				}
				have[code] = a
				if from != code {
					code += "←" + from
				}
				copied = append(copied, code)
			}
			if len(copied) == 0 {
				continue
			}
			e := actor.entry(ActionAnswersCarry, toReportID)
			e.Detail = fmt.Sprintf("section %s: %d answers from %s (report %d): %s",
				section, len(copied), fromCycleLabel, fromReportID, strings.Join(copied, ", "))
			if err := db.audit(ctx, tx, e); err != nil {
				return err
			}
		}
		if to.CarriedFromID == nil || *to.CarriedFromID != fromReportID {
			return tx.Exec("UPDATE reports SET carried_from_id = ?, updated_at = ? WHERE id = ?", fromReportID, now, toReportID).Error
		}
		return tx.Exec("UPDATE reports SET updated_at = ? WHERE id = ?", now, toReportID).Error
	})
}

// ConfirmAnswers marks carried answers as "no change since the last
// report": it clears their CarriedFrom and bumps their Version, with one
// audit entry each. Codes without a carried answer are skipped.
func (db *DB) ConfirmAnswers(ctx context.Context, reportID int64, codes []string, actor Actor) error {
	if len(codes) == 0 {
		return nil
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		if _, err := db.editableReport(tx, reportID); err != nil {
			return err
		}
		cur, err := listAnswers(tx, reportID, codes...)
		if err != nil {
			return err
		}
		now := db.Now()
		n := 0
		for _, code := range sortedKeys(cur) {
			a := cur[code]
			if a.CarriedFrom == "" {
				continue
			}
			err := tx.Exec(`UPDATE answers SET carried_from = '', version = version + 1, updated_by = ?, updated_at = ?
				WHERE report_id = ? AND question_code = ?`, actor.UserID, now, reportID, code).Error
			if err != nil {
				return err
			}
			e := actor.entry(ActionAnswersConfirm, reportID)
			e.QuestionCode = code
			e.Detail = "no change since " + a.CarriedFrom
			if err := db.audit(ctx, tx, e); err != nil {
				return err
			}
			n++
		}
		if n == 0 {
			return nil
		}
		return tx.Exec("UPDATE reports SET updated_at = ? WHERE id = ?", now, reportID).Error
	})
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
