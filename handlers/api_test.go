package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
	"github.com/natreport/natreport/views"
)

// apiApp is a cycle with one report per visibility case and a reader of
// every kind, each holding a personal API token:
//
//	JPN published, private      → Japan only
//	KEN published, restricted   → Kenya, other States, secretariat
//	FRA published, donors       → also donors (part IV and assistance marks)
//	BRA published, public       → everyone
//	DEU submitted, restricted   → Germany (no user), secretariat
//	CHN draft                   → China only (no user)
//	MEX v1 published public, v2 draft → v1 for everyone
type apiApp struct {
	*app
	tokens map[string]string // reader → token; "anonymous" has none
}

const apiCycleLabel = "2026-2027"

// apiReaders are the readers of the visibility matrix.
var apiReaders = []string{"anonymous", "donor", "focal-KEN", "secretariat", "admin", "focal-JPN"}

func newAPIApp(t *testing.T, a *app) *apiApp {
	t.Helper()
	ctx := context.Background()
	aa := &apiApp{app: a, tokens: map[string]string{}}
	cy := a.cycle(apiCycleLabel, time.Now().AddDate(0, -1, 0))
	users := map[string]*models.User{
		"donor":       a.user("donor@d.example", models.RoleDonor, ""),
		"focal-KEN":   a.user("fp@ke.example", models.RoleFocalPoint, "KEN"),
		"secretariat": a.user("sec@un.example", models.RoleSecretariat, ""),
		"admin":       a.user("admin@un.example", models.RoleAdmin, ""),
		"focal-JPN":   a.user("fp@jp.example", models.RoleFocalPoint, "JPN"),
	}
	for name, u := range users {
		tok, _, err := a.db.CreateAPIToken(ctx, u.ID, "test "+name, nil, models.Actor{UserID: u.ID})
		if err != nil {
			t.Fatal(err)
		}
		aa.tokens[name] = tok
	}
	actor := models.Actor{Email: "fixture"}
	for _, r := range []struct {
		iso3, vis, status string
	}{
		{"JPN", models.VisibilityPrivate, models.StatusPublished},
		{"KEN", models.VisibilityRestricted, models.StatusPublished},
		{"FRA", models.VisibilityDonors, models.StatusPublished},
		{"BRA", models.VisibilityPublic, models.StatusPublished},
		{"DEU", models.VisibilityRestricted, models.StatusSubmitted},
		{"CHN", models.VisibilityRestricted, models.StatusDraft},
		{"MEX", models.VisibilityPublic, models.StatusPublished},
	} {
		rep := &models.Report{StateISO3: r.iso3, CycleID: cy.ID, Visibility: r.vis}
		if err := a.db.CreateReport(ctx, rep, actor); err != nil {
			t.Fatal(err)
		}
		for code, v := range apiAnswers(r.iso3) {
			if _, err := a.db.SaveAnswer(ctx, rep.ID, code, v, 0, actor, nil); err != nil {
				t.Fatal(err)
			}
		}
		from := models.StatusDraft
		for _, to := range []string{models.StatusSubmitted, models.StatusPublished} {
			if from == r.status {
				break
			}
			if err := a.db.SetReportStatus(ctx, rep.ID, from, to, actor); err != nil {
				t.Fatal(err)
			}
			from = to
		}
		if r.iso3 == "MEX" {
			if _, err := a.db.NewVersion(ctx, rep.ID, actor); err != nil {
				t.Fatal(err)
			}
		}
	}
	return aa
}

// apiAnswers are the answers of a State's fixture report; each carries
// the State's code, so that a leak shows in any body.
func apiAnswers(iso3 string) map[string]surveys.Value {
	return map[string]surveys.Value{
		"0.b.1": {Contact: map[string]string{"name": "Contact " + iso3, "email": "poc-" + iso3 + "@gov.example"}},
		"0.a.5": {Text: "Reviewed by cabinet " + iso3},
		"II.a.1": {Status: "partly", Measures: "measures-" + iso3, Links: []string{"https://example.org/" + iso3},
			Challenges: "challenge-" + iso3, AssistanceNeeded: true, AssistanceText: "help-" + iso3},
		"IV.a.3": {Text: "2025"},
	}
}

// get calls the API as reader (without a token when anonymous).
func (aa *apiApp) get(reader, path string) *httptest.ResponseRecorder {
	return apiGet(aa.app, aa.tokens[reader], path)
}

func apiGet(a *app, token, path string) *httptest.ResponseRecorder {
	return apiDo(a, http.MethodGet, token, path)
}

func apiDo(a *app, method, token, path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	a.h.ServeHTTP(w, req)
	return w
}

// decodeJSON checks the reply is JSON with status, and decodes it into v.
func decodeJSON(t testing.TB, w *httptest.ResponseRecorder, status int, v any) {
	t.Helper()
	wantStatus(t, w, status)
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type %q", ct)
	}
	if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
		t.Fatalf("decode %s: %v", w.Body.String(), err)
	}
}

// wantAPIError checks an error reply: status and a JSON {"error": "..."}.
func wantAPIError(t testing.TB, w *httptest.ResponseRecorder, status int) {
	t.Helper()
	var e map[string]any
	decodeJSON(t, w, status, &e)
	if msg, ok := e["error"].(string); !ok || msg == "" || len(e) != 1 {
		t.Fatalf("error body %s", w.Body.String())
	}
	checkSchema(t, "Error", w.Body.Bytes())
}

// readable is what each reader may list in the cycle, as "ISO3 vN".
var readable = map[string][]string{
	"anonymous":   {"BRA v1", "MEX v1"},
	"donor":       {"BRA v1", "FRA v1", "MEX v1"},
	"focal-KEN":   {"BRA v1", "FRA v1", "KEN v1", "MEX v1"},
	"secretariat": {"BRA v1", "DEU v1", "FRA v1", "KEN v1", "MEX v1"},
	"admin":       {"BRA v1", "DEU v1", "FRA v1", "KEN v1", "MEX v1"},
	"focal-JPN":   {"BRA v1", "FRA v1", "JPN v1", "KEN v1", "MEX v1"},
}

// audienceOf is the copy each reader gets of each readable report.
func audienceOf(reader, iso3 string) string {
	switch {
	case reader == "focal-"+iso3:
		return surveys.AudState
	case reader == "secretariat" || reader == "admin":
		return surveys.AudSecretariat
	case strings.HasPrefix(reader, "focal-"):
		return surveys.AudStates
	case reader == "donor" && iso3 == "FRA":
		return surveys.AudDonors
	}
	return surveys.AudPublic
}

func TestAPIReportVisibility(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		aa := newAPIApp(t, a)
		all := []string{"JPN", "KEN", "FRA", "BRA", "DEU", "CHN", "MEX"}
		for _, reader := range apiReaders {
			t.Run(reader, func(t *testing.T) {
				// The list: exactly the readable versions.
				w := aa.get(reader, "/api/v1/cycles/"+apiCycleLabel+"/reports")
				var list apiList[apiReportVersion]
				decodeJSON(t, w, http.StatusOK, &list)
				checkSchema(t, "ReportVersionList", w.Body.Bytes())
				var got []string
				for _, r := range list.Items {
					got = append(got, fmt.Sprintf("%s v%d", r.State, r.Version))
					if r.Audience != audienceOf(reader, r.State) {
						t.Errorf("%s: audience %q, want %q", r.State, r.Audience, audienceOf(reader, r.State))
					}
					if r.URL != "/api/v1/reports/"+r.State+"/"+apiCycleLabel+fmt.Sprintf("?v=%d", r.Version) || r.Cycle != apiCycleLabel || r.StateName == "" {
						t.Errorf("item %+v", r)
					}
				}
				if !slices.Equal(got, readable[reader]) {
					t.Errorf("listed %v, want %v", got, readable[reader])
				}

				// Each report: readable ones with the audience's answers,
				// the others not found, and nothing of them in the body.
				for _, iso3 := range all {
					w := aa.get(reader, "/api/v1/reports/"+iso3+"/"+apiCycleLabel)
					if !slices.Contains(readable[reader], iso3+" v1") {
						wantAPIError(t, w, http.StatusNotFound)
						noBody(t, w, iso3)
						continue
					}
					var rep apiReport
					decodeJSON(t, w, http.StatusOK, &rep)
					checkSchema(t, "Report", w.Body.Bytes())
					aud := audienceOf(reader, iso3)
					if rep.State != iso3 || rep.Version != 1 || rep.Audience != aud || !slices.Equal(rep.Versions, []int{1}) ||
						rep.Status != models.StatusPublished && iso3 != "DEU" || rep.TemplateVersion != "v1" {
						t.Errorf("%s: report %+v", iso3, rep.apiReportVersion)
					}
					codes := answerCodes(rep.Answers)
					var want []string
					switch aud {
					case surveys.AudState, surveys.AudSecretariat:
						want = []string{"0.a.5", "0.b.1", "II.a.1", "IV.a.3"}
						wantBody(t, w, "poc-"+iso3+"@gov.example", "challenge-"+iso3)
					case surveys.AudDonors:
						want = []string{"II.a.1", "IV.a.3"}
						wantBody(t, w, "help-"+iso3)
						noBody(t, w, "poc-"+iso3, "Contact "+iso3, "challenge-"+iso3, "measures-"+iso3, "Reviewed by cabinet")
					default:
						want = []string{"0.a.5", "II.a.1", "IV.a.3"}
						wantBody(t, w, "challenge-"+iso3, "Reviewed by cabinet "+iso3, "measures-"+iso3, "https://example.org/"+iso3)
						noBody(t, w, "poc-"+iso3, "Contact "+iso3)
					}
					if !slices.Equal(codes, want) {
						t.Errorf("%s as %s: answers %v, want %v", iso3, aud, codes, want)
					}
					if a := findAnswer(rep.Answers, "II.a.1"); a.Status != "partly" || !a.AssistanceNeeded || a.Kind != "status" ||
						a.Part != "II" || a.Section != "II.a" || a.QuestionText == "" {
						t.Errorf("%s: II.a.1 = %+v", iso3, a)
					}
				}
			})
		}
	})
}

func answerCodes(as []apiAnswer) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Question)
	}
	sort.Strings(out)
	return out
}

func findAnswer(as []apiAnswer, code string) apiAnswer {
	for _, a := range as {
		if a.Question == code {
			return a
		}
	}
	return apiAnswer{}
}

func TestAPIReportVersions(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		aa := newAPIApp(t, a)
		// Mexico drafts v2: the public reads v1; v2 is not found.
		var rep apiReport
		decodeJSON(t, aa.get("anonymous", "/api/v1/reports/MEX/"+apiCycleLabel), http.StatusOK, &rep)
		if rep.Version != 1 || !slices.Equal(rep.Versions, []int{1}) {
			t.Errorf("MEX: version %d, versions %v", rep.Version, rep.Versions)
		}
		decodeJSON(t, aa.get("anonymous", "/api/v1/reports/MEX/"+apiCycleLabel+"?v=1"), http.StatusOK, &rep)
		wantAPIError(t, aa.get("anonymous", "/api/v1/reports/MEX/"+apiCycleLabel+"?v=2"), http.StatusNotFound)
		wantAPIError(t, aa.get("secretariat", "/api/v1/reports/MEX/"+apiCycleLabel+"?v=2"), http.StatusNotFound)
		wantAPIError(t, aa.get("anonymous", "/api/v1/reports/MEX/"+apiCycleLabel+"?v=99"), http.StatusNotFound)
		// The code may be given in lower case.
		decodeJSON(t, aa.get("anonymous", "/api/v1/reports/bra/"+apiCycleLabel), http.StatusOK, &rep)
		if rep.State != "BRA" {
			t.Errorf("bra: %+v", rep.apiReportVersion)
		}
		// A private report is not found by anyone outside the State, at any version.
		for _, reader := range []string{"anonymous", "donor", "focal-KEN", "secretariat", "admin"} {
			wantAPIError(t, aa.get(reader, "/api/v1/reports/JPN/"+apiCycleLabel+"?v=1"), http.StatusNotFound)
		}
		decodeJSON(t, aa.get("focal-JPN", "/api/v1/reports/JPN/"+apiCycleLabel+"?v=1"), http.StatusOK, &rep)
	})
}

func TestAPIBadInput(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		aa := newAPIApp(t, a)
		for _, c := range []struct {
			path   string
			status int
		}{
			{"/api/v1/states?limit=0", http.StatusBadRequest},
			{"/api/v1/states?limit=501", http.StatusBadRequest},
			{"/api/v1/states?limit=ten", http.StatusBadRequest},
			{"/api/v1/states?limit=", http.StatusBadRequest},
			{"/api/v1/states?cursor=not*base64", http.StatusBadRequest},
			{"/api/v1/states?cursor=", http.StatusBadRequest},
			{"/api/v1/states?cursor=" + url.QueryEscape("bm90IG91cnM"), http.StatusBadRequest}, // base64 without our prefix
			{"/api/v1/states?regional_group=", http.StatusBadRequest},
			{"/api/v1/cycles?limit=-1", http.StatusBadRequest},
			{"/api/v1/cycles/" + apiCycleLabel + "/reports?cursor=x", http.StatusBadRequest},
			{"/api/v1/cycles/1999", http.StatusNotFound},
			{"/api/v1/cycles/nonsense/reports", http.StatusNotFound},
			{"/api/v1/reports/XXX/" + apiCycleLabel, http.StatusNotFound},
			{"/api/v1/reports/BRA/1999", http.StatusNotFound},
			{"/api/v1/reports/BRA/" + apiCycleLabel + "?v=abc", http.StatusBadRequest},
			{"/api/v1/reports/BRA/" + apiCycleLabel + "?v=0", http.StatusBadRequest},
			{"/api/v1/reports/BRA/" + apiCycleLabel + "?v=-2", http.StatusBadRequest},
			{"/api/v1/nothing", http.StatusNotFound},
			{"/api/v1/reports/BRA", http.StatusNotFound},
		} {
			t.Run(c.path, func(t *testing.T) {
				wantAPIError(t, aa.get("secretariat", c.path), c.status)
				wantAPIError(t, aa.get("anonymous", c.path), c.status)
			})
		}
		// The API only reads: any other method is a 405, token or not.
		for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			for _, p := range []string{"/api/v1/cycles", "/api/v1/reports/BRA/" + apiCycleLabel, "/api/v1/openapi.json"} {
				wantAPIError(t, apiDo(a, m, aa.tokens["admin"], p), http.StatusMethodNotAllowed)
				wantAPIError(t, apiDo(a, m, "", p), http.StatusMethodNotAllowed)
			}
		}
		// The language of the request is the language of the error.
		w := aa.get("anonymous", "/api/v1/states?limit=0&lang=fr")
		wantAPIError(t, w, http.StatusBadRequest)
		wantBody(t, w, "nombre entier")
	})
}

func TestAPIPagination(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		aa := newAPIApp(t, a)
		a.cycle("2022-2023", time.Now().AddDate(-4, 0, 0))
		a.cycle("2024-2025", time.Now().AddDate(-2, 0, 0))

		// Every State exactly once, in code order, whatever the page size.
		var want []string
		states, err := a.db.ListStates(context.Background(), "")
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range states {
			want = append(want, s.ISO3)
		}
		sort.Strings(want)
		for _, limit := range []int{1, 7, 50, 194, 195, 500} {
			got := walk[apiState](t, aa, "anonymous", fmt.Sprintf("/api/v1/states?limit=%d", limit), "StateList", limit)
			var codes []string
			for _, s := range got {
				codes = append(codes, s.Code)
			}
			if !slices.Equal(codes, want) {
				t.Fatalf("limit %d: %d States, want %d", limit, len(codes), len(want))
			}
		}
		// The default page is 50; a filter is kept in the next link.
		var page apiList[apiState]
		w := aa.get("anonymous", "/api/v1/states?regional_group=African&lang=en&limit=10")
		wantBody(t, w, `&lang=en&limit=10&regional_group=African"`) // the link keeps its "&"
		decodeJSON(t, aa.get("anonymous", "/api/v1/states"), http.StatusOK, &page)
		if len(page.Items) != apiDefaultLimit || page.Limit != apiDefaultLimit || page.Next == nil {
			t.Fatalf("default page: %d items, limit %d", len(page.Items), page.Limit)
		}
		african := walk[apiState](t, aa, "anonymous", "/api/v1/states?regional_group=African&limit=10", "StateList", 10)
		if len(african) != 54 {
			t.Errorf("%d African States, want 54", len(african))
		}
		for _, s := range african {
			if s.RegionalGroup != "African" {
				t.Errorf("%s is in %q", s.Code, s.RegionalGroup)
			}
		}

		// Cycles, oldest first; reports, by State and version.
		cycles := walk[apiCycle](t, aa, "anonymous", "/api/v1/cycles?limit=2", "CycleList", 2)
		var labels []string
		for _, c := range cycles {
			labels = append(labels, c.Label)
		}
		if !slices.Equal(labels, []string{"2022-2023", "2024-2025", apiCycleLabel}) {
			t.Errorf("cycles %v", labels)
		}
		for _, reader := range apiReaders {
			reps := walk[apiReportVersion](t, aa, reader, "/api/v1/cycles/"+apiCycleLabel+"/reports?limit=1", "ReportVersionList", 1)
			var got []string
			for _, r := range reps {
				got = append(got, fmt.Sprintf("%s v%d", r.State, r.Version))
			}
			if !slices.Equal(got, readable[reader]) {
				t.Errorf("%s walked %v, want %v", reader, got, readable[reader])
			}
		}
		// An empty list is an empty array, not null.
		w = aa.get("anonymous", "/api/v1/cycles/2022-2023/reports")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, `"items":[]`, `"next":null`)
	})
}

// walk follows the next links from path and returns every item, checking
// each page against the schema and the page size.
func walk[T any](t *testing.T, aa *apiApp, reader, path, schema string, limit int) []T {
	t.Helper()
	var all []T
	for range 1000 {
		w := aa.get(reader, path)
		var page apiList[T]
		decodeJSON(t, w, http.StatusOK, &page)
		checkSchema(t, schema, w.Body.Bytes())
		if len(page.Items) > limit || page.Limit != limit {
			t.Fatalf("%s: %d items, limit %d, want at most %d", path, len(page.Items), page.Limit, limit)
		}
		all = append(all, page.Items...)
		if page.Next == nil {
			if page.NextCursor != nil {
				t.Fatalf("%s: a cursor but no next link", path)
			}
			return all
		}
		if len(page.Items) != limit || page.NextCursor == nil || !strings.Contains(*page.Next, "cursor="+url.QueryEscape(*page.NextCursor)) {
			t.Fatalf("%s: next %v after %d items", path, *page.Next, len(page.Items))
		}
		path = *page.Next
	}
	t.Fatalf("%s: more than 1000 pages", path)
	return nil
}

func TestAPIPublicCalls(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		aa := newAPIApp(t, a)
		var cy apiCycle
		w := aa.get("anonymous", "/api/v1/cycles/"+apiCycleLabel)
		decodeJSON(t, w, http.StatusOK, &cy)
		checkSchema(t, "Cycle", w.Body.Bytes())
		if cy.Label != apiCycleLabel || !cy.Open || cy.TemplateVersion != "v1" || cy.ProcessName != "Global Mechanism" ||
			cy.ReportsURL != "/api/v1/cycles/"+apiCycleLabel+"/reports" || cy.ConferenceOn != nil {
			t.Errorf("cycle %+v", cy)
		}
		var st apiList[apiState]
		decodeJSON(t, aa.get("anonymous", "/api/v1/states?limit=500"), http.StatusOK, &st)
		for _, s := range st.Items {
			if s.Code == "JPN" && (s.Name != "Japan" || s.RegionalGroup != "Asia-Pacific" || s.ISO2 != "JP" || s.Observer) {
				t.Errorf("JPN %+v", s)
			}
		}
		var doc map[string]any
		decodeJSON(t, aa.get("anonymous", "/api/v1/openapi.json"), http.StatusOK, &doc)
		if doc["openapi"] != "3.1.0" {
			t.Errorf("openapi %v", doc["openapi"])
		}
	})
}

func TestAPITokens(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		aa := newAPIApp(t, a)
		ctx := context.Background()
		fp := a.login("fp@jp.example")

		// Made on the page and shown once.
		w := fp.post("/account/tokens", url.Values{"name": {"Nightly sync"}, "expires": {""}})
		wantStatus(t, w, http.StatusOK)
		token := regexp.MustCompile(`id="new-token"[^>]*>(nrt_[A-Za-z0-9_-]{43})<`).FindStringSubmatch(w.Body.String())
		if token == nil {
			t.Fatalf("no token in the page: %s", w.Body.String())
		}
		tok := token[1]
		wantBody(t, w, "Nightly sync", "shown only this once")
		// The list shows it again, but never the token.
		w = fp.get("/account/tokens")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "Nightly sync", "Active")
		noBody(t, w, tok)

		// Neither the token list nor the audit log holds the token (the
		// stored columns are checked in models' TestAPITokens).
		entries, err := a.db.ListAuditAll(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := json.Marshal(entries); strings.Contains(string(b), tok[len(models.APITokenPrefix):]) {
			t.Errorf("the audit log holds the token")
		}
		u, _ := a.db.GetUserByEmail(ctx, "fp@jp.example")
		if b, _ := json.Marshal(mustTokens(t, a, u.ID)); strings.Contains(string(b), tok[len(models.APITokenPrefix):]) {
			t.Errorf("the token list holds the token")
		}

		// The token reads with its owner's rights: Japan's private report.
		var rep apiReport
		w = apiGet(a, tok, "/api/v1/reports/JPN/"+apiCycleLabel)
		decodeJSON(t, w, http.StatusOK, &rep)
		if h := w.Header().Get("WWW-Authenticate"); h != "" {
			t.Errorf("a good token challenged: %q", h)
		}
		if rep.Audience != surveys.AudState {
			t.Errorf("audience %q", rep.Audience)
		}
		// The session cookie is not accepted on the API: signed in, but anonymous there.
		w = fp.get("/api/v1/reports/JPN/" + apiCycleLabel)
		wantAPIError(t, w, http.StatusNotFound)
		w = fp.get("/api/v1/cycles/" + apiCycleLabel + "/reports")
		noBody(t, w, "JPN", "KEN")

		// A token never writes: not through the API, not through the pages.
		wantAPIError(t, apiDo(a, http.MethodPost, tok, "/api/v1/reports/JPN/"+apiCycleLabel), http.StatusMethodNotAllowed)
		req := httptest.NewRequest(http.MethodPost, "/account/tokens", strings.NewReader("name=sneaky"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		a.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusUnauthorized {
			t.Errorf("POST with a token: status %d", rec.Code)
		}
		if list := mustTokens(t, a, u.ID); len(list) != 2 {
			t.Errorf("%d tokens after a POST with a token, want 2", len(list))
		}

		// Bad tokens are 401 with a challenge, never a fall-back to anonymous.
		for _, h := range []string{"Bearer nrt_unknown", "Bearer ", "Basic Zm9vOmJhcg==", "Bearer " + tok[len(models.APITokenPrefix):], tok} {
			req := httptest.NewRequest(http.MethodGet, "/api/v1/cycles", nil)
			req.Header.Set("Authorization", h)
			rec := httptest.NewRecorder()
			a.h.ServeHTTP(rec, req)
			wantAPIError(t, rec, http.StatusUnauthorized)
			if rec.Header().Get("WWW-Authenticate") == "" {
				t.Errorf("%q: no WWW-Authenticate", h)
			}
		}

		// Someone else cannot revoke it; its owner can, at once.
		id := itoa(mustTokens(t, a, u.ID)[0].ID)
		ke := a.login("fp@ke.example")
		wantStatus(t, ke.post("/account/tokens/"+id+"/revoke", nil), http.StatusNotFound)
		decodeJSON(t, apiGet(a, tok, "/api/v1/cycles"), http.StatusOK, &map[string]any{})
		wantStatus(t, fp.post("/account/tokens/nonsense/revoke", nil), http.StatusBadRequest)
		w = fp.post("/account/tokens/"+id+"/revoke", nil)
		wantStatus(t, w, http.StatusSeeOther)
		wantAPIError(t, apiGet(a, tok, "/api/v1/cycles"), http.StatusUnauthorized)
		w = fp.get("/account/tokens")
		wantBody(t, w, "The token was revoked", "Revoked")

		// Both changes are in the audit log, with who and from where.
		log, err := a.db.ListAuditAll(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		var seen []string
		for _, e := range log {
			if strings.HasPrefix(e.Action, "token.") && e.UserID == u.ID && e.IP != "" {
				seen = append(seen, e.Action)
			}
		}
		if !slices.Equal(seen, []string{models.ActionTokenRevoke, models.ActionTokenCreate}) {
			t.Errorf("audit %v", seen)
		}

		// A disabled user's tokens stop working at once.
		admin := a.login("admin@un.example")
		sec, _ := a.db.GetUserByEmail(ctx, "sec@un.example")
		decodeJSON(t, aa.get("secretariat", "/api/v1/cycles"), http.StatusOK, &map[string]any{})
		wantStatus(t, admin.post("/admin/users/"+itoa(sec.ID)+"/disable", nil), http.StatusSeeOther)
		wantAPIError(t, aa.get("secretariat", "/api/v1/cycles"), http.StatusUnauthorized)
		wantStatus(t, admin.post("/admin/users/"+itoa(sec.ID)+"/enable", nil), http.StatusSeeOther)
		wantAPIError(t, aa.get("secretariat", "/api/v1/cycles"), http.StatusUnauthorized)

		// A role change takes effect on the next call: the owner's rights, now.
		donor, _ := a.db.GetUserByEmail(ctx, "donor@d.example")
		wantAPIError(t, aa.get("donor", "/api/v1/reports/KEN/"+apiCycleLabel), http.StatusNotFound)
		if err := a.db.SetUserRole(ctx, donor.ID, models.RoleFocalPoint, "KEN"); err != nil {
			t.Fatal(err)
		}
		decodeJSON(t, aa.get("donor", "/api/v1/reports/KEN/"+apiCycleLabel), http.StatusOK, &rep)
		if rep.Audience != surveys.AudState {
			t.Errorf("after the role change: audience %q", rep.Audience)
		}
	})
}

func mustTokens(t *testing.T, a *app, userID int64) []models.APIToken {
	t.Helper()
	list, err := a.db.ListAPITokens(context.Background(), userID)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestTokenForm(t *testing.T) {
	a := newApp(t)
	a.user("donor@d.example", models.RoleDonor, "")
	anon := a.anon()
	w := anon.get("/account/tokens")
	wantStatus(t, w, http.StatusSeeOther)
	if loc := w.Header().Get("Location"); !strings.HasPrefix(loc, "/login") {
		t.Errorf("anonymous sent to %q", loc)
	}
	c := a.login("donor@d.example")
	w = c.get("/account/tokens")
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, "You have no API tokens.", `href="/account/tokens"`)

	// Refused input comes back with its message and the text kept.
	long := strings.Repeat("x", models.MaxTokenName+1)
	yesterday := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	for _, c2 := range []struct {
		form        url.Values
		field, hint string
		msg, kept   string
	}{
		{url.Values{"name": {"  "}}, "name", "", "Give the token a name", ""},
		{url.Values{"name": {long}}, "name", "", "Give the token a name", long},
		{url.Values{"name": {"CI"}, "expires": {"31/12/2030"}}, "expires", "expires-hint ", "YYYY-MM-DD", "31/12/2030"},
		{url.Values{"name": {"CI"}, "expires": {yesterday}}, "expires", "expires-hint ", "after today", yesterday},
	} {
		w := c.post("/account/tokens", c2.form)
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, c2.msg, `-error" aria-invalid="true"`, `aria-describedby="`+c2.hint+c2.field+`-error"`, `id="`+c2.field+`-error"`, "The token was not made")
		if c2.kept != "" {
			wantBody(t, w, `value="`+c2.kept+`"`)
		}
		noBody(t, w, `id="new-token"`)
	}
	// With an expiry date: listed with it, and it expires.
	next := time.Now().UTC().AddDate(0, 0, 2).Format(time.DateOnly)
	w = c.post("/account/tokens", url.Values{"name": {"Short-lived"}, "expires": {next}})
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, `id="new-token"`, views.Date(context.Background(), time.Now().UTC().AddDate(0, 0, 2)))
	tok := regexp.MustCompile(`(nrt_[A-Za-z0-9_-]{43})`).FindString(w.Body.String())
	decodeJSON(t, apiGet(a, tok, "/api/v1/cycles"), http.StatusOK, &map[string]any{})
	a.db.SetNow(func() time.Time { return time.Now().AddDate(0, 0, 3) })
	wantAPIError(t, apiGet(a, tok, "/api/v1/cycles"), http.StatusUnauthorized)
	c = a.login("donor@d.example") // the session has expired too
	wantBody(t, c.get("/account/tokens"), "Expired")
	// The page in Arabic is right to left, its names isolated.
	w = c.get("/account/tokens?lang=ar")
	wantBody(t, w, `dir="rtl"`, "<bdi>Short-lived</bdi>", "رموز واجهة البرمجة")
}
