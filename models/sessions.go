package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"
)

// Session is a server-side login session. The browser holds a random token;
// the database holds only its SHA-256 (ID), so a copy of the database does
// not let anyone sign in.
type Session struct {
	ID         string    `gorm:"column:id"`
	UserID     int64     `gorm:"column:user_id"`
	CreatedAt  time.Time `gorm:"column:created_at"`
	LastSeenAt time.Time `gorm:"column:last_seen_at"`
	ExpiresAt  time.Time `gorm:"column:expires_at"`
	IP         string    `gorm:"column:ip"`
	UserAgent  string    `gorm:"column:user_agent"`
}

// sessionLookup reads a session and its user in one query, every request
// (no copy is kept between requests, so a session ended or a user disabled
// on any instance is refused on the next request everywhere).
var sessionLookup = "SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.ip, s.user_agent, " +
	userCols("u.") + " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?"

// sessionLookupLean is what each request needs of its session, with the
// page stamp of a State (ReadPageStamp) in the same round trip: the times
// that decide whether the session is still good, and the user. It leaves
// out what only the account pages show (the session's address, browser
// and start), which cost a conversion per column on every request.
var (
	sessionLookupLean = "SELECT s.last_seen_at, s.expires_at, " +
		userCols("u.") + " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?"
	sessionLookupStamped = "SELECT " + pageStampCols + ", " + strings.TrimPrefix(sessionLookupLean, "SELECT ")
)

// sessionTouchEvery is how stale LastSeenAt may get before a lookup writes it.
const sessionTouchEvery = time.Minute

// hashToken is the session ID of a token.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateSession opens a session for userID lasting at most absolute and
// returns its token (32 random bytes, base64url), to be given to the
// browser; only its hash is stored.
func (db *DB) CreateSession(ctx context.Context, userID int64, ip, ua string, absolute time.Duration) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	now := db.Now()
	err := db.w.WithContext(ctx).Exec(`INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, hashToken(token), userID, now, now, now.Add(absolute), ip, ua).Error
	if isForeignKey(err) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", err
	}
	return token, nil
}

// LookupSession returns the session of token and its user. It is
// ErrNotFound when there is no such session, when it has passed its
// absolute expiry or been idle longer than idle (0: no idle limit), or when
// the user is disabled. It writes LastSeenAt at most once a minute.
func (db *DB) LookupSession(ctx context.Context, token string, idle time.Duration) (*Session, *User, error) {
	s, u, _, err := db.lookupSession(ctx, token, idle, "", true)
	return s, u, err
}

// LookupSessionStamped is LookupSession for every request: it also reads,
// in the same round trip, the page stamp of State iso3 (zero when iso3 is
// ""), and the session it returns holds only its ID, user, last use and
// expiry.
func (db *DB) LookupSessionStamped(ctx context.Context, token string, idle time.Duration, iso3 string) (*Session, *User, PageStamp, error) {
	return db.lookupSession(ctx, token, idle, iso3, false)
}

func (db *DB) lookupSession(ctx context.Context, token string, idle time.Duration, iso3 string, full bool) (*Session, *User, PageStamp, error) {
	var ps PageStamp
	if token == "" {
		return nil, nil, ps, ErrNotFound
	}
	id := hashToken(token)
	var s Session
	var u User
	found := false
	q, args, dest := sessionLookup, []any{id}, []any{&s.ID, &s.UserID, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt, &s.IP, &s.UserAgent}
	switch {
	case !full && iso3 == "":
		q, dest = sessionLookupLean, []any{&s.LastSeenAt, &s.ExpiresAt}
	case !full:
		q, args, dest = sessionLookupStamped, []any{iso3, id}, []any{&ps.State, &ps.Global, &s.LastSeenAt, &s.ExpiresAt}
	}
	err := db.hotRows(ctx, q, func(rows *sql.Rows) error {
		found = true
		var err error
		u, err = scanUser(rows, dest...)
		return err
	}, args...)
	if err != nil {
		return nil, nil, ps, err
	}
	if !found {
		return nil, nil, ps, ErrNotFound
	}
	s.ID, s.UserID = id, u.ID
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC()
	u.utc()
	now := db.Now()
	if u.Disabled {
		return nil, nil, ps, ErrNotFound
	}
	if !now.Before(s.ExpiresAt) || (idle > 0 && now.Sub(s.LastSeenAt) > idle) {
		// Gone for good: drop it now rather than wait for the sweep.
		if err := db.w.WithContext(ctx).Exec("DELETE FROM sessions WHERE id = ?", id).Error; err != nil {
			db.log.WarnContext(ctx, "delete expired session", "err", err)
		}
		return nil, nil, ps, ErrNotFound
	}
	if now.Sub(s.LastSeenAt) >= sessionTouchEvery {
		if err := db.w.WithContext(ctx).Exec("UPDATE sessions SET last_seen_at = ? WHERE id = ?", now, id).Error; err != nil {
			return nil, nil, ps, err
		}
		s.LastSeenAt = now
	}
	return &s, &u, ps, nil
}

// DeleteSession ends the session of token (logout). A missing session is not an error.
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	return db.w.WithContext(ctx).Exec("DELETE FROM sessions WHERE id = ?", hashToken(token)).Error
}

// DeleteUserSessions ends all sessions of a user.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64) error {
	return db.w.WithContext(ctx).Exec("DELETE FROM sessions WHERE user_id = ?", userID).Error
}

// DeleteExpiredSessions removes the sessions past their absolute expiry
// (idle ones are removed when next looked up).
func (db *DB) DeleteExpiredSessions(ctx context.Context) error {
	return db.w.WithContext(ctx).Exec("DELETE FROM sessions WHERE expires_at <= ?", db.Now()).Error
}
