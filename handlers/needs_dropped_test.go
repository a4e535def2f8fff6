package handlers

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// TestNeedDroppedByUnpublishedAmendment: Estonia's published version 1
// states a need; its amendment, submitted but not published, drops it.
// Readers of version 1 only (the public, a donor) see the need as
// version 1 has it: open, in the report, with no word of the drop; the
// State's focal point and the secretariat, who may read the amendment, see
// it withdrawn. Once the amendment is published, everyone does.
func TestNeedDroppedByUnpublishedAmendment(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		na := newNeedsApp(t, a)
		ctx := context.Background()
		a.user("fp@ee.example", models.RoleFocalPoint, "EST")
		est := a.login("fp@ee.example")
		actor := models.Actor{Email: "fp@ee.example"}
		v2 := na.amend(t, "EST", nil)
		need := needPath(na.need["EST"])
		statusCol := func(c *client, query string) []string {
			t.Helper()
			rows := csvRows(t, c.get("/needs.csv?"+query).Body.Bytes())
			i := slices.Index(rows[0], "Status (code)")
			if i < 0 {
				t.Fatalf("no status column in %q", rows[0])
			}
			var out []string
			for _, r := range rows[1:] {
				out = append(out, r[i])
			}
			return out
		}
		for _, st := range []struct {
			who  string
			c    *client
			want string
		}{
			{"anonymous", na.anon, surveys.NeedOpen},
			{"a donor", na.donor, surveys.NeedOpen},
			{"another State", na.sen, surveys.NeedOpen},
			{"the State", est, surveys.NeedWithdrawn},
			{"the secretariat", na.sec, surveys.NeedWithdrawn},
		} {
			other := surveys.NeedWithdrawn
			if st.want == other {
				other = surveys.NeedOpen
			}
			w := st.c.get(need)
			wantStatus(t, w, http.StatusOK)
			wantBody(t, w, `class="badge need-`+st.want+`"`)
			noBody(t, w, `class="badge need-`+other+`"`)
			if st.want == surveys.NeedOpen {
				noBody(t, w, "no longer in report version 2")
			} else {
				wantBody(t, w, "no longer in report version 2")
			}
			wantBody(t, st.c.get("/needs?state=EST"), `class="badge need-`+st.want+`"`)
			if got := statusCol(st.c, "state=EST"); !slices.Equal(got, []string{st.want}) {
				t.Errorf("%s: needs CSV statuses %q, want %q", st.who, got, st.want)
			}
			if got := statusCol(st.c, url.Values{"state": {"EST"}, "status": {st.want}}.Encode()); len(got) != 1 {
				t.Errorf("%s: filtered on %s, %d needs, want 1", st.who, st.want, len(got))
			}
			if got := statusCol(st.c, url.Values{"state": {"EST"}, "status": {other}}.Encode()); len(got) != 0 {
				t.Errorf("%s: filtered on %s, %d needs, want none", st.who, other, len(got))
			}
		}
		// Published: the drop is what everyone may read.
		if err := a.db.SetReportStatus(ctx, v2.ID, models.StatusSubmitted, models.StatusPublished, actor); err != nil {
			t.Fatal(err)
		}
		for _, c := range []*client{na.anon, na.donor} {
			wantBody(t, c.get(need), `class="badge need-withdrawn"`, "no longer in report version 2")
		}
	})
}

// amend submits a new version of the State's report whose answers are
// answers (nil: no needs) and feeds the registers from it, as submission
// does; it returns the new version.
func (na *needsApp) amend(t *testing.T, iso3 string, answers map[string]surveys.Value) *models.Report {
	t.Helper()
	ctx := context.Background()
	actor := models.Actor{Email: "fp@" + iso3}
	v1, err := na.db.GetReport(ctx, iso3, needsCycle, 0)
	if err != nil {
		t.Fatal(err)
	}
	v2, err := na.db.NewVersion(ctx, v1.ID, actor)
	if err != nil {
		t.Fatal(err)
	}
	if err := na.db.SetReportStatus(ctx, v2.ID, models.StatusDraft, models.StatusSubmitted, actor); err != nil {
		t.Fatal(err)
	}
	tmpl := builtinTemplates["v1"]
	if _, err := na.db.SyncRegisters(ctx, v2.ID, surveys.Needs(tmpl, answers), surveys.Offers(tmpl, answers), actor); err != nil {
		t.Fatal(err)
	}
	return v2
}
