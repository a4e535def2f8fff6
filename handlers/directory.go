package handlers

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
	"github.com/natreport/natreport/views"
)

// The questions of section 0.b that hold the diplomatic and technical
// points of contact in a report.
var contactQuestions = map[string]string{models.ContactDiplomatic: "0.b.1", models.ContactTechnical: "0.b.2"}

// directoryRights asks the one directory check for the signed-in reader;
// a reader who may not read gets 404, as for a report.
func directoryRights(c *gin.Context, iso3 string) (surveys.DirectoryRights, error) {
	r := surveys.DirectoryAccess(readerOf(currentUser(c)), iso3)
	if !r.Read {
		return r, errNotFound
	}
	return r, nil
}

// contactRows turns contacts into rows, with State names and staleness.
func (s *Server) contactRows(c *gin.Context, contacts []models.Contact) ([]views.ContactRow, error) {
	names, err := s.stateNames(c)
	if err != nil {
		return nil, err
	}
	now := s.now()
	rows := make([]views.ContactRow, len(contacts))
	for i, ct := range contacts {
		rows[i] = views.ContactRow{ID: ct.ID, StateISO3: ct.StateISO3, StateName: names[ct.StateISO3], Kind: ct.Kind,
			Function: ct.Function, Organisation: ct.Organisation, Mailbox: ct.Mailbox, PersonName: ct.PersonName,
			Phone: ct.Phone, Languages: ct.Languages, TimeZone: ct.TimeZone, Hours: ct.Hours,
			ConfirmedAt: ct.ConfirmedAt, Stale: ct.Stale(now), PingFailed: ct.PingFailedAt != nil}
	}
	return rows, nil
}

func (s *Server) stateNames(c *gin.Context) (map[string]string, error) {
	states, err := s.db.ListStates(c.Request.Context(), "")
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(states))
	for _, st := range states {
		names[st.ISO3] = st.Name
	}
	return names, nil
}

// directoryIndex lists every State's points of contact, by regional group
// and, on request, only the stale ones.
func (s *Server) directoryIndex(c *gin.Context) error {
	rights, err := directoryRights(c, "")
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	d := views.DirectoryData{Group: c.Query("group"), StaleOnly: c.Query("stale") == "1", CanExport: rights.Export}
	if d.Groups, err = s.db.RegionalGroups(ctx); err != nil {
		return err
	}
	var iso3s []string
	if d.Group != "" {
		if !slices.Contains(d.Groups, d.Group) {
			return errBadRequest
		}
		states, err := s.db.ListStates(ctx, d.Group)
		if err != nil {
			return err
		}
		for _, st := range states {
			iso3s = append(iso3s, st.ISO3)
		}
	}
	contacts, err := s.db.ListContacts(ctx, iso3s...)
	if err != nil {
		return err
	}
	rows, err := s.contactRows(c, contacts)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if !d.StaleOnly || r.Stale {
			d.Rows = append(d.Rows, r)
		}
	}
	if u := currentUser(c); u.Role == models.RoleFocalPoint {
		d.OwnState = u.StateISO3
	}
	s.render(c, http.StatusOK, views.DirectoryPage(s.page(c, views.T(ctx, "poc.title")), d))
	return nil
}

// directoryState shows one State's points of contact; its focal point
// also gets the forms that keep them.
func (s *Server) directoryState(c *gin.Context) error {
	return s.renderDirectoryState(c, http.StatusOK, nil)
}

// renderDirectoryState draws a State's page; bad, when set, is a refused
// form shown again with its input and errors (ID 0: the add form).
func (s *Server) renderDirectoryState(c *gin.Context, status int, bad *views.ContactForm) error {
	ctx := c.Request.Context()
	iso3 := c.Param("iso3")
	rights, err := directoryRights(c, iso3)
	if err != nil {
		return err
	}
	st, err := s.db.GetState(ctx, iso3)
	if err != nil {
		return err
	}
	contacts, err := s.db.ListContacts(ctx, st.ISO3)
	if err != nil {
		return err
	}
	d := views.DirectoryStateData{ISO3: st.ISO3, Name: st.Name, CanEdit: rights.Edit,
		New: views.ContactForm{Kind: models.ContactDiplomatic}}
	if d.Rows, err = s.contactRows(c, contacts); err != nil {
		return err
	}
	for _, r := range d.Rows {
		f := views.ContactFormOf(r)
		if bad != nil && bad.ID == r.ID {
			f = *bad
		}
		d.Forms = append(d.Forms, f)
	}
	if bad != nil && bad.ID == 0 {
		d.New = *bad
	}
	if rights.Edit {
		if rep, cy, err := s.currentReport(c, st.ISO3); err == nil {
			d.Cycle = cy.Label
			d.CanCopyTo = surveys.Editable(rep.Status)
			answers, err := s.db.ListAnswers(ctx, rep.ID)
			if err != nil {
				return err
			}
			for _, code := range contactQuestions {
				if a, ok := answers[code]; ok && a.Value.Contact["email"] != "" {
					d.CanFillFrom = true
				}
			}
		} else if !errors.Is(err, models.ErrNotFound) {
			return err
		}
	}
	s.render(c, status, views.DirectoryStatePage(s.page(c, views.T(ctx, "poc.state_title", map[string]any{"State": st.Name})), d))
	return nil
}

// currentReport is the latest version of the State's report for the
// current cycle; ErrNotFound when there is none.
func (s *Server) currentReport(c *gin.Context, iso3 string) (*models.Report, *models.Cycle, error) {
	ctx := c.Request.Context()
	cy, err := s.db.CurrentCycle(ctx, s.now())
	if err != nil {
		return nil, nil, err
	}
	versions, err := s.db.ListReportVersions(ctx, iso3, cy.Label)
	if err != nil {
		return nil, nil, err
	}
	if len(versions) == 0 {
		return nil, nil, models.ErrNotFound
	}
	return &versions[len(versions)-1], cy, nil
}

// editRights refuses a change to the State's entries by anyone but its
// focal point: 404 to those who may not read, 403 to readers.
func editRights(c *gin.Context) error {
	rights, err := directoryRights(c, c.Param("iso3"))
	if err != nil {
		return err
	}
	if !rights.Edit {
		return errForbidden
	}
	return nil
}

// contactFromForm reads a contact form.
func contactFromForm(c *gin.Context, id int64) views.ContactForm {
	f := func(k string) string { return strings.TrimSpace(c.PostForm(k)) }
	return views.ContactForm{ID: id, Kind: f("kind"), Function: f("function"), Organisation: f("organisation"),
		Mailbox: f("mailbox"), PersonName: f("person_name"), Phone: f("phone"), Languages: f("languages"),
		TimeZone: f("time_zone"), Hours: f("hours"), Errors: textErrors(c)}
}

// checkContact finds the fields of f that the store would refuse, so the
// form can say which.
func checkContact(f *views.ContactForm) {
	if f.Kind != models.ContactDiplomatic && f.Kind != models.ContactTechnical {
		f.Errors["kind"] = "poc.error_kind"
	}
	if !models.ValidMailbox(models.NormalizeEmail(f.Mailbox)) {
		f.Errors["mailbox"] = "poc.error_mailbox"
	}
	for k, v := range map[string]string{"function": f.Function, "organisation": f.Organisation, "person_name": f.PersonName,
		"phone": f.Phone, "languages": f.Languages, "time_zone": f.TimeZone, "hours": f.Hours} {
		if len([]rune(v)) > 200 {
			f.Errors[k] = "poc.error_long"
		}
	}
}

// contactSave adds (no :id) or updates a point of contact of the State.
func (s *Server) contactSave(c *gin.Context) error {
	if err := editRights(c); err != nil {
		return err
	}
	iso3 := c.Param("iso3")
	var id int64
	if p := c.Param("id"); p != "" {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil || n <= 0 {
			return errNotFound
		}
		if _, err := s.db.GetContact(c.Request.Context(), iso3, n); err != nil {
			return err
		}
		id = n
	}
	f := contactFromForm(c, id)
	if checkContact(&f); len(f.Errors) > 0 {
		return s.renderDirectoryState(c, http.StatusUnprocessableEntity, &f)
	}
	ct := &models.Contact{ID: id, StateISO3: iso3, Kind: f.Kind, Function: f.Function, Organisation: f.Organisation,
		Mailbox: f.Mailbox, PersonName: f.PersonName, Phone: f.Phone, Languages: f.Languages, TimeZone: f.TimeZone, Hours: f.Hours}
	if id == 0 {
		// A new entry entered by the State's focal point is confirmed by it.
		now := s.db.Now()
		ct.ConfirmedAt = &now
	}
	if err := s.db.SaveContact(c.Request.Context(), ct, actorOf(c)); errors.Is(err, models.ErrInvalid) {
		return withCause(errInvalid, err) // a rule of the store the form check does not know
	} else if err != nil {
		return err
	}
	s.redirect(c, "/directory/"+iso3, "contact_saved")
	return nil
}

// contactIDParam reads :id; a malformed id is a missing contact.
func contactIDParam(c *gin.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// contactDelete removes a point of contact of the State.
func (s *Server) contactDelete(c *gin.Context) error {
	return s.contactAction(c, s.db.DeleteContact, "contact_deleted")
}

// contactConfirm lets the focal point confirm an entry is still right.
func (s *Server) contactConfirm(c *gin.Context) error {
	return s.contactAction(c, s.db.ConfirmContact, "contact_confirmed")
}

// contactAction runs a change to one entry of the State (its focal point
// only) and goes back to the State's page.
func (s *Server) contactAction(c *gin.Context, change func(ctx context.Context, iso3 string, id int64, a models.Actor) error, flash string) error {
	if err := editRights(c); err != nil {
		return err
	}
	id, err := contactIDParam(c)
	if err != nil {
		return err
	}
	if err := change(c.Request.Context(), c.Param("iso3"), id, actorOf(c)); err != nil {
		return err
	}
	s.redirect(c, "/directory/"+c.Param("iso3"), flash)
	return nil
}

// contactFromAnswer maps a contact answer of section 0.b onto an entry.
func contactFromAnswer(ct *models.Contact, v surveys.Value) {
	ct.PersonName, ct.Function, ct.Organisation = v.Contact["name"], v.Contact["position"], v.Contact["organisation"]
	ct.Mailbox, ct.Phone, ct.Languages = v.Contact["email"], v.Contact["phone"], v.Contact["languages"]
}

// answerFromContact maps an entry onto a contact answer of section 0.b.
func answerFromContact(ct *models.Contact) surveys.Value {
	m := map[string]string{"name": ct.PersonName, "position": ct.Function, "organisation": ct.Organisation,
		"email": ct.Mailbox, "phone": ct.Phone, "languages": ct.Languages}
	for k, v := range m {
		if v == "" {
			delete(m, k)
		}
	}
	return surveys.Value{Contact: m}
}

// directoryFromReport fills the State's entries from section 0.b of its
// current report: the first entry of each kind is updated, or one added.
func (s *Server) directoryFromReport(c *gin.Context) error {
	if err := editRights(c); err != nil {
		return err
	}
	ctx := c.Request.Context()
	iso3 := c.Param("iso3")
	rep, _, err := s.currentReport(c, iso3)
	if err != nil {
		return err
	}
	// The report is read through the one visibility check, as any page does.
	ref := surveys.ReportRef{StateISO3: rep.StateISO3, Status: rep.Status, Visibility: rep.Visibility}
	if aud, ok := surveys.Audience(readerOf(currentUser(c)), ref); !ok || aud != surveys.AudState {
		return errNotFound
	}
	answers, err := s.db.ListAnswers(ctx, rep.ID)
	if err != nil {
		return err
	}
	contacts, err := s.db.ListContacts(ctx, iso3)
	if err != nil {
		return err
	}
	n := 0
	for _, kind := range models.ContactKinds {
		a, ok := answers[contactQuestions[kind]]
		if !ok || a.Value.Contact["email"] == "" {
			continue
		}
		ct := &models.Contact{StateISO3: iso3, Kind: kind}
		for i := range contacts {
			if contacts[i].Kind == kind {
				ct = &contacts[i]
				break
			}
		}
		contactFromAnswer(ct, a.Value)
		if err := s.db.SaveContact(ctx, ct, actorOf(c)); errors.Is(err, models.ErrInvalid) {
			continue // an answer the directory cannot take (no valid mailbox) is left out
		} else if err != nil {
			return err
		}
		n++
	}
	flash := "contacts_filled"
	if n == 0 {
		flash = "contacts_none"
	}
	s.redirect(c, "/directory/"+iso3, flash)
	return nil
}

// directoryToReport copies the State's entries (the first of each kind)
// into section 0.b of its current draft report, as saved answers (each in
// the audit log).
func (s *Server) directoryToReport(c *gin.Context) error {
	if err := editRights(c); err != nil {
		return err
	}
	ctx := c.Request.Context()
	iso3 := c.Param("iso3")
	rep, cy, err := s.currentReport(c, iso3)
	if err != nil {
		return err
	}
	if !surveys.Editable(rep.Status) {
		return models.ErrReadOnly
	}
	contacts, err := s.db.ListContacts(ctx, iso3)
	if err != nil {
		return err
	}
	tmpl := s.templates[cy.TemplateVersion]
	if tmpl == nil {
		return errors.New("cycle " + cy.Label + " uses unknown template " + cy.TemplateVersion)
	}
	summary := func(v surveys.Value) string { return answerSummary(v) }
	for _, kind := range models.ContactKinds {
		code := contactQuestions[kind]
		if q, ok := tmpl.Question(code); !ok || q.Kind != surveys.KindContact {
			continue // a template without this contact question
		}
		for i := range contacts {
			if contacts[i].Kind != kind {
				continue
			}
			cur, err := s.db.GetAnswer(ctx, rep.ID, code)
			if err != nil && !errors.Is(err, models.ErrNotFound) {
				return err
			}
			if _, err := s.db.SaveAnswer(ctx, rep.ID, code, answerFromContact(&contacts[i]), cur.Version, actorOf(c), summary); err != nil {
				return err
			}
			break
		}
	}
	s.redirect(c, "/reports/"+iso3+"/"+cy.Label+"/sections/0.b", "contacts_copied")
	return nil
}

// answerSummary writes a contact answer for the audit log.
func answerSummary(v surveys.Value) string {
	var parts []string
	for _, f := range surveys.ContactFields {
		if x := v.Contact[f]; x != "" {
			parts = append(parts, x)
		}
	}
	return strings.Join(parts, ", ")
}
