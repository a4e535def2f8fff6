package models

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/natreport/natreport/surveys"
	"gorm.io/gorm"
)

// saveTxn is the write transaction of one save, or of a group of saves
// (groupcommit.go). Each statement is bound to the transaction once and
// kept for the saves that follow: binding a statement to a transaction
// allocates, and a group runs the same five statements for each save.
type saveTxn struct {
	db    *DB
	tx    *gorm.DB
	sqlTx *sql.Tx
	stmts map[string]*sql.Stmt
	// touched, in a group, collects the reports the group changed with the
	// time of their last save: each is touched once, before the commit
	// (flush), rather than once per save. nil: each save touches its own.
	touched map[int64]time.Time
}

// newSaveTxn wraps tx, a GORM transaction over database/sql.
func (db *DB) newSaveTxn(tx *gorm.DB, group bool) (*saveTxn, error) {
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return nil, errNotSQLTx
	}
	t := &saveTxn{db: db, tx: tx, sqlTx: sqlTx, stmts: map[string]*sql.Stmt{}}
	if group {
		t.touched = map[int64]time.Time{}
	}
	return t, nil
}

// stmt returns q bound to the transaction (see DB.txStmt).
func (t *saveTxn) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st := t.stmts[q]; st != nil {
		return st, nil
	}
	st, err := t.db.txStmt(ctx, t.tx, q)
	if err != nil {
		return nil, err
	}
	t.stmts[q] = st
	return st, nil
}

// exec runs q and returns the rows it changed.
func (t *saveTxn) exec(ctx context.Context, q string, args ...any) (int64, error) {
	st, err := t.stmt(ctx, q)
	if err != nil {
		return 0, err
	}
	return rowsChanged(st.ExecContext(ctx, args...))
}

// touch records that a save changed report id at now: at once, or in a
// group when the group is flushed.
func (t *saveTxn) touch(ctx context.Context, id int64, now time.Time) error {
	if t.touched != nil {
		if now.After(t.touched[id]) {
			t.touched[id] = now
		}
		return nil
	}
	_, err := t.exec(ctx, reportTouch, now, id)
	return err
}

// flush touches the reports a group changed.
func (t *saveTxn) flush(ctx context.Context) error {
	for id, at := range t.touched {
		if _, err := t.exec(ctx, reportTouch, at, id); err != nil {
			return err
		}
	}
	clear(t.touched)
	return nil
}

// saveCodes are the questions whose stored answers a save reads: its own
// first, then those of req.With, each once.
func saveCodes(req SaveRequest) []string {
	codes := make([]string, 1, 1+len(req.With))
	codes[0] = req.Code
	for _, c := range req.With {
		if !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	return codes
}

// saveReadSQL reads, in one statement, the status of the report a save
// changes and the stored answers to n questions of it: one row with NULL
// answer columns when it has none of them, no row when there is no such
// report. On PostgreSQL it locks the report row (see editableReport).
func (db *DB) saveReadSQL(n int) string {
	pg := 0
	if db.Dialect == DialectPostgres {
		pg = 1
	}
	if n < len(saveReadN[pg]) {
		return saveReadN[pg][n]
	}
	return saveReadText(n, pg == 1)
}

func saveReadText(n int, pg bool) string {
	q := "SELECT r.status, a.question_code, a.value, a.version, a.carried_from, a.updated_by, a.updated_at, a.save_id " +
		"FROM reports r LEFT JOIN answers a ON a.report_id = r.id AND a.question_code IN (?" + strings.Repeat(", ?", n-1) + ") " +
		"WHERE r.id = ?"
	if pg {
		q += " FOR NO KEY UPDATE OF r"
	}
	return q
}

// saveReadN are the texts of saveReadSQL for small n, on SQLite [0] and
// PostgreSQL [1].
var saveReadN = func() (out [2][32]string) {
	for n := 1; n < len(out[0]); n++ {
		out[0][n], out[1][n] = saveReadText(n, false), saveReadText(n, true)
	}
	return out
}()

// read returns the stored answers to codes of the report a save changes,
// refusing the save (ErrNotFound, ErrReadOnly) unless the report may
// change.
func (t *saveTxn) read(ctx context.Context, reportID int64, codes []string) (map[string]Answer, error) {
	args := make([]any, 0, len(codes)+1)
	for _, c := range codes {
		args = append(args, c)
	}
	args = append(args, reportID)
	st, err := t.stmt(ctx, t.db.saveReadSQL(len(codes)))
	if err != nil {
		return nil, err
	}
	found, status := false, ""
	out := make(map[string]Answer, len(codes))
	var (
		code, value, carried, saveID sql.NullString
		version, by                  sql.NullInt64
		at                           sql.NullTime
	)
	err = eachRow(st.QueryContext(ctx, args...))(func(rows *sql.Rows) error {
		found = true
		if err := rows.Scan(&status, &code, &value, &version, &carried, &by, &at, &saveID); err != nil {
			return err
		}
		if !code.Valid {
			return nil
		}
		r := answerRow{ReportID: reportID, QuestionCode: code.String, Value: value.String, Version: int(version.Int64),
			CarriedFrom: carried.String, UpdatedBy: by.Int64, UpdatedAt: at.Time, SaveID: saveID.String}
		a, err := r.answer()
		out[a.QuestionCode] = a
		return err
	})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, ErrNotFound
	}
	if !surveys.Editable(status) {
		return nil, fmt.Errorf("%w: report %d is %s", ErrReadOnly, reportID, status)
	}
	return out, nil
}

// saveTx is one save inside a write transaction. On ErrConflict the
// result holds the stored answer. It reads once (the report's status and
// the answers the save and its reply need), then writes; a refusal
// (ErrNotFound, ErrReadOnly, ErrConflict) comes before any write.
func (t *saveTxn) save(ctx context.Context, req SaveRequest) (SaveResult, error) {
	var out SaveResult
	stored, err := t.read(ctx, req.ReportID, saveCodes(req))
	if err != nil {
		return out, err
	}
	cur, ok := stored[req.Code]
	if retried(req, cur) {
		if surveys.Equal(cur.Value, req.Value) {
			// The save committed before; its reply was lost. Answer it
			// again from what it stored.
			out.Answer = cur
			withValues(req, stored, &out)
			return out, nil
		}
		// Our own earlier save, since edited further: build on it.
		req.BaseVersion = cur.Version
	}
	if cur.Version != req.BaseVersion {
		out.Answer = cur
		return out, ErrConflict
	}
	now := t.db.Now()
	next := Answer{ReportID: req.ReportID, QuestionCode: req.Code, Value: req.Value, Version: req.BaseVersion + 1,
		UpdatedBy: req.Actor.UserID, UpdatedAt: now, SaveID: req.SaveID}
	// The WHERE on version (or ON CONFLICT for a first answer) makes the
	// write itself conditional, so two PostgreSQL transactions that both
	// read baseVersion cannot both succeed.
	var changed int64
	if ok {
		changed, err = t.exec(ctx, answerUpdate,
			valueJSON(req.Value), next.Version, req.Actor.UserID, now, req.SaveID, req.ReportID, req.Code, req.BaseVersion)
	} else {
		changed, err = t.exec(ctx, answerInsert,
			req.ReportID, req.Code, valueJSON(req.Value), next.Version, req.Actor.UserID, now, req.SaveID)
	}
	if err != nil {
		return out, err
	}
	if changed == 0 {
		return out, errRetryConflict
	}
	e := req.Actor.entry(ActionAnswerSave, req.ReportID)
	e.At = now
	e.QuestionCode = req.Code
	if ok {
		e.OldValue = req.Summary(cur.Value)
	}
	e.NewValue = req.Summary(req.Value)
	if _, err := t.exec(ctx, auditInsert, auditArgs(e)...); err != nil {
		return out, err
	}
	// Last, so that a group never touches a report for a save it undid.
	if err := t.touch(ctx, req.ReportID, now); err != nil {
		return out, err
	}
	out.Answer = next
	withValues(req, stored, &out)
	return out, nil
}

// withValues fills out.With with the values of req.With as the save
// leaves them: those read in its transaction, and its own.
func withValues(req SaveRequest, stored map[string]Answer, out *SaveResult) {
	if len(req.With) == 0 {
		return
	}
	out.With = make(map[string]surveys.Value, len(req.With)+1)
	for _, code := range req.With {
		if a, ok := stored[code]; ok {
			out.With[code] = a.Value
		}
	}
	out.With[req.Code] = out.Answer.Value
}
