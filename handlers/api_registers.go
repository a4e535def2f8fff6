package handlers

import (
	"fmt"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
)

// The needs and offers registers in the API: the same lists and filters
// as /needs and /offers (models.ListNeeds and ListOffers decide what the
// reader may read), paginated by id.

type apiNeed struct {
	ID                int64     `json:"id"`
	State             string    `json:"state"`
	StateName         string    `json:"state_name"`
	RegionalGroup     string    `json:"regional_group"`
	Cycle             string    `json:"cycle"`
	ReportVersion     int       `json:"report_version"`
	Question          string    `json:"question"`
	Source            string    `json:"source"`
	Area              string    `json:"area"`
	Norm              string    `json:"norm"`
	CapacityDimension string    `json:"capacity_dimension"`
	Type              string    `json:"type"`
	Priority          string    `json:"priority"`
	Timeframe         string    `json:"timeframe"`
	Budget            string    `json:"budget"`
	Description       string    `json:"description"`
	Status            string    `json:"status"`
	InReport          bool      `json:"in_report"`
	Confirmed         bool      `json:"confirmed"`
	CarriedTo         *string   `json:"carried_to"`
	UpdatedAt         time.Time `json:"updated_at"`
}

type apiOffer struct {
	ID           int64    `json:"id"`
	Provider     string   `json:"provider"`
	Organisation string   `json:"organisation"`
	State        *string  `json:"state"`
	Cycle        *string  `json:"cycle"`
	Source       string   `json:"source"`
	Areas        []string `json:"areas"`
	Types        []string `json:"types"`
	Regions      string   `json:"regions"`
	StatesServed []string `json:"states_served"`
	Modality     string   `json:"modality"`
	Period       string   `json:"period"`
	Contact      string   `json:"contact"`
	Description  string   `json:"description"`
	Active       bool     `json:"active"`
}

func idKey(id int64) string { return fmt.Sprintf("%019d", id) }

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// apiNeeds lists the needs the reader may read, with the filters of /needs.
func (s *Server) apiNeeds(c *gin.Context) error {
	p, err := parsePage(c)
	if err != nil {
		return err
	}
	ns, err := s.readableNeeds(c)
	if err != nil {
		return err
	}
	out := make([]apiNeed, len(ns))
	for i := range ns {
		out[i] = needJSON(&ns[i])
	}
	apiJSON(c, paginate(c, out, func(n apiNeed) string { return idKey(n.ID) }, p))
	return nil
}

func needJSON(n *models.Need) apiNeed {
	src := "row"
	if n.FromMark() {
		src = "mark"
	}
	return apiNeed{ID: n.ID, State: n.StateISO3, StateName: n.StateName, RegionalGroup: n.RegionalGroup, Cycle: n.CycleLabel,
		ReportVersion: n.ReportVersion, Question: n.QuestionCode, Source: src, Area: n.Area, Norm: n.Norm,
		CapacityDimension: n.CMM, Type: n.Type, Priority: n.Priority, Timeframe: n.Timeframe, Budget: n.Budget,
		Description: n.Description, Status: n.Status, InReport: n.InReport, Confirmed: n.Confirmed,
		CarriedTo: optional(n.CarriedTo), UpdatedAt: n.UpdatedAt}
}

// apiOffers lists the offers the reader may read, with the filters of /offers.
func (s *Server) apiOffers(c *gin.Context) error {
	p, err := parsePage(c)
	if err != nil {
		return err
	}
	os, err := s.readableOffers(c)
	if err != nil {
		return err
	}
	out := make([]apiOffer, len(os))
	for i := range os {
		o := &os[i]
		src := "recorded"
		if o.FromReport() {
			src = "report"
		}
		out[i] = apiOffer{ID: o.ID, Provider: o.Provider, Organisation: o.Organisation, State: optional(o.StateISO3),
			Cycle: optional(o.CycleLabel), Source: src, Areas: nonNil(o.Areas()), Types: nonNil(o.Types()), Regions: o.Regions,
			StatesServed: nonNil(o.States()), Modality: o.Modality, Period: o.Period, Contact: o.Contact,
			Description: o.Description, Active: o.Active}
	}
	apiJSON(c, paginate(c, out, func(o apiOffer) string { return idKey(o.ID) }, p))
	return nil
}
