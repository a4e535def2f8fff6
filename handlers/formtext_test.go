package handlers

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// errorPageMark is the heading of the error page for a 422.
const errorPageMark = "(422)</h1>"

// notShownBack are fields whose text a form never shows again: passwords,
// and "" for a field the form does not have.
var notShownBack = map[string]bool{"new": true, "password": true, "": true}

// textFormCase is one form posted with refused text in one field.
type textFormCase struct {
	name   string
	caller *client
	path   string
	form   url.Values // "BAD" in a value is replaced by the refused text
	field  string     // the field with the refused text (its error's id is field+"-error"); "" for one the form does not show
	marker string     // shows that the page is the form
	kept   []string   // what must be back in the form, as typed
}

// ownError are the forms whose own check of the refused field speaks for
// it (reminder days, a list of States); the alert above the form says why.
var ownError = map[string]bool{"reminders": true, "ping round": true}

// TestFormsKeepRefusedText: refused text (NUL, invalid UTF-8, control
// characters) in one field of a form brings the form back with 422, the
// error by the field, the other fields as typed and the refused field with
// only the refused characters replaced; nothing is stored or recorded.
// On both databases.
func TestFormsKeepRefusedText(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		ra := newReportApp(t, a)
		ra.start(t)
		a.user("admin@x.org", models.RoleAdmin, "")
		adm := a.login("admin@x.org")
		donor, err := a.db.GetUserByEmail(ctx, "donor@d.example")
		if err != nil {
			t.Fatal(err)
		}
		if err := a.db.SetUserOrganisation(ctx, donor.ID, "Cyber Fund", models.Actor{Email: "admin"}); err != nil {
			t.Fatal(err)
		}
		cases := []textFormCase{
			{"comment", ra.co, base + "/sections/II.g/comments", url.Values{"body": {"Quokka comment BAD end"}},
				"body", `id="comment-body"`, []string{"Quokka comment "}},
			{"user form", adm, "/admin/users", url.Values{"email": {"quokka@x.org"}, "name": {"Name BAD"}, "role": {"donor"}},
				"name", `action="/admin/users"`, []string{`value="quokka@x.org"`, `value="Name `}},
			{"cycle form", ra.sec, "/cycles-new", url.Values{"label": {"2031-2032"}, "process_name": {"Process BAD"},
				"opens_on": {"2031-01-01"}, "due_on": {"2031-06-01"}, "closes_on": {"2031-12-01"}, "thematic_priority": {"Quokka priority"},
				"template_version": {"v2"}}, "process_name", `id="process_name"`, []string{`value="Quokka priority"`, `value="2031-2032"`, `value="Process `}},
			{"cycle edit", ra.sec, "/cycles/2026-2027/edit", url.Values{"label": {"2026-2027"}, "process_name": {"Quokka process"},
				"opens_on": {"2026-01-01"}, "due_on": {"2026-06-01"}, "closes_on": {"2026-12-01"}, "thematic_priority": {"Priority BAD"},
				"template_version": {"v1"}}, "thematic_priority", `id="process_name"`, []string{`value="Quokka process"`}},
			{"directory entry", ra.fp, "/directory/JPN/contacts", url.Values{"kind": {models.ContactTechnical}, "organisation": {"Quokka Ministry"},
				"mailbox": {"poc@jp.example"}, "person_name": {"Person BAD"}}, "person_name", `action="/directory/JPN/contacts"`,
				[]string{`value="Quokka Ministry"`, `value="poc@jp.example"`, `value="Person `}},
			{"donor offer", ra.donor, "/offers-new", url.Values{"provider": {"Cyber Fund"}, "areas": {surveys.Areas[0]},
				"types": {surveys.AssistanceTypes[0]}, "period": {"Quokka period 2027"}, "description": {"Offer BAD"}},
				"description", `action="/offers-new"`, []string{`value="Quokka period 2027"`, ">Offer "}},
			{"sign-in e-mail", a.anon(), "/login", url.Values{"email": {"fp@jp.exampleBAD"}, "password": {testPassword}, "next": {"/cycles/2026-2027"}},
				"email", `action="/login"`, []string{`value="/cycles/2026-2027"`, `value="fp@jp.example`}},
			{"password", ra.fp, "/account/password", url.Values{"current": {testPassword}, "new": {"a new long passphrase BAD"}, "confirm": {"x"}},
				"new", `action="/account/password"`, nil},
			{"reminders", ra.sec, "/cycles/2026-2027/reminders", url.Values{"days": {"30, 7 BAD"}}, "days", `id="days"`, nil},
			{"ping round", ra.sec, "/directory/rounds", url.Values{"scope": {"list"}, "list": {"JPN BAD"}, "days": {"14"}},
				"list", `id="list"`, []string{`value="14"`}},
			{"submission", ra.fp, base + "/submit", url.Values{"password": {testPassword + "BAD"}}, "password", `id="password"`, nil},
			{"refused field the form does not show", ra.fp, "/account/tokens", url.Values{"name": {"Quokka token"}, "junk": {"BAD"}},
				"", `id="name"`, []string{`value="Quokka token"`}},
			{"donor organisation", adm, fmt.Sprintf("/admin/users/%d/organisation", donor.ID), url.Values{"organisation": {"Quokka Org BAD"}},
				"organisation", `action="/admin/users/` + fmt.Sprint(donor.ID) + `/organisation"`, []string{`value="Quokka Org `}},
			{"token", ra.fp, "/account/tokens", url.Values{"name": {"Quokka token BAD"}, "expires": {"2099-01-01"}},
				"name", `id="name"`, []string{`value="2099-01-01"`, `value="Quokka token `}},
		}
		for _, bad := range []string{"\x00nul", "\xff\xfeutf8", "\x1b[2Jesc"} {
			for _, tc := range cases {
				form := url.Values{}
				for k, vs := range tc.form {
					for _, v := range vs {
						form.Add(k, strings.ReplaceAll(v, "BAD", bad))
					}
				}
				before := storedState(t, a)
				w := tc.caller.post(tc.path, form)
				what := fmt.Sprintf("%s with %q", tc.name, bad)
				body := w.Body.String()
				if w.Code != http.StatusUnprocessableEntity {
					t.Errorf("%s: status %d, want 422", what, w.Code)
				}
				if strings.Contains(body, errorPageMark) || !strings.Contains(body, tc.marker) || !strings.Contains(body, `method="post"`) {
					t.Errorf("%s: not the form (%s)\n%.600s", what, tc.marker, body)
				}
				errID := `id="` + tc.field + `-error"`
				switch tc.field {
				case "body":
					errID = `id="comment-body-error"`
				case "organisation":
					errID = fmt.Sprintf(`id="org-%d-error"`, donor.ID)
				}
				if tc.field != "" && (!strings.Contains(body, errID) || !ownError[tc.name] && !strings.Contains(body, "They have been removed or replaced")) {
					t.Errorf("%s: no text error by the field (%s)", what, errID)
				}
				if !strings.Contains(body, `id="page-alert"`) || !strings.Contains(body, "Nothing was saved") {
					t.Errorf("%s: no alert above the form", what)
				}
				for _, k := range tc.kept {
					if !strings.Contains(html.UnescapeString(body), html.UnescapeString(k)) {
						t.Errorf("%s: %s not kept in the form", what, k)
					}
				}
				// The refused field comes back with only the refused characters replaced.
				if safe := surveys.SafeText(bad); !strings.Contains(strings.ToLower(body), strings.ToLower(html.EscapeString(safe))) && !notShownBack[tc.field] {
					t.Errorf("%s: the refused text %q is not back in the form", what, safe)
				}
				if after := storedState(t, a); after != before {
					t.Errorf("%s: stored something\n%s\ninto\n%s", what, before, after)
				}
			}
		}
		// The password did not change: the old one still signs in.
		a.login("fp@jp.example")
	})
}

// TestTextDoorRefusesOtherRoutes: a POST route that does not show its
// form again (not registered with s.form) refuses refused text at the
// door with 422 and nothing stored, and shows what was posted again, the
// refused field editable with only the refused characters replaced and
// the others carried, to send once more; a password is never shown back.
// A multipart body is read by the door too.
func TestTextDoorRefusesOtherRoutes(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		ra := newReportApp(t, a)
		ra.start(t)
		before := storedState(t, a)
		w := ra.fp.post(base+"/visibility", url.Values{"visibility": {models.VisibilityPublic}, "note": {"Quokka\x00 note"}, "password": {"s3cret-Quokka"}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, "Some text could not be stored", `action="`+base+`/visibility"`,
			`<input type="hidden" name="visibility" value="public">`, `name="note"`, `>Quokka note</textarea>`, `id="refused-0-error"`)
		noBody(t, w, "s3cret", errorPageMark)
		// A multipart body is read by the door too.
		body := "--XX\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\nnul\x00byte\r\n--XX--\r\n"
		w = ra.co.do(newMultipartRequest(base+"/sections/II.g/comments", "XX", body))
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `id="comment-body-error"`)
		if after := storedState(t, a); after != before {
			t.Errorf("refused requests stored something\n%s\ninto\n%s", before, after)
		}
		// Sent again as shown, corrected, it goes through.
		wantStatus(t, ra.fp.post(base+"/visibility", url.Values{"visibility": {models.VisibilityPublic}, "note": {"Quokka note"}}), http.StatusSeeOther)
	})
}

// storedState is what a refused form must not change: the report, its
// answers and comments, users, cycles, contacts, offers, tokens and the
// audit log.
func storedState(t *testing.T, a *app) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	b.WriteString(snapshot(t, a))
	contacts, err := a.db.ListContacts(ctx, "JPN")
	if err != nil {
		t.Fatal(err)
	}
	offers, err := a.db.ListOffers(ctx, surveys.Reader{Role: surveys.RoleSecretariat}, models.OfferFilter{})
	if err != nil {
		t.Fatal(err)
	}
	fp, err := a.db.GetUserByEmail(ctx, "fp@jp.example")
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := a.db.ListAPITokens(ctx, fp.ID)
	if err != nil {
		t.Fatal(err)
	}
	r, err := a.db.GetReport(ctx, "JPN", "2026-2027", 0)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := a.db.ListComments(ctx, r.ID, "II.g")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "contacts %d offers %d tokens %d comments II.g %d audit %d\n", len(contacts), len(offers), len(tokens), len(cs), len(auditAll(t, a.db)))
	return b.String()
}

func newMultipartRequest(path, boundary, body string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
	return req
}
