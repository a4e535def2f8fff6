package handlers

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/views"
)

func (s *Server) usersList(c *gin.Context) {
	s.renderUsers(c, http.StatusOK, views.UserForm{Errors: map[string]string{}})
}

func (s *Server) renderUsers(c *gin.Context, status int, f views.UserForm) {
	ctx := c.Request.Context()
	users, err := s.db.ListUsers(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	states, err := s.db.ListStates(ctx, "")
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, status, views.UsersPage(s.page(c, views.T(ctx, "users.title")), views.UsersData{Users: users, States: states, Form: f}))
}

// userCreate adds a user with a one-time password shown once to the admin.
func (s *Server) userCreate(c *gin.Context) {
	f := views.UserForm{
		Email: strings.ToLower(strings.TrimSpace(c.PostForm("email"))), Name: strings.TrimSpace(c.PostForm("name")),
		Role: c.PostForm("role"), StateISO3: strings.ToUpper(c.PostForm("state")), Errors: map[string]string{},
	}
	u := models.User{Email: f.Email, Name: f.Name, Role: f.Role, StateISO3: f.StateISO3, MustChangePassword: true}
	if err := s.checkUser(c, &u, f.Errors); err != nil {
		s.fail(c, err)
		return
	}
	if len(f.Errors) == 0 {
		pw := GeneratePassword()
		err := s.db.CreateUser(c.Request.Context(), &u, pw)
		switch {
		case errors.Is(err, models.ErrDuplicate):
			f.Errors["email"] = "users.error_duplicate"
		case err != nil:
			s.fail(c, err)
			return
		default:
			s.audit(c, models.AuditEntry{Action: "user.create", Detail: u.Email + " " + u.Role + " " + u.StateISO3})
			s.renderUsers(c, http.StatusOK, views.UserForm{Errors: map[string]string{}, Created: &u, Password: pw})
			return
		}
	}
	s.renderUsers(c, http.StatusUnprocessableEntity, f)
}

// checkUser validates a user's email, name, role and State into errs.
func (s *Server) checkUser(c *gin.Context, u *models.User, errs map[string]string) error {
	if !strings.Contains(u.Email, "@") || len(u.Email) > 254 {
		errs["email"] = "error.email"
	}
	if u.Name == "" || len(u.Name) > 200 {
		errs["name"] = "users.error_name"
	}
	if !models.ValidRole(u.Role) {
		errs["role"] = "users.error_role"
		return nil
	}
	needsState := u.Role == models.RoleFocalPoint || u.Role == models.RoleContributor
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
func (s *Server) loadUser(c *gin.Context) (*models.User, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.fail(c, errBadRequest)
		return nil, false
	}
	u, err := s.db.GetUser(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	return u, true
}

func (s *Server) userSetRole(c *gin.Context) {
	u, ok := s.loadUser(c)
	if !ok {
		return
	}
	u.Role, u.StateISO3 = c.PostForm("role"), strings.ToUpper(c.PostForm("state"))
	errs := map[string]string{}
	if err := s.checkUser(c, u, errs); err != nil {
		s.fail(c, err)
		return
	}
	if len(errs) > 0 {
		s.renderUsers(c, http.StatusUnprocessableEntity, views.UserForm{Errors: errs, RowError: u.ID})
		return
	}
	if err := s.db.SetUserRole(c.Request.Context(), u.ID, u.Role, u.StateISO3); err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, models.AuditEntry{Action: "user.role", Detail: u.Email + " " + u.Role + " " + u.StateISO3})
	s.redirect(c, "/admin/users", "user_saved")
}

func (s *Server) userDisable(c *gin.Context) { s.setDisabled(c, true) }
func (s *Server) userEnable(c *gin.Context)  { s.setDisabled(c, false) }

func (s *Server) setDisabled(c *gin.Context, disabled bool) {
	u, ok := s.loadUser(c)
	if !ok {
		return
	}
	if me := currentUser(c); me.ID == u.ID {
		s.fail(c, errInvalid)
		return
	}
	if err := s.db.SetUserDisabled(c.Request.Context(), u.ID, disabled); err != nil {
		s.fail(c, err)
		return
	}
	action := "user.enable"
	if disabled {
		action = "user.disable"
	}
	s.audit(c, models.AuditEntry{Action: action, Detail: u.Email})
	s.redirect(c, "/admin/users", "user_saved")
}

// GeneratePassword returns a random one-time password (20 characters).
func GeneratePassword() string {
	b := make([]byte, 15)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// audit records an account event; a failure to record is logged, not shown,
// since the change itself is already made.
func (s *Server) audit(c *gin.Context, e models.AuditEntry) {
	a := actorOf(c)
	e.UserID, e.Email, e.IP = a.UserID, a.Email, a.IP
	if err := s.db.Audit(c.Request.Context(), s.db.W, e); err != nil {
		s.log.ErrorContext(c.Request.Context(), "audit", "err", err)
	}
}
