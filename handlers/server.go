// Package handlers is the HTTP layer of natreport: every URL is in
// routes.go; handlers parse, call models/ and surveys/, then render a view
// or redirect. Errors leave through one door (errors.go).
package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/notify"
	"github.com/natreport/natreport/reports"
	"github.com/natreport/natreport/surveys"
)

// Config holds the settings the HTTP layer needs.
type Config struct {
	SecureCookies bool
	IdleTimeout   time.Duration // a session unused this long expires
	SessionMaxAge time.Duration // a session expires this long after sign-in, used or not
	// BaseURL is the public URL, for links in messages.
	BaseURL string
	// MailConfigured says an SMTP server sends the outbox (else messages
	// wait there, readable at /admin/outbox).
	MailConfigured bool
	// TrustedProxies are the proxies whose X-Forwarded-For is believed;
	// none by default, so the client address is the connection's.
	TrustedProxies []netip.Prefix
	// Background, when set, runs the server's own background work until
	// it ends: keeping the gap summaries ready (every GapWarmEvery).
	Background   context.Context
	GapWarmEvery time.Duration
}

// Server holds what handlers share.
type Server struct {
	db        *models.DB
	templates map[string]*surveys.Template
	cfg       Config
	log       *slog.Logger
	throttle  *Throttle
	now       func() time.Time
	composer  notify.Composer
	instance  string         // this process among those sharing the database (models.NewHolder)
	routeInfo gin.RoutesInfo // every route, for the tests that walk them
	pages     *pageKeeper    // kept pages (pagecache.go)
}

// New builds the natreport HTTP handler: the router wrapped in cross-origin
// protection (CSRF) and security headers.
func New(db *models.DB, templates map[string]*surveys.Template, cfg Config, log *slog.Logger) http.Handler {
	s := newServer(db, templates, cfg, log)
	if cfg.Background != nil && cfg.GapWarmEvery > 0 {
		go s.warmGaps(cfg.Background, cfg.GapWarmEvery)
	}
	if cfg.Background != nil {
		go reports.Warm() // the PDF tables, before the first PDF needs them
	}
	return s.handler()
}

// newServer is New without the router, for tests that need the route
// table (routeInfo, filled by routes).
func newServer(db *models.DB, templates map[string]*surveys.Template, cfg Config, log *slog.Logger) *Server {
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = 2 * time.Hour
	}
	if cfg.SessionMaxAge == 0 {
		cfg.SessionMaxAge = 12 * time.Hour
	}
	s := &Server{
		db:        db,
		templates: templates,
		cfg:       cfg,
		log:       log,
		throttle:  NewThrottle(db),
		now:       time.Now,
		composer:  notify.Composer{BaseURL: cfg.BaseURL},
		instance:  models.NewHolder(),
		pages:     newPageKeeper(keptPagesLimit),
	}
	return s
}
