package models

import (
	"context"
	"errors"
	"time"
)

// HousekeepingLease names the lease of the hourly housekeeping job.
const HousekeepingLease = "housekeeping"

// Housekeeping deletes what has expired: sessions, sign-in attempts older
// than a day, health rows of instances gone a week. With several instances
// over one database it runs on one of them: it first takes the lease for
// ttl (shorter than the interval between runs) and reports whether it ran.
func (db *DB) Housekeeping(ctx context.Context, holder string, ttl time.Duration) (bool, error) {
	ok, err := db.TryLease(ctx, HousekeepingLease, holder, ttl)
	if err != nil || !ok {
		return false, err
	}
	now := db.Now()
	return true, errors.Join(
		db.DeleteExpiredSessions(ctx),
		db.DeleteSignInAttemptsBefore(ctx, now.Add(-24*time.Hour)),
		db.DeleteHealthChecksBefore(ctx, now.Add(-7*24*time.Hour)),
	)
}
