package handlers

import (
	"context"
	"maps"
	"net/url"
	"strings"
	"testing"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// syncRegister fills the needs and offers registers from report r, as
// submitting does.
func syncRegister(t *testing.T, g *gapsApp, r *models.Report) {
	t.Helper()
	ctx := context.Background()
	vals, err := g.db.ListValues(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	tpl := builtinTemplates["v1"]
	if _, err := g.db.SyncRegisters(ctx, r.ID, surveys.Needs(tpl, vals), surveys.Offers(tpl, vals), models.Actor{Email: "test"}); err != nil {
		t.Fatal(err)
	}
}

// kindsOf reads kinds-groups.csv as c gets it: the Western European and
// Others Group's row, by column heading, and the whole file.
func kindsOf(t *testing.T, c *client) (map[string]string, string) {
	t.Helper()
	rows := csvTable(t, c, "/cycles/2026-2027/gaps/kinds-groups.csv")
	got := map[string]string{}
	for _, r := range rows[1:] {
		if r[0] == "Western European and Others Group" {
			for i, h := range rows[0][1:] {
				if r[i+1] != "0" {
					got[h] = r[i+1]
				}
			}
		}
	}
	return got, c.get("/cycles/2026-2027/gaps/kinds-groups.csv").Body.String() + c.get("/cycles/2026-2027/gaps/kinds-cmm.csv").Body.String()
}

// The most requested kinds of assistance are counted from the needs
// register: its statuses and the secretariat's corrections count, and a
// private report's needs change nothing anyone outside its State gets.
func TestGapsKindsFromRegister(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		g := newGapsApp(t, a)
		ctx := context.Background()
		fra := g.file(t, g.cycle, "FRA", map[string]surveys.Value{
			"II.a.1": {Status: surveys.StatusNo, AssistanceNeeded: true, AssistanceType: "training"},
			"II.a.2": {Status: surveys.StatusNo, AssistanceNeeded: true, AssistanceType: "equipment"},
			"II.a.3": {Status: surveys.StatusPartly, AssistanceNeeded: true, AssistanceType: "training"},
		}, models.StatusPublished, models.VisibilityPublic)
		outside := map[string]*client{"secretariat": g.sec, "donor": g.donor, "other State": g.ken, "public": g.pub}
		// Before the register holds France's needs, nothing is counted:
		// the answers alone are not the register.
		if got, _ := kindsOf(t, g.pub); len(got) != 0 {
			t.Errorf("kinds without a register: %v", got)
		}
		syncRegister(t, g, fra)
		before := map[string]string{}
		for who, c := range outside {
			got, files := kindsOf(t, c)
			// Two needs of training, one of equipment: all open.
			if want := map[string]string{"Training": "2", "Equipment": "1", "Total": "3"}; !maps.Equal(got, want) {
				t.Errorf("%s: France's kinds = %v, want %v", who, got, want)
			}
			before[who] = files
		}

		// Germany's private report asks for funding: nothing changes for
		// anyone outside Germany.
		deu := g.file(t, g.cycle, "DEU", map[string]surveys.Value{
			"II.a.1": {Status: surveys.StatusNo, AssistanceNeeded: true, AssistanceType: "funding"},
		}, models.StatusPublished, models.VisibilityPrivate)
		syncRegister(t, g, deu)
		for who, c := range outside {
			if _, files := kindsOf(t, c); files != before[who] {
				t.Errorf("%s: the kinds of assistance changed with a private report's need:\n%s", who, files)
			}
		}

		// The register moves on: France's equipment need is withdrawn, one
		// training need completed, the other corrected to legal drafting.
		needs, err := g.db.ListNeeds(ctx, surveys.Reader{Role: models.RoleSecretariat}, models.NeedFilter{Cycle: g.cycle.Label, StateISO3: "FRA"})
		if err != nil || len(needs) != 3 {
			t.Fatalf("France's needs: %d, %v", len(needs), err)
		}
		actor := models.Actor{Email: "sec@un.example"}
		for _, n := range needs {
			switch n.QuestionCode {
			case "II.a.1":
				err = g.db.EditNeed(ctx, n.ID, models.NeedEdit{Type: "legal-drafting", Priority: n.Priority, Timeframe: n.Timeframe, Description: n.Description}, actor)
			case "II.a.2":
				err = g.db.SetNeedStatus(ctx, n.ID, n.Status, surveys.NeedWithdrawn, "", actor, nil)
			case "II.a.3":
				err = g.db.SetNeedStatus(ctx, n.ID, n.Status, surveys.NeedCompleted, "", actor, nil)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		for who, c := range outside {
			if got, _ := kindsOf(t, c); !maps.Equal(got, map[string]string{"Legal and policy drafting": "1", "Total": "1"}) {
				t.Errorf("%s: kinds after the register's changes = %v, want legal drafting 1", who, got)
			}
		}
		w := g.pub.get("/cycles/2026-2027/gaps")
		wantBody(t, w, "Legal and policy drafting")
		if strings.Contains(w.Body.String(), ">Equipment<") {
			t.Errorf("the gaps page still counts the withdrawn need")
		}
	})
}

// On an Arabic gaps page, text from the template and the States (kinds of
// assistance, capacity dimensions, State names) is isolated in <bdi>, so
// that a Latin name or a label the template has only in English keeps its
// own direction inside the right-to-left page.
func TestGapsPageIsolatesText(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		g := newGapsApp(t, a)
		syncRegister(t, g, g.file(t, g.cycle, "FRA", map[string]surveys.Value{
			"II.a.1": {Status: surveys.StatusNo, AssistanceNeeded: true, AssistanceType: "training"},
		}, models.StatusPublished, models.VisibilityPublic))
		body := g.sec.get("/cycles/2026-2027/gaps?lang=ar").Body.String()
		if !strings.Contains(body, `dir="rtl"`) {
			t.Fatal("the Arabic page is not right to left")
		}
		_, kinds, ok := strings.Cut(body, `id="h-kinds"`)
		kinds, _, _ = strings.Cut(kinds, `id="h-progress"`)
		if !ok {
			t.Fatal("no kinds of assistance section")
		}
		// The kind (training) heads a column; the dimensions head rows.
		cols := strings.Count(kinds, `<th scope="col"><bdi>`)
		if cols != 2 { // one kind, in each of the two tables
			t.Errorf("%d kind headings isolated, want 2:\n%s", cols, kinds)
		}
		if !strings.Contains(kinds, `<th scope="row"><bdi>`) {
			t.Errorf("capacity dimension not isolated:\n%s", kinds)
		}
		drill := g.sec.get("/cycles/2026-2027/gaps?lang=ar&norm=a&group=" + url.QueryEscape("Western European and Others")).Body.String()
		if !strings.Contains(drill, "<bdi>France</bdi>") {
			_, after, _ := strings.Cut(drill, `id="drill"`)
			t.Errorf("State name not isolated in the drill-down: %.1500s", after)
		}
	})
}
