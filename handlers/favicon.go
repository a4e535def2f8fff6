package handlers

import (
	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/static"
)

// favicon serves the site icon that browsers ask for at /favicon.ico on
// every page.
func (s *Server) favicon(c *gin.Context) error {
	ico, err := static.FS.ReadFile("favicon.ico")
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "public, max-age=86400")
	c.Data(200, "image/x-icon", ico)
	return nil
}
