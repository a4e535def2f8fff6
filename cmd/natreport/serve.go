package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/natreport/natreport/demo"
	"github.com/natreport/natreport/handlers"
	"github.com/natreport/natreport/mailer"
	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/notify"
	"github.com/natreport/natreport/surveys"
)

// openDB opens and migrates the database the flags name.
func openDB(ctx context.Context, cfg Config, log *slog.Logger) (*models.DB, error) {
	damaged := func(err error) error {
		return fmt.Errorf("%s failed its integrity check, so natreport will not use it; restore the last backup (natreport restore -i FILE): %w", cfg.describeDB(), err)
	}
	db, err := models.Open(ctx, models.Config{SQLitePath: cfg.DBPath, PostgresURL: cfg.DatabaseURL, Logger: log})
	if err != nil {
		if msg := err.Error(); strings.Contains(msg, "malformed") || strings.Contains(msg, "not a database") || strings.Contains(msg, "corrupt") {
			return nil, damaged(err)
		}
		return nil, err
	}
	// A damaged database is refused before anything reads or writes it.
	if err := db.CheckIntegrity(ctx, true); err != nil {
		db.Close()
		return nil, damaged(err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	serveFlags(fs, &cfg, getenv)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	log, err := newLogger(cfg.LogFormat, stderr)
	if err != nil {
		return err
	}
	proxies, err := parseProxies(cfg.TrustedProxies)
	if err != nil {
		return err
	}
	templates, err := surveys.Builtin()
	if err != nil {
		return fmt.Errorf("templates: %w", err)
	}
	db, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if cfg.Demo {
		logins, err := demo.Load(ctx, db, templates, time.Now())
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		fmt.Fprintf(stdout, "natreport demo: %s\n", cfg.BaseURL)
		fmt.Fprintln(stdout, "Demo sign-ins (password for all: "+demo.Password+"):")
		for _, l := range logins {
			fmt.Fprintf(stdout, "  %-12s %s\n", l.Role, l.Email)
		}
	}
	worker, err := newMailWorker(cfg, db, log)
	if err != nil {
		return err
	}
	h := handlers.New(db, templates, handlers.Config{SecureCookies: cfg.SecureCookies, BaseURL: cfg.BaseURL,
		MailConfigured: worker.Sender != nil, TrustedProxies: proxies,
		Background: ctx, GapWarmEvery: 10 * time.Second}, log)
	srv := &http.Server{
		Addr:              cfg.Addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	log.Info("natreport listening", "addr", ln.Addr().String(), "base_url", cfg.BaseURL, "db", cfg.describeDB())
	fmt.Fprintf(stdout, "natreport serving on %s\n", cfg.BaseURL)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	go worker.Run(ctx, &mailer.Scheduler{DB: db, Composer: notify.Composer{BaseURL: cfg.BaseURL}}, 15*time.Second, 5*time.Minute)
	go housekeeping(ctx, db, models.NewHolder(), log)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func cmdMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg Config
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	dbFlags(fs, &cfg, getenv)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	log, _ := newLogger("text", stderr)
	db, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "schema version %d\n", v)
	return nil
}
