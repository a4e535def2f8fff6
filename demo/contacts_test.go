package demo

import (
	"context"
	"strings"
	"testing"

	"github.com/natreport/natreport/models"
)

func TestLoadDirectory(t *testing.T) {
	ctx := context.Background()
	db, _ := load(t)
	contacts, err := db.ListContacts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	states := demoStates()
	if len(contacts) != 2*len(states) {
		t.Fatalf("%d contacts, want 2 for each of %d States", len(contacts), len(states))
	}
	stale := map[string]bool{}
	for _, c := range contacts {
		if !strings.HasSuffix(c.Mailbox, "@"+Domain) {
			t.Errorf("%s is not at the demo domain", c.Mailbox)
		}
		if c.Stale(now) {
			stale[c.Mailbox] = true
		}
	}
	if len(stale) != 2 || !stale["ken.mfa-cyber@"+Domain] || !stale["gha.csirt@"+Domain] {
		t.Errorf("stale entries %v", stale)
	}
	rounds, err := db.ListPingRounds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rounds) != 1 || rounds[0].Targets != len(contacts) || rounds[0].Confirmed != len(contacts)-2 {
		t.Errorf("rounds %+v", rounds)
	}
	counts, err := db.MailCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts[models.MailSent] != len(contacts) || counts[models.MailPending] != 0 {
		t.Errorf("outbox %v: the round's messages are recorded as sent", counts)
	}
	// The directory agrees with section 0.b of Japan's report.
	r, err := db.GetReport(ctx, "JPN", cycleCur, 1)
	if err != nil {
		t.Fatal(err)
	}
	ans, err := db.ListAnswers(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ans["0.b.1"].Value.Contact["email"] != "jpn.mfa-cyber@"+Domain || ans["0.b.2"].Value.Contact["email"] != "jpn.tech-poc@"+Domain {
		t.Errorf("0.b of Japan: %v %v", ans["0.b.1"].Value.Contact, ans["0.b.2"].Value.Contact)
	}
}
