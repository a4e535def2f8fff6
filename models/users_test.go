package models

import (
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestHashPassword(t *testing.T) {
	_, err := HashPassword("short-pw")
	wantErr(t, err, ErrPasswordTooShort)
	wantErr(t, err, ErrInvalid)
	// The minimum counts characters, not bytes.
	h, err := HashPassword("éééééééééééé")
	must(t, err)
	if cost, err := bcrypt.Cost([]byte(h)); err != nil || cost != BcryptCost {
		t.Errorf("cost %d (%v), want %d", cost, err, BcryptCost)
	}
	if !CheckPassword(h, "éééééééééééé") || CheckPassword(h, "ééééééééééée") || CheckPassword("", "") {
		t.Error("CheckPassword disagrees with the hash")
	}
	_, err = HashPassword(strings.Repeat("x", 73))
	wantErr(t, err, ErrPasswordTooLong)
}

func TestUsers(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		u := &User{Email: "  Focal.Point@Example.JP ", Name: "Hanako Sato", Role: RoleFocalPoint, StateISO3: "JPN"}
		must(t, db.CreateUser(ctx, u, "a long enough passphrase"))
		if u.ID == 0 || u.Email != "focal.point@example.jp" || u.CreatedAt.IsZero() || u.PasswordChangedAt.IsZero() {
			t.Fatalf("created %+v", u)
		}
		got, err := db.GetUserByEmail(ctx, "FOCAL.point@example.jp")
		must(t, err)
		if got.ID != u.ID || got.Name != "Hanako Sato" || got.Role != RoleFocalPoint || got.StateISO3 != "JPN" ||
			got.Disabled || !got.CreatedAt.Equal(u.CreatedAt) || got.PasswordHash != u.PasswordHash {
			t.Errorf("by email %+v, want %+v", got, u)
		}
		if !CheckPassword(got.PasswordHash, "a long enough passphrase") {
			t.Error("stored hash does not check")
		}
		got, err = db.GetUser(ctx, u.ID)
		must(t, err)
		if got.Email != u.Email {
			t.Errorf("by id %+v", got)
		}
		_, err = db.GetUser(ctx, u.ID+100)
		wantErr(t, err, ErrNotFound)
		_, err = db.GetUserByEmail(ctx, "nobody@example.org")
		wantErr(t, err, ErrNotFound)

		dup := &User{Email: "focal.point@EXAMPLE.jp", Role: RoleAdmin}
		wantErr(t, db.CreateUser(ctx, dup, "a long enough passphrase"), ErrDuplicate)
		wantErr(t, db.CreateUser(ctx, &User{Email: "x@example.org", Role: RoleAdmin}, "too short"), ErrPasswordTooShort)

		for _, bad := range []User{
			{Email: "a@example.org", Role: "root"},
			{Email: "b@example.org", Role: RoleFocalPoint},
			{Email: "c@example.org", Role: RoleContributor, StateISO3: "XXX"},
			{Email: "d@example.org", Role: RoleAdmin, StateISO3: "JPN"},
			{Email: "not-an-email", Role: RoleAdmin},
		} {
			wantErr(t, db.CreateUser(ctx, &bad, "a long enough passphrase"), ErrInvalid)
		}

		admin := newUser(t, db, RoleAdmin, "")
		contrib := newUser(t, db, RoleContributor, "JPN")
		newUser(t, db, RoleContributor, "FRA")
		all, err := db.ListUsers(ctx)
		must(t, err)
		if len(all) != 4 {
			t.Errorf("%d users, want 4", len(all))
		}
		jp, err := db.ListUsersByState(ctx, "JPN")
		must(t, err)
		if len(jp) != 2 || jp[0].ID != u.ID || jp[1].ID != contrib.ID {
			t.Errorf("Japan's users %+v", jp)
		}

		wantErr(t, db.SetUserRole(ctx, contrib.ID, RoleSecretariat, "JPN"), ErrInvalid)
		wantErr(t, db.SetUserRole(ctx, 9999, RoleSecretariat, ""), ErrNotFound)
		must(t, db.SetUserRole(ctx, contrib.ID, RoleSecretariat, ""))
		got, err = db.GetUser(ctx, contrib.ID)
		must(t, err)
		if got.Role != RoleSecretariat || got.StateISO3 != "" {
			t.Errorf("after role change %+v", got)
		}

		must(t, db.SetUserDisabled(ctx, admin.ID, true))
		got, err = db.GetUser(ctx, admin.ID)
		must(t, err)
		if !got.Disabled {
			t.Error("not disabled")
		}
		must(t, db.SetUserDisabled(ctx, admin.ID, false))
		got, _ = db.GetUser(ctx, admin.ID)
		if got.Disabled {
			t.Error("still disabled")
		}
		wantErr(t, db.SetUserDisabled(ctx, 9999, true), ErrNotFound)
	})
}
