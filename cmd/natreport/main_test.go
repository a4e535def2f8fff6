package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// cli runs natreport with args against env and returns its output.
func cli(t *testing.T, env map[string]string, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string { return env[k] }
	err := run(context.Background(), args, getenv, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

func isUsage(err error) bool {
	var ue usageError
	return errors.As(err, &ue)
}

func TestUserCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "nr.db")
	env := map[string]string{"NATREPORT_DB": db}
	out, _, err := cli(t, env, "", "user", "add", "-email", "FP@Example.org", "-name", "Focal Point", "-role", "focal-point", "-state", "jpn")
	if err != nil || !strings.Contains(out, "added fp@example.org (focal-point)") || !strings.Contains(out, "one-time password: ") {
		t.Fatalf("user add: %q %v", out, err)
	}
	out, _, err = cli(t, nil, "a long enough password\n", "user", "add", "-db", db, "-email", "a@x.org", "-name", "A", "-role", "admin", "-password-stdin")
	if err != nil || strings.Contains(out, "one-time password") {
		t.Fatalf("user add -password-stdin: %q %v", out, err)
	}
	for _, c := range []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"duplicate", "", []string{"-email", "a@x.org", "-name", "A", "-role", "admin"}, "exists"},
		{"bad role", "", []string{"-email", "b@x.org", "-name", "B", "-role", "king"}, "-role must be one of"},
		{"state needed", "", []string{"-email", "b@x.org", "-name", "B", "-role", "contributor"}, "-state is required"},
		{"unknown state", "", []string{"-email", "b@x.org", "-name", "B", "-role", "contributor", "-state", "XXX"}, "unknown State"},
		{"short password", "short\n", []string{"-email", "b@x.org", "-name", "B", "-role", "donor", "-password-stdin"}, "at least 12"},
		{"unknown flag", "", []string{"-colour", "red"}, "flag provided but not defined"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := cli(t, env, c.stdin, append([]string{"user", "add"}, c.args...)...)
			if !isUsage(err) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err %v, want usage error with %q", err, c.want)
			}
		})
	}
	out, _, err = cli(t, env, "", "user", "disable", "-email", "fp@example.org")
	if err != nil || !strings.Contains(out, "disabled fp@example.org") {
		t.Fatalf("user disable: %q %v", out, err)
	}
	if _, _, err := cli(t, env, "", "user", "disable", "-email", "ghost@x.org"); !isUsage(err) {
		t.Errorf("disable unknown user: %v", err)
	}
	out, _, err = cli(t, env, "", "migrate")
	if err != nil || !strings.HasPrefix(out, "schema version ") {
		t.Errorf("migrate: %q %v", out, err)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"frobnicate"}, {"user"}, {"user", "rename"}, {"template"}, {"serve", "-log-format", "xml", "-db", filepath.Join(t.TempDir(), "x.db")}} {
		if _, _, err := cli(t, nil, "", args...); !isUsage(err) {
			t.Errorf("%v: err %v, want a usage error", args, err)
		}
	}
}

func TestTemplateCheck(t *testing.T) {
	dir := t.TempDir()
	good, _ := filepath.Abs("../../surveys/templates/v1.yaml")
	out, _, err := cli(t, nil, "", "template", "check", good)
	if err != nil || !strings.HasSuffix(strings.TrimSpace(out), ": ok") {
		t.Fatalf("check v1: %q %v", out, err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("version: v9\ntitle: {en: Bad}\nparts:\n  - code: \"I\"\n    title: {en: P}\n    sections:\n      - code: \"I.a\"\n        title: {en: S}\n        questions:\n          - code: \"I.a.1\"\n            kind: riddle\n            text: {en: Q}\n"), 0o644)
	out, _, err = cli(t, nil, "", "template", "check", bad)
	if !isUsage(err) || !strings.Contains(out, "bad.yaml:10: I.a.1:") {
		t.Errorf("bad template: %q %v", out, err)
	}
	if _, _, err := cli(t, nil, "", "template", "check", filepath.Join(dir, "missing.yaml")); !isUsage(err) {
		t.Errorf("missing file: %v", err)
	}
}

// TestTemplateCheckLanguages: v2 declares the six languages and passes;
// the same file with one Russian text removed fails and names it.
func TestTemplateCheckLanguages(t *testing.T) {
	v2, _ := filepath.Abs("../../surveys/templates/v2.yaml")
	out, _, err := cli(t, nil, "", "template", "check", v2)
	if err != nil || !strings.HasSuffix(strings.TrimSpace(out), ": ok") {
		t.Fatalf("check v2: %q %v", out, err)
	}
	data, err := os.ReadFile(v2)
	if err != nil {
		t.Fatal(err)
	}
	const ru = "        ru: Есть ли у вашего государства транспарентная, объективная и беспристрастная система управления рисками в цепочке поставок ИКТ?\n"
	if !strings.Contains(string(data), ru) {
		t.Fatal("II.i.1's Russian text not found in v2.yaml")
	}
	bad := filepath.Join(t.TempDir(), "v2.yaml")
	os.WriteFile(bad, []byte(strings.Replace(string(data), ru, "", 1)), 0o644)
	out, _, err = cli(t, nil, "", "template", "check", bad)
	if !isUsage(err) || !strings.Contains(out, "II.i.1: text has no ru text") {
		t.Errorf("missing language: %q %v", out, err)
	}
	// A replaces code that v1 does not have fails too.
	os.WriteFile(bad, []byte(strings.Replace(string(data), "- II.i.1\n", "- II.i.99\n", 1)), 0o644)
	out, _, err = cli(t, nil, "", "template", "check", bad)
	if !isUsage(err) || !strings.Contains(out, "II.i.1: replaces II.i.99, which is not a question of v1") {
		t.Errorf("bad replaces: %q %v", out, err)
	}
}

// TestServeAndShutdown starts the server on a free port, checks /healthz,
// and stops it as SIGTERM would.
func TestServeAndShutdown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out, errb bytes.Buffer
	env := map[string]string{"NATREPORT_DB": filepath.Join(t.TempDir(), "nr.db"), "NATREPORT_ADDR": addr, "NATREPORT_LOG_FORMAT": "json"}
	go func() {
		done <- run(ctx, []string{"serve", "-demo"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errb)
	}()
	var resp *http.Response
	for i := 0; i < 600; i++ { // 60 s: -demo hashes the demo passwords first
		resp, err = http.Get("http://" + addr + "/healthz")
		if err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		cancel()
		t.Fatalf("server did not answer: %v; log: %s", err, errb.String())
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("healthz %d", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve returned %v", err)
	}
	if !strings.Contains(out.String(), "Demo sign-ins") || !strings.Contains(errb.String(), `"msg":"natreport listening"`) {
		t.Errorf("stdout %q; log %q", out.String(), errb.String())
	}
}

func TestParseProxies(t *testing.T) {
	got, err := parseProxies(" 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32,")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32"}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("%d: %s, want %s", i, got[i], want[i])
		}
	}
	if got, err := parseProxies(""); err != nil || len(got) != 0 {
		t.Errorf("empty: %v %v", got, err)
	}
	if _, err := parseProxies("10.0.0.0/33"); !isUsage(err) {
		t.Errorf("bad CIDR: %v, want a usage error", err)
	}
	_, _, err = cli(t, map[string]string{"NATREPORT_TRUSTED_PROXIES": "not-an-address"}, "", "serve", "-db", filepath.Join(t.TempDir(), "x.db"))
	if !isUsage(err) || !strings.Contains(err.Error(), "trusted-proxies") {
		t.Errorf("serve with a bad list: %v", err)
	}
}

func TestUserAddRefusesWeakPassword(t *testing.T) {
	env := map[string]string{"NATREPORT_DB": filepath.Join(t.TempDir(), "nr.db")}
	for _, pw := range []string{"aaaaaaaaaaaa", "password1234"} {
		_, _, err := cli(t, env, pw+"\n", "user", "add", "-email", "w@x.org", "-name", "W", "-role", "donor", "-password-stdin")
		if !isUsage(err) || !strings.Contains(err.Error(), "too easy to guess") {
			t.Errorf("%q: %v, want a usage error", pw, err)
		}
	}
}
