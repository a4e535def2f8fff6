// Package modeltest opens test databases for the tests of other packages:
// a migrated SQLite file in t.TempDir(), or a fresh schema on the
// PostgreSQL server of $DATABASE_URL. Only _test.go files import it, so
// the testing package stays out of the natreport binary.
package modeltest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	gormlogger "gorm.io/gorm/logger"

	"github.com/natreport/natreport/models"
)

// testLogger discards the pragma and migration logs of test databases.
var testLogger = slog.New(slog.NewTextHandler(io.Discard, nil))

// prepareTest makes a test database cheap to use: migrated, closed when
// the test ends.
func prepareTest(t testing.TB, db *models.DB) *models.DB {
	t.Helper()
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

// OpenTest opens a migrated SQLite database in a file of t.TempDir(), closed
// when the test ends. Passwords are hashed at bcrypt's minimum cost.
func OpenTest(t testing.TB) *models.DB {
	t.Helper()
	cfg := models.Config{SQLitePath: filepath.Join(t.TempDir(), "natreport.db"), Logger: testLogger, BcryptCost: bcrypt.MinCost}
	db, err := models.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	return prepareTest(t, db)
}

// OpenTestPostgres opens a migrated PostgreSQL database in a schema of its
// own (t_<random>) on the server of $DATABASE_URL, dropped when the test
// ends. It skips the test when DATABASE_URL is not set.
func OpenTestPostgres(t testing.TB) *models.DB {
	t.Helper()
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("DATABASE_URL must be set on CI: the store tests run on PostgreSQL too")
		}
		t.Skip("DATABASE_URL not set")
	}
	admin, err := gorm.Open(postgres.Open(base), &gorm.Config{Logger: gormlogger.Discard})
	if err != nil {
		t.Fatalf("connect to %s: %v", base, err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if err := admin.Exec("DROP SCHEMA " + schema + " CASCADE").Error; err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		if s, err := admin.DB(); err == nil {
			_ = s.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := models.Open(context.Background(), models.Config{PostgresURL: u.String(), Logger: testLogger, BcryptCost: bcrypt.MinCost})
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	return prepareTest(t, db)
}

// ForEachDB runs fn as a subtest on a fresh SQLite database ("sqlite") and,
// when DATABASE_URL is set, on a fresh PostgreSQL schema ("postgres").
func ForEachDB(t *testing.T, fn func(t *testing.T, db *models.DB)) {
	t.Helper()
	t.Run(models.DialectSQLite, func(t *testing.T) { fn(t, OpenTest(t)) })
	if os.Getenv("DATABASE_URL") != "" || os.Getenv("CI") == "true" {
		t.Run(models.DialectPostgres, func(t *testing.T) { fn(t, OpenTestPostgres(t)) })
	}
}
