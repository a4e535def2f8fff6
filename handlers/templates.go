package handlers

import (
	"net/http"
	"sort"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/views"
)

// templateShow is the read-only, printable template browser.
func (s *Server) templateShow(c *gin.Context) error {
	t, ok := s.templates[c.Param("version")]
	if !ok {
		return errNotFound
	}
	s.render(c, http.StatusOK, views.TemplatePage(s.page(c, t.Title.In(views.Lang(c.Request.Context()))), t))
	return nil
}

// versions lists the template versions, sorted.
func (s *Server) versions() []string {
	out := make([]string, 0, len(s.templates))
	for v := range s.templates {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}
