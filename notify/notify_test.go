package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/natreport/natreport/models"
)

func TestContactLang(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", "en"}, {"ja, en", "en"}, {"FR, en", "fr"}, {"de; ru", "ru"}, {"Arabic", "en"}, {"zh/en", "zh"},
	} {
		if got := ContactLang(tt.in); got != tt.want {
			t.Errorf("ContactLang(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMessages(t *testing.T) {
	c := Composer{BaseURL: "https://natreport.example/"}
	ar := models.Recipient{UserID: 7, Email: "fp@ken.example", Name: "Amina", StateISO3: "KEN", Lang: "ar"}
	other := models.Recipient{UserID: 8, Email: "x@y.example", Lang: "xx", NotifyOff: "match"}
	ms := c.MatchNotices([]models.Recipient{ar, other}, "Kenya", "CSIRT training", true, "/needs/3")
	if len(ms) != 1 {
		t.Fatalf("%d match notices, want 1 (the other turned it off)", len(ms))
	}
	m := ms[0]
	if m.Kind != KindMatch || m.To != "fp@ken.example" || m.Lang != "ar" || !strings.Contains(m.Subject, "قبلت") ||
		!strings.Contains(m.Body, "CSIRT training") || !strings.Contains(m.Body, "https://natreport.example/needs/3") ||
		!strings.Contains(m.Body, "https://natreport.example/account/notifications") {
		t.Errorf("match notice %+v", m)
	}
	if d := c.MatchDecision(other, "Kenya", "x", false, "/needs/3"); d.Lang != "en" || !strings.Contains(d.Subject, "declined") {
		t.Errorf("declined, unknown language: %+v", d)
	}
	cy := &models.Cycle{ID: 3, Label: "2026-2027", ProcessName: "Global Mechanism", DueOn: time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)}
	open := c.CycleOpen(ar, cy)
	if open.DedupKey == nil || *open.DedupKey != "cycle_open:3:7" || !strings.Contains(open.Body, "2027-03-31") ||
		!strings.Contains(open.Body, "الآلية العالمية") {
		t.Errorf("cycle open %+v", open)
	}
	due := c.Due(ar, "Kenya", cy, 7, 5)
	if *due.DedupKey != "due:3:7:7" || strings.Contains(due.Body, "/account/notifications") {
		t.Errorf("due %+v", due)
	}
	dg := c.DigestMail(models.Recipient{UserID: 1, Email: "s@un.example", Lang: "zh"}, Digest{Week: "2026-W49", Stale: 2, FailedMail: 1})
	if *dg.DedupKey != "digest:2026-W49:1" || !strings.Contains(dg.Body, "目前没有开启的报告周期") || !strings.Contains(dg.Body, "2") {
		t.Errorf("digest %+v", dg)
	}
	for _, m := range []*models.Mail{open, due, dg} {
		if strings.Contains(m.Subject+m.Body, "{{") || strings.Contains(m.Subject+m.Body, "<no value>") {
			t.Errorf("unfilled placeholder in %q %q", m.Subject, m.Body)
		}
	}
}

// TestWithdrawalMessages: the notices of a withdrawn proposal and of a
// withdrawn need, in the recipient's language, once each (dedup keys), with
// the note when there is one.
func TestWithdrawalMessages(t *testing.T) {
	c := Composer{BaseURL: "https://natreport.example"}
	ru := models.Recipient{UserID: 7, Email: "fp@ken.example", Name: "Amina", Lang: "ru"}
	m := &models.Match{ID: 5, Provider: "Cyber Fund", StateName: "Kenya", NeedDescription: "CSIRT training"}
	p := c.ProposalWithdrawn(ru, m, false, "", "/needs/3")
	if p.Kind != KindWithdrawn || p.Lang != "ru" || *p.DedupKey != "match_withdrawn:5:7" || !strings.Contains(p.Subject, "отозвано") ||
		!strings.Contains(p.Body, "CSIRT training") || strings.Contains(p.Body, "Примечание") || !strings.Contains(p.Body, "/account/notifications") {
		t.Errorf("proposal withdrawn %+v", p)
	}
	if o := c.ProposalWithdrawn(ru, m, true, "Budget spent", "/needs/3"); !strings.Contains(o.Body, "Предложение Cyber Fund отозвано") ||
		!strings.Contains(o.Body, "Примечание: Budget spent") {
		t.Errorf("offer withdrawn %+v", o)
	}
	n := c.NeedWithdrawn(models.Recipient{UserID: 9, Email: "d@fund.example", Lang: "zh"}, "Kenya", "CSIRT training", "Cyber Fund", 3, 44, "", "/needs/3")
	if n.Lang != "zh" || *n.DedupKey != "need_withdrawn:3:44:9" || !strings.Contains(n.Subject, "撤回") || !strings.Contains(n.Body, "https://natreport.example/needs/3") {
		t.Errorf("need withdrawn %+v", n)
	}
	for _, x := range []*models.Mail{p, n} {
		if strings.Contains(x.Subject+x.Body, "{{") || strings.Contains(x.Subject+x.Body, "<no value>") {
			t.Errorf("unfilled placeholder in %q %q", x.Subject, x.Body)
		}
	}
}
