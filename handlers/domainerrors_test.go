package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/natreport/natreport/models"
)

// TestCycleLabelOneRule: labels the model refuses are refused by the form
// with a field error, on create and on edit, never a 500.
func TestCycleLabelOneRule(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		a.cycle("2026-2027", time.Now().AddDate(0, -1, 0))
		a.user("sec@un.example", models.RoleSecretariat, "")
		sec := a.login("sec@un.example")
		form := func(label string) url.Values {
			return url.Values{"label": {label}, "process_name": {"GM"}, "opens_on": {"2030-01-01"}, "due_on": {"2030-06-01"},
				"closes_on": {"2030-12-01"}, "template_version": {"v1"}}
		}
		for _, label := range []string{"abcd", "2041-2040", strings.Repeat("2", 20), "20410", "2041-", "2041_2042"} {
			for _, path := range []string{"/cycles-new", "/cycles/2026-2027/edit"} {
				w := sec.post(path, form(label))
				wantStatus(t, w, http.StatusUnprocessableEntity)
				wantBody(t, w, "such as 2026 or 2026-2027")
			}
		}
		wantStatus(t, sec.post("/cycles-new", form("2030-2031")), http.StatusSeeOther)
		wantStatus(t, sec.post("/cycles-new", form("2032")), http.StatusSeeOther)
	})
}

// TestSaveAfterSubmitOneStatus: a section form or an autosave sent after
// the report was submitted (a page left open) gets the same 409.
func TestSaveAfterSubmitOneStatus(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		ra := newReportApp(t, a)
		ra.start(t)
		wantStatus(t, ra.fp.post(base+"/submit", url.Values{"password": {testPassword}}), http.StatusSeeOther)
		w := ra.co.post(base+"/sections/II.g", url.Values{"v.II.g.1": {"0"}, "II.g.1.status": {"yes"}})
		wantStatus(t, w, http.StatusConflict)
		ra.co.accept = "application/json"
		wantStatus(t, ra.co.post(base+"/answers/II.g.1", url.Values{"v.II.g.1": {"0"}, "II.g.1.status": {"yes"}}), http.StatusConflict)
		wantStatus(t, ra.co.post(base+"/sections/II.g", url.Values{"v.II.g.1": {"0"}, "II.g.1.status": {"yes"}}), http.StatusConflict)
	})
}

// TestAutosaveRetryNotAConflict: the page retries a save whose reply it
// never got, with the same save id: the reply is "saved", not a conflict
// with the person's own change.
func TestAutosaveRetryNotAConflict(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		ra := newReportApp(t, a)
		ra.start(t)
		ra.fp.accept = "application/json"
		form := url.Values{"v.II.a.1": {"0"}, "II.a.1.status": {"yes"}, "save_id": {"k3j-9x"}}
		wantStatus(t, ra.fp.post(base+"/answers/II.a.1", form), http.StatusOK)
		w := ra.fp.post(base+"/answers/II.a.1", form)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, `"version":1`)
		// Without the id, the same stale save is a conflict.
		form.Del("save_id")
		wantStatus(t, ra.fp.post(base+"/answers/II.a.1", form), http.StatusConflict)
	})
}
