package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// PingRound is one round of confirmation messages to points of contact.
// Scope says whom it reached ("all", "group:WEOG", "list:JPN,FRA").
type PingRound struct {
	ID        int64     `gorm:"column:id"`
	Scope     string    `gorm:"column:scope"`
	StartedAt time.Time `gorm:"column:started_at"`
	StartedBy int64     `gorm:"column:started_by"`
	ExpiresAt time.Time `gorm:"column:expires_at"`
	Targets   int       `gorm:"column:targets"`
	Confirmed int       `gorm:"column:confirmed"`
}

// PingTarget is one point of contact reached by a round. The link's token
// is never stored: only its SHA-256.
type PingTarget struct {
	ID          int64      `gorm:"column:id"`
	RoundID     int64      `gorm:"column:round_id"`
	ContactID   *int64     `gorm:"column:contact_id"`
	StateISO3   string     `gorm:"column:state_iso3"`
	Kind        string     `gorm:"column:kind"`
	Mailbox     string     `gorm:"column:mailbox"`
	SentAt      time.Time  `gorm:"column:sent_at"`
	Chases      int        `gorm:"column:chases"`
	ConfirmedAt *time.Time `gorm:"column:confirmed_at"`
	// MailStatus and MailError are those of the latest message to the
	// target (filled by ListPingTargets).
	MailStatus string `gorm:"column:mail_status"`
	MailError  string `gorm:"column:mail_error"`
}

func (t *PingTarget) utc() {
	t.SentAt, t.ConfirmedAt = t.SentAt.UTC(), utcPtr(t.ConfirmedAt)
}

// ErrPingSpent: the confirmation link was used already or has expired.
var ErrPingSpent = fmt.Errorf("%w: the link was used already or has expired", ErrConflict)

// TokenHash is how a confirmation token is stored.
func TokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// PingComposer writes the message that carries target's confirmation link
// with token in it.
type PingComposer func(t *PingTarget, c *Contact, token string) *Mail

// StartPingRound starts a round to every point of contact of the States
// iso3s, valid until expires: in one transaction it records the round and
// its targets and queues one message per contact, each with a fresh
// single-use token. A round that would reach nobody is ErrInvalid.
func (db *DB) StartPingRound(ctx context.Context, scope string, iso3s []string, expires time.Time, actor Actor, compose PingComposer) (*PingRound, error) {
	now := db.Now()
	r := &PingRound{Scope: scope, StartedAt: now, StartedBy: actor.UserID, ExpiresAt: expires.UTC()}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var contacts []Contact
		if err := tx.Raw("SELECT "+contactCols+" FROM contacts WHERE state_iso3 IN ? ORDER BY state_iso3, kind, id", iso3s).Scan(&contacts).Error; err != nil {
			return err
		}
		if len(contacts) == 0 {
			return fmt.Errorf("%w: no point of contact in the round", ErrInvalid)
		}
		if err := tx.Raw(`INSERT INTO ping_rounds (scope, started_at, started_by, expires_at) VALUES (?, ?, ?, ?) RETURNING id`,
			scope, now, actor.UserID, r.ExpiresAt).Scan(&r.ID).Error; err != nil {
			return err
		}
		for i := range contacts {
			c := &contacts[i]
			token := randomHex(32)
			t := &PingTarget{RoundID: r.ID, ContactID: &c.ID, StateISO3: c.StateISO3, Kind: c.Kind, Mailbox: c.Mailbox, SentAt: now}
			if err := tx.Raw(`INSERT INTO ping_targets (round_id, contact_id, state_iso3, kind, mailbox, token_hash, sent_at)
				VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, r.ID, c.ID, c.StateISO3, c.Kind, c.Mailbox, TokenHash(token), now).Scan(&t.ID).Error; err != nil {
				return err
			}
			m := compose(t, c, token)
			m.ContactID = &c.ID
			if err := db.EnqueueTx(tx, m); err != nil {
				return err
			}
		}
		r.Targets = len(contacts)
		e := actor.entry(ActionPingRound, 0)
		e.Detail, e.NewValue = fmt.Sprintf("round %d: %s", r.ID, scope), fmt.Sprintf("%d points of contact", len(contacts))
		return db.audit(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// ChasePingRound sends a new link to every target of the round that has not
// confirmed: the old link stops working, and the round runs at least
// another extendBy. It returns how many were chased.
func (db *DB) ChasePingRound(ctx context.Context, roundID int64, extendBy time.Duration, actor Actor, compose PingComposer) (int, error) {
	n := 0
	err := db.tx(ctx, func(tx *gorm.DB) error {
		r, err := getPingRound(tx, roundID)
		if err != nil {
			return err
		}
		now := db.Now()
		if until := now.Add(extendBy); r.ExpiresAt.Before(until) {
			if err := tx.Exec("UPDATE ping_rounds SET expires_at = ? WHERE id = ?", until, roundID).Error; err != nil {
				return err
			}
		}
		var targets []PingTarget
		if err := tx.Raw(`SELECT id, round_id, contact_id, state_iso3, kind, mailbox, sent_at, chases, confirmed_at
			FROM ping_targets WHERE round_id = ? AND confirmed_at IS NULL ORDER BY id`, roundID).Scan(&targets).Error; err != nil {
			return err
		}
		for i := range targets {
			t := &targets[i]
			if t.ContactID == nil {
				continue // the entry was deleted
			}
			c, err := getContact(tx, "id = ?", *t.ContactID)
			if err != nil {
				return err
			}
			token := randomHex(32)
			if err := tx.Exec("UPDATE ping_targets SET token_hash = ?, chases = chases + 1, mailbox = ? WHERE id = ?",
				TokenHash(token), c.Mailbox, t.ID).Error; err != nil {
				return err
			}
			t.Chases++
			t.Mailbox = c.Mailbox
			m := compose(t, c, token)
			m.ContactID = &c.ID
			if err := db.EnqueueTx(tx, m); err != nil {
				return err
			}
			n++
		}
		e := actor.entry(ActionPingChase, 0)
		e.Detail, e.NewValue = fmt.Sprintf("round %d", roundID), fmt.Sprintf("%d chased", n)
		return db.audit(ctx, tx, e)
	})
	return n, err
}

// PingLink is what a confirmation page shows before the click.
type PingLink struct {
	StateName string
	Kind      string
	Mailbox   string
	ExpiresAt time.Time
}

// PeekPing returns what the link token is for, without using it; a
// spent or expired link is ErrPingSpent, an unknown one ErrNotFound.
func (db *DB) PeekPing(ctx context.Context, token string) (*PingLink, error) {
	var rows []struct {
		PingLink
		ConfirmedAt *time.Time `gorm:"column:confirmed_at"`
	}
	err := db.read(ctx).Raw(`SELECT s.name AS state_name, t.kind, t.mailbox, r.expires_at, t.confirmed_at
		FROM ping_targets t JOIN ping_rounds r ON r.id = t.round_id JOIN states s ON s.iso3 = t.state_iso3
		WHERE t.token_hash = ?`, TokenHash(token)).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, ErrNotFound
	}
	if rows[0].ConfirmedAt != nil || !db.Now().Before(rows[0].ExpiresAt) {
		return nil, ErrPingSpent
	}
	l := rows[0].PingLink
	l.ExpiresAt = l.ExpiresAt.UTC()
	return &l, nil
}

// ConfirmPing uses the link token: once, before the round expires. It
// records the confirmation on the target and on the directory entry (if
// the entry still has the mailbox the link went to), audited.
func (db *DB) ConfirmPing(ctx context.Context, token string) (*PingTarget, error) {
	var t PingTarget
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var rows []struct {
			PingTarget
			ExpiresAt time.Time `gorm:"column:expires_at"`
		}
		err := tx.Raw(`SELECT t.id, t.round_id, t.contact_id, t.state_iso3, t.kind, t.mailbox, t.sent_at, t.chases, t.confirmed_at, r.expires_at
			FROM ping_targets t JOIN ping_rounds r ON r.id = t.round_id WHERE t.token_hash = ?`, TokenHash(token)).Scan(&rows).Error
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return ErrNotFound
		}
		t = rows[0].PingTarget
		now := db.Now()
		if t.ConfirmedAt != nil || !now.Before(rows[0].ExpiresAt) {
			return ErrPingSpent
		}
		// The condition makes the use single even if two clicks race.
		res := tx.Exec("UPDATE ping_targets SET confirmed_at = ? WHERE id = ? AND confirmed_at IS NULL", now, t.ID)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrPingSpent
		}
		t.ConfirmedAt = &now
		if t.ContactID == nil {
			return nil
		}
		c, err := getContact(tx, "id = ?", *t.ContactID)
		if err != nil || c.Mailbox != t.Mailbox {
			return nil // deleted or changed since: the old address proves nothing
		}
		return confirmContact(ctx, db, tx, c, Actor{Email: t.Mailbox}, fmt.Sprintf("by link (round %d)", t.RoundID))
	})
	if err != nil {
		return nil, err
	}
	t.utc()
	return &t, nil
}

const pingRoundSelect = `SELECT r.id, r.scope, r.started_at, r.started_by, r.expires_at,
	(SELECT COUNT(*) FROM ping_targets t WHERE t.round_id = r.id) AS targets,
	(SELECT COUNT(*) FROM ping_targets t WHERE t.round_id = r.id AND t.confirmed_at IS NOT NULL) AS confirmed
	FROM ping_rounds r`

func getPingRound(q *gorm.DB, id int64) (*PingRound, error) {
	var out []PingRound
	if err := q.Raw(pingRoundSelect+" WHERE r.id = ?", id).Scan(&out).Error; err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, ErrNotFound
	}
	out[0].StartedAt, out[0].ExpiresAt = out[0].StartedAt.UTC(), out[0].ExpiresAt.UTC()
	return &out[0], nil
}

// GetPingRound returns round id with its counts.
func (db *DB) GetPingRound(ctx context.Context, id int64) (*PingRound, error) {
	return getPingRound(db.read(ctx), id)
}

// ListPingRounds lists every round, newest first, with its counts.
func (db *DB) ListPingRounds(ctx context.Context) ([]PingRound, error) {
	var out []PingRound
	if err := db.read(ctx).Raw(pingRoundSelect + " ORDER BY r.id DESC").Scan(&out).Error; err != nil {
		return nil, err
	}
	for i := range out {
		out[i].StartedAt, out[i].ExpiresAt = out[i].StartedAt.UTC(), out[i].ExpiresAt.UTC()
	}
	return out, nil
}

// ListPingTargets lists the targets of a round by State and kind, each
// with the status of the latest message sent to its entry.
func (db *DB) ListPingTargets(ctx context.Context, roundID int64) ([]PingTarget, error) {
	var out []PingTarget
	err := db.read(ctx).Raw(`SELECT t.id, t.round_id, t.contact_id, t.state_iso3, t.kind, t.mailbox, t.sent_at, t.chases, t.confirmed_at,
			COALESCE(o.status, '') AS mail_status, COALESCE(o.last_error, '') AS mail_error
		FROM ping_targets t
		LEFT JOIN outbox o ON o.id = (SELECT MAX(id) FROM outbox WHERE kind = 'ping' AND contact_id = t.contact_id AND to_addr = t.mailbox)
		WHERE t.round_id = ? ORDER BY t.state_iso3, t.kind, t.id`, roundID).Scan(&out).Error
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].utc()
	}
	return out, nil
}
