package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// healthz answers "ok" only when the database answers reads and commits a
// write: a full disk once answered "ok" while every save failed.
func (s *Server) healthz(c *gin.Context) error {
	ctx := c.Request.Context()
	if err := s.db.Ping(ctx); err != nil {
		s.log.ErrorContext(ctx, "healthz: database unavailable", "err", err)
		c.String(http.StatusServiceUnavailable, "database unavailable")
		return nil
	}
	if err := s.db.HealthWrite(ctx, s.instance); err != nil {
		s.log.ErrorContext(ctx, "healthz: database refuses writes", "err", err)
		c.String(http.StatusServiceUnavailable, "database refuses writes")
		return nil
	}
	c.String(http.StatusOK, "ok")
	return nil
}
