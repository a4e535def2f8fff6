package handlers

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/reports"
	"github.com/natreport/natreport/views"
)

// Exports of the registers, as CSV (UTF-8 with a byte-order mark) or XLSX.
// Each holds exactly the rows of the page its requester may read: they
// are built from the same store calls. Values are stored codes (area,
// type, status), so that spreadsheets filter them in any language.

const (
	csvType  = "text/csv; charset=utf-8"
	xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// sendTable writes a table as name.csv or name.xlsx, by format.
func (s *Server) sendTable(c *gin.Context, format, name string, header []string, rows [][]string) error {
	var b bytes.Buffer
	var err error
	ctype := csvType
	if format == "xlsx" {
		ctype = xlsxType
		err = reports.WriteTableXLSX(&b, name, header, rows)
	} else {
		err = reports.WriteTableCSV(&b, header, rows)
	}
	if err != nil {
		return err
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+"."+format+`"`)
	c.Data(http.StatusOK, ctype, b.Bytes())
	return nil
}

func (s *Server) headers(c *gin.Context, ids ...string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = views.T(c.Request.Context(), id)
	}
	return out
}

func (s *Server) needsCSV(c *gin.Context) error  { return s.needsExport(c, "csv") }
func (s *Server) needsXLSX(c *gin.Context) error { return s.needsExport(c, "xlsx") }

func (s *Server) needsExport(c *gin.Context, format string) error {
	ns, err := s.readableNeeds(c)
	if err != nil {
		return err
	}
	header := s.headers(c, "export.id", "needs.cycle", "export.iso3", "needs.state", "states.group", "needs.source",
		"needs.area", "needs.norm", "needs.cmm", "needs.type", "needs.priority", "needs.timeframe", "needs.budget",
		"needs.description", "needs.status", "export.carried_to", "export.report_version", "export.updated")
	rows := make([][]string, len(ns))
	for i, n := range ns {
		rows[i] = []string{id(n.ID), n.CycleLabel, n.StateISO3, n.StateName, n.RegionalGroup, n.SourceKey, n.Area, n.Norm, n.CMM,
			n.Type, n.Priority, n.Timeframe, n.Budget, n.Description, n.Status, n.CarriedTo, strconv.Itoa(n.ReportVersion),
			n.UpdatedAt.Format("2006-01-02")}
	}
	return s.sendTable(c, format, "needs", header, rows)
}

func (s *Server) offersCSV(c *gin.Context) error  { return s.offersExport(c, "csv") }
func (s *Server) offersXLSX(c *gin.Context) error { return s.offersExport(c, "xlsx") }

func (s *Server) offersExport(c *gin.Context, format string) error {
	os, err := s.readableOffers(c)
	if err != nil {
		return err
	}
	header := s.headers(c, "export.id", "offers.provider", "offers.organisation", "export.iso3", "needs.cycle", "needs.area",
		"needs.type", "offers.regions", "offers.states", "offers.modality", "offers.period", "offers.contact",
		"needs.description", "export.active")
	rows := make([][]string, len(os))
	for i, o := range os {
		rows[i] = []string{id(o.ID), o.Provider, o.Organisation, o.StateISO3, o.CycleLabel, strings.Join(o.Areas(), ", "),
			strings.Join(o.Types(), ", "), o.Regions, o.StatesText, o.Modality, o.Period, o.Contact, o.Description, strconv.FormatBool(o.Active)}
	}
	return s.sendTable(c, format, "offers", header, rows)
}

func (s *Server) matchesCSV(c *gin.Context) error  { return s.matchesExport(c, "csv") }
func (s *Server) matchesXLSX(c *gin.Context) error { return s.matchesExport(c, "xlsx") }

func (s *Server) matchesExport(c *gin.Context, format string) error {
	ctx := c.Request.Context()
	mr, err := s.matchReader(ctx, currentUser(c))
	if err != nil {
		return err
	}
	ms, err := s.db.ListMatches(ctx, mr, models.MatchFilter{})
	if err != nil {
		return err
	}
	header := s.headers(c, "export.id", "export.need_id", "export.iso3", "needs.state", "needs.cycle", "needs.need",
		"export.offer_id", "offers.provider", "needs.status", "export.proposed_by", "match.message", "export.updated")
	rows := make([][]string, len(ms))
	for i, m := range ms {
		rows[i] = []string{id(m.ID), id(m.NeedID), m.StateISO3, m.StateName, m.CycleLabel, m.NeedDescription, id(m.OfferID),
			m.Provider, m.Status, m.ProposerEmail, m.Message, m.UpdatedAt.Format("2006-01-02")}
	}
	return s.sendTable(c, format, "matches", header, rows)
}

func id(n int64) string { return strconv.FormatInt(n, 10) }
