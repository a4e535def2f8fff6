package models

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"testing"
	"time"
)

func TestSessions(t *testing.T) {
	const idle, absolute = 30 * time.Minute, 8 * time.Hour
	ForEachDB(t, func(t *testing.T, db *DB) {
		clk := fixClock(db, time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC))
		u := newUser(t, db, RoleFocalPoint, "JPN")

		token, err := db.CreateSession(ctx, u.ID, "192.0.2.7", "Firefox", absolute)
		must(t, err)
		if b, err := base64.RawURLEncoding.DecodeString(token); err != nil || len(b) != 32 {
			t.Fatalf("token %q is not 32 bytes of base64url", token)
		}
		// Only the hash is stored.
		var ids []string
		must(t, db.r.Raw("SELECT id FROM sessions").Scan(&ids).Error)
		sum := sha256.Sum256([]byte(token))
		if len(ids) != 1 || ids[0] != hex.EncodeToString(sum[:]) {
			t.Fatalf("stored ids %v", ids)
		}

		s, su, err := db.LookupSession(ctx, token, idle)
		must(t, err)
		if su.ID != u.ID || s.UserID != u.ID || s.IP != "192.0.2.7" || s.UserAgent != "Firefox" ||
			!s.CreatedAt.Equal(clk.t) || !s.ExpiresAt.Equal(clk.t.Add(absolute)) || s.ID != ids[0] {
			t.Fatalf("session %+v user %+v", s, su)
		}
		_, _, err = db.LookupSession(ctx, token+"x", idle)
		wantErr(t, err, ErrNotFound)
		_, _, err = db.LookupSession(ctx, "", idle)
		wantErr(t, err, ErrNotFound)

		// Within a minute LastSeenAt is not written; after, it is.
		clk.advance(30 * time.Second)
		s, _, err = db.LookupSession(ctx, token, idle)
		must(t, err)
		if !s.LastSeenAt.Equal(s.CreatedAt) {
			t.Errorf("last seen touched after 30s: %v", s.LastSeenAt)
		}
		clk.advance(time.Minute)
		s, _, err = db.LookupSession(ctx, token, idle)
		must(t, err)
		if !s.LastSeenAt.Equal(clk.t) {
			t.Errorf("last seen %v, want %v", s.LastSeenAt, clk.t)
		}

		// Use every 25 minutes keeps it within the idle limit, until the
		// absolute expiry ends it.
		for range 20 {
			clk.advance(25 * time.Minute)
			if _, _, err := db.LookupSession(ctx, token, idle); err != nil {
				break
			}
		}
		_, _, err = db.LookupSession(ctx, token, idle)
		wantErr(t, err, ErrNotFound)
		if clk.t.Sub(s.CreatedAt) < absolute {
			t.Fatalf("ended before the absolute expiry, at %v", clk.t)
		}

		// Idle expiry, and an expired session is dropped when looked up.
		token, err = db.CreateSession(ctx, u.ID, "", "", absolute)
		must(t, err)
		clk.advance(idle + time.Second)
		_, _, err = db.LookupSession(ctx, token, idle)
		wantErr(t, err, ErrNotFound)
		var n int64
		must(t, db.r.Raw("SELECT COUNT(*) FROM sessions").Scan(&n).Error)
		if n != 0 {
			t.Errorf("%d expired sessions left", n)
		}

		// Disabling a user ends their sessions, and a disabled user has none.
		token, err = db.CreateSession(ctx, u.ID, "", "", absolute)
		must(t, err)
		must(t, db.SetUserDisabled(ctx, u.ID, true))
		_, _, err = db.LookupSession(ctx, token, idle)
		wantErr(t, err, ErrNotFound)
		token, err = db.CreateSession(ctx, u.ID, "", "", absolute)
		must(t, err)
		_, _, err = db.LookupSession(ctx, token, idle)
		wantErr(t, err, ErrNotFound)
		must(t, db.SetUserDisabled(ctx, u.ID, false))
		_, _, err = db.LookupSession(ctx, token, idle)
		must(t, err) // re-enabled: the session made while disabled counts again

		// A password change revokes every session of the user, not others'.
		other := newUser(t, db, RoleAdmin, "")
		t1, _ := db.CreateSession(ctx, u.ID, "", "", absolute)
		t2, _ := db.CreateSession(ctx, u.ID, "", "", absolute)
		t3, _ := db.CreateSession(ctx, other.ID, "", "", absolute)
		must(t, db.SetPassword(ctx, u.ID, "another long passphrase"))
		for _, tok := range []string{t1, t2} {
			_, _, err = db.LookupSession(ctx, tok, idle)
			wantErr(t, err, ErrNotFound)
		}
		_, _, err = db.LookupSession(ctx, t3, idle)
		must(t, err)
		got, _ := db.GetUser(ctx, u.ID)
		if !CheckPassword(got.PasswordHash, "another long passphrase") || !got.PasswordChangedAt.Equal(clk.t) {
			t.Errorf("password not changed: %+v", got)
		}
		wantErr(t, db.SetPassword(ctx, u.ID, "short"), ErrPasswordTooShort)

		// Logout, logout everywhere, and the sweep.
		must(t, db.DeleteSession(ctx, t3))
		_, _, err = db.LookupSession(ctx, t3, idle)
		wantErr(t, err, ErrNotFound)
		must(t, db.DeleteSession(ctx, t3)) // twice is fine
		a, _ := db.CreateSession(ctx, other.ID, "", "", absolute)
		must(t, db.DeleteUserSessions(ctx, other.ID))
		_, _, err = db.LookupSession(ctx, a, 0)
		wantErr(t, err, ErrNotFound)

		_, _ = db.CreateSession(ctx, other.ID, "", "", time.Hour)
		keep, _ := db.CreateSession(ctx, other.ID, "", "", 3*time.Hour)
		clk.advance(2 * time.Hour)
		must(t, db.DeleteExpiredSessions(ctx))
		must(t, db.r.Raw("SELECT COUNT(*) FROM sessions WHERE user_id = ?", other.ID).Scan(&n).Error)
		if n != 1 {
			t.Errorf("%d sessions after the sweep, want 1", n)
		}
		_, _, err = db.LookupSession(ctx, keep, 0) // idle 0: no idle limit
		must(t, err)

		_, err = db.CreateSession(ctx, 9999, "", "", time.Hour)
		wantErr(t, err, ErrNotFound)
	})
}
