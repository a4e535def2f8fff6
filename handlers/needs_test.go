package handlers

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

const needsCycle = "2026-2027"

// needsApp has one need in a report of each kind of visibility:
//
//	SEN submitted private · CHL submitted restricted (not published) ·
//	BRA published restricted · FJI published donors · EST published public
//
// and the people who read them: Senegal's and Kenya's focal points, a
// Kenyan contributor, the secretariat, a donor of "Cyber Fund", a donor
// without organisation, and anonymous visitors.
type needsApp struct {
	*app
	cycle                                        *models.Cycle
	sen, ken, kenCo, sec, donor, loneDonor, anon *client
	need                                         map[string]int64 // the need of each State
	orgID                                        int64
}

var needsReports = []struct{ iso3, status, vis string }{
	{"SEN", models.StatusSubmitted, models.VisibilityPrivate},
	{"CHL", models.StatusSubmitted, models.VisibilityRestricted},
	{"BRA", models.StatusPublished, models.VisibilityRestricted},
	{"FJI", models.StatusPublished, models.VisibilityDonors},
	{"EST", models.StatusPublished, models.VisibilityPublic},
}

func needText(iso3 string) string { return "Need of " + iso3 }

func newNeedsApp(t *testing.T, a *app) *needsApp {
	t.Helper()
	ctx := context.Background()
	na := &needsApp{app: a, need: map[string]int64{}}
	na.cycle = a.cycle(needsCycle, time.Now().AddDate(0, -1, 0))
	a.user("fp@sn.example", models.RoleFocalPoint, "SEN")
	a.user("fp@ke.example", models.RoleFocalPoint, "KEN")
	a.user("co@ke.example", models.RoleContributor, "KEN")
	a.user("sec@un.example", models.RoleSecretariat, "")
	donor := a.user("donor@fund.example", models.RoleDonor, "")
	a.user("lone@donor.example", models.RoleDonor, "")
	if err := a.db.SetUserOrganisation(ctx, donor.ID, "Cyber Fund", models.Actor{Email: "admin"}); err != nil {
		t.Fatal(err)
	}
	org, err := a.db.UserOrganisation(ctx, donor.ID)
	if err != nil {
		t.Fatal(err)
	}
	na.orgID = org.ID
	for _, r := range append(needsReports, struct{ iso3, status, vis string }{"KEN", models.StatusPublished, models.VisibilityDonors}) {
		na.report(t, r.iso3, r.status, r.vis, map[string]surveys.Value{
			"IV.a.4": {Rows: []map[string]string{{"area": "critical-infrastructure", "norm": "g", "type": "technical-assistance",
				"priority": "high", "description": needText(r.iso3)}}},
		})
	}
	na.sen, na.ken, na.kenCo = a.login("fp@sn.example"), a.login("fp@ke.example"), a.login("co@ke.example")
	na.sec, na.donor, na.loneDonor, na.anon = a.login("sec@un.example"), a.login("donor@fund.example"), a.login("lone@donor.example"), a.anon()
	return na
}

// report writes a report with answers, moves it to status at visibility
// vis and feeds the registers, as submission and publication do.
func (na *needsApp) report(t *testing.T, iso3, status, vis string, answers map[string]surveys.Value) {
	t.Helper()
	ctx := context.Background()
	actor := models.Actor{Email: "fp@" + iso3}
	r := &models.Report{StateISO3: iso3, CycleID: na.cycle.ID, Visibility: vis}
	if err := na.db.CreateReport(ctx, r, actor); err != nil {
		t.Fatal(err)
	}
	for code, v := range answers {
		if _, err := na.db.SaveAnswer(ctx, r.ID, code, v, 0, actor, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := na.db.SetReportStatus(ctx, r.ID, models.StatusDraft, models.StatusSubmitted, actor); err != nil {
		t.Fatal(err)
	}
	if status == models.StatusPublished {
		if err := na.db.SetReportStatus(ctx, r.ID, models.StatusSubmitted, models.StatusPublished, actor); err != nil {
			t.Fatal(err)
		}
	}
	tmpl := builtinTemplates["v1"]
	if _, err := na.db.SyncRegisters(ctx, r.ID, surveys.Needs(tmpl, answers), surveys.Offers(tmpl, answers), actor); err != nil {
		t.Fatal(err)
	}
	ns, err := na.db.ListNeeds(ctx, surveys.Reader{Role: models.RoleFocalPoint, StateISO3: iso3}, models.NeedFilter{StateISO3: iso3})
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) > 0 {
		na.need[iso3] = ns[0].ID
	}
}

// offer records an offer of the donor's organisation.
func (na *needsApp) offer(t *testing.T, orgID int64, areas, types string) int64 {
	t.Helper()
	o := &models.Offer{OrganisationID: orgID, Provider: "Cyber Fund", AreasText: areas, TypesText: types, Regions: "African"}
	if err := na.db.CreateOffer(context.Background(), o, models.Actor{Email: "donor"}); err != nil {
		t.Fatal(err)
	}
	return o.ID
}

// csvRows reads a CSV export: it must start with a byte-order mark.
func csvRows(t *testing.T, body []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(body, []byte("\uFEFF")) {
		t.Fatalf("CSV without byte-order mark: %.40q", body)
	}
	rows, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func xlsxRows(t *testing.T, body []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestNeedsVisibility: every page and export of the register shows a
// reader exactly the needs of the report versions they may read.
func TestNeedsVisibility(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		na := newNeedsApp(t, a)
		all := []string{"SEN", "CHL", "BRA", "FJI", "EST"}
		for _, tt := range []struct {
			who  string
			c    *client
			sees []string
		}{
			{"Senegal (its private report)", na.sen, []string{"SEN", "BRA", "FJI", "EST"}},
			{"another State", na.ken, []string{"BRA", "FJI", "EST"}},
			{"the secretariat", na.sec, []string{"CHL", "BRA", "FJI", "EST"}},
			{"a donor", na.donor, []string{"FJI", "EST"}},
			{"the public", na.anon, []string{"EST"}},
		} {
			t.Run(tt.who, func(t *testing.T) {
				list := tt.c.get("/needs")
				wantStatus(t, list, http.StatusOK)
				csvBody := tt.c.get("/needs.csv")
				wantStatus(t, csvBody, http.StatusOK)
				if ct := csvBody.Header().Get("Content-Type"); ct != csvType {
					t.Errorf("CSV content type %q", ct)
				}
				xlsx := tt.c.get("/needs.xlsx")
				wantStatus(t, xlsx, http.StatusOK)
				csvText := csvBody.Body.String()
				xlsxText := ""
				for _, r := range xlsxRows(t, xlsx.Body.Bytes()) {
					xlsxText += strings.Join(r, "|") + "\n"
				}
				for _, iso3 := range all {
					want := slices.Contains(tt.sees, iso3)
					for name, body := range map[string]string{"list": list.Body.String(), "CSV": csvText, "XLSX": xlsxText} {
						if got := strings.Contains(body, needText(iso3)); got != want {
							t.Errorf("%s shows the need of %s: %v, want %v", name, iso3, got, want)
						}
					}
					page := tt.c.get(needPath(na.need[iso3]))
					if want {
						wantStatus(t, page, http.StatusOK)
						wantBody(t, page, needText(iso3))
					} else {
						wantStatus(t, page, http.StatusNotFound)
						noBody(t, page, needText(iso3))
					}
				}
				// Kenya's own need (published for donors) counts for everyone but the public.
				want := len(tt.sees) + 1
				if tt.c == na.anon {
					want = len(tt.sees)
				}
				if n := len(csvRows(t, csvBody.Body.Bytes())) - 1; n != want {
					t.Errorf("CSV has %d needs, want %d", n, want)
				}
				if n := len(xlsxRows(t, xlsx.Body.Bytes())) - 1; n != want {
					t.Errorf("XLSX has %d needs, want %d", n, want)
				}
			})
		}
		// The history of a public need does not show who made each change.
		w := na.anon.get(needPath(na.need["EST"]))
		wantBody(t, w, "from report version 1")
		noBody(t, w, "fp@EST")
		wantBody(t, na.sec.get(needPath(na.need["EST"])), "fp@EST")
		wantStatus(t, na.anon.get("/needs/abc"), http.StatusNotFound)
		wantStatus(t, na.anon.get("/needs/999999"), http.StatusNotFound)
	})
}

// TestNeedsFilters: the filters are a plain GET form kept in the URL.
func TestNeedsFilters(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		na := newNeedsApp(t, a)
		w := na.sec.get("/needs?group=" + url.QueryEscape("Latin American and Caribbean") + "&priority=high&norm=g")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, needText("BRA"), needText("CHL"), `<option value="high" selected>`, `<option value="g" selected>`)
		noBody(t, w, needText("FJI"), needText("EST"), needText("KEN"))
		wantBody(t, w, `href="/needs.csv?group=Latin+American+and+Caribbean&amp;norm=g&amp;priority=high"`)

		w = na.sec.get("/needs?state=fji")
		wantBody(t, w, needText("FJI"))
		noBody(t, w, needText("BRA"))
		rows := csvRows(t, na.sec.get("/needs.csv?state=FJI").Body.Bytes())
		if len(rows) != 2 || rows[1][2] != "FJI" {
			t.Errorf("CSV of FJI = %q", rows)
		}
		w = na.sec.get("/needs?status=completed&cycle=" + needsCycle)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "No need matches these filters.")
		noBody(t, w, needText("BRA"))
		for _, bad := range []string{"?norm=z", "?status=done", "?priority=urgent", "?cycle=next", "?group=Europe", "?area=space"} {
			wantStatus(t, na.sec.get("/needs"+bad), http.StatusBadRequest)
			wantStatus(t, na.sec.get("/needs.csv"+bad), http.StatusBadRequest)
		}
	})
}

// TestNeedStatusByTheState: the State's focal point, or the secretariat on
// its behalf, moves a need; everyone else is refused.
func TestNeedStatusByTheState(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		na := newNeedsApp(t, a)
		p := needPath(na.need["KEN"])
		move := func(c *client, from, to string) int {
			return c.post(p+"/status", url.Values{"from": {from}, "to": {to}, "note": {"by " + to}}).Code
		}
		// In order: each step sees the need as the steps before left it.
		for _, st := range []struct {
			who      string
			c        *client
			from, to string
			want     int
		}{
			{"another State's focal point", na.sen, "open", "withdrawn", http.StatusForbidden},
			{"the State's contributor", na.kenCo, "open", "withdrawn", http.StatusForbidden},
			{"a donor", na.donor, "open", "withdrawn", http.StatusForbidden},
			{"anonymous", na.anon, "open", "withdrawn", http.StatusUnauthorized},
			{"an unknown status", na.ken, "open", "completed-not", http.StatusUnprocessableEntity},
			{"the State", na.ken, "open", "in-progress", http.StatusSeeOther},
			{"a stale status", na.ken, "open", "completed", http.StatusConflict},
			{"the secretariat on the State's behalf", na.sec, "in-progress", "completed", http.StatusSeeOther},
		} {
			if got := move(st.c, st.from, st.to); got != st.want {
				t.Errorf("%s moves %s → %s: %d, want %d", st.who, st.from, st.to, got, st.want)
			}
		}
		w := na.ken.get(p)
		wantBody(t, w, "by in-progress", "by completed", "sec@un.example", "fp@ke.example")
		// A completed need stays completed.
		if got := move(na.sec, "completed", "withdrawn"); got != http.StatusUnprocessableEntity {
			t.Errorf("completed need: %d, want 422", got)
		}
		// The secretariat may not act on what it may not read.
		if got := na.sec.post(needPath(na.need["SEN"])+"/status", url.Values{"from": {"open"}, "to": {"withdrawn"}}).Code; got != http.StatusNotFound {
			t.Errorf("secretariat on a private need: %d, want 404", got)
		}

		// Edit: bad input comes back with the form as typed.
		w = na.ken.post(p+"/edit", url.Values{"type": {"=evil"}, "priority": {"low"}, "description": {"Kept as typed"}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, "Kept as typed", `aria-invalid="true"`)
		wantStatus(t, na.ken.post(p+"/edit", url.Values{"type": {"training"}, "priority": {"low"}, "description": {"Sharper need"}}), http.StatusSeeOther)
		wantBody(t, na.ken.get(p), "Sharper need")
		audit, err := na.db.ListAuditAll(context.Background(), 0)
		if err != nil {
			t.Fatal(err)
		}
		var statuses, edits int
		for _, e := range audit {
			switch e.Action {
			case models.ActionNeedStatus:
				statuses++
			case models.ActionNeedEdit:
				edits++
			}
		}
		if statuses != 2 || edits != 1 {
			t.Errorf("audit: %d status changes and %d edits, want 2 and 1", statuses, edits)
		}
	})
}

// TestMatchProposeAndDecide: a donor proposes its organisation's offer;
// only the focal point of the State that has the need decides.
func TestMatchProposeAndDecide(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		na := newNeedsApp(t, a)
		ctx := context.Background()
		offer := na.offer(t, na.orgID, "critical-infrastructure", "technical-assistance")
		other, err := na.db.EnsureOrganisation(ctx, "Other Fund")
		if err != nil {
			t.Fatal(err)
		}
		otherOffer := na.offer(t, other.ID, "critical-infrastructure", "training")
		need := na.need["KEN"]

		// The suggestion shows on the need's page for the donor, with why.
		w := na.donor.get(needPath(need))
		wantBody(t, w, "same area", "serves the norm", "same type of assistance", "serves the region", `name="offer_id" value="`+itoa(offer)+`"`)
		noBody(t, w, `name="offer_id" value="`+itoa(otherOffer)+`"`)

		propose := func(c *client, needID, offerID int64) int {
			return c.post("/matches", url.Values{"need_id": {itoa(needID)}, "offer_id": {itoa(offerID)}, "message": {"We can help"}}).Code
		}
		if got := propose(na.loneDonor, need, offer); got != http.StatusForbidden {
			t.Errorf("donor without organisation: %d, want 403", got)
		}
		if got := propose(na.donor, need, otherOffer); got != http.StatusForbidden {
			t.Errorf("another organisation's offer: %d, want 403", got)
		}
		if got := propose(na.ken, need, offer); got != http.StatusForbidden {
			t.Errorf("a focal point: %d, want 403", got)
		}
		if got := propose(na.donor, na.need["BRA"], offer); got != http.StatusNotFound {
			t.Errorf("a need the donor may not read: %d, want 404", got)
		}
		if got := propose(na.donor, need, offer); got != http.StatusSeeOther {
			t.Fatalf("donor proposes: %d, want 303", got)
		}
		if got := propose(na.donor, need, offer); got != http.StatusConflict {
			t.Errorf("the same proposal again: %d, want 409", got)
		}
		if got := propose(na.sec, need, otherOffer); got != http.StatusSeeOther {
			t.Fatalf("secretariat proposes: %d, want 303", got)
		}
		ms, err := na.db.ListMatches(ctx, models.MatchReader{Reader: surveys.Reader{Role: models.RoleSecretariat}}, models.MatchFilter{NeedID: need})
		if err != nil || len(ms) != 2 {
			t.Fatalf("matches %v, %v", ms, err)
		}
		byOffer := map[int64]int64{}
		for _, m := range ms {
			byOffer[m.OfferID] = m.ID
		}
		mine, theirs := byOffer[offer], byOffer[otherOffer]

		// The donor sees its own proposal, not the other organisation's.
		d := na.donor.get("/donor")
		wantStatus(t, d, http.StatusOK)
		wantBody(t, d, "Cyber Fund", `id="match-`+itoa(mine)+`"`, needText("FJI"))
		noBody(t, d, `id="match-`+itoa(theirs)+`"`, needText("BRA"))
		wantStatus(t, na.ken.get("/donor"), http.StatusForbidden)

		// The State sees both, pending, on its needs page.
		wantBody(t, na.ken.get("/needs"), `id="match-`+itoa(mine)+`"`, `id="match-`+itoa(theirs)+`"`, `value="accept"`)

		decide := func(c *client, id int64, decision string) int {
			return c.post("/matches/"+itoa(id)+"/decide", url.Values{"decision": {decision}, "note": {"thanks"}}).Code
		}
		// In order: only Kenya's focal point decides, once.
		for _, st := range []struct {
			who      string
			c        *client
			match    int64
			decision string
			want     int
		}{
			{"another State's focal point", na.sen, mine, "accept", http.StatusNotFound},
			{"the State's contributor", na.kenCo, mine, "accept", http.StatusForbidden},
			{"the proposing donor", na.donor, mine, "accept", http.StatusForbidden},
			{"the secretariat", na.sec, mine, "accept", http.StatusForbidden},
			{"the State, without a decision", na.ken, mine, "maybe", http.StatusBadRequest},
			{"the State", na.ken, theirs, "decline", http.StatusSeeOther},
			{"the State", na.ken, mine, "accept", http.StatusSeeOther},
			{"the State, again", na.ken, mine, "decline", http.StatusConflict},
		} {
			if got := decide(st.c, st.match, st.decision); got != st.want {
				t.Errorf("%s: %s match %d: %d, want %d", st.who, st.decision, st.match, got, st.want)
			}
		}
		// Each proposer got the State's decision, queued with it (issue 12).
		checkMatchNotices(t, na.db, map[string]string{"declined": "sec", "accepted": "donor"})
		n, err := na.db.GetNeed(ctx, surveys.Reader{Role: models.RoleSecretariat}, need)
		if err != nil || n.Status != surveys.NeedMatched {
			t.Errorf("need after acceptance: %+v, %v", n, err)
		}
		// Both sides see status and history.
		wantBody(t, na.donor.get(needPath(need)), "Accepted", "thanks")
		wantBody(t, na.ken.get(needPath(need)), "Accepted", "Declined")

		// The matches export: the donor's organisation only.
		rows := csvRows(t, na.donor.get("/matches.csv").Body.Bytes())
		if len(rows) != 2 || rows[1][0] != itoa(mine) || rows[1][8] != "Accepted" || rows[1][12] != surveys.MatchAccepted {
			t.Errorf("donor's matches CSV = %q", rows)
		}
		if rows := csvRows(t, na.sec.get("/matches.csv").Body.Bytes()); len(rows) != 3 {
			t.Errorf("secretariat's matches CSV has %d rows, want 3", len(rows))
		}
		if rows := csvRows(t, na.sen.get("/matches.csv").Body.Bytes()); len(rows) != 1 {
			t.Errorf("another State's matches CSV has %d rows, want the header only", len(rows))
		}
		wantStatus(t, na.anon.get("/matches.csv"), http.StatusSeeOther)
	})
}

// TestOffers: donors record offers; report offers are read as their report.
func TestOffers(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		na := newNeedsApp(t, a)
		na.report(t, "DEU", models.StatusPublished, models.VisibilityRestricted, map[string]surveys.Value{
			"IV.b.1": {Status: "yes"},
			"IV.b.2": {Rows: []map[string]string{{"area": "international-law", "type": "training", "regions": "Global", "description": "Offer of DEU"}}},
		})
		na.report(t, "JPN", models.StatusPublished, models.VisibilityDonors, map[string]surveys.Value{
			"IV.b.1": {Status: "yes"},
			"IV.b.2": {Rows: []map[string]string{{"area": "incident-response", "type": "training", "regions": "Asia", "description": "Offer of JPN"}}},
		})
		wantStatus(t, na.anon.get("/offers"), http.StatusSeeOther)
		wantStatus(t, na.anon.get("/offers-new"), http.StatusSeeOther)
		wantStatus(t, na.loneDonor.get("/offers-new"), http.StatusForbidden)
		wantStatus(t, na.ken.get("/offers-new"), http.StatusForbidden)

		w := na.donor.get("/offers-new")
		wantStatus(t, w, http.StatusOK)
		w = na.donor.post("/offers-new", url.Values{"provider": {"Cyber Fund"}, "areas": {"space"}, "contact": {"kept@fund.example"}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, "kept@fund.example", `aria-invalid="true"`)
		w = na.donor.post("/offers-new", url.Values{"provider": {"Cyber Fund"}, "areas": {"critical-infrastructure", "incident-response"},
			"types": {"technical-assistance"}, "regions": {"African"}, "states": {"fji, ken"}, "modality": {"bilateral"},
			"period": {"2026-2028"}, "contact": {"=cmd|' /C calc'!A0"}, "description": {"Offer of Cyber Fund"}})
		wantStatus(t, w, http.StatusSeeOther)

		for _, tt := range []struct {
			who       string
			c         *client
			providers []string // in the list
			sees      []string // descriptions in the exports
		}{
			{"a donor", na.donor, []string{"Cyber Fund", "Japan"}, []string{"Offer of Cyber Fund", "Offer of JPN"}},
			{"another State", na.ken, []string{"Cyber Fund", "Germany", "Japan"}, []string{"Offer of Cyber Fund", "Offer of DEU", "Offer of JPN"}},
			{"the secretariat", na.sec, []string{"Cyber Fund", "Germany", "Japan"}, []string{"Offer of Cyber Fund", "Offer of DEU", "Offer of JPN"}},
		} {
			t.Run(tt.who, func(t *testing.T) {
				list := tt.c.get("/offers").Body.String()
				csvText := tt.c.get("/offers.csv").Body.String()
				xlsx := xlsxRows(t, tt.c.get("/offers.xlsx").Body.Bytes())
				if len(xlsx) != len(tt.sees)+1 {
					t.Errorf("XLSX has %d rows, want %d", len(xlsx), len(tt.sees)+1)
				}
				for _, p := range []string{"Cyber Fund", "Germany", "Japan"} {
					if got, want := strings.Contains(list, ">"+p+"<"), slices.Contains(tt.providers, p); got != want {
						t.Errorf("list shows %s: %v, want %v", p, got, want)
					}
				}
				for _, s := range []string{"Offer of Cyber Fund", "Offer of DEU", "Offer of JPN"} {
					if got, want := strings.Contains(csvText, s), slices.Contains(tt.sees, s); got != want {
						t.Errorf("CSV shows %q: %v, want %v", s, got, want)
					}
				}
				// Formula injection is neutralised in both formats.
				if !strings.Contains(csvText, `'=cmd|`) {
					t.Errorf("CSV does not neutralise the contact: %s", csvText)
				}
				found := false
				for _, r := range xlsx {
					for _, cell := range r {
						if strings.HasPrefix(cell, "=") {
							t.Errorf("XLSX cell %q starts with =", cell)
						}
						found = found || strings.HasPrefix(cell, "'=cmd")
					}
				}
				if !found {
					t.Errorf("XLSX lacks the neutralised contact")
				}
			})
		}
		// The donor's page suggests its offer for Kenya's need, which shares its area.
		d := na.donor.get("/donor")
		wantStatus(t, d, http.StatusOK)
		wantBody(t, d, needText("KEN"), "Kenya: "+needText("KEN"), "same area")
	})
}

// TestNeedsSyncOnSubmit: submitting a report through the site fills the
// register from its needs rows and "assistance needed" marks; publishing
// makes them readable further.
func TestNeedsSyncOnSubmit(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		ra := newReportApp(t, a)
		ra.start(t)
		r, err := a.db.GetReport(context.Background(), "JPN", "2026-2027", 0)
		if err != nil {
			t.Fatal(err)
		}
		for code, v := range map[string]surveys.Value{
			"II.g.1": {Status: "partly", AssistanceNeeded: true, AssistanceText: "Sector risk methods", AssistanceType: "training", AssistancePriority: "medium"},
			"IV.a.4": {Rows: []map[string]string{{"area": "cybercrime", "type": "legal-drafting", "priority": "high", "description": "Cybercrime law review"}}},
		} {
			if _, err := a.db.SaveAnswer(context.Background(), r.ID, code, v, 0, models.Actor{Email: "fp"}, nil); err != nil {
				t.Fatal(err)
			}
		}
		wantStatus(t, ra.fp.post(base+"/submit", url.Values{"password": {testPassword}}), http.StatusSeeOther)
		w := ra.sec.get("/needs?state=JPN")
		wantBody(t, w, "Sector risk methods", "Cybercrime law review")
		noBody(t, ra.donor.get("/needs"), "Sector risk methods")
		wantBody(t, ra.sec.get("/needs?state=JPN&type=training&priority=medium&area=critical-infrastructure"), "Sector risk methods")
		noBody(t, ra.sec.get("/needs?state=JPN&type=training"), "Cybercrime law review")

		wantStatus(t, ra.fp.post(base+"/visibility", url.Values{"visibility": {"donors"}}), http.StatusSeeOther)
		wantStatus(t, ra.fp.post(base+"/status", url.Values{"action": {"publish"}}), http.StatusSeeOther)
		wantBody(t, ra.donor.get("/needs"), "Sector risk methods", "Cybercrime law review")
		noBody(t, ra.anon.get("/needs"), "Sector risk methods")
	})
}

// TestOrganisations: the admin puts donor accounts in organisations.
func TestOrganisations(t *testing.T) {
	a := newApp(t)
	a.user("admin@un.example", models.RoleAdmin, "")
	d := a.user("d@fund.example", models.RoleDonor, "")
	fp := a.user("fp@ke.example", models.RoleFocalPoint, "KEN")
	admin := a.login("admin@un.example")
	wantBody(t, admin.get("/admin/organisations"), "d@fund.example")
	wantStatus(t, admin.post("/admin/users/"+itoa(d.ID)+"/organisation", url.Values{"organisation": {"Cyber Fund"}}), http.StatusSeeOther)
	wantStatus(t, admin.post("/admin/users/"+itoa(fp.ID)+"/organisation", url.Values{"organisation": {"Cyber Fund"}}), http.StatusBadRequest)
	wantStatus(t, admin.post("/admin/users/"+itoa(d.ID)+"/organisation", url.Values{"organisation": {strings.Repeat("x", 201)}}), http.StatusUnprocessableEntity)
	org, err := a.db.UserOrganisation(context.Background(), d.ID)
	if err != nil || org.Name != "Cyber Fund" {
		t.Errorf("organisation = %+v, %v", org, err)
	}
	wantStatus(t, a.login("d@fund.example").get("/admin/organisations"), http.StatusForbidden)
}

// TestNeedsCarryForward: the focal point carries the State's open needs of
// an earlier cycle into the open one, then confirms them.
func TestNeedsCarryForward(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		na := newNeedsApp(t, a)
		ctx := context.Background()
		prev := a.cycle("2024-2025", time.Now().AddDate(-2, 0, 0))
		actor := models.Actor{Email: "fp@ke.example"}
		r := &models.Report{StateISO3: "KEN", CycleID: prev.ID}
		if err := a.db.CreateReport(ctx, r, actor); err != nil {
			t.Fatal(err)
		}
		if err := a.db.SetReportStatus(ctx, r.ID, models.StatusDraft, models.StatusSubmitted, actor); err != nil {
			t.Fatal(err)
		}
		if _, err := a.db.SyncRegisters(ctx, r.ID, []surveys.Need{{Code: "IV.a.4", Row: 0, Area: "cybercrime", Description: "Old need of KEN"}}, nil, actor); err != nil {
			t.Fatal(err)
		}
		w := na.ken.get("/needs")
		wantBody(t, w, "1 needs of your State from earlier cycles are still open", `action="/needs/carry"`)
		noBody(t, na.sen.get("/needs"), `action="/needs/carry"`)
		wantStatus(t, na.sec.post("/needs/carry", url.Values{"cycle": {needsCycle}}), http.StatusForbidden)
		wantStatus(t, na.ken.post("/needs/carry", url.Values{"cycle": {"2024-2025"}}), http.StatusConflict)
		wantStatus(t, na.ken.post("/needs/carry", url.Values{"cycle": {needsCycle}}), http.StatusSeeOther)
		w = na.ken.get("/needs?state=KEN&cycle=" + needsCycle)
		wantBody(t, w, "Old need of KEN", "carried forward, to be confirmed")
		noBody(t, w, `action="/needs/carry"`)
		ns, err := a.db.ListNeeds(ctx, surveys.Reader{Role: models.RoleFocalPoint, StateISO3: "KEN"}, models.NeedFilter{Cycle: needsCycle, Area: "cybercrime"})
		if err != nil || len(ns) != 1 {
			t.Fatalf("carried needs %+v, %v", ns, err)
		}
		wantBody(t, na.ken.get(needPath(ns[0].ID)), "Confirm the need", "carried forward from 2024-2025, to be confirmed")
		wantStatus(t, na.ken.post(needPath(ns[0].ID)+"/edit", url.Values{"type": {"training"}, "priority": {"high"}, "description": {"Old need of KEN"}}), http.StatusSeeOther)
		w = na.ken.get(needPath(ns[0].ID))
		wantBody(t, w, "edited by the State")
		noBody(t, w, "Confirm the need")
		// The old need says where it went.
		wantBody(t, na.ken.get("/needs?state=KEN&cycle=2024-2025"), "carried forward to "+needsCycle)
	})
}

// TestNeedsPages: the list shows a hundred needs a page, with links that
// keep the filters; the export holds them all.
func TestNeedsPages(t *testing.T) {
	a := newApp(t)
	na := newNeedsApp(t, a)
	var rows []map[string]string
	for i := range 150 {
		rows = append(rows, map[string]string{"area": "cybercrime", "type": "training", "description": "Need number " + strconv.Itoa(i)})
	}
	na.report(t, "DEU", models.StatusPublished, models.VisibilityPublic, map[string]surveys.Value{"IV.a.4": {Rows: rows}})
	w := na.anon.get("/needs?state=DEU&type=training")
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, "Page 1 of 2", `href="/needs?state=DEU&amp;type=training&amp;page=2" rel="next"`, "Needs you may read (150)", ">Need number 99<")
	noBody(t, w, ">Need number 100<", `rel="prev"`)
	w = na.anon.get("/needs?state=DEU&type=training&page=2")
	wantBody(t, w, "Page 2 of 2", ">Need number 149<", `rel="prev"`)
	noBody(t, w, ">Need number 99<", `rel="next"`)
	wantStatus(t, na.anon.get("/needs?state=DEU&page=3"), http.StatusNotFound)
	wantStatus(t, na.anon.get("/needs?page=0"), http.StatusBadRequest)
	wantStatus(t, na.anon.get("/needs?page=x"), http.StatusBadRequest)
	if n := len(csvRows(t, na.anon.get("/needs.csv?state=DEU").Body.Bytes())) - 1; n != 150 {
		t.Errorf("CSV has %d needs, want 150", n)
	}
	noBody(t, na.anon.get("/needs?state=EST"), "Page 1 of", `class="pager"`)
}
