package handlers

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/natreport/natreport/mailer"
	"github.com/natreport/natreport/mailer/mailtest"
	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/notify"
)

// newPocApp is a reportApp whose links in messages point at a public URL,
// with an admin and one directory entry for Japan.
func newPocApp(t *testing.T, db *models.DB) (*reportApp, *client, *models.Contact) {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := &app{t: t, db: db, h: New(db, builtinTemplates, Config{BaseURL: "https://natreport.example"}, log)}
	ra := newReportApp(t, a)
	a.user("admin@un.example", models.RoleAdmin, "")
	ct := &models.Contact{StateISO3: "JPN", Kind: models.ContactDiplomatic, Function: "Cyber Policy Division",
		Mailbox: "cyber-policy@mofa.example", Phone: "=HYPERLINK(\"x\")", Languages: "fr, en"}
	if err := db.SaveContact(context.Background(), ct, models.Actor{Email: "test"}); err != nil {
		t.Fatal(err)
	}
	return ra, a.login("admin@un.example"), ct
}

func TestDirectoryVisibility(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		ra, admin, _ := newPocApp(t, a.db)
		const mailbox = "cyber-policy@mofa.example"
		// Readers: people of member States and the secretariat.
		for name, c := range map[string]*client{"own focal point": ra.fp, "own contributor": ra.co, "other State": ra.other, "secretariat": ra.sec, "admin": admin} {
			w := c.get("/directory")
			wantStatus(t, w, http.StatusOK)
			wantBody(t, w, mailbox)
			w = c.get("/directory/JPN")
			wantStatus(t, w, http.StatusOK)
			wantBody(t, w, mailbox, "never") // never confirmed: stands out
			if name != "own focal point" {
				noBody(t, w, `action="/directory/JPN/contacts"`)
			}
		}
		wantBody(t, ra.fp.get("/directory/JPN"), `action="/directory/JPN/contacts"`, `action="/directory/JPN/contacts/`)
		// Never donors, never the public.
		for _, p := range []string{"/directory", "/directory/JPN", "/directory.csv", "/directory.xlsx", "/directory/rounds"} {
			wantStatus(t, ra.donor.get(p), http.StatusForbidden)
			w := ra.anon.get(p)
			wantStatus(t, w, http.StatusSeeOther)
			noBody(t, w, mailbox)
		}
		for _, p := range []string{"/", "/states", "/cycles/2026-2027", base} {
			noBody(t, ra.anon.get(p), mailbox)
			noBody(t, ra.donor.get(p), mailbox)
		}
		// The export is the secretariat's only.
		for _, c := range []*client{ra.fp, ra.co, ra.other} {
			wantStatus(t, c.get("/directory.csv"), http.StatusForbidden)
			wantStatus(t, c.get("/directory.xlsx"), http.StatusForbidden)
			wantStatus(t, c.get("/directory/rounds"), http.StatusForbidden)
		}
		w := ra.sec.get("/directory.csv")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "iso3,state,regional_group,kind", "JPN,Japan,", mailbox, `"'=HYPERLINK(""x"")"`)
		if !strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") || !strings.Contains(w.Header().Get("Content-Disposition"), "attachment") {
			t.Errorf("CSV headers %v", w.Header())
		}
		w = admin.get("/directory.xlsx")
		wantStatus(t, w, http.StatusOK)
		f, err := excelize.OpenReader(w.Body)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("points-of-contact")
		if len(rows) != 2 || rows[1][6] != mailbox || rows[1][8] != `'=HYPERLINK("x")` {
			t.Errorf("XLSX rows %v", rows)
		}
		f.Close()
		// Changes: the State's focal point only.
		form := url.Values{"kind": {"technical"}, "mailbox": {"csirt@nisc.example"}, "function": {"NISC"}}
		for _, c := range []*client{ra.co, ra.other, ra.sec} {
			wantStatus(t, c.post("/directory/JPN/contacts", form), http.StatusForbidden)
		}
		wantStatus(t, ra.donor.post("/directory/JPN/contacts", form), http.StatusForbidden)
		wantStatus(t, ra.other.post("/directory/KEN/contacts", form), http.StatusSeeOther) // its own State
		wantStatus(t, ra.fp.post("/directory/JPN/contacts", form), http.StatusSeeOther)
		wantBody(t, ra.sec.get("/directory/JPN"), "csirt@nisc.example")
		wantStatus(t, ra.fp.get("/directory/XXX"), http.StatusNotFound)
		wantStatus(t, ra.fp.post("/directory/JPN/contacts/abc", form), http.StatusNotFound)
		wantStatus(t, ra.fp.post("/directory/JPN/contacts/999999", form), http.StatusNotFound)
	})
}

func TestDirectoryEdit(t *testing.T) {
	a := newApp(t)
	ra, _, ct := newPocApp(t, a.db)
	ctx := context.Background()
	id := itoa(ct.ID)
	// A bad mailbox: the form comes back with what was typed and why.
	w := ra.fp.post("/directory/JPN/contacts/"+id, url.Values{"kind": {"diplomatic"}, "mailbox": {"Desk <desk@mofa.example>"}, "function": {"Desk of the day"}})
	wantStatus(t, w, http.StatusUnprocessableEntity)
	wantBody(t, w, "Desk of the day", "Desk &lt;desk@mofa.example&gt;", "Enter one e-mail address")
	w = ra.fp.post("/directory/JPN/contacts", url.Values{"kind": {"military"}, "mailbox": {"a@b.example"}})
	wantStatus(t, w, http.StatusUnprocessableEntity)
	wantBody(t, w, "Choose diplomatic or technical.")
	// Confirm, edit, delete: each audited.
	wantStatus(t, ra.fp.post("/directory/JPN/contacts/"+id+"/confirm", nil), http.StatusSeeOther)
	got, _ := a.db.GetContact(ctx, "JPN", ct.ID)
	if got.ConfirmedAt == nil {
		t.Errorf("not confirmed")
	}
	noBody(t, ra.fp.get("/directory/JPN"), "badge-stale")
	wantStatus(t, ra.fp.post("/directory/JPN/contacts/"+id, url.Values{"kind": {"diplomatic"}, "mailbox": {"policy@mofa.example"}, "hours": {"9-17 JST"}}), http.StatusSeeOther)
	got, _ = a.db.GetContact(ctx, "JPN", ct.ID)
	if got.Mailbox != "policy@mofa.example" || got.Hours != "9-17 JST" || got.ConfirmedAt != nil {
		t.Errorf("after edit %+v", got)
	}
	wantStatus(t, ra.other.post("/directory/JPN/contacts/"+id+"/delete", nil), http.StatusForbidden)
	wantStatus(t, ra.fp.post("/directory/JPN/contacts/"+id+"/delete", nil), http.StatusSeeOther)
	if _, err := a.db.GetContact(ctx, "JPN", ct.ID); err != models.ErrNotFound {
		t.Errorf("not deleted: %v", err)
	}
	es, _ := a.db.ListAuditAll(ctx, 3)
	if es[0].Action != models.ActionContactDelete || es[1].Action != models.ActionContactUpdate || es[2].Action != models.ActionContactConfirm {
		t.Errorf("audit %v %v %v", es[0].Action, es[1].Action, es[2].Action)
	}
	if es[0].Email != "fp@jp.example" {
		t.Errorf("audit actor %q", es[0].Email)
	}
}

func TestDirectoryAndSection0b(t *testing.T) {
	a := newApp(t)
	ra, _, _ := newPocApp(t, a.db)
	ctx := context.Background()
	// No report yet: nothing to fill from.
	wantStatus(t, ra.fp.post("/directory/JPN/from-report", nil), http.StatusNotFound)
	ra.start(t)
	wantBody(t, ra.fp.get("/directory/JPN"), "Copy into the report")
	// Directory → report: 0.b.1 gets the diplomatic entry, audited as an answer.
	w := ra.fp.post("/directory/JPN/to-report", nil)
	wantStatus(t, w, http.StatusSeeOther)
	ans := ra.answers(t, 1)
	if v := ans["0.b.1"].Value.Contact; v["email"] != "cyber-policy@mofa.example" || v["position"] != "Cyber Policy Division" {
		t.Fatalf("0.b.1 = %v", v)
	}
	// Report → directory: a technical contact typed in the report.
	r, _ := a.db.GetReport(ctx, "JPN", "2026-2027", 1)
	wantStatus(t, ra.fp.post(base+"/sections/0.b", url.Values{
		"0.b.2.contact.name": {"Duty officer"}, "0.b.2.contact.email": {"csirt@nisc.example"}, "0.b.2.contact.organisation": {"NISC"},
		"0.b.2.contact.languages": {"en"}}), http.StatusSeeOther)
	wantStatus(t, ra.co.post("/directory/JPN/from-report", nil), http.StatusForbidden)
	wantStatus(t, ra.fp.post("/directory/JPN/from-report", nil), http.StatusSeeOther)
	cs, _ := a.db.ListContacts(ctx, "JPN")
	var tech *models.Contact
	for i := range cs {
		if cs[i].Kind == models.ContactTechnical {
			tech = &cs[i]
		}
	}
	if len(cs) != 2 || tech == nil || tech.Mailbox != "csirt@nisc.example" || tech.Organisation != "NISC" || tech.PersonName != "Duty officer" {
		t.Fatalf("directory after fill: %+v", cs)
	}
	es, _ := a.db.ListAudit(ctx, []int64{r.ID}, 0)
	found := false
	for _, e := range es {
		if e.Action == models.ActionAnswerSave && e.QuestionCode == "0.b.1" && strings.Contains(e.NewValue, "cyber-policy@mofa.example") {
			found = true
		}
	}
	if !found {
		t.Errorf("the copy into 0.b.1 is not in the audit log")
	}
}

var linkPattern = regexp.MustCompile(`https://natreport\.example(/confirm/[0-9a-f]{64})`)

func TestPingRoundEndToEnd(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		ra, admin, ct := newPocApp(t, a.db)
		ctx := context.Background()
		// Bad forms come back with their input.
		w := ra.sec.post("/directory/rounds", url.Values{"scope": {"list"}, "list": {"JPN, XYZ"}, "days": {"14"}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, "JPN, XYZ", "Give known three-letter State codes.")
		w = ra.sec.post("/directory/rounds", url.Values{"scope": {"group"}, "group": {"Nowhere"}, "days": {"0"}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, "Choose a regional group.", "A whole number of days from 1 to 90.")
		wantStatus(t, ra.sec.post("/directory/rounds", url.Values{"scope": {"list"}, "list": {"KEN"}, "days": {"14"}}), http.StatusUnprocessableEntity)
		wantStatus(t, ra.fp.post("/directory/rounds", url.Values{"scope": {"all"}, "days": {"14"}}), http.StatusForbidden)

		w = ra.sec.post("/directory/rounds", url.Values{"scope": {"all"}, "days": {"14"}})
		wantStatus(t, w, http.StatusSeeOther)
		roundPath := w.Header().Get("Location")
		wantBody(t, ra.sec.get(roundPath), "cyber-policy@mofa.example", "0 of 1")

		// The worker sends it through a real SMTP server.
		srv := mailtest.Start(t)
		sender, err := mailer.NewSMTP(srv.URL(), "natreport <noreply@natreport.example>")
		if err != nil {
			t.Fatal(err)
		}
		worker := &mailer.Worker{DB: a.db, Sender: sender, Holder: "test", Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		if n, err := worker.SendPass(ctx); n != 1 || err != nil {
			t.Fatalf("sent %d, %v", n, err)
		}
		got := srv.Received()
		if len(got) != 1 || got[0].To[0] != "cyber-policy@mofa.example" {
			t.Fatalf("received %+v", got)
		}
		if !strings.Contains(got[0].Subject(), "Merci de confirmer") { // the contact's first working language
			t.Errorf("subject %q", got[0].Subject())
		}
		m := linkPattern.FindStringSubmatch(got[0].Body())
		if m == nil {
			t.Fatalf("no link in %q", got[0].Body())
		}
		link := m[1]
		// Opening the link changes nothing (mail scanners open links).
		w = ra.anon.get(link)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "cyber-policy@mofa.example", "Yes, confirm")
		wantBody(t, ra.sec.get(roundPath), "0 of 1")
		// The click confirms, once.
		w = ra.anon.post(link, nil)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "the entry is confirmed")
		for _, again := range []func() int{func() int { return ra.anon.post(link, nil).Code }, func() int { return ra.anon.get(link).Code }} {
			if code := again(); code != http.StatusGone {
				t.Errorf("a used link answers %d, want 410", code)
			}
		}
		wantStatus(t, ra.anon.get("/confirm/"+strings.Repeat("a", 64)), http.StatusNotFound)
		wantStatus(t, ra.anon.get("/confirm/not-a-token"), http.StatusNotFound)
		c, _ := a.db.GetContact(ctx, "JPN", ct.ID)
		if c.ConfirmedAt == nil {
			t.Errorf("the entry was not confirmed")
		}
		w = ra.sec.get(roundPath)
		wantBody(t, w, "1 of 1", "Median time to confirm")
		wantBody(t, ra.sec.get("/directory/rounds"), "Round 1")
		// The outbox shows the sent message to admins only.
		wantStatus(t, ra.sec.get("/admin/outbox"), http.StatusForbidden)
		w = admin.get("/admin/outbox")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "cyber-policy@mofa.example", "No SMTP server is configured")
		msgs, _ := a.db.ListMail(ctx, "", 10)
		w = admin.get("/admin/outbox/" + itoa(msgs[0].ID))
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "/confirm/")
		wantStatus(t, admin.post("/admin/outbox/"+itoa(msgs[0].ID)+"/retry", nil), http.StatusConflict)
		wantStatus(t, admin.get("/admin/outbox?status=bogus"), http.StatusBadRequest)
	})
}

func TestChaseRound(t *testing.T) {
	a := newApp(t)
	ra, _, _ := newPocApp(t, a.db)
	w := ra.sec.post("/directory/rounds", url.Values{"scope": {"list"}, "list": {"jpn"}, "days": {"3"}})
	wantStatus(t, w, http.StatusSeeOther)
	roundPath := w.Header().Get("Location")
	wantStatus(t, ra.sec.post(roundPath+"/chase", nil), http.StatusSeeOther)
	msgs, _ := a.db.ListMail(context.Background(), "", 10)
	if len(msgs) != 2 || msgs[0].Kind != notify.KindPing || msgs[0].Body == msgs[1].Body {
		t.Errorf("after a chase: %d messages", len(msgs))
	}
	wantBody(t, ra.sec.get(roundPath), "<td>1</td>")
	wantStatus(t, ra.sec.post("/directory/rounds/999/chase", nil), http.StatusNotFound)
}

func TestNotificationsAndLanguage(t *testing.T) {
	a := newApp(t)
	ra, _, _ := newPocApp(t, a.db)
	ctx := context.Background()
	fp, _ := a.db.GetUserByEmail(ctx, "fp@jp.example")
	// The language the person last chose is remembered.
	wantStatus(t, ra.fp.get("/?lang=ru"), http.StatusOK)
	if p, _ := a.db.GetPrefs(ctx, fp.ID); p.Lang != "ru" {
		t.Errorf("language after ?lang=ru: %q", p.Lang)
	}
	c := a.anon()
	c.cookies["lang"] = &http.Cookie{Name: "lang", Value: "zh"}
	wantStatus(t, c.post("/login", url.Values{"email": {"co@jp.example"}, "password": {testPassword}}), http.StatusSeeOther)
	co, _ := a.db.GetUserByEmail(ctx, "co@jp.example")
	if p, _ := a.db.GetPrefs(ctx, co.ID); p.Lang != "zh" {
		t.Errorf("language at sign-in: %q", p.Lang)
	}
	// The page, and turning notices off.
	w := ra.fp.get("/account/notifications?lang=en")
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, "A section is assigned to me", "always sent")
	wantStatus(t, ra.fp.post("/account/notifications", url.Values{"lang": {"es"}, "on": {notify.KindAssigned}}), http.StatusSeeOther)
	p, _ := a.db.GetPrefs(ctx, fp.ID)
	if p.Lang != "es" || p.Off(notify.KindAssigned) || !p.Off(notify.KindCycleOpen) || !p.Off(notify.KindDigest) {
		t.Errorf("prefs %+v", p)
	}
	wantStatus(t, ra.fp.post("/account/notifications", url.Values{"lang": {"de"}}), http.StatusBadRequest)
	wantStatus(t, ra.anon.get("/account/notifications"), http.StatusSeeOther)
}

func TestAssignNotice(t *testing.T) {
	a := newApp(t)
	ra, _, _ := newPocApp(t, a.db)
	ctx := context.Background()
	ra.start(t)
	co, _ := a.db.GetUserByEmail(ctx, "co@jp.example")
	if err := a.db.SetPrefs(ctx, models.Prefs{UserID: co.ID, Lang: "ru"}); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, ra.fp.post(base+"/sections/II.g/assign", url.Values{"user_id": {itoa(co.ID)}}), http.StatusSeeOther)
	msgs, _ := a.db.ListMail(ctx, "", 10)
	if len(msgs) != 1 || msgs[0].To != "co@jp.example" || msgs[0].Lang != "ru" || !strings.Contains(msgs[0].Subject, "Вам поручен раздел") ||
		!strings.Contains(msgs[0].Body, "https://natreport.example/reports/JPN/2026-2027/sections/II.g") {
		t.Fatalf("assigned notice %+v", msgs)
	}
	// Turned off: the assignment goes through, no message.
	if err := a.db.SetPrefs(ctx, models.Prefs{UserID: co.ID, Lang: "ru", NotifyOff: []string{notify.KindAssigned}}); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, ra.fp.post(base+"/sections/II.h/assign", url.Values{"user_id": {itoa(co.ID)}}), http.StatusSeeOther)
	if msgs, _ := a.db.ListMail(ctx, "", 10); len(msgs) != 1 {
		t.Errorf("%d messages, want the first only", len(msgs))
	}
}

func TestReminderDaysPage(t *testing.T) {
	a := newApp(t)
	ra, _, _ := newPocApp(t, a.db)
	wantStatus(t, ra.fp.get("/cycles/2026-2027/reminders"), http.StatusForbidden)
	wantBody(t, ra.sec.get("/cycles/2026-2027/reminders"), `value="30,7,1"`)
	w := ra.sec.post("/cycles/2026-2027/reminders", url.Values{"days": {"14, x"}})
	wantStatus(t, w, http.StatusUnprocessableEntity)
	wantBody(t, w, "14, x", "Whole numbers from 1 to 365")
	wantStatus(t, ra.sec.post("/cycles/2026-2027/reminders", url.Values{"days": {"3, 14"}}), http.StatusSeeOther)
	wantBody(t, ra.sec.get("/cycles/2026-2027/reminders"), `value="14,3"`)
	wantStatus(t, ra.sec.get("/cycles/1999/reminders"), http.StatusNotFound)
}

// pocFixture gives Japan a directory entry and starts a ping round to it;
// it returns the round's confirmation token.
func pocFixture(t *testing.T, db *models.DB) string {
	t.Helper()
	ctx := context.Background()
	ct := &models.Contact{StateISO3: "JPN", Kind: models.ContactTechnical, Function: "CSIRT duty desk", Mailbox: "csirt@nisc.example", Languages: "en"}
	if err := db.SaveContact(ctx, ct, models.Actor{Email: "test"}); err != nil {
		t.Fatal(err)
	}
	var token string
	comp := notify.Composer{BaseURL: "http://localhost"}
	expires := db.Now().AddDate(0, 0, 14)
	_, err := db.StartPingRound(ctx, "all", []string{"JPN"}, expires, models.Actor{Email: "test"}, func(pt *models.PingTarget, c *models.Contact, tok string) *models.Mail {
		token = tok
		return comp.Ping(pt, c, "Japan", tok, expires)
	})
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// checkMatchNotices checks the outbox holds, for each decision, one notice
// to the proposer: want maps "accepted"/"declined" to the proposer's
// address (sec → sec@un.example, donor → donor@fund.example).
func checkMatchNotices(t *testing.T, db *models.DB, want map[string]string) {
	t.Helper()
	addr := map[string]string{"sec": "sec@un.example", "donor": "donor@fund.example"}
	msgs, err := db.ListMail(context.Background(), "", 100)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, m := range msgs {
		if m.Kind != notify.KindMatch {
			continue
		}
		decision := "declined"
		if strings.Contains(m.Subject, "accepted") {
			decision = "accepted"
		}
		if !strings.Contains(m.Body, "/needs/") {
			t.Errorf("match notice without a link to the need: %q", m.Body)
		}
		got[decision] = m.To
	}
	for decision, who := range want {
		if got[decision] != addr[who] {
			t.Errorf("%s notice to %q, want %q (all: %v)", decision, got[decision], addr[who], got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("match notices %v, want %v", got, want)
	}
}
