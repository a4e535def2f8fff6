package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"time"
)

// NewHolder returns an id for this process, unique among the instances
// sharing a database: host name, process id and a random part. It names
// the holder of leases and the row of health checks.
func NewHolder() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// HealthWrite commits a small real write for instance: it fails when the
// database cannot take writes (a full disk, a read-only file, PostgreSQL
// in recovery), which a ping does not notice.
func (db *DB) HealthWrite(ctx context.Context, instance string) error {
	return db.w.WithContext(ctx).Exec(`INSERT INTO health_checks (instance, at) VALUES (?, ?)
		ON CONFLICT (instance) DO UPDATE SET at = excluded.at`, instance, db.Now()).Error
}

// DeleteHealthChecksBefore forgets the rows of instances not seen since t.
func (db *DB) DeleteHealthChecksBefore(ctx context.Context, t time.Time) error {
	return db.w.WithContext(ctx).Exec(`DELETE FROM health_checks WHERE at < ?`, t.UTC()).Error
}
