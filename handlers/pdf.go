package handlers

import (
	"archive/zip"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/reports"
	"github.com/natreport/natreport/surveys"
	"github.com/natreport/natreport/views"
)

// pdfName names a report file like JPN-2026-2027-v2.pdf.
func pdfName(iso3, cycle string, version int) string {
	return fmt.Sprintf("%s-%s-v%d.pdf", iso3, cycle, version)
}

// document is the PDF of one report version for one audience: visibility
// and conditional display are applied before drawing.
func (s *Server) document(lang string, st *models.State, cy *models.Cycle, t *surveys.Template, r *models.Report, audience string, vals map[string]surveys.Value) reports.Document {
	meta := reports.Meta{
		StateName: st.Name, ISO3: st.ISO3, Cycle: cy.Label, ProcessName: cy.ProcessName, Version: r.Version,
		Status: r.Status, Visibility: r.Visibility, Audience: audience, Thematic: cy.ThematicEnabled,
		Draft: r.Status == models.StatusDraft || r.Status == models.StatusReview, Generated: r.UpdatedAt,
	}
	if r.SubmittedAt != nil {
		meta.SubmittedAt = *r.SubmittedAt
	}
	return reports.Document{Lang: lang, Meta: meta, Template: t, Answers: visibleAnswers(t, t.ForAudience(audience, vals))}
}

// reportPDF streams the PDF of a report version as its reader may see it.
func (s *Server) reportPDF(c *gin.Context) {
	rc, ok := s.loadStarted(c)
	if !ok {
		return
	}
	vals, err := s.values(c, rc.report.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	doc := s.document(views.Lang(c.Request.Context()), &rc.state, rc.cycle, rc.tmpl, rc.report, rc.audience, vals)
	c.Header("Content-Type", "application/pdf")
	c.Header("Content-Disposition", `attachment; filename="`+pdfName(rc.state.ISO3, rc.cycle.Label, rc.report.Version)+`"`)
	c.Status(http.StatusOK)
	if err := reports.WriteNationalReport(c.Writer, doc); err != nil {
		s.fail(c, err)
	}
}

// cycleZIP streams a ZIP of every submitted report of a cycle the
// secretariat may read, one PDF at a time, never all in memory.
func (s *Server) cycleZIP(c *gin.Context) {
	cy, ok := s.loadCycle(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	t, ok := s.templates[cy.TemplateVersion]
	if !ok {
		s.fail(c, fmt.Errorf("cycle %s uses unknown template %s", cy.Label, cy.TemplateVersion))
		return
	}
	board, err := s.db.CycleBoard(ctx, cy.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	reader := readerOf(currentUser(c))
	lang := views.Lang(ctx)
	c.Header("Content-Type", "application/zip")
	c.Header("Content-Disposition", `attachment; filename="reports-`+cy.Label+`.zip"`)
	c.Status(http.StatusOK)
	zw := zip.NewWriter(c.Writer)
	for _, row := range board {
		if row.Report == nil {
			continue
		}
		versions, err := s.db.ListReportVersions(ctx, row.State.ISO3, cy.Label)
		if err != nil {
			s.log.ErrorContext(ctx, "zip", "err", err)
			return
		}
		// The newest version the secretariat may read: a draft amendment
		// leaves the submitted version before it in the ZIP.
		for i := len(versions) - 1; i >= 0; i-- {
			r := &versions[i]
			aud, ok := surveys.Audience(reader, surveys.ReportRef{StateISO3: row.State.ISO3, Status: r.Status, Visibility: r.Visibility})
			if !ok {
				continue
			}
			vals, err := s.values(c, r.ID)
			if err != nil {
				s.log.ErrorContext(ctx, "zip", "err", err)
				return
			}
			st := row.State
			w, err := zw.CreateHeader(&zip.FileHeader{Name: pdfName(st.ISO3, cy.Label, r.Version), Method: zip.Store, Modified: r.UpdatedAt.UTC().Truncate(time.Second)})
			if err != nil {
				return
			}
			if err := reports.WriteNationalReport(w, s.document(lang, &st, cy, t, r, aud, vals)); err != nil {
				s.log.ErrorContext(ctx, "zip", "state", st.ISO3, "err", err)
				return
			}
			break
		}
	}
	if err := zw.Close(); err != nil {
		s.log.ErrorContext(ctx, "zip", "err", err)
	}
}
