package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/natreport/natreport/handlers"
	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

func cmdUserAdd(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	var cfg Config
	var email, name, role, state string
	var pwStdin bool
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	dbFlags(fs, &cfg, getenv)
	fs.StringVar(&email, "email", "", "e-mail address (sign-in name)")
	fs.StringVar(&name, "name", "", "full name")
	fs.StringVar(&role, "role", "", "one of "+strings.Join(surveys.Roles, ", "))
	fs.StringVar(&state, "state", "", "ISO 3166 alpha-3 code of the State (focal-point, contributor)")
	fs.BoolVar(&pwStdin, "password-stdin", false, "read the password from standard input instead of generating one")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	email = strings.ToLower(strings.TrimSpace(email))
	state = strings.ToUpper(strings.TrimSpace(state))
	switch {
	case !strings.Contains(email, "@"):
		return usagef("user add: -email must be an e-mail address")
	case strings.TrimSpace(name) == "":
		return usagef("user add: -name is required")
	case !surveys.ValidRole(role):
		return usagef("user add: -role must be one of %s", strings.Join(surveys.Roles, ", "))
	case surveys.RoleNeedsState(role) && state == "":
		return usagef("user add: -state is required for role %s", role)
	case !surveys.RoleNeedsState(role) && state != "":
		return usagef("user add: -state is only for focal-point and contributor")
	}
	pw, generated := "", false
	if pwStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		pw = strings.TrimRight(line, "\r\n")
		switch models.PasswordProblem(pw, email, name) {
		case "":
		case models.PasswordTooShort:
			return usagef("user add: the password needs at least %d characters", models.MinPasswordLength)
		case models.PasswordTooLong:
			return usagef("user add: the password must be at most 72 bytes long")
		default:
			return usagef("user add: the password is too easy to guess (common words, patterns or the account's own name); choose a longer or less predictable one")
		}
	} else {
		pw, generated = handlers.GeneratePassword(), true
	}
	db, err := openDB(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	defer db.Close()
	if state != "" {
		if _, err := db.GetState(ctx, state); errors.Is(err, models.ErrNotFound) {
			return usagef("user add: unknown State %q", state)
		} else if err != nil {
			return err
		}
	}
	u := models.User{Email: email, Name: strings.TrimSpace(name), Role: role, StateISO3: state, MustChangePassword: generated}
	err = db.CreateUser(ctx, &u, pw)
	if errors.Is(err, models.ErrDuplicate) {
		return usagef("user add: a user with e-mail %s exists", email)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "added %s (%s)\n", u.Email, u.Role)
	if generated {
		fmt.Fprintf(stdout, "one-time password: %s\n", pw)
	}
	return nil
}

func cmdUserDisable(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, email, err := requiredFlag("user disable", "email", "e-mail address of the user", args, getenv, stderr)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.GetUserByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
	if errors.Is(err, models.ErrNotFound) {
		return usagef("user disable: no user with e-mail %s", email)
	}
	if err != nil {
		return err
	}
	if err := db.SetUserDisabled(ctx, u.ID, true); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "disabled %s; their sessions are revoked\n", u.Email)
	return nil
}
