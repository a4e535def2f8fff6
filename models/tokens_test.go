package models

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
	"time"
)

func TestAPITokens(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		clk := fixClock(db, time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC))
		u := newUser(t, db, RoleDonor, "")
		other := newUser(t, db, RoleDonor, "")
		actor := Actor{UserID: u.ID, Email: u.Email}

		token, tok, err := db.CreateAPIToken(ctx, u.ID, "  nightly export  ", nil, actor)
		must(t, err)
		raw, ok := strings.CutPrefix(token, APITokenPrefix)
		if b, err := base64.RawURLEncoding.DecodeString(raw); !ok || err != nil || len(b) != 32 {
			t.Fatalf("token %q is not %s + 32 bytes of base64url", token, APITokenPrefix)
		}
		if tok.Name != "nightly export" || tok.UserID != u.ID || !tok.CreatedAt.Equal(clk.t) {
			t.Errorf("token %+v", tok)
		}
		// Only the hash is stored: no column of the table holds the token.
		var rows []map[string]any
		must(t, db.r.Raw("SELECT * FROM api_tokens").Scan(&rows).Error)
		sum := sha256.Sum256([]byte(token))
		if len(rows) != 1 || rows[0]["token_hash"] != hex.EncodeToString(sum[:]) {
			t.Fatalf("stored rows %v", rows)
		}
		for col, v := range rows[0] {
			if s, ok := v.(string); ok && strings.Contains(s, raw) {
				t.Errorf("column %s holds the token", col)
			}
		}

		tk, owner, err := db.LookupAPIToken(ctx, token)
		must(t, err)
		if owner.ID != u.ID || owner.Role != RoleDonor || tk.ID != tok.ID || tk.LastUsedAt == nil || !tk.LastUsedAt.Equal(clk.t) {
			t.Fatalf("lookup: token %+v owner %+v", tk, owner)
		}
		for _, bad := range []string{"", token + "x", raw, APITokenPrefix} {
			_, _, err = db.LookupAPIToken(ctx, bad)
			wantErr(t, err, ErrNotFound)
		}
		// LastUsedAt is written at most once a minute.
		clk.advance(30 * time.Second)
		tk, _, err = db.LookupAPIToken(ctx, token)
		must(t, err)
		if !tk.LastUsedAt.Equal(tk.CreatedAt) {
			t.Errorf("last used touched after 30s: %v", tk.LastUsedAt)
		}
		clk.advance(time.Minute)
		tk, _, err = db.LookupAPIToken(ctx, token)
		must(t, err)
		if !tk.LastUsedAt.Equal(clk.t) {
			t.Errorf("last used %v, want %v", tk.LastUsedAt, clk.t)
		}

		// Another user cannot revoke it; its owner can, at once.
		wantErr(t, db.RevokeAPIToken(ctx, other.ID, tok.ID, Actor{UserID: other.ID}), ErrNotFound)
		_, _, err = db.LookupAPIToken(ctx, token)
		must(t, err)
		must(t, db.RevokeAPIToken(ctx, u.ID, tok.ID, actor))
		_, _, err = db.LookupAPIToken(ctx, token)
		wantErr(t, err, ErrNotFound)
		must(t, db.RevokeAPIToken(ctx, u.ID, tok.ID, actor)) // again: nothing changes
		list, err := db.ListAPITokens(ctx, u.ID)
		must(t, err)
		if len(list) != 1 || list[0].RevokedAt == nil || !list[0].RevokedAt.Equal(clk.t) || list[0].Active(clk.t) {
			t.Fatalf("tokens after revoking: %+v", list)
		}

		// Creation and revocation are audited once each, never with the token.
		log, err := db.ListAuditAll(ctx, 0)
		must(t, err)
		var got []string
		for _, e := range log {
			if strings.HasPrefix(e.Action, "token.") {
				got = append(got, e.Action+" "+e.OldValue+e.NewValue)
			}
			if strings.Contains(e.OldValue+e.NewValue+e.Detail, raw) {
				t.Errorf("audit entry %+v holds the token", e)
			}
		}
		if strings.Join(got, ",") != "token.revoke nightly export,token.create nightly export" {
			t.Errorf("audit %v", got)
		}
	})
}

func TestAPITokenExpiryAndDisabledOwner(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		clk := fixClock(db, time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC))
		u := newUser(t, db, RoleSecretariat, "")
		actor := Actor{UserID: u.ID}

		for _, name := range []string{"", "   ", strings.Repeat("n", MaxTokenName+1)} {
			_, _, err := db.CreateAPIToken(ctx, u.ID, name, nil, actor)
			wantErr(t, err, ErrInvalid)
		}
		past := clk.t.Add(-time.Hour)
		_, _, err := db.CreateAPIToken(ctx, u.ID, "late", &past, actor)
		wantErr(t, err, ErrInvalid)
		_, _, err = db.CreateAPIToken(ctx, 999999, "nobody", nil, actor)
		wantErr(t, err, ErrNotFound)

		until := clk.t.Add(24 * time.Hour)
		short, _, err := db.CreateAPIToken(ctx, u.ID, "one day", &until, actor)
		must(t, err)
		long, _, err := db.CreateAPIToken(ctx, u.ID, "forever", nil, actor)
		must(t, err)
		_, _, err = db.LookupAPIToken(ctx, short)
		must(t, err)
		clk.advance(24 * time.Hour)
		_, _, err = db.LookupAPIToken(ctx, short)
		wantErr(t, err, ErrNotFound)
		_, _, err = db.LookupAPIToken(ctx, long)
		must(t, err)

		// A disabled owner's token does not work even if it was not revoked.
		must(t, db.w.Exec("UPDATE users SET disabled = ? WHERE id = ?", true, u.ID).Error)
		_, _, err = db.LookupAPIToken(ctx, long)
		wantErr(t, err, ErrNotFound)
		must(t, db.w.Exec("UPDATE users SET disabled = ? WHERE id = ?", false, u.ID).Error)
		_, _, err = db.LookupAPIToken(ctx, long)
		must(t, err)

		// Disabling the owner revokes the tokens; enabling does not revive them.
		must(t, db.SetUserDisabled(ctx, u.ID, true))
		_, _, err = db.LookupAPIToken(ctx, long)
		wantErr(t, err, ErrNotFound)
		must(t, db.SetUserDisabled(ctx, u.ID, false))
		_, _, err = db.LookupAPIToken(ctx, long)
		wantErr(t, err, ErrNotFound)
		list, err := db.ListAPITokens(ctx, u.ID)
		must(t, err)
		if len(list) != 2 || list[0].Name != "forever" || list[0].RevokedAt == nil {
			t.Fatalf("tokens %+v", list)
		}
	})
}
