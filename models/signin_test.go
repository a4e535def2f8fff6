package models

import (
	"context"
	"testing"
	"time"
)

// TestCheckPasswordOfSameWork checks that a sign-in does one bcrypt
// comparison whether the account exists, is disabled, or not.
func TestCheckPasswordOfSameWork(t *testing.T) {
	db := OpenTest(t)
	ctx := context.Background()
	u := &User{Email: "fp@x.org", Name: "fp", Role: RoleSecretariat}
	if err := db.CreateUser(ctx, u, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	u, _ = db.GetUserByEmail(ctx, "fp@x.org")
	disabled := *u
	disabled.Disabled = true
	n := 0
	orig := compareHash
	compareHash = func(h, pw []byte) error { n++; return orig(h, pw) }
	t.Cleanup(func() { compareHash = orig })
	for _, tc := range []struct {
		name string
		u    *User
		pw   string
		want bool
	}{
		{"known, right", u, "correct horse battery", true},
		{"known, wrong", u, "wrong wrong wrong", false},
		{"unknown", nil, "correct horse battery", false},
		{"disabled, right", &disabled, "correct horse battery", false},
	} {
		n = 0
		if got := db.CheckPasswordOf(tc.u, tc.pw); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
		if n != 1 {
			t.Errorf("%s: %d bcrypt comparisons, want 1", tc.name, n)
		}
	}
}

func TestSignInAttempts(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
		db.SetNow(func() time.Time { return now })
		var ids []int64
		for i := 0; i < 3; i++ {
			id, err := db.AddSignInAttempt(ctx, "k")
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
			now = now.Add(time.Minute)
		}
		if _, err := db.AddSignInAttempt(ctx, "other"); err != nil {
			t.Fatal(err)
		}
		got, err := db.SignInAttempts(ctx, "k", now.Add(-150*time.Second))
		if err != nil || len(got) != 2 {
			t.Fatalf("attempts in window: %v, %v; want 2", got, err)
		}
		if err := db.ForgetSignInAttempt(ctx, ids[2]); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.SignInAttempts(ctx, "k", time.Time{}); len(got) != 2 {
			t.Errorf("after forgetting one: %d, want 2", len(got))
		}
		if err := db.DeleteSignInAttemptsBefore(ctx, now.Add(-150*time.Second)); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.SignInAttempts(ctx, "k", time.Time{}); len(got) != 1 {
			t.Errorf("after the sweep: %d, want 1", len(got))
		}
		if err := db.ForgetSignInAttempts(ctx, "k"); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.SignInAttempts(ctx, "k", time.Time{}); len(got) != 0 {
			t.Errorf("after forgetting the key: %d, want 0", len(got))
		}
		if got, _ := db.SignInAttempts(ctx, "other", time.Time{}); len(got) != 1 {
			t.Errorf("other key: %d, want 1", len(got))
		}
	})
}
