package handlers

import (
	"net/http"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	gormlogger "gorm.io/gorm/logger"

	"github.com/natreport/natreport/internal/testdb"
	"github.com/natreport/natreport/models/modeltest"
)

// rawDB opens a second, plain connection to a test database, for tests
// that break the database behind natreport's back.
func rawDB(t *testing.T, tg testdb.Target) *gorm.DB {
	t.Helper()
	d := sqlite.Open(tg.SQLitePath)
	if tg.PostgresURL != "" {
		d = postgres.Open(tg.PostgresURL)
	}
	g, err := gorm.Open(d, &gorm.Config{Logger: gormlogger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if s, err := g.DB(); err == nil {
			_ = s.Close()
		}
	})
	return g
}

// TestHealthzWhenWritesFail: reads still work, writes do not (as on a
// full disk): /healthz says so.
func TestHealthzWhenWritesFail(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		a := newAppOn(t, modeltest.Open(t, tg))
		wantStatus(t, a.anon().get("/healthz"), http.StatusOK)
		// Without its table the health write fails while reads work: it
		// stands in for a disk that refuses writes.
		if err := rawDB(t, tg).Exec(`DROP TABLE health_checks`).Error; err != nil {
			t.Fatal(err)
		}
		w := a.anon().get("/healthz")
		wantStatus(t, w, http.StatusServiceUnavailable)
		wantBody(t, w, "refuses writes")
		// Reads still answer: the home page works.
		wantStatus(t, a.anon().get("/"), http.StatusOK)
	})
}
