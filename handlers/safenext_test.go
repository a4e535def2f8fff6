package handlers

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestSafeNext(t *testing.T) {
	for _, tc := range []struct {
		next, want string
	}{
		{"", ""},
		{"/", "/"},
		{"/reports/JPN/2025?lang=fr#s", "/reports/JPN/2025?lang=fr#s"},
		{"/cycles/2025-2026/edit", "/cycles/2025-2026/edit"},
		{"//evil.example/", ""},
		{"/\t/evil.example/", ""},
		{"/\n/evil.example/", ""},
		{"/\r/evil.example/", ""},
		{"/\r\n/evil.example/", ""},
		{"\t//evil.example/", ""},
		{" /evil", ""},
		{"/\\evil.example/", ""},
		{"\\\\evil.example/", ""},
		{"/\\/evil.example/", ""},
		{"/%2F/evil.example/", ""},
		{"/%5c/evil.example/", ""},
		{"/\x00/evil.example/", ""},
		{"/\x7f/evil.example/", ""},
		{"https://evil.example/", ""},
		{"javascript:alert(1)", ""},
		{"evil.example", ""},
		{"/ /evil.example", ""},
		{"/a/\t/b", ""},
		{"/%zz", ""},
	} {
		if got := safeNext(tc.next); got != tc.want {
			t.Errorf("safeNext(%q) = %q, want %q", tc.next, got, tc.want)
		}
	}
}

// TestLoginNextStaysOnSite signs in with hostile next values and checks
// the redirect target is always a local path.
func TestLoginNextStaysOnSite(t *testing.T) {
	a := newApp(t)
	a.user("fp@example.org", "secretariat", "")
	for _, next := range []string{"/\t/evil.example/", "/\n/evil.example/", "/\\evil.example", "//evil.example", "/states"} {
		c := a.anon()
		w := c.post("/login", url.Values{"email": {"fp@example.org"}, "password": {testPassword}, "next": {next}})
		wantStatus(t, w, http.StatusSeeOther)
		loc := w.Header().Get("Location")
		want := "/"
		if next == "/states" {
			want = "/states"
		}
		if loc != want {
			t.Errorf("next %q: Location %q, want %q", next, loc, want)
		}
	}
}

func TestLangPath(t *testing.T) {
	for in, want := range map[string]string{
		"/reports/JPN/2026":  "/reports/JPN/2026",
		"//evil.example/x":   "/evil.example/x",
		"///evil.example":    "/evil.example",
		"/\\evil.example/x":  "/",
		"/a/../../b":         "/b",
		"":                   "/",
		"/%2F%2Fevil":        "/",
		"/x?lang=ar":         "/",
		"/reports/JPN/./../": "/reports",
	} {
		if got := langPath(in); got != want {
			t.Errorf("langPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestNotFoundLanguageLinks: the 404 page of //evil.example/x links to
// this site's languages, never to another host.
func TestNotFoundLanguageLinks(t *testing.T) {
	a := newApp(t)
	for _, p := range []string{"//evil.example/x", "/\\evil.example/x", "/%5Cevil.example/x"} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL.Path = p
		req.URL.RawPath = ""
		w := httptest.NewRecorder()
		a.h.ServeHTTP(w, req)
		if w.Code != http.StatusNotFound && w.Code != http.StatusMovedPermanently && w.Code != http.StatusBadRequest {
			t.Errorf("%s: status %d", p, w.Code)
		}
		body := w.Body.String()
		for _, bad := range []string{`href="//`, `href="/\`, `href="/%5C`, `href="/%5c`} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: the page links with %s", p, bad)
			}
		}
		if loc := w.Header().Get("Location"); strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") {
			t.Errorf("%s: redirect to %s", p, loc)
		}
	}
}
