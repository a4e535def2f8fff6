// Package demo loads demonstration data into an empty natreport database:
// demo accounts, two reporting cycles and the national reports of a dozen
// States in every stage of their life.
//
// Everything it writes is marked as demo data: account names start with
// "Demo", e-mail addresses are at demo.natreport.example, the audit entries
// of the accounts say "demo data", and every report says in its
// coordination section (0.a.5) that it is not an official submission.
// Japan's reports are drawn from Japan's public statements (shared/seeds)
// and well-known public facts; the other States' answers are generic.
package demo

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// Password is the password of every demo account.
const Password = "natreport-demo-2026"

// Domain is the e-mail domain of the demo accounts and contacts (.example
// is reserved: no mail can ever reach it).
const Domain = "demo.natreport.example"

// Login is one demo sign-in; State is the ISO3 code of the State the
// account acts for ("" for the admin, secretariat and donor).
type Login struct {
	Role, Email, State string
}

// The demo cycles.
const (
	cyclePrev = "2024-2025"
	cycleCur  = "2026-2027"
)

// The templates of the demo cycles: the 2024-2025 cycle used v1, the
// 2026-2027 one uses v2, and reports carried forward into it follow v2's
// replaces mapping. Demo answers are written in v1's codes and mapped onto
// v2's for the current cycle.
const (
	templateVersion    = "v1"
	curTemplateVersion = "v2"
)

// demoIP is the address recorded in the audit log for demo changes
// (TEST-NET-1, reserved for documentation).
const demoIP = "192.0.2.1"

// Logins returns the demo sign-ins, in the order Load creates them.
func Logins() []Login {
	var out []Login
	for _, u := range demoUsers() {
		out = append(out, Login{Role: u.role, Email: u.email, State: u.state})
	}
	return out
}

// Load fills an empty database with demo data and returns the demo
// sign-ins. On a database that already has users it loads nothing and
// returns the same sign-ins, so a demo server can be restarted.
//
// Dates are fixed (the 2024-2025 reports were written in 2024, the
// 2026-2027 ones in 2026): Load sets the database clock while it writes
// and leaves it at time.Now, so call it before serving. Times later than
// now are written as now.
func Load(ctx context.Context, db *models.DB, templates map[string]*surveys.Template, now time.Time) ([]Login, error) {
	logins := Logins()
	users, err := db.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	if len(users) > 0 {
		return logins, nil
	}
	t, cur := templates[templateVersion], templates[curTemplateVersion]
	if t == nil || cur == nil {
		return nil, fmt.Errorf("demo: template %s or %s is missing", templateVersion, curTemplateVersion)
	}
	if now.IsZero() {
		now = time.Now()
	}
	clk := &clock{limit: now.UTC()}
	db.SetNow(clk.now)
	defer db.SetNow(time.Now)
	l := &loader{ctx: ctx, db: db, t: t, cur: cur, clock: clk, users: map[string]*models.User{}, cycles: map[string]*models.Cycle{}}
	if err := l.run(); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	return logins, nil
}

// demoUser is one demo account.
type demoUser struct{ email, name, role, state string }

func demoUsers() []demoUser {
	out := []demoUser{
		{"admin@" + Domain, "Demo Administrator", models.RoleAdmin, ""},
		{"secretariat@" + Domain, "Demo Secretariat Officer", models.RoleSecretariat, ""},
		{"donor@" + Domain, "Demo Donor (capacity-building programme)", models.RoleDonor, ""},
		{focalEmail("JPN"), "Demo Focal Point (Japan)", models.RoleFocalPoint, "JPN"},
		{jpnCERT, "Demo Contributor, JPCERT/CC (Japan)", models.RoleContributor, "JPN"},
	}
	for _, p := range profiles {
		out = append(out, demoUser{focalEmail(p.iso3), "Demo Focal Point (" + p.name + ")", models.RoleFocalPoint, p.iso3})
	}
	return out
}

func focalEmail(iso3 string) string { return strings.ToLower(iso3) + ".focal@" + Domain }

const jpnCERT = "jpn.cert@" + Domain

// clock is the database clock while Load runs: a day set by the loader,
// a few seconds later at each reading so that entries keep their order,
// never later than limit.
type clock struct {
	mu       sync.Mutex
	t, limit time.Time
}

// set moves the clock to 09:00 UTC of day (YYYY-MM-DD).
func (c *clock) set(day string) error {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = d.Add(9 * time.Hour)
	return nil
}

// days moves the clock n days on.
func (c *clock) days(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.AddDate(0, 0, n)
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(37 * time.Second)
	if c.t.After(c.limit) {
		return c.limit
	}
	return c.t
}

// plan is one report to write: what it finally says and how it got there.
type plan struct {
	iso3, cycle string
	start       string // the day the report is started, YYYY-MM-DD
	status      string // where it ends: draft, review, submitted or published
	visibility  string // "" keeps the default (restricted)
	answers     answers
	// carry starts the report by carrying every section forward from the
	// State's report of the previous cycle; answers then saves only what
	// differs from the carried value.
	carry bool
	// confirm lists the sections whose carried answers are confirmed as
	// unchanged; the other carried answers stay marked as carried.
	confirm []string
	// drafters assigns sections to contributors (section code → e-mail),
	// who then save those sections' answers.
	drafters map[string]string
	comments []comment
	// amend, when set, makes a second version after publication with
	// these answers changed, submitted and published again.
	amend answers
}

type comment struct{ section, by, body string }

// loader writes the demo data.
type loader struct {
	ctx    context.Context
	db     *models.DB
	t      *surveys.Template // v1: the previous cycle's, and the codes demo answers are written in
	cur    *surveys.Template // v2: the current cycle's
	clock  *clock
	users  map[string]*models.User // by e-mail
	cycles map[string]*models.Cycle
}

func (l *loader) run() error {
	if err := l.clock.set("2024-01-08"); err != nil {
		return err
	}
	if err := l.createUsers(); err != nil {
		return err
	}
	if err := l.clock.set("2024-01-10"); err != nil {
		return err
	}
	if err := l.createCycles(); err != nil {
		return err
	}
	for _, p := range plans(l.t) {
		if err := l.write(p); err != nil {
			return fmt.Errorf("%s %s: %w", p.iso3, p.cycle, err)
		}
	}
	if err := l.registers(); err != nil {
		return err
	}
	return l.createDirectory()
}

func (l *loader) actor(email string) models.Actor {
	u := l.users[email]
	return models.Actor{UserID: u.ID, Email: u.Email, IP: demoIP}
}

// createUsers creates the accounts and records them as the admin panel
// does, with a user.create entry. Hashing the passwords dominates the whole
// load, so the accounts after the admin (user 1) are created in parallel;
// their audit entries are then written in order.
func (l *loader) createUsers() error {
	all := demoUsers()
	created := make([]*models.User, len(all))
	errs := make([]error, len(all))
	create := func(i int) {
		d := all[i]
		created[i] = &models.User{Email: d.email, Name: d.name, Role: d.role, StateISO3: d.state}
		if err := l.db.CreateUser(l.ctx, created[i], Password); err != nil {
			errs[i] = fmt.Errorf("user %s: %w", d.email, err)
		}
	}
	if create(0); errs[0] != nil {
		return errs[0]
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i := 1; i < len(all); i++ {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			create(i)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for _, u := range created {
		l.users[u.Email] = u
	}
	admin := l.actor("admin@" + Domain)
	for _, u := range created {
		err := l.db.AddAudit(l.ctx, models.AuditEntry{UserID: admin.UserID, Email: admin.Email, IP: admin.IP,
			Action: "user.create", Detail: strings.TrimSpace(u.Email+" "+u.Role+" "+u.StateISO3) + " (demo data)"})
		if err != nil {
			return err
		}
	}
	return nil
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err) // the dates below are constants
	}
	return d
}

func (l *loader) createCycles() error {
	admin := l.actor("admin@" + Domain)
	for _, c := range []*models.Cycle{
		{Label: cyclePrev, ProcessName: "Global Mechanism on ICT security", OpensOn: day("2024-01-15"),
			DueOn: day("2024-12-31"), ClosesOn: day("2025-03-31"), TemplateVersion: templateVersion},
		{Label: cycleCur, ProcessName: "Global Mechanism on ICT security", OpensOn: day("2026-01-15"),
			DueOn: day("2027-03-31"), ClosesOn: day("2027-06-30"), ThematicPriority: "Protection of critical infrastructure",
			ThematicEnabled: true, TemplateVersion: curTemplateVersion},
	} {
		if c.Label == cycleCur {
			if err := l.clock.set("2025-11-03"); err != nil {
				return err
			}
		}
		if err := l.db.CreateCycle(l.ctx, c, admin); err != nil {
			return fmt.Errorf("cycle %s: %w", c.Label, err)
		}
		l.cycles[c.Label] = c
	}
	return nil
}

// lifeOrder is the order a report goes through; withdrawal is not part of
// the demo.
var lifeOrder = []string{models.StatusDraft, models.StatusReview, models.StatusSubmitted, models.StatusPublished}

// write writes one report as its State would: start it (carrying the last
// report forward if planned), assign sections, answer section by section,
// confirm carried sections, comment, then move it through its life.
func (l *loader) write(p plan) error {
	if err := l.clock.set(p.start); err != nil {
		return err
	}
	for code := range p.answers {
		if _, ok := l.t.Question(code); !ok {
			return fmt.Errorf("no question %s in template %s", code, l.t.Version)
		}
	}
	t := l.t
	if p.cycle == cycleCur {
		t = l.cur
		p.answers = toCur(l.cur, l.t, p.answers)
		if p.amend != nil {
			p.amend = toCur(l.cur, l.t, p.amend)
		}
	}
	focal := l.actor(focalEmail(p.iso3))
	r := &models.Report{StateISO3: p.iso3, CycleID: l.cycles[p.cycle].ID}
	if err := l.db.CreateReport(l.ctx, r, focal); err != nil {
		return err
	}
	if p.carry {
		prev, err := l.db.GetReport(l.ctx, p.iso3, cyclePrev, 0)
		if err != nil {
			return fmt.Errorf("previous report: %w", err)
		}
		old, err := l.db.ListAnswers(l.ctx, prev.ID)
		if err != nil {
			return err
		}
		vals := make(map[string]surveys.Value, len(old))
		for code, a := range old {
			vals[code] = a.Value
		}
		sources := surveys.CarrySources(t, l.t, vals)
		if err := l.db.CarryForwardMapped(l.ctx, r.ID, prev.ID, sectionCodes(t), sources, prev.CycleLabel, focal); err != nil {
			return err
		}
	}
	for _, sec := range sortedKeys(p.drafters) {
		if err := l.db.AssignSection(l.ctx, r.ID, sec, l.users[p.drafters[sec]].ID, focal); err != nil {
			return err
		}
	}
	if err := l.answer(t, r.ID, p.answers, p.confirm, p.drafters, focal); err != nil {
		return err
	}
	for _, c := range p.comments {
		l.clock.days(1)
		if _, err := l.db.AddComment(l.ctx, r.ID, c.section, c.body, l.actor(c.by)); err != nil {
			return err
		}
	}
	if p.visibility != "" && p.visibility != models.VisibilityRestricted {
		l.clock.days(1)
		if err := l.db.SetVisibility(l.ctx, r.ID, p.visibility, focal); err != nil {
			return err
		}
	}
	if err := l.advance(r.ID, models.StatusDraft, p.status, focal); err != nil {
		return err
	}
	if p.status == models.StatusSubmitted || p.status == models.StatusPublished {
		if err := l.syncRegisters(r.ID, focal); err != nil {
			return err
		}
	}
	if p.amend == nil {
		return nil
	}
	l.clock.days(20)
	v2, err := l.db.NewVersion(l.ctx, r.ID, focal)
	if err != nil {
		return err
	}
	if err := l.answer(t, v2.ID, p.amend, nil, nil, focal); err != nil {
		return err
	}
	if err := l.advance(v2.ID, models.StatusDraft, models.StatusPublished, focal); err != nil {
		return err
	}
	return l.syncRegisters(v2.ID, focal)
}

// toCur maps demo answers written in the codes of template from onto
// template to (surveys.MapAnswers), keeping the empty values that remove
// an answer carried forward.
func toCur(to, from *surveys.Template, a answers) answers {
	out := answers(surveys.MapAnswers(to, from, a))
	for _, q := range to.AllQuestions() {
		for _, r := range q.Replaces {
			v, ok := a[r]
			if _, done := out[q.Code]; !ok || done {
				continue
			}
			if oq, _ := from.Question(r); oq != nil && oq.Kind == q.Kind && v.IsEmpty(q.Kind) {
				out[q.Code] = v
			}
		}
	}
	return out
}

// answer saves, in template order and a section a day, the answers that
// differ from what the report holds, then confirms the carried answers of
// the sections listed in confirm.
func (l *loader) answer(t *surveys.Template, reportID int64, a answers, confirm []string, drafters map[string]string, focal models.Actor) error {
	stored, err := l.db.ListAnswers(l.ctx, reportID)
	if err != nil {
		return err
	}
	for _, sec := range t.Sections() {
		by := focal
		if email, ok := drafters[sec.Code]; ok {
			by = l.actor(email)
		}
		moved := false
		for i := range sec.Questions {
			q := &sec.Questions[i]
			v, ok := a[q.Code]
			if !ok {
				continue
			}
			if err := check(q, v); err != nil {
				return err
			}
			cur, had := stored[q.Code]
			if had && surveys.Equal(cur.Value, v) {
				continue
			}
			if !moved {
				l.clock.days(1)
				moved = true
			}
			if _, err := l.db.SaveAnswer(l.ctx, reportID, q.Code, v, cur.Version, by, summarizer(q)); err != nil {
				return fmt.Errorf("answer %s: %w", q.Code, err)
			}
		}
		if !slices.Contains(confirm, sec.Code) {
			continue
		}
		// ConfirmAnswers skips the answers just saved: they are no longer carried.
		if err := l.db.ConfirmAnswers(l.ctx, reportID, sectionCodes(t)[sec.Code], by); err != nil {
			return err
		}
	}
	return nil
}

// summarizer renders values in the audit log as the handlers do.
func summarizer(q *surveys.Question) func(surveys.Value) string {
	return func(v surveys.Value) string { return v.Summary(q, "en") }
}

// advance moves a report from status from to status to, one step of
// lifeOrder at a time, a few days apart.
func (l *loader) advance(reportID int64, from, to string, by models.Actor) error {
	i, j := slices.Index(lifeOrder, from), slices.Index(lifeOrder, to)
	if i < 0 || j < i {
		return fmt.Errorf("cannot move a report from %s to %s", from, to)
	}
	gap := map[string]int{models.StatusReview: 6, models.StatusSubmitted: 12, models.StatusPublished: 9}
	for ; i < j; i++ {
		l.clock.days(gap[lifeOrder[i+1]])
		if err := l.db.SetReportStatus(l.ctx, reportID, lifeOrder[i], lifeOrder[i+1], by); err != nil {
			return err
		}
	}
	return nil
}

// sectionCodes maps every section of t to its question codes: what
// carrying a whole report forward copies.
func sectionCodes(t *surveys.Template) map[string][]string {
	out := map[string][]string{}
	for _, s := range t.Sections() {
		for _, q := range s.Questions {
			out[s.Code] = append(out[s.Code], q.Code)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// check validates v as an answer to q the way a form post is validated:
// it renders v as form fields, parses them with surveys.ParseAnswer and
// demands no errors and the same value back.
func check(q *surveys.Question, v surveys.Value) error {
	got, errs := surveys.ParseAnswer(q, formOf(q, v))
	if len(errs) > 0 {
		return fmt.Errorf("answer %s: invalid %v", q.Code, errs)
	}
	if !surveys.Equal(got, v) {
		return fmt.Errorf("answer %s: %+v does not survive a form round trip (%+v)", q.Code, v, got)
	}
	return nil
}

// formOf renders v as the form fields ParseAnswer reads for q.
func formOf(q *surveys.Question, v surveys.Value) url.Values {
	f := url.Values{}
	set := func(k, s string) {
		if s != "" {
			f.Set(k, s)
		}
	}
	switch q.Kind {
	case surveys.KindStatus:
		set(q.Code+".status", v.Status)
		set(q.Code+".measures", v.Measures)
		set(q.Code+".links", strings.Join(v.Links, "\n"))
		set(q.Code+".challenges", v.Challenges)
		if v.AssistanceNeeded {
			f.Set(q.Code+".assistance", "on")
		}
		set(q.Code+".assistance_text", v.AssistanceText)
		set(q.Code+".assistance_type", v.AssistanceType)
		set(q.Code+".assistance_priority", v.AssistancePriority)
	case surveys.KindMulti:
		f[q.Code] = slices.Clone(v.Choices)
	case surveys.KindRows:
		for i, r := range v.Rows {
			for k, s := range r {
				set(surveys.RowField(q.Code, i, k), s)
			}
		}
	case surveys.KindContact:
		for k, s := range v.Contact {
			set(surveys.ContactField(q.Code, k), s)
		}
	default:
		set(q.Code, v.Text)
	}
	return f
}

// answers are the answers of one report, keyed by question code.
type answers map[string]surveys.Value

// clone copies a; the values' slices and maps are shared, so replace a
// value rather than changing it in place.
func (a answers) clone() answers {
	out := make(answers, len(a))
	for k, v := range a {
		out[k] = v
	}
	return out
}

// prune drops the answers to questions that their conditions hide, as a
// form never shows them.
func (a answers) prune(t *surveys.Template) answers {
	vals := map[string]surveys.Value(a)
	for _, q := range t.AllQuestions() {
		if _, ok := a[q.Code]; ok && !surveys.Visible(q, vals) {
			delete(a, q.Code)
		}
	}
	return a
}

// only keeps the answers of the given parts (a draft not yet finished).
func (a answers) only(parts ...string) answers {
	if len(parts) == 0 {
		return a
	}
	for code := range a {
		if !slices.Contains(parts, partOf(code)) {
			delete(a, code)
		}
	}
	return a
}

// partOf is the part of a question code: "II" for "II.g.3".
func partOf(code string) string {
	p, _, _ := strings.Cut(code, ".")
	return p
}

func status(s, challenges string) surveys.Value {
	return surveys.Value{Status: s, Challenges: challenges}
}

func yes(challenges string) surveys.Value    { return status(surveys.StatusYes, challenges) }
func partly(challenges string) surveys.Value { return status(surveys.StatusPartly, challenges) }
func na() surveys.Value                      { return status(surveys.StatusNA, "") }

// help marks a status answer as needing assistance.
func help(v surveys.Value, what string) surveys.Value {
	v.AssistanceNeeded, v.AssistanceText = true, what
	return v
}

func text(s string) surveys.Value               { return surveys.Value{Text: s} }
func number(n int) surveys.Value                { return text(strconv.Itoa(n)) }
func choices(c ...string) surveys.Value         { return surveys.Value{Choices: c} }
func rows(r ...map[string]string) surveys.Value { return surveys.Value{Rows: r} }

// contact is a contact block; empty fields are left out.
func contact(name, position, organisation, email, languages string) surveys.Value {
	c := map[string]string{}
	for k, s := range map[string]string{"name": name, "position": position, "organisation": organisation,
		"email": email, "languages": languages} {
		if s != "" {
			c[k] = s
		}
	}
	return surveys.Value{Contact: c}
}

// law is a row of the laws and policies tables (original title, English
// title, what it does, date in force, link); empty cells are left out.
func law(original, english, summary, inForce, link string) map[string]string {
	return cells("original_title", original, "english_title", english, "summary", summary, "in_force", inForce, "link", link)
}

// cells builds a row from key, value pairs, leaving out empty values.
func cells(kv ...string) map[string]string {
	r := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			r[kv[i]] = kv[i+1]
		}
	}
	return r
}
