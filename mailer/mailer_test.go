package mailer

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/natreport/natreport/mailer/mailtest"
	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/models/modeltest"
	"github.com/natreport/natreport/notify"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func sender(t *testing.T, url string) *SMTP {
	t.Helper()
	s, err := NewSMTP(url, "natreport <noreply@natreport.example>")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func contact(t *testing.T, db *models.DB, iso3, kind, mailbox, langs string) *models.Contact {
	t.Helper()
	c := &models.Contact{StateISO3: iso3, Kind: kind, Function: "Cyber desk", Mailbox: mailbox, Languages: langs}
	if err := db.SaveContact(context.Background(), c, models.Actor{Email: "test"}); err != nil {
		t.Fatal(err)
	}
	return c
}

// startRound starts a ping round to the contacts of iso3s and returns the
// tokens as the messages carry them.
func startRound(t *testing.T, db *models.DB, iso3s ...string) *models.PingRound {
	t.Helper()
	comp := notify.Composer{BaseURL: "https://natreport.example"}
	expires := db.Now().Add(14 * 24 * time.Hour)
	r, err := db.StartPingRound(context.Background(), "list", iso3s, expires, models.Actor{Email: "sec@un.example"},
		func(pt *models.PingTarget, c *models.Contact, token string) *models.Mail {
			return comp.Ping(pt, c, pt.StateISO3, token, expires)
		})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mailByTo(t *testing.T, db *models.DB, to string) models.Mail {
	t.Helper()
	msgs, err := db.ListMail(context.Background(), "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.To == to {
			return m
		}
	}
	t.Fatalf("no message to %s", to)
	return models.Mail{}
}

func TestSendThroughSMTP(t *testing.T) {
	modeltest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t)
		contact(t, db, "FRA", models.ContactTechnical, "cert@anssi.example", "fr, en")
		contact(t, db, "JPN", models.ContactDiplomatic, "cyber@mofa.example", "ja, en")
		startRound(t, db, "FRA", "JPN")
		w := &Worker{DB: db, Sender: sender(t, srv.URL()), Holder: "a", Log: quiet}
		n, err := w.SendPass(ctx)
		if err != nil || n != 2 {
			t.Fatalf("SendPass = %d, %v; want 2", n, err)
		}
		got := srv.Received()
		if len(got) != 2 {
			t.Fatalf("server received %d messages, want 2", len(got))
		}
		byTo := map[string]mailtest.Received{}
		for _, r := range got {
			if len(r.To) != 1 {
				t.Fatalf("recipients %v, want one", r.To)
			}
			byTo[r.To[0]] = r
			if r.From != "noreply@natreport.example" {
				t.Errorf("MAIL FROM %q", r.From)
			}
		}
		fr, ok := byTo["cert@anssi.example"]
		if !ok {
			t.Fatalf("nothing to cert@anssi.example: %v", byTo)
		}
		h := fr.Header()
		if s := fr.Subject(); !strings.Contains(s, "Merci de confirmer") {
			t.Errorf("French subject %q", s)
		}
		if body := fr.Body(); !strings.Contains(body, "https://natreport.example/confirm/") || !strings.Contains(body, "point de contact technique") {
			t.Errorf("French body lacks the link or the kind: %q", body)
		}
		if h.Get("Content-Language") != "fr" {
			t.Errorf("Content-Language %q", h.Get("Content-Language"))
		}
		if ct := h.Get("Content-Type"); !strings.Contains(strings.ToLower(ct), "charset=utf-8") || !strings.HasPrefix(ct, "text/plain") {
			t.Errorf("Content-Type %q", ct)
		}
		if h.Get("Auto-Submitted") != "auto-generated" {
			t.Errorf("Auto-Submitted %q", h.Get("Auto-Submitted"))
		}
		stored := mailByTo(t, db, "cert@anssi.example")
		if mid := h.Get("Message-ID"); mid != "<"+stored.MessageID+"@natreport.example>" {
			t.Errorf("Message-ID %q, stored %q", mid, stored.MessageID)
		}
		if d, err := h.Date(); err != nil || !d.Equal(stored.CreatedAt.Truncate(time.Second)) {
			t.Errorf("Date %v (%v), want %v", d, err, stored.CreatedAt)
		}
		if !strings.Contains(h.Get("From"), "noreply@natreport.example") {
			t.Errorf("From %q", h.Get("From"))
		}
		en := byTo["cyber@mofa.example"] // Japanese is not a UN language: English
		if s := en.Subject(); !strings.Contains(s, "Please confirm") {
			t.Errorf("English subject %q", s)
		}
		if stored.Status != models.MailSent || stored.SentAt == nil || stored.Attempts != 1 {
			t.Errorf("stored after sending: %+v", stored)
		}
		// The link's token is not kept once sent.
		if strings.Contains(stored.Body, strings.SplitN(fr.Body(), "/confirm/", 2)[1][:64]) || !strings.Contains(stored.Body, "/confirm/"+models.RedactedLink) {
			t.Errorf("stored body keeps the token: %q", stored.Body)
		}
		// Nothing is sent twice.
		if n, err := w.SendPass(ctx); n != 0 || err != nil || len(srv.Received()) != 2 {
			t.Errorf("second pass sent %d (%v), server has %d", n, err, len(srv.Received()))
		}
	})
}

func TestFailuresAreKept(t *testing.T) {
	modeltest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		db.SetNow(func() time.Time { return now })
		srv := mailtest.Start(t)
		srv.RejectRcpt = func(a string) bool { return strings.HasPrefix(a, "gone@") }
		gone := contact(t, db, "FRA", models.ContactTechnical, "gone@anssi.example", "fr")
		contact(t, db, "JPN", models.ContactDiplomatic, "cyber@mofa.example", "en")
		startRound(t, db, "FRA", "JPN")
		w := &Worker{DB: db, Sender: sender(t, srv.URL()), Holder: "a", Log: quiet}
		if n, err := w.SendPass(ctx); n != 1 || err != nil {
			t.Fatalf("SendPass = %d, %v; want 1 sent", n, err)
		}
		bad := mailByTo(t, db, "gone@anssi.example")
		if bad.Status != models.MailFailed || !strings.Contains(bad.LastError, "550") || !strings.Contains(bad.LastError, "No such mailbox") {
			t.Errorf("refused address: status %s, error %q", bad.Status, bad.LastError)
		}
		c, err := db.GetContact(ctx, "FRA", gone.ID)
		if err != nil || c.PingFailedAt == nil || !c.Stale(now) {
			t.Errorf("the entry is not marked as failed: %+v (%v)", c, err)
		}

		// A server that refuses everything for a while: kept, retried later.
		srv.Refuse(true)
		if err := db.Enqueue(ctx, &models.Mail{Kind: notify.KindDigest, To: "sec@un.example", Subject: "Digest", Body: "x"}); err != nil {
			t.Fatal(err)
		}
		if n, err := w.SendPass(ctx); n != 0 || err != nil {
			t.Fatalf("SendPass to a refusing server = %d, %v", n, err)
		}
		m := mailByTo(t, db, "sec@un.example")
		if m.Status != models.MailPending || m.Attempts != 1 || !strings.Contains(m.LastError, "421") || !m.NextAttemptAt.After(now) {
			t.Errorf("after a refusal: %+v", m)
		}
		if n, _ := w.SendPass(ctx); n != 0 {
			t.Errorf("retried before its time")
		}
		srv.Refuse(false)
		now = now.Add(Backoff(1))
		if n, err := w.SendPass(ctx); n != 1 || err != nil {
			t.Fatalf("retry = %d, %v", n, err)
		}
		if m := mailByTo(t, db, "sec@un.example"); m.Status != models.MailSent || m.Attempts != 2 || m.LastError != "" {
			t.Errorf("after the retry: %+v", m)
		}

		// No server at all: a clear error, the message waits.
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		w.Sender = sender(t, "smtp://"+addr)
		if err := db.Enqueue(ctx, &models.Mail{Kind: notify.KindDigest, To: "sec2@un.example", Subject: "Digest", Body: "x"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.SendPass(ctx); err != nil {
			t.Fatal(err)
		}
		if m := mailByTo(t, db, "sec2@un.example"); m.Status != models.MailPending || !strings.Contains(m.LastError, "dial") {
			t.Errorf("no server: %+v", m)
		}

		// Given up after MaxAttempts, still in the outbox; retry puts it back.
		srv2 := mailtest.Start(t)
		srv2.Refuse(true)
		w.Sender = sender(t, srv2.URL())
		for i := 0; i < MaxAttempts+2; i++ {
			now = now.Add(maxWait)
			if _, err := w.SendPass(ctx); err != nil {
				t.Fatal(err)
			}
		}
		m = mailByTo(t, db, "sec2@un.example")
		if m.Status != models.MailFailed || m.Attempts != MaxAttempts {
			t.Errorf("after %d refusals: status %s, attempts %d", MaxAttempts, m.Status, m.Attempts)
		}
		if err := db.RetryMail(ctx, m.ID); err != nil {
			t.Fatal(err)
		}
		srv2.Refuse(false)
		if n, err := w.SendPass(ctx); n != 1 || err != nil {
			t.Errorf("after retry: %d, %v", n, err)
		}
		counts, _ := db.MailCounts(ctx)
		if counts[models.MailSent]+counts[models.MailFailed]+counts[models.MailPending] != 4 {
			t.Errorf("a message was lost: %v", counts)
		}
	})
}

func TestTwoWorkersSendOnce(t *testing.T) {
	modeltest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t)
		const n = 40
		for i := 0; i < n; i++ {
			if err := db.Enqueue(ctx, &models.Mail{Kind: notify.KindDigest, To: fmt.Sprintf("p%d@un.example", i), Subject: "S", Body: "B"}); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		for _, holder := range []string{"instance-a", "instance-b"} {
			w := &Worker{DB: db, Sender: sender(t, srv.URL()), Holder: holder, Log: quiet, Batch: 3}
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					k, err := w.SendPass(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					if k == 0 {
						return
					}
				}
			}()
		}
		wg.Wait()
		got := srv.Received()
		if len(got) != n {
			t.Fatalf("server received %d messages, want %d", len(got), n)
		}
		ids := map[string]bool{}
		for _, r := range got {
			ids[r.Header().Get("Message-ID")] = true
		}
		if len(ids) != n {
			t.Errorf("%d distinct Message-IDs, want %d", len(ids), n)
		}
		if counts, _ := db.MailCounts(ctx); counts[models.MailSent] != n {
			t.Errorf("counts %v", counts)
		}
	})
}

func TestClaimIsExclusive(t *testing.T) {
	modeltest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		for i := 0; i < 5; i++ {
			if err := db.Enqueue(ctx, &models.Mail{Kind: "digest", To: fmt.Sprintf("p%d@un.example", i), Subject: "S"}); err != nil {
				t.Fatal(err)
			}
		}
		a, err := db.ClaimMail(ctx, "a", 3, time.Minute)
		if err != nil || len(a) != 3 {
			t.Fatalf("a claimed %d (%v)", len(a), err)
		}
		b, err := db.ClaimMail(ctx, "b", 10, time.Minute)
		if err != nil || len(b) != 2 {
			t.Fatalf("b claimed %d (%v), want the 2 left", len(b), err)
		}
		// A holder that died: its lease expires and another takes over.
		later := db.Now().Add(2 * time.Minute)
		db.SetNow(func() time.Time { return later })
		c, err := db.ClaimMail(ctx, "c", 10, time.Minute)
		if err != nil || len(c) != 5 {
			t.Fatalf("c claimed %d after the leases expired (%v)", len(c), err)
		}
		// The late holder cannot mark what it no longer holds.
		if err := db.MarkMailSent(ctx, &a[0]); err != nil {
			t.Fatal(err)
		}
		if m, _ := db.GetMail(ctx, a[0].ID); m.Status != models.MailPending {
			t.Errorf("a stale holder marked a message sent")
		}
	})
}

func TestBackoff(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want time.Duration
	}{{1, time.Minute}, {2, 2 * time.Minute}, {3, 4 * time.Minute}, {9, 256 * time.Minute}, {10, 6 * time.Hour}, {50, 6 * time.Hour}} {
		if got := Backoff(tt.n); got != tt.want {
			t.Errorf("Backoff(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}

func TestReminderDue(t *testing.T) {
	days := []int{30, 7, 1}
	for _, tt := range []struct{ left, want int }{{45, 0}, {31, 0}, {30, 30}, {29, 30}, {8, 30}, {7, 7}, {5, 7}, {1, 1}, {0, 1}} {
		if got := ReminderDue(days, tt.left); got != tt.want {
			t.Errorf("ReminderDue(%v, %d) = %d, want %d", days, tt.left, got, tt.want)
		}
	}
	if got := ReminderDue(nil, 3); got != 0 {
		t.Errorf("no reminder days: %d", got)
	}
}

func TestParseSMTPURL(t *testing.T) {
	for _, ok := range []string{"smtp://localhost:25", "smtp://u:p@mail.example:587?starttls=1", "smtps://mail.example"} {
		if _, err := ParseSMTPURL(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"http://mail.example", "smtp://", "smtp://host:99999", "smtp://u:secret@host:x"} {
		_, err := ParseSMTPURL(bad)
		if err == nil {
			t.Errorf("%s accepted", bad)
		} else if strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: the error shows the password: %v", bad, err)
		}
	}
}
