package main

import (
	"bytes"
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/natreport/natreport/mailer/mailtest"
)

func TestMailFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"NATREPORT_SMTP_URL": "smtp://localhost:25"}, "-mail-from is required"},
		{map[string]string{"NATREPORT_SMTP_URL": "http://u:secret@localhost", "NATREPORT_MAIL_FROM": "a@b.example"}, "scheme"},
		{map[string]string{"NATREPORT_SMTP_URL": "smtp://localhost", "NATREPORT_MAIL_FROM": "not an address"}, "mail from"},
	} {
		c.env["NATREPORT_DB"] = db
		_, _, err := cli(t, c.env, "", "serve", "-addr", "127.0.0.1:0")
		if !isUsage(err) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "secret") {
			t.Errorf("%v: err %v, want a usage error with %q", c.env, err, c.want)
		}
	}
}

// TestServeSendsMail starts serve with -demo against a loopback SMTP
// server: the scheduler queues the secretariat's digest and the worker
// sends it, without any request.
func TestServeSendsMail(t *testing.T) {
	srv := mailtest.Start(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out, errb bytes.Buffer
	env := map[string]string{"NATREPORT_DB": filepath.Join(t.TempDir(), "nr.db"), "NATREPORT_ADDR": addr,
		"NATREPORT_SMTP_URL": srv.URL(), "NATREPORT_MAIL_FROM": "natreport <noreply@natreport.example>"}
	go func() {
		done <- run(ctx, []string{"serve", "-demo"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errb)
	}()
	var digest bool
	for i := 0; i < 600 && !digest; i++ {
		for _, m := range srv.Received() {
			if m.To[0] == "secretariat@demo.natreport.example" && strings.Contains(m.Subject(), "weekly digest") {
				digest = true
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve returned %v", err)
	}
	if !digest {
		t.Fatalf("no digest reached the SMTP server; received %d; log %s", len(srv.Received()), errb.String())
	}
}
