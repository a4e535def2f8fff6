// Package models is the storage layer of natreport: it opens the database
// (SQLite or PostgreSQL), runs the ordered migrations and holds one file per
// table with its struct and small named queries. It holds no business rules
// beyond what keeps the data consistent, and imports neither Gin nor templ.
package models

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	gormlogger "gorm.io/gorm/logger"
)

// The dialects Open knows.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// Config says which database Open connects to: PostgreSQL when PostgresURL
// is set, otherwise the SQLite file at SQLitePath.
type Config struct {
	SQLitePath  string
	PostgresURL string
	// Logger receives the pragma report and slow queries; nil means slog.Default().
	Logger *slog.Logger
	// BcryptCost hashes new passwords; 0 means BcryptCost (tests use
	// bcrypt's minimum to stay fast).
	BcryptCost int
}

// DB is the open database. Writes go through w and reads through r; both
// stay inside this package, whose methods are the only way to the data. On
// SQLite w is a single connection (SQLite has one writer at a time, and
// queueing in Go is kinder than busy retries) and r a pool of query-only
// connections; on PostgreSQL both are the same pool.
type DB struct {
	w       *gorm.DB
	r       *gorm.DB
	Dialect string

	cfg        Config
	group      *groupCommitter // SQLite: saves committed together (groupcommit.go)
	states     atomic.Pointer[stateTable]
	hot        hotStmts // prepared statements of the hot reads (hot.go)
	hotW       hotStmts // and of the save's statements, on the write pool
	lockFile   *os.File // SQLite: the shared lock on the file (see lockShared)
	log        *slog.Logger
	now        func() time.Time
	bcryptCost int
}

// slowQuery is the threshold above which a query is logged.
const slowQuery = 200 * time.Millisecond

// sqliteParams are the connection parameters of the write connection; see
// the DSN documentation in mattn/go-sqlite3's sqlite3.go. _synchronous comes
// after _journal_mode in the driver's parsing, so FULL survives WAL's default
// of NORMAL: a committed answer must survive a power cut.
var sqliteParams = url.Values{
	"_journal_mode": {"WAL"},
	"_synchronous":  {"FULL"},
	"_foreign_keys": {"on"},
	"_busy_timeout": {"5000"},
	"_txlock":       {"immediate"},
}

// Open connects to the database described by cfg and checks it answers. On
// SQLite it also reads the pragmas back on both pools and refuses to start
// if they did not take. It does not migrate: call Migrate.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	gcfg := func() *gorm.Config {
		return &gorm.Config{
			Logger:                 &slowLogger{log: log, threshold: slowQuery},
			SkipDefaultTransaction: true,
			TranslateError:         true,
		}
	}
	db := &DB{cfg: cfg, log: log, now: time.Now, bcryptCost: cmp.Or(cfg.BcryptCost, BcryptCost)}
	if cfg.PostgresURL != "" {
		g, err := gorm.Open(postgres.Open(cfg.PostgresURL), gcfg())
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		sqlDB, err := g.DB()
		if err != nil {
			return nil, err
		}
		// Every connection is kept: one closed after a busy moment is
		// opened again (a new server process) at the next, and each of
		// the prepared hot statements with it.
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(20)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		db.w, db.r, db.Dialect = g, g, DialectPostgres
		if err := db.Ping(ctx); err != nil {
			_ = db.Close()
			return nil, fmt.Errorf("postgres: %w", err)
		}
		return db, nil
	}

	if cfg.SQLitePath == "" {
		return nil, errors.New("open: neither a SQLite path nor a PostgreSQL URL given")
	}
	if strings.ContainsAny(cfg.SQLitePath, "?#") || strings.HasPrefix(cfg.SQLitePath, "file:") {
		return nil, fmt.Errorf("open: SQLite path %q must be a plain file path", cfg.SQLitePath)
	}
	if err := os.MkdirAll(filepath.Dir(cfg.SQLitePath), 0o750); err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	db.Dialect = DialectSQLite
	// A shared lock on the file for as long as it is open: restore takes
	// it exclusively, so it refuses while anyone holds the database.
	lock, err := lockShared(cfg.SQLitePath)
	if err != nil {
		return nil, err
	}
	db.lockFile = lock
	opened := false
	defer func() {
		if !opened {
			_ = lock.Close()
		}
	}()

	w, err := gorm.Open(sqlite.Open(cfg.SQLitePath+"?"+sqliteParams.Encode()), gcfg())
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	db.w = w
	wsql, err := w.DB()
	if err != nil {
		return nil, err
	}
	wsql.SetMaxOpenConns(1)
	wsql.SetMaxIdleConns(1)
	wsql.SetConnMaxLifetime(0)
	wsql.SetConnMaxIdleTime(0)
	// The write connection opens first so that it is the one to switch the
	// file to WAL mode.
	if err := wsql.PingContext(ctx); err != nil {
		_ = wsql.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}

	rp := url.Values{}
	for k, v := range sqliteParams {
		rp[k] = v
	}
	rp.Set("_txlock", "deferred")
	rp.Set("_query_only", "on")
	r, err := gorm.Open(sqlite.Open(cfg.SQLitePath+"?"+rp.Encode()), gcfg())
	if err != nil {
		_ = wsql.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	db.r = r
	rsql, err := r.DB()
	if err != nil {
		_ = wsql.Close()
		return nil, err
	}
	n := max(4, runtime.NumCPU())
	rsql.SetMaxOpenConns(n)
	rsql.SetMaxIdleConns(n)
	rsql.SetConnMaxIdleTime(10 * time.Minute)

	if err := db.checkPragmas(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	db.group = newGroupCommitter(db)
	opened = true
	return db, nil
}

// Pragmas are the SQLite settings read back from one connection.
type Pragmas struct {
	JournalMode string
	Synchronous int
	ForeignKeys int
	BusyTimeout int
	QueryOnly   int
}

// readPragmas reads the pragmas of one connection of g (a SQLite pool).
func readPragmas(ctx context.Context, g *gorm.DB) (Pragmas, error) {
	var p Pragmas
	conn, err := g.DB()
	if err != nil {
		return p, err
	}
	// One *sql.Conn so that every pragma comes from the same connection.
	c, err := conn.Conn(ctx)
	if err != nil {
		return p, err
	}
	defer c.Close()
	for _, q := range []struct {
		name string
		dest any
	}{
		{"journal_mode", &p.JournalMode},
		{"synchronous", &p.Synchronous},
		{"foreign_keys", &p.ForeignKeys},
		{"busy_timeout", &p.BusyTimeout},
		{"query_only", &p.QueryOnly},
	} {
		if err := c.QueryRowContext(ctx, "PRAGMA "+q.name).Scan(q.dest); err != nil {
			return p, fmt.Errorf("read pragma %s: %w", q.name, err)
		}
	}
	p.JournalMode = strings.ToLower(p.JournalMode)
	return p, nil
}

// checkPragmas refuses a SQLite database whose settings did not take: the
// durability and integrity of drafts depend on them.
func (db *DB) checkPragmas(ctx context.Context) error {
	for _, pool := range []struct {
		name      string
		g         *gorm.DB
		queryOnly int
	}{{"write", db.w, 0}, {"read", db.r, 1}} {
		p, err := readPragmas(ctx, pool.g)
		if err != nil {
			return fmt.Errorf("sqlite %s pool: %w", pool.name, err)
		}
		db.log.Info("sqlite pragmas", "pool", pool.name, "path", db.cfg.SQLitePath,
			"journal_mode", p.JournalMode, "synchronous", p.Synchronous,
			"foreign_keys", p.ForeignKeys, "busy_timeout", p.BusyTimeout, "query_only", p.QueryOnly)
		if p.JournalMode != "wal" || p.Synchronous != 2 || p.ForeignKeys != 1 || p.BusyTimeout < 5000 || p.QueryOnly != pool.queryOnly {
			return fmt.Errorf("sqlite %s pool: pragmas did not take: %+v", pool.name, p)
		}
	}
	return nil
}

// Close stops the group committer and closes both pools.
func (db *DB) Close() error {
	if db.group != nil {
		db.group.close()
		db.group = nil
	}
	db.closeHot()
	var errs []error
	w, err := db.w.DB()
	if err == nil {
		errs = append(errs, w.Close())
	}
	if db.r != nil && db.r != db.w {
		if r, err := db.r.DB(); err == nil {
			errs = append(errs, r.Close())
		}
	}
	if db.lockFile != nil {
		errs = append(errs, db.lockFile.Close())
		db.lockFile = nil
	}
	return errors.Join(errs...)
}

// Ping checks that both pools answer.
func (db *DB) Ping(ctx context.Context) error {
	for _, g := range []*gorm.DB{db.w, db.r} {
		s, err := g.DB()
		if err != nil {
			return err
		}
		if err := s.PingContext(ctx); err != nil {
			return err
		}
	}
	return nil
}

// SetNow replaces the clock, for tests; f's results are stored in UTC.
func (db *DB) SetNow(f func() time.Time) { db.now = f }

// Now is the database's current time: UTC, to the microsecond (what
// PostgreSQL keeps), so that what is written reads back equal.
func (db *DB) Now() time.Time { return db.now().UTC().Truncate(time.Microsecond) }

// tx runs fn in one write transaction.
func (db *DB) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return db.w.WithContext(ctx).Transaction(fn)
}

// read is the read pool bound to ctx.
func (db *DB) read(ctx context.Context) *gorm.DB { return db.r.WithContext(ctx) }

// slowLogger is a GORM logger that is silent except for slow queries and
// GORM's own warnings. Query errors are returned to callers, who decide.
type slowLogger struct {
	log       *slog.Logger
	threshold time.Duration
}

func (l *slowLogger) LogMode(gormlogger.LogLevel) gormlogger.Interface { return l }

func (l *slowLogger) Info(ctx context.Context, msg string, args ...any) {
	l.log.InfoContext(ctx, fmt.Sprintf(msg, args...))
}

func (l *slowLogger) Warn(ctx context.Context, msg string, args ...any) {
	l.log.WarnContext(ctx, fmt.Sprintf(msg, args...))
}

func (l *slowLogger) Error(ctx context.Context, msg string, args ...any) {
	l.log.ErrorContext(ctx, fmt.Sprintf(msg, args...))
}

func (l *slowLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), _ error) {
	if elapsed := time.Since(begin); elapsed > l.threshold {
		sql, rows := fc()
		l.log.WarnContext(ctx, "slow query", "elapsed", elapsed, "rows", rows, "sql", sql)
	}
}
