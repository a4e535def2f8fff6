package models

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"sync"

	"gorm.io/gorm"
)

// The reads every page makes (the session, the cycle, the report's
// versions, its answers, comments and assignments) go through prepared
// statements scanned field by field: GORM's Scan maps columns to fields by
// reflection on every row and prepares the statement again on every call,
// which was a third of a section page's time. Everything else keeps GORM.

// hotStmts are the prepared statements of the read pool, one per query
// text (a fixed set: the texts are constants of this package).
type hotStmts struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func (db *DB) hotStmt(ctx context.Context, q string) (*sql.Stmt, error) {
	return db.prepared(ctx, &db.hot, db.r, q)
}

// prepared returns the statement q prepared on pool g, kept in h. The
// lock is not held while preparing: preparing waits for a connection, and
// the group committer, which holds the only SQLite write connection inside
// its transaction, looks statements up in h (txStmt).
func (db *DB) prepared(ctx context.Context, h *hotStmts, g *gorm.DB, q string) (*sql.Stmt, error) {
	if st := h.get(q); st != nil {
		return st, nil
	}
	pool, err := g.DB()
	if err != nil {
		return nil, err
	}
	text := q
	if db.Dialect == DialectPostgres {
		text = dollarPlaceholders(q)
	}
	st, err := pool.PrepareContext(ctx, text)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if kept, ok := h.m[q]; ok {
		// Prepared meanwhile by another request: keep one.
		_ = st.Close()
		return kept, nil
	}
	if h.m == nil {
		h.m = map[string]*sql.Stmt{}
	}
	h.m[q] = st
	return st, nil
}

// get returns the kept statement q, or nil.
func (h *hotStmts) get(q string) *sql.Stmt {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.m[q]
}

// closeHot closes the prepared statements (before the pools close).
func (db *DB) closeHot() {
	for _, h := range []*hotStmts{&db.hot, &db.hotW} {
		h.mu.Lock()
		for _, st := range h.m {
			_ = st.Close()
		}
		h.m = nil
		h.mu.Unlock()
	}
}

// A save runs three or four statements inside the write transaction; on
// SQLite they all run on the committer's one goroutine, one save after
// another, so each statement's preparation and GORM's reflection were
// paid by every save in the queue. txStmt binds to the transaction a
// statement prepared once on the write pool. A statement is prepared on
// the pool only outside any transaction (prepareSave, before a save is
// queued): inside one, the pool's only SQLite connection is the
// transaction's own, and preparing on the pool would wait for it forever.
// A statement not prepared yet is prepared on the transaction alone.

// errNotSQLTx: tx is not a GORM transaction over database/sql.
var errNotSQLTx = errors.New("not a database/sql transaction")

// txStmt returns the statement q (with ? placeholders) bound to the
// transaction tx; database/sql closes it when tx ends.
func (db *DB) txStmt(ctx context.Context, tx *gorm.DB, q string) (*sql.Stmt, error) {
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return nil, errNotSQLTx
	}
	if st := db.hotW.get(q); st != nil {
		return sqlTx.StmtContext(ctx, st), nil
	}
	if db.Dialect == DialectPostgres {
		q = dollarPlaceholders(q)
	}
	return sqlTx.PrepareContext(ctx, q)
}

// txExec runs q in tx and returns the rows it changed.
func (db *DB) txExec(ctx context.Context, tx *gorm.DB, q string, args ...any) (int64, error) {
	st, err := db.txStmt(ctx, tx, q)
	if err != nil {
		return 0, err
	}
	return rowsChanged(st.ExecContext(ctx, args...))
}

// rowsChanged is the number of rows a statement changed.
func rowsChanged(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// txRows runs the query q in tx and calls scan for each row.
func (db *DB) txRows(ctx context.Context, tx *gorm.DB, q string, scan func(*sql.Rows) error, args ...any) error {
	st, err := db.txStmt(ctx, tx, q)
	if err != nil {
		return err
	}
	return eachRow(st.QueryContext(ctx, args...))(scan)
}

// dollarPlaceholders numbers ? placeholders as PostgreSQL's $1, $2, ...
// The hot queries hold no ? inside string literals.
func dollarPlaceholders(q string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// hotRows runs the read-only query q (with ? placeholders) on the read
// pool as a prepared statement and calls scan for each row.
func (db *DB) hotRows(ctx context.Context, q string, scan func(*sql.Rows) error, args ...any) error {
	if db.Dialect == DialectSQLite {
		// A hot read of the local file ends in microseconds, so it is not
		// worth interrupting when the request ends: with a cancellable
		// context, database/sql starts a goroutine per query to watch it
		// and go-sqlite3 one per row, which cost more than the read.
		ctx = context.WithoutCancel(ctx)
	}
	st, err := db.hotStmt(ctx, q)
	if err != nil {
		return err
	}
	return eachRow(st.QueryContext(ctx, args...))(scan)
}

// eachRow calls scan for each row of a query's result, then closes it.
func eachRow(rows *sql.Rows, err error) func(scan func(*sql.Rows) error) error {
	return func(scan func(*sql.Rows) error) error {
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
}
