package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
	"github.com/natreport/natreport/views"
)

// Changes to recorded offers and proposals after the fact: a donor edits
// or withdraws its organisation's offer, a proposer withdraws a proposal
// the State has not decided yet. The secretariat may do both for anyone.

// mayChangeOffer: a recorded offer, by a donor of its organisation or the
// secretariat. A State's report offer changes only with its report.
func mayChangeOffer(u *models.User, mr models.MatchReader, o *models.Offer) bool {
	if o.FromReport() || u == nil {
		return false
	}
	return isStaff(u) || u.Role == surveys.RoleDonor && mr.OrganisationID != 0 && mr.OrganisationID == o.OrganisationID
}

// mayWithdrawMatch: a pending proposal, by whoever proposed it or the
// secretariat.
func mayWithdrawMatch(u *models.User, m *models.Match) bool {
	return u != nil && m.Status == surveys.MatchProposed && (m.ProposedBy == u.ID || isStaff(u))
}

// loadOfferToChange reads :id and returns the offer if the user may
// change it: 404 when they may not read it, 403 when they may read but
// not change it.
func (s *Server) loadOfferToChange(c *gin.Context) (*models.Offer, error) {
	ctx := c.Request.Context()
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, errNotFound
	}
	u := currentUser(c)
	mr, err := s.matchReader(ctx, u)
	if err != nil {
		return nil, err
	}
	o, err := s.db.GetOffer(ctx, mr.Reader, id)
	if err != nil {
		return nil, err
	}
	if !mayChangeOffer(u, mr, o) {
		return nil, errForbidden
	}
	if !o.Active {
		return nil, errConflict
	}
	return o, nil
}

func offerEditPath(id int64) string { return "/offers/" + strconv.FormatInt(id, 10) + "/edit" }

func (s *Server) offerEditForm(c *gin.Context) error {
	o, err := s.loadOfferToChange(c)
	if err != nil {
		return err
	}
	var regions []string
	for _, g := range strings.Split(o.Regions, ";") {
		if g = strings.TrimSpace(g); g != "" {
			regions = append(regions, g)
		}
	}
	f := views.OfferForm{Action: offerEditPath(o.ID), Editing: true, Organisation: o.Organisation, Provider: o.Provider,
		Areas: o.Areas(), Types: o.Types(), Regions: regions, States: o.StatesText, Modality: o.Modality, Period: o.Period,
		Contact: o.Contact, Description: o.Description, Errors: map[string]string{}}
	s.render(c, http.StatusOK, views.OfferNewPage(s.page(c, views.T(c.Request.Context(), "offers.edit")), f))
	return nil
}

// offerEdit saves an edited offer; bad input comes back in the form.
func (s *Server) offerEdit(c *gin.Context) error {
	o, err := s.loadOfferToChange(c)
	if err != nil {
		return err
	}
	f, edited, err := offerFormOf(c, offerEditPath(o.ID), o.Organisation)
	if err != nil {
		return err
	}
	f.Editing = true
	edited.ID, edited.OrganisationID = o.ID, o.OrganisationID
	if errs := textErrors(c, edited.Check()); len(errs) > 0 {
		f.Errors = errs
		s.render(c, http.StatusUnprocessableEntity, views.OfferNewPage(s.page(c, views.T(c.Request.Context(), "offers.edit")), f))
		return nil
	}
	if err := s.db.UpdateOffer(c.Request.Context(), edited, actorOf(c)); err != nil {
		return err
	}
	s.redirect(c, "/offers/"+strconv.FormatInt(o.ID, 10), "offer_saved")
	return nil
}

// offerWithdraw withdraws an offer and its pending proposals.
func (s *Server) offerWithdraw(c *gin.Context) error {
	o, err := s.loadOfferToChange(c)
	if err != nil {
		return err
	}
	note := c.PostForm("note")
	if len([]rune(note)) > models.MaxMatchMessage {
		return errBadRequest
	}
	if err := s.db.WithdrawOffer(c.Request.Context(), o.ID, note, actorOf(c), s.withdrawalNotice); err != nil {
		return err
	}
	s.redirect(c, "/offers/"+strconv.FormatInt(o.ID, 10), "offer_withdrawn")
	return nil
}

// loadMatch reads :id and returns the match if the user may see it (404
// otherwise).
func (s *Server) loadMatch(c *gin.Context) (*models.Match, error) {
	ctx := c.Request.Context()
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, errNotFound
	}
	mr, err := s.matchReader(ctx, currentUser(c))
	if err != nil {
		return nil, err
	}
	return s.db.GetMatch(ctx, mr, id)
}

// matchWithdraw withdraws a proposal the State has not decided yet; the
// State sees it withdrawn in the proposal's history.
func (s *Server) matchWithdraw(c *gin.Context) error {
	ctx := c.Request.Context()
	u := currentUser(c)
	m, err := s.loadMatch(c)
	if err != nil {
		return err
	}
	if m.ProposedBy != u.ID && !isStaff(u) {
		return errForbidden
	}
	note := c.PostForm("note")
	if len([]rune(note)) > models.MaxMatchMessage {
		return errBadRequest
	}
	if err := s.db.WithdrawMatch(ctx, m.ID, note, actorOf(c), s.withdrawalNotice); err != nil {
		return err
	}
	s.redirect(c, "/needs/"+strconv.FormatInt(m.NeedID, 10), "match_withdrawn")
	return nil
}
