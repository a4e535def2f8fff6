package handlers

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/natreport/natreport/internal/testdb"
	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/models/modeltest"
	"github.com/natreport/natreport/surveys"
)

// Markers written into State A's (JPN) report; each must reach only the
// readers allowed to see it.
const (
	markAnswer  = "MARKANSWER7q"  // an ordinary answer (part II)
	markContact = "MARKCONTACT7q" // a point of contact (never published)
	markComment = "MARKCOMMENT7q" // an internal comment
	markNeed    = "MARKNEED7q"    // a need, read with its report version
)

// The callers of the matrix.
var matrixCallers = []string{"anon", "fpA", "coA", "fpB", "donor", "sec", "admin"}

// matrixRow says, for one route, the concrete path requested and the
// exact status each caller gets, given the report's status and visibility.
type matrixRow struct {
	path string
	want want
}

// want is the exact status a caller gets in a fixture.
type want func(who string, fx matrixFixture) int

type matrixFixture struct {
	status, vis string
	fresh       bool // the run of successful writes on fresh data
}

var matrixReaders = map[string]surveys.Reader{"anon": {}, "fpA": {Role: surveys.RoleFocalPoint, StateISO3: "JPN"},
	"coA": {Role: surveys.RoleContributor, StateISO3: "JPN"}, "fpB": {Role: surveys.RoleFocalPoint, StateISO3: "KEN"},
	"donor": {Role: surveys.RoleDonor}, "sec": {Role: surveys.RoleSecretariat}, "admin": {Role: surveys.RoleAdmin}}

func (fx matrixFixture) audience(who string) (string, bool) {
	return surveys.Audience(matrixReaders[who], surveys.ReportRef{StateISO3: "JPN", Status: fx.status, Visibility: fx.vis})
}

// registered: the report has fed the needs and offers registers
// (submission does it), so State A's need exists.
func (fx matrixFixture) registered() bool {
	return fx.status == surveys.ReportSubmitted || fx.status == surveys.ReportPublished
}

func member(who string) bool { return who == "fpA" || who == "coA" }

// readReport: 200 for a reader, 404 for anyone else (anonymous included).
func readReport(who string, fx matrixFixture) int {
	if _, ok := fx.audience(who); ok {
		return http.StatusOK
	}
	return http.StatusNotFound
}

// readNeed: State A's need (id 1), once registered, to whoever may read
// the report version it came from.
func readNeed(who string, fx matrixFixture) int {
	if fx.registered() {
		return readReport(who, fx)
	}
	return http.StatusNotFound
}

func always(code int) want { return func(string, matrixFixture) int { return code } }

var everyone = always(http.StatusOK)

// Groups of callers.
var (
	signedInCallers = []string{"fpA", "coA", "fpB", "donor", "sec", "admin"}
	staffCallers    = []string{"sec", "admin"}
	dirCallers      = []string{"fpA", "coA", "fpB", "sec", "admin"}
	focalCallers    = []string{"fpA", "fpB"}
	changerCallers  = []string{"donor", "sec", "admin"}
)

// gatedPage: a role-gated page: anonymous callers are sent to sign in (303),
// callers outside the roles are refused (403), the others get code.
func gatedPage(code int, callers ...string) want {
	return gated(http.StatusSeeOther, code, callers)
}

// gatedPost: a role-gated POST: anonymous callers get 401 (a form cannot be
// replayed after signing in), callers outside the roles 403, the others code.
func gatedPost(code int, callers ...string) want {
	return gated(http.StatusUnauthorized, code, callers)
}

func gated(anon, code int, callers []string) want {
	return func(who string, _ matrixFixture) int {
		switch {
		case who == "anon":
			return anon
		case slices.Contains(callers, who):
			return code
		}
		return http.StatusForbidden
	}
}

// inFresh overrides w for some callers in the run of successful writes,
// where each caller comes after the others' successful writes.
func inFresh(w want, codes map[string]int) want {
	return func(who string, fx matrixFixture) int {
		code := w(who, fx)
		if c, ok := codes[who]; ok && fx.fresh && code < 400 {
			return c
		}
		return code
	}
}

// except: who always gets code.
func except(w want, who string, code int) want {
	return func(caller string, fx matrixFixture) int {
		if caller == who {
			return code
		}
		return w(caller, fx)
	}
}

// onNeed: a write on need 1 (or its match): gated by role, then 404
// until the report is registered or when the caller may not read it,
// 403 for another State's focal point, code for the others.
func onNeed(code int, callers ...string) want {
	gate := gatedPost(code, callers...)
	return func(who string, fx matrixFixture) int {
		if c := gate(who, fx); c != code {
			return c
		}
		if readNeed(who, fx) != http.StatusOK {
			return http.StatusNotFound
		}
		if who == "fpB" {
			return http.StatusForbidden
		}
		return code
	}
}

// focalOnly: of the State's people only its focal point may (403).
func focalOnly(w want) want {
	return func(who string, fx matrixFixture) int {
		if who == "coA" {
			return http.StatusForbidden
		}
		return w(who, fx)
	}
}

// reportWrite: a POST on State A's report: 401 anonymous, 404 to those who
// may not read it, 403 to readers outside the State, member(who, fx) to
// its people.
func reportWrite(memberCode want) want {
	return func(who string, fx matrixFixture) int {
		_, ok := fx.audience(who)
		switch {
		case who == "anon":
			return http.StatusUnauthorized
		case member(who):
			return memberCode(who, fx)
		case !ok:
			return http.StatusNotFound
		}
		return http.StatusForbidden
	}
}

// editable: the State's people change a draft or a report in review (303);
// a submitted or published report is read-only (409).
func editable(code int) want {
	return func(_ string, fx matrixFixture) int {
		if fx.status == surveys.ReportDraft || fx.status == surveys.ReportReview {
			return code
		}
		return http.StatusConflict
	}
}

const mBase = "/reports/JPN/2026-2027"

// matrixRoutes has a row for every route of the router, keyed by method
// and pattern; TestAuthorisationMatrix fails on a route without one.
// Ids are those of the fixture: need 1 is State A's, offer 1 the donor's
// organisation's, match 1 the donor's proposal; contact, token, round and
// outbox ids 1 do not exist.
var matrixRoutes = map[string]matrixRow{
	"GET /static/*file":         {"/static/app.css", everyone},
	"HEAD /static/*file":        {"/static/app.css", everyone},
	"GET /healthz":              {"/healthz", everyone},
	"GET /login":                {"/login", func(who string, _ matrixFixture) int { return map[bool]int{true: 200, false: 303}[who == "anon"] }},
	"GET /":                     {"/", everyone},
	"GET /states":               {"/states", everyone},
	"GET /cycles":               {"/cycles", everyone},
	"GET /cycles/:cycle":        {"/cycles/2026-2027", everyone},
	"GET /templates/:version":   {"/templates/v1", everyone},
	"GET /favicon.ico":          {"/favicon.ico", everyone},
	"GET /reports/:iso3/:cycle": {mBase, readReport},
	"GET /reports/:iso3/:cycle/sections/:section": {mBase + "/sections/II.a", readReport},
	"GET /reports/:iso3/:cycle/print":             {mBase + "/print", readReport},
	"GET /reports/:iso3/:cycle/compare":           {mBase + "/compare", always(http.StatusNotFound)}, // no earlier cycle
	"GET /reports/:iso3/:cycle/report.pdf":        {mBase + "/report.pdf", readReport},
	"GET /reports/:iso3/:cycle/submit": {mBase + "/submit", func(who string, fx matrixFixture) int {
		_, ok := fx.audience(who)
		switch {
		case who == "anon":
			return http.StatusSeeOther
		case who == "fpA": // the form shows, whatever the status; the POST decides
			return http.StatusOK
		case member(who):
			return http.StatusForbidden
		case !ok:
			return http.StatusNotFound
		}
		return http.StatusForbidden
	}},
	"GET /reports/:iso3/:cycle/history": {mBase + "/history", func(who string, fx matrixFixture) int {
		aud, ok := fx.audience(who)
		switch {
		case who == "anon":
			return http.StatusSeeOther
		case !ok:
			return http.StatusNotFound
		case member(who) || aud == surveys.AudSecretariat:
			return http.StatusOK
		}
		return http.StatusForbidden
	}},
	"GET /account/password":          {"/account/password", gatedPage(200, signedInCallers...)},
	"GET /account/notifications":     {"/account/notifications", gatedPage(200, signedInCallers...)},
	"GET /account/tokens":            {"/account/tokens", gatedPage(200, signedInCallers...)},
	"GET /cycles-new":                {"/cycles-new", gatedPage(200, staffCallers...)},
	"GET /cycles/:cycle/board.csv":   {"/cycles/2026-2027/board.csv", gatedPage(200, staffCallers...)},
	"GET /cycles/:cycle/reports.zip": {"/cycles/2026-2027/reports.zip", gatedPage(200, staffCallers...)},
	"GET /cycles/:cycle/edit":        {"/cycles/2026-2027/edit", gatedPage(200, staffCallers...)},
	"GET /cycles/:cycle/reminders":   {"/cycles/2026-2027/reminders", gatedPage(200, staffCallers...)},
	"GET /cycles/:cycle/compilation": {"/cycles/2026-2027/compilation", gatedPage(200, staffCallers...)},
	// No compilation has been made: nothing to download yet.
	"GET /cycles/:cycle/compilation.pdf": {"/cycles/2026-2027/compilation.pdf", gatedPage(404, staffCallers...)},
	"GET /admin/users":                   {"/admin/users", gatedPage(200, "admin")},
	"GET /admin/organisations":           {"/admin/organisations", gatedPage(200, "admin")},
	"GET /admin/outbox":                  {"/admin/outbox", gatedPage(200, "admin")},
	"GET /admin/outbox/:id":              {"/admin/outbox/1", gatedPage(404, "admin")},
	// The read API: each signed-in caller with its own bearer token.
	"GET /api/v1/openapi.json":          {"/api/v1/openapi.json", everyone},
	"GET /api/v1/cycles":                {"/api/v1/cycles", everyone},
	"GET /api/v1/cycles/:cycle":         {"/api/v1/cycles/2026-2027", everyone},
	"GET /api/v1/cycles/:cycle/reports": {"/api/v1/cycles/2026-2027/reports", everyone},
	"GET /api/v1/cycles/:cycle/gaps":    {"/api/v1/cycles/2026-2027/gaps", everyone},
	"GET /api/v1/states":                {"/api/v1/states", everyone},
	"GET /api/v1/reports/:iso3/:cycle":  {"/api/v1" + mBase, readReport},
	"GET /api/v1/needs":                 {"/api/v1/needs", everyone},
	"GET /api/v1/offers":                {"/api/v1/offers", everyone},
	// The needs register: public lists, each need to the readers of its report.
	"GET /needs":      {"/needs", everyone},
	"GET /needs.csv":  {"/needs.csv", everyone},
	"GET /needs.xlsx": {"/needs.xlsx", everyone},
	"GET /needs/:id":  {"/needs/1", readNeed},
	// Offers and matches: signed-in people; a recorded offer reaches them all.
	"GET /offers":       {"/offers", gatedPage(200, signedInCallers...)},
	"GET /offers.csv":   {"/offers.csv", gatedPage(200, signedInCallers...)},
	"GET /offers.xlsx":  {"/offers.xlsx", gatedPage(200, signedInCallers...)},
	"GET /offers/:id":   {"/offers/1", gatedPage(200, signedInCallers...)},
	"GET /matches.csv":  {"/matches.csv", gatedPage(200, signedInCallers...)},
	"GET /matches.xlsx": {"/matches.xlsx", gatedPage(200, signedInCallers...)},
	"GET /offers-new":   {"/offers-new", gatedPage(200, "donor")},
	"GET /donor":        {"/donor", gatedPage(200, "donor")},
	// The donor's organisation's offer: the donor and the secretariat may change it.
	"GET /offers/:id/edit": {"/offers/1/edit", gatedPage(200, changerCallers...)},
	// Capacity gaps and answer exports: built from what the reader may read.
	"GET /cycles/:cycle/gaps":         {"/cycles/2026-2027/gaps", everyone},
	"GET /cycles/:cycle/gaps/:file":   {"/cycles/2026-2027/gaps/norms.csv", everyone},
	"GET /cycles/:cycle/answers.csv":  {"/cycles/2026-2027/answers.csv", everyone},
	"GET /cycles/:cycle/answers.xlsx": {"/cycles/2026-2027/answers.xlsx", everyone},
	"GET /compare":                    {"/compare?cycle=2026-2027&states=JPN,KEN", everyone},
	// Points of contact (contact 1 is State A's: only its focal point
	// keeps it) and ping rounds (none yet; no outbox message either).
	"GET /confirm/:token":                        {"/confirm/nosuchtoken", always(http.StatusNotFound)},
	"POST /confirm/:token":                       {"/confirm/nosuchtoken", always(http.StatusNotFound)},
	"GET /directory":                             {"/directory", gatedPage(200, dirCallers...)},
	"GET /directory/:iso3":                       {"/directory/JPN", gatedPage(200, dirCallers...)},
	"GET /directory.csv":                         {"/directory.csv", gatedPage(200, staffCallers...)},
	"GET /directory.xlsx":                        {"/directory.xlsx", gatedPage(200, staffCallers...)},
	"GET /directory/rounds":                      {"/directory/rounds", gatedPage(200, staffCallers...)},
	"GET /directory/rounds/:id":                  {"/directory/rounds/1", gatedPage(404, staffCallers...)},
	"POST /directory/rounds":                     {"/directory/rounds", gatedPost(303, staffCallers...)},
	"POST /directory/rounds/:id/chase":           {"/directory/rounds/1/chase", gatedPost(404, staffCallers...)},
	"POST /directory/:iso3/contacts":             {"/directory/JPN/contacts", gatedPost(303, "fpA")},
	"POST /directory/:iso3/contacts/:id":         {"/directory/JPN/contacts/1", gatedPost(303, "fpA")},
	"POST /directory/:iso3/contacts/:id/delete":  {"/directory/JPN/contacts/1/delete", gatedPost(303, "fpA")},
	"POST /directory/:iso3/contacts/:id/confirm": {"/directory/JPN/contacts/1/confirm", gatedPost(303, "fpA")},
	"POST /directory/:iso3/from-report":          {"/directory/JPN/from-report", gatedPost(303, "fpA")},
	// The directory's entries go into the report only while it can change.
	"POST /directory/:iso3/to-report": {"/directory/JPN/to-report", func(who string, fx matrixFixture) int {
		if who == "fpA" {
			return editable(303)(who, fx)
		}
		return gatedPost(303, "fpA")(who, fx)
	}},
	"POST /admin/outbox/:id/retry": {"/admin/outbox/1/retry", gatedPost(404, "admin")},
	// One's own account.
	"POST /account/notifications":     {"/account/notifications", gatedPost(303, signedInCallers...)},
	"POST /account/password":          {"/account/password", gatedPost(303, signedInCallers...)},
	"POST /account/tokens":            {"/account/tokens", gatedPost(200, signedInCallers...)},
	"POST /account/tokens/:id/revoke": {"/account/tokens/1/revoke", except(gatedPost(404, signedInCallers...), "fpA", 303)},
	"POST /login":                     {"/login", always(http.StatusSeeOther)},
	"POST /logout":                    {"/logout", always(http.StatusSeeOther)},
	// State A's report: its people write, others are refused.
	"POST /reports/:iso3/:cycle/start":                      {mBase + "/start", reportWrite(always(303))},
	"POST /reports/:iso3/:cycle/sections/:section":          {mBase + "/sections/II.a", reportWrite(editable(303))},
	"POST /reports/:iso3/:cycle/sections/:section/confirm":  {mBase + "/sections/II.a/confirm", reportWrite(editable(303))},
	"POST /reports/:iso3/:cycle/sections/:section/comments": {mBase + "/sections/II.a/comments", reportWrite(always(303))},
	// An autosave without a base version after another's save is a conflict.
	"POST /reports/:iso3/:cycle/answers/:code":            {mBase + "/answers/II.a.1", reportWrite(inFresh(editable(200), map[string]int{"coA": 409}))},
	"POST /reports/:iso3/:cycle/sections/:section/assign": {mBase + "/sections/II.a/assign", reportWrite(focalOnly(editable(303)))},
	// Publishing: only a submitted report, and never a private one (the
	// page says why, 303 with a notice).
	"POST /reports/:iso3/:cycle/status": {mBase + "/status", reportWrite(focalOnly(func(_ string, fx matrixFixture) int {
		if fx.vis == surveys.VisPrivate || fx.status == surveys.ReportSubmitted {
			return http.StatusSeeOther
		}
		return http.StatusConflict
	}))},
	"POST /reports/:iso3/:cycle/submit":     {mBase + "/submit", reportWrite(focalOnly(editable(303)))},
	"POST /reports/:iso3/:cycle/visibility": {mBase + "/visibility", reportWrite(focalOnly(always(303)))},
	// Cycles, compilation, users: the secretariat and admins.
	"POST /cycles-new":                   {"/cycles-new", inFresh(gatedPost(303, staffCallers...), map[string]int{"admin": 422})},            // the label is taken
	"POST /cycles/:cycle/edit":           {"/cycles/2026-2027/edit", inFresh(gatedPost(303, staffCallers...), map[string]int{"admin": 404})}, // renamed
	"POST /cycles/:cycle/compilation":    {"/cycles/2026-2027/compilation", gatedPost(303, staffCallers...)},
	"POST /cycles/:cycle/reminders":      {"/cycles/2026-2027/reminders", gatedPost(303, staffCallers...)},
	"POST /admin/users":                  {"/admin/users", gatedPost(200, "admin")}, // shows the one-time password
	"POST /admin/users/:id/role":         {"/admin/users/1/role", gatedPost(303, "admin")},
	"POST /admin/users/:id/disable":      {"/admin/users/1/disable", gatedPost(303, "admin")},
	"POST /admin/users/:id/enable":       {"/admin/users/1/enable", gatedPost(303, "admin")},
	"POST /admin/users/:id/organisation": {"/admin/users/4/organisation", gatedPost(303, "admin")},
	// Needs, offers and matches.
	"POST /needs/carry": {"/needs/carry", gatedPost(303, focalCallers...)},
	// Need 1: withdrawn by the State, then no longer movable.
	"POST /needs/:id/status": {"/needs/1/status", inFresh(onNeed(303, "fpA", "fpB", "sec", "admin"), map[string]int{"sec": 422, "admin": 422})},
	"POST /needs/:id/edit":   {"/needs/1/edit", onNeed(303, "fpA", "fpB", "sec", "admin")},
	// The donor's proposal of offer 1 for need 1 exists already.
	"POST /matches": {"/matches", onNeed(409, changerCallers...)},
	// Match 1 is on State A's need: only its focal point decides.
	"POST /matches/:id/decide": {"/matches/1/decide", except(onNeed(303, focalCallers...), "fpB", 404)},
	"POST /offers-new":         {"/offers-new", gatedPost(303, "donor")},
	"POST /offers/:id/edit":    {"/offers/1/edit", gatedPost(303, changerCallers...)},
	// Once the donor has withdrawn it, the offer is closed.
	"POST /offers/:id/withdraw":  {"/offers/1/withdraw", inFresh(gatedPost(303, changerCallers...), map[string]int{"sec": 409, "admin": 409})},
	"POST /matches/:id/withdraw": {"/matches/1/withdraw", inFresh(onNeed(303, changerCallers...), map[string]int{"sec": 409, "admin": 409})},
}

// matrixForm is a plausible form for each POST route, so that a refusal
// comes from authorisation, not from a malformed request.
func matrixForm(pattern string) url.Values {
	switch pattern {
	case "POST /reports/:iso3/:cycle/sections/:section", "POST /reports/:iso3/:cycle/answers/:code":
		return url.Values{"v.II.a.1": {"1"}, "II.a.1.status": {"no"}, "II.a.1.challenges": {"changed by the matrix"}}
	case "POST /reports/:iso3/:cycle/sections/:section/comments":
		return url.Values{"body": {"a comment from the matrix"}}
	case "POST /reports/:iso3/:cycle/sections/:section/assign":
		return url.Values{"user_id": {"0"}}
	case "POST /reports/:iso3/:cycle/status":
		return url.Values{"action": {"publish"}}
	case "POST /reports/:iso3/:cycle/visibility":
		return url.Values{"visibility": {"public"}}
	case "POST /reports/:iso3/:cycle/submit":
		return url.Values{"password": {testPassword}}
	case "POST /cycles-new", "POST /cycles/:cycle/edit":
		return url.Values{"label": {"2030-2031"}, "process_name": {"GM"}, "opens_on": {"2030-01-01"}, "due_on": {"2030-06-01"}, "closes_on": {"2030-12-01"}, "template_version": {"v1"}}
	case "POST /admin/users":
		return url.Values{"email": {"new@x.org"}, "name": {"New"}, "role": {"donor"}}
	case "POST /admin/users/:id/role":
		return url.Values{"role": {"donor"}}
	case "POST /admin/users/:id/organisation":
		return url.Values{"organisation": {"Another Fund"}}
	case "POST /needs/carry":
		return url.Values{"cycle": {"2026-2027"}}
	case "POST /needs/:id/status":
		return url.Values{"from": {surveys.NeedDiscussion}, "to": {surveys.NeedWithdrawn}, "note": {"from the matrix"}}
	case "POST /needs/:id/edit":
		return url.Values{"type": {"technical-assistance"}, "priority": {"low"}, "description": {"edited by the matrix"}}
	case "POST /matches":
		return url.Values{"need_id": {"1"}, "offer_id": {"1"}, "message": {"from the matrix"}}
	case "POST /matches/:id/decide":
		return url.Values{"decision": {"decline"}, "note": {"from the matrix"}}
	case "POST /offers-new", "POST /offers/:id/edit":
		return url.Values{"provider": {"Matrix Fund"}, "areas": {"critical-infrastructure"}, "types": {"technical-assistance"}, "regions": {"Asia-Pacific"}}
	case "POST /directory/:iso3/contacts", "POST /directory/:iso3/contacts/:id":
		return url.Values{"kind": {models.ContactDiplomatic}, "person_name": {"Matrix Contact"}, "mailbox": {"mc@jp.example"}}
	case "POST /directory/rounds":
		return url.Values{"scope": {"all"}, "days": {"14"}}
	case "POST /cycles/:cycle/reminders":
		return url.Values{"days": {"7"}}
	case "POST /account/tokens":
		return url.Values{"name": {"matrix"}}
	case "POST /account/notifications":
		return url.Values{"lang": {"en"}}
	case "POST /account/password":
		return url.Values{"current": {testPassword}, "new": {"another horse battery staple"}, "confirm": {"another horse battery staple"}}
	case "POST /login":
		return url.Values{"email": {"fp@jp.example"}, "password": {testPassword}}
	}
	return url.Values{}
}

// snapshot is what a refused write must leave unchanged, read through
// the store (so on both databases): the report, two answers, comments,
// users and cycles.
func snapshot(t *testing.T, a *app) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	r, err := a.db.GetReport(ctx, "JPN", "2026-2027", 0)
	if err != nil {
		t.Fatal(err)
	}
	b.WriteString(r.Status + " " + r.Visibility + " " + itoa(int64(r.Version)) + "\n")
	ans, err := a.db.ListAnswers(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"II.a.1", "0.b.1"} {
		b.WriteString(code + " " + itoa(int64(ans[code].Version)) + " " + ans[code].Value.Challenges + "\n")
	}
	cs, err := a.db.ListComments(ctx, r.ID, "II.a")
	if err != nil {
		t.Fatal(err)
	}
	b.WriteString("comments " + itoa(int64(len(cs))) + "\n")
	us, err := a.db.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		b.WriteString(u.Email + " " + u.Role + " " + map[bool]string{true: "off", false: "on"}[u.Disabled] + "\n")
	}
	cys, err := a.db.ListCycles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cys {
		b.WriteString(c.Label + " " + c.ProcessName + "\n")
	}
	return b.String()
}

// matrixApp is the fixture's app and the SQLite file under it, read
// directly for snapshots.
type matrixApp struct {
	*app
	raw    *sql.DB
	tokens map[string]string // each signed-in caller's API token
}

// notData are the tables a refused request may change: sessions (last
// seen), sign-in attempts, leases and health probes.
var notData = map[string]bool{"sessions": true, "signin_attempts": true, "leases": true, "health_checks": true}

// snapshot is every row of every data table: what a refused write must
// leave unchanged.
func (a *matrixApp) snapshot(t *testing.T) string {
	t.Helper()
	db := a.raw
	var tables []string
	rows, err := db.Query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		if !notData[name] {
			tables = append(tables, name)
		}
	}
	rows.Close()
	var b strings.Builder
	for _, table := range tables {
		rows, err := db.Query("SELECT * FROM " + table + " ORDER BY 1")
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s %v\n", table, vals)
		}
		rows.Close()
	}
	return b.String()
}

// newMatrixApp builds State A's report at status and visibility, with
// markers in an answer, a contact, a comment and a need, an offer of the
// donor's organisation and the donor's proposal, and signs every caller in.
func newMatrixApp(t *testing.T, fx matrixFixture) (*matrixApp, map[string]*client) {
	t.Helper()
	tg := testdb.SQLite(t)
	db := modeltest.Open(t, tg)
	raw, err := rawDB(t, tg).DB()
	if err != nil {
		t.Fatal(err)
	}
	a := &matrixApp{newAppOn(t, db), raw, map[string]string{}}
	ctx := context.Background()
	a.cycle("2026-2027", time.Now().AddDate(0, -1, 0))
	fp := a.user("fp@jp.example", models.RoleFocalPoint, "JPN")
	a.user("co@jp.example", models.RoleContributor, "JPN")
	a.user("fp@ke.example", models.RoleFocalPoint, "KEN")
	donor := a.user("donor@d.example", models.RoleDonor, "")
	a.user("sec@un.example", models.RoleSecretariat, "")
	a.user("admin@un.example", models.RoleAdmin, "")
	callers := map[string]*client{"anon": a.anon(), "fpA": a.login("fp@jp.example"), "coA": a.login("co@jp.example"),
		"fpB": a.login("fp@ke.example"), "donor": a.login("donor@d.example"), "sec": a.login("sec@un.example"), "admin": a.login("admin@un.example")}
	emails := map[string]string{"fpA": "fp@jp.example", "coA": "co@jp.example", "fpB": "fp@ke.example",
		"donor": "donor@d.example", "sec": "sec@un.example", "admin": "admin@un.example"}
	for _, who := range signedInCallers { // fpA's token is token 1
		u, err := a.db.GetUserByEmail(ctx, emails[who])
		if err != nil {
			t.Fatal(err)
		}
		if a.tokens[who], _, err = a.db.CreateAPIToken(ctx, u.ID, "matrix", nil, models.Actor{UserID: u.ID}); err != nil {
			t.Fatal(err)
		}
	}
	wantStatus(t, callers["fpA"].post(mBase+"/start", nil), http.StatusSeeOther)
	r, err := a.db.GetReport(ctx, "JPN", "2026-2027", 0)
	if err != nil {
		t.Fatal(err)
	}
	actor := models.Actor{UserID: fp.ID, Email: fp.Email}
	if _, err := a.db.SaveAnswer(ctx, r.ID, "II.a.1", surveys.Value{Status: "yes", Challenges: markAnswer}, 0, actor, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.SaveAnswer(ctx, r.ID, "0.b.1", surveys.Value{Contact: map[string]string{"name": markContact, "email": "poc@jp.example"}}, 0, actor, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.AddComment(ctx, r.ID, "II.a", markComment, actor); err != nil {
		t.Fatal(err)
	}
	if err := a.db.SetVisibility(ctx, r.ID, fx.vis, actor); err != nil {
		t.Fatal(err)
	}
	chain := []string{surveys.ReportDraft, surveys.ReportReview, surveys.ReportSubmitted, surveys.ReportPublished}
	for i := 1; i < len(chain) && chain[i-1] != fx.status; i++ {
		if err := a.db.SetReportStatus(ctx, r.ID, chain[i-1], chain[i], actor); err != nil {
			t.Skipf("the store does not allow %s → %s at %s: %v", chain[i-1], chain[i], fx.vis, err)
		}
	}
	if err := a.db.SaveContact(ctx, &models.Contact{StateISO3: "JPN", Kind: models.ContactTechnical, Mailbox: "cert@jp.example", PersonName: "CERT"}, actor); err != nil {
		t.Fatal(err)
	}
	staff := models.Actor{Email: "sec@un.example"}
	if err := a.db.SetUserOrganisation(ctx, donor.ID, "Matrix Fund", staff); err != nil {
		t.Fatal(err)
	}
	org, err := a.db.UserOrganisation(ctx, donor.ID)
	if err != nil {
		t.Fatal(err)
	}
	offer := &models.Offer{OrganisationID: org.ID, Provider: "Matrix Fund", AreasText: "critical-infrastructure", TypesText: "technical-assistance", Regions: "Asia-Pacific"}
	if err := a.db.CreateOffer(ctx, offer, models.Actor{UserID: donor.ID, Email: donor.Email}); err != nil || offer.ID != 1 {
		t.Fatalf("offer %d: %v", offer.ID, err)
	}
	if fx.registered() {
		need := surveys.Need{Code: "IV.a.4", Area: "critical-infrastructure", Type: "technical-assistance", Priority: "high", Description: markNeed}
		if _, err := a.db.SyncRegisters(ctx, r.ID, []surveys.Need{need}, nil, actor); err != nil {
			t.Fatal(err)
		}
		if _, err := a.db.ProposeMatch(ctx, 1, offer.ID, "from the matrix", models.Actor{UserID: donor.ID, Email: donor.Email}); err != nil {
			t.Fatal(err)
		}
	}
	return a, callers
}

// bodyText is what a reader gets out of a reply: text of PDFs, of every
// file in a ZIP (an XLSX workbook too), or the body itself.
func bodyText(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	b := w.Body.Bytes()
	switch ct := w.Header().Get("Content-Type"); {
	case strings.HasPrefix(ct, "application/pdf"):
		return pdfText(t, b)
	case strings.HasPrefix(ct, "application/zip"), strings.Contains(ct, "spreadsheetml"): // an XLSX file is a ZIP of XML
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatalf("zip: %v", err)
		}
		var all strings.Builder
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(rc)
			rc.Close()
			if strings.HasSuffix(f.Name, ".pdf") {
				all.WriteString(pdfText(t, data))
			} else {
				all.Write(data)
			}
		}
		return all.String()
	}
	return string(b)
}

// TestAuthorisationMatrix walks the router's own route list: every route
// × caller × report status × visibility. It asserts the status code, that
// no marker of State A's hidden answers, contacts or comments reaches a
// caller who may not read it (pages, print, PDF text, ZIP, CSV), and that
// refused writes change nothing.
func TestAuthorisationMatrix(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext missing")
		}
		t.Skip("pdftotext not installed")
	}
	s := newServer(modeltest.OpenTest(t), builtinTemplates, Config{}, quietLogger())
	s.routes()
	var patterns []string
	for _, ri := range s.routeInfo {
		key := ri.Method + " " + ri.Path
		if _, ok := matrixRoutes[key]; !ok {
			t.Errorf("route %s has no row in the authorisation matrix", key)
			continue
		}
		patterns = append(patterns, key)
	}
	for _, status := range []string{surveys.ReportDraft, surveys.ReportReview, surveys.ReportSubmitted, surveys.ReportPublished} {
		for _, vis := range surveys.VisibilityLevels {
			fx := matrixFixture{status, vis, false}
			t.Run(status+"/"+vis, func(t *testing.T) {
				t.Parallel()
				a, callers := newMatrixApp(t, fx)
				// The markers are there to be found: the State reads them all,
				// in the page and the PDF.
				if w := callers["fpA"].get(mBase + "/print"); !strings.Contains(w.Body.String(), markAnswer) || !strings.Contains(w.Body.String(), markContact) {
					t.Fatalf("the State's print view lacks its own markers")
				}
				if txt := bodyText(t, callers["fpA"].get(mBase+"/report.pdf")); !strings.Contains(txt, markAnswer) {
					t.Fatalf("the State's PDF lacks its answer marker")
				}
				if w := callers["fpA"].get(mBase + "/sections/II.a"); !strings.Contains(w.Body.String(), markComment) {
					t.Fatalf("the State's section page lacks its comment")
				}
				if w := callers["fpA"].get("/needs/1"); fx.registered() && !strings.Contains(w.Body.String(), markNeed) {
					t.Fatalf("the State's need page lacks its need")
				}
				if txt := bodyText(t, callers["fpA"].get("/needs.xlsx")); fx.registered() && !strings.Contains(txt, markNeed) {
					t.Fatalf("the State's XLSX of needs lacks its need")
				}
				for _, pattern := range patterns {
					method, _, _ := strings.Cut(pattern, " ")
					if method == http.MethodPost {
						continue
					}
					row := matrixRoutes[pattern]
					for _, who := range matrixCallers {
						req := httptest.NewRequest(method, row.path, nil)
						if strings.HasPrefix(row.path, apiPrefix+"/") && who != "anon" {
							req.Header.Set("Authorization", "Bearer "+a.tokens[who])
						}
						w := callers[who].do(req)
						checkCode(t, pattern+" as "+who, w.Code, row.want(who, fx))
						checkMarkers(t, pattern+" as "+who, bodyText(t, w), who, fx)
					}
				}
				// Every POST that is refused (4xx) is refused here, on the
				// same data, and must change nothing.
				for _, pattern := range patterns {
					row := matrixRoutes[pattern]
					if !strings.HasPrefix(pattern, "POST ") || pattern == "POST /logout" {
						continue
					}
					for _, who := range matrixCallers {
						want := row.want(who, fx)
						if want < 400 {
							continue
						}
						before := a.snapshot(t)
						w := callers[who].post(row.path, matrixForm(pattern))
						checkCode(t, pattern+" as "+who, w.Code, want)
						if after := a.snapshot(t); after != before {
							t.Errorf("%s as %s: a refused write (%d) changed the data:\n%s", pattern, who, w.Code, lineDiff(before, after))
						}
						checkMarkers(t, pattern+" as "+who, w.Body.String(), who, fx)
					}
				}
			})
		}
	}
	// The writes that succeed, each route on fresh data (a draft private
	// report, and a published public one with its need and match), its
	// callers one after the other.
	for _, fx := range []matrixFixture{{surveys.ReportDraft, surveys.VisPrivate, true}, {surveys.ReportPublished, surveys.VisPublic, true}} {
		for _, pattern := range patterns {
			row := matrixRoutes[pattern]
			if !strings.HasPrefix(pattern, "POST ") || !slices.ContainsFunc(matrixCallers, func(who string) bool { return row.want(who, fx) < 400 }) {
				continue
			}
			t.Run(fx.status+"/"+fx.vis+"/"+pattern, func(t *testing.T) {
				t.Parallel()
				_, callers := newMatrixApp(t, fx)
				for _, who := range matrixCallers {
					w := callers[who].post(row.path, matrixForm(pattern))
					checkCode(t, pattern+" as "+who, w.Code, row.want(who, fx))
					checkMarkers(t, pattern+" as "+who, w.Body.String(), who, fx)
				}
			})
		}
	}
}

// lineDiff shows the lines only in before (-) and only in after (+).
func lineDiff(before, after string) string {
	var b strings.Builder
	bl, al := strings.Split(before, "\n"), strings.Split(after, "\n")
	for _, l := range bl {
		if !slices.Contains(al, l) {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range al {
		if !slices.Contains(bl, l) {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}

// checkCode fails unless a reply has the exact status of its row.
func checkCode(t *testing.T, what string, got, want int) {
	t.Helper()
	if want == 0 {
		t.Errorf("%s: the row gives no status", what)
	} else if got != want {
		t.Errorf("%s: status %d, want %d", what, got, want)
	}
}

// checkMarkers fails if text shows a caller a marker it may not read.
func checkMarkers(t *testing.T, what, text, who string, fx matrixFixture) {
	t.Helper()
	aud, ok := fx.audience(who)
	if strings.Contains(text, markComment) && !member(who) {
		t.Errorf("%s: an internal comment of State A", what)
	}
	if strings.Contains(text, markContact) && !(member(who) || (ok && aud == surveys.AudSecretariat)) {
		t.Errorf("%s: a point of contact of State A", what)
	}
	if strings.Contains(text, markNeed) && !(ok && fx.registered()) {
		t.Errorf("%s: a need of State A it may not read", what)
	}
	if strings.Contains(text, markAnswer) && !(ok && aud != surveys.AudDonors) {
		t.Errorf("%s: an answer of State A it may not read", what)
	}
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
