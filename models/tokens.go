package models

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// APIToken is a personal API token: it lets a program read the JSON API
// as its owner, with the owner's rights and no more. Like a session, the
// database holds only the SHA-256 of the token, so a copy of the database
// does not let anyone call the API.
type APIToken struct {
	ID         int64      `gorm:"column:id"`
	UserID     int64      `gorm:"column:user_id"`
	Name       string     `gorm:"column:name"`
	CreatedAt  time.Time  `gorm:"column:created_at"`
	LastUsedAt *time.Time `gorm:"column:last_used_at"`
	ExpiresAt  *time.Time `gorm:"column:expires_at"`
	RevokedAt  *time.Time `gorm:"column:revoked_at"`
}

// The audit actions of API tokens.
const (
	ActionTokenCreate = "token.create"
	ActionTokenRevoke = "token.revoke"
)

// APITokenPrefix starts every API token, so that a token pasted where it
// should not be (a log, a repository) is recognisable and can be revoked.
const APITokenPrefix = "nrt_"

// MaxTokenName is the longest token name, in characters.
const MaxTokenName = 100

// apiTokenTouchEvery is how stale LastUsedAt may get before a lookup writes it.
const apiTokenTouchEvery = time.Minute

const apiTokenCols = "id, user_id, name, created_at, last_used_at, expires_at, revoked_at"

// createAPITokens is migration 60.
func createAPITokens(tx *gorm.DB) error {
	return ddl(tx,
		`CREATE TABLE api_tokens (
			id {{id}},
			user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			name TEXT NOT NULL,
			token_hash TEXT NOT NULL UNIQUE,
			created_at {{ts}} NOT NULL,
			last_used_at {{ts}},
			expires_at {{ts}},
			revoked_at {{ts}})`,
		`CREATE INDEX api_tokens_user_idx ON api_tokens (user_id, id)`,
	)
}

func (t *APIToken) utc() {
	t.CreatedAt = t.CreatedAt.UTC()
	for _, p := range []**time.Time{&t.LastUsedAt, &t.ExpiresAt, &t.RevokedAt} {
		if *p != nil {
			u := (*p).UTC()
			*p = &u
		}
	}
}

// Active reports whether the token may still be used at now.
func (t *APIToken) Active(now time.Time) bool {
	return t.RevokedAt == nil && (t.ExpiresAt == nil || now.Before(*t.ExpiresAt))
}

// CreateAPIToken makes a token named name for user userID, valid until
// expiresAt (nil: until revoked), and returns the token itself (to be
// shown once; only its hash is stored). The creation is audited with the
// token's id and name, never the token.
func (db *DB) CreateAPIToken(ctx context.Context, userID int64, name string, expiresAt *time.Time, actor Actor) (string, *APIToken, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > MaxTokenName {
		return "", nil, fmt.Errorf("%w: a token name has 1 to %d characters", ErrInvalid, MaxTokenName)
	}
	now := db.Now()
	if expiresAt != nil {
		t := expiresAt.UTC().Truncate(time.Microsecond)
		if !t.After(now) {
			return "", nil, fmt.Errorf("%w: the expiry date has passed", ErrInvalid)
		}
		expiresAt = &t
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	token := APITokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	t := &APIToken{UserID: userID, Name: name, CreatedAt: now, ExpiresAt: expiresAt}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		err := tx.Raw(`INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, userID, name, hashToken(token), now, expiresAt).Scan(&t.ID).Error
		if err != nil {
			return err
		}
		e := actor.entry(ActionTokenCreate, 0)
		e.NewValue = name
		e.Detail = "token " + strconv.FormatInt(t.ID, 10) + " of user " + strconv.FormatInt(userID, 10)
		return db.audit(ctx, tx, e)
	})
	if isForeignKey(err) {
		return "", nil, fmt.Errorf("%w: user %d", ErrNotFound, userID)
	}
	if err != nil {
		return "", nil, err
	}
	return token, t, nil
}

// ListAPITokens lists a user's tokens, revoked ones included, newest first.
func (db *DB) ListAPITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	var out []APIToken
	err := db.read(ctx).Raw("SELECT "+apiTokenCols+" FROM api_tokens WHERE user_id = ? ORDER BY id DESC", userID).Scan(&out).Error
	for i := range out {
		out[i].utc()
	}
	return out, err
}

// RevokeAPIToken revokes the token id of user userID at once. A token of
// another user is ErrNotFound; revoking a revoked token changes nothing.
func (db *DB) RevokeAPIToken(ctx context.Context, userID, id int64, actor Actor) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		var ts []APIToken
		if err := tx.Raw("SELECT "+apiTokenCols+" FROM api_tokens WHERE id = ? AND user_id = ?", id, userID).Scan(&ts).Error; err != nil {
			return err
		}
		if len(ts) == 0 {
			return fmt.Errorf("%w: token %d", ErrNotFound, id)
		}
		if ts[0].RevokedAt != nil {
			return nil
		}
		if err := tx.Exec("UPDATE api_tokens SET revoked_at = ? WHERE id = ?", db.Now(), id).Error; err != nil {
			return err
		}
		e := actor.entry(ActionTokenRevoke, 0)
		e.OldValue = ts[0].Name
		e.Detail = "token " + strconv.FormatInt(id, 10) + " of user " + strconv.FormatInt(userID, 10)
		return db.audit(ctx, tx, e)
	})
}

// revokeUserTokens revokes every active token of a user (when disabled).
func revokeUserTokens(tx *gorm.DB, userID int64, now time.Time) error {
	return tx.Exec("UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", now, userID).Error
}

// LookupAPIToken returns the token and its owner. It is ErrNotFound when
// there is no such token, or it was revoked, or it has expired, or its
// owner is disabled. It writes LastUsedAt at most once a minute.
func (db *DB) LookupAPIToken(ctx context.Context, token string) (*APIToken, *User, error) {
	if !strings.HasPrefix(token, APITokenPrefix) {
		return nil, nil, ErrNotFound
	}
	var rows []struct {
		APIToken
		U User `gorm:"embedded;embeddedPrefix:u_"`
	}
	err := db.read(ctx).Raw(`SELECT t.id, t.user_id, t.name, t.created_at, t.last_used_at, t.expires_at, t.revoked_at,
			u.id AS u_id, u.email AS u_email, u.name AS u_name, u.role AS u_role, COALESCE(u.state_iso3, '') AS u_state_iso3,
			u.disabled AS u_disabled, u.created_at AS u_created_at,
			u.password_changed_at AS u_password_changed_at, u.must_change_password AS u_must_change_password
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`, hashToken(token)).Scan(&rows).Error
	if err != nil {
		return nil, nil, err
	}
	if len(rows) == 0 {
		return nil, nil, ErrNotFound
	}
	t, u := rows[0].APIToken, rows[0].U
	t.utc()
	u.utc()
	now := db.Now()
	if u.Disabled || !t.Active(now) {
		return nil, nil, ErrNotFound
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= apiTokenTouchEvery {
		err := db.tx(ctx, func(tx *gorm.DB) error {
			return tx.Exec("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", now, t.ID).Error
		})
		if err != nil {
			return nil, nil, err
		}
		t.LastUsedAt = &now
	}
	return &t, &u, nil
}
