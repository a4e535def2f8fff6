package models

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/natreport/natreport/internal/testdb"
)

// openFile opens and migrates the SQLite file at path, closed at the end.
func openFile(t *testing.T, path string) *DB {
	t.Helper()
	return openTarget(t, testdb.Target{Dialect: DialectSQLite, SQLitePath: path})
}

func countUsers(t *testing.T, db *DB) int {
	t.Helper()
	var n int
	if err := db.r.Raw("SELECT COUNT(*) FROM users").Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBackupUnderLoad: a backup taken while users are being written is a
// consistent snapshot that passes the integrity check and holds at least
// what was committed before it started.
func TestBackupUnderLoad(t *testing.T) {
	dir := t.TempDir()
	db := openFile(t, filepath.Join(dir, "live.db"))
	for i := 0; i < 20; i++ {
		if err := db.CreateUser(ctx, &User{Email: fmt.Sprintf("u%d@x.org", i), Role: RoleDonor}, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 100; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := db.CreateUser(ctx, &User{Email: fmt.Sprintf("u%d@x.org", i), Role: RoleDonor}, "correct horse battery"); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	out := filepath.Join(dir, "backup.db")
	err := db.Backup(ctx, out)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(out + "-wal"); err == nil {
		t.Errorf("a -wal beside the backup")
	}
	if err := CheckFile(ctx, out, false); err != nil {
		t.Fatalf("backup integrity: %v", err)
	}
	if err := db.Backup(ctx, out); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("backup over an existing file: %v", err)
	}
	restored := openFile(t, filepath.Join(dir, "copy.db"))
	restored.Close()
	if err := Restore(ctx, out, filepath.Join(dir, "copy.db")); err != nil {
		t.Fatal(err)
	}
	again := openFile(t, filepath.Join(dir, "copy.db"))
	if n := countUsers(t, again); n < 20 {
		t.Errorf("%d users in the backup, want at least 20", n)
	}
}

// TestRestore: refused while the database is open; stale -wal and -shm
// files are removed; the result passes the integrity check.
func TestRestore(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	db := openFile(t, live)
	if err := db.CreateUser(ctx, &User{Email: "a@x.org", Role: RoleDonor}, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "b.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateUser(ctx, &User{Email: "b@x.org", Role: RoleDonor}, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	// While it is open: refused, nothing touched.
	if err := Restore(ctx, backup, live); !errors.Is(err, ErrInUse) {
		t.Fatalf("restore while open: %v, want ErrInUse", err)
	}
	if n := countUsers(t, db); n != 2 {
		t.Fatalf("%d users after a refused restore", n)
	}
	// An old -wal beside the database: keep a copy of the live one's.
	wal, err := os.ReadFile(live + "-wal")
	if err != nil || len(wal) == 0 {
		t.Fatalf("no -wal to test with: %v", err)
	}
	walCopy := append([]byte(nil), wal...)
	_ = db.Close()
	if err := os.WriteFile(live+"-wal", walCopy, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(live+"-shm", make([]byte, 32768), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := Restore(ctx, backup, live); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{live + "-wal", live + "-shm"} {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("%s left behind", f)
		}
	}
	db2 := openFile(t, live)
	if err := db2.CheckIntegrity(ctx, false); err != nil {
		t.Fatal(err)
	}
	if n := countUsers(t, db2); n != 1 {
		t.Errorf("%d users after restore, want the backup's 1", n)
	}
	// A damaged backup is refused before anything is replaced.
	bad := filepath.Join(dir, "bad.db")
	if err := os.WriteFile(bad, []byte(strings.Repeat("not a database ", 400)), 0o640); err != nil {
		t.Fatal(err)
	}
	_ = db2.Close()
	if err := Restore(ctx, bad, live); err == nil {
		t.Errorf("a damaged backup was restored")
	}
}

// TestCheckIntegrityFindsDamage overwrites pages in the middle of a
// database file and expects the check to say so.
func TestCheckIntegrityFindsDamage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.db")
	db := openFile(t, path)
	for i := 0; i < 200; i++ {
		if err := db.AddAudit(ctx, AuditEntry{Action: "test", Detail: strings.Repeat("x", 500), At: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.CheckIntegrity(ctx, true); err != nil {
		t.Fatalf("fresh database: %v", err)
	}
	if err := db.w.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error; err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	damage(t, path)
	if err := CheckFile(ctx, path, true); !errors.Is(err, ErrDamaged) {
		t.Errorf("damaged file: %v, want ErrDamaged", err)
	}
}

// damage overwrites the second half of the file's pages but the last with
// a pattern that still looks like b-tree pages to a casual reader.
func damage(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	for off := len(b) / 2 / page * page; off+page < len(b); off += 2 * page {
		for i := 8; i < page; i++ {
			b[off+i] = byte(i * 7)
		}
	}
	if err := os.WriteFile(path, b, 0o640); err != nil {
		t.Fatal(err)
	}
}
