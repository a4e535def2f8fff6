package handlers

import (
	"cmp"
	"errors"
	"strconv"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"

	"github.com/natreport/natreport/i18n"
	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/notify"
	"github.com/natreport/natreport/surveys"
)

// assignedNotice is the message telling userID that a section was given
// to them, to queue with the assignment; none when the assignment is
// removed, the person assigned themself or turned the notice off.
func (s *Server) assignedNotice(c *gin.Context, rc *reportCtx, sec *surveys.Section, userID int64) ([]*models.Mail, error) {
	if userID == 0 || rc.user == nil || userID == rc.user.ID {
		return nil, nil
	}
	r, err := s.db.GetRecipient(c.Request.Context(), userID)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	if err != nil || r.Off(notify.KindAssigned) {
		return nil, err
	}
	by := rc.user.Name
	if by == "" {
		by = rc.user.Email
	}
	m := s.composer.Assigned(*r, by, rc.state.Name, rc.cycle.Label, sec.Code, sec.Title.In(notify.LangOf(*r)))
	return []*models.Mail{m}, nil
}

// matchNotice queues, in the transaction of a State's decision on a
// proposed match, the notice to whoever proposed it (unless they turned it
// off): models.DecideMatch calls it before it commits.
func (s *Server) matchNotice(tx *gorm.DB, d models.MatchDecision) error {
	if d.Match.ProposedBy == 0 {
		return nil
	}
	r, err := s.db.RecipientTx(tx, d.Match.ProposedBy)
	if errors.Is(err, models.ErrNotFound) {
		return nil // disabled or gone
	}
	if err != nil {
		return err
	}
	path := needPath(d.Match.NeedID)
	return s.db.EnqueueTx(tx, s.composer.MatchNotices([]models.Recipient{*r}, d.Match.StateName, d.Match.NeedDescription, d.Accepted, path)...)
}

// withdrawalNotice queues, in the transaction of a proposal's withdrawal
// (by its proposer or the secretariat, or with its offer), the notice to
// the focal points of the State that had it to decide and, when someone
// else withdrew it, to its proposer, unless they turned it off:
// models.WithdrawMatch and WithdrawOffer call it before they commit.
func (s *Server) withdrawalNotice(tx *gorm.DB, w models.MatchWithdrawal) error {
	rs, err := s.db.FocalPointsTx(tx, w.Match.StateISO3)
	if err != nil {
		return err
	}
	path := needPath(w.Match.NeedID)
	var msgs []*models.Mail
	for _, r := range rs {
		if !r.Off(notify.KindWithdrawn) {
			msgs = append(msgs, s.composer.ProposalWithdrawn(r, &w.Match, w.WithOffer, w.Note, path))
		}
	}
	if w.By.UserID != w.Match.ProposedBy {
		m, err := s.proposerNotice(tx, w)
		if err != nil {
			return err
		}
		msgs = append(msgs, m...)
	}
	return s.db.EnqueueTx(tx, msgs...)
}

// proposerNotice is the notice to the proposer of a match someone else
// withdrew, telling them the need as they may read it; none when they
// turned it off or may no longer read the need.
func (s *Server) proposerNotice(tx *gorm.DB, w models.MatchWithdrawal) ([]*models.Mail, error) {
	r, err := s.db.RecipientTx(tx, w.Match.ProposedBy)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil // disabled or gone
	}
	if err != nil || r.Off(notify.KindWithdrawn) {
		return nil, err
	}
	n, err := models.GetNeedTx(tx, surveys.Reader{Role: r.Role, StateISO3: r.StateISO3}, w.Match.NeedID)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	// The secretariat withdraws as the secretariat; a colleague of the
	// proposer's organisation (withdrawing the offer) by name.
	by := i18n.NewPrinter(notify.LangOf(*r)).T("role." + surveys.RoleSecretariat)
	who, err := s.db.RecipientTx(tx, w.By.UserID)
	switch {
	case err == nil && !surveys.IsStaff(who.Role):
		by = cmp.Or(who.Name, who.Email)
	case err != nil && !errors.Is(err, models.ErrNotFound):
		return nil, err
	}
	path := needPath(w.Match.NeedID)
	return []*models.Mail{s.composer.YourProposalWithdrawn(*r, &w.Match, by, n.Description, w.Note, path)}, nil
}

// needNotice queues, in the transaction of a need's withdrawal by its
// State, the notice to each person who proposed an offer for it still
// pending or accepted: models.SetNeedStatus calls it before it commits.
func (s *Server) needNotice(tx *gorm.DB, ch models.NeedChange) error {
	if ch.To != surveys.NeedWithdrawn {
		return nil
	}
	return s.proposerNotices(tx, ch.Need, ch.Matches, ch.By.UserID, ch.HistoryID, ch.Note, nil)
}

// dropNotice queues, in the transaction that feeds the registers from a
// report version, the notice to each person who proposed an offer for a
// need the report dropped (which withdrew it), once they may read the
// version: at its submission for the secretariat, at its publication for
// donors. models.SyncRegistersThen calls it for each such need.
func (s *Server) dropNotice(tx *gorm.DB, d models.NeedDrop) error {
	ref := surveys.ReportRef{StateISO3: d.Report.StateISO3, Status: d.Report.Status, Visibility: d.Report.Visibility}
	return s.proposerNotices(tx, d.Need, d.Matches, 0, d.HistoryID, "", func(r surveys.Reader) bool {
		_, ok := surveys.Audience(r, ref)
		return ok
	})
}

// proposerNotices queues the notice that need n was withdrawn (change, its
// entry in the need's history, makes it once-only) to each person, but
// the one who withdrew it (by), who proposed an offer for it still pending
// or accepted, did not turn it off and may read it (and, if reads is not
// nil, passes it), telling them the need as they may read it.
func (s *Server) proposerNotices(tx *gorm.DB, n models.Need, ms []models.Match, by, change int64, note string, reads func(surveys.Reader) bool) error {
	path := needPath(n.ID)
	seen := map[int64]bool{}
	var msgs []*models.Mail
	for _, m := range ms {
		if m.Status != surveys.MatchProposed && m.Status != surveys.MatchAccepted || m.ProposedBy == by || seen[m.ProposedBy] {
			continue
		}
		seen[m.ProposedBy] = true
		r, err := s.db.RecipientTx(tx, m.ProposedBy)
		if errors.Is(err, models.ErrNotFound) {
			continue // disabled or gone
		}
		if err != nil {
			return err
		}
		reader := surveys.Reader{Role: r.Role, StateISO3: r.StateISO3}
		if r.Off(notify.KindWithdrawn) || reads != nil && !reads(reader) {
			continue
		}
		read, err := models.NeedAsReadTx(tx, reader, n)
		if errors.Is(err, models.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		msgs = append(msgs, s.composer.NeedWithdrawn(*r, read.StateName, read.Description, m.Provider, n.ID, change, note, path))
	}
	return s.db.EnqueueTx(tx, msgs...)
}

// needPath is the page of need id, for links in notices.
func needPath(id int64) string { return "/needs/" + strconv.FormatInt(id, 10) }
