package handlers

import (
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

// Offers of assistance: rows of States' reports (read as their report
// version) and offers donors record for their organisation (read by
// everyone signed in).

func offerRow(o *models.Offer) views.OfferRow {
	return views.OfferRow{ID: o.ID, Provider: o.Provider, Organisation: o.Organisation, StateISO3: o.StateISO3, Cycle: o.CycleLabel,
		Areas: o.Areas(), Types: o.Types(), Regions: o.Regions, States: o.StatesText, Modality: o.Modality, Period: o.Period,
		Contact: o.Contact, Description: o.Description, Active: o.Active, FromReport: o.FromReport()}
}

func offerRows(os []models.Offer) []views.OfferRow {
	out := make([]views.OfferRow, len(os))
	for i := range os {
		out[i] = offerRow(&os[i])
	}
	return out
}

// offerFilterOf reads the offers filters; unknown values are a bad request.
func offerFilterOf(c *gin.Context) (models.OfferFilter, error) {
	f := models.OfferFilter{Area: c.Query("area"), Type: c.Query("type")}
	if f.Area != "" && !slices.Contains(surveys.Areas, f.Area) || f.Type != "" && !slices.Contains(surveys.AssistanceTypes, f.Type) {
		return f, errBadRequest
	}
	return f, nil
}

// readableOffers lists the offers the reader may read that pass the
// request's filters: what the exports and the API give.
func (s *Server) readableOffers(c *gin.Context) ([]models.Offer, error) {
	f, err := offerFilterOf(c)
	if err != nil {
		return nil, err
	}
	return s.db.ListOffers(c.Request.Context(), readerOf(currentUser(c)), f)
}

func (s *Server) offersList(c *gin.Context) error {
	ctx := c.Request.Context()
	f, err := offerFilterOf(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	os, err := s.db.ListOffers(ctx, readerOf(u), f)
	if err != nil {
		return err
	}
	mr, err := s.matchReader(ctx, u)
	if err != nil {
		return err
	}
	page, pager, err := pageItems(c, "/offers", views.OfferFilterQuery(f.Area, f.Type), os)
	if err != nil {
		return err
	}
	d := views.OffersData{Offers: offerRows(page), Pager: pager, Area: f.Area, Type: f.Type, CanCreate: mr.OrganisationID != 0}
	s.render(c, http.StatusOK, views.OffersPage(s.page(c, views.T(ctx, "offers.title")), d))
	return nil
}

func (s *Server) offerShow(c *gin.Context) error {
	ctx := c.Request.Context()
	u := currentUser(c)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return errNotFound
	}
	mr, err := s.matchReader(ctx, u)
	if err != nil {
		return err
	}
	o, err := s.db.GetOffer(ctx, mr.Reader, id)
	if err != nil {
		return err
	}
	ms, err := s.db.ListMatches(ctx, mr, models.MatchFilter{OfferID: o.ID})
	if err != nil {
		return err
	}
	d := views.OfferData{Offer: offerRow(o), CanChange: o.Active && mayChangeOffer(u, mr, o)}
	if !o.FromReport() {
		h, err := s.db.OfferHistory(ctx, o.ID)
		if err != nil {
			return err
		}
		d.History = historyRows(h)
		if !d.CanChange && !isStaff(u) {
			for i := range d.History {
				d.History[i].Email = ""
			}
		}
	}
	if d.Matches, err = s.matchRows(ctx, u, ms); err != nil {
		return err
	}
	ownOffer := mr.Role != surveys.RoleDonor || o.OrganisationID == mr.OrganisationID
	if o.Active && mayPropose(mr) && ownOffer {
		ns, err := s.db.ListNeeds(ctx, mr.Reader, models.NeedFilter{})
		if err != nil {
			return err
		}
		d.Suggestions = suggestions(ns, []models.Offer{*o}, ms, 20)
	}
	s.render(c, http.StatusOK, views.OfferPage(s.page(c, o.Provider), d))
	return nil
}

// donorOrganisation is the organisation of a signed-in donor; a donor
// without one may read but not record offers (403).
func (s *Server) donorOrganisation(c *gin.Context) (*models.Organisation, error) {
	org, err := s.db.UserOrganisation(c.Request.Context(), currentUser(c).ID)
	if errors.Is(err, models.ErrNotFound) {
		return nil, errForbidden
	}
	return org, err
}

func (s *Server) offerNewForm(c *gin.Context) error {
	org, err := s.donorOrganisation(c)
	if err != nil {
		return err
	}
	f := views.OfferForm{Action: "/offers-new", Organisation: org.Name, Provider: org.Name, Errors: map[string]string{}}
	s.render(c, http.StatusOK, views.OfferNewPage(s.page(c, views.T(c.Request.Context(), "offers.new")), f))
	return nil
}

// offerCreate records a donor organisation's offer; bad input comes back
// in the form with its messages.
func (s *Server) offerCreate(c *gin.Context) error {
	org, err := s.donorOrganisation(c)
	if err != nil {
		return err
	}
	f, o, err := offerFormOf(c, "/offers-new", org.Name)
	if err != nil {
		return err
	}
	o.OrganisationID = org.ID
	if errs := textErrors(c, o.Check()); len(errs) > 0 {
		f.Errors = errs
		s.render(c, http.StatusUnprocessableEntity, views.OfferNewPage(s.page(c, views.T(c.Request.Context(), "offers.new")), f))
		return nil
	}
	if err := s.db.CreateOffer(c.Request.Context(), o, actorOf(c)); err != nil {
		return err
	}
	s.redirect(c, "/offers/"+strconv.FormatInt(o.ID, 10), "offer_saved")
	return nil
}

// offerFormOf reads a posted offer form: the form as typed (to show again)
// and the offer it makes; too many choices are a bad request.
func offerFormOf(c *gin.Context, action, org string) (views.OfferForm, *models.Offer, error) {
	f := views.OfferForm{Action: action, Organisation: org, Provider: c.PostForm("provider"), Areas: c.PostFormArray("areas"),
		Types: c.PostFormArray("types"), Regions: c.PostFormArray("regions"), States: strings.ToUpper(c.PostForm("states")),
		Modality: c.PostForm("modality"), Period: c.PostForm("period"), Contact: c.PostForm("contact"),
		Description: strings.ReplaceAll(c.PostForm("description"), "\r\n", "\n")}
	if len(f.Areas) > len(surveys.Areas) || len(f.Types) > len(surveys.AssistanceTypes) || len(f.Regions) > len(surveys.RegionalGroups) {
		return f, nil, errBadRequest
	}
	states := strings.FieldsFunc(f.States, func(r rune) bool { return r == ',' || r == ';' || r == ' ' })
	o := &models.Offer{Provider: f.Provider, AreasText: strings.Join(f.Areas, ","),
		TypesText: strings.Join(f.Types, ","), Regions: strings.Join(f.Regions, "; "), StatesText: strings.Join(states, ","),
		Modality: f.Modality, Period: f.Period, Contact: f.Contact, Description: f.Description}
	return f, o, nil
}

// donorPage is a donor's desk: its proposals, its organisation's offers,
// suggested matches, and the open needs it may read, filtered.
func (s *Server) donorPage(c *gin.Context) error {
	ctx := c.Request.Context()
	u := currentUser(c)
	f, err := needFilterOf(c)
	if err != nil {
		return err
	}
	mr, err := s.matchReader(ctx, u)
	if err != nil {
		return err
	}
	ns, err := s.db.ListNeeds(ctx, mr.Reader, f)
	if err != nil {
		return err
	}
	if f.Status == "" {
		ns = slices.DeleteFunc(ns, func(n models.Need) bool { return !surveys.NeedIsOpen(n.Status) })
	}
	var d views.DonorData
	if d.Filters, err = s.needFilters(ctx, "/donor", f); err != nil {
		return err
	}
	page, pager, err := pageOf(c, d.Filters, ns)
	if err != nil {
		return err
	}
	d.Needs, d.Pager = needRows(page), pager
	if mr.OrganisationID != 0 {
		org, err := s.db.UserOrganisation(ctx, u.ID)
		if err != nil {
			return err
		}
		d.Organisation = org.Name
		offers, err := s.db.ListOffers(ctx, mr.Reader, models.OfferFilter{OrganisationID: org.ID})
		if err != nil {
			return err
		}
		d.Offers = offerRows(offers)
		ms, err := s.db.ListMatches(ctx, mr, models.MatchFilter{OrganisationID: org.ID})
		if err != nil {
			return err
		}
		if d.Proposals, err = s.matchRows(ctx, u, ms); err != nil {
			return err
		}
		active := slices.DeleteFunc(offers, func(o models.Offer) bool { return !o.Active })
		d.Suggestions = suggestions(ns, active, ms, 20)
	}
	s.render(c, http.StatusOK, views.DonorPage(s.page(c, views.T(ctx, "donor.title")), d))
	return nil
}

// organisationsList shows donor accounts and their organisations (admin).
func (s *Server) organisationsList(c *gin.Context) error {
	return s.renderOrganisations(c, http.StatusOK, 0)
}

func (s *Server) renderOrganisations(c *gin.Context, status int, errUser int64) error {
	ctx := c.Request.Context()
	users, err := s.db.ListUsers(ctx)
	if err != nil {
		return err
	}
	orgOf, err := s.db.UserOrganisations(ctx)
	if err != nil {
		return err
	}
	orgs, err := s.db.ListOrganisations(ctx)
	if err != nil {
		return err
	}
	d := views.OrganisationsData{Error: errUser, ErrorMsg: "error.invalid"}
	if m := textErrors(c)["organisation"]; m != "" {
		d.ErrorMsg = m
	}
	for _, o := range orgs {
		d.Organisations = append(d.Organisations, o.Name)
	}
	for _, u := range users {
		if u.Role == surveys.RoleDonor {
			org := orgOf[u.ID]
			if u.ID == errUser {
				org = c.PostForm("organisation") // as typed, for correcting
			}
			d.Users = append(d.Users, views.OrgUser{ID: u.ID, Name: u.Name, Email: u.Email, Organisation: org})
		}
	}
	s.render(c, status, views.OrganisationsPage(s.page(c, views.T(ctx, "orgs.title")), d))
	return nil
}

// userOrganisation puts a donor account in an organisation (admin).
func (s *Server) userOrganisation(c *gin.Context) error {
	ctx := c.Request.Context()
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	u, err := s.db.GetUser(ctx, id)
	if err != nil {
		return err
	}
	if u.Role != surveys.RoleDonor {
		return errBadRequest
	}
	if len(textErrors(c)) > 0 {
		return s.renderOrganisations(c, http.StatusUnprocessableEntity, u.ID)
	}
	err = s.db.SetUserOrganisation(ctx, u.ID, c.PostForm("organisation"), actorOf(c))
	if errors.Is(err, models.ErrInvalid) {
		return s.renderOrganisations(c, http.StatusUnprocessableEntity, u.ID)
	}
	if err != nil {
		return err
	}
	s.redirect(c, "/admin/organisations", "organisation_saved")
	return nil
}
