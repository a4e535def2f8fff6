package models

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// AddSignInAttempt records one sign-in attempt under key (an account, an
// address, or both) and returns its id. Attempts are recorded before the
// password is checked, so that parallel guesses all count.
func (db *DB) AddSignInAttempt(ctx context.Context, key string) (int64, error) {
	var id int64
	err := db.w.WithContext(ctx).Raw(`INSERT INTO signin_attempts (key, at) VALUES (?, ?) RETURNING id`, key, db.Now()).Scan(&id).Error
	return id, err
}

// SignInAttempts lists the times of the attempts under key since since,
// oldest first, the caller's own included: every attempt committed before
// the caller's own is in the list, so of N parallel attempts the last one
// sees all N.
func (db *DB) SignInAttempts(ctx context.Context, key string, since time.Time) ([]time.Time, error) {
	var at []time.Time
	err := db.w.WithContext(ctx).Raw(`SELECT at FROM signin_attempts WHERE key = ? AND at >= ? ORDER BY at, id`, key, since.UTC()).Scan(&at).Error
	for i := range at {
		at[i] = at[i].UTC()
	}
	return at, err
}

// ForgetSignInAttempts deletes every attempt under key.
func (db *DB) ForgetSignInAttempts(ctx context.Context, key string) error {
	return db.w.WithContext(ctx).Exec(`DELETE FROM signin_attempts WHERE key = ?`, key).Error
}

// ForgetSignInAttempt deletes one attempt.
func (db *DB) ForgetSignInAttempt(ctx context.Context, id int64) error {
	return db.w.WithContext(ctx).Exec(`DELETE FROM signin_attempts WHERE id = ?`, id).Error
}

// DeleteSignInAttemptsBefore deletes the attempts older than t.
func (db *DB) DeleteSignInAttemptsBefore(ctx context.Context, t time.Time) error {
	return db.w.WithContext(ctx).Exec(`DELETE FROM signin_attempts WHERE at < ?`, t.UTC()).Error
}

// dummyHash is a bcrypt hash at the database's cost of a password nobody
// has, made once per cost.
var dummyHash sync.Map // cost -> []byte

// CheckPasswordOf reports whether pw is the password of u. It does the
// same work whether or not there is such a user or it is disabled: with
// no user it compares against a hash of the same cost, so the time of a
// sign-in does not tell whether an account exists.
func (db *DB) CheckPasswordOf(u *User, pw string) bool {
	if u != nil && !u.Disabled && u.PasswordHash != "" {
		return compareHash([]byte(u.PasswordHash), []byte(pw)) == nil
	}
	h, ok := dummyHash.Load(db.bcryptCost)
	if !ok {
		b, err := bcrypt.GenerateFromPassword([]byte("natreport: no such account"), db.bcryptCost)
		if err != nil {
			return false
		}
		h, _ = dummyHash.LoadOrStore(db.bcryptCost, b)
	}
	_ = compareHash(h.([]byte), []byte(pw))
	return false
}

// compareHash is bcrypt's comparison; a variable so that a test can count
// the comparisons.
var compareHash = func(h, pw []byte) error {
	passwordChecks.Add(1)
	return bcrypt.CompareHashAndPassword(h, pw)
}

// passwordChecks counts the password hash comparisons of this process.
var passwordChecks atomic.Uint64

// PasswordChecks is how many password hash comparisons this process has
// made: a sign-in that is refused, for whatever reason after the throttle,
// makes exactly one, so its time does not tell why.
func PasswordChecks() uint64 { return passwordChecks.Load() }
