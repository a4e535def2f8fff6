package handlers

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/natreport/natreport/models"
)

// TestHistoryOutsideTheState: once submitted, the secretariat and the
// admin see in the record of changes how the report moved and which
// answers changed, never the State's comments or the text it wrote while
// drafting; addresses only to the admin. The State sees everything.
func TestHistoryOutsideTheState(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		ra := newReportApp(t, a)
		a.user("admin@un.example", models.RoleAdmin, "")
		admin := a.login("admin@un.example")
		ra.start(t)
		const comment, draftText = "COMMENT-MARKER-ask-the-regulator", "DRAFT-MARKER-first-wording"
		wantStatus(t, ra.co.post(base+"/sections/II.g/comments", url.Values{"body": {comment}}), http.StatusSeeOther)
		ra.fp.accept = "application/json"
		wantStatus(t, ra.fp.post(base+"/answers/II.a.1", url.Values{"v.II.a.1": {"0"}, "II.a.1.status": {"yes"}, "II.a.1.challenges": {draftText}}), http.StatusOK)
		ra.fp.accept = ""
		wantStatus(t, ra.fp.post(base+"/submit", url.Values{"password": {testPassword}}), http.StatusSeeOther)

		w := ra.fp.get(base + "/history")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, comment, draftText, "Comment added")
		noBody(t, w, "192.0.2.1")

		for name, c := range map[string]*client{"secretariat": ra.sec, "admin": admin} {
			w := c.get(base + "/history")
			wantStatus(t, w, http.StatusOK)
			wantBody(t, w, "Status changed", "Answer saved", "II.a.1")
			noBody(t, w, comment, draftText, "Comment added")
			if name == "admin" {
				wantBody(t, w, "192.0.2.1")
			} else {
				noBody(t, w, "192.0.2.1")
			}
			for _, p := range []string{base, base + "/print", base + "/sections/II.g"} {
				noBody(t, c.get(p), comment)
			}
		}
	})
}
