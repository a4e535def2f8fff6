package models

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/natreport/natreport/internal/testdb"
)

// The store's own test databases; every other package uses
// models/modeltest (the store's tests cannot import it: import cycle).

// testLogger discards the pragma and migration logs of test databases.
var testLogger = slog.New(slog.NewTextHandler(io.Discard, nil))

// openTarget opens and migrates a test database, closed when the test
// ends; passwords are hashed at bcrypt's minimum cost.
func openTarget(t testing.TB, tg testdb.Target) *DB {
	t.Helper()
	db, err := Open(context.Background(), Config{SQLitePath: tg.SQLitePath, PostgresURL: tg.PostgresURL, Logger: testLogger, BcryptCost: bcrypt.MinCost})
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

// OpenTest opens a migrated SQLite database in a file of t.TempDir().
func OpenTest(t testing.TB) *DB { return openTarget(t, testdb.SQLite(t)) }

// ForEachDB runs fn on a fresh SQLite database and, when DATABASE_URL is
// set, on a fresh PostgreSQL schema.
func ForEachDB(t *testing.T, fn func(t *testing.T, db *DB)) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) { fn(t, openTarget(t, tg)) })
}
