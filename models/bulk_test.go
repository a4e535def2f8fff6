package models

import (
	"context"
	"testing"

	"github.com/natreport/natreport/surveys"
)

// TestImportReport: the bulk path writes the report as given (status,
// visibility, times), every answer at version 1, one report.import entry,
// and refuses what CreateReport refuses.
func TestImportReport(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		c := newCycle(t, db, 2026)
		actor := Actor{Email: "import", IP: "192.0.2.1"}
		at := date(2026, 5, 1)
		r := &Report{StateISO3: "JPN", CycleID: c.ID, Status: StatusPublished, Visibility: VisibilityDonors, UpdatedAt: at, PublishedAt: &at}
		answers := map[string]surveys.Value{"I.a.1": {Status: surveys.StatusYes}, "0.a.2": {Text: "A ministry"}}
		must(t, db.ImportReport(ctx, r, answers, actor))
		got, err := db.GetReportByID(ctx, r.ID)
		must(t, err)
		if got.Status != StatusPublished || got.Visibility != VisibilityDonors || !got.UpdatedAt.Equal(at) || got.PublishedAt == nil || got.CycleLabel != c.Label {
			t.Errorf("stored %+v", got)
		}
		stored, err := db.ListAnswers(ctx, r.ID)
		must(t, err)
		if len(stored) != 2 || stored["I.a.1"].Version != 1 || stored["0.a.2"].Value.Text != "A ministry" {
			t.Errorf("answers %+v", stored)
		}
		if a := actions(t, db, r.ID); len(a) != 1 || a[0] != ActionReportImport {
			t.Errorf("audit %v, want one %s", a, ActionReportImport)
		}
		wantErr(t, db.ImportReport(ctx, &Report{StateISO3: "JPN", CycleID: c.ID, Status: StatusDraft, Visibility: VisibilityPublic}, nil, actor), ErrDuplicate)
		wantErr(t, db.ImportReport(ctx, &Report{StateISO3: "JPN", CycleID: c.ID, Status: "lost", Visibility: VisibilityPublic}, nil, actor), ErrInvalid)
		wantErr(t, db.ImportReport(ctx, &Report{StateISO3: "XXX", CycleID: c.ID, Status: StatusDraft, Visibility: VisibilityPublic}, nil, actor), ErrInvalid)
	})
}

// TestImportUsers: one hash for all, each account signs in with the
// password, a user.import entry each; a taken e-mail is ErrDuplicate and
// writes nothing.
func TestImportUsers(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		users := []*User{{Email: "Sec@Example.org", Role: RoleSecretariat}, {Email: "fp@example.org", Role: RoleFocalPoint, StateISO3: "KEN"}}
		must(t, db.ImportUsers(ctx, users, "a long password", Actor{Email: "import"}))
		for _, u := range users {
			got, err := db.GetUserByEmail(ctx, u.Email)
			must(t, err)
			if got.ID != u.ID || !CheckPassword(got.PasswordHash, "a long password") {
				t.Errorf("%s: stored %+v", u.Email, got)
			}
		}
		if users[0].Email != "sec@example.org" {
			t.Errorf("email %q not normalised", users[0].Email)
		}
		wantErr(t, db.ImportUsers(ctx, []*User{{Email: "new@example.org", Role: RoleDonor}, {Email: "fp@example.org", Role: RoleDonor}}, "another long password", Actor{}), ErrDuplicate)
		if _, err := db.GetUserByEmail(ctx, "new@example.org"); err == nil {
			t.Error("a refused import left an account behind")
		}
		all, err := db.ListAuditAll(ctx, 0)
		must(t, err)
		n := 0
		for _, e := range all {
			if e.Action == ActionUserImport {
				n++
			}
		}
		if n != 2 {
			t.Errorf("%d user.import entries, want 2", n)
		}
	})
}
