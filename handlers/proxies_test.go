package handlers

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/natreport/natreport/models"
)

// loginAudit signs in through h from remote with X-Forwarded-For xff and
// returns the address the audit log recorded.
func loginAudit(t *testing.T, db *models.DB, h http.Handler, remote, xff string) string {
	t.Helper()
	form := url.Values{"email": {"s@x.org"}, "password": {testPassword}}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", xff)
	req.RemoteAddr = remote + ":5555"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	wantStatus(t, w, http.StatusSeeOther)
	all, err := db.ListAuditAll(context.Background(), 1)
	if err != nil || len(all) != 1 || all[0].Action != "login.ok" {
		t.Fatalf("audit: %v %v", all, err)
	}
	return all[0].IP
}

// TestTrustedProxies: X-Forwarded-For is ignored unless the connection
// comes from a proxy named in the configuration.
func TestTrustedProxies(t *testing.T) {
	a := newApp(t)
	a.user("s@x.org", models.RoleSecretariat, "")
	if ip := loginAudit(t, a.db, a.h, "198.51.100.4", "203.0.113.66"); ip != "198.51.100.4" {
		t.Errorf("no trusted proxy: audit address %q, want the connection's", ip)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	behind := New(a.db, builtinTemplates, Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}, log)
	if ip := loginAudit(t, a.db, behind, "10.1.2.3", "203.0.113.66"); ip != "203.0.113.66" {
		t.Errorf("trusted proxy: audit address %q, want the forwarded one", ip)
	}
	if ip := loginAudit(t, a.db, behind, "198.51.100.4", "203.0.113.66"); ip != "198.51.100.4" {
		t.Errorf("untrusted peer: audit address %q, want the connection's", ip)
	}
}

// TestHSTS: sent with secure cookies only.
func TestHSTS(t *testing.T) {
	a := newApp(t)
	if v := a.anon().get("/login").Header().Get("Strict-Transport-Security"); v != "" {
		t.Errorf("HSTS without secure cookies: %q", v)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h := New(a.db, builtinTemplates, Config{SecureCookies: true}, log)
	for _, path := range []string{"/login", "/no-such-page", "/static/app.css"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if v := w.Header().Get("Strict-Transport-Security"); !strings.HasPrefix(v, "max-age=31536000") {
			t.Errorf("%s: HSTS %q", path, v)
		}
	}
}
