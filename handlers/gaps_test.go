package handlers

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// gapsApp has one cycle, readers of every kind and a helper that files a
// report with answers at a status and visibility.
type gapsApp struct {
	*app
	cycle                     *models.Cycle
	sec, donor, ken, deu, pub *client
}

func newGapsApp(t *testing.T, a *app) *gapsApp {
	t.Helper()
	g := &gapsApp{app: a}
	g.cycle = a.cycle("2026-2027", time.Now().AddDate(0, -1, 0))
	a.user("sec@un.example", models.RoleSecretariat, "")
	a.user("donor@d.example", models.RoleDonor, "")
	a.user("fp@ke.example", models.RoleFocalPoint, "KEN")
	a.user("fp@de.example", models.RoleFocalPoint, "DEU")
	g.sec, g.donor, g.ken, g.deu, g.pub = a.login("sec@un.example"), a.login("donor@d.example"), a.login("fp@ke.example"), a.login("fp@de.example"), a.anon()
	return g
}

// file makes iso3's report with answers, then moves it to status and
// visibility.
func (g *gapsApp) file(t *testing.T, cy *models.Cycle, iso3 string, answers map[string]surveys.Value, status, vis string) *models.Report {
	t.Helper()
	ctx := context.Background()
	actor := models.Actor{Email: "test"}
	r := &models.Report{StateISO3: iso3, CycleID: cy.ID}
	if err := g.db.CreateReport(ctx, r, actor); err != nil {
		t.Fatal(err)
	}
	for code, v := range answers {
		if _, err := g.db.SaveAnswer(ctx, r.ID, code, v, 0, actor, func(surveys.Value) string { return "" }); err != nil {
			t.Fatal(err)
		}
	}
	if err := g.db.SetVisibility(ctx, r.ID, vis, actor); err != nil {
		t.Fatal(err)
	}
	steps := map[string][]string{models.StatusSubmitted: {models.StatusSubmitted}, models.StatusPublished: {models.StatusSubmitted, models.StatusPublished}}[status]
	from := models.StatusDraft
	for _, to := range steps {
		if err := g.db.SetReportStatus(ctx, r.ID, from, to, actor); err != nil {
			t.Fatal(err)
		}
		from = to
	}
	return r
}

// csvTable downloads a CSV and parses it (without the byte-order mark).
func csvTable(t *testing.T, c *client, path string) [][]string {
	t.Helper()
	w := c.get(path)
	wantStatus(t, w, http.StatusOK)
	body := strings.TrimPrefix(w.Body.String(), "\uFEFF")
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// normA is the row of norm (a) in norms.csv: yes, partly, no, na,
// unanswered, not shared, total.
func normA(t *testing.T, c *client) []string {
	t.Helper()
	rows := csvTable(t, c, "/cycles/2026-2027/gaps/norms.csv")
	if len(rows) != 12 || rows[1][0] != "a" {
		t.Fatalf("norms.csv: %v", rows)
	}
	return rows[1][1:8]
}

var strategy = map[string]surveys.Value{
	"II.a.1": {Status: surveys.StatusYes},
	"II.a.2": {Status: surveys.StatusNo, AssistanceNeeded: true, AssistanceText: "Help with a review"},
	"II.a.3": {Status: surveys.StatusPartly, Challenges: "=cmd|' /C calc'!A0"},
}

// Every export and the page give everyone outside a State the same bytes
// with or without its private report; a restricted report counts for the
// secretariat and other States (once published), not for donors or the
// public; a donors report counts for donors, not for the public.
func TestGapsVisibility(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		g := newGapsApp(t, a)
		syncRegister(t, g, g.file(t, g.cycle, "FRA", strategy, models.StatusPublished, models.VisibilityPublic))
		outside := map[string]*client{"secretariat": g.sec, "donor": g.donor, "other State": g.ken, "public": g.pub}
		paths := []string{"/cycles/2026-2027/gaps", "/cycles/2026-2027/gaps/norms.csv", "/cycles/2026-2027/gaps/cells.csv",
			"/cycles/2026-2027/gaps/kinds-groups.csv", "/cycles/2026-2027/gaps/participation.csv", "/cycles/2026-2027/answers.csv",
			"/compare?cycle=2026-2027&part=II&states=FRA,DEU"}
		before := map[string]string{}
		for who, c := range outside {
			c.get("/") // takes the sign-in flash

			for _, p := range paths {
				w := c.get(p)
				wantStatus(t, w, http.StatusOK)
				before[who+p] = w.Body.String()
			}
		}
		if got := normA(t, g.pub); strings.Join(got, " ") != "1 1 1 0 3 0 6" {
			t.Errorf("public, norm a = %v; want France's yes, partly, no", got)
		}

		// Germany files a private report: nothing changes outside Germany.
		syncRegister(t, g, g.file(t, g.cycle, "DEU", map[string]surveys.Value{"II.a.1": {Status: surveys.StatusNo}, "II.a.2": {Status: surveys.StatusNo, AssistanceNeeded: true}}, models.StatusPublished, models.VisibilityPrivate))
		for who, c := range outside {
			for _, p := range paths {
				if got := c.get(p).Body.String(); got != before[who+p] {
					t.Errorf("%s %s changed with a private report", who, p)
				}
			}
		}
		if got := normA(t, g.deu); got[2] != "3" || got[6] != "12" {
			t.Errorf("Germany's own view, norm a = %v: its own draft-or-private answers count for it", got)
		}

		// Japan submits a restricted report: it counts for the secretariat;
		// for the others it is "not shared" (the 6 status questions of norm a).
		jpn := g.file(t, g.cycle, "JPN", strategy, models.StatusSubmitted, models.VisibilityRestricted)
		syncRegister(t, g, jpn)
		if got := normA(t, g.sec); strings.Join(got[:6], " ") != "2 2 2 0 6 0" {
			t.Errorf("secretariat, norm a = %v", got)
		}
		for _, c := range []*client{g.ken, g.donor, g.pub} {
			if got := normA(t, c); strings.Join(got[:6], " ") != "1 1 1 0 3 6" {
				t.Errorf("norm a = %v; want France only and Japan not shared", got)
			}
		}
		// Published, restricted: other States read it now, donors and the public still not.
		if err := g.db.SetReportStatus(context.Background(), jpn.ID, models.StatusSubmitted, models.StatusPublished, models.Actor{Email: "test"}); err != nil {
			t.Fatal(err)
		}
		if got := normA(t, g.ken); strings.Join(got[:6], " ") != "2 2 2 0 6 0" {
			t.Errorf("other State, norm a = %v", got)
		}
		for _, c := range []*client{g.donor, g.pub} {
			if got := normA(t, c); got[5] != "6" || got[0] != "1" {
				t.Errorf("norm a = %v; want Japan not shared", got)
			}
		}
		// Donors level: donors see Japan's assistance mark (II.a.2 no); the
		// public still does not.
		if err := g.db.SetVisibility(context.Background(), jpn.ID, models.VisibilityDonors, models.Actor{Email: "test"}); err != nil {
			t.Fatal(err)
		}
		if got := normA(t, g.donor); strings.Join(got[:6], " ") != "1 1 2 0 3 5" {
			t.Errorf("donor, norm a = %v; want Japan's II.a.2 counted, its other two not shared", got)
		}
		if got := normA(t, g.pub); got[5] != "6" || got[2] != "1" {
			t.Errorf("public, norm a = %v; want Japan not shared", got)
		}
		kinds := csvTable(t, g.donor, "/cycles/2026-2027/gaps/kinds-groups.csv")
		if !strings.Contains(strings.Join(kinds[0], "|"), "Not specified") {
			t.Errorf("donor's kinds of assistance: %v", kinds)
		}

		// The long format: exactly the copies read, formula-safe.
		rows := csvTable(t, g.donor, "/cycles/2026-2027/answers.csv")
		var jpnRows []string
		for _, r := range rows[1:] {
			if r[1] == "JPN" {
				jpnRows = append(jpnRows, r[4]+"="+r[6]+"/"+r[8])
			}
		}
		if strings.Join(jpnRows, " ") != "II.a.2=No/Yes: Help with a review" {
			t.Errorf("donor's Japan rows: %v", jpnRows)
		}
		secRows := csvTable(t, g.sec, "/cycles/2026-2027/answers.csv")
		found := false
		for _, r := range secRows {
			if r[1] == "JPN" && r[4] == "II.a.3" {
				found = r[7] == "'=cmd|' /C calc'!A0"
			}
			if r[1] == "DEU" {
				t.Errorf("the secretariat's export holds Germany's private report: %v", r)
			}
		}
		if !found {
			t.Errorf("challenge not neutralised in the secretariat's export")
		}
	})
}

func TestGapsPageAndDrill(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		g := newGapsApp(t, a)
		g.file(t, g.cycle, "FRA", strategy, models.StatusPublished, models.VisibilityPublic)
		g.file(t, g.cycle, "JPN", strategy, models.StatusSubmitted, models.VisibilityRestricted)
		w := g.pub.get("/cycles/2026-2027/gaps")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, `role="img"`, "<title", "<desc", "Status answers per norm", "Western European and Others Group",
			"Not shared with you", `href="/cycles/2026-2027/gaps/cells.csv"`)
		noBody(t, w, "Japan")

		w = g.pub.get("/cycles/2026-2027/gaps?norm=a&group=" + "Western+European+and+Others")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "France", `href="/reports/FRA/2026-2027?v=1"`)
		w = g.pub.get("/cycles/2026-2027/gaps?norm=a&group=Asia-Pacific")
		wantBody(t, w, "And 1 States whose reports are not shared with you.")
		noBody(t, w, "Japan")
		wantStatus(t, g.pub.get("/cycles/2026-2027/gaps?norm=z&group=Asia-Pacific"), http.StatusNotFound)
		wantStatus(t, g.pub.get("/cycles/2099/gaps"), http.StatusNotFound)
		wantStatus(t, g.pub.get("/cycles/2026-2027/gaps/nothing.csv"), http.StatusNotFound)
		wantStatus(t, g.pub.get("/cycles/2026-2027/gaps/norms.pdf"), http.StatusNotFound)

		w = g.sec.get("/cycles/2026-2027/gaps?norm=a&group=Asia-Pacific")
		wantBody(t, w, "Japan", `href="/reports/JPN/2026-2027?v=1"`)
		wantBody(t, g.sec.get("/cycles/2026-2027"), `href="/cycles/2026-2027/gaps"`)

		xl := g.sec.get("/cycles/2026-2027/answers.xlsx")
		wantStatus(t, xl, http.StatusOK)
		if !strings.HasPrefix(xl.Body.String(), "PK") {
			t.Errorf("answers.xlsx is not a workbook")
		}
	})
}

func TestSideBySide(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		g := newGapsApp(t, a)
		g.file(t, g.cycle, "FRA", strategy, models.StatusPublished, models.VisibilityPublic)
		g.file(t, g.cycle, "JPN", map[string]surveys.Value{"II.a.1": {Status: surveys.StatusNo, Challenges: "secret words"}}, models.StatusSubmitted, models.VisibilityRestricted)
		w := g.pub.get("/compare?cycle=2026-2027&part=II&states=FRA,jpn")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "France", "Japan", "No report you may read", "II.a.1", "Partly / in progress")
		noBody(t, w, "secret words")
		w = g.sec.get("/compare?cycle=2026-2027&part=II&states=FRA,JPN")
		wantBody(t, w, "secret words")
		wantStatus(t, g.pub.get("/compare?cycle=2026-2027&states=FRA,JPN,KEN,DEU"), http.StatusUnprocessableEntity)
		wantStatus(t, g.pub.get("/compare?cycle=2026-2027&part=IX&states=FRA"), http.StatusNotFound)
		wantStatus(t, g.pub.get("/compare?cycle=2026-2027&states=XXX"), http.StatusNotFound)
		wantStatus(t, g.pub.get("/compare"), http.StatusOK)
	})
}

func TestMeasuresColumn(t *testing.T) {
	if got := measures(surveys.Value{Status: "yes"}); got != "" {
		t.Errorf("no measures: %q", got)
	}
	if got := measures(surveys.Value{Measures: "Strategy adopted", Links: []string{"https://a.example", ""}}); got != "Strategy adopted · https://a.example" {
		t.Errorf("measures = %q", got)
	}
	if got := measures(surveys.Value{Links: []string{"https://a.example"}}); got != "https://a.example" {
		t.Errorf("links only = %q", got)
	}
}
