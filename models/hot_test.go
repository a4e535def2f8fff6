package models

import (
	"errors"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
)

func TestDollarPlaceholders(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT a FROM t WHERE b = ?", "SELECT a FROM t WHERE b = $1"},
		{"WHERE a = ? AND b IN (?, ?, ?)", "WHERE a = $1 AND b IN ($2, $3, $4)"},
	} {
		if got := dollarPlaceholders(tc.in); got != tc.want {
			t.Errorf("dollarPlaceholders(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestSaveReadSQL checks the kept texts of saveReadSQL against the ones
// it builds, and that each has one placeholder per question and the
// report, on both databases.
func TestSaveReadSQL(t *testing.T) {
	for _, dialect := range []string{DialectSQLite, DialectPostgres} {
		db := &DB{Dialect: dialect}
		for n := 1; n < len(saveReadN[0])+3; n++ {
			q := db.saveReadSQL(n)
			if want := saveReadText(n, dialect == DialectPostgres); q != want {
				t.Fatalf("%s: saveReadSQL(%d) = %q, want %q", dialect, n, q, want)
			}
			if got := strings.Count(q, "?"); got != n+1 {
				t.Errorf("%s: saveReadSQL(%d) has %d placeholders, want %d", dialect, n, got, n+1)
			}
			if locks := strings.HasSuffix(q, "FOR NO KEY UPDATE OF r"); locks != (dialect == DialectPostgres) {
				t.Errorf("%s: saveReadSQL(%d) locks the report: %v", dialect, n, locks)
			}
		}
	}
}

// TestPrepareWhileCommitting: a request preparing a save's statement for
// the first time waits for the write connection; the transaction that
// holds that connection (the group committer's) must still find its own
// statements, or neither ever goes on (SQLite has one write connection).
func TestPrepareWhileCommitting(t *testing.T) {
	db := OpenTest(t)
	inTx, preparing := make(chan struct{}), make(chan error, 1)
	done := make(chan error, 1)
	go func() {
		done <- db.tx(ctx, func(tx *gorm.DB) error {
			close(inTx)
			time.Sleep(100 * time.Millisecond) // the other request is now preparing, waiting for this connection
			st, err := db.newSaveTxn(tx, true)
			if err != nil {
				return err
			}
			if _, err := st.read(ctx, 1, []string{"a", "b", "c"}); !errors.Is(err, ErrNotFound) {
				return err
			}
			return nil
		})
	}()
	<-inTx
	go func() {
		_, err := db.prepared(ctx, &db.hotW, db.w, db.saveReadSQL(3))
		preparing <- err
	}()
	for _, ch := range []chan error{done, preparing} {
		select {
		case err := <-ch:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("a transaction and a statement being prepared wait for each other")
		}
	}
}
