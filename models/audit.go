package models

import (
	"context"
	"database/sql"
	"time"

	"gorm.io/gorm"
)

// Actor is who makes a change, as recorded in the audit log.
type Actor struct {
	UserID int64
	Email  string
	IP     string
}

// AuditEntry is one line of the append-only audit log. Action names a kind
// of change: answer.save, answers.carry, answers.confirm, report.create,
// report.status, report.visibility, section.assign, comment.add,
// cycle.create, cycle.update, and the account events login.ok, login.fail,
// logout, user.create, user.disable, user.role, password.change, and the
// refused tries login.throttled, submit.throttled, submit.wrong_password.
type AuditEntry struct {
	ID           int64     `gorm:"column:id"`
	At           time.Time `gorm:"column:at"`
	UserID       int64     `gorm:"column:user_id"`
	Email        string    `gorm:"column:email"`
	IP           string    `gorm:"column:ip"`
	ReportID     *int64    `gorm:"column:report_id"`
	Action       string    `gorm:"column:action"`
	QuestionCode string    `gorm:"column:question_code"`
	OldValue     string    `gorm:"column:old_value"`
	NewValue     string    `gorm:"column:new_value"`
	Detail       string    `gorm:"column:detail"`
}

// The audit actions written by this package.
const (
	ActionAnswerSave       = "answer.save"
	ActionAnswersCarry     = "answers.carry"
	ActionAnswersConfirm   = "answers.confirm"
	ActionReportCreate     = "report.create"
	ActionReportStatus     = "report.status"
	ActionReportVisibility = "report.visibility"
	ActionSectionAssign    = "section.assign"
	ActionCommentAdd       = "comment.add"
	ActionCycleCreate      = "cycle.create"
	ActionCycleUpdate      = "cycle.update"

	// Sign-in events that the handlers record.
	ActionLoginThrottled      = "login.throttled"
	ActionSubmitThrottled     = "submit.throttled"
	ActionSubmitWrongPassword = "submit.wrong_password"
)

const auditCols = "id, at, user_id, email, ip, report_id, action, question_code, old_value, new_value, detail"

// audit appends e to the audit log through tx, the transaction of the
// change it records, so both commit or neither does (nil: on its own). A
// zero e.At means now.
func (db *DB) audit(ctx context.Context, tx *gorm.DB, e AuditEntry) error {
	if tx == nil {
		tx = db.w
	}
	if e.At.IsZero() {
		e.At = db.Now()
	}
	args := auditArgs(e)
	if _, inTx := tx.Statement.ConnPool.(*sql.Tx); inTx {
		// Inside a transaction: a statement prepared once (hot.go).
		_, err := db.txExec(ctx, tx, auditInsert, args...)
		return err
	}
	return tx.WithContext(ctx).Exec(auditInsert, args...).Error
}

// auditArgs are the arguments of auditInsert for e.
func auditArgs(e AuditEntry) []any {
	return []any{e.At.UTC(), e.UserID, e.Email, e.IP, e.ReportID, e.Action, e.QuestionCode, e.OldValue, e.NewValue, e.Detail}
}

const auditInsert = `INSERT INTO audit_log
		(at, user_id, email, ip, report_id, action, question_code, old_value, new_value, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// AddAudit appends e to the audit log on its own, for events that change
// no other row (a failed sign-in, a sign-out); changes record theirs in
// their own transaction.
func (db *DB) AddAudit(ctx context.Context, e AuditEntry) error { return db.audit(ctx, nil, e) }

// entry starts an audit entry for a change by a.
func (a Actor) entry(action string, reportID int64) AuditEntry {
	e := AuditEntry{UserID: a.UserID, Email: a.Email, IP: a.IP, Action: action}
	if reportID != 0 {
		e.ReportID = &reportID
	}
	return e
}

// ListAudit lists the entries of the given reports, newest first, at most
// limit of them (limit <= 0: all).
func (db *DB) ListAudit(ctx context.Context, reportIDs []int64, limit int) ([]AuditEntry, error) {
	if len(reportIDs) == 0 {
		return nil, nil
	}
	q := db.read(ctx).Table("audit_log").Select(auditCols).Where("report_id IN ?", reportIDs).Order("id DESC")
	if limit > 0 {
		q = q.Limit(limit)
	}
	return scanAudit(q)
}

// ListAuditAll lists the latest entries of the whole log, newest first, at
// most limit of them (limit <= 0: all).
func (db *DB) ListAuditAll(ctx context.Context, limit int) ([]AuditEntry, error) {
	q := db.read(ctx).Table("audit_log").Select(auditCols).Order("id DESC")
	if limit > 0 {
		q = q.Limit(limit)
	}
	return scanAudit(q)
}

func scanAudit(q *gorm.DB) ([]AuditEntry, error) {
	var out []AuditEntry
	if err := q.Scan(&out).Error; err != nil {
		return nil, err
	}
	for i := range out {
		out[i].At = out[i].At.UTC()
	}
	return out, nil
}
