// Package modeltest opens test databases of natreport's store for the
// tests of other packages: a migrated SQLite file in t.TempDir(), or a
// fresh schema on the PostgreSQL server of $DATABASE_URL. Only _test.go
// files import it, so the testing package stays out of the binary.
package modeltest

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/natreport/natreport/internal/testdb"
	"github.com/natreport/natreport/models"
)

// Open opens and migrates a database at tg, closed when the test ends;
// passwords are hashed at bcrypt's minimum cost.
func Open(t testing.TB, tg testdb.Target) *models.DB {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := models.Open(context.Background(), models.Config{SQLitePath: tg.SQLitePath, PostgresURL: tg.PostgresURL, Logger: log, BcryptCost: bcrypt.MinCost})
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
func OpenTest(t testing.TB) *models.DB { return Open(t, testdb.SQLite(t)) }

// ForEachDB runs fn on a fresh SQLite database ("sqlite") and, when
// DATABASE_URL is set, on a fresh PostgreSQL schema ("postgres").
func ForEachDB(t *testing.T, fn func(t *testing.T, db *models.DB)) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) { fn(t, Open(t, tg)) })
}
