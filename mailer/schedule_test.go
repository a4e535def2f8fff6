package mailer

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/models/modeltest"
	"github.com/natreport/natreport/notify"
)

func user(t *testing.T, db *models.DB, email, role, iso3, lang string, off ...string) *models.User {
	t.Helper()
	u := &models.User{Email: email, Name: strings.Split(email, "@")[0], Role: role, StateISO3: iso3}
	if err := db.CreateUser(context.Background(), u, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	if err := db.SetPrefs(context.Background(), models.Prefs{UserID: u.ID, Lang: lang, NotifyOff: off}); err != nil {
		t.Fatal(err)
	}
	return u
}

// queued lists "kind to" of every queued message, sorted.
func queued(t *testing.T, db *models.DB) []string {
	t.Helper()
	msgs, err := db.ListMail(context.Background(), "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		out = append(out, m.Kind+" "+m.To)
	}
	sort.Strings(out)
	return out
}

func TestScheduler(t *testing.T) {
	modeltest.ForEachDB(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
		db.SetNow(func() time.Time { return now })
		user(t, db, "fp@jpn.example", models.RoleFocalPoint, "JPN", "fr")
		fra := user(t, db, "fp@fra.example", models.RoleFocalPoint, "FRA", "", notify.KindCycleOpen)
		user(t, db, "sec@un.example", models.RoleSecretariat, "", "es")
		user(t, db, "quiet@un.example", models.RoleSecretariat, "", "", notify.KindDigest)
		user(t, db, "co@jpn.example", models.RoleContributor, "JPN", "")
		cy := &models.Cycle{Label: "2026-2027", ProcessName: "Global Mechanism", OpensOn: now.AddDate(0, 0, -1),
			DueOn: time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC), ClosesOn: time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC), TemplateVersion: "v1"}
		if err := db.CreateCycle(ctx, cy, models.Actor{}); err != nil {
			t.Fatal(err)
		}
		rep := &models.Report{StateISO3: "FRA", CycleID: cy.ID}
		if err := db.CreateReport(ctx, rep, models.Actor{UserID: fra.ID}); err != nil {
			t.Fatal(err)
		}
		if err := db.SetReportStatus(ctx, rep.ID, models.StatusDraft, models.StatusSubmitted, models.Actor{UserID: fra.ID}); err != nil {
			t.Fatal(err)
		}
		s := &Scheduler{DB: db, Composer: notify.Composer{BaseURL: "https://natreport.example"}}
		if err := s.Queue(ctx, now); err != nil {
			t.Fatal(err)
		}
		want := []string{
			"cycle_open fp@jpn.example", // FRA turned it off
			"digest sec@un.example",     // quiet@ turned it off
			"due fp@jpn.example",        // FRA submitted
		}
		if got := queued(t, db); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("queued %v, want %v", got, want)
		}
		msgs, _ := db.ListMail(ctx, "", 10)
		for _, m := range msgs {
			switch m.Kind {
			case notify.KindDue:
				if m.Lang != "fr" || !strings.Contains(m.Subject, "Rappel") || !strings.Contains(m.Body, "jours restants : 7") ||
					!strings.Contains(m.Body, "https://natreport.example/reports/JPN/2026-2027") {
					t.Errorf("due reminder %q / %q", m.Subject, m.Body)
				}
				if strings.Contains(m.Body, "/account/notifications") {
					t.Errorf("an essential reminder offers to turn it off")
				}
			case notify.KindDigest:
				if m.Lang != "es" || !strings.Contains(m.Body, "1 presentados de 1 informes iniciados") {
					t.Errorf("digest %q", m.Body)
				}
			case notify.KindCycleOpen:
				if !strings.Contains(m.Body, "/account/notifications") {
					t.Errorf("an optional notice does not say where to turn it off")
				}
			}
		}
		// Again, and on another instance: nothing twice.
		if err := s.Queue(ctx, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got := queued(t, db); len(got) != 3 {
			t.Errorf("after a second run: %v", got)
		}
		// A day before: the last reminder.
		now = time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
		if err := s.Queue(ctx, now); err != nil {
			t.Fatal(err)
		}
		got := queued(t, db)
		if strings.Count(strings.Join(got, "|"), "due fp@jpn.example") != 2 || strings.Count(strings.Join(got, "|"), "cycle_open") != 1 {
			t.Errorf("a day before: %v", got)
		}
		// The lease: while one holder runs the scheduler, another does not.
		ok, err := db.TryLease(ctx, scheduleLease, "other", 30*24*time.Hour)
		if err != nil || !ok {
			t.Fatal(err)
		}
		before := len(queued(t, db))
		now = now.AddDate(0, 0, 7) // a new week: a digest would be due
		if err := s.RunOnce(ctx, "me", time.Minute); err != nil {
			t.Fatal(err)
		}
		if after := len(queued(t, db)); after != before {
			t.Errorf("ran without the lease: %d → %d", before, after)
		}
	})
}
