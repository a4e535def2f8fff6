package handlers

import (
	"context"
	"net/http"
	"regexp"
	"testing"

	"github.com/natreport/natreport/models"
)

// TestDirectoryPagesIsolateText: on the Arabic directory, round and
// outbox pages, names, mailboxes, subjects and dates are isolated in
// <bdi>, so that a Latin name keeps its punctuation on its own side.
func TestDirectoryPagesIsolateText(t *testing.T) {
	a := newApp(t)
	ra, admin, ct := newPocApp(t, a.db)
	ctx := context.Background()
	ct.PersonName = "Kenji Sato."
	if err := a.db.SaveContact(ctx, ct, models.Actor{Email: "test"}); err != nil {
		t.Fatal(err)
	}
	pocFixture(t, a.db)
	rounds, err := a.db.ListPingRounds(ctx)
	if err != nil || len(rounds) != 1 {
		t.Fatalf("rounds %v, %v", rounds, err)
	}
	msgs, err := a.db.ListMail(ctx, "", 10)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("outbox %v, %v", msgs, err)
	}
	date := `<bdi>[^<]*\d[^<]*</bdi>`
	for _, pg := range []struct {
		c    *client
		path string
		want []string // regular expressions
	}{
		{ra.sec, "/directory", []string{`<bdi>Kenji Sato\.</bdi>`, `<bdi dir="ltr">cyber-policy@mofa\.example</bdi>`, `<a href="/directory/JPN"><bdi>[^<]+</bdi></a>`}},
		{ra.fp, "/directory/JPN", []string{`<bdi>Kenji Sato\.</bdi>`, `<bdi dir="ltr">cyber-policy@mofa\.example</bdi>`, "<h1>[^<]*\u2068[^<\u2069]+\u2069"}},
		{ra.sec, "/directory/rounds", []string{`<td>` + date + `</td>`}},
		{ra.sec, "/directory/rounds/" + itoa(rounds[0].ID), []string{`<bdi dir="ltr">csirt@nisc\.example</bdi>`, `<a href="/directory/JPN"><bdi>[^<]+</bdi></a>`, `<dd>` + date + `</dd>`}},
		{admin, "/admin/outbox", []string{`<bdi dir="ltr">csirt@nisc\.example</bdi>`, `<bdi>Please confirm[^<]*</bdi>`, `<td>` + date + `</td>`}},
		{admin, "/admin/outbox/" + itoa(msgs[0].ID), []string{`<dd><bdi dir="ltr">csirt@nisc\.example</bdi></dd>`, `<dd>` + date + `</dd>`}},
	} {
		w := pg.c.get(pg.path + "?lang=ar")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, `dir="rtl"`)
		for _, re := range pg.want {
			if !regexp.MustCompile(re).MatchString(w.Body.String()) {
				t.Errorf("%s in Arabic lacks %s", pg.path, re)
			}
		}
	}
}
