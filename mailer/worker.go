package mailer

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/natreport/natreport/models"
)

// Retry policy: the wait doubles from a minute up to six hours; after
// MaxAttempts a message is given up (failed) and stays in the outbox.
const (
	MaxAttempts = 10
	firstWait   = time.Minute
	maxWait     = 6 * time.Hour
)

// Backoff is the wait after the attempts-th failed attempt.
func Backoff(attempts int) time.Duration {
	d := firstWait
	for i := 1; i < attempts && d < maxWait; i++ {
		d *= 2
	}
	return min(d, maxWait)
}

// Worker sends the outbox. Several workers (one per instance) may run over
// one database: each message is claimed by one of them (a lease on the
// row) and marked sent by the one that claimed it.
type Worker struct {
	DB     *models.DB
	Sender Sender // nil: nothing is sent, messages wait (read them at /admin/outbox)
	Holder string // unique to the process
	Log    *slog.Logger
	// Batch is how many messages a pass claims; LeaseFor how long the
	// claim holds (longer than a batch takes to send).
	Batch    int
	LeaseFor time.Duration
}

// SendPass claims a batch of due messages and tries each once. It returns
// how many the server accepted.
func (w *Worker) SendPass(ctx context.Context) (int, error) {
	if w.Sender == nil {
		return 0, nil
	}
	batch, lease := w.Batch, w.LeaseFor
	if batch <= 0 {
		batch = 20
	}
	if lease <= 0 {
		lease = 10 * time.Minute
	}
	msgs, err := w.DB.ClaimMail(ctx, w.Holder, batch, lease)
	if err != nil {
		return 0, err
	}
	sent := 0
	for i := range msgs {
		m := &msgs[i]
		err := w.Sender.Send(ctx, m)
		if err == nil {
			if err := w.DB.MarkMailSent(ctx, m); err != nil {
				return sent, err
			}
			sent++
			continue
		}
		if ctx.Err() != nil {
			return sent, ctx.Err() // the lease expires; the message is tried again
		}
		var retryAt *time.Time
		var perm *PermanentError
		if !errors.As(err, &perm) && m.Attempts+1 < MaxAttempts {
			t := w.DB.Now().Add(Backoff(m.Attempts + 1))
			retryAt = &t
		}
		w.log().Warn("mail not sent", "id", m.ID, "kind", m.Kind, "attempt", m.Attempts+1, "retry", retryAt != nil, "err", err)
		if err := w.DB.MarkMailFailed(ctx, m, err.Error(), retryAt); err != nil {
			return sent, err
		}
	}
	return sent, nil
}

func (w *Worker) log() *slog.Logger {
	if w.Log == nil {
		return slog.Default()
	}
	return w.Log
}

// Run sends every interval and runs the scheduler (under a lease, so one
// instance at a time) every scheduleEvery, until ctx ends.
func (w *Worker) Run(ctx context.Context, sch *Scheduler, interval, scheduleEvery time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	var lastSchedule time.Time
	for {
		if sch != nil && time.Since(lastSchedule) >= scheduleEvery {
			lastSchedule = time.Now()
			if err := sch.RunOnce(ctx, w.Holder, scheduleEvery); err != nil && ctx.Err() == nil {
				w.log().Warn("mail schedule", "err", err)
			}
		}
		for {
			n, err := w.SendPass(ctx)
			if err != nil && ctx.Err() == nil {
				w.log().Warn("mail send", "err", err)
			}
			if n == 0 || err != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
