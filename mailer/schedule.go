package mailer

import (
	"context"
	"fmt"
	"time"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/notify"
)

// Scheduler queues the messages that time, not a request, causes: the
// notice that a cycle opened, reminders before a due date and the
// secretariat's weekly digest. Each carries a dedup key, so running it
// again (or on another instance) queues nothing twice.
type Scheduler struct {
	DB       *models.DB
	Composer notify.Composer
}

// scheduleLease is the models.TryLease name of the scheduler.
const scheduleLease = "mail.schedule"

// openNoticeFor is how long after a cycle opens its notice may still go
// (a server started later does not announce old cycles).
const openNoticeFor = 7 * 24 * time.Hour

// RunOnce queues what is due if holder gets the scheduler's lease.
func (s *Scheduler) RunOnce(ctx context.Context, holder string, ttl time.Duration) error {
	ok, err := s.DB.TryLease(ctx, scheduleLease, holder, ttl)
	if err != nil || !ok {
		return err
	}
	return s.Queue(ctx, s.DB.Now())
}

// ReminderDue returns which reminder of days (days before the due date)
// applies daysLeft days before it: the smallest one not smaller than
// daysLeft, so that a server that was down sends only the latest; 0 when
// none applies.
func ReminderDue(days []int, daysLeft int) int {
	best := 0
	for _, d := range days {
		if d >= daysLeft && (best == 0 || d < best) {
			best = d
		}
	}
	return best
}

// Queue queues the notices, reminders and digest due at now.
func (s *Scheduler) Queue(ctx context.Context, now time.Time) error {
	cycles, err := s.DB.ListCycles(ctx)
	if err != nil {
		return err
	}
	focal, err := s.DB.Recipients(ctx, models.RoleFocalPoint)
	if err != nil {
		return err
	}
	states, err := s.DB.ListStates(ctx, "")
	if err != nil {
		return err
	}
	names := make(map[string]string, len(states))
	for _, st := range states {
		names[st.ISO3] = st.Name
	}
	var msgs []*models.Mail
	var digest notify.Digest
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	for i := range cycles {
		cy := &cycles[i]
		if !cy.IsOpen(now) {
			continue
		}
		reports, err := s.DB.LatestReportsForCycle(ctx, cy.ID)
		if err != nil {
			return err
		}
		dc := notify.DigestCycle{Label: cy.Label, Due: cy.DueOn, Started: len(reports)}
		for _, r := range reports {
			if r.Status == models.StatusSubmitted || r.Status == models.StatusPublished {
				dc.Submitted++
			}
		}
		digest.Cycles = append(digest.Cycles, dc)
		if now.Sub(cy.OpensOn) < openNoticeFor {
			for _, r := range focal {
				if !r.Off(notify.KindCycleOpen) {
					msgs = append(msgs, s.Composer.CycleOpen(r, cy))
				}
			}
		}
		days, err := s.DB.CycleReminderDays(ctx, cy.ID)
		if err != nil {
			return err
		}
		daysLeft := int(cy.DueOn.Sub(today).Hours() / 24)
		if daysLeft < 0 {
			continue
		}
		reminder := ReminderDue(days, daysLeft)
		if reminder == 0 {
			continue
		}
		for _, r := range focal {
			if rep, ok := reports[r.StateISO3]; ok && rep.Status != models.StatusDraft && rep.Status != models.StatusReview {
				continue // submitted, published or withdrawn
			}
			msgs = append(msgs, s.Composer.Due(r, names[r.StateISO3], cy, reminder, daysLeft))
		}
	}

	year, week := now.ISOWeek()
	digest.Week = fmt.Sprintf("%d-W%02d", year, week)
	contacts, err := s.DB.ListContacts(ctx)
	if err != nil {
		return err
	}
	for i := range contacts {
		if contacts[i].Stale(now) {
			digest.Stale++
		}
	}
	counts, err := s.DB.MailCounts(ctx)
	if err != nil {
		return err
	}
	digest.FailedMail = counts[models.MailFailed]
	staff, err := s.DB.Recipients(ctx, models.RoleSecretariat)
	if err != nil {
		return err
	}
	for _, r := range staff {
		if !r.Off(notify.KindDigest) {
			msgs = append(msgs, s.Composer.DigestMail(r, digest))
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return s.DB.Enqueue(ctx, msgs...)
}
