package models

import (
	"context"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// Prefs are a user's interface language (the one notices are written in)
// and the optional notices the user turned off.
type Prefs struct {
	UserID    int64    `gorm:"column:user_id"`
	Lang      string   `gorm:"column:lang"`
	NotifyOff []string `gorm:"-"`
}

// Off reports whether the user turned the notice kind off.
func (p Prefs) Off(kind string) bool { return slices.Contains(p.NotifyOff, kind) }

// GetPrefs returns the preferences of user id (empty ones if never set).
func (db *DB) GetPrefs(ctx context.Context, userID int64) (Prefs, error) {
	var rows []struct {
		Lang      string `gorm:"column:lang"`
		NotifyOff string `gorm:"column:notify_off"`
	}
	if err := db.read(ctx).Raw("SELECT lang, notify_off FROM user_prefs WHERE user_id = ?", userID).Scan(&rows).Error; err != nil {
		return Prefs{}, err
	}
	p := Prefs{UserID: userID}
	if len(rows) > 0 {
		p.Lang, p.NotifyOff = rows[0].Lang, splitList(rows[0].NotifyOff)
	}
	return p, nil
}

// SetPrefs stores p.
func (db *DB) SetPrefs(ctx context.Context, p Prefs) error {
	return db.w.WithContext(ctx).Exec(`INSERT INTO user_prefs (user_id, lang, notify_off) VALUES (?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET lang = excluded.lang, notify_off = excluded.notify_off`,
		p.UserID, p.Lang, strings.Join(p.NotifyOff, ",")).Error
}

// SetLang records the language user id last chose. It reads first, on the
// read pool, and writes only when the language changes, so that browsing
// with ?lang= does not queue behind saves on the one write connection.
func (db *DB) SetLang(ctx context.Context, userID int64, lang string) error {
	var cur []string
	if err := db.read(ctx).Raw("SELECT lang FROM user_prefs WHERE user_id = ?", userID).Scan(&cur).Error; err != nil {
		return err
	}
	if len(cur) == 1 && cur[0] == lang {
		return nil
	}
	return db.w.WithContext(ctx).Exec(`INSERT INTO user_prefs (user_id, lang) VALUES (?, ?)
		ON CONFLICT (user_id) DO UPDATE SET lang = excluded.lang WHERE user_prefs.lang <> excluded.lang`,
		userID, lang).Error
}

// Recipient is an enabled user with the preferences notices need.
type Recipient struct {
	UserID    int64  `gorm:"column:id"`
	Email     string `gorm:"column:email"`
	Name      string `gorm:"column:name"`
	Role      string `gorm:"column:role"`
	StateISO3 string `gorm:"column:state_iso3"`
	Lang      string `gorm:"column:lang"`
	NotifyOff string `gorm:"column:notify_off"`
}

// Off reports whether the recipient turned the notice kind off.
func (r Recipient) Off(kind string) bool { return slices.Contains(splitList(r.NotifyOff), kind) }

const recipientSelect = `SELECT u.id, u.email, u.name, u.role, COALESCE(u.state_iso3, '') AS state_iso3,
	COALESCE(p.lang, '') AS lang, COALESCE(p.notify_off, '') AS notify_off
	FROM users u LEFT JOIN user_prefs p ON p.user_id = u.id WHERE u.disabled = ? `

// Recipients lists the enabled users with one of roles, by id.
func (db *DB) Recipients(ctx context.Context, roles ...string) ([]Recipient, error) {
	return recipients(db.read(ctx), "AND u.role IN ? ORDER BY u.id", false, roles)
}

// FocalPointsTx lists the enabled focal points of the State iso3, by id,
// read through tx.
func (db *DB) FocalPointsTx(tx *gorm.DB, iso3 string) ([]Recipient, error) {
	return recipients(tx, "AND u.role = ? AND u.state_iso3 = ? ORDER BY u.id", false, RoleFocalPoint, iso3)
}

// RecipientTx returns user id as a recipient, read through tx.
func (db *DB) RecipientTx(tx *gorm.DB, userID int64) (*Recipient, error) {
	out, err := recipients(tx, "AND u.id = ?", false, userID)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, ErrNotFound
	}
	return &out[0], nil
}

// GetRecipient returns the enabled user id as a recipient.
func (db *DB) GetRecipient(ctx context.Context, userID int64) (*Recipient, error) {
	return db.RecipientTx(db.read(ctx), userID)
}

func recipients(q *gorm.DB, where string, args ...any) ([]Recipient, error) {
	var out []Recipient
	err := q.Raw(recipientSelect+where, args...).Scan(&out).Error
	return out, err
}
