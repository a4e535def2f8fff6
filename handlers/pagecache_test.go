package handlers

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/natreport/natreport/internal/testdb"
	"github.com/natreport/natreport/models/modeltest"
)

// TestKeptPagesFollowChanges runs two instances on one database. Instance
// 1 keeps the pages it draws; every change is made through instance 2 or
// straight in the database, as another program would. After each change,
// every kind of viewer gets from instance 1 exactly the page a server that
// keeps nothing draws now: the status and the bytes.
func TestKeptPagesFollowChanges(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		db1, db2 := modeltest.Open(t, tg), modeltest.Open(t, tg)
		s1 := newServer(db1, builtinTemplates, Config{}, quietLogger())
		a1, a2 := &app{t: t, db: db1, h: s1.handler()}, newAppOn(t, db2)
		ra := newReportApp(t, a1)
		ra.start(t)
		raw := rawDB(t, tg)
		on := func(a *app, c *client) *client { return &client{a: a, cookies: c.cookies, accept: c.accept} }
		viewers := map[string]*client{"focal point": ra.fp, "contributor": ra.co, "other State": ra.other,
			"secretariat": ra.sec, "donor": ra.donor, "public": ra.anon}
		pages := []string{base, base + "/sections/II.a", base + "/sections/I.a"}
		check := func(after string, want ...string) {
			t.Helper()
			for who, c := range viewers {
				delete(c.cookies, flashCookie) // a page with a flash message is one of a kind
				for _, p := range pages {
					got := c.get(p)
					fresh := on(newAppOn(t, db2), c).get(p)
					if got.Code != fresh.Code || got.Body.String() != fresh.Body.String() {
						t.Fatalf("after %s, %s on %s: kept %d (%d bytes), drawn now %d (%d bytes)",
							after, who, p, got.Code, got.Body.Len(), fresh.Code, fresh.Body.Len())
					}
				}
			}
			if len(want) > 0 {
				wantBody(t, ra.fp.get(pages[1]), want...)
			}
		}
		check("the start")
		hits := s1.pages.hits.Load()
		check("nothing")
		if s1.pages.hits.Load() == hits {
			t.Fatal("no page was served from what was kept")
		}

		save := on(a2, ra.co)
		save.accept = "application/json"
		wantStatus(t, save.post(base+"/answers/II.a.1", url.Values{"v.II.a.1": {"0"}, "II.a.1.status": {"yes"},
			"II.a.1.challenges": {"Kept check one"}}), http.StatusOK)
		check("a save on the other instance", "Kept check one")

		exec := func(q string, args ...any) {
			t.Helper()
			if err := raw.Exec(q, args...).Error; err != nil {
				t.Fatal(err)
			}
		}
		exec("UPDATE answers SET value = REPLACE(value, 'Kept check one', 'Kept check two')")
		check("an answer changed in the database", "Kept check two")

		wantStatus(t, on(a2, ra.fp).post(base+"/sections/II.a/comments", url.Values{"body": {"A kept comment"}}), http.StatusSeeOther)
		check("a comment on the other instance", "A kept comment")

		exec("UPDATE users SET name = 'Renamed Colleague' WHERE email = 'co@jp.example'")
		check("a colleague renamed in the database")
		wantBody(t, ra.fp.get(base), "Renamed Colleague")

		exec("UPDATE cycles SET due_on = ?", time.Date(2031, 1, 15, 0, 0, 0, 0, time.UTC))
		check("the due date moved in the database", "2031")

		exec("UPDATE reports SET visibility = 'public', status = 'published'")
		check("the report published in the database")

		draws := s1.pages.draws.Load()
		s1.now = func() time.Time { return time.Now().Add(24 * time.Hour) }
		ra.fp.get(pages[1])
		if s1.pages.draws.Load() == draws {
			t.Error("the next day's page was not drawn again (days to the due date)")
		}
	})
}

// TestKeptPagesOneOfAKind: a page with a query or a flash message is
// drawn, never kept or served from what is kept; a kept page goes out
// compressed when asked, and says it varies with Accept-Encoding.
func TestKeptPagesOneOfAKind(t *testing.T) {
	db := modeltest.OpenTest(t)
	s := newServer(db, builtinTemplates, Config{}, quietLogger())
	a := &app{t: t, db: db, h: s.handler()}
	ra := newReportApp(t, a)
	ra.start(t)
	page := base + "/sections/II.a"
	wantStatus(t, ra.fp.get(page), http.StatusOK)
	for _, p := range []string{page + "?lang=fr", page + "?v=1"} {
		hits := s.pages.hits.Load()
		wantStatus(t, ra.fp.get(p), http.StatusOK)
		wantStatus(t, ra.fp.get(p), http.StatusOK)
		if s.pages.hits.Load() != hits {
			t.Errorf("%s was served from what was kept", p)
		}
	}
	ra.fp.cookies[flashCookie] = &http.Cookie{Name: flashCookie, Value: "saved"}
	hits := s.pages.hits.Load()
	w := ra.fp.get(page)
	if s.pages.hits.Load() != hits {
		t.Error("a page with a flash message was served from what was kept")
	}
	delete(ra.fp.cookies, flashCookie)
	if !strings.Contains(w.Header().Get("Set-Cookie"), flashCookie+"=;") {
		t.Errorf("the flash message was not taken: Set-Cookie %q", w.Header().Get("Set-Cookie"))
	}

	plain := ra.fp.get(page)
	req := httptest.NewRequest(http.MethodGet, page, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	for _, ck := range ra.fp.cookies {
		req.AddCookie(ck)
	}
	hits = s.pages.hits.Load()
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	if s.pages.hits.Load() == hits {
		t.Fatal("the page was not served from what was kept")
	}
	if rec.Header().Get("Content-Encoding") != "gzip" || !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
		t.Fatalf("headers %v", rec.Header())
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(body, plain.Body.Bytes()) {
		t.Fatalf("gzip body differs from the plain one (%v)", err)
	}
}

// TestPageKeeperBounded: the kept pages stay within their limit.
func TestPageKeeperBounded(t *testing.T) {
	k := newPageKeeper(1 << 20)
	body := bytes.Repeat([]byte("x"), 32<<10)
	for i := 0; i < 1000; i++ {
		k.put(strings.Repeat("k", i%7)+itoa(int64(i)), &keptPage{body: body})
	}
	if k.bytes > k.limit || len(k.pages) == 0 {
		t.Fatalf("%d bytes in %d pages, limit %d", k.bytes, len(k.pages), k.limit)
	}
	n := 0
	for _, p := range k.pages {
		n += p.size()
	}
	if n != k.bytes {
		t.Fatalf("counted %d bytes, kept %d", k.bytes, n)
	}
}
