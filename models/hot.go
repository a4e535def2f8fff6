package models

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
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
	h := &db.hot
	h.mu.Lock()
	defer h.mu.Unlock()
	if st, ok := h.m[q]; ok {
		return st, nil
	}
	pool, err := db.r.DB()
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
	if h.m == nil {
		h.m = map[string]*sql.Stmt{}
	}
	h.m[q] = st
	return st, nil
}

// closeHot closes the prepared statements (before the pool closes).
func (db *DB) closeHot() {
	db.hot.mu.Lock()
	defer db.hot.mu.Unlock()
	for _, st := range db.hot.m {
		_ = st.Close()
	}
	db.hot.m = nil
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
	st, err := db.hotStmt(ctx, q)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(ctx, args...)
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
