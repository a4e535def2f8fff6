package handlers

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/natreport/natreport/models"
)

// TestTextDoor: NUL, control characters and invalid UTF-8 are refused
// with a 4xx and a field error on both databases, and nothing is stored;
// forms come back with the error by the field (TestFormsKeepRefusedText).
func TestTextDoor(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		ra := newReportApp(t, a)
		ra.start(t)
		a.user("admin@x.org", models.RoleAdmin, "")
		adm := a.login("admin@x.org")
		before := len(auditAll(t, a.db))
		for _, bad := range []string{"nul\x00byte", "bad\xff\xfeutf8", "esc\x1b[2J"} {
			// Autosave: a JSON field error on the field, the version unchanged.
			ra.fp.accept = "application/json"
			w := ra.fp.post(base+"/answers/II.a.1", url.Values{"v.II.a.1": {"0"}, "II.a.1.status": {"yes"}, "II.a.1.challenges": {bad}})
			wantStatus(t, w, http.StatusUnprocessableEntity)
			var out answerJSON
			if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || out.Errors["II.a.1.challenges"] == "" {
				t.Errorf("autosave %q: reply %s", bad, w.Body.String())
			}
			ra.fp.accept = ""
			// The section form re-renders with the error.
			w = ra.fp.post(base+"/sections/I.a", url.Values{"v.I.a.1": {"0"}, "I.a.1.status": {"yes"}, "I.a.1.challenges": {bad}})
			if w.Code != http.StatusUnprocessableEntity {
				t.Errorf("section form %q: status %d", bad, w.Code)
			}
			// Comments, the sign-in e-mail, the admin's user form, a cycle:
			// the form again, with the error by the field.
			for _, w := range []struct {
				w     *httptest.ResponseRecorder
				field string
			}{
				{ra.co.post(base+"/sections/II.g/comments", url.Values{"body": {bad}}), "comment-body"},
				{a.anon().post("/login", url.Values{"email": {bad + "@x.org"}, "password": {"whatever it is"}}), "email"},
				{adm.post("/admin/users", url.Values{"email": {"n@x.org"}, "name": {bad}, "role": {"donor"}}), "name"},
				{ra.sec.post("/cycles-new", url.Values{"label": {"2030-2031"}, "process_name": {bad}}), "process_name"},
			} {
				wantStatus(t, w.w, http.StatusUnprocessableEntity)
				wantBody(t, w.w, `id="`+w.field+`-error"`)
			}
			// A form that does not come back is refused at the door.
			wantStatus(t, ra.fp.post(base+"/visibility", url.Values{"visibility": {bad}}), http.StatusUnprocessableEntity)
			// In the path or the query: 400, never a 500.
			wantStatus(t, ra.fp.get("/reports/JP%00N/2026-2027"), http.StatusBadRequest)
			wantStatus(t, ra.fp.get("/states?group="+url.QueryEscape(bad)), http.StatusBadRequest)
		}
		if got := ra.answers(t, 0); len(got) != 0 {
			t.Errorf("answers stored by refused requests: %v", got)
		}
		if after := len(auditAll(t, a.db)); after != before {
			t.Errorf("%d audit entries written by refused requests", after-before)
		}
		// A JSON reply names the field for the other forms too.
		ra.co.accept = "application/json"
		w := ra.co.post(base+"/sections/II.g/comments", url.Values{"body": {"x\x00"}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `"body"`)
	})
}

func auditAll(t *testing.T, db *models.DB) []models.AuditEntry {
	t.Helper()
	all, err := db.ListAuditAll(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	return all
}
