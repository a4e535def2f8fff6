package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/notify"
	"github.com/natreport/natreport/surveys"
)

// withdrawnMail lists the outbox's withdrawal notices.
func withdrawnMail(t *testing.T, db *models.DB) []models.Mail {
	t.Helper()
	msgs, err := db.ListMail(context.Background(), "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []models.Mail
	for _, m := range msgs {
		if m.Kind == notify.KindWithdrawn {
			out = append(out, m)
		}
	}
	return out
}

// setPrefs gives the user email a language and the notices turned off.
func setPrefs(t *testing.T, a *app, email, lang string, off ...string) {
	t.Helper()
	u, err := a.db.GetUserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.db.SetPrefs(context.Background(), models.Prefs{UserID: u.ID, Lang: lang, NotifyOff: off}); err != nil {
		t.Fatal(err)
	}
}

// TestProposalWithdrawnNotice: when a proposal is withdrawn, by itself or
// with its offer, the focal points of the State that had it to decide get
// one notice each, in their language, unless they turned it off; a refused
// withdrawal queues nothing.
func TestProposalWithdrawnNotice(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		na := newNeedsApp(t, a)
		a.user("fp2@ke.example", models.RoleFocalPoint, "KEN")
		setPrefs(t, a, "fp@ke.example", "fr")
		setPrefs(t, a, "fp2@ke.example", "en", notify.KindWithdrawn)
		need := na.need["KEN"]
		offer := na.offer(t, na.orgID, "critical-infrastructure", "technical-assistance")
		offer2 := na.offer(t, na.orgID, "critical-infrastructure", "training")
		for _, o := range []int64{offer, offer2} {
			wantStatus(t, na.donor.post("/matches", url.Values{"need_id": {itoa(need)}, "offer_id": {itoa(o)}}), http.StatusSeeOther)
		}
		ms, err := a.db.ListMatches(context.Background(), models.MatchReader{Reader: readerOf(&models.User{Role: models.RoleSecretariat})},
			models.MatchFilter{NeedID: need})
		if err != nil || len(ms) != 2 {
			t.Fatalf("matches %v, %v", ms, err)
		}
		first := ms[0].ID
		if ms[0].OfferID != offer {
			first = ms[1].ID
		}
		path := "/matches/" + itoa(first) + "/withdraw"
		for _, c := range []*client{na.anon, na.ken, na.loneDonor} {
			if got := c.post(path, url.Values{"note": {"Sent too soon"}}).Code; got < 400 {
				t.Errorf("a refused withdrawal answered %d", got)
			}
		}
		if got := withdrawnMail(t, a.db); len(got) != 0 {
			t.Fatalf("refused withdrawals queued %d notices", len(got))
		}
		wantStatus(t, na.donor.post(path, url.Values{"note": {"Sent too soon"}}), http.StatusSeeOther)
		wantStatus(t, na.donor.post(path, url.Values{"note": {"Again"}}), http.StatusConflict)
		got := withdrawnMail(t, a.db)
		if len(got) != 1 {
			t.Fatalf("%d notices after one withdrawal, want 1 (the other focal point turned them off): %+v", len(got), got)
		}
		m := got[0]
		if m.To != "fp@ke.example" || m.Lang != "fr" || !strings.Contains(m.Subject, "Cyber Fund") || !strings.Contains(m.Subject, "retirée") ||
			!strings.Contains(m.Body, "La proposition de Cyber Fund") || !strings.Contains(m.Body, needText("KEN")) ||
			!strings.Contains(m.Body, "Note : Sent too soon") || !strings.Contains(m.Body, needPath(need)) {
			t.Errorf("withdrawal notice %+v", m)
		}

		// The offer withdrawn: its pending proposal goes with it, and the State hears of it once.
		wantStatus(t, na.donor.post("/offers/"+itoa(offer2)+"/withdraw", url.Values{"note": {"Budget spent"}}), http.StatusSeeOther)
		wantStatus(t, na.donor.post("/offers/"+itoa(offer2)+"/withdraw", url.Values{}), http.StatusConflict)
		got = withdrawnMail(t, a.db)
		if len(got) != 2 {
			t.Fatalf("%d notices after the offer's withdrawal, want 2", len(got))
		}
		if m := got[0]; m.To != "fp@ke.example" || m.Lang != "fr" || !strings.Contains(m.Body, "L'offre de Cyber Fund a été retirée") ||
			!strings.Contains(m.Body, "Budget spent") {
			t.Errorf("notice of the offer's withdrawal %+v", m)
		}

		// The secretariat withdraws the donor's proposal: the State and the proposer are told.
		setPrefs(t, a, "donor@fund.example", "ru")
		offer3 := na.offer(t, na.orgID, "critical-infrastructure", "equipment")
		wantStatus(t, na.donor.post("/matches", url.Values{"need_id": {itoa(need)}, "offer_id": {itoa(offer3)}}), http.StatusSeeOther)
		ms, err = a.db.ListMatches(context.Background(), models.MatchReader{Reader: readerOf(&models.User{Role: models.RoleSecretariat})},
			models.MatchFilter{NeedID: need, OfferID: offer3})
		if err != nil || len(ms) != 1 {
			t.Fatalf("matches %v, %v", ms, err)
		}
		wantStatus(t, na.sec.post("/matches/"+itoa(ms[0].ID)+"/withdraw", url.Values{}), http.StatusSeeOther)
		got = withdrawnMail(t, a.db)
		if len(got) != 4 {
			t.Fatalf("%d notices after the secretariat's withdrawal, want 4", len(got))
		}
		to := map[string]models.Mail{got[0].To: got[0], got[1].To: got[1]}
		if m := to["donor@fund.example"]; m.Lang != "ru" || !strings.Contains(m.Subject, "Ваше предложенное сопоставление") ||
			!strings.Contains(m.Body, "Секретариат") || !strings.Contains(m.Body, needText("KEN")) || strings.Contains(m.Body, "sec@un.example") {
			t.Errorf("proposer's notice %+v", m)
		}
		if m := to["fp@ke.example"]; m.Lang != "fr" || !strings.Contains(m.Body, "La proposition de Cyber Fund") {
			t.Errorf("State's notice %+v", m)
		}
	})
}

// TestNeedWithdrawnNotice: when the State withdraws a need, whoever
// proposed an offer for it still pending or accepted gets one notice in
// their language (unless they turned it off), telling the need as they may
// read it; a refused change queues nothing.
func TestNeedWithdrawnNotice(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		na := newNeedsApp(t, a)
		setPrefs(t, a, "donor@fund.example", "es")
		need := na.need["KEN"]
		offer := na.offer(t, na.orgID, "critical-infrastructure", "technical-assistance")
		wantStatus(t, na.donor.post("/matches", url.Values{"need_id": {itoa(need)}, "offer_id": {itoa(offer)}}), http.StatusSeeOther)
		status := func(c *client, from, to string) int {
			return c.post(needPath(need)+"/status", url.Values{"from": {from}, "to": {to}, "note": {"Covered at home"}}).Code
		}
		for _, st := range []struct {
			c        *client
			from, to string
		}{{na.sen, "discussion", "withdrawn"}, {na.donor, "discussion", "withdrawn"}, {na.kenCo, "discussion", "withdrawn"},
			{na.ken, "open", "withdrawn"}, {na.ken, "discussion", "completed"}} {
			if got := status(st.c, st.from, st.to); got < 400 {
				t.Errorf("a refused change answered %d", got)
			}
		}
		if got := withdrawnMail(t, a.db); len(got) != 0 {
			t.Fatalf("refused changes queued %d notices", len(got))
		}
		wantStatus(t, na.ken.post(needPath(need)+"/status", url.Values{"from": {"discussion"}, "to": {"withdrawn"}, "note": {"Covered at home"}}), http.StatusSeeOther)
		got := withdrawnMail(t, a.db)
		if len(got) != 1 {
			t.Fatalf("%d notices after the withdrawal, want 1", len(got))
		}
		if m := got[0]; m.To != "donor@fund.example" || m.Lang != "es" || !strings.Contains(m.Subject, "Kenya retiró") ||
			!strings.Contains(m.Body, "la oferta de Cyber Fund") || !strings.Contains(m.Body, needText("KEN")) ||
			!strings.Contains(m.Body, "Nota: Covered at home") {
			t.Errorf("need withdrawn notice %+v", m)
		}
		// Reopened and withdrawn again: a new notice; turned off: none.
		wantStatus(t, na.ken.post(needPath(need)+"/status", url.Values{"from": {"withdrawn"}, "to": {"open"}}), http.StatusSeeOther)
		wantStatus(t, na.ken.post(needPath(need)+"/status", url.Values{"from": {"open"}, "to": {"withdrawn"}}), http.StatusSeeOther)
		if got := withdrawnMail(t, a.db); len(got) != 2 {
			t.Errorf("%d notices after a second withdrawal, want 2", len(got))
		}
		setPrefs(t, a, "donor@fund.example", "es", notify.KindWithdrawn)
		wantStatus(t, na.ken.post(needPath(need)+"/status", url.Values{"from": {"withdrawn"}, "to": {"open"}}), http.StatusSeeOther)
		wantStatus(t, na.ken.post(needPath(need)+"/status", url.Values{"from": {"open"}, "to": {"withdrawn"}}), http.StatusSeeOther)
		if got := withdrawnMail(t, a.db); len(got) != 2 {
			t.Errorf("%d notices once turned off, want still 2", len(got))
		}
	})
}

// TestNeedDroppedNotice: Japan's amendment drops a need that a donor and
// the secretariat proposed offers for, which withdraws it. Each proposer
// is told once, when they may read the amendment: the secretariat at its
// submission, the donor (who reads only what is published to donors) at
// its publication, in their language.
func TestNeedDroppedNotice(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		ra := newReportApp(t, a)
		ctx := context.Background()
		donor, err := a.db.GetUserByEmail(ctx, "donor@d.example")
		if err != nil {
			t.Fatal(err)
		}
		if err := a.db.SetUserOrganisation(ctx, donor.ID, "Cyber Fund", models.Actor{Email: "admin"}); err != nil {
			t.Fatal(err)
		}
		org, err := a.db.UserOrganisation(ctx, donor.ID)
		if err != nil {
			t.Fatal(err)
		}
		setPrefs(t, a, "donor@d.example", "fr")
		ra.start(t)
		r1, err := a.db.GetReport(ctx, "JPN", "2026-2027", 0)
		if err != nil {
			t.Fatal(err)
		}
		row := surveys.Value{Rows: []map[string]string{{"area": "cybercrime", "type": "legal-drafting", "priority": "high", "description": "Cybercrime law review"}}}
		if _, err := a.db.SaveAnswer(ctx, r1.ID, "IV.a.4", row, 0, models.Actor{Email: "fp"}, nil); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, ra.fp.post(base+"/submit", url.Values{"password": {testPassword}}), http.StatusSeeOther)
		wantStatus(t, ra.fp.post(base+"/visibility", url.Values{"visibility": {"donors"}}), http.StatusSeeOther)
		wantStatus(t, ra.fp.post(base+"/status", url.Values{"action": {"publish"}}), http.StatusSeeOther)
		ns, err := a.db.ListNeeds(ctx, surveys.Reader{Role: models.RoleSecretariat}, models.NeedFilter{StateISO3: "JPN"})
		if err != nil || len(ns) != 1 {
			t.Fatalf("needs %v, %v", ns, err)
		}
		need := ns[0].ID
		for _, p := range []struct {
			c     *client
			areas string
		}{{ra.donor, "cybercrime"}, {ra.sec, "cybercrime,policy-strategy"}} {
			o := &models.Offer{OrganisationID: org.ID, Provider: "Cyber Fund", AreasText: p.areas, TypesText: "legal-drafting", Regions: "Asia-Pacific"}
			if err := a.db.CreateOffer(ctx, o, models.Actor{Email: "donor"}); err != nil {
				t.Fatal(err)
			}
			wantStatus(t, p.c.post("/matches", url.Values{"need_id": {itoa(need)}, "offer_id": {itoa(o.ID)}}), http.StatusSeeOther)
		}

		// The amendment drops the need and is submitted: the secretariat may read it, the donor not yet.
		wantStatus(t, ra.fp.post(base+"/status", url.Values{"action": {"amend"}}), http.StatusSeeOther)
		r2, err := a.db.GetReport(ctx, "JPN", "2026-2027", 0)
		if err != nil || r2.Version != 2 {
			t.Fatalf("amendment %+v, %v", r2, err)
		}
		if _, err := a.db.SaveAnswer(ctx, r2.ID, "IV.a.4", surveys.Value{}, ra.answers(t, 2)["IV.a.4"].Version, models.Actor{Email: "fp"}, nil); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, ra.fp.post(base+"/submit", url.Values{"password": {testPassword}}), http.StatusSeeOther)
		got := withdrawnMail(t, a.db)
		if len(got) != 1 || got[0].To != "sec@un.example" || got[0].Lang != "en" || !strings.Contains(got[0].Body, "Cybercrime law review") {
			t.Fatalf("notices after the submission %+v, want one to the secretariat", got)
		}
		wantBody(t, ra.donor.get(needPath(need)), `class="badge need-discussion"`) // as published, with its proposals

		// Published to donors: the donor is told, in French; the secretariat not again.
		wantStatus(t, ra.fp.post(base+"/status", url.Values{"action": {"publish"}}), http.StatusSeeOther)
		got = withdrawnMail(t, a.db)
		if len(got) != 2 {
			t.Fatalf("%d notices after the publication, want 2", len(got))
		}
		if m := got[0]; m.To != "donor@d.example" || m.Lang != "fr" || !strings.Contains(m.Subject, "a retiré un besoin") ||
			!strings.Contains(m.Body, "Cybercrime law review") {
			t.Errorf("donor's notice %+v", m)
		}
		wantBody(t, ra.donor.get(needPath(need)), `class="badge need-withdrawn"`)
	})
}
