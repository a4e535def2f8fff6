package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/natreport/natreport/models"
)

// cmdBackup writes a consistent copy of the SQLite database while the
// server may be running (models.DB.Backup: VACUUM INTO).
func cmdBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, out, err := requiredFlag("backup", "o", "the backup file to write (must not exist)", args, getenv, stderr)
	if err != nil {
		return err
	}
	if cfg.DatabaseURL != "" {
		return usagef("backup: for PostgreSQL use pg_dump (see the README)")
	}
	db, err := models.Open(ctx, models.Config{SQLitePath: cfg.DBPath, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s (integrity checked)\n", cfg.DBPath, out)
	return nil
}

// cmdRestore replaces the SQLite database with a backup; it refuses while
// a server (or any natreport command) has the database open.
func cmdRestore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, in, err := requiredFlag("restore", "i", "the backup file to restore", args, getenv, stderr)
	if err != nil {
		return err
	}
	if cfg.DatabaseURL != "" {
		return usagef("restore: for PostgreSQL use pg_restore (see the README)")
	}
	if err := models.Restore(ctx, in, cfg.DBPath); err != nil {
		if errors.Is(err, models.ErrInUse) {
			return fmt.Errorf("%w; stop the server first", err)
		}
		return err
	}
	fmt.Fprintf(stdout, "restored %s from %s (integrity checked)\n", cfg.DBPath, in)
	return nil
}
