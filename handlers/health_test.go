package handlers

import (
	"net/http"
	"os"
	"os/exec"
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

// TestHealthzReadOnlyFile: the SQLite file and its write-ahead log become
// read-only under a running server (chattr +i, which binds root too and
// open files as well): /healthz reports failure while reads still work,
// and recovers once the files are writable again.
func TestHealthzReadOnlyFile(t *testing.T) {
	tg := testdb.SQLite(t)
	a := newAppOn(t, modeltest.Open(t, tg))
	wantStatus(t, a.anon().get("/healthz"), http.StatusOK)
	// Not the -shm file: SQLite maps it into memory, and a write to an
	// immutable mapping kills the process (SIGBUS) instead of failing.
	files := []string{tg.SQLitePath, tg.SQLitePath + "-wal"}
	if out, err := exec.Command("chattr", append([]string{"+i"}, files...)...).CombinedOutput(); err != nil {
		if os.Getenv("CI") == "true" && os.Geteuid() == 0 {
			t.Fatalf("chattr +i: %v: %s", err, out)
		}
		t.Skipf("cannot make the database read-only here (chattr +i needs root on ext4 or the like): %v: %s", err, out)
	}
	writable := func() {
		if out, err := exec.Command("chattr", append([]string{"-i"}, files...)...).CombinedOutput(); err != nil {
			t.Errorf("chattr -i: %v: %s", err, out)
		}
	}
	t.Cleanup(writable) // runs before the database closes, so TempDir can go
	w := a.anon().get("/healthz")
	wantStatus(t, w, http.StatusServiceUnavailable)
	wantBody(t, w, "refuses writes")
	wantStatus(t, a.anon().get("/"), http.StatusOK)
	writable()
	wantStatus(t, a.anon().get("/healthz"), http.StatusOK)
}
