package handlers

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

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
)

// The callers of the matrix.
var matrixCallers = []string{"anon", "fpA", "coA", "fpB", "donor", "sec", "admin"}

// matrixRow says, for one route, the concrete path requested and (for
// GET) the status each caller gets, given whether the caller may read the
// report (Audience) and whether it works for State A.
type matrixRow struct {
	path string
	// want returns the expected status; 0 means "not 5xx" only.
	want func(who string, fx matrixFixture) int
}

type matrixFixture struct {
	status, vis string
}

func (fx matrixFixture) audience(who string) (string, bool) {
	r := map[string]surveys.Reader{"anon": {}, "fpA": {Role: surveys.RoleFocalPoint, StateISO3: "JPN"},
		"coA": {Role: surveys.RoleContributor, StateISO3: "JPN"}, "fpB": {Role: surveys.RoleFocalPoint, StateISO3: "KEN"},
		"donor": {Role: surveys.RoleDonor}, "sec": {Role: surveys.RoleSecretariat}, "admin": {Role: surveys.RoleAdmin}}[who]
	return surveys.Audience(r, surveys.ReportRef{StateISO3: "JPN", Status: fx.status, Visibility: fx.vis})
}

func member(who string) bool { return who == "fpA" || who == "coA" }

// readReport: 200 for a reader, 404 for anyone else (anonymous included).
func readReport(who string, fx matrixFixture) int {
	if _, ok := fx.audience(who); ok {
		return http.StatusOK
	}
	return http.StatusNotFound
}

func everyone(string, matrixFixture) int { return http.StatusOK }

func signedIn(who string, _ matrixFixture) int {
	if who == "anon" {
		return http.StatusSeeOther
	}
	return http.StatusOK
}

func staffOnly(who string, _ matrixFixture) int {
	switch who {
	case "anon":
		return http.StatusSeeOther
	case "sec", "admin":
		return http.StatusOK
	}
	return http.StatusForbidden
}

func adminOnly(who string, _ matrixFixture) int {
	switch who {
	case "anon":
		return http.StatusSeeOther
	case "admin":
		return http.StatusOK
	}
	return http.StatusForbidden
}

func anyStatus(string, matrixFixture) int { return 0 }

// staffRole: only the secretariat and admins pass the role check; the
// file itself may not exist yet (the compilation tests check it).
func staffRole(who string, fx matrixFixture) int {
	if who == "sec" || who == "admin" {
		return 0
	}
	return staffOnly(who, fx)
}

// donorRole: only donors pass the role check; what a donor then gets
// depends on their organisation (the needs tests check it).
func donorRole(who string, fx matrixFixture) int {
	if who == "donor" {
		return 0
	}
	return donorOnly(who, fx)
}

func donorOnly(who string, _ matrixFixture) int {
	switch who {
	case "anon":
		return http.StatusSeeOther
	case "donor":
		return http.StatusOK
	}
	return http.StatusForbidden
}

const mBase = "/reports/JPN/2026-2027"

// matrixRoutes has a row for every route of the router, keyed by method
// and pattern; TestAuthorisationMatrix fails on a route without one.
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
	"GET /reports/:iso3/:cycle": {mBase, readReport},
	"GET /reports/:iso3/:cycle/sections/:section": {mBase + "/sections/II.a", readReport},
	"GET /reports/:iso3/:cycle/print":             {mBase + "/print", readReport},
	"GET /reports/:iso3/:cycle/compare":           {mBase + "/compare", anyStatus}, // no previous cycle: 404 or the sign-in
	"GET /reports/:iso3/:cycle/report.pdf":        {mBase + "/report.pdf", readReport},
	"GET /reports/:iso3/:cycle/submit": {mBase + "/submit", func(who string, fx matrixFixture) int {
		switch {
		case who == "anon":
			return http.StatusSeeOther
		case who == "fpA" && (fx.status == surveys.ReportDraft || fx.status == surveys.ReportReview):
			return http.StatusOK
		}
		return 0 // refused: asserted 4xx below
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
	"GET /account/password":          {"/account/password", signedIn},
	"GET /cycles-new":                {"/cycles-new", staffOnly},
	"GET /cycles/:cycle/board.csv":   {"/cycles/2026-2027/board.csv", staffOnly},
	"GET /cycles/:cycle/reports.zip": {"/cycles/2026-2027/reports.zip", staffOnly},
	"GET /cycles/:cycle/edit":        {"/cycles/2026-2027/edit", staffOnly},
	"GET /admin/users":               {"/admin/users", adminOnly},
	"GET /favicon.ico":               {"/favicon.ico", everyone},
	// Personal API tokens: any signed-in person, for themselves.
	"GET /account/tokens":             {"/account/tokens", signedIn},
	"POST /account/tokens":            {"/account/tokens", anyStatus},
	"POST /account/tokens/:id/revoke": {"/account/tokens/1/revoke", anyStatus},
	// The read API ignores cookies: every caller here is anonymous to it,
	// so it may show only what the public may read (markers checked below).
	"GET /api/v1/openapi.json":          {"/api/v1/openapi.json", everyone},
	"GET /api/v1/cycles":                {"/api/v1/cycles", everyone},
	"GET /api/v1/cycles/:cycle":         {"/api/v1/cycles/2026-2027", everyone},
	"GET /api/v1/cycles/:cycle/reports": {"/api/v1/cycles/2026-2027/reports", everyone},
	"GET /api/v1/cycles/:cycle/gaps":    {"/api/v1/cycles/2026-2027/gaps", everyone},
	"GET /api/v1/states":                {"/api/v1/states", everyone},
	"GET /api/v1/reports/:iso3/:cycle":  {"/api/v1" + mBase, anyStatus},
	"GET /api/v1/needs":                 {"/api/v1/needs", everyone},
	"GET /api/v1/offers":                {"/api/v1/offers", everyone},
	// Changing and withdrawing offers and proposals (their own tests check
	// who may; here: no 5xx, no marker, refused writes change nothing).
	"GET /offers/:id/edit":       {"/offers/1/edit", anyStatus},
	"POST /offers/:id/edit":      {"/offers/1/edit", anyStatus},
	"POST /offers/:id/withdraw":  {"/offers/1/withdraw", anyStatus},
	"POST /matches/:id/withdraw": {"/matches/1/withdraw", anyStatus},
	// The needs register and donors' offers (their own tests check the
	// details; here: roles, no 5xx, no marker).
	"GET /needs":                         {"/needs", everyone},
	"GET /needs.csv":                     {"/needs.csv", everyone},
	"GET /needs.xlsx":                    {"/needs.xlsx", everyone},
	"GET /needs/:id":                     {"/needs/1", anyStatus},
	"GET /offers":                        {"/offers", signedIn},
	"GET /offers.csv":                    {"/offers.csv", anyStatus},
	"GET /offers.xlsx":                   {"/offers.xlsx", anyStatus},
	"GET /offers/:id":                    {"/offers/1", anyStatus},
	"GET /matches.csv":                   {"/matches.csv", anyStatus},
	"GET /matches.xlsx":                  {"/matches.xlsx", anyStatus},
	"GET /offers-new":                    {"/offers-new", donorRole},
	"GET /donor":                         {"/donor", donorOnly},
	"GET /admin/organisations":           {"/admin/organisations", adminOnly},
	"POST /needs/carry":                  {"/needs/carry", anyStatus},
	"POST /needs/:id/status":             {"/needs/1/status", anyStatus},
	"POST /needs/:id/edit":               {"/needs/1/edit", anyStatus},
	"POST /matches":                      {"/matches", anyStatus},
	"POST /matches/:id/decide":           {"/matches/1/decide", anyStatus},
	"POST /offers-new":                   {"/offers-new", anyStatus},
	"POST /admin/users/:id/organisation": {"/admin/users/1/organisation", anyStatus},
	"GET /cycles/:cycle/compilation":     {"/cycles/2026-2027/compilation", staffOnly},
	"GET /cycles/:cycle/compilation.pdf": {"/cycles/2026-2027/compilation.pdf", staffRole},
	"POST /cycles/:cycle/compilation":    {"/cycles/2026-2027/compilation", anyStatus},
	"GET /cycles/:cycle/gaps":            {"/cycles/2026-2027/gaps", anyStatus},
	"GET /cycles/:cycle/gaps/:file":      {"/cycles/2026-2027/gaps/gaps.csv", anyStatus},
	"GET /cycles/:cycle/answers.csv":     {"/cycles/2026-2027/answers.csv", anyStatus},
	"GET /cycles/:cycle/answers.xlsx":    {"/cycles/2026-2027/answers.xlsx", anyStatus},
	"GET /compare":                       {"/compare?cycle=2026-2027&states=JPN,KEN", anyStatus},
	// Points of contact, ping rounds and mail (their own tests check the
	// details; here: no 5xx, no marker).
	"GET /cycles/:cycle/reminders":                          {"/cycles/2026-2027/reminders", anyStatus},
	"GET /confirm/:token":                                   {"/confirm/nosuchtoken", anyStatus},
	"GET /directory":                                        {"/directory", anyStatus},
	"GET /directory/rounds":                                 {"/directory/rounds", anyStatus},
	"GET /directory/rounds/:id":                             {"/directory/rounds/1", anyStatus},
	"GET /directory/:iso3":                                  {"/directory/JPN", anyStatus},
	"GET /directory.csv":                                    {"/directory.csv", anyStatus},
	"GET /directory.xlsx":                                   {"/directory.xlsx", anyStatus},
	"GET /admin/outbox":                                     {"/admin/outbox", anyStatus},
	"GET /admin/outbox/:id":                                 {"/admin/outbox/1", anyStatus},
	"GET /account/notifications":                            {"/account/notifications", anyStatus},
	"POST /directory/rounds":                                {"/directory/rounds", anyStatus},
	"POST /directory/rounds/:id/chase":                      {"/directory/rounds/1/chase", anyStatus},
	"POST /directory/:iso3/contacts":                        {"/directory/JPN/contacts", anyStatus},
	"POST /directory/:iso3/contacts/:id":                    {"/directory/JPN/contacts/1", anyStatus},
	"POST /directory/:iso3/contacts/:id/delete":             {"/directory/JPN/contacts/1/delete", anyStatus},
	"POST /directory/:iso3/contacts/:id/confirm":            {"/directory/JPN/contacts/1/confirm", anyStatus},
	"POST /directory/:iso3/from-report":                     {"/directory/JPN/from-report", anyStatus},
	"POST /directory/:iso3/to-report":                       {"/directory/JPN/to-report", anyStatus},
	"POST /admin/outbox/:id/retry":                          {"/admin/outbox/1/retry", anyStatus},
	"POST /account/notifications":                           {"/account/notifications", anyStatus},
	"POST /cycles/:cycle/reminders":                         {"/cycles/2026-2027/reminders", anyStatus},
	"POST /confirm/:token":                                  {"/confirm/nosuchtoken", anyStatus},
	"POST /login":                                           {"/login", anyStatus},
	"POST /logout":                                          {"/logout", anyStatus},
	"POST /reports/:iso3/:cycle/start":                      {mBase + "/start", anyStatus},
	"POST /reports/:iso3/:cycle/sections/:section":          {mBase + "/sections/II.a", anyStatus},
	"POST /reports/:iso3/:cycle/sections/:section/confirm":  {mBase + "/sections/II.a/confirm", anyStatus},
	"POST /reports/:iso3/:cycle/sections/:section/assign":   {mBase + "/sections/II.a/assign", anyStatus},
	"POST /reports/:iso3/:cycle/sections/:section/comments": {mBase + "/sections/II.a/comments", anyStatus},
	"POST /reports/:iso3/:cycle/answers/:code":              {mBase + "/answers/II.a.1", anyStatus},
	"POST /reports/:iso3/:cycle/status":                     {mBase + "/status", anyStatus},
	"POST /reports/:iso3/:cycle/submit":                     {mBase + "/submit", anyStatus},
	"POST /reports/:iso3/:cycle/visibility":                 {mBase + "/visibility", anyStatus},
	"POST /account/password":                                {"/account/password", anyStatus},
	"POST /cycles-new":                                      {"/cycles-new", anyStatus},
	"POST /cycles/:cycle/edit":                              {"/cycles/2026-2027/edit", anyStatus},
	"POST /admin/users":                                     {"/admin/users", anyStatus},
	"POST /admin/users/:id/role":                            {"/admin/users/1/role", anyStatus},
	"POST /admin/users/:id/disable":                         {"/admin/users/1/disable", anyStatus},
	"POST /admin/users/:id/enable":                          {"/admin/users/1/enable", anyStatus},
}

// mayWrite: who may change what a POST route changes; everyone else must
// be refused with a 4xx and change nothing.
func mayWrite(pattern, who string) bool {
	switch {
	case strings.HasPrefix(pattern, "POST /reports/"):
		return member(who)
	case pattern == "POST /needs/carry" || pattern == "POST /matches/:id/decide":
		return who == "fpA" || who == "fpB"
	case strings.HasPrefix(pattern, "POST /needs/"):
		return who == "fpA" || who == "fpB" || who == "sec" || who == "admin"
	case pattern == "POST /matches":
		return who == "donor" || who == "sec" || who == "admin"
	case pattern == "POST /offers-new":
		return who == "donor"
	case pattern == "POST /cycles-new" || pattern == "POST /cycles/:cycle/edit" || pattern == "POST /cycles/:cycle/compilation":
		return who == "sec" || who == "admin"
	case strings.HasPrefix(pattern, "POST /admin/"):
		return who == "admin"
	}
	return true // sign-in, sign-out, one's own password
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
	}
	return url.Values{}
}

// snapshot is what a refused write must leave unchanged.
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

// newMatrixApp builds State A's report at status and visibility, with
// markers in an answer, a contact and a comment, and signs every caller in.
func newMatrixApp(t *testing.T, fx matrixFixture) (*app, map[string]*client) {
	t.Helper()
	a := newAppOn(t, modeltest.OpenTest(t))
	ctx := context.Background()
	a.cycle("2026-2027", time.Now().AddDate(0, -1, 0))
	fp := a.user("fp@jp.example", models.RoleFocalPoint, "JPN")
	a.user("co@jp.example", models.RoleContributor, "JPN")
	a.user("fp@ke.example", models.RoleFocalPoint, "KEN")
	a.user("donor@d.example", models.RoleDonor, "")
	a.user("sec@un.example", models.RoleSecretariat, "")
	a.user("admin@un.example", models.RoleAdmin, "")
	callers := map[string]*client{"anon": a.anon(), "fpA": a.login("fp@jp.example"), "coA": a.login("co@jp.example"),
		"fpB": a.login("fp@ke.example"), "donor": a.login("donor@d.example"), "sec": a.login("sec@un.example"), "admin": a.login("admin@un.example")}
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
	return a, callers
}

// bodyText is what a reader gets out of a reply: text of PDFs, of every
// file in a ZIP, or the body itself.
func bodyText(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	b := w.Body.Bytes()
	switch ct := w.Header().Get("Content-Type"); {
	case strings.HasPrefix(ct, "application/pdf"):
		return pdfText(t, b)
	case strings.HasPrefix(ct, "application/zip"):
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
			fx := matrixFixture{status, vis}
			t.Run(status+"/"+vis, func(t *testing.T) {
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
				for _, pattern := range patterns {
					if !strings.HasPrefix(pattern, "GET ") && !strings.HasPrefix(pattern, "HEAD ") {
						continue
					}
					row := matrixRoutes[pattern]
					for _, who := range matrixCallers {
						method, _, _ := strings.Cut(pattern, " ")
						w := callers[who].do(httptest.NewRequest(method, row.path, nil))
						want := row.want(who, fx)
						switch {
						case w.Code >= 500:
							t.Errorf("%s as %s: %d", pattern, who, w.Code)
						case want != 0 && w.Code != want:
							t.Errorf("%s as %s: status %d, want %d", pattern, who, w.Code, want)
						}
						checkMarkers(t, pattern+" as "+who, bodyText(t, w), who, fx)
					}
				}
				for _, pattern := range patterns {
					if !strings.HasPrefix(pattern, "POST ") || pattern == "POST /logout" || pattern == "POST /login" {
						continue
					}
					row := matrixRoutes[pattern]
					for _, who := range matrixCallers {
						if mayWrite(pattern, who) {
							continue
						}
						before := snapshot(t, a)
						w := callers[who].post(row.path, matrixForm(pattern))
						if w.Code < 400 || w.Code >= 500 {
							t.Errorf("%s as %s: status %d, want a refusal (4xx)", pattern, who, w.Code)
						}
						if after := snapshot(t, a); after != before {
							t.Errorf("%s as %s: a refused write changed\n%s\ninto\n%s", pattern, who, before, after)
						}
						checkMarkers(t, pattern+" as "+who, w.Body.String(), who, fx)
					}
				}
			})
		}
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
	if strings.Contains(text, markAnswer) && !(ok && aud != surveys.AudDonors) {
		t.Errorf("%s: an answer of State A it may not read", what)
	}
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
