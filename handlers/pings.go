package handlers

import (
	"errors"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/views"
)

// Ping rounds: how long a link works by default and at most, and how much
// longer a chase keeps a round open.
const (
	defaultRoundDays = 14
	maxRoundDays     = 90
	chaseExtends     = 7 * 24 * time.Hour
)

// roundsList shows past rounds and the form that starts one.
func (s *Server) roundsList(c *gin.Context) error {
	return s.renderRounds(c, http.StatusOK, views.RoundForm{Scope: "all", Days: strconv.Itoa(defaultRoundDays)})
}

func (s *Server) renderRounds(c *gin.Context, status int, f views.RoundForm) error {
	ctx := c.Request.Context()
	rounds, err := s.db.ListPingRounds(ctx)
	if err != nil {
		return err
	}
	d := views.RoundsData{Form: f}
	if d.Groups, err = s.db.RegionalGroups(ctx); err != nil {
		return err
	}
	for _, r := range rounds {
		d.Rounds = append(d.Rounds, s.roundRow(r))
	}
	s.render(c, status, views.RoundsPage(s.page(c, views.T(ctx, "poc.rounds")), d))
	return nil
}

func (s *Server) roundRow(r models.PingRound) views.RoundRow {
	return views.RoundRow{ID: r.ID, Scope: r.Scope, StartedAt: r.StartedAt, ExpiresAt: r.ExpiresAt,
		Targets: r.Targets, Confirmed: r.Confirmed, Open: s.now().Before(r.ExpiresAt)}
}

var iso3Pattern = regexp.MustCompile(`^[A-Z]{3}$`)

// roundScope reads the round form into the States it reaches and the
// scope as recorded; field errors go into f.Errors.
func (s *Server) roundScope(c *gin.Context, f *views.RoundForm) ([]string, string, error) {
	ctx := c.Request.Context()
	states, err := s.db.ListStates(ctx, "")
	if err != nil {
		return nil, "", err
	}
	known := map[string]bool{}
	var all []string
	for _, st := range states {
		known[st.ISO3] = true
		all = append(all, st.ISO3)
	}
	switch f.Scope {
	case "all":
		return all, "all", nil
	case "group":
		groups, err := s.db.RegionalGroups(ctx)
		if err != nil {
			return nil, "", err
		}
		if !slices.Contains(groups, f.Group) {
			f.Errors["group"] = "poc.error_group"
			return nil, "", nil
		}
		var out []string
		for _, st := range states {
			if st.RegionalGroup == f.Group {
				out = append(out, st.ISO3)
			}
		}
		return out, "group:" + f.Group, nil
	case "list":
		var out []string
		for _, x := range strings.FieldsFunc(strings.ToUpper(f.List), func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
			if !iso3Pattern.MatchString(x) || !known[x] {
				f.Errors["list"] = "poc.error_list"
				return nil, "", nil
			}
			if !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
		if len(out) == 0 {
			f.Errors["list"] = "poc.error_list"
			return nil, "", nil
		}
		sort.Strings(out)
		return out, "list:" + strings.Join(out, ","), nil
	}
	f.Errors["scope"] = "poc.error_scope"
	return nil, "", nil
}

// roundStart starts a ping round: every point of contact in scope gets a
// message with a single-use link, queued with the round in one transaction.
func (s *Server) roundStart(c *gin.Context) error {
	f := views.RoundForm{Scope: c.PostForm("scope"), Group: c.PostForm("group"), List: strings.TrimSpace(c.PostForm("list")),
		Days: strings.TrimSpace(c.PostForm("days")), Errors: textErrors(c)}
	days, err := strconv.Atoi(f.Days)
	if err != nil || days < 1 || days > maxRoundDays {
		f.Errors["days"] = "poc.error_days"
	}
	iso3s, scope, err := s.roundScope(c, &f)
	if err != nil {
		return err
	}
	if len(f.Errors) > 0 {
		return s.renderRounds(c, http.StatusUnprocessableEntity, f)
	}
	names, err := s.stateNames(c)
	if err != nil {
		return err
	}
	expires := s.db.Now().Add(time.Duration(days) * 24 * time.Hour)
	compose := func(t *models.PingTarget, ct *models.Contact, token string) *models.Mail {
		return s.composer.Ping(t, ct, names[t.StateISO3], token, expires)
	}
	r, err := s.db.StartPingRound(c.Request.Context(), scope, iso3s, expires, actorOf(c), compose)
	if errors.Is(err, models.ErrInvalid) {
		f.Errors["scope"] = "poc.error_nobody"
		return s.renderRounds(c, http.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	s.redirect(c, "/directory/rounds/"+strconv.FormatInt(r.ID, 10), "round_started")
	return nil
}

func roundIDParam(c *gin.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// roundShow shows who confirmed, how fast, and who has not.
func (s *Server) roundShow(c *gin.Context) error {
	ctx := c.Request.Context()
	id, err := roundIDParam(c)
	if err != nil {
		return err
	}
	r, err := s.db.GetPingRound(ctx, id)
	if err != nil {
		return err
	}
	targets, err := s.db.ListPingTargets(ctx, id)
	if err != nil {
		return err
	}
	names, err := s.stateNames(c)
	if err != nil {
		return err
	}
	d := views.RoundData{Round: s.roundRow(*r)}
	var took []time.Duration
	for _, t := range targets {
		d.Targets = append(d.Targets, views.RoundTarget{StateISO3: t.StateISO3, StateName: names[t.StateISO3], Kind: t.Kind,
			Mailbox: t.Mailbox, SentAt: t.SentAt, ConfirmedAt: t.ConfirmedAt, Chases: t.Chases, MailStatus: t.MailStatus, MailError: t.MailError})
		if t.ConfirmedAt != nil {
			took = append(took, t.ConfirmedAt.Sub(t.SentAt))
		}
	}
	if len(took) > 0 {
		slices.Sort(took)
		d.Median = views.Duration(took[len(took)/2])
	}
	s.render(c, http.StatusOK, views.RoundPage(s.page(c, views.T(ctx, "poc.round_n", map[string]any{"N": id})), d))
	return nil
}

// roundChase sends a fresh link to everyone in the round who has not confirmed.
func (s *Server) roundChase(c *gin.Context) error {
	ctx := c.Request.Context()
	id, err := roundIDParam(c)
	if err != nil {
		return err
	}
	names, err := s.stateNames(c)
	if err != nil {
		return err
	}
	r, err := s.db.GetPingRound(ctx, id)
	if err != nil {
		return err
	}
	expires := r.ExpiresAt
	if until := s.db.Now().Add(chaseExtends); expires.Before(until) {
		expires = until
	}
	compose := func(t *models.PingTarget, ct *models.Contact, token string) *models.Mail {
		return s.composer.Ping(t, ct, names[t.StateISO3], token, expires)
	}
	if _, err := s.db.ChasePingRound(ctx, id, chaseExtends, actorOf(c), compose); err != nil {
		return err
	}
	s.redirect(c, "/directory/rounds/"+strconv.FormatInt(id, 10), "round_chased")
	return nil
}

var tokenPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// confirmShow is the page a confirmation link opens: no sign-in; it asks
// for a click, so that a mail scanner that fetches links uses nothing.
func (s *Server) confirmShow(c *gin.Context) error {
	return s.confirmPage(c, func(token string) (views.ConfirmData, error) {
		l, err := s.db.PeekPing(c.Request.Context(), token)
		if err != nil {
			return views.ConfirmData{}, err
		}
		return views.ConfirmData{Token: token, StateName: l.StateName, Kind: l.Kind, Mailbox: l.Mailbox, ExpiresAt: l.ExpiresAt, Outcome: "ask"}, nil
	})
}

// confirmUse uses a confirmation link: once, before it expires.
func (s *Server) confirmUse(c *gin.Context) error {
	return s.confirmPage(c, func(token string) (views.ConfirmData, error) {
		_, err := s.db.ConfirmPing(c.Request.Context(), token)
		return views.ConfirmData{Outcome: "done"}, err
	})
}

// confirmPage checks the link's token, runs fn with it and shows the
// outcome: a used or expired link answers 410, an unknown one 404.
func (s *Server) confirmPage(c *gin.Context, fn func(token string) (views.ConfirmData, error)) error {
	token := c.Param("token")
	if !tokenPattern.MatchString(token) {
		return errNotFound
	}
	d, err := fn(token)
	status := http.StatusOK
	if errors.Is(err, models.ErrPingSpent) {
		d, status, err = views.ConfirmData{Outcome: "spent"}, http.StatusGone, nil
	}
	if err != nil {
		return err
	}
	s.render(c, status, views.ConfirmPage(s.page(c, views.T(c.Request.Context(), "confirm.title")), d))
	return nil
}
