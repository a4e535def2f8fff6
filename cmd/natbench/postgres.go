package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	gormlogger "gorm.io/gorm/logger"

	"github.com/natreport/natreport/demo"
	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// postgresPages measures the section page on PostgreSQL, when
// DATABASE_URL names a server: the same States and reports generated into
// a fresh schema (dropped afterwards), a second natreport serving it, the
// same page and ceiling as on SQLite.
func (b *bench) postgresPages(ctx context.Context) error {
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		b.doc.Notes = append(b.doc.Notes, "Section page on PostgreSQL: not measured in this run (DATABASE_URL was not set).")
		return nil
	}
	pgURL, drop, err := freshSchema(base)
	if err != nil {
		return err
	}
	defer drop()
	db, err := models.Open(ctx, models.Config{PostgresURL: pgURL, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	templates, err := surveys.Builtin()
	if err != nil {
		db.Close()
		return err
	}
	start := time.Now()
	err = db.Migrate(ctx)
	var gen *demo.Generated
	if err == nil {
		gen, err = demo.Synthetic(ctx, db, templates, b.cfg.States)
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	b.doc.Setup = append(b.doc.Setup, fmt.Sprintf("PostgreSQL (%s): the same generator into a fresh schema took %.1f s.", pgVersion(base), time.Since(start).Seconds()))
	srv, _, err := startServer(ctx, b.bin, "", pgURL, filepath.Join(b.work, "postgres.log"))
	if err != nil {
		return err
	}
	defer srv.stop()
	iso3 := gen.Drafts[0]
	cookie, err := login(ctx, b.client, srv.base, gen.Focal[iso3], demo.Password)
	if err != nil {
		return err
	}
	sec := b.largestSection()
	path := "/reports/" + iso3 + "/" + gen.Cycles[1] + "/sections/" + sec
	return b.page(ctx, srv.base, path, cookie, "section page "+sec+" of a draft on **PostgreSQL**, as its focal point", "PostgreSQL")
}

// freshSchema creates an empty schema on the server of base and returns
// a URL whose search_path is that schema, and a function dropping it.
func freshSchema(base string) (string, func(), error) {
	admin, err := gorm.Open(postgres.Open(base), &gorm.Config{Logger: gormlogger.Discard})
	if err != nil {
		return "", nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	closeAdmin := func() {
		if s, err := admin.DB(); err == nil {
			_ = s.Close()
		}
	}
	rb := make([]byte, 6)
	_, _ = rand.Read(rb)
	schema := "natbench_" + hex.EncodeToString(rb)
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		closeAdmin()
		return "", nil, err
	}
	u, err := url.Parse(base)
	if err != nil {
		closeAdmin()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		_ = admin.Exec("DROP SCHEMA " + schema + " CASCADE").Error
		closeAdmin()
	}, nil
}

// pgVersion is the server's version string, or "version unknown".
func pgVersion(base string) string {
	g, err := gorm.Open(postgres.Open(base), &gorm.Config{Logger: gormlogger.Discard})
	if err != nil {
		return "version unknown"
	}
	defer func() {
		if s, err := g.DB(); err == nil {
			_ = s.Close()
		}
	}()
	var v string
	if err := g.Raw("SHOW server_version").Scan(&v).Error; err != nil {
		return "version unknown"
	}
	return "server " + v
}
