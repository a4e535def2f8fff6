package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/notify"
	"github.com/natreport/natreport/surveys"
)

// hostileValues are what an attacker types into every field.
var hostileValues = []string{
	"nul\x00byte",
	"bad\xff\xfeutf8",
	"bell\x07esc\x1b[2J",
	"\u202eevil\u202c override",
	"<script>alert('xss')</script>",
	`"><img src=x onerror=alert(1)>`,
	"'; DROP TABLE answers; --",
	"1e400",
	"-99999999999999999999999999999",
	strings.Repeat("x", 100000),
}

// hostileFixture is natreport with a record of every kind a POST route
// acts on, in a state where the route really processes its form: State A
// (JPN) with a draft report, a directory entry and a ping round; Kenya
// with a submitted report published to donors and its need; a donor
// organisation with an offer; a spare user for the admin's user forms.
// Routes that use a record up (withdraw, decide, revoke, submit...) get a
// fresh one for each request from their spec's prep.
type hostileFixture struct {
	a                                  *app
	t                                  testing.TB
	cycle                              *models.Cycle
	fp, co, ken, donor, sec, admin     *client
	fpUser, coUser, kenUser, donorUser *models.User
	spare                              *models.User
	orgID, needID, offerID, contactID  int64
	roundID                            int64
	states                             []string // States without a report at first, for routes that use one up
	next                               int      // the next of states to use
	focals                             map[string]*client
	n                                  int // a counter for fresh names
}

// hostileRemote is the address hostile requests come from, so that the
// sign-in limit they may trip never stops the fixture's own sign-ins.
const hostileRemote = "198.51.100.200:1234"

func newHostileFixture(t testing.TB, a *app) *hostileFixture {
	t.Helper()
	ctx := context.Background()
	hx := &hostileFixture{a: a, t: t, focals: map[string]*client{}}
	hx.cycle = a.cycle("2026-2027", time.Now().AddDate(0, -1, 0))
	later := &models.Cycle{Label: "2028-2029", ProcessName: "Global Mechanism", OpensOn: time.Now().AddDate(2, 0, 0),
		DueOn: time.Now().AddDate(2, 6, 0), ClosesOn: time.Now().AddDate(3, 0, 0), TemplateVersion: "v1"}
	if err := a.db.CreateCycle(ctx, later, models.Actor{Email: "test"}); err != nil {
		t.Fatal(err)
	}
	hx.fpUser = a.user("fp@jp.example", models.RoleFocalPoint, "JPN")
	hx.coUser = a.user("co@jp.example", models.RoleContributor, "JPN")
	hx.kenUser = a.user("fp@ke.example", models.RoleFocalPoint, "KEN")
	hx.donorUser = a.user("donor@fund.example", models.RoleDonor, "")
	a.user("sec@un.example", models.RoleSecretariat, "")
	a.user("admin@un.example", models.RoleAdmin, "")
	hx.spare = a.user("spare@x.example", models.RoleDonor, "")
	if err := a.db.SetUserOrganisation(ctx, hx.donorUser.ID, "Cyber Fund", models.Actor{Email: "test"}); err != nil {
		t.Fatal(err)
	}
	org, err := a.db.UserOrganisation(ctx, hx.donorUser.ID)
	if err != nil {
		t.Fatal(err)
	}
	hx.orgID = org.ID
	hx.fp, hx.co, hx.ken = a.login("fp@jp.example"), a.login("co@jp.example"), a.login("fp@ke.example")
	hx.donor, hx.sec, hx.admin = a.login("donor@fund.example"), a.login("sec@un.example"), a.login("admin@un.example")
	wantStatus(t, hx.fp.post(mBase+"/start", nil), http.StatusSeeOther)
	// Kenya's need, readable by donors.
	actor := models.Actor{UserID: hx.kenUser.ID, Email: hx.kenUser.Email}
	r := &models.Report{StateISO3: "KEN", CycleID: hx.cycle.ID, Visibility: models.VisibilityDonors}
	if err := a.db.CreateReport(ctx, r, actor); err != nil {
		t.Fatal(err)
	}
	answers := map[string]surveys.Value{"IV.a.4": {Rows: []map[string]string{{"area": "critical-infrastructure", "norm": "g",
		"type": "technical-assistance", "priority": "high", "description": "Need of KEN"}}}}
	for code, v := range answers {
		if _, err := a.db.SaveAnswer(ctx, r.ID, code, v, 0, actor, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, step := range [][2]string{{models.StatusDraft, models.StatusSubmitted}, {models.StatusSubmitted, models.StatusPublished}} {
		if err := a.db.SetReportStatus(ctx, r.ID, step[0], step[1], actor); err != nil {
			t.Fatal(err)
		}
	}
	tmpl := builtinTemplates["v1"]
	if _, err := a.db.SyncRegisters(ctx, r.ID, surveys.Needs(tmpl, answers), surveys.Offers(tmpl, answers), actor); err != nil {
		t.Fatal(err)
	}
	ns, err := a.db.ListNeeds(ctx, surveys.Reader{Role: models.RoleFocalPoint, StateISO3: "KEN"}, models.NeedFilter{StateISO3: "KEN"})
	if err != nil || len(ns) != 1 {
		t.Fatalf("Kenya's needs: %v, %v", ns, err)
	}
	hx.needID = ns[0].ID
	hx.offerID = hx.offer()
	hx.contactID = hx.contact()
	// A ping round to Japan's entries.
	w := hx.sec.post("/directory/rounds", url.Values{"scope": {"list"}, "list": {"JPN"}, "days": {"14"}})
	wantStatus(t, w, http.StatusSeeOther)
	rounds, err := a.db.ListPingRounds(ctx)
	if err != nil || len(rounds) != 1 {
		t.Fatalf("rounds: %v, %v", rounds, err)
	}
	hx.roundID = rounds[0].ID
	all, err := a.db.ListStates(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range all {
		if st.ISO3 != "JPN" && st.ISO3 != "KEN" {
			hx.states = append(hx.states, st.ISO3)
		}
	}
	return hx
}

func (hx *hostileFixture) fresh() int { hx.n++; return hx.n }

// offer records a fresh offer of the donor's organisation.
func (hx *hostileFixture) offer() int64 {
	hx.t.Helper()
	o := &models.Offer{OrganisationID: hx.orgID, Provider: "Cyber Fund", AreasText: "critical-infrastructure",
		TypesText: "technical-assistance", Regions: "African"}
	if err := hx.a.db.CreateOffer(context.Background(), o, models.Actor{Email: "donor@fund.example"}); err != nil {
		hx.t.Fatal(err)
	}
	return o.ID
}

// proposal proposes a fresh offer for Kenya's need, as the donor.
func (hx *hostileFixture) proposal() int64 {
	hx.t.Helper()
	m, err := hx.a.db.ProposeMatch(context.Background(), hx.needID, hx.offer(), "a proposal",
		models.Actor{UserID: hx.donorUser.ID, Email: hx.donorUser.Email})
	if err != nil {
		hx.t.Fatal(err)
	}
	return m.ID
}

// contact adds a fresh entry to Japan's directory.
func (hx *hostileFixture) contact() int64 {
	hx.t.Helper()
	ct := &models.Contact{StateISO3: "JPN", Kind: models.ContactTechnical, Function: "CSIRT " + strconv.Itoa(hx.fresh()),
		Mailbox: "csirt" + strconv.Itoa(hx.n) + "@nisc.example", Languages: "en"}
	if err := hx.a.db.SaveContact(context.Background(), ct, models.Actor{Email: "test"}); err != nil {
		hx.t.Fatal(err)
	}
	return ct.ID
}

// focal signs in the focal point of a State that has no report yet and
// starts its report: for the routes that move a report along.
func (hx *hostileFixture) focal() (*client, string) {
	hx.t.Helper()
	c, iso3, again := hx.state()
	path := "/reports/" + iso3 + "/2026-2027"
	if !again {
		wantStatus(hx.t, c.post(path+"/start", nil), http.StatusSeeOther)
	}
	return c, path
}

// state signs in the focal point of a State not used yet; when every
// State has been used (a long fuzzing run), it gives the first ones again
// and says so.
func (hx *hostileFixture) state() (c *client, iso3 string, again bool) {
	hx.t.Helper()
	iso3 = hx.states[hx.next%len(hx.states)]
	hx.next++
	if c, ok := hx.focals[iso3]; ok {
		return c, iso3, true
	}
	email := "fp@" + strings.ToLower(iso3) + ".example"
	hx.a.user(email, models.RoleFocalPoint, iso3)
	c = hx.a.login(email)
	hx.focals[iso3] = c
	return c, iso3, false
}

// version is the stored version of one of Japan's answers, for a save
// that must not conflict.
func (hx *hostileFixture) version(code string) string {
	hx.t.Helper()
	r, err := hx.a.db.GetReport(context.Background(), "JPN", "2026-2027", 0)
	if err != nil {
		hx.t.Fatal(err)
	}
	ans, err := hx.a.db.ListAnswers(context.Background(), r.ID)
	if err != nil {
		hx.t.Fatal(err)
	}
	return strconv.Itoa(ans[code].Version)
}

// pingToken starts a ping round to Japan's entries and returns one
// confirmation token of it.
func (hx *hostileFixture) pingToken() string {
	hx.t.Helper()
	var token string
	comp := notify.Composer{BaseURL: "http://localhost"}
	expires := hx.a.db.Now().AddDate(0, 0, 14)
	_, err := hx.a.db.StartPingRound(context.Background(), "list", []string{"JPN"}, expires, models.Actor{Email: "test"},
		func(pt *models.PingTarget, c *models.Contact, tok string) *models.Mail {
			token = tok
			return comp.Ping(pt, c, "Japan", tok, expires)
		})
	if err != nil {
		hx.t.Fatal(err)
	}
	return token
}

// failedMail puts a message in the outbox that failed for good.
func (hx *hostileFixture) failedMail() int64 {
	hx.t.Helper()
	ctx := context.Background()
	m := &models.Mail{To: "x" + strconv.Itoa(hx.fresh()) + "@x.example", Subject: "s", Body: "b", Kind: notify.KindPing}
	if err := hx.a.db.Enqueue(ctx, m); err != nil {
		hx.t.Fatal(err)
	}
	claimed, err := hx.a.db.ClaimMail(ctx, "hostile", 100, time.Minute)
	if err != nil {
		hx.t.Fatal(err)
	}
	for i := range claimed {
		if err := hx.a.db.MarkMailFailed(ctx, &claimed[i], "refused", nil); err != nil {
			hx.t.Fatal(err)
		}
	}
	return m.ID
}

// hostileSpec says how one POST route is used by a caller allowed to use
// it: prep returns the caller, the path (to an existing record in a state
// where the handler processes the form) and a plausible form, which the
// handler accepts (a status below 400).
type hostileSpec struct {
	prep func(hx *hostileFixture) (*client, string, url.Values)
	// keep are fields the hostile values do not replace (a version that
	// must match for the save to be looked at).
	keep []string
}

func fixed(who func(*hostileFixture) *client, path string, form url.Values) func(*hostileFixture) (*client, string, url.Values) {
	return func(hx *hostileFixture) (*client, string, url.Values) { return who(hx), path, cloneValues(form) }
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func (hx *hostileFixture) fpA() *client   { return hx.fp }
func (hx *hostileFixture) staff() *client { return hx.sec }
func (hx *hostileFixture) don() *client   { return hx.donor }

func idOf(n int64) string { return strconv.FormatInt(n, 10) }

var offerForm = url.Values{"provider": {"Cyber Fund"}, "areas": {"critical-infrastructure"}, "types": {"training"},
	"regions": {"African"}, "states": {"KEN"}, "modality": {"bilateral"}, "period": {"2026"}, "contact": {"a@fund.example"},
	"description": {"An offer"}}

var contactForm = url.Values{"kind": {models.ContactDiplomatic}, "function": {"Cyber desk"}, "organisation": {"MOFA"},
	"mailbox": {"desk@mofa.example"}, "person_name": {"A. Person"}, "phone": {"+81 3"}, "languages": {"en"},
	"time_zone": {"Asia/Tokyo"}, "hours": {"9-17"}}

func cycleForm(label string) url.Values {
	return url.Values{"label": {label}, "process_name": {"GM"}, "opens_on": {"2040-01-01"}, "due_on": {"2040-06-01"},
		"closes_on": {"2040-12-01"}, "template_version": {"v1"}, "thematic_priority": {"norms"}, "conference_on": {"2040-07-01"}}
}

// hostileSpecs has a spec for every POST route of the router; the hostile
// test and FuzzForms fail on a route without one.
var hostileSpecs = map[string]hostileSpec{
	"POST /login": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		return hx.a.anon(), "/login", url.Values{"email": {"fp@jp.example"}, "password": {testPassword}, "next": {"/needs"}}
	}},
	"POST /logout": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		return hx.a.login("co@jp.example"), "/logout", url.Values{}
	}},
	"POST /confirm/:token": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		return hx.a.anon(), "/confirm/" + hx.pingToken(), url.Values{}
	}},
	"POST /reports/:iso3/:cycle/start": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		c, iso3, _ := hx.state()
		return c, "/reports/" + iso3 + "/2026-2027/start", url.Values{}
	}},
	"POST /reports/:iso3/:cycle/sections/:section": {keep: []string{"v.II.a.1"}, prep: func(hx *hostileFixture) (*client, string, url.Values) {
		return hx.fp, mBase + "/sections/II.a", url.Values{"v.II.a.1": {hx.version("II.a.1")}, "II.a.1.status": {"no"},
			"II.a.1.challenges": {"typed in the section"}, "II.a.1.measures": {"measures"}, "II.a.1.links": {"https://a.example/"}}
	}},
	"POST /reports/:iso3/:cycle/answers/:code": {keep: []string{"v.II.a.1"}, prep: func(hx *hostileFixture) (*client, string, url.Values) {
		return hx.fp, mBase + "/answers/II.a.1", url.Values{"v.II.a.1": {hx.version("II.a.1")}, "II.a.1.status": {"yes"},
			"II.a.1.challenges": {"autosaved"}, "save_id": {"s" + strconv.Itoa(hx.fresh())}}
	}},
	"POST /reports/:iso3/:cycle/sections/:section/confirm": {prep: fixed((*hostileFixture).fpA, mBase+"/sections/II.a/confirm", url.Values{})},
	"POST /reports/:iso3/:cycle/sections/:section/assign": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		return hx.fp, mBase + "/sections/II.b/assign", url.Values{"user_id": {idOf(hx.coUser.ID)}}
	}},
	"POST /reports/:iso3/:cycle/sections/:section/comments": {prep: fixed((*hostileFixture).fpA, mBase+"/sections/II.a/comments", url.Values{"body": {"a comment"}})},
	"POST /reports/:iso3/:cycle/status": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		c, path := hx.focal()
		return c, path + "/status", url.Values{"action": {surveys.StepReview}}
	}},
	"POST /reports/:iso3/:cycle/submit": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		c, path := hx.focal()
		return c, path + "/submit", url.Values{"password": {testPassword}}
	}},
	"POST /reports/:iso3/:cycle/visibility": {prep: fixed((*hostileFixture).fpA, mBase+"/visibility", url.Values{"visibility": {models.VisibilityRestricted}})},
	"POST /needs/carry":                     {prep: fixed((*hostileFixture).fpA, "/needs/carry", url.Values{"cycle": {"2026-2027"}})},
	"POST /needs/:id/status": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		n, err := hx.a.db.GetNeed(context.Background(), surveys.Reader{Role: models.RoleFocalPoint, StateISO3: "KEN"}, hx.needID)
		if err != nil {
			hx.t.Fatal(err)
		}
		to := map[bool]string{true: surveys.NeedDiscussion, false: surveys.NeedOpen}[n.Status == surveys.NeedOpen]
		return hx.ken, "/needs/" + idOf(hx.needID) + "/status", url.Values{"from": {n.Status}, "to": {to}, "note": {"moved"}}
	}},
	"POST /needs/:id/edit": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		return hx.ken, "/needs/" + idOf(hx.needID) + "/edit", url.Values{"type": {"training"}, "priority": {"high"},
			"timeframe": {"2027"}, "description": {"Need of KEN, edited"}}
	}},
	"POST /offers-new": {prep: fixed((*hostileFixture).don, "/offers-new", offerForm)},
	"POST /offers/:id/edit": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		return hx.donor, "/offers/" + idOf(hx.offerID) + "/edit", cloneValues(offerForm)
	}},
	"POST /offers/:id/withdraw": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		return hx.donor, "/offers/" + idOf(hx.offer()) + "/withdraw", url.Values{"note": {"no longer"}}
	}},
	"POST /matches": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		return hx.donor, "/matches", url.Values{"need_id": {idOf(hx.needID)}, "offer_id": {idOf(hx.offer())}, "message": {"we can help"}}
	}},
	"POST /matches/:id/decide": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		return hx.ken, "/matches/" + idOf(hx.proposal()) + "/decide", url.Values{"decision": {"decline"}, "note": {"thanks"}}
	}},
	"POST /matches/:id/withdraw": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		return hx.donor, "/matches/" + idOf(hx.proposal()) + "/withdraw", url.Values{"note": {"sorry"}}
	}},
	"POST /account/password": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		email := "pw" + strconv.Itoa(hx.fresh()) + "@x.example"
		hx.a.user(email, models.RoleDonor, "")
		return hx.a.login(email), "/account/password", url.Values{"current": {testPassword},
			"new": {"violet kestrel harbour 1987"}, "confirm": {"violet kestrel harbour 1987"}}
	}},
	"POST /account/notifications": {prep: fixed((*hostileFixture).fpA, "/account/notifications", url.Values{"lang": {"fr"}, "on": {notify.Optional[0]}})},
	"POST /directory/:iso3/contacts": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		f := cloneValues(contactForm)
		f.Set("mailbox", "desk"+strconv.Itoa(hx.fresh())+"@mofa.example")
		return hx.fp, "/directory/JPN/contacts", f
	}},
	"POST /directory/:iso3/contacts/:id": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		return hx.fp, "/directory/JPN/contacts/" + idOf(hx.contactID), cloneValues(contactForm)
	}},
	"POST /directory/:iso3/contacts/:id/delete": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		return hx.fp, "/directory/JPN/contacts/" + idOf(hx.contact()) + "/delete", url.Values{}
	}},
	"POST /directory/:iso3/contacts/:id/confirm": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		return hx.fp, "/directory/JPN/contacts/" + idOf(hx.contact()) + "/confirm", url.Values{}
	}},
	"POST /directory/:iso3/from-report": {prep: fixed((*hostileFixture).fpA, "/directory/JPN/from-report", url.Values{})},
	"POST /directory/:iso3/to-report":   {prep: fixed((*hostileFixture).fpA, "/directory/JPN/to-report", url.Values{})},
	"POST /directory/rounds":            {prep: fixed((*hostileFixture).staff, "/directory/rounds", url.Values{"scope": {"list"}, "list": {"JPN"}, "group": {"African"}, "days": {"14"}})},
	"POST /directory/rounds/:id/chase": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		return hx.sec, "/directory/rounds/" + idOf(hx.roundID) + "/chase", url.Values{}
	}},
	"POST /account/tokens": {prep: fixed((*hostileFixture).fpA, "/account/tokens", url.Values{"name": {"my script"}, "expires": {"2099-01-01"}})},
	"POST /account/tokens/:id/revoke": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		_, tok, err := hx.a.db.CreateAPIToken(context.Background(), hx.fpUser.ID, "t"+strconv.Itoa(hx.fresh()), nil, models.Actor{Email: "test"})
		if err != nil {
			hx.t.Fatal(err)
		}
		return hx.fp, "/account/tokens/" + idOf(tok.ID) + "/revoke", url.Values{}
	}},
	"POST /cycles-new": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		y := 2040 + 2*hx.fresh()
		return hx.admin, "/cycles-new", cycleForm(strconv.Itoa(y) + "-" + strconv.Itoa(y+1))
	}},
	"POST /cycles/:cycle/edit": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		f := cycleForm("2028-2029")
		f.Set("opens_on", time.Now().AddDate(2, 0, 0).Format(time.DateOnly))
		return hx.admin, "/cycles/2028-2029/edit", f
	}},
	"POST /cycles/:cycle/compilation": {prep: fixed((*hostileFixture).staff, "/cycles/2026-2027/compilation", url.Values{})},
	"POST /cycles/:cycle/reminders":   {prep: fixed((*hostileFixture).staff, "/cycles/2026-2027/reminders", url.Values{"days": {"3, 14"}})},
	"POST /admin/users": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		return hx.admin, "/admin/users", url.Values{"email": {"new" + strconv.Itoa(hx.fresh()) + "@x.example"}, "name": {"New"},
			"role": {models.RoleFocalPoint}, "state": {"jpn"}}
	}},
	"POST /admin/users/:id/role": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		return hx.admin, "/admin/users/" + idOf(hx.spare.ID) + "/role", url.Values{"role": {"donor"}, "state": {""}}
	}},
	"POST /admin/users/:id/disable": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		return hx.admin, "/admin/users/" + idOf(hx.spare.ID) + "/disable", url.Values{}
	}},
	"POST /admin/users/:id/enable": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		return hx.admin, "/admin/users/" + idOf(hx.spare.ID) + "/enable", url.Values{}
	}},
	"POST /admin/users/:id/organisation": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		return hx.admin, "/admin/users/" + idOf(hx.spare.ID) + "/organisation", url.Values{"organisation": {"Other Fund"}}
	}},
	"POST /admin/outbox/:id/retry": {prep: func(hx *hostileFixture) (*client, string, url.Values) {
		return hx.admin, "/admin/outbox/" + idOf(hx.failedMail()) + "/retry", url.Values{}
	}},
}

// postPatterns lists the POST routes of the real router; it fails on one
// without a hostile spec, so that a new route is covered.
func postPatterns(t testing.TB, a *app) []string {
	t.Helper()
	s := newServer(a.db, builtinTemplates, Config{}, quietLogger())
	s.routes()
	var out []string
	for _, ri := range s.routeInfo {
		if ri.Method != http.MethodPost {
			continue
		}
		pattern := ri.Method + " " + ri.Path
		if _, ok := hostileSpecs[pattern]; !ok {
			t.Fatalf("route %s has no hostile spec (hostileSpecs in hostile_test.go)", pattern)
		}
		out = append(out, pattern)
	}
	if len(out) < 40 {
		t.Fatalf("only %d POST routes found", len(out))
	}
	return out
}

// postAs posts body to path as c, from the hostile address.
func postAs(c *client, path, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = hostileRemote
	return c.do(req)
}

// hostileSnapshot is everything a refused request must leave unchanged:
// the report and its answers and comments, users, cycles, needs, offers,
// matches, directory entries, ping rounds, tokens, preferences, the outbox.
func hostileSnapshot(t testing.TB, hx *hostileFixture) string {
	t.Helper()
	ctx := context.Background()
	db := hx.a.db
	var b strings.Builder
	add := func(what string, v any, err error) {
		if err != nil {
			t.Fatalf("snapshot %s: %v", what, err)
		}
		j, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %s\n", what, j)
	}
	staff := surveys.Reader{Role: models.RoleSecretariat}
	r, err := db.GetReport(ctx, "JPN", "2026-2027", 0)
	add("report", r, err)
	vals, err := db.ListValues(ctx, r.ID)
	add("answers", vals, err)
	cs, err := db.ListComments(ctx, r.ID, "II.a")
	add("comments", len(cs), err)
	us, err := db.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		fmt.Fprintf(&b, "user %s %s %s %s %v\n", u.Email, u.Name, u.Role, u.StateISO3, u.Disabled)
	}
	// Tokens and preferences of the fixture's people (the routes change
	// only the caller's own).
	for _, u := range []*models.User{hx.fpUser, hx.coUser, hx.kenUser, hx.donorUser, hx.spare} {
		ts, err := db.ListAPITokens(ctx, u.ID)
		add("tokens", len(ts), err)
		p, err := db.GetPrefs(ctx, u.ID)
		add("prefs", p, err)
	}
	cys, err := db.ListCycles(ctx)
	add("cycles", cys, err)
	ns, err := db.ListNeeds(ctx, staff, models.NeedFilter{})
	add("needs", ns, err)
	offs, err := db.ListOffers(ctx, staff, models.OfferFilter{})
	add("offers", offs, err)
	ms, err := db.ListMatches(ctx, models.MatchReader{Reader: staff}, models.MatchFilter{})
	add("matches", ms, err)
	cts, err := db.ListContacts(ctx)
	add("contacts", cts, err)
	rs, err := db.ListPingRounds(ctx)
	add("rounds", len(rs), err)
	mail, err := db.ListMail(ctx, "", 10000)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mail {
		fmt.Fprintf(&b, "mail %d %s %s\n", m.ID, m.To, m.Status)
	}
	orgs, err := db.ListOrganisations(ctx)
	add("organisations", orgs, err)
	return b.String()
}

// hostileForm is form with the hostile value in every field but those
// kept, and in an extra field's name and value.
func hostileForm(form url.Values, keep []string, bad string) url.Values {
	out := url.Values{}
	for k, vs := range form {
		if slices.Contains(keep, k) {
			out[k] = vs
			continue
		}
		out.Set(k, bad)
	}
	out.Set("extra."+bad, bad)
	return out
}

// checkHostileReply fails on a 5xx, on a refused request that changed
// something, and on script shown back unescaped.
func checkHostileReply(t testing.TB, what string, w *httptest.ResponseRecorder, before, after func() string) {
	t.Helper()
	if w.Code >= 500 {
		t.Fatalf("%s: status %d", what, w.Code)
	}
	if w.Code >= 400 {
		if b, a := before(), after(); a != b {
			t.Errorf("%s refused (%d) but changed\n%s\ninto\n%s", what, w.Code, b, a)
		}
	}
	body := w.Body.String()
	for _, raw := range []string{"<script>alert('xss')", "<img src=x onerror"} {
		if strings.Contains(body, raw) {
			t.Errorf("%s: %s shown unescaped", what, raw)
		}
	}
}

// TestHostileInput sends hostile values in every field of every POST
// route, as a caller allowed to use it, to an existing record in a state
// where the handler processes the form, on both databases: never a 5xx,
// nothing stored by a refused request, and what comes back is escaped.
// The same form with plausible values must be accepted (below 400), so
// the test fails when a route stops reaching its handler's binding.
func TestHostileInput(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		hx := newHostileFixture(t, a)
		for _, pattern := range postPatterns(t, a) {
			spec := hostileSpecs[pattern]
			c, path, form := spec.prep(hx)
			if w := postAs(c, path, form.Encode()); w.Code >= 400 {
				t.Errorf("%s %s: the plausible form got %d, so the hostile values would not reach the handler; body: %.300s",
					pattern, path, w.Code, w.Body.String())
			}
			for _, bad := range hostileValues {
				c, path, form := spec.prep(hx)
				before := hostileSnapshot(t, hx)
				w := postAs(c, path, hostileForm(form, spec.keep, bad).Encode())
				checkHostileReply(t, fmt.Sprintf("%s %s with %.40q", pattern, path, bad), w,
					func() string { return before }, func() string { return hostileSnapshot(t, hx) })
			}
			// A 10 MB body is refused, not read.
			c, path, _ = spec.prep(hx)
			before := hostileSnapshot(t, hx)
			if w := postAs(c, path, "body="+strings.Repeat("a", 10<<20)); w.Code < 400 || w.Code >= 500 {
				t.Errorf("%s with 10 MB: status %d, want 4xx", pattern, w.Code)
			}
			if after := hostileSnapshot(t, hx); after != before {
				t.Errorf("%s with 10 MB changed the data", pattern)
			}
		}
		// What was stored still reads back and renders, escaped.
		for _, page := range []struct {
			c    *client
			path string
		}{{hx.fp, mBase}, {hx.fp, mBase + "/sections/II.a"}, {hx.fp, mBase + "/print"}, {hx.admin, "/admin/users"},
			{hx.ken, "/needs/" + idOf(hx.needID)}, {hx.fp, "/directory/JPN"}, {hx.donor, "/offers"},
			{hx.donor, "/offers/" + idOf(hx.offerID)}, {hx.fp, "/account/tokens"}, {hx.admin, "/admin/outbox"},
			{hx.sec, "/directory/rounds"}, {hx.sec, "/cycles"}} {
			w := page.c.get(page.path)
			wantStatus(t, w, http.StatusOK)
			checkHostileReply(t, "GET "+page.path, w, nil, nil)
		}
	})
}
