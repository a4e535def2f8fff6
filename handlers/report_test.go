package handlers

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// reportApp has a current cycle and the users of every role: Japan's focal
// point and contributor, Kenya's focal point, the secretariat, a donor, an
// admin.
type reportApp struct {
	*app
	cycle                           *models.Cycle
	fp, co, other, sec, donor, anon *client
	fpUser                          *models.User
}

const base = "/reports/JPN/2026-2027"

func newReportApp(t *testing.T, a *app) *reportApp {
	t.Helper()
	ra := &reportApp{app: a}
	ra.cycle = a.cycle("2026-2027", time.Now().AddDate(0, -1, 0))
	ra.fpUser = a.user("fp@jp.example", models.RoleFocalPoint, "JPN")
	a.user("co@jp.example", models.RoleContributor, "JPN")
	a.user("fp@ke.example", models.RoleFocalPoint, "KEN")
	a.user("sec@un.example", models.RoleSecretariat, "")
	a.user("donor@d.example", models.RoleDonor, "")
	ra.fp, ra.co, ra.other = a.login("fp@jp.example"), a.login("co@jp.example"), a.login("fp@ke.example")
	ra.sec, ra.donor, ra.anon = a.login("sec@un.example"), a.login("donor@d.example"), a.anon()
	return ra
}

func (ra *reportApp) start(t *testing.T) {
	t.Helper()
	wantStatus(t, ra.fp.post(base+"/start", nil), http.StatusSeeOther)
}

func (ra *reportApp) answers(t *testing.T, version int) map[string]models.Answer {
	t.Helper()
	r, err := ra.db.GetReport(context.Background(), "JPN", "2026-2027", version)
	if err != nil {
		t.Fatal(err)
	}
	ans, err := ra.db.ListAnswers(context.Background(), r.ID)
	if err != nil {
		t.Fatal(err)
	}
	return ans
}

func (ra *reportApp) status(t *testing.T) string {
	t.Helper()
	r, err := ra.db.GetReport(context.Background(), "JPN", "2026-2027", 0)
	if err != nil {
		t.Fatal(err)
	}
	return r.Status
}

func TestReportStartAndSectionSave(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		ra := newReportApp(t, a)
		w := ra.fp.get(base)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "Start the report", "no right or wrong answers")
		ra.start(t)
		w = ra.fp.get(base)
		wantBody(t, w, "Drafting", "II.g", "0 of ", `href="/reports/JPN/2026-2027/sections/II.a"`)
		noBody(t, w, `id="sec-V.a"`) // no thematic priority in this cycle

		w = ra.fp.get(base + "/sections/II.a")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, `name="II.a.1.status"`, `name="v.II.a.1" value="0"`, "Guidance and sources", "GGE2021")
		form := url.Values{"v.II.a.1": {"0"}, "h.II.a.1": {fingerprint(surveys.Value{})}, "II.a.1.status": {"partly"},
			"II.a.1.challenges": {"Update due in 2027"}, "II.a.1.assistance": {"on"}, "II.a.1.assistance_text": {"Legal drafting"},
			"v.II.a.8": {"0"}, "h.II.a.8": {fingerprint(surveys.Value{})}, "II.a.8": {"https://www.example.go.jp/strategy.pdf"}}
		wantStatus(t, ra.co.post(base+"/sections/II.a", form), http.StatusSeeOther)
		got := ra.answers(t, 0)
		if v := got["II.a.1"].Value; v.Status != "partly" || v.Challenges != "Update due in 2027" || !v.AssistanceNeeded || got["II.a.1"].Version != 1 {
			t.Errorf("II.a.1 = %+v", got["II.a.1"])
		}
		if got["II.a.8"].Value.Text != "https://www.example.go.jp/strategy.pdf" {
			t.Errorf("II.a.8 = %+v", got["II.a.8"])
		}
		w = ra.fp.get(base + "/sections/II.a")
		wantBody(t, w, `value="partly" checked`, "Update due in 2027", `name="v.II.a.1" value="1"`)
		wantBody(t, ra.fp.get(base), "2 of ")
	})
}

func TestSectionInvalidInputKept(t *testing.T) {
	a := newApp(t)
	ra := newReportApp(t, a)
	ra.start(t)
	empty := fingerprint(surveys.Value{})
	form := url.Values{"v.II.a.8": {"0"}, "h.II.a.8": {empty}, "II.a.8": {"www.example not a url"},
		"v.II.a.1": {"0"}, "h.II.a.1": {empty}, "II.a.1.status": {"yes"},
		"v.IV.a.3": {"0"}, "h.IV.a.3": {empty}, "IV.a.3": {"two thousand"}}
	w := ra.fp.post(base+"/sections/II.a", form)
	wantStatus(t, w, http.StatusUnprocessableEntity)
	wantBody(t, w, "Enter a full link starting with http:// or https://.", `value="www.example not a url"`, `aria-invalid="true"`, `aria-describedby="e-II.a.8"`)
	// The valid answer in the same post was saved; the invalid one was not.
	got := ra.answers(t, 0)
	if got["II.a.1"].Value.Status != "yes" {
		t.Errorf("valid answer not saved: %+v", got["II.a.1"])
	}
	if _, ok := got["II.a.8"]; ok {
		t.Errorf("invalid URL saved")
	}
	// Autosave: a number out of range is refused with a message.
	ra.fp.accept = "application/json"
	w = ra.fp.post(base+"/answers/IV.a.3", url.Values{"v.IV.a.3": {"0"}, "IV.a.3": {"1850"}})
	wantStatus(t, w, http.StatusUnprocessableEntity)
	var out answerJSON
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || out.Errors["IV.a.3"] == "" {
		t.Errorf("errors %+v %v", out, err)
	}
	// Malformed requests are 4xx, never 500.
	wantStatus(t, ra.fp.post(base+"/answers/IV.a.3", url.Values{"v.IV.a.3": {"x"}, "IV.a.3": {"2020"}}), http.StatusBadRequest)
	wantStatus(t, ra.fp.post(base+"/answers/NOPE.1", url.Values{"v.NOPE.1": {"0"}}), http.StatusNotFound)
	wantStatus(t, ra.fp.post(base+"/answers/V.a.1", url.Values{"v.V.a.1": {"0"}}), http.StatusNotFound)
	wantStatus(t, ra.fp.get(base+"/sections/ZZ"), http.StatusNotFound)
	wantStatus(t, ra.fp.get(base+"?v=abc"), http.StatusNotFound)
}

func TestAutosaveAndConditionalDisplay(t *testing.T) {
	a := newApp(t)
	ra := newReportApp(t, a)
	ra.start(t)
	ra.fp.accept = "application/json"
	w := ra.fp.post(base+"/answers/II.a.1", url.Values{"v.II.a.1": {"0"}, "II.a.1.status": {"yes"}})
	wantStatus(t, w, http.StatusOK)
	var out answerJSON
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if out.Version != 1 || out.SavedAt == "" || !out.Visible["II.a.7"] {
		t.Errorf("autosave reply %+v", out)
	}
	w = ra.fp.post(base+"/answers/II.a.1", url.Values{"v.II.a.1": {"1"}, "II.a.1.status": {"no"}})
	wantStatus(t, w, http.StatusOK)
	_ = json.Unmarshal(w.Body.Bytes(), &out)
	if out.Visible["II.a.7"] {
		t.Errorf("II.a.7 still shown after II.a.1 = no")
	}
	ra.fp.accept = ""
	wantBody(t, ra.fp.get(base+"/sections/II.a"), `class="question hidden-by-rule" id="q-II.a.7"`)
}

// TestTwoSessionConflict: two people edit the same answer from the same
// version; the second save is refused with both values shown, and nothing
// is silently overwritten.
func TestTwoSessionConflict(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		ra := newReportApp(t, a)
		ra.start(t)
		empty := fingerprint(surveys.Value{})
		mine := url.Values{"v.II.g.1": {"0"}, "h.II.g.1": {empty}, "II.g.1.status": {"yes"}, "II.g.1.challenges": {"From the foreign ministry"}}
		theirs := url.Values{"v.II.g.1": {"0"}, "h.II.g.1": {empty}, "II.g.1.status": {"partly"}, "II.g.1.challenges": {"From the CERT"}}
		wantStatus(t, ra.co.post(base+"/sections/II.g", theirs), http.StatusSeeOther)
		w := ra.fp.post(base+"/sections/II.g", mine)
		wantStatus(t, w, http.StatusConflict)
		wantBody(t, w, "changed this answer after you opened it", "From the CERT", "From the foreign ministry", "Keep mine", "Take theirs",
			`name="v.II.g.1" value="1"`)
		if got := ra.answers(t, 0)["II.g.1"].Value.Challenges; got != "From the CERT" {
			t.Fatalf("overwritten: %q", got)
		}
		// An answer the second person left as shown does not conflict.
		untouched := url.Values{"v.II.g.1": {"0"}, "h.II.g.1": {empty}, "II.g.1.status": {""}, "II.g.2.status": {"yes"}, "v.II.g.2": {"0"}, "h.II.g.2": {empty}}
		wantStatus(t, ra.fp.post(base+"/sections/II.g", untouched), http.StatusSeeOther)
		if got := ra.answers(t, 0)["II.g.1"].Value.Challenges; got != "From the CERT" {
			t.Fatalf("untouched answer overwrote theirs: %q", got)
		}
		// Keep mine: the page now carries their version; saving again wins knowingly.
		mine.Set("v.II.g.1", "1")
		mine.Set("h.II.g.1", fingerprint(ra.answers(t, 0)["II.g.1"].Value))
		wantStatus(t, ra.fp.post(base+"/sections/II.g", mine), http.StatusSeeOther)
		if got := ra.answers(t, 0)["II.g.1"]; got.Value.Challenges != "From the foreign ministry" || got.Version != 2 {
			t.Fatalf("keep mine: %+v", got)
		}
		// Autosave: the same refusal as JSON, with their value.
		ra.co.accept = "application/json"
		w = ra.co.post(base+"/answers/II.g.1", url.Values{"v.II.g.1": {"1"}, "II.g.1.status": {"no"}})
		wantStatus(t, w, http.StatusConflict)
		var out answerJSON
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || out.Conflict == nil || !strings.Contains(out.Conflict.Theirs, "foreign ministry") || out.Conflict.Version != 2 {
			t.Fatalf("conflict reply %s", w.Body.String())
		}
		// Take theirs: the save skips that answer.
		take := url.Values{"v.II.g.1": {"1"}, "h.II.g.1": {empty}, "II.g.1.status": {"no"}, "take": {"II.g.1"}}
		wantStatus(t, ra.co.post(base+"/sections/II.g", take), http.StatusSeeOther)
		if got := ra.answers(t, 0)["II.g.1"].Value.Status; got != "yes" {
			t.Fatalf("take theirs changed the answer to %q", got)
		}
		// The record of changes has both saves with old and new values.
		w = ra.fp.get(base + "/history")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "Answer saved", "II.g.1", "co@jp.example", "fp@jp.example", "From the CERT")
	})
}

func TestRepeatingRowsWithoutScript(t *testing.T) {
	a := newApp(t)
	ra := newReportApp(t, a)
	ra.start(t)
	empty := fingerprint(surveys.Value{})
	form := url.Values{"v.II.a.1": {"0"}, "h.II.a.1": {empty}, "II.a.1.status": {"yes"},
		"v.II.a.7": {"0"}, "h.II.a.7": {empty},
		"II.a.7.rows.0.original_title": {"サイバーセキュリティ基本法"}, "II.a.7.rows.0.english_title": {"Basic Act on Cybersecurity"}, "II.a.7.rows.0.in_force": {"2015-01-09"},
		"II.a.7.rows.1.english_title": {"Cybersecurity Strategy"}, "II.a.7.rows.1.link": {"https://www.nisc.go.jp/"},
		"II.a.7.rows.2.english_title": {""}}
	wantStatus(t, ra.fp.post(base+"/sections/II.a", form), http.StatusSeeOther)
	rows := ra.answers(t, 0)["II.a.7"].Value.Rows
	if len(rows) != 2 || rows[0]["english_title"] != "Basic Act on Cybersecurity" {
		t.Fatalf("rows %+v", rows)
	}
	// Move row 2 up, then remove the (new) second row.
	cur := ra.answers(t, 0)["II.a.7"]
	form.Set("v.II.a.7", "1")
	form.Set("h.II.a.7", fingerprint(cur.Value))
	form.Set("v.II.a.1", "1")
	form.Set("h.II.a.1", fingerprint(ra.answers(t, 0)["II.a.1"].Value))
	form.Set("rowop", "II.a.7|1|up")
	w := ra.fp.post(base+"/sections/II.a", form)
	wantStatus(t, w, http.StatusSeeOther)
	if loc := w.Header().Get("Location"); !strings.HasSuffix(loc, "#q-II.a.7") {
		t.Errorf("row move redirects to %q", loc)
	}
	rows = ra.answers(t, 0)["II.a.7"].Value.Rows
	if len(rows) != 2 || rows[0]["english_title"] != "Cybersecurity Strategy" {
		t.Fatalf("after move: %+v", rows)
	}
	cur = ra.answers(t, 0)["II.a.7"]
	rm := url.Values{"v.II.a.7": {"2"}, "h.II.a.7": {fingerprint(cur.Value)}, "rowop": {"II.a.7|1|remove"},
		"II.a.7.rows.0.english_title": {"Cybersecurity Strategy"}, "II.a.7.rows.0.link": {"https://www.nisc.go.jp/"},
		"II.a.7.rows.1.original_title": {"サイバーセキュリティ基本法"}, "II.a.7.rows.1.english_title": {"Basic Act on Cybersecurity"}, "II.a.7.rows.1.in_force": {"2015-01-09"}}
	wantStatus(t, ra.fp.post(base+"/sections/II.a", rm), http.StatusSeeOther)
	rows = ra.answers(t, 0)["II.a.7"].Value.Rows
	if len(rows) != 1 || rows[0]["english_title"] != "Cybersecurity Strategy" {
		t.Fatalf("after remove: %+v", rows)
	}
	// The form shows the rows plus one blank row for a new entry.
	w = ra.fp.get(base + "/sections/II.a")
	wantBody(t, w, `name="II.a.7.rows.0.english_title"`, `name="II.a.7.rows.1.english_title"`)
	noBody(t, w, `name="II.a.7.rows.2.english_title"`)
}

// TestWorkflow walks every transition and who may make it.
func TestWorkflow(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		ra := newReportApp(t, a)
		ra.start(t)
		wantStatus(t, ra.co.post(base+"/answers/II.a.1", url.Values{"v.II.a.1": {"0"}, "II.a.1.status": {"yes"}}), http.StatusOK)

		// Only the focal point moves the report.
		wantStatus(t, ra.co.post(base+"/status", url.Values{"action": {"review"}}), http.StatusForbidden)
		wantStatus(t, ra.co.get(base+"/submit"), http.StatusForbidden)
		wantStatus(t, ra.other.post(base+"/status", url.Values{"action": {"review"}}), http.StatusNotFound)
		wantStatus(t, ra.sec.post(base+"/status", url.Values{"action": {"review"}}), http.StatusNotFound)
		wantStatus(t, ra.fp.post(base+"/status", url.Values{"action": {"explode"}}), http.StatusBadRequest)

		// In review, editing pauses.
		wantStatus(t, ra.fp.post(base+"/status", url.Values{"action": {"review"}}), http.StatusSeeOther)
		if s := ra.status(t); s != "review" {
			t.Fatalf("status %s", s)
		}
		wantStatus(t, ra.co.post(base+"/answers/II.a.2", url.Values{"v.II.a.2": {"0"}, "II.a.2.status": {"yes"}}), http.StatusConflict)
		wantBody(t, ra.co.get(base+"/sections/II.a"), "editing is paused")
		wantStatus(t, ra.fp.post(base+"/status", url.Values{"action": {"reopen"}}), http.StatusSeeOther)
		wantStatus(t, ra.co.post(base+"/answers/II.a.2", url.Values{"v.II.a.2": {"0"}, "II.a.2.status": {"no"}}), http.StatusOK)

		// The secretariat never reads a draft.
		wantStatus(t, ra.sec.get(base), http.StatusNotFound)
		wantStatus(t, ra.sec.get(base+"/print"), http.StatusNotFound)

		// Submission re-asks for the password.
		w := ra.fp.get(base + "/submit")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "Confirm with your password", "2 of ")
		w = ra.fp.post(base+"/submit", url.Values{"password": {"not my password"}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, "The password is not right.")
		wantStatus(t, ra.fp.post(base+"/submit", url.Values{"password": {testPassword}}), http.StatusSeeOther)
		if s := ra.status(t); s != "submitted" {
			t.Fatalf("status %s", s)
		}
		// Frozen.
		wantStatus(t, ra.fp.post(base+"/answers/II.a.1", url.Values{"v.II.a.1": {"1"}, "II.a.1.status": {"no"}}), http.StatusConflict)
		wantStatus(t, ra.fp.post(base+"/submit", url.Values{"password": {testPassword}}), http.StatusConflict)
		// Submitted and restricted: the secretariat reads it; others do not yet.
		wantStatus(t, ra.sec.get(base), http.StatusOK)
		wantStatus(t, ra.other.get(base), http.StatusNotFound)
		wantStatus(t, ra.anon.get(base), http.StatusNotFound)

		// Publish at "public": everyone reads it.
		wantStatus(t, ra.fp.post(base+"/visibility", url.Values{"visibility": {"public"}}), http.StatusSeeOther)
		wantStatus(t, ra.fp.post(base+"/visibility", url.Values{"visibility": {"everyone"}}), http.StatusBadRequest)
		wantStatus(t, ra.fp.post(base+"/status", url.Values{"action": {"publish"}}), http.StatusSeeOther)
		wantStatus(t, ra.anon.get(base), http.StatusOK)
		wantStatus(t, ra.anon.get(base+"/sections/II.a"), http.StatusOK)
		// Withdraw publication: back to the secretariat only.
		wantStatus(t, ra.fp.post(base+"/status", url.Values{"action": {"withdraw"}}), http.StatusSeeOther)
		wantStatus(t, ra.anon.get(base), http.StatusNotFound)
		wantStatus(t, ra.sec.get(base), http.StatusOK)

		// Amend: a new draft version; the old one stays readable.
		wantStatus(t, ra.fp.post(base+"/status", url.Values{"action": {"amend"}}), http.StatusSeeOther)
		w = ra.fp.get(base)
		wantBody(t, w, "Drafting", "v1")
		if got := ra.answers(t, 2)["II.a.1"].Value.Status; got != "yes" {
			t.Errorf("version 2 not copied: %q", got)
		}
		wantStatus(t, ra.co.post(base+"/answers/II.a.1", url.Values{"v.II.a.1": {"1"}, "II.a.1.status": {"partly"}}), http.StatusOK)
		if got := ra.answers(t, 1)["II.a.1"].Value.Status; got != "yes" {
			t.Errorf("version 1 changed: %q", got)
		}
		w = ra.sec.get(base)
		wantStatus(t, w, http.StatusOK) // the secretariat sees the submitted v1, not the draft v2
		wantBody(t, w, "Submitted")
		w = ra.fp.get(base + "?v=1")
		wantBody(t, w, "older version")
		// Versions compare.
		w = ra.fp.get(base + "/compare?from=1&to=2")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, `id="cmp-II.a.1"`, "Partly / in progress")
		wantStatus(t, ra.fp.get(base+"/compare?from=1&to=9"), http.StatusBadRequest)

		// Publishing a private report is refused with a message.
		r1, _ := ra.db.GetReport(context.Background(), "JPN", "2026-2027", 2)
		_ = ra.db.SetReportStatus(context.Background(), r1.ID, "draft", "submitted", models.Actor{})
		wantStatus(t, ra.fp.post(base+"/visibility", url.Values{"visibility": {"private"}}), http.StatusSeeOther)
		wantStatus(t, ra.fp.post(base+"/status", url.Values{"action": {"publish"}}), http.StatusSeeOther)
		if s := ra.status(t); s != "submitted" {
			t.Errorf("private report published: %s", s)
		}
		wantStatus(t, ra.sec.get(base+"?v=2"), http.StatusNotFound)

		// Every status change is in the record.
		entries, err := ra.db.ListAuditAll(context.Background(), 0)
		if err != nil {
			t.Fatal(err)
		}
		changes := 0
		for _, e := range entries {
			if e.Action == models.ActionReportStatus {
				changes++
			}
		}
		if changes < 6 {
			t.Errorf("%d status changes recorded", changes)
		}
	})
}

// TestVisibilityPerRole checks the one visibility check for each role and
// level, including never-public contacts and donors' partial copy.
func TestVisibilityPerRole(t *testing.T) {
	a := newApp(t)
	ra := newReportApp(t, a)
	ra.start(t)
	save := func(code string, form url.Values) {
		t.Helper()
		ra.fp.accept = "application/json"
		form.Set("v."+code, "0")
		wantStatus(t, ra.fp.post(base+"/answers/"+code, form), http.StatusOK)
		ra.fp.accept = ""
	}
	save("0.b.1", url.Values{"0.b.1.contact.name": {"Cyber Policy Division"}, "0.b.1.contact.email": {"cyber-policy@mofa.example"}})
	save("II.g.1", url.Values{"II.g.1.status": {"partly"}, "II.g.1.assistance": {"on"}, "II.g.1.assistance_text": {"CI risk assessment training"}, "II.g.1.challenges": {"Sector regulators differ"}})
	save("I.a.1", url.Values{"I.a.1.status": {"yes"}})
	wantBody(t, ra.co.post(base+"/sections/II.g/comments", url.Values{"body": {"Internal: check with NISC"}}), "")
	r, _ := ra.db.GetReport(context.Background(), "JPN", "2026-2027", 0)
	set := func(status, vis string) {
		t.Helper()
		if err := a.db.SetVisibility(context.Background(), r.ID, vis, models.Actor{}); err != nil {
			t.Fatal(err)
		}
		cur, _ := a.db.GetReportByID(context.Background(), r.ID)
		if cur.Status != status {
			if err := a.db.SetReportStatus(context.Background(), r.ID, cur.Status, status, models.Actor{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	type want struct{ read, contacts, challenges bool }
	cases := []struct {
		status, vis string
		who         map[string]want
	}{
		{"draft", "public", map[string]want{"co": {true, true, true}, "sec": {}, "other": {}, "donor": {}, "anon": {}}},
		{"submitted", "public", map[string]want{"co": {true, true, true}, "sec": {true, true, true}, "other": {}, "donor": {}, "anon": {}}},
		{"published", "private", map[string]want{"co": {true, true, true}, "sec": {}, "other": {}, "donor": {}, "anon": {}}},
		{"published", "restricted", map[string]want{"co": {true, true, true}, "sec": {true, true, true}, "other": {true, false, true}, "donor": {}, "anon": {}}},
		{"published", "donors", map[string]want{"co": {true, true, true}, "sec": {true, true, true}, "other": {true, false, true}, "donor": {true, false, false}, "anon": {}}},
		{"published", "public", map[string]want{"co": {true, true, true}, "sec": {true, true, true}, "other": {true, false, true}, "donor": {true, false, true}, "anon": {true, false, true}}},
	}
	clients := map[string]*client{"co": ra.co, "sec": ra.sec, "other": ra.other, "donor": ra.donor, "anon": ra.anon}
	for _, c := range cases {
		set(c.status, c.vis)
		for who, wnt := range c.who {
			t.Run(c.status+"/"+c.vis+"/"+who, func(t *testing.T) {
				for _, path := range []string{base + "/print", base + "/report.pdf"} {
					w := clients[who].get(path)
					if !wnt.read {
						wantStatus(t, w, http.StatusNotFound)
						continue
					}
					wantStatus(t, w, http.StatusOK)
					if strings.HasSuffix(path, ".pdf") {
						continue
					}
					if got := strings.Contains(w.Body.String(), "cyber-policy@mofa.example"); got != wnt.contacts {
						t.Errorf("contacts shown = %v", got)
					}
					if got := strings.Contains(w.Body.String(), "Sector regulators differ"); got != wnt.challenges {
						t.Errorf("challenges shown = %v", got)
					}
					// Assistance needs reach everyone who reads.
					wantBody(t, w, "CI risk assessment training")
					// Internal comments never leave the State's pages.
					noBody(t, w, "Internal: check with NISC")
				}
			})
		}
	}
}

func TestCarryForwardAndCompare(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		ra := newReportApp(t, a)
		ctx := context.Background()
		prev := &models.Cycle{Label: "2024-2025", ProcessName: "Global Mechanism", OpensOn: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
			DueOn: time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC), ClosesOn: time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC), TemplateVersion: "v1"}
		if err := a.db.CreateCycle(ctx, prev, models.Actor{}); err != nil {
			t.Fatal(err)
		}
		old := &models.Report{StateISO3: "JPN", CycleID: prev.ID, Version: 1, Status: "draft", Visibility: "public"}
		if err := a.db.CreateReport(ctx, old, models.Actor{}); err != nil {
			t.Fatal(err)
		}
		for code, v := range map[string]surveys.Value{"II.a.1": {Status: "yes"}, "II.a.2": {Status: "partly"}, "II.b.1": {Status: "no"}, "II.b.2": {Status: "yes"}} {
			if _, err := a.db.SaveAnswer(ctx, old.ID, code, v, 0, models.Actor{}, nil); err != nil {
				t.Fatal(err)
			}
		}
		if err := a.db.SetReportStatus(ctx, old.ID, "draft", "submitted", models.Actor{}); err != nil {
			t.Fatal(err)
		}
		w := ra.fp.get(base)
		wantBody(t, w, "Prefill from your report of 2024-2025", `value="II.a"`, `value="II.b"`)
		wantStatus(t, ra.fp.post(base+"/start", url.Values{"carry": {"II.a", "II.b"}}), http.StatusSeeOther)
		got := ra.answers(t, 0)
		if got["II.a.1"].CarriedFrom != "2024-2025" || got["II.a.1"].Value.Status != "yes" {
			t.Fatalf("not carried: %+v", got["II.a.1"])
		}
		w = ra.fp.get(base + "/sections/II.a")
		wantBody(t, w, "2 answers were carried from the last report", "Carried from 2024-2025")
		// Confirm section II.a in one step; II.b stays carried.
		wantStatus(t, ra.fp.post(base+"/sections/II.a/confirm", nil), http.StatusSeeOther)
		got = ra.answers(t, 0)
		if got["II.a.1"].CarriedFrom != "" || got["II.b.1"].CarriedFrom == "" {
			t.Fatalf("confirm: %+v / %+v", got["II.a.1"], got["II.b.1"])
		}
		noBody(t, ra.fp.get(base+"/sections/II.a"), "carried-banner")
		// Change one, clear one, add one.
		ra.fp.accept = "application/json"
		wantStatus(t, ra.fp.post(base+"/answers/II.b.1", url.Values{"v.II.b.1": {"1"}, "II.b.1.status": {"partly"}}), http.StatusOK)
		wantStatus(t, ra.fp.post(base+"/answers/II.b.2", url.Values{"v.II.b.2": {"1"}}), http.StatusOK)
		wantStatus(t, ra.fp.post(base+"/answers/II.c.1", url.Values{"v.II.c.1": {"0"}, "II.c.1.status": {"yes"}}), http.StatusOK)
		ra.fp.accept = ""
		if ra.answers(t, 0)["II.b.1"].CarriedFrom != "" {
			t.Errorf("changing a carried answer keeps the mark")
		}
		w = ra.fp.get(base + "/compare")
		wantStatus(t, w, http.StatusOK)
		body := w.Body.String()
		wantChanges(t, body, map[string]string{"II.a.1": "unchanged", "II.b.1": "changed", "II.b.2": "removed", "II.c.1": "new"})
	})
}

func TestAssignAndComments(t *testing.T) {
	a := newApp(t)
	ra := newReportApp(t, a)
	ra.start(t)
	co, _ := a.db.GetUserByEmail(context.Background(), "co@jp.example")
	wantStatus(t, ra.co.post(base+"/sections/II.g/assign", url.Values{"user_id": {itoa(co.ID)}}), http.StatusForbidden)
	wantStatus(t, ra.fp.post(base+"/sections/II.g/assign", url.Values{"user_id": {"abc"}}), http.StatusBadRequest)
	ke, _ := a.db.GetUserByEmail(context.Background(), "fp@ke.example")
	wantStatus(t, ra.fp.post(base+"/sections/II.g/assign", url.Values{"user_id": {itoa(ke.ID)}}), http.StatusBadRequest)
	wantStatus(t, ra.fp.post(base+"/sections/II.g/assign", url.Values{"user_id": {itoa(co.ID)}}), http.StatusSeeOther)
	w := ra.fp.get(base)
	i := strings.Index(w.Body.String(), `id="sec-II.g"`)
	if i < 0 || !strings.Contains(w.Body.String()[i:i+2000], "selected") {
		t.Errorf("assignment not shown")
	}
	wantBody(t, ra.co.get(base+"/sections/II.g"), "Assigned to: co")
	// A comment too long is refused with the text kept.
	long := strings.Repeat("x", 4001)
	w = ra.co.post(base+"/sections/II.g/comments", url.Values{"body": {long}})
	wantStatus(t, w, http.StatusUnprocessableEntity)
	wantBody(t, w, "up to 4000 characters", long)
	wantStatus(t, ra.co.post(base+"/sections/II.g/comments", url.Values{"body": {"Ask the CI regulator"}}), http.StatusSeeOther)
	wantBody(t, ra.fp.get(base+"/sections/II.g"), "Ask the CI regulator")
	wantStatus(t, ra.other.post(base+"/sections/II.g/comments", url.Values{"body": {"hi"}}), http.StatusNotFound)
}

func TestStatusBoard(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		ra := newReportApp(t, a)
		ra.start(t)
		w := ra.sec.get("/cycles/2026-2027")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, `id="row-JPN"`, "Drafting", "Download as CSV", "Asia-Pacific Group")
		w = ra.sec.get("/cycles/2026-2027?status=draft")
		if n := strings.Count(w.Body.String(), `<tr id="row-`); n != 1 {
			t.Errorf("draft filter shows %d rows", n)
		}
		w = ra.sec.get("/cycles/2026-2027/board.csv?group=Asia-Pacific")
		wantStatus(t, w, http.StatusOK)
		if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("content type %q", ct)
		}
		lines := strings.Split(strings.TrimSpace(w.Body.String()), "\n")
		if lines[0] != "iso3,state,regional_group,status,version,last_activity,days_to_due" || len(lines) != 56 {
			t.Errorf("CSV header %q, %d lines (want 54 Asia-Pacific States + Palestine + header)", lines[0], len(lines))
		}
		found := false
		for _, l := range lines {
			if strings.HasPrefix(l, "JPN,Japan,Asia-Pacific,draft,1,") {
				found = true
			}
		}
		if !found {
			t.Errorf("JPN row missing from CSV")
		}
		// The public board does not show drafts.
		w = ra.anon.get("/cycles/2026-2027")
		noBody(t, w, "Download as CSV")
		i := strings.Index(w.Body.String(), `id="row-JPN"`)
		if i < 0 || strings.Contains(w.Body.String()[i:i+600], "badge-draft") {
			t.Errorf("public board shows Japan's draft")
		}
	})
}
