package demo

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

func TestDebugTiming(t *testing.T) {
	ctx := context.Background()
	db, err := models.Open(ctx, models.Config{SQLitePath: filepath.Join(t.TempDir(), "x.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	tm, _ := surveys.Builtin()
	start := time.Now()
	if _, err := Load(ctx, db, tm, time.Now()); err != nil {
		t.Fatal(err)
	}
	t.Logf("load took %v", time.Since(start))
}
