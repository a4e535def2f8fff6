package handlers

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/natreport/natreport/models"
)

// signInFrom posts the sign-in form from the address ip.
func signInFrom(a *app, ip, email, password string) *httptest.ResponseRecorder {
	form := url.Values{"email": {email}, "password": {password}}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = net.JoinHostPort(ip, "40000")
	w := httptest.NewRecorder()
	a.h.ServeHTTP(w, req)
	return w
}

// auditCount counts the audit entries with the action.
func auditCount(t testing.TB, db *models.DB, action string) int {
	t.Helper()
	all, err := db.ListAuditAll(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range all {
		if e.Action == action {
			n++
		}
	}
	return n
}

// TestThrottleParallelGuesses sends 40 wrong passwords at once: the
// attempts are counted before the check, so at most five reach it.
func TestThrottleParallelGuesses(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		a.user("fp@x.org", models.RoleFocalPoint, "JPN")
		var wg sync.WaitGroup
		codes := make(chan int, 40)
		for i := 0; i < 40; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes <- signInFrom(a, "198.51.100.7", "fp@x.org", "wrong wrong wrong").Code
			}()
		}
		wg.Wait()
		close(codes)
		checked := 0
		for code := range codes {
			switch code {
			case http.StatusUnauthorized:
				checked++
			case http.StatusTooManyRequests:
			default:
				t.Errorf("status %d", code)
			}
		}
		if checked > 5 {
			t.Errorf("%d guesses reached the password check, want at most 5", checked)
		}
		if n := auditCount(t, a.db, "login.fail"); n != checked {
			t.Errorf("%d login.fail entries, want %d", n, checked)
		}
		if n := auditCount(t, a.db, models.ActionLoginThrottled); n != 40-checked {
			t.Errorf("%d login.throttled entries, want %d", n, 40-checked)
		}
	})
}

// TestThrottleAttackerElsewhere: guesses from one address do not keep the
// real user, at another address, out; the guesser backs off doubling.
func TestThrottleAttackerElsewhere(t *testing.T) {
	a := newApp(t)
	now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	a.db.SetNow(func() time.Time { return now })
	a.user("fp@x.org", models.RoleFocalPoint, "JPN")
	const attacker, office = "203.0.113.9", "192.0.2.50"
	for i := 0; i < 5; i++ {
		wantStatus(t, signInFrom(a, attacker, "fp@x.org", "wrong wrong wrong"), http.StatusUnauthorized)
	}
	w := signInFrom(a, attacker, "fp@x.org", testPassword)
	wantStatus(t, w, http.StatusTooManyRequests)
	if ra := w.Header().Get("Retry-After"); ra != "30" {
		t.Errorf("Retry-After %q, want 30", ra)
	}
	// The real user at the office signs in.
	wantStatus(t, signInFrom(a, office, "fp@x.org", testPassword), http.StatusSeeOther)
	// The attacker waits: after the backoff one more try, then twice as long.
	now = now.Add(29 * time.Second)
	wantStatus(t, signInFrom(a, attacker, "fp@x.org", "wrong wrong wrong"), http.StatusTooManyRequests)
	now = now.Add(time.Second)
	wantStatus(t, signInFrom(a, attacker, "fp@x.org", "wrong wrong wrong"), http.StatusUnauthorized)
	w = signInFrom(a, attacker, "fp@x.org", testPassword)
	wantStatus(t, w, http.StatusTooManyRequests)
	if ra := w.Header().Get("Retry-After"); ra != "60" {
		t.Errorf("Retry-After %q, want 60", ra)
	}
	now = now.Add(60 * time.Second)
	wantStatus(t, signInFrom(a, attacker, "fp@x.org", "wrong wrong wrong"), http.StatusUnauthorized)
	// After a day the account and address start afresh.
	now = now.Add(25 * time.Hour)
	wantStatus(t, signInFrom(a, attacker, "fp@x.org", testPassword), http.StatusSeeOther)
}

// TestThrottlePerAddress: one address cannot try many accounts.
func TestThrottlePerAddress(t *testing.T) {
	a := newApp(t)
	a.user("real@x.org", models.RoleDonor, "")
	for i := 0; i < 20; i++ {
		wantStatus(t, signInFrom(a, "198.51.100.1", "nobody"+string(rune('a'+i))+"@x.org", "wrong wrong wrong"), http.StatusUnauthorized)
	}
	wantStatus(t, signInFrom(a, "198.51.100.1", "real@x.org", testPassword), http.StatusTooManyRequests)
	// Another address is not affected, and successes do not count.
	for i := 0; i < 25; i++ {
		wantStatus(t, signInFrom(a, "198.51.100.2", "real@x.org", testPassword), http.StatusSeeOther)
	}
}

// TestThrottleIPv6Network: the per-address limit counts an IPv6 /64 as
// one address (one subscriber holds the whole block), not each of its
// addresses; the next /64 is another address.
func TestThrottleIPv6Network(t *testing.T) {
	a := newApp(t)
	a.user("real@x.org", models.RoleDonor, "")
	for i := range 20 {
		ip := fmt.Sprintf("2001:db8:0:7::%x", i+1)
		wantStatus(t, signInFrom(a, ip, fmt.Sprintf("nobody%d@x.org", i), "wrong wrong wrong"), http.StatusUnauthorized)
	}
	wantStatus(t, signInFrom(a, "2001:db8:0:7:ffff::1", "real@x.org", testPassword), http.StatusTooManyRequests)
	wantStatus(t, signInFrom(a, "2001:db8:0:8::1", "real@x.org", testPassword), http.StatusSeeOther)
	// IPv4, also written as IPv4-mapped IPv6, is one address each.
	if addressGroup("::ffff:192.0.2.7") != "192.0.2.7" || addressGroup("192.0.2.7") != "192.0.2.7" {
		t.Errorf("IPv4 groups: %q", addressGroup("::ffff:192.0.2.7"))
	}
	if addressGroup("2001:db8::1%eth0") != "2001:db8::/64" || addressGroup("not an address") != "not an address" {
		t.Errorf("IPv6 group %q", addressGroup("2001:db8::1%eth0"))
	}
}

// TestThrottleAddressRefusalsDoNotLengthenBackoff: tries refused by the
// per-address limit count against the address only, never towards the
// account-and-address backoff.
func TestThrottleAddressRefusalsDoNotLengthenBackoff(t *testing.T) {
	a := newApp(t)
	now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	a.db.SetNow(func() time.Time { return now })
	a.user("fp@x.org", models.RoleFocalPoint, "JPN")
	const ip = "203.0.113.77"
	for i := range 16 {
		wantStatus(t, signInFrom(a, ip, fmt.Sprintf("nobody%d@x.org", i), "wrong wrong wrong"), http.StatusUnauthorized)
	}
	now = now.Add(14 * time.Minute)
	for range 4 { // four of the account's five free tries
		wantStatus(t, signInFrom(a, ip, "fp@x.org", "wrong wrong wrong"), http.StatusUnauthorized)
	}
	now = now.Add(30 * time.Second)
	for range 3 { // the address is at its limit
		wantStatus(t, signInFrom(a, ip, "fp@x.org", testPassword), http.StatusTooManyRequests)
	}
	// The first sixteen leave the window: the fifth free try is still free.
	now = now.Add(31 * time.Second)
	wantStatus(t, signInFrom(a, ip, "fp@x.org", testPassword), http.StatusSeeOther)
}

// TestSubmitPasswordAudited: wrong and throttled passwords at the submit
// step are recorded against the report.
func TestSubmitPasswordAudited(t *testing.T) {
	a := newApp(t)
	ra := newReportApp(t, a)
	ra.start(t)
	for i := 0; i < 5; i++ {
		wantStatus(t, ra.fp.post(base+"/submit", url.Values{"password": {"not my password"}}), http.StatusUnprocessableEntity)
	}
	wantStatus(t, ra.fp.post(base+"/submit", url.Values{"password": {testPassword}}), http.StatusTooManyRequests)
	if s := ra.status(t); s != models.StatusDraft {
		t.Errorf("status %s after a throttled submission", s)
	}
	r, err := a.db.GetReport(context.Background(), "JPN", "2026-2027", 0)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := a.db.ListAudit(context.Background(), []int64{r.ID}, 0)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, e := range entries {
		count[e.Action]++
		if e.Action == models.ActionSubmitWrongPassword && (e.Email != "fp@jp.example" || e.IP == "") {
			t.Errorf("entry without who or where: %+v", e)
		}
	}
	if count[models.ActionSubmitWrongPassword] != 5 || count[models.ActionSubmitThrottled] != 1 {
		t.Errorf("audit counts %v, want 5 wrong passwords and 1 throttled", count)
	}
}

// BenchmarkSignInKnownVsUnknown times a whole wrong sign-in through the
// router, at the production bcrypt cost, for a known account, an unknown
// address and a disabled account, side by side: the three should cost
// the same (one bcrypt comparison each), so the time of a reply does not
// tell whether an account exists. Each iteration signs in once of each
// kind, in turn, so that a load that comes and goes weighs on all three
// alike; it reports each kind's time and the ratios to the known account.
// Each attempt comes from its own address, so the throttle never answers
// early.
//
//	go test ./handlers -run '^$' -bench SignInKnownVsUnknown -benchtime 20x
func BenchmarkSignInKnownVsUnknown(b *testing.B) {
	db, err := models.Open(context.Background(), models.Config{SQLitePath: b.TempDir() + "/nr.db", Logger: quietLogger()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	a := newAppOn(b, db)
	a.user("known@x.org", models.RoleSecretariat, "")
	off := a.user("off@x.org", models.RoleSecretariat, "")
	if err := db.SetUserDisabled(context.Background(), off.ID, true); err != nil {
		b.Fatal(err)
	}
	kinds := []struct{ name, email string }{{"known", "known@x.org"}, {"unknown", "nobody@x.org"}, {"disabled", "off@x.org"}}
	spent := make([]time.Duration, len(kinds))
	n := 0
	for b.Loop() {
		for j := range kinds {
			k := (j + n) % len(kinds) // a different kind first each time
			n++
			ip := "10." + itoa(int64(n>>16&255)) + "." + itoa(int64(n>>8&255)) + "." + itoa(int64(n&255))
			start := time.Now()
			w := signInFrom(a, ip, kinds[k].email, "wrong wrong wrong")
			spent[k] += time.Since(start)
			if w.Code != http.StatusUnauthorized {
				b.Fatalf("%s: status %d", kinds[k].name, w.Code)
			}
		}
	}
	per := func(k int) float64 { return float64(spent[k].Nanoseconds()) / float64(b.N) }
	for k, kind := range kinds {
		b.ReportMetric(per(k), "ns/"+kind.name)
	}
	b.ReportMetric(per(1)/per(0), "unknown/known")
	b.ReportMetric(per(2)/per(0), "disabled/known")
}
