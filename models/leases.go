package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// TryLease takes or renews the lease called name for holder until ttl from
// now, and reports whether holder has it. A lease held by another holder
// and not yet expired is refused. Background jobs take a lease before each
// run, so that with several instances over one database a job runs on one
// of them at a time; holder is an id unique to the process (see NewHolder).
func (db *DB) TryLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	now := db.Now()
	got := false
	err := db.tx(ctx, func(tx *gorm.DB) error {
		// Insert if absent; the unique key settles a race between two
		// instances, and the update below decides who holds it.
		if err := tx.Exec(`INSERT INTO leases (name, holder, until) VALUES (?, '', ?) ON CONFLICT (name) DO NOTHING`,
			name, now.Add(-time.Second)).Error; err != nil {
			return err
		}
		res := tx.Exec(`UPDATE leases SET holder = ?, until = ? WHERE name = ? AND (holder = ? OR until < ?)`,
			holder, now.Add(ttl), name, holder, now)
		if res.Error != nil {
			return res.Error
		}
		got = res.RowsAffected == 1
		return nil
	})
	return got, err
}

// ReleaseLease gives up holder's lease on name, if it holds it.
func (db *DB) ReleaseLease(ctx context.Context, name, holder string) error {
	return db.w.WithContext(ctx).Exec(`UPDATE leases SET holder = '', until = ? WHERE name = ? AND holder = ?`,
		db.Now().Add(-time.Second), name, holder).Error
}
