package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/natreport/natreport/internal/testdb"
	"github.com/natreport/natreport/models/modeltest"
)

// failAssignments makes every change to section_assignments fail inside
// the database, as a full disk or a lost connection would, after the
// handler's own reads have passed.
func failAssignments(t *testing.T, tg testdb.Target) {
	t.Helper()
	stmts := []string{`CREATE TRIGGER fail_assign_ins BEFORE INSERT ON section_assignments BEGIN SELECT RAISE(ABORT, 'injected fault'); END`,
		`CREATE TRIGGER fail_assign_upd BEFORE UPDATE ON section_assignments BEGIN SELECT RAISE(ABORT, 'injected fault'); END`,
		`CREATE TRIGGER fail_assign_del BEFORE DELETE ON section_assignments BEGIN SELECT RAISE(ABORT, 'injected fault'); END`}
	if tg.PostgresURL != "" {
		stmts = []string{`CREATE FUNCTION fail_assign() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN RAISE EXCEPTION 'injected fault' USING ERRCODE = '53100'; END $$`, // disk_full
			`CREATE TRIGGER fail_assign BEFORE INSERT OR UPDATE OR DELETE ON section_assignments FOR EACH ROW EXECUTE FUNCTION fail_assign()`}
	}
	raw := rawDB(t, tg)
	for _, s := range stmts {
		if err := raw.Exec(s).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// TestAssignDatabaseError: when the database fails while a section is
// assigned, reassigned or unassigned, the focal point gets the safe 500
// page (not a 4xx blaming the request, no internal text), and nothing
// changes: the assignment, the audit log, the outbox.
func TestAssignDatabaseError(t *testing.T) {
	testdb.Each(t, func(t *testing.T, tg testdb.Target) {
		a := newAppOn(t, modeltest.Open(t, tg))
		ra := newReportApp(t, a)
		ra.start(t)
		ctx := context.Background()
		co, err := a.db.GetUserByEmail(ctx, "co@jp.example")
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, ra.fp.post(base+"/sections/II.g/assign", url.Values{"user_id": {itoa(co.ID)}}), http.StatusSeeOther)
		state := func() string {
			r, err := a.db.GetReport(ctx, "JPN", "2026-2027", 0)
			if err != nil {
				t.Fatal(err)
			}
			as, err := a.db.SectionAssignments(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			audit, err := a.db.ListAuditAll(ctx, 1000)
			if err != nil {
				t.Fatal(err)
			}
			mail, err := a.db.ListMail(ctx, "", 1000)
			if err != nil {
				t.Fatal(err)
			}
			return fmt.Sprintf("II.g=%q II.h=%q audit=%d mail=%d", as["II.g"].Email, as["II.h"].Email, len(audit), len(mail))
		}
		before := state()
		failAssignments(t, tg)
		for _, tt := range []struct{ what, section, user string }{
			{"assign", "II.h", itoa(co.ID)},
			{"reassign", "II.g", itoa(ra.fpUser.ID)},
			{"unassign", "II.g", "0"},
		} {
			w := ra.fp.post(base+"/sections/"+tt.section+"/assign", url.Values{"user_id": {tt.user}})
			if w.Code != http.StatusInternalServerError {
				t.Errorf("%s: status %d, want 500", tt.what, w.Code)
			}
			noBody(t, w, "injected", "section_assignments", "SQLSTATE")
			if after := state(); after != before {
				t.Errorf("%s: a failed assignment changed %s into %s", tt.what, before, after)
			}
		}
	})
}
