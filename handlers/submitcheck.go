package handlers

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
)

// submitPasswordRefusal checks the password asked again at submission,
// under the sign-in throttle, and records throttled and wrong tries in the
// audit log against the report. It returns a zero status when the password
// is right, otherwise the status and message of the refusal.
func (s *Server) submitPasswordRefusal(c *gin.Context, rc *reportCtx) (int, string, error) {
	ctx := c.Request.Context()
	ip := c.ClientIP()
	att, err := s.throttle.Attempt(ctx, rc.user.Email, ip)
	if err != nil {
		return 0, "", err
	}
	entry := models.AuditEntry{UserID: rc.user.ID, Email: rc.user.Email, IP: ip, ReportID: &rc.report.ID}
	if !att.allowed {
		entry.Action = models.ActionSubmitThrottled
		s.record(c, entry)
		c.Header("Retry-After", strconv.Itoa(att.retryAfterSeconds()))
		return http.StatusTooManyRequests, "login.throttled", nil
	}
	if !s.db.CheckPasswordOf(rc.user, c.PostForm("password")) {
		entry.Action = models.ActionSubmitWrongPassword
		s.record(c, entry)
		return http.StatusUnprocessableEntity, "submit.wrong_password", nil
	}
	return 0, "", s.throttle.Succeeded(ctx, att)
}
