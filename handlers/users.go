package handlers

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
	"github.com/natreport/natreport/views"
)

func (s *Server) usersList(c *gin.Context) error {
	return s.renderUsers(c, http.StatusOK, views.UserForm{Errors: map[string]string{}})
}

func (s *Server) renderUsers(c *gin.Context, status int, f views.UserForm) error {
	ctx := c.Request.Context()
	users, err := s.db.ListUsers(ctx)
	if err != nil {
		return err
	}
	states, err := s.db.ListStates(ctx, "")
	if err != nil {
		return err
	}
	s.render(c, status, views.UsersPage(s.page(c, views.T(ctx, "users.title")), views.UsersData{Users: userRows(users), States: stateRefs(states), Form: f}))
	return nil
}

// userCreate adds a user with a one-time password shown once to the admin.
func (s *Server) userCreate(c *gin.Context) error {
	f := views.UserForm{
		Email: strings.ToLower(strings.TrimSpace(c.PostForm("email"))), Name: strings.TrimSpace(c.PostForm("name")),
		Role: c.PostForm("role"), StateISO3: strings.ToUpper(c.PostForm("state")), Errors: textErrors(c),
	}
	u := models.User{Email: f.Email, Name: f.Name, Role: f.Role, StateISO3: f.StateISO3, MustChangePassword: true}
	if err := s.checkUser(c, &u, f.Errors); err != nil {
		return err
	}
	if len(f.Errors) == 0 {
		pw := GeneratePassword()
		err := s.db.CreateUser(c.Request.Context(), &u, pw)
		switch {
		case errors.Is(err, models.ErrDuplicate):
			f.Errors["email"] = "users.error_duplicate"
		case err != nil:
			return err
		default:
			s.audit(c, models.AuditEntry{Action: "user.create", Detail: u.Email + " " + u.Role + " " + u.StateISO3})
			created := userRow(u)
			return s.renderUsers(c, http.StatusOK, views.UserForm{Errors: map[string]string{}, Created: &created, Password: pw})
		}
	}
	return s.renderUsers(c, http.StatusUnprocessableEntity, f)
}

// checkUser validates a user's email, name, role and State into errs.
func (s *Server) checkUser(c *gin.Context, u *models.User, errs map[string]string) error {
	if !strings.Contains(u.Email, "@") || len(u.Email) > 254 {
		errs["email"] = "error.email"
	}
	if u.Name == "" || len(u.Name) > 200 {
		errs["name"] = "users.error_name"
	}
	if !surveys.ValidRole(u.Role) {
		errs["role"] = "users.error_role"
		return nil
	}
	needsState := surveys.RoleNeedsState(u.Role)
	switch {
	case needsState && u.StateISO3 == "":
		errs["state"] = "users.error_state_needed"
	case !needsState:
		u.StateISO3 = ""
	default:
		if _, err := s.db.GetState(c.Request.Context(), u.StateISO3); errors.Is(err, models.ErrNotFound) {
			errs["state"] = "users.error_state"
		} else if err != nil {
			return err
		}
	}
	return nil
}

// loadUser reads the :id parameter; a malformed id is a 400.
func (s *Server) loadUser(c *gin.Context) (*models.User, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return nil, errBadRequest
	}
	return s.db.GetUser(c.Request.Context(), id)
}

func (s *Server) userSetRole(c *gin.Context) error {
	u, err := s.loadUser(c)
	if err != nil {
		return err
	}
	u.Role, u.StateISO3 = c.PostForm("role"), strings.ToUpper(c.PostForm("state"))
	errs := textErrors(c)
	if err := s.checkUser(c, u, errs); err != nil {
		return err
	}
	if len(errs) > 0 {
		return s.renderUsers(c, http.StatusUnprocessableEntity, views.UserForm{Errors: errs, RowError: u.ID})
	}
	if err := s.db.SetUserRole(c.Request.Context(), u.ID, u.Role, u.StateISO3); err != nil {
		return err
	}
	s.audit(c, models.AuditEntry{Action: "user.role", Detail: u.Email + " " + u.Role + " " + u.StateISO3})
	s.redirect(c, "/admin/users", "user_saved")
	return nil
}

func (s *Server) userDisable(c *gin.Context) error { return s.setDisabled(c, true) }
func (s *Server) userEnable(c *gin.Context) error  { return s.setDisabled(c, false) }

func (s *Server) setDisabled(c *gin.Context, disabled bool) error {
	u, err := s.loadUser(c)
	if err != nil {
		return err
	}
	if me := currentUser(c); me.ID == u.ID {
		return errInvalid
	}
	if err := s.db.SetUserDisabled(c.Request.Context(), u.ID, disabled); err != nil {
		return err
	}
	action := "user.enable"
	if disabled {
		action = "user.disable"
	}
	s.audit(c, models.AuditEntry{Action: action, Detail: u.Email})
	s.redirect(c, "/admin/users", "user_saved")
	return nil
}

// GeneratePassword returns a random one-time password (20 characters).
func GeneratePassword() string {
	b := make([]byte, 15)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// audit records an account event by the signed-in person (see record).
func (s *Server) audit(c *gin.Context, e models.AuditEntry) {
	a := actorOf(c)
	e.UserID, e.Email, e.IP = a.UserID, a.Email, a.IP
	s.record(c, e)
}

// record writes an account event to the audit log. The event has already
// happened (a sign-in failed, a password changed), so a failure to record
// it cannot undo it: it is logged as an error, never dropped or shown.
func (s *Server) record(c *gin.Context, e models.AuditEntry) {
	if err := s.db.AddAudit(c.Request.Context(), e); err != nil {
		s.log.ErrorContext(c.Request.Context(), "audit", slog.String("action", e.Action), slog.Any("err", err))
	}
}
