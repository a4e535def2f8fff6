package models

import (
	"strings"
	"testing"
	"time"
)

// auditActions lists the actions of the latest n entries of the whole log, oldest first.
func auditActions(t *testing.T, db *DB, n int) []string {
	t.Helper()
	es, err := db.ListAuditAll(ctx, n)
	must(t, err)
	out := make([]string, len(es))
	for i, e := range es {
		out[len(es)-1-i] = e.Action
	}
	return out
}

func TestContacts(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		clk := fixClock(db, time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))
		fp := newUser(t, db, RoleFocalPoint, "JPN")
		c := &Contact{StateISO3: "JPN", Kind: ContactDiplomatic, Function: " Cyber Policy Division ", Mailbox: "Cyber@MOFA.example",
			Languages: "en, ja", TimeZone: "Asia/Tokyo", Hours: "9-18"}
		must(t, db.SaveContact(ctx, c, actorOf(fp)))
		if c.ID == 0 || c.Mailbox != "cyber@mofa.example" || c.Function != "Cyber Policy Division" {
			t.Fatalf("saved %+v", c)
		}
		got, err := db.GetContact(ctx, "JPN", c.ID)
		must(t, err)
		if got.ConfirmedAt != nil || !got.Stale(db.Now()) {
			t.Errorf("a never-confirmed entry must be stale: %+v", got)
		}
		must(t, db.ConfirmContact(ctx, "JPN", c.ID, actorOf(fp)))
		got, _ = db.GetContact(ctx, "JPN", c.ID)
		if got.ConfirmedAt == nil || got.Stale(db.Now()) {
			t.Errorf("confirmed entry: %+v", got)
		}
		clk.t = clk.t.Add(StaleAfter + time.Hour)
		if !got.Stale(db.Now()) {
			t.Errorf("not stale a year on")
		}
		// Another State cannot reach it through its ISO code.
		if _, err := db.GetContact(ctx, "FRA", c.ID); err != ErrNotFound {
			t.Errorf("GetContact(FRA) = %v", err)
		}
		wantErr(t, db.DeleteContact(ctx, "FRA", c.ID, actorOf(fp)), ErrNotFound)
		// A new mailbox is not confirmed.
		c.Mailbox = "policy@mofa.example"
		must(t, db.SaveContact(ctx, c, actorOf(fp)))
		got, _ = db.GetContact(ctx, "JPN", c.ID)
		if got.ConfirmedAt != nil || got.Mailbox != "policy@mofa.example" {
			t.Errorf("after a new mailbox: %+v", got)
		}
		for _, bad := range []Contact{
			{StateISO3: "JPN", Kind: "military", Mailbox: "a@b.example"},
			{StateISO3: "JPN", Kind: ContactTechnical, Mailbox: "Desk <a@b.example>"},
			{StateISO3: "JPN", Kind: ContactTechnical, Mailbox: "a@localhost"},
			{StateISO3: "JPN", Kind: ContactTechnical, Mailbox: "a@b.example", Hours: strings.Repeat("x", 201)},
		} {
			wantErr(t, db.SaveContact(ctx, &bad, actorOf(fp)), ErrInvalid)
		}
		wantErr(t, db.SaveContact(ctx, &Contact{StateISO3: "XXX", Kind: ContactTechnical, Mailbox: "a@b.example"}, actorOf(fp)), ErrNotFound)
		list, err := db.ListContacts(ctx, "JPN")
		must(t, err)
		if len(list) != 1 {
			t.Fatalf("%d contacts", len(list))
		}
		must(t, db.DeleteContact(ctx, "JPN", c.ID, actorOf(fp)))
		want := []string{ActionContactCreate, ActionContactConfirm, ActionContactUpdate, ActionContactDelete}
		if got := auditActions(t, db, 4); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("audit %v, want %v", got, want)
		}
		es, _ := db.ListAuditAll(ctx, 2)
		if !strings.Contains(es[1].OldValue, "cyber@mofa.example") || !strings.Contains(es[1].NewValue, "policy@mofa.example") {
			t.Errorf("update audit lacks old and new values: %+v", es[1])
		}
	})
}

func TestPingRounds(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		clk := fixClock(db, time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))
		sec := newUser(t, db, RoleSecretariat, "")
		a := &Contact{StateISO3: "JPN", Kind: ContactDiplomatic, Mailbox: "cyber@mofa.example"}
		b := &Contact{StateISO3: "FRA", Kind: ContactTechnical, Mailbox: "cert@anssi.example"}
		must(t, db.SaveContact(ctx, a, Actor{}))
		must(t, db.SaveContact(ctx, b, Actor{}))
		tokens := map[string]string{}
		compose := func(pt *PingTarget, c *Contact, token string) *Mail {
			tokens[c.Mailbox] = token
			return &Mail{Kind: "ping", To: pt.Mailbox, Subject: "Confirm", Body: "link " + token}
		}
		_, err := db.StartPingRound(ctx, "list:DEU", []string{"DEU"}, db.Now().Add(time.Hour), actorOf(sec), compose)
		wantErr(t, err, ErrInvalid)
		r, err := db.StartPingRound(ctx, "list:FRA,JPN", []string{"FRA", "JPN"}, db.Now().Add(48*time.Hour), actorOf(sec), compose)
		must(t, err)
		if r.Targets != 2 || len(tokens) != 2 {
			t.Fatalf("round %+v, tokens %v", r, tokens)
		}
		// Only a hash of each token is stored.
		var n int64
		must(t, db.r.Raw("SELECT COUNT(*) FROM ping_targets WHERE token_hash = ? OR token_hash = ?", tokens["cyber@mofa.example"], TokenHash(tokens["cyber@mofa.example"])).Scan(&n).Error)
		var plain int64
		must(t, db.r.Raw("SELECT COUNT(*) FROM ping_targets WHERE token_hash = ?", tokens["cyber@mofa.example"]).Scan(&plain).Error)
		if n != 1 || plain != 0 {
			t.Errorf("token storage: %d by hash, %d in plain", n, plain)
		}
		msgs, err := db.ListMail(ctx, MailPending, 10)
		must(t, err)
		if len(msgs) != 2 || msgs[0].ContactID == nil {
			t.Fatalf("queued %+v", msgs)
		}

		l, err := db.PeekPing(ctx, tokens["cyber@mofa.example"])
		must(t, err)
		if l.StateName != "Japan" || l.Kind != ContactDiplomatic {
			t.Errorf("peek %+v", l)
		}
		clk.t = clk.t.Add(90 * time.Minute)
		pt, err := db.ConfirmPing(ctx, tokens["cyber@mofa.example"])
		must(t, err)
		if pt.ConfirmedAt == nil || pt.ConfirmedAt.Sub(pt.SentAt) != 90*time.Minute {
			t.Errorf("confirmed target %+v", pt)
		}
		got, _ := db.GetContact(ctx, "JPN", a.ID)
		if got.ConfirmedAt == nil || !got.ConfirmedAt.Equal(db.Now()) {
			t.Errorf("the entry was not confirmed: %+v", got)
		}
		// Once only.
		_, err = db.ConfirmPing(ctx, tokens["cyber@mofa.example"])
		wantErr(t, err, ErrPingSpent)
		_, err = db.PeekPing(ctx, tokens["cyber@mofa.example"])
		wantErr(t, err, ErrPingSpent)
		_, err = db.ConfirmPing(ctx, strings.Repeat("0", 64))
		wantErr(t, err, ErrNotFound)

		// A chase replaces the unconfirmed target's token.
		old := tokens["cert@anssi.example"]
		chased, err := db.ChasePingRound(ctx, r.ID, 7*24*time.Hour, actorOf(sec), compose)
		must(t, err)
		if chased != 1 || tokens["cert@anssi.example"] == old {
			t.Fatalf("chased %d", chased)
		}
		_, err = db.ConfirmPing(ctx, old)
		wantErr(t, err, ErrNotFound)
		// Expired: the round runs 7 days from the chase.
		clk.t = clk.t.Add(8 * 24 * time.Hour)
		_, err = db.ConfirmPing(ctx, tokens["cert@anssi.example"])
		wantErr(t, err, ErrPingSpent)

		r2, err := db.GetPingRound(ctx, r.ID)
		must(t, err)
		if r2.Targets != 2 || r2.Confirmed != 1 {
			t.Errorf("round counts %+v", r2)
		}
		targets, err := db.ListPingTargets(ctx, r.ID)
		must(t, err)
		if len(targets) != 2 || targets[0].StateISO3 != "FRA" || targets[0].Chases != 1 || targets[0].MailStatus != MailPending {
			t.Errorf("targets %+v", targets)
		}
		rounds, err := db.ListPingRounds(ctx)
		must(t, err)
		if len(rounds) != 1 {
			t.Errorf("rounds %+v", rounds)
		}
		want := []string{ActionPingRound, ActionContactConfirm, ActionPingChase}
		if got := auditActions(t, db, 3); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("audit %v, want %v", got, want)
		}
	})
}

func TestOutboxDedupAndTransaction(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		m := &Mail{Kind: "due", To: " FP@Example.org ", Subject: "Reminder", DedupKey: Key("due:1:30:5")}
		must(t, db.Enqueue(ctx, m))
		if m.ID == 0 || m.To != "fp@example.org" || m.Lang != "en" || m.MessageID == "" {
			t.Fatalf("queued %+v", m)
		}
		again := &Mail{Kind: "due", To: "fp@example.org", Subject: "Reminder", DedupKey: Key("due:1:30:5")}
		must(t, db.Enqueue(ctx, again))
		if again.ID != 0 {
			t.Errorf("a once-only message was queued twice")
		}
		wantErr(t, db.Enqueue(ctx, &Mail{Kind: "x", To: "a@b.example", Subject: "Bad\r\nBcc: x@y.example"}), ErrInvalid)
		wantErr(t, db.Enqueue(ctx, &Mail{Kind: "x", To: "", Subject: "S"}), ErrInvalid)

		// A message is queued with its change or not at all.
		fp := newUser(t, db, RoleFocalPoint, "JPN")
		co := newUser(t, db, RoleContributor, "JPN")
		c := newCycle(t, db, 2026)
		r := newReport(t, db, "JPN", c, actorOf(fp))
		must(t, db.AssignSection(ctx, r.ID, "II.g", co.ID, actorOf(fp), &Mail{Kind: "assigned", To: co.Email, Subject: "Assigned"}))
		err := db.AssignSection(ctx, r.ID, "II.h", 999999, actorOf(fp), &Mail{Kind: "assigned", To: "ghost@example.org", Subject: "Assigned"})
		wantErr(t, err, ErrNotFound)
		msgs, err := db.ListMail(ctx, "", 10)
		must(t, err)
		if len(msgs) != 2 || msgs[0].To != strings.ToLower(co.Email) {
			t.Errorf("outbox %+v", msgs)
		}
		counts, err := db.MailCounts(ctx)
		must(t, err)
		if counts[MailPending] != 2 {
			t.Errorf("counts %v", counts)
		}
	})
}

func TestPrefsAndReminderDays(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		u := newUser(t, db, RoleFocalPoint, "JPN")
		p, err := db.GetPrefs(ctx, u.ID)
		must(t, err)
		if p.Lang != "" || len(p.NotifyOff) != 0 {
			t.Errorf("fresh prefs %+v", p)
		}
		must(t, db.SetLang(ctx, u.ID, "fr"))
		must(t, db.SetPrefs(ctx, Prefs{UserID: u.ID, Lang: "ar", NotifyOff: []string{"digest", "assigned"}}))
		must(t, db.SetLang(ctx, u.ID, "ar"))
		p, _ = db.GetPrefs(ctx, u.ID)
		if p.Lang != "ar" || !p.Off("assigned") || p.Off("due") {
			t.Errorf("prefs %+v", p)
		}
		must(t, db.SetLang(ctx, u.ID, "es"))
		if p, _ = db.GetPrefs(ctx, u.ID); p.Lang != "es" || !p.Off("digest") {
			t.Errorf("a changed language keeps the notices: %+v", p)
		}
		must(t, db.SetLang(ctx, u.ID, "ar"))
		rs, err := db.Recipients(ctx, RoleFocalPoint)
		must(t, err)
		if len(rs) != 1 || rs[0].Lang != "ar" || !rs[0].Off("digest") || rs[0].StateISO3 != "JPN" {
			t.Errorf("recipients %+v", rs)
		}
		must(t, db.SetUserDisabled(ctx, u.ID, true))
		if rs, _ := db.Recipients(ctx, RoleFocalPoint); len(rs) != 0 {
			t.Errorf("a disabled user is a recipient")
		}

		c := newCycle(t, db, 2026)
		days, err := db.CycleReminderDays(ctx, c.ID)
		must(t, err)
		if FormatReminderDays(days) != DefaultReminderDays {
			t.Errorf("default days %v", days)
		}
		must(t, db.SetCycleReminderDays(ctx, c.ID, []int{14, 3}, Actor{Email: "sec"}))
		days, _ = db.CycleReminderDays(ctx, c.ID)
		if FormatReminderDays(days) != "14,3" {
			t.Errorf("days %v", days)
		}
	})
}

func TestParseReminderDays(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{{"30,7,1", "30,7,1", true}, {" 1, 30 ,7,7", "30,7,1", true}, {"", "", true}, {"0", "", false}, {"366", "", false}, {"a", "", false}} {
		got, err := ParseReminderDays(tt.in)
		if (err == nil) != tt.ok || FormatReminderDays(got) != tt.want {
			t.Errorf("ParseReminderDays(%q) = %v, %v", tt.in, got, err)
		}
	}
}
