package models

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	gormlogger "gorm.io/gorm/logger"
)

// ErrInUse: the SQLite database is open in another process (a server).
var ErrInUse = errors.New("the database is in use by another natreport process (stop the server first)")

// ErrDamaged: the database failed its integrity check.
var ErrDamaged = errors.New("the database is damaged")

// lockShared opens path (creating it empty if need be) and takes a shared
// flock on it, held until the file is closed. SQLite's own locks are POSIX
// record locks, which flock does not touch.
func lockShared(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("open %s: it is being restored", path)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return f, nil
}

// Backup writes a consistent copy of the SQLite database to path while
// the database stays in use: VACUUM INTO reads one snapshot (a read
// transaction, so writers go on) and writes a compact, self-contained file
// with no -wal beside it. path must not exist. On PostgreSQL use pg_dump.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.Dialect != DialectSQLite {
		return errors.New("backup: natreport backs up SQLite only; use pg_dump for PostgreSQL")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s exists", path)
	}
	tmp := path + ".part"
	_ = os.Remove(tmp)
	if err := db.w.WithContext(ctx).Exec("VACUUM INTO ?", tmp).Error; err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("backup: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	if err := CheckFile(ctx, tmp, false); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("backup: the copy: %w", err)
	}
	return os.Rename(tmp, path)
}

// CheckIntegrity runs SQLite's integrity check (quick: quick_check, which
// skips the index contents) and returns ErrDamaged with what it found. On
// PostgreSQL it only checks that the database answers.
func (db *DB) CheckIntegrity(ctx context.Context, quick bool) error {
	if db.Dialect != DialectSQLite {
		return db.Ping(ctx)
	}
	return integrity(ctx, db.r, quick)
}

func integrity(ctx context.Context, g *gorm.DB, quick bool) error {
	pragma := "PRAGMA integrity_check(20)"
	if quick {
		pragma = "PRAGMA quick_check(20)"
	}
	var rows []string
	if err := g.WithContext(ctx).Raw(pragma).Scan(&rows).Error; err != nil {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	if len(rows) == 1 && rows[0] == "ok" {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrDamaged, strings.Join(rows, "; "))
}

// CheckFile opens the SQLite file at path read-only, without its -wal,
// and runs the integrity check on it.
func CheckFile(ctx context.Context, path string, quick bool) error {
	if _, err := os.Stat(path); err != nil {
		return err
	}
	g, err := gorm.Open(sqlite.Open("file:"+path+"?mode=ro&immutable=1"), &gorm.Config{Logger: gormlogger.Discard})
	if err != nil {
		// The file exists but SQLite cannot even read its schema.
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	if s, err := g.DB(); err == nil {
		defer s.Close()
	}
	return integrity(ctx, g, quick)
}

// Restore replaces the SQLite database at path with the backup file from.
// It refuses while any natreport process has the database open (see
// lockShared), checks the backup first, removes the -wal and -shm files
// left beside the old database (applied to the restored file they would
// corrupt it), copies the backup in with fsync and rename, and checks the
// result.
func Restore(ctx context.Context, from, path string) error {
	if err := CheckFile(ctx, from, false); err != nil {
		return fmt.Errorf("restore: the backup %s: %w", from, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	lock, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return fmt.Errorf("restore: %w", ErrInUse)
		}
		return fmt.Errorf("restore: lock: %w", err)
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("restore: remove stale %s: %w", path+suffix, err)
		}
	}
	tmp := path + ".restore"
	if err := copyFile(from, tmp); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("restore: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return err
	}
	if err := CheckFile(ctx, path, false); err != nil {
		return fmt.Errorf("restore: the restored database: %w", err)
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
