package models

import (
	"context"
	"encoding/json"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The kinds of point of contact.
const (
	ContactDiplomatic = "diplomatic"
	ContactTechnical  = "technical"
)

// ContactKinds lists the kinds of point of contact in display order.
var ContactKinds = []string{ContactDiplomatic, ContactTechnical}

// StaleAfter is how long a confirmation holds: an entry not confirmed for
// this long stands out in the directory.
const StaleAfter = 365 * 24 * time.Hour

// Contact is one point of contact of a State in the directory. Mailbox is
// an office mailbox, so that the contact survives staff changes; a
// personal name is optional.
type Contact struct {
	ID           int64      `gorm:"column:id" json:"id"`
	StateISO3    string     `gorm:"column:state_iso3" json:"state"`
	Kind         string     `gorm:"column:kind" json:"kind"`
	Function     string     `gorm:"column:function" json:"function"`
	Organisation string     `gorm:"column:organisation" json:"organisation"`
	Mailbox      string     `gorm:"column:mailbox" json:"mailbox"`
	PersonName   string     `gorm:"column:person_name" json:"person_name"`
	Phone        string     `gorm:"column:phone" json:"phone"`
	Languages    string     `gorm:"column:languages" json:"languages"`
	TimeZone     string     `gorm:"column:time_zone" json:"time_zone"`
	Hours        string     `gorm:"column:hours" json:"hours"`
	ConfirmedAt  *time.Time `gorm:"column:confirmed_at" json:"confirmed_at"`
	PingFailedAt *time.Time `gorm:"column:ping_failed_at" json:"ping_failed_at"`
	UpdatedAt    time.Time  `gorm:"column:updated_at" json:"-"`
	UpdatedBy    int64      `gorm:"column:updated_by" json:"-"`
}

const contactCols = "id, state_iso3, kind, function, organisation, mailbox, person_name, phone, languages, time_zone, hours, confirmed_at, ping_failed_at, updated_at, updated_by"

func (c *Contact) utc() {
	c.UpdatedAt = c.UpdatedAt.UTC()
	c.ConfirmedAt = utcPtr(c.ConfirmedAt)
	c.PingFailedAt = utcPtr(c.PingFailedAt)
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// Stale reports whether the entry stands out at now: never confirmed or
// not for StaleAfter, or its last ping message could not be delivered.
func (c *Contact) Stale(now time.Time) bool {
	if c.PingFailedAt != nil {
		return true
	}
	return c.ConfirmedAt == nil || now.Sub(*c.ConfirmedAt) > StaleAfter
}

// Contact field limits.
const maxContactField = 200

// Normalize trims c's fields and checks them: a known kind, a single plain
// mailbox address, no field longer than 200 characters.
func (c *Contact) Normalize() error {
	for _, f := range []*string{&c.Kind, &c.Function, &c.Organisation, &c.Mailbox, &c.PersonName, &c.Phone, &c.Languages, &c.TimeZone, &c.Hours} {
		*f = strings.TrimSpace(*f)
		if len([]rune(*f)) > maxContactField {
			return fmt.Errorf("%w: a field is longer than %d characters", ErrInvalid, maxContactField)
		}
	}
	if c.Kind != ContactDiplomatic && c.Kind != ContactTechnical {
		return fmt.Errorf("%w: contact kind %q", ErrInvalid, c.Kind)
	}
	c.Mailbox = NormalizeEmail(c.Mailbox)
	if !ValidMailbox(c.Mailbox) {
		return fmt.Errorf("%w: mailbox %q", ErrInvalid, c.Mailbox)
	}
	return nil
}

// ValidMailbox reports whether s is one plain address (no display name)
// with a dot in its domain.
func ValidMailbox(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && strings.Contains(s[at+1:], ".") && !strings.ContainsAny(s, "\r\n")
}

// Audit actions of the directory.
const (
	ActionContactCreate  = "contact.create"
	ActionContactUpdate  = "contact.update"
	ActionContactDelete  = "contact.delete"
	ActionContactConfirm = "contact.confirm"
	ActionPingRound      = "ping.round"
	ActionPingChase      = "ping.chase"
)

func contactJSON(c *Contact) string {
	if c == nil {
		return ""
	}
	b, _ := json.Marshal(c)
	return string(b)
}

func getContact(q *gorm.DB, where string, args ...any) (*Contact, error) {
	var out []Contact
	if err := q.Raw("SELECT "+contactCols+" FROM contacts WHERE "+where, args...).Scan(&out).Error; err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, ErrNotFound
	}
	out[0].utc()
	return &out[0], nil
}

// GetContact returns the contact id of the State iso3.
func (db *DB) GetContact(ctx context.Context, iso3 string, id int64) (*Contact, error) {
	return getContact(db.read(ctx), "id = ? AND state_iso3 = ?", id, iso3)
}

// ListContacts lists the contacts of the States iso3s (all States when
// none are given), by State, kind and id.
func (db *DB) ListContacts(ctx context.Context, iso3s ...string) ([]Contact, error) {
	q := db.read(ctx).Table("contacts").Select(contactCols).Order("state_iso3, kind, id")
	if len(iso3s) > 0 {
		q = q.Where("state_iso3 IN ?", iso3s)
	}
	var out []Contact
	if err := q.Scan(&out).Error; err != nil {
		return nil, err
	}
	for i := range out {
		out[i].utc()
	}
	return out, nil
}

// SaveContact creates c (c.ID == 0) or updates it, within its State, and
// records the change with the old and new values in the audit log. A
// changed mailbox clears the confirmation and a failed ping: the new
// address has not been confirmed.
func (db *DB) SaveContact(ctx context.Context, c *Contact, actor Actor) error {
	if err := c.Normalize(); err != nil {
		return err
	}
	now := db.Now()
	return db.tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Raw("SELECT COUNT(*) FROM states WHERE iso3 = ?", c.StateISO3).Scan(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("%w: unknown State %q", ErrNotFound, c.StateISO3)
		}
		e := actor.entry(ActionContactCreate, 0)
		e.Detail = c.StateISO3 + " " + c.Kind
		c.UpdatedAt, c.UpdatedBy = now, actor.UserID
		if c.ID == 0 {
			err := tx.Raw(`INSERT INTO contacts (state_iso3, kind, function, organisation, mailbox, person_name, phone,
					languages, time_zone, hours, confirmed_at, updated_at, updated_by)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				c.StateISO3, c.Kind, c.Function, c.Organisation, c.Mailbox, c.PersonName, c.Phone,
				c.Languages, c.TimeZone, c.Hours, c.ConfirmedAt, now, actor.UserID).Scan(&c.ID).Error
			if err != nil {
				return err
			}
			e.NewValue = contactJSON(c)
			return db.audit(ctx, tx, e)
		}
		old, err := getContact(tx, "id = ? AND state_iso3 = ?", c.ID, c.StateISO3)
		if err != nil {
			return err
		}
		c.ConfirmedAt, c.PingFailedAt = old.ConfirmedAt, old.PingFailedAt
		if old.Mailbox != c.Mailbox {
			c.ConfirmedAt, c.PingFailedAt = nil, nil
		}
		err = tx.Exec(`UPDATE contacts SET kind = ?, function = ?, organisation = ?, mailbox = ?, person_name = ?, phone = ?,
				languages = ?, time_zone = ?, hours = ?, confirmed_at = ?, ping_failed_at = ?, updated_at = ?, updated_by = ?
			WHERE id = ?`,
			c.Kind, c.Function, c.Organisation, c.Mailbox, c.PersonName, c.Phone, c.Languages, c.TimeZone, c.Hours,
			c.ConfirmedAt, c.PingFailedAt, now, actor.UserID, c.ID).Error
		if err != nil {
			return err
		}
		e.Action, e.OldValue, e.NewValue = ActionContactUpdate, contactJSON(old), contactJSON(c)
		return db.audit(ctx, tx, e)
	})
}

// DeleteContact removes a contact of the State iso3 (audited).
func (db *DB) DeleteContact(ctx context.Context, iso3 string, id int64, actor Actor) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		old, err := getContact(tx, "id = ? AND state_iso3 = ?", id, iso3)
		if err != nil {
			return err
		}
		if err := tx.Exec("DELETE FROM contacts WHERE id = ?", id).Error; err != nil {
			return err
		}
		e := actor.entry(ActionContactDelete, 0)
		e.Detail, e.OldValue = iso3+" "+old.Kind, contactJSON(old)
		return db.audit(ctx, tx, e)
	})
}

// ConfirmContact marks a contact of iso3 as confirmed now by its State's
// focal point (audited).
func (db *DB) ConfirmContact(ctx context.Context, iso3 string, id int64, actor Actor) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		c, err := getContact(tx, "id = ? AND state_iso3 = ?", id, iso3)
		if err != nil {
			return err
		}
		return confirmContact(ctx, db, tx, c, actor, "by the State")
	})
}

func confirmContact(ctx context.Context, db *DB, tx *gorm.DB, c *Contact, actor Actor, how string) error {
	now := db.Now()
	if err := tx.Exec("UPDATE contacts SET confirmed_at = ?, ping_failed_at = NULL WHERE id = ?", now, c.ID).Error; err != nil {
		return err
	}
	e := actor.entry(ActionContactConfirm, 0)
	e.Detail = c.StateISO3 + " " + c.Kind + " " + c.Mailbox + " " + how
	e.NewValue = now.Format(time.RFC3339)
	if c.ConfirmedAt != nil {
		e.OldValue = c.ConfirmedAt.Format(time.RFC3339)
	}
	return db.audit(ctx, tx, e)
}

// MarkContactPingFailed records that a message to the contact could not be
// delivered: the entry stands out until confirmed or its mailbox changes.
func (db *DB) MarkContactPingFailed(ctx context.Context, contactID int64) error {
	return db.w.WithContext(ctx).Exec("UPDATE contacts SET ping_failed_at = ? WHERE id = ?", db.Now(), contactID).Error
}
