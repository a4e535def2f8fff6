package handlers

import (
	"errors"
	"strconv"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"

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
	path := "/needs/" + strconv.FormatInt(d.Match.NeedID, 10)
	return s.db.EnqueueTx(tx, s.composer.MatchNotices([]models.Recipient{*r}, d.Match.StateName, d.Match.NeedDescription, d.Accepted, path)...)
}
