package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startServe runs natreport serve on a free port until the test ends and
// waits for /healthz.
func startServe(t *testing.T, env map[string]string) (stop func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	env["NATREPORT_ADDR"] = addr
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out, errb bytes.Buffer
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errb)
	}()
	for i := 0; i < 300; i++ {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			return func() error { cancel(); return <-done }
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve ended: %v; log: %s", err, errb.String())
		case <-time.After(100 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("serve did not answer; log: %s", errb.String())
	return nil
}

// TestBackupRestoreCommands: backup while the server runs, restore refused
// while it runs and done once it stopped, and serve refusing a damaged
// database.
func TestBackupRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "nr.db")
	env := map[string]string{"NATREPORT_DB": db}
	if _, _, err := cli(t, env, "", "user", "add", "-email", "first@x.org", "-name", "First", "-role", "admin"); err != nil {
		t.Fatal(err)
	}
	stop := startServe(t, env)
	backup := filepath.Join(dir, "backup.db")
	if out, _, err := cli(t, env, "", "backup", "-o", backup); err != nil || !strings.Contains(out, "backed up") {
		t.Fatalf("backup while serving: %q %v", out, err)
	}
	if _, _, err := cli(t, env, "", "user", "add", "-email", "second@x.org", "-name", "Second", "-role", "admin"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := cli(t, env, "", "restore", "-i", backup); err == nil || !strings.Contains(err.Error(), "stop the server") {
		t.Fatalf("restore while serving: %v, want a refusal", err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if out, _, err := cli(t, env, "", "restore", "-i", backup); err != nil || !strings.Contains(out, "restored") {
		t.Fatalf("restore: %q %v", out, err)
	}
	// The backup had the first user only: the second can be added again.
	if _, _, err := cli(t, env, "", "user", "add", "-email", "second@x.org", "-name", "Second", "-role", "admin"); err != nil {
		t.Errorf("after restore: %v", err)
	}
	for _, args := range [][]string{{"backup"}, {"restore"}, {"backup", "-o", "x", "-database-url", "postgres://x"}} {
		if _, _, err := cli(t, env, "", args...); !isUsage(err) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}

	// A damaged file: serve refuses to start, saying why.
	b, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	for off := len(b) / 2 / 4096 * 4096; off+4096 < len(b); off += 4096 {
		for i := 8; i < 4096; i++ {
			b[off+i] = byte(i * 7)
		}
	}
	_ = os.Remove(db + "-wal")
	_ = os.Remove(db + "-shm")
	if err := os.WriteFile(db, b, 0o640); err != nil {
		t.Fatal(err)
	}
	env["NATREPORT_ADDR"] = "127.0.0.1:0"
	_, _, err = cli(t, env, "", "serve")
	if err == nil || !strings.Contains(err.Error(), "integrity check") {
		t.Errorf("serve on a damaged database: %v", err)
	}
}

// TestPostgresDumpRestore runs the README's pg_dump and pg_restore
// commands on a schema natreport migrated, and checks the data came back.
func TestPostgresDumpRestore(t *testing.T) {
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("DATABASE_URL must be set on CI")
		}
		t.Skip("DATABASE_URL not set")
	}
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump")
	pgDump, pgRestore := "pg_dump", "pg_restore"
	if len(bins) > 0 {
		pgDump = bins[len(bins)-1]
		pgRestore = filepath.Join(filepath.Dir(pgDump), "pg_restore")
	}
	if _, err := exec.LookPath(pgDump); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pg_dump must be installed on CI")
		}
		t.Skip("pg_dump not installed")
	}
	schema := "dump_" + strings.ReplaceAll(time.Now().Format("150405.000000"), ".", "")
	url := base + "&search_path=" + schema
	if !strings.Contains(base, "?") {
		url = base + "?search_path=" + schema
	}
	psql := func(sql string) string {
		t.Helper()
		out, err := exec.Command(filepath.Join(filepath.Dir(pgDump), "psql"), base, "-tAc", sql).CombinedOutput()
		if err != nil {
			t.Fatalf("psql %s: %v %s", sql, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	psql("CREATE SCHEMA " + schema)
	t.Cleanup(func() { psql("DROP SCHEMA IF EXISTS " + schema + " CASCADE") })
	env := map[string]string{"DATABASE_URL": url}
	if _, _, err := cli(t, env, "", "user", "add", "-email", "kept@x.org", "-name", "Kept", "-role", "admin"); err != nil {
		t.Fatal(err)
	}
	dump := filepath.Join(t.TempDir(), "natreport.dump")
	// The README's commands, with the schema named.
	if out, err := exec.Command(pgDump, "--format=custom", "--no-owner", "--schema="+schema, "--file="+dump, base).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v %s", err, out)
	}
	psql("DROP SCHEMA " + schema + " CASCADE")
	if out, err := exec.Command(pgRestore, "--no-owner", "--exit-on-error", "--dbname="+base, dump).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v %s", err, out)
	}
	if got := psql("SELECT email FROM " + schema + ".users"); got != "kept@x.org" {
		t.Errorf("after restore: users %q", got)
	}
	// natreport starts on the restored database: the check and migrations pass.
	if out, _, err := cli(t, env, "", "migrate"); err != nil || !strings.Contains(out, "schema version") {
		t.Errorf("migrate on the restored database: %q %v", out, err)
	}
}
