package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"

	"github.com/natreport/natreport/mailer"
	"github.com/natreport/natreport/models"
)

// newMailWorker builds the outbox worker of serve: with -smtp-url it
// sends through that server; without, messages stay in the outbox (the
// scheduler still queues reminders, readable at /admin/outbox).
func newMailWorker(cfg Config, db *models.DB, log *slog.Logger) (*mailer.Worker, error) {
	w := &mailer.Worker{DB: db, Holder: processHolder(), Log: log}
	if cfg.SMTPURL == "" {
		log.Info("mail: no -smtp-url; messages stay in the outbox (/admin/outbox)")
		return w, nil
	}
	if cfg.MailFrom == "" {
		return nil, usagef("-mail-from is required with -smtp-url")
	}
	if _, err := mailer.ParseSMTPURL(cfg.SMTPURL); err != nil {
		return nil, usagef("-smtp-url: %v", err)
	}
	sender, err := mailer.NewSMTP(cfg.SMTPURL, cfg.MailFrom)
	if err != nil {
		return nil, usagef("%v", err)
	}
	w.Sender = sender
	return w, nil
}

// processHolder is an id unique to this process, for leases.
func processHolder() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
}
