package models

import (
	"testing"
	"time"
)

func TestLeases(t *testing.T) {
	ForEachDB(t, testLeases)
}

func testLeases(t *testing.T, db *DB) {
	c := fixClock(db, time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))

	take := func(holder string, want bool) {
		t.Helper()
		got, err := db.TryLease(ctx, "sweep", holder, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("TryLease(%s) = %v, want %v", holder, got, want)
		}
	}
	take("a", true)  // free
	take("b", false) // held by a
	take("a", true)  // a renews
	c.advance(2 * time.Minute)
	take("b", true) // a's lease expired
	take("a", false)
	if err := db.ReleaseLease(ctx, "sweep", "b"); err != nil {
		t.Fatal(err)
	}
	take("a", true) // released
	if got, err := db.TryLease(ctx, "other", "b", time.Minute); err != nil || !got {
		t.Fatalf("another lease name: %v %v", got, err)
	}
}
