package models

import (
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

// TestAnswersIn checks the kept texts of answersIn against the ones it
// builds, and that each has one placeholder per question and the report.
func TestAnswersIn(t *testing.T) {
	for n := 1; n < len(answersInN)+3; n++ {
		q := answersIn(n)
		if q != answersInText(n) {
			t.Fatalf("answersIn(%d) = %q, want %q", n, q, answersInText(n))
		}
		if got := strings.Count(q, "?"); got != n+1 {
			t.Errorf("answersIn(%d) has %d placeholders, want %d", n, got, n+1)
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
			_, err := db.txAnswers(ctx, tx, 1, "a", "b", "c")
			return err
		})
	}()
	<-inTx
	go func() {
		_, err := db.prepared(ctx, &db.hotW, db.w, answersIn(3))
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
