package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
	"github.com/natreport/natreport/views"
)

// The needs register: every read goes through models.ListNeeds/GetNeed,
// which apply surveys.Audience to the report version each need came from.

// needFilterOf reads the filters of a needs list from the query. A value
// that is not one of the known ones is a bad request.
func needFilterOf(c *gin.Context) (models.NeedFilter, error) {
	f := models.NeedFilter{
		Cycle: c.Query("cycle"), Norm: c.Query("norm"), Area: c.Query("area"), CMM: c.Query("cmm"), Type: c.Query("type"),
		Priority: c.Query("priority"), Group: c.Query("group"), StateISO3: strings.ToUpper(c.Query("state")), Status: c.Query("status"),
	}
	for _, chk := range []struct {
		v       string
		allowed []string
	}{
		{f.Norm, surveys.TagNorms}, {f.Area, surveys.Areas}, {f.CMM, surveys.CMMDimensions}, {f.Type, surveys.AssistanceTypes},
		{f.Priority, surveys.NeedPriorities}, {f.Group, surveys.RegionalGroups}, {f.Status, surveys.NeedStatuses},
	} {
		if chk.v != "" && !slices.Contains(chk.allowed, chk.v) {
			return f, withCause(errBadRequest, fmt.Errorf("needs filter: unknown value %q", chk.v))
		}
	}
	if f.Cycle != "" && !models.ValidCycleLabel(f.Cycle) || f.StateISO3 != "" && len(f.StateISO3) != 3 || len(c.Request.URL.RawQuery) > 1000 {
		return f, errBadRequest
	}
	return f, nil
}

// needsPerPage is how many needs a page lists; the exports hold them all.
const needsPerPage = 100

// pageOf reads ?page= (1 when absent) and cuts the page out of ns, with
// links that keep the filters.
func pageOf(c *gin.Context, f views.NeedFilters, ns []models.Need) ([]models.Need, views.Pager, error) {
	return pageItems(c, f.Action, f.EncodeFilters(), ns)
}

// pageItems reads ?page= (1 when absent) and cuts the page out of items,
// needsPerPage a page, with links to base?query&page=N.
func pageItems[T any](c *gin.Context, base, query string, items []T) ([]T, views.Pager, error) {
	page := 1
	if p := c.Query("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			return nil, views.Pager{}, errBadRequest
		}
		page = n
	}
	pg := views.Pager{Page: page, Total: len(items), Pages: max(1, (len(items)+needsPerPage-1)/needsPerPage)}
	if page > pg.Pages {
		return nil, pg, errNotFound
	}
	link := func(n int) string {
		q := query
		if q != "" {
			q += "&"
		}
		return base + "?" + q + "page=" + strconv.Itoa(n)
	}
	if page > 1 {
		pg.PrevURL = link(page - 1)
	}
	if page < pg.Pages {
		pg.NextURL = link(page + 1)
	}
	return items[(page-1)*needsPerPage : min(len(items), page*needsPerPage)], pg, nil
}

// readableNeeds lists the needs the reader may read that pass the
// request's filters: what the exports and the API give.
func (s *Server) readableNeeds(c *gin.Context) ([]models.Need, error) {
	f, err := needFilterOf(c)
	if err != nil {
		return nil, err
	}
	return s.db.ListNeeds(c.Request.Context(), readerOf(currentUser(c)), f)
}

// needFilters builds the filter form for action from f.
func (s *Server) needFilters(ctx context.Context, action string, f models.NeedFilter) (views.NeedFilters, error) {
	d := views.NeedFilters{Action: action, Cycle: f.Cycle, Norm: f.Norm, Area: f.Area, CMM: f.CMM, Type: f.Type,
		Priority: f.Priority, Group: f.Group, State: f.StateISO3, Status: f.Status}
	cycles, err := s.db.ListCycles(ctx)
	if err != nil {
		return d, err
	}
	for _, cy := range cycles {
		d.Cycles = append(d.Cycles, cy.Label)
	}
	states, err := s.db.ListStates(ctx, "")
	if err != nil {
		return d, err
	}
	for _, st := range states {
		d.States = append(d.States, views.Option{Value: st.ISO3, Label: st.Name})
	}
	d.ExportQuery = d.EncodeFilters()
	return d, nil
}

func needRow(n *models.Need) views.NeedRow {
	return views.NeedRow{ID: n.ID, StateISO3: n.StateISO3, StateName: n.StateName, Group: n.RegionalGroup, Cycle: n.CycleLabel,
		Question: n.QuestionCode, Area: n.Area, Norm: n.Norm, CMM: n.CMM, Type: n.Type, Priority: n.Priority, Timeframe: n.Timeframe,
		Budget: n.Budget, Description: n.Description, Status: n.Status, FromMark: n.FromMark(), Confirmed: n.Confirmed,
		InReport: n.InReport, CarriedTo: n.CarriedTo, ReportVersion: n.ReportVersion, Updated: n.UpdatedAt}
}

func needRows(ns []models.Need) []views.NeedRow {
	out := make([]views.NeedRow, len(ns))
	for i := range ns {
		out[i] = needRow(&ns[i])
	}
	return out
}

func historyRows(h []models.HistoryEntry) []views.HistoryRow {
	out := make([]views.HistoryRow, len(h))
	for i, e := range h {
		out[i] = views.HistoryRow{At: e.At, Email: e.Email, From: e.OldStatus, To: e.NewStatus, Event: e.Event, Note: e.Note}
	}
	return out
}

// matchReader is who reads matches: the user's role, State and organisation.
func (s *Server) matchReader(ctx context.Context, u *models.User) (models.MatchReader, error) {
	mr := models.MatchReader{Reader: readerOf(u)}
	if u == nil || u.Role != surveys.RoleDonor {
		return mr, nil
	}
	org, err := s.db.UserOrganisation(ctx, u.ID)
	switch {
	case err == nil:
		mr.OrganisationID = org.ID
	case !errors.Is(err, models.ErrNotFound):
		return mr, err
	}
	return mr, nil
}

// matchRows lists matches with their histories (read in one query); the
// focal point of the need's State may decide pending ones, their proposer
// or the secretariat withdraw them.
func (s *Server) matchRows(ctx context.Context, u *models.User, ms []models.Match) ([]views.MatchRow, error) {
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	hs, err := s.db.MatchHistories(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]views.MatchRow, len(ms))
	for i, m := range ms {
		h := hs[m.ID]
		out[i] = views.MatchRow{ID: m.ID, NeedID: m.NeedID, OfferID: m.OfferID, StateISO3: m.StateISO3, StateName: m.StateName,
			Cycle: m.CycleLabel, NeedText: m.NeedDescription, Provider: m.Provider, Status: m.Status, Message: m.Message,
			ProposedBy: m.ProposerEmail, Updated: m.UpdatedAt, History: historyRows(h),
			CanDecide: m.Status == surveys.MatchProposed && isFocalOf(u, m.StateISO3), CanWithdraw: mayWithdrawMatch(u, &m)}
	}
	return out, nil
}

// isFocalOf reports whether u is the focal point of the State iso3.
func isFocalOf(u *models.User, iso3 string) bool {
	return u != nil && u.Role == surveys.RoleFocalPoint && u.StateISO3 == iso3
}

// mayUpdateNeed: the State's focal point, or the secretariat on its behalf.
func mayUpdateNeed(u *models.User, n *models.Need) bool {
	return isFocalOf(u, n.StateISO3) || isStaff(u)
}

// needsList is the register: the needs the reader may read, filtered.
func (s *Server) needsList(c *gin.Context) error {
	ctx := c.Request.Context()
	f, err := needFilterOf(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	ns, err := s.db.ListNeeds(ctx, readerOf(u), f)
	if err != nil {
		return err
	}
	var d views.NeedsData
	if d.Filters, err = s.needFilters(ctx, "/needs", f); err != nil {
		return err
	}
	page, pager, err := pageOf(c, d.Filters, ns)
	if err != nil {
		return err
	}
	d.Needs, d.Pager = needRows(page), pager
	if u != nil && u.Role == surveys.RoleFocalPoint {
		mr, err := s.matchReader(ctx, u)
		if err != nil {
			return err
		}
		ms, err := s.db.ListMatches(ctx, mr, models.MatchFilter{StateISO3: u.StateISO3, Status: surveys.MatchProposed})
		if err != nil {
			return err
		}
		if d.Pending, err = s.matchRows(ctx, u, ms); err != nil {
			return err
		}
		if cy, err := s.openCycle(ctx); err != nil {
			return err
		} else if cy != nil {
			d.CarryCycle = cy.Label
			if d.Carryable, err = s.db.CarryableNeeds(ctx, u.StateISO3, cy.ID); err != nil {
				return err
			}
		}
	}
	s.render(c, http.StatusOK, views.NeedsPage(s.page(c, views.T(ctx, "needs.title")), d))
	return nil
}

// openCycle is the newest cycle open now, or nil.
func (s *Server) openCycle(ctx context.Context) (*models.Cycle, error) {
	cycles, err := s.db.ListCycles(ctx)
	if err != nil {
		return nil, err
	}
	var open *models.Cycle
	for i := range cycles {
		if cycles[i].IsOpen(s.now()) && (open == nil || cycles[i].OpensOn.After(open.OpensOn)) {
			open = &cycles[i]
		}
	}
	return open, nil
}

// needsCarry carries the State's open needs of earlier cycles into the
// open cycle, where the focal point confirms, edits or closes each.
func (s *Server) needsCarry(c *gin.Context) error {
	ctx := c.Request.Context()
	u := currentUser(c)
	cy, err := s.openCycle(ctx)
	if err != nil {
		return err
	}
	if cy == nil || c.PostForm("cycle") != cy.Label {
		return errConflict
	}
	if _, err := s.db.CarryNeeds(ctx, u.StateISO3, cy, actorOf(c)); err != nil {
		return err
	}
	s.redirect(c, "/needs?state="+u.StateISO3+"&cycle="+cy.Label, "needs_carried")
	return nil
}

// loadNeed reads :id and returns the need if the reader may read it.
func (s *Server) loadNeed(c *gin.Context) (*models.Need, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, errNotFound
	}
	return s.db.GetNeed(c.Request.Context(), readerOf(currentUser(c)), id)
}

// needShow is one need with its history, its proposals and, for those who
// propose, the offers that may fit.
func (s *Server) needShow(c *gin.Context) error {
	n, err := s.loadNeed(c)
	if err != nil {
		return err
	}
	d, err := s.needData(c, n)
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, views.NeedPage(s.page(c, n.Description), d))
	return nil
}

func (s *Server) needData(c *gin.Context, n *models.Need) (views.NeedData, error) {
	ctx := c.Request.Context()
	u := currentUser(c)
	d := views.NeedData{Need: needRow(n), CanUpdate: mayUpdateNeed(u, n),
		Edit: views.NeedEditForm{Type: n.Type, Priority: n.Priority, Timeframe: n.Timeframe, Description: n.Description}}
	if d.CanUpdate {
		d.Next = surveys.NextNeedStatuses(n.Status)
	}
	h, err := s.db.NeedHistory(ctx, n.ID)
	if err != nil {
		return d, err
	}
	if h, err = s.db.VisibleHistory(ctx, readerOf(u), n, h); err != nil {
		return d, err
	}
	d.History = historyRows(h)
	// Who made each change is for the State and the secretariat: a need
	// may be public, the people behind it are not.
	if reader := readerOf(u); !reader.IsStateMember(n.Ref()) && !isStaff(u) {
		for i := range d.History {
			d.History[i].Email = ""
		}
	}
	mr, err := s.matchReader(ctx, u)
	if err != nil {
		return d, err
	}
	ms, err := s.db.ListMatches(ctx, mr, models.MatchFilter{NeedID: n.ID})
	if err != nil {
		return d, err
	}
	if d.Matches, err = s.matchRows(ctx, u, ms); err != nil {
		return d, err
	}
	if !surveys.NeedIsOpen(n.Status) || !mayPropose(mr) {
		return d, nil
	}
	offers, err := s.db.ListOffers(ctx, mr.Reader, models.OfferFilter{OrganisationID: mr.OrganisationID, ActiveOnly: true})
	if err != nil {
		return d, err
	}
	d.Suggestions = suggestions([]models.Need{*n}, offers, ms, 10)
	return d, nil
}

// mayPropose: the secretariat, and donors who belong to an organisation.
func mayPropose(mr models.MatchReader) bool {
	return surveys.IsStaff(mr.Role) || mr.Role == surveys.RoleDonor && mr.OrganisationID != 0
}

// suggestions ranks the pairs of open needs and offers (surveys.Suggest),
// leaving out the pairs already proposed.
func suggestions(needs []models.Need, offers []models.Offer, done []models.Match, limit int) []views.SuggestionRow {
	byNeed := map[int64]*models.Need{}
	var mn []surveys.MatchNeed
	for i := range needs {
		n := &needs[i]
		if !surveys.NeedIsOpen(n.Status) || n.CarriedTo != "" {
			continue
		}
		byNeed[n.ID] = n
		mn = append(mn, surveys.MatchNeed{ID: n.ID, Area: n.Area, Norm: n.Norm, Type: n.Type, StateISO3: n.StateISO3, Group: n.RegionalGroup})
	}
	byOffer := map[int64]*models.Offer{}
	var mo []surveys.MatchOffer
	for i := range offers {
		o := &offers[i]
		byOffer[o.ID] = o
		mo = append(mo, o.ForMatching())
	}
	proposed := map[[2]int64]bool{}
	for _, m := range done {
		proposed[[2]int64{m.NeedID, m.OfferID}] = true
	}
	var out []views.SuggestionRow
	for _, sg := range surveys.Suggest(mn, mo, 0) {
		n, o := byNeed[sg.NeedID], byOffer[sg.OfferID]
		// A State's own offer is never suggested for its own need.
		if proposed[[2]int64{sg.NeedID, sg.OfferID}] || o.StateISO3 == n.StateISO3 {
			continue
		}
		out = append(out, views.SuggestionRow{NeedID: n.ID, OfferID: o.ID, NeedText: n.StateName + ": " + n.Description,
			OfferText: o.Provider, Score: sg.Score, Reasons: sg.Reasons})
		if limit > 0 && len(out) == limit {
			break
		}
	}
	return out
}

// needStatus moves a need along its life: the State's focal point, or the
// secretariat on its behalf.
func (s *Server) needStatus(c *gin.Context) error {
	n, err := s.loadNeed(c)
	if err != nil {
		return err
	}
	if !mayUpdateNeed(currentUser(c), n) {
		return errForbidden
	}
	from, to, note := c.PostForm("from"), c.PostForm("to"), strings.TrimSpace(c.PostForm("note"))
	if from == "" || utf8.RuneCountInString(note) > models.MaxMatchMessage {
		return errBadRequest
	}
	errs := textErrors(c)
	if !surveys.CanMoveNeed(n.Status, to) {
		errs["to"] = surveys.ErrOption
	}
	if len(errs) > 0 {
		d, err := s.needData(c, n)
		if err != nil {
			return err
		}
		d.StatusError, d.NoteError, d.Note = errs["to"], errs["note"], note
		if d.StatusError == "" && d.NoteError == "" {
			d.StatusError = errTextShown // a field the form does not show
		}
		s.render(c, http.StatusUnprocessableEntity, views.NeedPage(s.page(c, n.Description), d))
		return nil
	}
	if err := s.db.SetNeedStatus(c.Request.Context(), n.ID, from, to, note, actorOf(c), s.needNotice); err != nil {
		return err
	}
	s.redirect(c, "/needs/"+strconv.FormatInt(n.ID, 10), "need_saved")
	return nil
}

// needEdit lets the State (or the secretariat for it) confirm or edit a
// need, above all one carried from an earlier cycle.
func (s *Server) needEdit(c *gin.Context) error {
	n, err := s.loadNeed(c)
	if err != nil {
		return err
	}
	if !mayUpdateNeed(currentUser(c), n) {
		return errForbidden
	}
	e := views.NeedEditForm{Type: c.PostForm("type"), Priority: c.PostForm("priority"),
		Timeframe: strings.TrimSpace(c.PostForm("timeframe")), Description: strings.TrimSpace(strings.ReplaceAll(c.PostForm("description"), "\r\n", "\n")),
		Errors: textErrors(c)}
	if e.Type != "" && !slices.Contains(surveys.AssistanceTypes, e.Type) {
		e.Errors["type"] = surveys.ErrOption
	}
	if e.Priority != "" && !slices.Contains(surveys.NeedPriorities, e.Priority) {
		e.Errors["priority"] = surveys.ErrOption
	}
	if utf8.RuneCountInString(e.Timeframe) > surveys.DefaultShortLength {
		e.Errors["timeframe"] = surveys.ErrTooLong
	}
	switch {
	case e.Description == "":
		e.Errors["description"] = surveys.ErrRequired
	case utf8.RuneCountInString(e.Description) > surveys.DefaultChallengesLength:
		e.Errors["description"] = surveys.ErrTooLong
	}
	if len(e.Errors) > 0 {
		d, err := s.needData(c, n)
		if err != nil {
			return err
		}
		d.Edit = e
		s.render(c, http.StatusUnprocessableEntity, views.NeedPage(s.page(c, n.Description), d))
		return nil
	}
	err = s.db.EditNeed(c.Request.Context(), n.ID, models.NeedEdit{Type: e.Type, Priority: e.Priority, Timeframe: e.Timeframe, Description: e.Description}, actorOf(c))
	if err != nil {
		return err
	}
	s.redirect(c, "/needs/"+strconv.FormatInt(n.ID, 10), "need_saved")
	return nil
}

// matchPropose proposes an offer for a need: a donor, with one of its
// organisation's offers, or the secretariat with any offer.
func (s *Server) matchPropose(c *gin.Context) error {
	ctx := c.Request.Context()
	u := currentUser(c)
	mr, err := s.matchReader(ctx, u)
	if err != nil {
		return err
	}
	if !mayPropose(mr) {
		return errForbidden
	}
	needID, err1 := strconv.ParseInt(c.PostForm("need_id"), 10, 64)
	offerID, err2 := strconv.ParseInt(c.PostForm("offer_id"), 10, 64)
	if err1 != nil || err2 != nil {
		return errBadRequest
	}
	n, err := s.db.GetNeed(ctx, mr.Reader, needID)
	if err != nil {
		return err
	}
	o, err := s.db.GetOffer(ctx, mr.Reader, offerID)
	if err != nil {
		return err
	}
	if u.Role == surveys.RoleDonor && o.OrganisationID != mr.OrganisationID {
		return errForbidden
	}
	if _, err := s.db.ProposeMatch(ctx, n.ID, o.ID, c.PostForm("message"), actorOf(c)); err != nil {
		return err
	}
	s.redirect(c, "/needs/"+strconv.FormatInt(n.ID, 10), "match_proposed")
	return nil
}

// matchDecide records the State's answer to a proposal; only the focal
// point of the State that has the need decides (the recipient chooses its
// partners). models.DecideMatch is the one place a decision happens:
// notices of it hook in there.
func (s *Server) matchDecide(c *gin.Context) error {
	ctx := c.Request.Context()
	u := currentUser(c)
	m, err := s.loadMatch(c)
	if err != nil {
		return err
	}
	if !isFocalOf(u, m.StateISO3) {
		return errForbidden
	}
	var accept bool
	switch c.PostForm("decision") {
	case "accept":
		accept = true
	case "decline":
	default:
		return errBadRequest
	}
	if _, err := s.db.DecideMatch(ctx, m.ID, accept, c.PostForm("note"), actorOf(c), s.matchNotice); err != nil {
		return err
	}
	flash := "match_declined"
	if accept {
		flash = "match_accepted"
	}
	s.redirect(c, "/needs/"+strconv.FormatInt(m.NeedID, 10), flash)
	return nil
}

// syncRegisters feeds the needs and offers registers from a report version
// just submitted or published (models.SyncRegisters). The report's own
// change is already stored; a failure here is logged and made good at the
// next submission or publication, which sync again.
func (s *Server) syncRegisters(c *gin.Context, reportID int64, tmpl *surveys.Template) {
	ctx := c.Request.Context()
	err := func() error {
		stored, err := s.db.ListAnswers(ctx, reportID)
		if err != nil {
			return err
		}
		vals := make(map[string]surveys.Value, len(stored))
		for code, a := range stored {
			vals[code] = a.Value
		}
		_, err = s.db.SyncRegistersThen(ctx, reportID, surveys.Needs(tmpl, vals), surveys.Offers(tmpl, vals), actorOf(c), s.dropNotice)
		return err
	}()
	if err != nil {
		s.log.ErrorContext(ctx, "needs register", "report", reportID, "err", err)
	}
}
