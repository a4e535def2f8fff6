package handlers

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/i18n"
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
		StateName: st.Name, ISO3: st.ISO3, Cycle: cy.Label, ProcessName: views.ProcessTitleIn(lang, cy.ProcessName), Version: r.Version,
		Status: r.Status, Visibility: r.Visibility, Audience: audience, Thematic: cy.ThematicEnabled,
		Draft: surveys.Unsubmitted(r.Status), Generated: r.UpdatedAt,
	}
	if r.SubmittedAt != nil {
		meta.SubmittedAt = *r.SubmittedAt
	}
	if cy.ThematicEnabled {
		meta.ThematicPriority = cy.ThematicPriority
	}
	return reports.Document{Lang: lang, Meta: meta, Template: t, Answers: visibleAnswers(t, t.ForAudience(audience, vals))}
}

// pdfLang is the language of a report's PDF: the one asked for with
// ?lang=, else the language the report was written in, else the
// interface language.
func pdfLang(c *gin.Context, r *models.Report) string {
	if l := c.Query("lang"); i18n.Supported(l) {
		return l
	}
	if i18n.Supported(r.Lang) {
		return r.Lang
	}
	return views.Lang(c.Request.Context())
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
	doc := s.document(pdfLang(c, rc.report), &rc.state, rc.cycle, rc.tmpl, rc.report, rc.audience, vals)
	c.Header("Content-Type", "application/pdf")
	c.Header("Content-Disposition", `attachment; filename="`+pdfName(rc.state.ISO3, rc.cycle.Label, rc.report.Version)+`"`)
	c.Status(http.StatusOK)
	// Once the PDF has begun, an error can only be logged (the door sees
	// the reply written and leaves it).
	return reports.WriteNationalReport(c.Writer, doc)
}

// zipEntry is one report of the secretariat's ZIP.
type zipEntry struct {
	state    models.State
	report   models.Report
	audience string
}

// cycleZIP streams a ZIP of the newest version of each report of a cycle
// that the reader may read. The PDFs are drawn on all cores by a bounded
// pool (reports.Batch) and stored in the order of the board, so memory
// stays bounded and the file is the same however the work was shared.
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
	entries, err := s.zipEntries(c, cy)
	if err != nil {
		return err
	}
	lang := views.Lang(ctx)
	c.Header("Content-Type", "application/zip")
	c.Header("Content-Disposition", `attachment; filename="reports-`+cy.Label+`.zip"`)
	c.Status(http.StatusOK)
	zw := zip.NewWriter(c.Writer)
	err = reports.Batch(ctx, len(entries), 0, func(ctx context.Context, i int, w io.Writer) error {
		e := &entries[i]
		vals, err := s.db.ListValues(ctx, e.report.ID)
		if err != nil {
			return err
		}
		if err := reports.WriteNationalReport(w, s.document(lang, &e.state, cy, t, &e.report, e.audience, vals)); err != nil {
			return fmt.Errorf("zip %s: %w", e.state.ISO3, err)
		}
		return nil
	}, func(i int, pdf []byte) error {
		e := &entries[i]
		w, err := zw.CreateHeader(&zip.FileHeader{Name: pdfName(e.state.ISO3, cy.Label, e.report.Version), Method: zip.Store,
			Modified: e.report.UpdatedAt.UTC().Truncate(time.Second)})
		if err != nil {
			return err
		}
		_, err = w.Write(pdf)
		return err
	})
	if err != nil {
		return err
	}
	return zw.Close()
}

// zipEntries lists, in the board's order, the newest readable version of
// each State's report. The versions of the whole cycle are read in one
// query, not one per State.
func (s *Server) zipEntries(c *gin.Context, cy *models.Cycle) ([]zipEntry, error) {
	ctx := c.Request.Context()
	board, err := s.db.CycleBoard(ctx, cy.ID)
	if err != nil {
		return nil, err
	}
	all, err := s.db.CycleReportVersions(ctx, cy.ID)
	if err != nil {
		return nil, err
	}
	reader := readerOf(currentUser(c))
	var out []zipEntry
	for _, row := range board {
		if row.Report == nil {
			continue
		}
		versions := all[row.State.ISO3]
		if i, aud, ok := surveys.ReadableVersion(reader, refsOf(versions), 0); ok {
			out = append(out, zipEntry{state: row.State, report: versions[i], audience: aud})
		}
	}
	return out, nil
}
