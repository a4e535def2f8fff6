package handlers

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// openAPI describes the JSON API (OpenAPI 3.1). It is written by hand and
// kept true by TestOpenAPIDescribesEveryRoute and the schema checks of the
// API tests.
//
//go:embed openapi.json
var openAPI []byte

func (s *Server) apiOpenAPI(c *gin.Context) error {
	c.Data(http.StatusOK, "application/json", openAPI)
	return nil
}
