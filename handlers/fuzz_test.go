package handlers

import (
	"fmt"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzForms posts arbitrary bodies to every POST route of the real router
// (hostileSpecs: a route without a spec fails), as a caller allowed to use
// it and to an existing record in a state where the handler binds the
// form: the binder never panics, never answers 5xx, a refused request
// changes nothing, and script never comes back unescaped. route names the
// route ("POST /matches"; any other string picks one by its hash, so the
// committed corpus keeps its meaning when routes are added); bit 0x80 of
// flags asks for JSON.
func FuzzForms(f *testing.F) {
	a := newApp(f)
	hx := newHostileFixture(f, a)
	patterns := postPatterns(f, a)
	for _, pattern := range patterns {
		spec := hostileSpecs[pattern]
		_, _, form := spec.prep(hx)
		f.Add(pattern, uint8(0), form.Encode())
		f.Add(pattern, uint8(0x80), hostileForm(form, spec.keep, "\x00<script>alert('xss')</script>").Encode())
	}
	f.Fuzz(func(t *testing.T, route string, flags uint8, body string) {
		hx.t, a.t = t, t
		pattern := route
		if _, ok := hostileSpecs[pattern]; !ok {
			h := fnv.New32a()
			h.Write([]byte(route))
			pattern = patterns[int(h.Sum32()%uint32(len(patterns)))]
		}
		c, path, _ := hostileSpecs[pattern].prep(hx)
		before := hostileSnapshot(t, hx)
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = hostileRemote // the fuzzer's guesses do not throttle the callers
		if flags&0x80 != 0 {
			req.Header.Set("Accept", "application/json")
		}
		w := c.do(req)
		checkHostileReply(t, fmt.Sprintf("%s %s %q", pattern, path, body), w,
			func() string { return before }, func() string { return hostileSnapshot(t, hx) })
	})
}

// FuzzSafeNext: whatever safeNext keeps, a browser resolving it against
// this site stays on this site.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/", "/reports/JPN", "//evil", "/\t/evil", "/\\evil", "/%2f/evil", "https://e/", "/a?b=//c#//d"} {
		f.Add(s)
	}
	site, _ := url.Parse("https://natreport.example/start")
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if got == "" {
			return
		}
		// Browsers drop tab and newline, read backslashes as slashes.
		browser := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(strings.TrimLeft(got, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "))
		u, err := url.Parse(browser)
		if err != nil {
			t.Fatalf("kept %q that does not parse: %v", got, err)
		}
		if r := site.ResolveReference(u); r.Host != site.Host || r.Scheme != site.Scheme {
			t.Fatalf("kept %q, which goes to %s", got, r)
		}
	})
}
