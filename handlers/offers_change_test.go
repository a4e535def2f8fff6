package handlers

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// TestOfferChange: a donor edits and withdraws its organisation's offer;
// another organisation's donor, a State and a report's offer may not.
func TestOfferChange(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		na := newNeedsApp(t, a)
		ctx := context.Background()
		na.report(t, "JPN", models.StatusPublished, models.VisibilityDonors, map[string]surveys.Value{
			"IV.b.1": {Status: "yes"},
			"IV.b.2": {Rows: []map[string]string{{"area": "incident-response", "type": "training", "regions": "Asia", "description": "Offer of JPN"}}},
		})
		rival := a.user("rival@other.example", models.RoleDonor, "")
		if err := a.db.SetUserOrganisation(ctx, rival.ID, "Other Fund", models.Actor{Email: "admin"}); err != nil {
			t.Fatal(err)
		}
		rivalC := a.login("rival@other.example")
		offer := na.offer(t, na.orgID, "critical-infrastructure", "technical-assistance")
		path := "/offers/" + itoa(offer)
		var jpnOffer int64
		all, err := a.db.ListOffers(ctx, surveys.Reader{Role: models.RoleSecretariat}, models.OfferFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range all {
			if o.StateISO3 == "JPN" {
				jpnOffer = o.ID
			}
		}
		edit := url.Values{"provider": {"Cyber Fund"}, "areas": {"critical-infrastructure"}, "types": {"training"},
			"regions": {"African", "Asia-Pacific"}, "contact": {"desk@fund.example"}}

		w := na.donor.get(path)
		wantBody(t, w, `href="`+path+`/edit"`, `action="`+path+`/withdraw"`)
		noBody(t, rivalC.get(path), `href="`+path+`/edit"`)
		w = na.donor.get(path + "/edit")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, `action="`+path+`/edit"`, `value="technical-assistance" checked`, `value="African" checked`)

		for _, tt := range []struct {
			who  string
			c    *client
			path string
			want int
		}{
			{"anonymous", na.anon, path + "/edit", http.StatusUnauthorized},
			{"a focal point", na.ken, path + "/edit", http.StatusForbidden},
			{"a donor without organisation", na.loneDonor, path + "/edit", http.StatusForbidden},
			{"another organisation's donor", rivalC, path + "/edit", http.StatusForbidden},
			{"another organisation's donor", rivalC, path + "/withdraw", http.StatusForbidden},
			{"the donor, a report's offer", na.donor, "/offers/" + itoa(jpnOffer) + "/edit", http.StatusForbidden},
			{"the secretariat, a report's offer", na.sec, "/offers/" + itoa(jpnOffer) + "/withdraw", http.StatusForbidden},
			{"the donor, no such offer", na.donor, "/offers/999999/edit", http.StatusNotFound},
			{"the donor, a bad id", na.donor, "/offers/x/withdraw", http.StatusNotFound},
		} {
			if got := tt.c.post(tt.path, edit).Code; got != tt.want {
				t.Errorf("%s posts %s: %d, want %d", tt.who, tt.path, got, tt.want)
			}
		}
		if o, _ := a.db.GetOffer(ctx, surveys.Reader{Role: models.RoleSecretariat}, offer); o.Contact != "" || !o.Active {
			t.Fatalf("offer changed by those who may not: %+v", o)
		}

		// Bad input comes back with what was typed.
		bad := url.Values{"provider": {"Cyber Fund"}, "areas": {"space"}, "contact": {"kept@fund.example"}}
		w = na.donor.post(path+"/edit", bad)
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, "kept@fund.example", `aria-invalid="true"`)

		wantStatus(t, na.donor.post(path+"/edit", edit), http.StatusSeeOther)
		edit.Set("period", "2027")
		wantStatus(t, na.sec.post(path+"/edit", edit), http.StatusSeeOther)
		o, err := a.db.GetOffer(ctx, surveys.Reader{Role: models.RoleSecretariat}, offer)
		if err != nil || o.TypesText != "training" || o.Regions != "African; Asia-Pacific" || o.Contact != "desk@fund.example" ||
			o.Period != "2027" || o.OrganisationID != na.orgID {
			t.Fatalf("edited offer = %+v, %v", o, err)
		}

		// Withdrawn with its pending proposal; the State sees it withdrawn.
		if got := na.donor.post("/matches", url.Values{"need_id": {itoa(na.need["KEN"])}, "offer_id": {itoa(offer)}}).Code; got != http.StatusSeeOther {
			t.Fatalf("proposal: %d", got)
		}
		wantStatus(t, na.donor.post(path+"/withdraw", url.Values{"note": {"Budget spent"}}), http.StatusSeeOther)
		wantStatus(t, na.donor.post(path+"/withdraw", nil), http.StatusConflict)
		wantStatus(t, na.donor.post(path+"/edit", edit), http.StatusConflict)
		w = na.donor.get(path)
		wantBody(t, w, "Withdrawn", "Budget spent", "offer edited", "donor@fund.example")
		noBody(t, w, `action="`+path+`/withdraw"`)
		noBody(t, rivalC.get(path), "donor@fund.example") // who changed an offer is for its organisation and the secretariat
		wantBody(t, na.ken.get(needPath(na.need["KEN"])), "Withdrawn", "proposal withdrawn: Cyber Fund")
		if n, _ := a.db.GetNeed(ctx, surveys.Reader{Role: models.RoleSecretariat}, na.need["KEN"]); n.Status != surveys.NeedOpen {
			t.Errorf("need after its only proposal was withdrawn: %s", n.Status)
		}
	})
}

// TestMatchWithdraw: the proposer, or the secretariat, withdraws a
// proposal still pending; the State no longer has it to decide.
func TestMatchWithdraw(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		na := newNeedsApp(t, a)
		ctx := context.Background()
		offer := na.offer(t, na.orgID, "critical-infrastructure", "technical-assistance")
		offer2 := na.offer(t, na.orgID, "critical-infrastructure", "training")
		need := na.need["KEN"]
		for _, o := range []int64{offer, offer2} {
			if got := na.donor.post("/matches", url.Values{"need_id": {itoa(need)}, "offer_id": {itoa(o)}}).Code; got != http.StatusSeeOther {
				t.Fatalf("proposal: %d", got)
			}
		}
		ms, err := a.db.ListMatches(ctx, models.MatchReader{Reader: surveys.Reader{Role: models.RoleSecretariat}}, models.MatchFilter{NeedID: need})
		if err != nil || len(ms) != 2 {
			t.Fatalf("matches %v, %v", ms, err)
		}
		first, second := ms[1].ID, ms[0].ID
		if ms[0].OfferID == offer {
			first, second = second, first
		}
		wantBody(t, na.donor.get(needPath(need)), `action="/matches/`+itoa(first)+`/withdraw"`)
		noBody(t, na.ken.get(needPath(need)), `/withdraw"`)

		withdraw := func(c *client, id int64) int {
			return c.post("/matches/"+itoa(id)+"/withdraw", url.Values{"note": {"Sent too soon"}}).Code
		}
		for _, st := range []struct {
			who   string
			c     *client
			match int64
			want  int
		}{
			{"anonymous", na.anon, first, http.StatusUnauthorized},
			{"the State", na.ken, first, http.StatusForbidden},
			{"another donor", na.loneDonor, first, http.StatusNotFound},
			{"no such proposal", na.donor, 999999, http.StatusNotFound},
			{"the proposer", na.donor, first, http.StatusSeeOther},
			{"the proposer, again", na.donor, first, http.StatusConflict},
			{"the secretariat", na.sec, second, http.StatusSeeOther},
		} {
			if got := withdraw(st.c, st.match); got != st.want {
				t.Errorf("%s withdraws match %d: %d, want %d", st.who, st.match, got, st.want)
			}
		}
		w := na.ken.get(needPath(need))
		wantBody(t, w, `id="match-`+itoa(first)+`"`, "Withdrawn", "Sent too soon")
		noBody(t, w, `value="accept"`)
		if got := na.ken.post("/matches/"+itoa(first)+"/decide", url.Values{"decision": {"accept"}}).Code; got != http.StatusConflict {
			t.Errorf("deciding a withdrawn proposal: %d, want 409", got)
		}
		if n, _ := a.db.GetNeed(ctx, surveys.Reader{Role: models.RoleSecretariat}, need); n.Status != surveys.NeedOpen {
			t.Errorf("need after both proposals were withdrawn: %s", n.Status)
		}
	})
}

// TestOffersPages: a hundred offers a page, links keep the filters.
func TestOffersPages(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		na := newNeedsApp(t, a)
		for range needsPerPage + 1 {
			na.offer(t, na.orgID, "critical-infrastructure", "training")
		}
		w := na.donor.get("/offers?area=critical-infrastructure")
		wantStatus(t, w, http.StatusOK)
		if got := strings.Count(w.Body.String(), `id="offer-`); got != needsPerPage {
			t.Errorf("page 1 lists %d offers, want %d", got, needsPerPage)
		}
		wantBody(t, w, `href="/offers?area=critical-infrastructure&amp;page=2"`, "(101)")
		w = na.donor.get("/offers?area=critical-infrastructure&page=2")
		if got := strings.Count(w.Body.String(), `id="offer-`); got != 1 {
			t.Errorf("page 2 lists %d offers, want 1", got)
		}
		wantBody(t, w, `href="/offers?area=critical-infrastructure&amp;page=1"`)
		wantStatus(t, na.donor.get("/offers?page=3"), http.StatusNotFound)
		wantStatus(t, na.donor.get("/offers?page=x"), http.StatusBadRequest)
		if rows := csvRows(t, na.donor.get("/offers.csv").Body.Bytes()); len(rows) != needsPerPage+2 {
			t.Errorf("the export has %d rows, want all %d and the header", len(rows), needsPerPage+1)
		}
	})
}

// TestExportLabels: exports word areas, types, priorities, statuses and
// groups in the requester's language, and keep the stored codes in
// columns of their own.
func TestExportLabels(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		na := newNeedsApp(t, a)
		na.offer(t, na.orgID, "critical-infrastructure", "training")
		rows := csvRows(t, na.sec.get("/needs.csv?state=KEN&lang=fr").Body.Bytes())
		if len(rows) != 2 {
			t.Fatalf("needs CSV = %q", rows)
		}
		col := func(header []string, name string) int {
			t.Helper()
			i := slices.Index(header, name)
			if i < 0 {
				t.Fatalf("no column %q in %q", name, header)
			}
			return i
		}
		h, r := rows[0], rows[1]
		for name, want := range map[string]string{
			"Domaine": "Protection des infrastructures critiques", "Type d'assistance": "Assistance technique",
			"Priorité": "Haute", "Statut": "Ouvert", "Groupe régional": "Groupe des États d'Afrique",
			"Domaine (code)": "critical-infrastructure", "Type d'assistance (code)": "technical-assistance",
			"Priorité (code)": "high", "Statut (code)": surveys.NeedOpen,
		} {
			if got := r[col(h, name)]; got != want {
				t.Errorf("needs CSV in French, %s = %q, want %q", name, got, want)
			}
		}
		x := xlsxRows(t, na.donor.get("/offers.xlsx?lang=ru").Body.Bytes())
		if len(x) != 2 || !slices.Contains(x[1], "Защита критической инфраструктуры") || !slices.Contains(x[1], "Обучение") ||
			!slices.Contains(x[1], "critical-infrastructure") || !slices.Contains(x[1], "training") {
			t.Errorf("offers XLSX in Russian = %q", x)
		}
	})
}

// TestNeedsAfterAmendment: Estonia's published need stays on the public
// register as published while its amendment waits for publication.
func TestNeedsAfterAmendment(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		na := newNeedsApp(t, a)
		offer := na.offer(t, na.orgID, "critical-infrastructure", "technical-assistance")
		if got := na.donor.post("/matches", url.Values{"need_id": {itoa(na.need["EST"])}, "offer_id": {itoa(offer)}}).Code; got != http.StatusSeeOther {
			t.Fatalf("proposal: %d", got)
		}
		na.amend(t, "EST", map[string]surveys.Value{"IV.a.4": {Rows: []map[string]string{{"area": "critical-infrastructure", "norm": "g",
			"type": "technical-assistance", "priority": "high", "description": "Amended need of EST"}}}})
		need := needPath(na.need["EST"])
		for _, c := range []*client{na.anon, na.donor} {
			wantBody(t, c.get("/needs?state=EST"), needText("EST"))
			noBody(t, c.get("/needs?state=EST"), "Amended need of EST")
			wantBody(t, c.get(need), needText("EST"))
			noBody(t, c.get(need), "Amended need of EST")
		}
		wantBody(t, na.sec.get(need), "Amended need of EST")
		// The donor's proposal stays in sight, on the need as published.
		d := na.donor.get("/donor")
		wantBody(t, d, `id="match-`, needText("EST"))
		noBody(t, d, "Amended need of EST")
		rows := csvRows(t, na.donor.get("/matches.csv").Body.Bytes())
		if len(rows) != 2 || rows[1][5] != needText("EST") {
			t.Errorf("donor's matches CSV = %q", rows)
		}
	})
}
