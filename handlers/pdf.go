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
		Draft: surveys.Unsubmitted(r.Status), Generated: r.UpdatedAt,
	}
	if r.SubmittedAt != nil {
		meta.SubmittedAt = *r.SubmittedAt
	}
	return reports.Document{Lang: lang, Meta: meta, Template: t, Answers: visibleAnswers(t, t.ForAudience(audience, vals))}
}

// reportPDF streams the PDF of a report version as its reader may see it.
func (s *Server) reportPDF(c *gin.Context) error {
	rc, err := s.loadStarted(c)
	if err != nil {
		return err
	}
	vals, err := s.db.ListValues(c.Request.Context(), rc.report.ID)
	if err != nil {
		return err
	}
	doc := s.document(views.Lang(c.Request.Context()), &rc.state, rc.cycle, rc.tmpl, rc.report, rc.audience, vals)
	c.Header("Content-Type", "application/pdf")
	c.Header("Content-Disposition", `attachment; filename="`+pdfName(rc.state.ISO3, rc.cycle.Label, rc.report.Version)+`"`)
	c.Status(http.StatusOK)
	// Once the PDF has begun, an error can only be logged (the door sees
	// the reply written and leaves it).
	return reports.WriteNationalReport(c.Writer, doc)
}

// cycleZIP streams a ZIP of every submitted report of a cycle the
// secretariat may read, one PDF at a time, never all in memory. Once the
// ZIP has begun, an error ends it and is only logged.
func (s *Server) cycleZIP(c *gin.Context) error {
	cy, err := s.loadCycle(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	t, err := s.template(cy)
	if err != nil {
		return err
	}
	board, err := s.db.CycleBoard(ctx, cy.ID)
	if err != nil {
		return err
	}
	lang := views.Lang(ctx)
	c.Header("Content-Type", "application/zip")
	c.Header("Content-Disposition", `attachment; filename="reports-`+cy.Label+`.zip"`)
	c.Status(http.StatusOK)
	zw := zip.NewWriter(c.Writer)
	for _, row := range board {
		if row.Report == nil {
			continue
		}
		if err := s.zipReport(c, zw, lang, &row.State, cy, t); err != nil {
			return err
		}
	}
	return zw.Close()
}

// zipReport adds to the ZIP the newest version of a State's report the
// reader may read: a draft amendment leaves the submitted version before it.
func (s *Server) zipReport(c *gin.Context, zw *zip.Writer, lang string, st *models.State, cy *models.Cycle, t *surveys.Template) error {
	ctx := c.Request.Context()
	versions, err := s.db.ListReportVersions(ctx, st.ISO3, cy.Label)
	if err != nil {
		return err
	}
	i, aud, ok := surveys.ReadableVersion(readerOf(currentUser(c)), refsOf(versions), 0)
	if !ok {
		return nil
	}
	r := &versions[i]
	vals, err := s.db.ListValues(ctx, r.ID)
	if err != nil {
		return err
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: pdfName(st.ISO3, cy.Label, r.Version), Method: zip.Store, Modified: r.UpdatedAt.UTC().Truncate(time.Second)})
	if err != nil {
		return err
	}
	if err := reports.WriteNationalReport(w, s.document(lang, st, cy, t, r, aud, vals)); err != nil {
		return fmt.Errorf("zip %s: %w", st.ISO3, err)
	}
	return nil
}
