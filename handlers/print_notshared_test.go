package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// questionBlock returns the HTML of question code on a page, "" if absent.
func questionBlock(body, code string) string {
	i := strings.Index(body, `id="q-`+code+`"`)
	if i < 0 {
		return ""
	}
	end := strings.Index(body[i+1:], `<div class="question"`)
	if end < 0 {
		return body[i:]
	}
	return body[i : i+1+end]
}

// TestPrintNotShared: the print view marks each question whose answer is
// kept from the reader "not shared with you", as the section pages and
// the PDF do, instead of leaving it out; the State reads its answers.
func TestPrintNotShared(t *testing.T) {
	ra := newReportApp(t, newApp(t))
	ra.start(t)
	ra.fp.accept = "application/json"
	wantStatus(t, ra.fp.post(base+"/answers/0.b.1", url.Values{"v.0.b.1": {"0"}, "0.b.1.contact.name": {"Cyber Policy Division"}}), http.StatusOK)
	wantStatus(t, ra.fp.post(base+"/answers/II.g.1", url.Values{"v.II.g.1": {"0"}, "II.g.1.status": {"yes"}}), http.StatusOK)
	ra.fp.accept = ""
	ra.publish(t, "published", "donors")

	// A donor: the contacts and the status answer without a request for
	// assistance are kept from them.
	w := ra.donor.get(base + "/print")
	wantStatus(t, w, http.StatusOK)
	body := w.Body.String()
	for _, code := range []string{"0.b.1", "II.g.1"} {
		if b := questionBlock(body, code); !strings.Contains(b, `class="answer not-shared"`) || !strings.Contains(b, "Not shared with you") {
			t.Errorf("donor's print view, %s: %q, want it marked not shared", code, b)
		}
	}
	noBody(t, w, "Cyber Policy Division")
	// The public reads nothing of a donors' report; another State's focal
	// point neither.
	wantStatus(t, ra.anon.get(base+"/print"), http.StatusNotFound)

	// The State reads its answers, nothing marked.
	w = ra.fp.get(base + "/print")
	wantBody(t, w, "Cyber Policy Division")
	noBody(t, w, "not-shared", "Not shared with you")
	if b := questionBlock(w.Body.String(), "II.g.1"); !strings.Contains(b, `class="answer"`) {
		t.Errorf("State's print view, II.g.1: %q", b)
	}

	// Restricted: other States read the report but not its contacts.
	ra.publish(t, "published", "restricted")
	w = ra.other.get(base + "/print")
	wantStatus(t, w, http.StatusOK)
	body = w.Body.String()
	if b := questionBlock(body, "0.b.1"); !strings.Contains(b, "Not shared with you") {
		t.Errorf("other State's print view, 0.b.1: %q", b)
	}
	if b := questionBlock(body, "II.g.1"); strings.Contains(b, "not-shared") || !strings.Contains(b, `class="answer"`) {
		t.Errorf("other State's print view, II.g.1: %q", b)
	}
	noBody(t, w, "Cyber Policy Division")
}
