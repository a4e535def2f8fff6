package handlers

// What focal points stumbled on (issue 10, §2), read as pages.

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/natreport/natreport/i18n"
	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// publish moves JPN's current report on to status (through the steps of
// its life) and sets its visibility.
func (ra *reportApp) publish(t *testing.T, status, vis string) {
	t.Helper()
	ctx := context.Background()
	r, err := ra.db.GetReport(ctx, "JPN", "2026-2027", 0)
	if err != nil {
		t.Fatal(err)
	}
	// Publication needs a visibility beyond the State.
	if err := ra.db.SetVisibility(ctx, r.ID, surveys.VisRestricted, models.Actor{}); err != nil {
		t.Fatal(err)
	}
	order := []string{surveys.ReportDraft, surveys.ReportSubmitted, surveys.ReportPublished}
	cur := slices.Index(order, r.Status)
	for _, next := range order[cur+1 : slices.Index(order, status)+1] {
		if err := ra.db.SetReportStatus(ctx, r.ID, order[cur], next, models.Actor{}); err != nil {
			t.Fatal(err)
		}
		cur++
	}
	if err := ra.db.SetVisibility(ctx, r.ID, vis, models.Actor{}); err != nil {
		t.Fatal(err)
	}
}

// boardRow returns the HTML of a State's row on the board of the cycle.
func boardRow(t *testing.T, c *client, iso3 string) string {
	t.Helper()
	w := c.get("/cycles/2026-2027")
	wantStatus(t, w, http.StatusOK)
	body := w.Body.String()
	i := strings.Index(body, `id="row-`+iso3+`"`)
	if i < 0 {
		t.Fatalf("no row for %s on the board", iso3)
	}
	j := strings.Index(body[i:], "</tr>")
	return body[i : i+j]
}

// TestBoardNotSharedWithYou checks that a State that reported but shared
// nothing with the reader shows as "not shared with you" on the board, not
// as "not started"; drafts and private reports stay "not started".
func TestBoardNotSharedWithYou(t *testing.T) {
	ra := newReportApp(t, newApp(t))
	ra.start(t)
	cases := []struct {
		status, vis string
		want        map[string]string // reader -> badge class
	}{
		{"draft", "public", map[string]string{"anon": "badge-none", "donor": "badge-none", "other": "badge-none", "sec": "badge-draft"}},
		{"published", "donors", map[string]string{"anon": "badge-withheld", "donor": "badge-published", "other": "badge-published", "sec": "badge-published"}},
		{"published", "restricted", map[string]string{"anon": "badge-withheld", "donor": "badge-withheld", "other": "badge-published"}},
		{"published", "private", map[string]string{"anon": "badge-none", "donor": "badge-none", "other": "badge-none"}},
	}
	clients := map[string]*client{"anon": ra.anon, "donor": ra.donor, "other": ra.other, "sec": ra.sec}
	for _, c := range cases {
		ra.publish(t, c.status, c.vis)
		for who, badge := range c.want {
			t.Run(c.status+"/"+c.vis+"/"+who, func(t *testing.T) {
				row := boardRow(t, clients[who], "JPN")
				if !strings.Contains(row, badge) {
					t.Errorf("JPN's row shows %s, want %s: %s", regexp.MustCompile(`badge-\w+`).FindString(row), badge, row)
				}
			})
		}
	}
	if row := boardRow(t, ra.anon, "JPN"); !strings.Contains(row, "badge-none") {
		t.Fatalf("after the cases: %s", row)
	}
	ra.publish(t, "published", "donors")
	wantBody(t, ra.anon.get("/cycles/2026-2027"), "Not shared with you")
	// A State without a report is not started for everyone.
	if row := boardRow(t, ra.anon, "KEN"); !strings.Contains(row, "badge-none") {
		t.Errorf("Kenya without a report: %s", row)
	}
}

// TestBoardGroupFilter checks that the regional-group filter keeps the
// group chosen selected, and that States without a group can be filtered.
func TestBoardGroupFilter(t *testing.T) {
	ra := newReportApp(t, newApp(t))
	selected := func(body string) string {
		m := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindAllStringSubmatch(body[strings.Index(body, `id="f-group"`):strings.Index(body, `id="f-status"`)], -1)
		var out []string
		for _, s := range m {
			out = append(out, s[1])
		}
		return strings.Join(out, ",")
	}
	w := ra.anon.get("/cycles/2026-2027")
	wantStatus(t, w, http.StatusOK)
	if got := selected(w.Body.String()); got != "" {
		t.Errorf("without a filter, selected %q, want none (all groups)", got)
	}
	w = ra.anon.get("/cycles/2026-2027?group=Asia-Pacific")
	if got := selected(w.Body.String()); got != "Asia-Pacific" {
		t.Errorf("group=Asia-Pacific: selected %q", got)
	}
	w = ra.anon.get("/cycles/2026-2027?group=none")
	wantStatus(t, w, http.StatusOK)
	if got := selected(w.Body.String()); got != "none" {
		t.Errorf("group=none: selected %q", got)
	}
	if n := strings.Count(w.Body.String(), `<tr id="row-`); n != 1 || !strings.Contains(w.Body.String(), `id="row-VAT"`) {
		t.Errorf("group=none shows %d rows, want the Holy See alone", n)
	}
	w = ra.sec.get("/cycles/2026-2027/board.csv?group=none")
	if lines := strings.Split(strings.TrimSpace(w.Body.String()), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[1], "VAT,") {
		t.Errorf("CSV with group=none: %q", lines)
	}
}

// TestProgressNotShared checks that answers a reader may not see count as
// not shared with them, apart from unanswered, on the report's overview and
// on section pages.
func TestProgressNotShared(t *testing.T) {
	ra := newReportApp(t, newApp(t))
	ra.start(t)
	ra.fp.accept = "application/json"
	wantStatus(t, ra.fp.post(base+"/answers/0.b.1", url.Values{"v.0.b.1": {"0"}, "0.b.1.contact.name": {"Cyber Policy Division"}}), http.StatusOK)
	ra.fp.accept = ""
	ra.publish(t, "published", "public")

	w := ra.anon.get(base)
	wantStatus(t, w, http.StatusOK)
	i := strings.Index(w.Body.String(), `id="sec-0.b"`)
	if i < 0 {
		t.Fatal("no row for section 0.b")
	}
	row := w.Body.String()[i : i+strings.Index(w.Body.String()[i:], "</tr>")]
	// 0.b: three contacts kept from the public, one language question.
	if !strings.Contains(row, "3 not shared with you") || !strings.Contains(row, "0 of 1 shared with you answered") {
		t.Errorf("public overview of 0.b: %s", row)
	}
	w = ra.anon.get(base + "/sections/0.b")
	wantStatus(t, w, http.StatusOK)
	if n := strings.Count(w.Body.String(), "Not shared with you"); n != 3 {
		t.Errorf("public section 0.b says Not shared with you %d times, want 3 (one per contact)", n)
	}
	noBody(t, w, "Cyber Policy Division")
	// The State itself sees everything as it is.
	w = ra.fp.get(base)
	noBody(t, w, "not shared with you")
}

// TestRangeErrorSaysRange checks that a number outside its range is refused
// with a message that says the range.
func TestRangeErrorSaysRange(t *testing.T) {
	ra := newReportApp(t, newApp(t))
	ra.start(t)
	w := ra.fp.post(base+"/sections/IV.a", url.Values{"v.IV.a.3": {"0"}, "IV.a.3": {"1999"}, "save": {"1"}})
	wantStatus(t, w, http.StatusUnprocessableEntity)
	wantBody(t, w, "Enter a number from 2000 to 2100.")
	noBody(t, w, "no value")
	ra.fp.accept = "application/json"
	w = ra.fp.post(base+"/answers/IV.a.3", url.Values{"v.IV.a.3": {"0"}, "IV.a.3": {"2101"}})
	wantStatus(t, w, http.StatusUnprocessableEntity)
	wantBody(t, w, "Enter a number from 2000 to 2100.")
}

// TestAssignMenusOnlyWhileDrafting checks that sections can be assigned
// while the report is being written, not once it is submitted or
// published.
func TestAssignMenusOnlyWhileDrafting(t *testing.T) {
	ra := newReportApp(t, newApp(t))
	ra.start(t)
	wantBody(t, ra.fp.get(base), `name="user_id"`)
	for _, st := range []string{"submitted", "published"} {
		ra.publish(t, st, "restricted")
		w := ra.fp.get(base)
		wantStatus(t, w, http.StatusOK)
		noBody(t, w, `name="user_id"`, "/assign")
		// Nor may a request assign one.
		wantStatus(t, ra.fp.post(base+"/sections/0.a/assign", url.Values{"user_id": {"0"}}), http.StatusConflict)
	}
}

// TestFollowUpsWithoutScript checks that a section with follow-up questions
// says, for browsers without JavaScript, that they appear after saving.
func TestFollowUpsWithoutScript(t *testing.T) {
	ra := newReportApp(t, newApp(t))
	ra.start(t)
	w := ra.fp.get(base + "/sections/0.a")
	wantStatus(t, w, http.StatusOK)
	body := w.Body.String()
	i := strings.Index(body, "<noscript>")
	if i < 0 || !strings.Contains(body[i:], "they appear after you save this section") {
		t.Errorf("section 0.a has follow-up questions but no note for browsers without JavaScript")
	}
}

// TestTextSpacing checks the spaces between a label, a badge and what
// follows, which HTML would otherwise run together ("Status:Drafting·
// version 1", "Not started190").
func TestTextSpacing(t *testing.T) {
	ra := newReportApp(t, newApp(t))
	ra.start(t)
	currentCycle := ra.fp.get("/")
	wantStatus(t, currentCycle, http.StatusOK)
	body := currentCycle.Body.String()
	if !regexp.MustCompile(`Status:\s+<span class="badge badge-draft">Drafting</span>\s+·\s+version 1`).MatchString(body) {
		t.Errorf("home page: status line without spaces: %s", regexp.MustCompile(`Status:[^\n]{0,200}`).FindString(body))
	}
	if regexp.MustCompile(`</span><span>\d`).MatchString(body) {
		t.Errorf("home page: a count runs into its badge: %s", regexp.MustCompile(`[^>]{0,40}</span><span>\d+`).FindString(body))
	}
	// On every page of the report: no word or dot runs into the end of an
	// element before it, nor a colon into the element after it.
	runTogether := regexp.MustCompile(`(</span>|</progress>|</a>)[·\p{L}\d]|:<(span|progress)`)
	for _, path := range []string{"/", base, base + "/sections/0.a", base + "/sections/II.g", "/cycles/2026-2027"} {
		for _, c := range []*client{ra.fp, ra.anon} {
			w := c.get(path)
			if w.Code != http.StatusOK {
				continue
			}
			if m := runTogether.FindString(w.Body.String()); m != "" {
				i := strings.Index(w.Body.String(), m)
				t.Errorf("%s: text runs together at %q", path, w.Body.String()[max(0, i-80):i+len(m)+20])
			}
		}
	}
}

// TestDatesInPageLanguage checks that pages write dates as their language
// does, and that date fields keep the ISO form they take.
func TestDatesInPageLanguage(t *testing.T) {
	ra := newReportApp(t, newApp(t))
	due := ra.cycle.DueOn
	for lang, want := range map[string]string{
		"en": due.Format("2 January 2006"),
		"ar": i18n.FormatDate("ar", due), // the month by its two names: كانون الثاني/يناير
		"zh": i18n.FormatDate("zh", due),
	} {
		if lang == "ar" && !strings.Contains(want, "/") {
			t.Fatalf("Arabic date %q", want)
		}
		w := ra.fp.get("/?lang=" + lang)
		wantStatus(t, w, http.StatusOK)
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("%s home page lacks the due date written as %q", lang, want)
		}
		noBody(t, w, due.Format("2006-01-02"))
	}
	w := ra.sec.get("/cycles/2026-2027/edit")
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, `value="`+due.Format("2006-01-02")+`"`)
}
