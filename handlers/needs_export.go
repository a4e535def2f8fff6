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
// are built from the same store calls. Coded values (area, type, status…)
// are worded in the requester's language, as on the pages; columns at the
// end hold the stored codes too, for machines and for joining exports
// made in different languages.

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
	l := views.Labels{Ctx: c.Request.Context()}
	header := s.headers(c, "export.id", "needs.cycle", "export.iso3", "needs.state", "states.group", "needs.source",
		"needs.area", "needs.norm", "needs.cmm", "needs.type", "needs.priority", "needs.timeframe", "needs.budget",
		"needs.description", "needs.status", "export.carried_to", "export.report_version", "export.updated")
	header = append(header, l.Code(header[6]), l.Code(header[8]), l.Code(header[9]), l.Code(header[10]), l.Code(header[14]))
	rows := make([][]string, len(ns))
	for i, n := range ns {
		rows[i] = []string{id(n.ID), n.CycleLabel, n.StateISO3, n.StateName, l.Group(n.RegionalGroup), n.SourceKey, l.Area(n.Area),
			l.Norm(n.Norm), l.CMM(n.CMM), l.Type(n.Type), l.Priority(n.Priority), n.Timeframe, n.Budget, n.Description,
			l.NeedStatus(n.Status), n.CarriedTo, strconv.Itoa(n.ReportVersion), n.UpdatedAt.Format("2006-01-02"),
			n.Area, n.CMM, n.Type, n.Priority, n.Status}
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
	l := views.Labels{Ctx: c.Request.Context()}
	header := s.headers(c, "export.id", "offers.provider", "offers.organisation", "export.iso3", "needs.cycle", "needs.area",
		"needs.type", "offers.regions", "offers.states", "offers.modality", "offers.period", "offers.contact",
		"needs.description", "export.active")
	header = append(header, l.Code(header[5]), l.Code(header[6]), l.Code(header[9]))
	rows := make([][]string, len(os))
	for i, o := range os {
		regions := o.Regions
		if !o.FromReport() { // recorded offers name regional groups; report offers are free text
			regions = strings.Join(mapStrings(strings.Split(o.Regions, ";"), func(g string) string { return l.Group(strings.TrimSpace(g)) }), "; ")
		}
		rows[i] = []string{id(o.ID), o.Provider, o.Organisation, o.StateISO3, o.CycleLabel, l.Areas(o.Areas()),
			l.Types(o.Types()), regions, o.StatesText, l.Modality(o.Modality), o.Period, o.Contact, o.Description,
			strconv.FormatBool(o.Active), strings.Join(o.Areas(), ", "), strings.Join(o.Types(), ", "), o.Modality}
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
	l := views.Labels{Ctx: ctx}
	header := s.headers(c, "export.id", "export.need_id", "export.iso3", "needs.state", "needs.cycle", "needs.need",
		"export.offer_id", "offers.provider", "needs.status", "export.proposed_by", "match.message", "export.updated")
	header = append(header, l.Code(header[8]))
	rows := make([][]string, len(ms))
	for i, m := range ms {
		rows[i] = []string{id(m.ID), id(m.NeedID), m.StateISO3, m.StateName, m.CycleLabel, m.NeedDescription, id(m.OfferID),
			m.Provider, l.MatchStatus(m.Status), m.ProposerEmail, m.Message, m.UpdatedAt.Format("2006-01-02"), m.Status}
	}
	return s.sendTable(c, format, "matches", header, rows)
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

func mapStrings(in []string, f func(string) string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		if v := f(s); v != "" {
			out = append(out, v)
		}
	}
	return out
}
