package models

import (
	"path/filepath"
	"testing"
)

func TestMigrateIdempotent(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		for range 2 {
			must(t, db.Migrate(ctx))
			v, err := db.SchemaVersion(ctx)
			must(t, err)
			if v != LatestSchemaVersion() || v != 70 {
				t.Fatalf("schema version %d, want %d", v, LatestSchemaVersion())
			}
		}
		var n int64
		must(t, db.r.Raw("SELECT COUNT(*) FROM schema_migrations").Scan(&n).Error)
		if n != int64(len(migrations)) {
			t.Errorf("%d rows in schema_migrations, want %d", n, len(migrations))
		}
		must(t, db.r.Raw("SELECT COUNT(*) FROM states").Scan(&n).Error)
		if n != 195 {
			t.Errorf("%d states after migrating twice, want 195", n)
		}
	})
}

func TestMigrateRefusesNewerSchema(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		must(t, db.w.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", 99, "from the future", db.Now()).Error)
		if err := db.Migrate(ctx); err == nil {
			t.Fatal("Migrate accepted a database newer than the program")
		}
	})
}

func TestSchemaVersionEmpty(t *testing.T) {
	db, err := Open(ctx, Config{SQLitePath: filepath.Join(t.TempDir(), "empty.db"), Logger: testLogger})
	must(t, err)
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	must(t, err)
	if v != 0 {
		t.Errorf("empty database at version %d", v)
	}
}

func TestSQLitePragmas(t *testing.T) {
	// A directory that does not exist yet: Open creates it.
	path := filepath.Join(t.TempDir(), "nested", "dir", "natreport.db")
	db, err := Open(ctx, Config{SQLitePath: path, Logger: testLogger})
	must(t, err)
	defer db.Close()
	if db.Dialect != DialectSQLite || db.w == db.r {
		t.Fatalf("dialect %q, separate pools %v", db.Dialect, db.w != db.r)
	}
	for _, c := range []struct {
		name      string
		pool      *DB
		queryOnly int
	}{{"write", &DB{w: db.w}, 0}, {"read", &DB{w: db.r}, 1}} {
		p, err := readPragmas(ctx, c.pool.w)
		must(t, err)
		want := Pragmas{JournalMode: "wal", Synchronous: 2, ForeignKeys: 1, BusyTimeout: 5000, QueryOnly: c.queryOnly}
		if p != want {
			t.Errorf("%s pool pragmas %+v, want %+v", c.name, p, want)
		}
	}
	ws, _ := db.w.DB()
	if got := ws.Stats().MaxOpenConnections; got != 1 {
		t.Errorf("write pool max open connections %d, want 1", got)
	}
	// The read pool refuses writes.
	if err := db.r.Exec("CREATE TABLE x (a INTEGER)").Error; err == nil {
		t.Error("read pool accepted a write")
	}
	must(t, db.Ping(ctx))
}

func TestOpenNeedsADatabase(t *testing.T) {
	if _, err := Open(ctx, Config{}); err == nil {
		t.Fatal("Open with an empty config succeeded")
	}
	if _, err := Open(ctx, Config{SQLitePath: "file:x.db?mode=memory"}); err == nil {
		t.Fatal("Open accepted a SQLite URI")
	}
}
