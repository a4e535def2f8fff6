package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/i18n"
	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/reports"
	"github.com/natreport/natreport/surveys"
	"github.com/natreport/natreport/views"
)

// compilationAudience keys compilations by whose copy they hold: the
// secretariat and admins read the same versions (surveys.Audience).
const compilationAudience = surveys.AudSecretariat

// compilationReader is who a compilation is made for.
var compilationReader = surveys.Reader{Role: models.RoleSecretariat}

// leaseHolder names this process when it takes a compilation's lease.
var leaseHolder = func() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "natreport-" + hex.EncodeToString(b)
}()

// compilationLease is how long a worker holds a job between two signs of
// life; a worker that dies leaves the job to another after it.
const compilationLease = 2 * time.Minute

// compilationState loads the cycle, the current fingerprint of its data
// and the job in the request's language, if any.
func (s *Server) compilationState(c *gin.Context) (*models.Cycle, string, *models.Compilation, error) {
	ctx := c.Request.Context()
	cy, err := s.db.GetCycle(ctx, c.Param("cycle"))
	if err != nil {
		return nil, "", nil, err
	}
	fp, err := s.compilationFingerprint(ctx, cy)
	if err != nil {
		return nil, "", nil, err
	}
	job, err := s.db.GetCompilation(ctx, cy.ID, views.Lang(ctx), compilationAudience)
	if errors.Is(err, models.ErrNotFound) {
		return cy, fp, nil, nil
	}
	return cy, fp, job, err
}

// compilationFingerprint covers the versions of the cycle and of the one
// before (progress is drawn from both).
func (s *Server) compilationFingerprint(ctx context.Context, cy *models.Cycle) (string, error) {
	ids := []int64{cy.ID}
	if prev, err := s.db.PreviousCycle(ctx, cy); err == nil {
		ids = append(ids, prev.ID)
	} else if !errors.Is(err, models.ErrNotFound) {
		return "", err
	}
	return s.db.VersionsFingerprint(ctx, ids...)
}

// compilationPage shows the state of the compilation in the reader's
// language; while it is built the page reloads itself (meta refresh).
func (s *Server) compilationPage(c *gin.Context) error {
	cy, fp, job, err := s.compilationState(c)
	if err != nil {
		return err
	}
	d := views.CompilationData{Cycle: cy.Label, ProcessName: cy.ProcessName}
	if job != nil {
		d.Status, d.Done, d.Total, d.SizeKB = job.Status, job.Progress, job.Total, (job.Size+1023)/1024
		d.Stale = job.Fingerprint != fp
		if job.Status == models.CompilationQueued || job.Status == models.CompilationRunning {
			// A job whose worker stopped (another instance, a restart) is
			// taken up again once its lease runs out.
			s.startCompilation(job.ID)
		}
	}
	p := s.page(c, views.T(c.Request.Context(), "compilation.title")+" · "+cy.Label)
	s.render(c, http.StatusOK, views.CompilationPage(p, d))
	return nil
}

// compilationRequest queues a build at the current data, unless one is
// already done or under way at it.
func (s *Server) compilationRequest(c *gin.Context) error {
	cy, fp, _, err := s.compilationState(c)
	if err != nil {
		return err
	}
	var uid int64
	if u := currentUser(c); u != nil {
		uid = u.ID
	}
	job, err := s.db.RequestCompilation(c.Request.Context(), cy.ID, views.Lang(c.Request.Context()), compilationAudience, fp, uid)
	if err != nil {
		return err
	}
	s.startCompilation(job.ID)
	s.redirect(c, "/cycles/"+cy.Label+"/compilation", "")
	return nil
}

// compilationFile streams the built file, only while it matches the data.
func (s *Server) compilationFile(c *gin.Context) error {
	cy, fp, job, err := s.compilationState(c)
	if err != nil {
		return err
	}
	if job == nil || job.Status != models.CompilationDone || job.Fingerprint != fp {
		return errNotFound
	}
	c.Header("Content-Type", "application/pdf")
	c.Header("Content-Disposition", `attachment; filename="compilation-`+cy.Label+`-`+job.Lang+`.pdf"`)
	c.Header("Content-Length", strconv.FormatInt(job.Size, 10))
	c.Status(http.StatusOK)
	return s.db.CopyCompilation(c.Request.Context(), job.ID, c.Writer)
}

// building holds the jobs this process is building: the lease keeps
// other instances off a job, this keeps a second worker of the same
// process (same lease holder) off it.
var building sync.Map

// startCompilation runs job id in the background if no worker holds it.
func (s *Server) startCompilation(id int64) {
	if _, busy := building.LoadOrStore(id, true); busy {
		return
	}
	go func() {
		defer building.Delete(id)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
		defer cancel()
		if err := s.runCompilation(ctx, id); err != nil {
			s.log.ErrorContext(ctx, "compilation", "job", id, "err", err)
		}
	}()
}

// runCompilation builds job id under its lease: one instance builds it,
// once, however many asked.
func (s *Server) runCompilation(ctx context.Context, id int64) error {
	lease := "compilation-" + strconv.FormatInt(id, 10)
	ok, err := s.db.TryLease(ctx, lease, leaseHolder, compilationLease)
	if err != nil || !ok {
		return err
	}
	defer func() { _ = s.db.ReleaseLease(context.WithoutCancel(ctx), lease, leaseHolder) }()
	pending, err := s.db.PendingCompilations(ctx)
	if err != nil {
		return err
	}
	var job *models.Compilation
	for i := range pending {
		if pending[i].ID == id {
			job = &pending[i]
		}
	}
	if job == nil {
		return nil // done meanwhile
	}
	cy, err := s.db.GetCycleByID(ctx, job.CycleID)
	if err != nil {
		return err
	}
	d, err := s.readCycle(ctx, compilationReader, cy)
	if err != nil {
		return err
	}
	annexes := d.shared()
	if err := s.db.StartCompilation(ctx, id, job.Fingerprint, len(annexes)); err != nil {
		if errors.Is(err, models.ErrConflict) {
			return nil
		}
		return err
	}
	comp := s.compilation(i18n.WithPrinter(ctx, i18n.NewPrinter(job.Lang)), d, annexes, job.RequestedAt)
	comp.Progress = func(done int) {
		if done%5 == 0 || done == len(annexes) {
			_ = s.db.CompilationProgress(ctx, id, done)
			_, _ = s.db.TryLease(ctx, lease, leaseHolder, compilationLease)
		}
	}
	w := s.db.NewCompilationWriter(ctx, id)
	err = reports.WriteCompilation(w, comp)
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		_ = s.db.FinishCompilation(context.WithoutCancel(ctx), id, 0, err.Error())
		return err
	}
	return s.db.FinishCompilation(ctx, id, w.Size, "")
}

// shared lists the indexes of the States whose reports the reader reads.
func (d *cycleData) shared() []int {
	var out []int
	for i := range d.states {
		if d.states[i].Shared {
			out = append(out, i)
		}
	}
	return out
}

// compilation assembles the chapters from the gap summary and the copies
// in d, in the language of ctx; the annexes are the States of d at the
// indexes given, drawn from the copies already read. at is when it was
// asked for: the date written in it.
func (s *Server) compilation(ctx context.Context, d *cycleData, annexes []int, at time.Time) reports.Compilation {
	lang := views.Lang(ctx)
	cy := d.cycle
	comp := reports.Compilation{
		Lang: lang, Title: views.T(ctx, "compilation.title"), Subtitle: cy.ProcessName + " " + cy.Label,
		Note:      views.T(ctx, "compilation.pdf.reader_note", map[string]any{"Date": at.UTC().Format(time.DateOnly)}),
		ContentsH: views.T(ctx, "compilation.pdf.contents"), AnnexesH: views.T(ctx, "compilation.pdf.annexes"),
		ProcessName: cy.ProcessName, Cycle: cy.Label, Generated: at,
		Chapters: []reports.Chapter{participationChapter(ctx, d), gapsChapter(ctx, d), needsOffersChapter(ctx, d, d.register), thematicChapter(ctx, d)},
	}
	// Annexes: from the copies read, several at a time (read only).
	for n, i := range annexes {
		comp.AnnexTitles = append(comp.AnnexTitles, views.T(ctx, "compilation.pdf.annex", map[string]any{"Number": n + 1, "State": d.states[i].Name}))
	}
	comp.Annex = func(n int) (reports.Document, error) {
		st := d.states[annexes[n]]
		r := d.read[st.ISO3]
		state := models.State{ISO3: st.ISO3, Name: st.Name, RegionalGroup: st.Group}
		if r == nil {
			return reports.Document{}, fmt.Errorf("annex %s: no version read", st.ISO3)
		}
		return s.document(lang, &state, cy, d.tmpl, r, st.Audience, st.Answers), nil
	}
	return comp
}
