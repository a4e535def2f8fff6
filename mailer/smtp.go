// Package mailer sends what the outbox holds: an SMTP sender built on
// wneessen/go-mail, a worker that claims queued messages and sends each
// once with retries and backoff, and the scheduler that queues reminders
// and digests. Requests never send: they only queue (models.EnqueueTx).
package mailer

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/natreport/natreport/models"
)

// Sender delivers one message. A *PermanentError means retrying cannot help.
type Sender interface {
	Send(ctx context.Context, m *models.Mail) error
}

// PermanentError is a refusal that retrying cannot cure (a 5xx reply: an
// unknown mailbox, a rejected sender).
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// SMTP sends through one SMTP server with go-mail.
type SMTP struct {
	client *gomail.Client
	from   *mail.Address
	domain string // of From: the right part of Message-IDs
	now    func() time.Time
}

// ParseSMTPURL checks an -smtp-url: smtp://[user:pass@]host[:port][?starttls=1]
// (STARTTLS required when starttls=1, else used when offered) or
// smtps://... (TLS from the start, port 465 by default).
func ParseSMTPURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("smtp url: malformed (not shown: it may hold a password)")
	}
	if u.Scheme != "smtp" && u.Scheme != "smtps" {
		return nil, fmt.Errorf("smtp url: scheme %q, want smtp or smtps", u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, errors.New("smtp url: no host")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("smtp url: port %q", p)
		}
	}
	return u, nil
}

// NewSMTP builds a sender for the server at rawURL, sending as from (an
// address, optionally with a display name).
func NewSMTP(rawURL, from string) (*SMTP, error) {
	u, err := ParseSMTPURL(rawURL)
	if err != nil {
		return nil, err
	}
	addr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail from %q: %w", from, err)
	}
	opts := []gomail.Option{gomail.WithTimeout(30 * time.Second)}
	port := 587
	if u.Scheme == "smtps" {
		port = 465
		opts = append(opts, gomail.WithSSL())
	} else if b, _ := strconv.ParseBool(u.Query().Get("starttls")); b {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if p := u.Port(); p != "" {
		port, _ = strconv.Atoi(p)
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil {
		pw, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pw))
	}
	c, err := gomail.NewClient(u.Hostname(), opts...)
	if err != nil {
		return nil, fmt.Errorf("smtp client: %w", err)
	}
	domain := addr.Address[strings.LastIndexByte(addr.Address, '@')+1:]
	return &SMTP{client: c, from: addr, domain: domain, now: time.Now}, nil
}

// Build writes m as a go-mail message: plain text in UTF-8, a Message-ID
// fixed when it was queued, the queueing time as Date, the language as
// Content-Language, and Auto-Submitted so that no robot answers it.
func (s *SMTP) Build(m *models.Mail) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	msg.FromMailAddress(s.from)
	if err := msg.To(m.To); err != nil {
		return nil, &PermanentError{fmt.Errorf("recipient %q: %w", m.To, err)}
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageID + "@" + s.domain)
	msg.SetDateWithValue(m.CreatedAt)
	msg.SetGenHeader(gomail.HeaderContentLang, m.Lang)
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	return msg, nil
}

// Send delivers m; a 5xx reply or an invalid address is a *PermanentError.
func (s *SMTP) Send(ctx context.Context, m *models.Mail) error {
	msg, err := s.Build(m)
	if err != nil {
		return err
	}
	err = s.client.DialAndSendWithContext(ctx, msg)
	if err == nil {
		return nil
	}
	var se *gomail.SendError
	if errors.As(err, &se) && se.ErrorCode() >= 500 {
		return &PermanentError{err}
	}
	return err
}
