package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Outbox statuses: a message waits (pending, also between retries), was
// accepted by the SMTP server (sent) or gave up (failed: a refused address,
// or too many attempts). Nothing is ever deleted: a failed message can be
// retried from /admin/outbox.
const (
	MailPending = "pending"
	MailSent    = "sent"
	MailFailed  = "failed"
)

// Mail is one message in the outbox. It is written in the transaction of
// the change that causes it and sent later by the mail worker, so a
// request never waits for a mail server.
type Mail struct {
	ID        int64     `gorm:"column:id"`
	CreatedAt time.Time `gorm:"column:created_at"`
	// Kind names the notice (ping, due, cycle_open, assigned, match, digest).
	Kind    string `gorm:"column:kind"`
	To      string `gorm:"column:to_addr"`
	Lang    string `gorm:"column:lang"`
	Subject string `gorm:"column:subject"`
	Body    string `gorm:"column:body"`
	// MessageID is the left part of the Message-ID header, fixed when the
	// message is queued so that every attempt carries the same one.
	MessageID string `gorm:"column:message_id"`
	// DedupKey, when set, makes the message once-only: a second message
	// with the same key is not queued (reminders, digests).
	DedupKey *string `gorm:"column:dedup_key"`
	// ContactID, when set, is the directory entry the message goes to: a
	// refused address marks the entry as failed.
	ContactID     *int64     `gorm:"column:contact_id"`
	Status        string     `gorm:"column:status"`
	Attempts      int        `gorm:"column:attempts"`
	NextAttemptAt time.Time  `gorm:"column:next_attempt_at"`
	LeaseHolder   string     `gorm:"column:lease_holder"`
	LeaseUntil    *time.Time `gorm:"column:lease_until"`
	LastError     string     `gorm:"column:last_error"`
	SentAt        *time.Time `gorm:"column:sent_at"`
}

const mailCols = "id, created_at, kind, to_addr, lang, subject, body, message_id, dedup_key, contact_id, status, attempts, next_attempt_at, lease_holder, lease_until, last_error, sent_at"

func (m *Mail) utc() {
	m.CreatedAt, m.NextAttemptAt = m.CreatedAt.UTC(), m.NextAttemptAt.UTC()
	m.LeaseUntil, m.SentAt = utcPtr(m.LeaseUntil), utcPtr(m.SentAt)
}

// Key returns a pointer to key, for Mail.DedupKey.
func Key(key string) *string { return &key }

// randomHex is n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// EnqueueTx queues msgs through tx, the transaction of the change that
// causes them, so that the change and its messages commit together or not
// at all. A message whose DedupKey was already queued is skipped. It
// fills each message's ID (0 when skipped), status and times.
func (db *DB) EnqueueTx(tx *gorm.DB, msgs ...*Mail) error {
	now := db.Now()
	for _, m := range msgs {
		m.To = NormalizeEmail(m.To)
		if m.To == "" || m.Subject == "" || m.Kind == "" {
			return fmt.Errorf("%w: a message needs a kind, a recipient and a subject", ErrInvalid)
		}
		if strings.ContainsAny(m.To+m.Subject, "\r\n") {
			return fmt.Errorf("%w: line break in a header", ErrInvalid)
		}
		if m.Lang == "" {
			m.Lang = "en"
		}
		m.CreatedAt, m.NextAttemptAt, m.Status = now, now, MailPending
		if m.MessageID == "" {
			m.MessageID = randomHex(16)
		}
		var ids []int64
		err := tx.Raw(`INSERT INTO outbox (created_at, kind, to_addr, lang, subject, body, message_id, dedup_key, contact_id,
				status, attempts, next_attempt_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)
			ON CONFLICT (dedup_key) DO NOTHING RETURNING id`,
			now, m.Kind, m.To, m.Lang, m.Subject, m.Body, m.MessageID, m.DedupKey, m.ContactID, MailPending, now).Scan(&ids).Error
		if err != nil {
			return err
		}
		m.ID = 0
		if len(ids) > 0 {
			m.ID = ids[0]
		}
	}
	return nil
}

// Enqueue queues msgs in a transaction of their own (for notices that no
// change causes: reminders, digests).
func (db *DB) Enqueue(ctx context.Context, msgs ...*Mail) error {
	return db.tx(ctx, func(tx *gorm.DB) error { return db.EnqueueTx(tx.WithContext(ctx), msgs...) })
}

// ClaimMail leases up to n pending messages whose time has come to holder
// for leaseFor and returns them. A message is claimed by one holder at a
// time: the conditional UPDATE settles races between instances (on
// PostgreSQL the losing UPDATE re-checks the row after the winner commits
// and skips it). A holder that dies leaves its lease to expire.
func (db *DB) ClaimMail(ctx context.Context, holder string, n int, leaseFor time.Duration) ([]Mail, error) {
	now := db.Now()
	claim := holder + "/" + randomHex(6)
	var out []Mail
	err := db.tx(ctx, func(tx *gorm.DB) error {
		err := tx.Exec(`UPDATE outbox SET lease_holder = ?, lease_until = ?
			WHERE id IN (SELECT id FROM outbox WHERE status = ? AND next_attempt_at <= ?
					AND (lease_until IS NULL OR lease_until < ?) ORDER BY id LIMIT ?)
				AND status = ? AND (lease_until IS NULL OR lease_until < ?)`,
			claim, now.Add(leaseFor), MailPending, now, now, n, MailPending, now).Error
		if err != nil {
			return err
		}
		return tx.Raw("SELECT "+mailCols+" FROM outbox WHERE lease_holder = ? ORDER BY id", claim).Scan(&out).Error
	})
	for i := range out {
		out[i].utc()
	}
	return out, err
}

// confirmToken finds the single-use token of a confirmation link.
var confirmToken = regexp.MustCompile(`(/confirm/)[0-9a-f]{64}`)

// RedactedLink replaces a confirmation link's token once its message is sent.
const RedactedLink = "[link sent, not kept]"

// MarkMailSent records that the server accepted the message claimed by m.
// The token of a confirmation link in it is not kept: only its hash stays
// (ping_targets), so the outbox cannot be used to confirm for someone.
func (db *DB) MarkMailSent(ctx context.Context, m *Mail) error {
	body := confirmToken.ReplaceAllString(m.Body, "${1}"+RedactedLink)
	return db.w.WithContext(ctx).Exec(`UPDATE outbox SET status = ?, sent_at = ?, attempts = attempts + 1, last_error = '',
			body = ?, lease_holder = '', lease_until = NULL WHERE id = ? AND lease_holder = ?`,
		MailSent, db.Now(), body, m.ID, m.LeaseHolder).Error
}

// MarkMailFailed records a failed attempt at m with its error: retried at
// retryAt, or given up when retryAt is nil (then a message to a directory
// entry marks the entry as failed).
func (db *DB) MarkMailFailed(ctx context.Context, m *Mail, errText string, retryAt *time.Time) error {
	if len(errText) > 1000 {
		errText = errText[:1000]
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		status, next := MailPending, db.Now()
		if retryAt != nil {
			next = retryAt.UTC()
		} else {
			status = MailFailed
		}
		res := tx.Exec(`UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
				lease_holder = '', lease_until = NULL WHERE id = ? AND lease_holder = ?`,
			status, errText, next, m.ID, m.LeaseHolder)
		if res.Error != nil || res.RowsAffected == 0 || status != MailFailed || m.ContactID == nil {
			return res.Error
		}
		return tx.Exec("UPDATE contacts SET ping_failed_at = ? WHERE id = ?", db.Now(), *m.ContactID).Error
	})
}

// RetryMail puts a failed message back in the queue, to be sent now.
func (db *DB) RetryMail(ctx context.Context, id int64) error {
	res := db.w.WithContext(ctx).Exec(`UPDATE outbox SET status = ?, next_attempt_at = ?, lease_holder = '', lease_until = NULL
		WHERE id = ? AND status = ?`, MailPending, db.Now(), id, MailFailed)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("%w: message %d is not a failed one", ErrConflict, id)
	}
	return nil
}

// GetMail returns the outbox message id.
func (db *DB) GetMail(ctx context.Context, id int64) (*Mail, error) {
	var out []Mail
	if err := db.read(ctx).Raw("SELECT "+mailCols+" FROM outbox WHERE id = ?", id).Scan(&out).Error; err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, ErrNotFound
	}
	out[0].utc()
	return &out[0], nil
}

// ListMail lists the latest outbox messages, newest first: those of status
// (all when ""), at most limit.
func (db *DB) ListMail(ctx context.Context, status string, limit int) ([]Mail, error) {
	q := db.read(ctx).Table("outbox").Select(mailCols).Order("id DESC").Limit(limit)
	if status != "" {
		q = q.Where("status = ?", status)
	}
	var out []Mail
	if err := q.Scan(&out).Error; err != nil {
		return nil, err
	}
	for i := range out {
		out[i].utc()
	}
	return out, nil
}

// MailCounts counts the outbox messages by status.
func (db *DB) MailCounts(ctx context.Context) (map[string]int, error) {
	var rows []struct {
		Status string `gorm:"column:status"`
		N      int    `gorm:"column:n"`
	}
	if err := db.read(ctx).Raw("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status").Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}
