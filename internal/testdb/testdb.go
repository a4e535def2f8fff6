// Package testdb finds a place for a test database: a SQLite file in
// t.TempDir(), or a fresh schema on the PostgreSQL server of $DATABASE_URL,
// dropped when the test ends. It knows nothing of natreport's store, so
// the store's own tests and models/modeltest (for every other package)
// share it. Only _test.go files import it.
package testdb

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	gormlogger "gorm.io/gorm/logger"
)

// Target is where one test database lives: either a SQLite file or a
// PostgreSQL URL whose search_path is a schema of its own.
type Target struct {
	Dialect     string // "sqlite" or "postgres", the subtest's name
	SQLitePath  string
	PostgresURL string
}

// SQLite is a new SQLite file in t.TempDir().
func SQLite(t testing.TB) Target {
	return Target{Dialect: "sqlite", SQLitePath: filepath.Join(t.TempDir(), "natreport.db")}
}

// Postgres is a new schema (t_<random>) on the server of $DATABASE_URL,
// dropped when the test ends. It skips the test when DATABASE_URL is not
// set, and fails it on CI, where the store tests must run on PostgreSQL.
func Postgres(t testing.TB) Target {
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
	return Target{Dialect: "postgres", PostgresURL: u.String()}
}

// Each runs fn as a subtest on a SQLite target ("sqlite") and, when
// DATABASE_URL is set (or on CI), on a PostgreSQL one ("postgres").
func Each(t *testing.T, fn func(t *testing.T, tg Target)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	if os.Getenv("DATABASE_URL") != "" || os.Getenv("CI") == "true" {
		t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
	}
}
