package handlers

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/natreport/natreport/models"
)

// fuzzPosts are the POST routes whose forms FuzzForms binds.
var fuzzPosts = []string{
	"/login",
	base + "/start",
	base + "/sections/II.g",
	base + "/sections/II.g/confirm",
	base + "/sections/II.g/assign",
	base + "/sections/II.g/comments",
	base + "/answers/II.a.1",
	base + "/answers/IV.a.2",
	base + "/status",
	base + "/submit",
	base + "/visibility",
	"/account/password",
	"/cycles-new",
	"/cycles/2026-2027/edit",
	"/admin/users",
	"/admin/users/1/role",
}

// FuzzForms posts arbitrary bodies to every form of natreport as the
// focal point, the secretariat and the admin: the binder never panics and
// never answers 5xx.
func FuzzForms(f *testing.F) {
	a := newApp(f)
	a.cycle("2026-2027", time.Now().AddDate(0, -1, 0))
	a.user("fp@jp.example", models.RoleFocalPoint, "JPN")
	a.user("sec@un.example", models.RoleSecretariat, "")
	a.user("admin@x.org", models.RoleAdmin, "")
	fp := a.login("fp@jp.example")
	wantStatus(f, fp.post(base+"/start", nil), http.StatusSeeOther)
	callers := []*client{fp, a.login("sec@un.example"), a.login("admin@x.org")}
	emails := []string{"fp@jp.example", "sec@un.example", "admin@x.org"}
	for i := range fuzzPosts {
		f.Add(uint8(i), uint8(0), "v.II.g.1=0&II.g.1.status=yes&II.g.1.challenges=%00")
		f.Add(uint8(i), uint8(1), "label=2041-2040&process_name=x&opens_on=2026-01-01&due_on=2026-02-01&closes_on=2026-03-01&template_version=v1")
		f.Add(uint8(i), uint8(2), "email=a%40b.example&name=%E2%80%AE&role=donor&state=jpn")
	}
	f.Add(uint8(7), uint8(0), "v.IV.a.2=0&IV.a.2.rows.999999999999999999999.area=ci&IV.a.2.rows.0.budget=1e400")
	f.Add(uint8(0), uint8(0), "email=%ff&password=x&next=%2F%09%2Fevil.example")
	f.Fuzz(func(t *testing.T, route, who uint8, body string) {
		path := fuzzPosts[int(route)%len(fuzzPosts)]
		i := int(who) % len(callers)
		c := callers[i]
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = "198.51.100.200:1234" // the fuzzer's guesses do not throttle the callers
		if who&0x80 != 0 {
			req.Header.Set("Accept", "application/json")
		}
		w := c.do(req)
		if w.Code >= 500 {
			t.Fatalf("POST %s %q as %s: status %d", path, body, emails[i], w.Code)
		}
		// A caller whose session ended (sign-out, password change) signs in again.
		if _, ok := c.cookies[sessionCookie]; !ok {
			callers[i] = a.login(emails[i])
		}
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
