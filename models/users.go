package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"github.com/natreport/natreport/surveys"
)

// The user roles are the domain's (surveys); the store uses the same
// constants under its own names.
const (
	RoleAdmin       = surveys.RoleAdmin
	RoleSecretariat = surveys.RoleSecretariat
	RoleDonor       = surveys.RoleDonor
	RoleFocalPoint  = surveys.RoleFocalPoint
	RoleContributor = surveys.RoleContributor
)

// User is an account. StateISO3 is "" for users who do not act for a State.
type User struct {
	ID                int64     `gorm:"column:id"`
	Email             string    `gorm:"column:email"`
	Name              string    `gorm:"column:name"`
	Role              string    `gorm:"column:role"`
	StateISO3         string    `gorm:"column:state_iso3"`
	PasswordHash      string    `gorm:"column:password_hash"`
	Disabled          bool      `gorm:"column:disabled"`
	CreatedAt         time.Time `gorm:"column:created_at"`
	PasswordChangedAt time.Time `gorm:"column:password_changed_at"`
	// MustChangePassword is set for a one-time password: the user picks
	// their own at the next sign-in before doing anything else.
	MustChangePassword bool `gorm:"column:must_change_password"`
}

func (u *User) utc() {
	u.CreatedAt = u.CreatedAt.UTC()
	u.PasswordChangedAt = u.PasswordChangedAt.UTC()
}

// userCols selects a user from the table aliased p.
func userCols(p string) string {
	return p + "id AS id, " + p + "email AS email, " + p + "name AS name, " + p + "role AS role, COALESCE(" + p +
		"state_iso3, '') AS state_iso3, " + p + "password_hash AS password_hash, " + p + "disabled AS disabled, " +
		p + "created_at AS created_at, " + p + "password_changed_at AS password_changed_at, " +
		p + "must_change_password AS must_change_password"
}

// Password rules.
const (
	// BcryptCost is the bcrypt cost of stored password hashes.
	BcryptCost = 12
	// MinPasswordLength is the minimum length of a password, in characters.
	MinPasswordLength = 12
)

var (
	// ErrPasswordTooShort: the password has fewer than MinPasswordLength characters.
	ErrPasswordTooShort = fmt.Errorf("%w: the password must have at least %d characters", ErrInvalid, MinPasswordLength)
	// ErrPasswordTooLong: the password is longer than bcrypt's 72 bytes.
	ErrPasswordTooLong = fmt.Errorf("%w: the password must be at most 72 bytes long", ErrInvalid)
)

// HashPassword hashes pw with bcrypt at BcryptCost.
func HashPassword(pw string) (string, error) { return hashPassword(pw, BcryptCost) }

func hashPassword(pw string, cost int) (string, error) {
	if utf8.RuneCountInString(pw) < MinPasswordLength {
		return "", ErrPasswordTooShort
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), cost)
	if errors.Is(err, bcrypt.ErrPasswordTooLong) {
		return "", ErrPasswordTooLong
	}
	return string(h), err
}

// CheckPassword reports whether pw matches the bcrypt hash.
func CheckPassword(hash, pw string) bool {
	return hash != "" && bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// NormalizeEmail is how emails are stored and looked up: trimmed, lower case.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// checkRole enforces that State roles have a State and the others none.
func checkRole(tx *gorm.DB, role, iso3 string) error {
	if !surveys.ValidRole(role) {
		return fmt.Errorf("%w: unknown role %q", ErrInvalid, role)
	}
	if !surveys.RoleNeedsState(role) {
		if iso3 != "" {
			return fmt.Errorf("%w: role %s acts for no State", ErrInvalid, role)
		}
		return nil
	}
	if iso3 == "" {
		return fmt.Errorf("%w: role %s needs a State", ErrInvalid, role)
	}
	var n int64
	if err := tx.Raw("SELECT COUNT(*) FROM states WHERE iso3 = ?", iso3).Scan(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%w: unknown State %q", ErrInvalid, iso3)
	}
	return nil
}

// nullString maps "" to SQL NULL.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CreateUser stores u with the given password and fills u.ID, u.Email
// (trimmed, lower case), u.PasswordHash and the times. A taken email is
// ErrDuplicate. Callers record user.create in the audit log.
func (db *DB) CreateUser(ctx context.Context, u *User, password string) error {
	email := NormalizeEmail(u.Email)
	if email == "" || !strings.Contains(email, "@") {
		return fmt.Errorf("%w: email %q", ErrInvalid, u.Email)
	}
	// Hash before taking the write lock: bcrypt takes a quarter second.
	hash, err := hashPassword(password, db.bcryptCost)
	if err != nil {
		return err
	}
	now := db.Now()
	var id int64
	err = db.tx(ctx, func(tx *gorm.DB) error {
		if err := checkRole(tx, u.Role, u.StateISO3); err != nil {
			return err
		}
		return tx.Raw(`INSERT INTO users (email, name, role, state_iso3, password_hash, disabled, created_at, password_changed_at, must_change_password)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			email, strings.TrimSpace(u.Name), u.Role, nullString(u.StateISO3), hash, u.Disabled, now, now, u.MustChangePassword).Scan(&id).Error
	})
	if isDuplicate(err) {
		return fmt.Errorf("%w: email %s", ErrDuplicate, email)
	}
	if err != nil {
		return err
	}
	u.ID, u.Email, u.Name, u.PasswordHash = id, email, strings.TrimSpace(u.Name), hash
	u.CreatedAt, u.PasswordChangedAt = now, now
	return nil
}

func (db *DB) getUser(ctx context.Context, where string, arg any) (*User, error) {
	var out []User
	if err := db.read(ctx).Raw("SELECT "+userCols("")+" FROM users WHERE "+where, arg).Scan(&out).Error; err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, ErrNotFound
	}
	out[0].utc()
	return &out[0], nil
}

// GetUser returns the user with id.
func (db *DB) GetUser(ctx context.Context, id int64) (*User, error) {
	return db.getUser(ctx, "id = ?", id)
}

// GetUserByEmail returns the user with email (compared trimmed, lower case).
func (db *DB) GetUserByEmail(ctx context.Context, email string) (*User, error) {
	return db.getUser(ctx, "email = ?", NormalizeEmail(email))
}

func (db *DB) listUsers(ctx context.Context, where string, args ...any) ([]User, error) {
	var out []User
	q := "SELECT " + userCols("") + " FROM users"
	if where != "" {
		q += " WHERE " + where
	}
	if err := db.read(ctx).Raw(q+" ORDER BY name, email", args...).Scan(&out).Error; err != nil {
		return nil, err
	}
	for i := range out {
		out[i].utc()
	}
	return out, nil
}

// ListUsers lists all users sorted by name, then email.
func (db *DB) ListUsers(ctx context.Context) ([]User, error) { return db.listUsers(ctx, "") }

// ListUsersByState lists the users acting for the State iso3, sorted by name.
func (db *DB) ListUsersByState(ctx context.Context, iso3 string) ([]User, error) {
	var out []User
	err := db.hotRows(ctx, "SELECT "+userCols("")+" FROM users WHERE state_iso3 = ? ORDER BY name, email", func(rows *sql.Rows) error {
		u, err := scanUser(rows)
		out = append(out, u)
		return err
	}, iso3)
	return out, err
}

// scanUser reads one row of userCols, after the columns of before.
func scanUser(rows *sql.Rows, before ...any) (User, error) {
	var u User
	err := rows.Scan(append(before, &u.ID, &u.Email, &u.Name, &u.Role, &u.StateISO3, &u.PasswordHash, &u.Disabled,
		&u.CreatedAt, &u.PasswordChangedAt, &u.MustChangePassword)...)
	u.utc()
	return u, err
}

// updateUser runs a one-row update of users and maps "no row" to ErrNotFound.
func updateUser(tx *gorm.DB, id int64, sql string, args ...any) error {
	res := tx.Exec(sql, args...)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("user %d: %w", id, ErrNotFound)
	}
	return nil
}

// SetUserDisabled disables or re-enables a user; disabling also ends all of
// the user's sessions and revokes their API tokens (re-enabling does not
// bring them back). Callers record user.disable in the audit log.
func (db *DB) SetUserDisabled(ctx context.Context, id int64, disabled bool) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := updateUser(tx, id, "UPDATE users SET disabled = ? WHERE id = ?", disabled, id); err != nil {
			return err
		}
		if disabled {
			if err := revokeUserTokens(tx, id, db.Now()); err != nil {
				return err
			}
			return tx.Exec("DELETE FROM sessions WHERE user_id = ?", id).Error
		}
		return nil
	})
}

// SetUserRole changes a user's role and State (focal points and
// contributors need one, other roles none: ErrInvalid). Callers record
// user.role in the audit log.
func (db *DB) SetUserRole(ctx context.Context, id int64, role, stateISO3 string) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := checkRole(tx, role, stateISO3); err != nil {
			return err
		}
		return updateUser(tx, id, "UPDATE users SET role = ?, state_iso3 = ? WHERE id = ?", role, nullString(stateISO3), id)
	})
}

// SetPassword sets a user's password and ends all of the user's sessions
// (the caller may then open a new one for the current browser). Callers
// record password.change in the audit log.
func (db *DB) SetPassword(ctx context.Context, id int64, pw string) error {
	hash, err := hashPassword(pw, db.bcryptCost)
	if err != nil {
		return err
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := updateUser(tx, id, "UPDATE users SET password_hash = ?, password_changed_at = ?, must_change_password = ? WHERE id = ?", hash, db.Now(), false, id); err != nil {
			return err
		}
		return tx.Exec("DELETE FROM sessions WHERE user_id = ?", id).Error
	})
}
