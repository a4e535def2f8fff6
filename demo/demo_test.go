package demo

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/models/modeltest"
	"github.com/natreport/natreport/surveys"
)

// now is the time the tests load the demo at.
var now = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

// demoStates are the ISO3 codes of the demo States.
func demoStates() []string {
	out := []string{"JPN"}
	for _, p := range profiles {
		out = append(out, p.iso3)
	}
	return out
}

func load(t *testing.T) (*models.DB, []Login) {
	t.Helper()
	db := modeltest.OpenTest(t)
	templates, err := surveys.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	logins, err := Load(context.Background(), db, templates, now)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return db, logins
}

func TestLoad(t *testing.T) {
	ctx := context.Background()
	db, logins := load(t)
	tmpl, curT := surveys.MustBuiltin(templateVersion), surveys.MustBuiltin(curTemplateVersion)
	tmplOf := func(label string) *surveys.Template {
		if label == cycleCur {
			return curT
		}
		return tmpl
	}

	t.Run("logins", func(t *testing.T) {
		if !slices.Equal(logins, Logins()) {
			t.Errorf("logins = %v, want %v", logins, Logins())
		}
		roles := map[string]bool{}
		focal := map[string]bool{}
		for _, l := range logins {
			roles[l.Role] = true
			if l.Role == models.RoleFocalPoint {
				focal[l.State] = true
			}
		}
		for _, r := range surveys.Roles {
			if !roles[r] {
				t.Errorf("no demo login with role %s", r)
			}
		}
		for _, iso := range demoStates() {
			if !focal[iso] {
				t.Errorf("no focal point for %s", iso)
			}
		}
	})

	t.Run("users sign in", func(t *testing.T) {
		users, err := db.ListUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(users) != len(logins) {
			t.Errorf("%d users, %d logins", len(users), len(logins))
		}
		for _, l := range logins {
			u, err := db.GetUserByEmail(ctx, l.Email)
			if err != nil {
				t.Errorf("%s: %v", l.Email, err)
				continue
			}
			if !models.CheckPassword(u.PasswordHash, Password) {
				t.Errorf("%s: the demo password does not sign in", l.Email)
			}
			if u.Role != l.Role || u.StateISO3 != l.State {
				t.Errorf("%s: role %s state %q, login says %s %q", l.Email, u.Role, u.StateISO3, l.Role, l.State)
			}
			if !strings.HasSuffix(u.Email, "@"+Domain) || !strings.HasPrefix(u.Name, "Demo ") {
				t.Errorf("%s (%s) is not marked as demo data", u.Email, u.Name)
			}
		}
	})

	t.Run("cycles", func(t *testing.T) {
		prev, err := db.GetCycle(ctx, cyclePrev)
		if err != nil {
			t.Fatal(err)
		}
		cur, err := db.GetCycle(ctx, cycleCur)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			c                  *models.Cycle
			opens, due, closes string
			thematic           bool
			priority, process  string
			version            string
		}{
			{prev, "2024-01-15", "2024-12-31", "2025-03-31", false, "", "Global Mechanism on ICT security", "v1"},
			{cur, "2026-01-15", "2027-03-31", "2027-06-30", true, "Protection of critical infrastructure", "Global Mechanism on ICT security", "v2"},
		} {
			got := []string{c.c.OpensOn.Format(time.DateOnly), c.c.DueOn.Format(time.DateOnly), c.c.ClosesOn.Format(time.DateOnly)}
			if want := []string{c.opens, c.due, c.closes}; !slices.Equal(got, want) {
				t.Errorf("cycle %s dates %v, want %v", c.c.Label, got, want)
			}
			if c.c.ThematicEnabled != c.thematic || c.c.ThematicPriority != c.priority || c.c.ProcessName != c.process || c.c.TemplateVersion != c.version {
				t.Errorf("cycle %s = %+v", c.c.Label, c.c)
			}
		}
	})

	t.Run("answers valid", func(t *testing.T) {
		n := 0
		for _, iso := range demoStates() {
			for _, label := range []string{cyclePrev, cycleCur} {
				c, err := db.GetCycle(ctx, label)
				if err != nil {
					t.Fatal(err)
				}
				versions, err := db.ListReportVersions(ctx, iso, label)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range versions {
					vals := values(t, db, tmplOf(label), r.ID)
					for code, v := range vals {
						n++
						q, ok := tmplOf(label).Question(code)
						if !ok {
							t.Errorf("%s %s: no question %s", iso, label, code)
							continue
						}
						if err := check(q, v); err != nil {
							t.Errorf("%s %s: %v", iso, label, err)
						}
						for _, problem := range validate(q, v) {
							t.Errorf("%s %s %s: %s", iso, label, code, problem)
						}
						if !v.IsEmpty(q.Kind) && !surveys.Visible(q, vals) {
							t.Errorf("%s %s: %s answers a question its conditions hide", iso, label, code)
						}
						if _, part, _ := tmplOf(label).SectionOf(code); part.Thematic && !c.ThematicEnabled {
							t.Errorf("%s %s: %s answers the thematic part of a cycle without one", iso, label, code)
						}
					}
				}
			}
		}
		if n < 500 {
			t.Errorf("only %d answers saved", n)
		}
	})

	t.Run("japan", func(t *testing.T) {
		prev, err := db.GetReport(ctx, "JPN", cyclePrev, 0)
		if err != nil {
			t.Fatal(err)
		}
		cur, err := db.GetReport(ctx, "JPN", cycleCur, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range []*models.Report{prev, cur} {
			if r.Status != models.StatusPublished || r.Visibility != models.VisibilityPublic || r.Version != 1 {
				t.Errorf("Japan %s: %s %s version %d, want published public version 1", r.CycleLabel, r.Status, r.Visibility, r.Version)
			}
		}
		if cur.CarriedFromID == nil || *cur.CarriedFromID != prev.ID {
			t.Errorf("Japan 2026-2027 carried from %v, want report %d", cur.CarriedFromID, prev.ID)
		}
		if y := prev.SubmittedAt; y == nil || y.Year() != 2024 {
			t.Errorf("Japan 2024-2025 submitted at %v, want in 2024", y)
		}

		oldVals := values(t, db, tmpl, prev.ID)
		share := float64(len(oldVals)) / float64(countQuestions(tmpl, false))
		if share < 0.6 || share > 0.8 {
			t.Errorf("Japan 2024-2025 answers %.0f%% of the questions, want 60-80%%", share*100)
		}
		stored, err := db.ListAnswers(ctx, cur.ID)
		if err != nil {
			t.Fatal(err)
		}
		carried := 0
		for _, a := range stored {
			if a.CarriedFrom == cyclePrev {
				carried++
			}
		}
		if carried == 0 {
			t.Error("no answer of Japan's 2026-2027 report is still marked as carried")
		}
		counts := map[surveys.Change]int{}
		curVals := values(t, db, curT, cur.ID)
		for _, d := range surveys.CompareAcross(curT, tmpl, oldVals, curVals) {
			counts[d.Change]++
		}
		// Carried from v1 into v2 through replaces: norm (f)'s question and
		// the merged norm (k) question take the v1 answers.
		for to, from := range map[string]string{"II.f.1": "II.f.2", "II.k.1": "II.k.3"} {
			if a, ok := stored[to]; ok && a.CarriedFrom == cyclePrev && !surveys.Equal(a.Value, oldVals[from]) {
				t.Errorf("%s carried %+v, want %s's %+v", to, a.Value, from, oldVals[from])
			}
		}
		if v := curVals["II.a.1"]; v.Measures == "" || len(v.Links) == 0 {
			t.Errorf("II.a.1 has no details in v2: %+v", v)
		}
		for _, c := range []surveys.Change{surveys.Changed, surveys.Unchanged, surveys.New, surveys.Removed} {
			if counts[c] == 0 {
				t.Errorf("comparing Japan's reports finds no %s answer (%v)", c, counts)
			}
		}
		if !strings.Contains(oldVals["0.a.5"].Text, "DEMO DATA") {
			t.Error("Japan's report does not say it is demo data")
		}

		assigned, err := db.SectionAssignments(ctx, cur.ID)
		if err != nil {
			t.Fatal(err)
		}
		if u, ok := assigned["II.h"]; !ok || u.Email != jpnCERT {
			t.Errorf("II.h assigned to %+v, want %s", assigned["II.h"], jpnCERT)
		}
		comments, err := db.ListComments(ctx, cur.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(comments) == 0 {
			t.Error("no internal comment on Japan's 2026-2027 report")
		}
	})

	t.Run("statuses", func(t *testing.T) {
		c, err := db.GetCycle(ctx, cycleCur)
		if err != nil {
			t.Fatal(err)
		}
		latest, err := db.LatestReportsForCycle(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, iso := range demoStates() {
			if r, ok := latest[iso]; ok {
				seen[r.Status] = true
			}
		}
		for _, s := range lifeOrder {
			if !seen[s] {
				t.Errorf("no demo report of %s is %s", cycleCur, s)
			}
		}
		if _, ok := latest["GHA"]; ok {
			t.Error("Ghana should not have started its report")
		}
		for _, p := range plans(tmpl) {
			r, err := db.GetReport(ctx, p.iso3, p.cycle, 0)
			if err != nil {
				t.Errorf("%s %s: %v", p.iso3, p.cycle, err)
				continue
			}
			vis := p.visibility
			if vis == "" {
				vis = models.VisibilityRestricted
			}
			if r.Status != p.status || r.Visibility != vis {
				t.Errorf("%s %s: %s %s, want %s %s", p.iso3, p.cycle, r.Status, r.Visibility, p.status, vis)
			}
		}
	})

	t.Run("regional groups", func(t *testing.T) {
		groups, err := db.RegionalGroups(ctx)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, iso := range demoStates() {
			s, err := db.GetState(ctx, iso)
			if err != nil {
				t.Fatal(err)
			}
			seen[s.RegionalGroup] = true
		}
		for _, g := range groups {
			if !seen[g] {
				t.Errorf("no demo State in the %s group", g)
			}
		}
	})

	t.Run("life order", func(t *testing.T) {
		for _, iso := range demoStates() {
			reports, err := db.StateReports(ctx, iso)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range reports {
				entries, err := db.ListAudit(ctx, []int64{r.ID}, 0)
				if err != nil {
					t.Fatal(err)
				}
				var moves []string
				for i := len(entries) - 1; i >= 0; i-- { // oldest first
					if e := entries[i]; e.Action == models.ActionReportStatus {
						moves = append(moves, e.OldValue+">"+e.NewValue)
					}
				}
				var want []string
				for i := 0; lifeOrder[i] != r.Status; i++ {
					want = append(want, lifeOrder[i]+">"+lifeOrder[i+1])
				}
				if !slices.Equal(moves, want) {
					t.Errorf("%s %s version %d moved %v, want %v", iso, r.CycleLabel, r.Version, moves, want)
				}
			}
		}
	})

	t.Run("needs and offers", func(t *testing.T) {
		for _, c := range []struct {
			iso           string
			needs, offers int
		}{{"FJI", 10, 0}, {"KEN", 4, 0}, {"DEU", 0, 4}, {"JPN", 0, 4}} {
			r, err := db.GetReport(ctx, c.iso, cycleCur, 0)
			if err != nil {
				t.Fatal(err)
			}
			vals := values(t, db, curT, r.ID)
			if n := len(surveys.Needs(curT, vals)); n < c.needs {
				t.Errorf("%s: %d needs, want at least %d", c.iso, n, c.needs)
			}
			if n := len(surveys.Offers(curT, vals)); n < c.offers {
				t.Errorf("%s: %d offers, want at least %d", c.iso, n, c.offers)
			}
		}
	})

	t.Run("times", func(t *testing.T) {
		entries, err := db.ListAuditAll(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.At.After(now) || e.At.Year() < 2024 {
				t.Errorf("audit entry %d %s at %v", e.ID, e.Action, e.At)
			}
		}
		if d := time.Since(db.Now()); d < -time.Minute || d > time.Minute {
			t.Errorf("the database clock was left at %v", db.Now())
		}
	})

	t.Run("second load", func(t *testing.T) {
		before, err := db.ListAuditAll(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		templates, _ := surveys.Builtin()
		again, err := Load(ctx, db, templates, now)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(again, logins) {
			t.Errorf("second Load returned %v, want %v", again, logins)
		}
		after, err := db.ListAuditAll(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before) {
			t.Errorf("second Load wrote %d audit entries", len(after)-len(before))
		}
	})
}

func TestLoadNeedsTemplate(t *testing.T) {
	db := modeltest.OpenTest(t)
	if _, err := Load(context.Background(), db, map[string]*surveys.Template{}, now); err == nil {
		t.Error("Load without template v1 succeeded")
	}
}

// TestPlansValid checks the demo answers without a database: every answer
// is to a question of the template and passes the form validation.
func TestPlansValid(t *testing.T) {
	tmpl := surveys.MustBuiltin(templateVersion)
	for _, p := range plans(tmpl) {
		for _, a := range []answers{p.answers, p.amend} {
			for code, v := range a {
				q, ok := tmpl.Question(code)
				if !ok {
					t.Errorf("%s %s: no question %s", p.iso3, p.cycle, code)
					continue
				}
				if err := check(q, v); err != nil {
					t.Errorf("%s %s: %v", p.iso3, p.cycle, err)
				}
			}
		}
	}
}

func values(t *testing.T, db *models.DB, tm *surveys.Template, reportID int64) map[string]surveys.Value {
	t.Helper()
	stored, err := db.ListAnswers(context.Background(), reportID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]surveys.Value{}
	for code, a := range stored {
		q, ok := tm.Question(code)
		if !ok {
			t.Fatalf("no question %s in %s", code, tm.Version)
		}
		if !a.Value.IsEmpty(q.Kind) {
			out[code] = a.Value
		}
	}
	return out
}

func countQuestions(tmpl *surveys.Template, thematic bool) int {
	n := 0
	for _, p := range tmpl.Parts {
		if p.Thematic && !thematic {
			continue
		}
		for _, s := range p.Sections {
			n += len(s.Questions)
		}
	}
	return n
}

// validate checks v against q independently of surveys.ParseAnswer: option
// values exist, statuses are known, links are http(s), dates YYYY-MM-DD,
// row and contact keys exist.
func validate(q *surveys.Question, v surveys.Value) []string {
	var out []string
	option := func(opts []surveys.Option, s string) {
		if !slices.ContainsFunc(opts, func(o surveys.Option) bool { return o.Value == s }) {
			out = append(out, "unknown option "+s)
		}
	}
	scalar := func(kind surveys.Kind, opts []surveys.Option, s string) {
		if s == "" {
			return
		}
		switch kind {
		case surveys.KindSingle:
			option(opts, s)
		case surveys.KindURL:
			u, err := url.Parse(s)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				out = append(out, "not an http(s) link: "+s)
			}
		case surveys.KindDate:
			if _, err := time.Parse(time.DateOnly, s); err != nil {
				out = append(out, "not a YYYY-MM-DD date: "+s)
			}
		}
	}
	switch q.Kind {
	case surveys.KindStatus:
		if v.Status != "" && !slices.Contains(surveys.StatusValues, v.Status) {
			out = append(out, "unknown status "+v.Status)
		}
	case surveys.KindMulti:
		for _, c := range v.Choices {
			option(q.Options, c)
		}
	case surveys.KindRows:
		for _, r := range v.Rows {
			for k, s := range r {
				i := slices.IndexFunc(q.Columns, func(c surveys.Column) bool { return c.Key == k })
				if i < 0 {
					out = append(out, "unknown column "+k)
					continue
				}
				scalar(q.Columns[i].Kind, q.Columns[i].Options, s)
			}
		}
	case surveys.KindContact:
		for k := range v.Contact {
			if !slices.Contains(surveys.ContactFields, k) {
				out = append(out, "unknown contact field "+k)
			}
		}
	default:
		scalar(q.Kind, q.Options, v.Text)
	}
	return out
}
