package handlers

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/i18n"
	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/notify"
	"github.com/natreport/natreport/views"
)

// directoryStaff lets a request on only if the one directory check gives
// the reader the secretariat's rights (export, ping rounds).
func (s *Server) directoryStaff(c *gin.Context) error {
	rights, err := directoryRights(c, "")
	if err != nil {
		return err
	}
	if !rights.Export {
		return errForbidden
	}
	return nil
}

func outboxRow(m models.Mail) views.OutboxRow {
	return views.OutboxRow{ID: m.ID, CreatedAt: m.CreatedAt, Kind: m.Kind, To: m.To, Lang: m.Lang, Subject: m.Subject,
		Status: m.Status, Error: m.LastError, Attempts: m.Attempts, SentAt: m.SentAt, Body: m.Body}
}

// outboxList shows the latest messages (admins): without an SMTP server
// this is where they can be read.
func (s *Server) outboxList(c *gin.Context) error {
	ctx := c.Request.Context()
	status := c.Query("status")
	if status != "" && !slices.Contains([]string{models.MailPending, models.MailSent, models.MailFailed}, status) {
		return errBadRequest
	}
	msgs, err := s.db.ListMail(ctx, status, 200)
	if err != nil {
		return err
	}
	d := views.OutboxData{Status: status, Sending: s.cfg.MailConfigured}
	if d.Counts, err = s.db.MailCounts(ctx); err != nil {
		return err
	}
	for _, m := range msgs {
		d.Rows = append(d.Rows, outboxRow(m))
	}
	s.render(c, http.StatusOK, views.OutboxPage(s.page(c, views.T(ctx, "outbox.title")), d))
	return nil
}

func (s *Server) outboxMail(c *gin.Context) (*models.Mail, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, errNotFound
	}
	return s.db.GetMail(c.Request.Context(), id)
}

// outboxShow shows one message as it was written.
func (s *Server) outboxShow(c *gin.Context) error {
	m, err := s.outboxMail(c)
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, views.OutboxMessagePage(s.page(c, m.Subject), outboxRow(*m)))
	return nil
}

// outboxRetry puts a failed message back in the queue.
func (s *Server) outboxRetry(c *gin.Context) error {
	m, err := s.outboxMail(c)
	if err != nil {
		return err
	}
	if err := s.db.RetryMail(c.Request.Context(), m.ID); err != nil {
		return err
	}
	s.audit(c, models.AuditEntry{Action: "mail.retry", Detail: strconv.FormatInt(m.ID, 10) + " " + m.To})
	s.redirect(c, "/admin/outbox/"+strconv.FormatInt(m.ID, 10), "mail_retried")
	return nil
}

// notificationsForm shows the language of messages and the optional notices.
func (s *Server) notificationsForm(c *gin.Context) error {
	ctx := c.Request.Context()
	u := currentUser(c)
	p, err := s.db.GetPrefs(ctx, u.ID)
	if err != nil {
		return err
	}
	d := views.NotificationsData{Lang: p.Lang}
	if d.Lang == "" {
		d.Lang = i18n.Lang(ctx)
	}
	for _, k := range notify.Optional {
		d.Optional = append(d.Optional, views.NotifyKind{Kind: k, On: !p.Off(k)})
	}
	s.render(c, http.StatusOK, views.NotificationsPage(s.page(c, views.T(ctx, "notify.title")), d))
	return nil
}

// notificationsSave stores the language and the notices the person keeps.
func (s *Server) notificationsSave(c *gin.Context) error {
	lang := c.PostForm("lang")
	if !i18n.Supported(lang) {
		return errBadRequest
	}
	on := c.PostFormArray("on")
	p := models.Prefs{UserID: currentUser(c).ID, Lang: lang}
	for _, k := range notify.Optional {
		if !slices.Contains(on, k) {
			p.NotifyOff = append(p.NotifyOff, k)
		}
	}
	if err := s.db.SetPrefs(c.Request.Context(), p); err != nil {
		return err
	}
	s.audit(c, models.AuditEntry{Action: "notify.prefs", NewValue: lang + " off:" + strings.Join(p.NotifyOff, ",")})
	s.redirect(c, "/account/notifications", "prefs_saved")
	return nil
}

// rememberLang records the language a signed-in person uses, for the
// messages natreport sends them: at sign-in and when they pick one.
func (s *Server) rememberLang(c *gin.Context) {
	c.Next()
	ctx := c.Request.Context()
	u := currentUser(c)
	lang := c.Query("lang")
	if c.Request.Method == http.MethodPost && c.Request.URL.Path == "/login" && signedInNow(c) {
		// The sign-in handler does not keep the user in the context: it
		// is the one whose email was posted, now that it has a session.
		lang = i18n.Lang(ctx)
		if nu, err := s.db.GetUserByEmail(ctx, c.PostForm("email")); err == nil {
			u = nu
		}
	}
	if u == nil {
		return
	}
	if !i18n.Supported(lang) {
		return
	}
	if err := s.db.SetLang(ctx, u.ID, lang); err != nil {
		s.log.WarnContext(ctx, "remember language", "err", err)
	}
}

// signedInNow reports whether the response opens a session.
func signedInNow(c *gin.Context) bool {
	for _, v := range c.Writer.Header().Values("Set-Cookie") {
		if strings.HasPrefix(v, sessionCookie+"=") && !strings.HasPrefix(v, sessionCookie+"=;") {
			return true
		}
	}
	return false
}

// remindersForm shows a cycle's reminder days.
func (s *Server) remindersForm(c *gin.Context) error {
	cy, err := s.db.GetCycle(c.Request.Context(), c.Param("cycle"))
	if err != nil {
		return err
	}
	days, err := s.db.CycleReminderDays(c.Request.Context(), cy.ID)
	if err != nil {
		return err
	}
	return s.renderReminders(c, http.StatusOK, views.RemindersForm{Cycle: cy.Label, Days: models.FormatReminderDays(days)})
}

func (s *Server) renderReminders(c *gin.Context, status int, f views.RemindersForm) error {
	ctx := c.Request.Context()
	s.render(c, status, views.RemindersPage(s.page(c, views.T(ctx, "reminders.title", map[string]any{"Cycle": f.Cycle})), f))
	return nil
}

// remindersSave changes a cycle's reminder days.
func (s *Server) remindersSave(c *gin.Context) error {
	cy, err := s.db.GetCycle(c.Request.Context(), c.Param("cycle"))
	if err != nil {
		return err
	}
	f := views.RemindersForm{Cycle: cy.Label, Days: strings.TrimSpace(c.PostForm("days")), Errors: textErrors(c)}
	days, err := models.ParseReminderDays(f.Days)
	if err != nil {
		f.Errors["days"] = "reminders.error"
	}
	if len(f.Errors) > 0 {
		return s.renderReminders(c, http.StatusUnprocessableEntity, f)
	}
	if err := s.db.SetCycleReminderDays(c.Request.Context(), cy.ID, days, actorOf(c)); err != nil {
		return err
	}
	s.redirect(c, "/cycles/"+cy.Label+"/reminders", "reminders_saved")
	return nil
}
