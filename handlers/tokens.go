package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/views"
)

// tokensPage lists the signed-in person's API tokens with the form to
// make one.
func (s *Server) tokensPage(c *gin.Context) error {
	return s.renderTokens(c, http.StatusOK, views.TokensData{Form: views.TokenForm{Errors: map[string]string{}}})
}

func (s *Server) renderTokens(c *gin.Context, status int, d views.TokensData) error {
	ctx := c.Request.Context()
	list, err := s.db.ListAPITokens(ctx, currentUser(c).ID)
	if err != nil {
		return err
	}
	now := s.db.Now()
	for _, t := range list {
		d.Tokens = append(d.Tokens, views.TokenRow{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt, LastUsedAt: t.LastUsedAt,
			ExpiresAt: t.ExpiresAt, RevokedAt: t.RevokedAt, Active: t.Active(now)})
	}
	s.render(c, status, views.TokensPage(s.page(c, views.T(ctx, "tokens.title")), d))
	return nil
}

// tokenCreate makes a token and shows it this once: only its hash is kept.
func (s *Server) tokenCreate(c *gin.Context) error {
	f := views.TokenForm{Name: strings.TrimSpace(c.PostForm("name")), Expires: strings.TrimSpace(c.PostForm("expires")),
		Errors: textErrors(c)}
	if f.Name == "" || utf8.RuneCountInString(f.Name) > models.MaxTokenName {
		f.Errors["name"] = "tokens.error_name"
	}
	var expires *time.Time
	if f.Expires != "" {
		d, err := time.Parse(time.DateOnly, f.Expires)
		switch {
		case err != nil:
			f.Errors["expires"] = "error.date"
		case !d.After(s.db.Now()):
			f.Errors["expires"] = "tokens.error_expires"
		default:
			expires = &d
		}
	}
	if len(f.Errors) > 0 {
		return s.renderTokens(c, http.StatusUnprocessableEntity, views.TokensData{Form: f})
	}
	token, t, err := s.db.CreateAPIToken(c.Request.Context(), currentUser(c).ID, f.Name, expires, actorOf(c))
	if err != nil {
		return err
	}
	return s.renderTokens(c, http.StatusOK, views.TokensData{Form: views.TokenForm{Errors: map[string]string{}}, Created: t.Name, Secret: token})
}

// tokenRevoke revokes one of the signed-in person's tokens at once.
func (s *Server) tokenRevoke(c *gin.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return withCause(errBadRequest, fmt.Errorf("token id %q", c.Param("id")))
	}
	if err := s.db.RevokeAPIToken(c.Request.Context(), currentUser(c).ID, id, actorOf(c)); errors.Is(err, models.ErrNotFound) {
		return withCause(errNotFound, err)
	} else if err != nil {
		return err
	}
	s.redirect(c, "/account/tokens", "token_revoked")
	return nil
}
