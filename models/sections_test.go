package models

import (
	"slices"
	"testing"
	"time"
)

func TestSectionsAndComments(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		clk := fixClock(db, time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC))
		fp := newUser(t, db, RoleFocalPoint, "MEX")
		a := newUser(t, db, RoleContributor, "MEX")
		b := newUser(t, db, RoleContributor, "MEX")
		me := actorOf(fp)
		r := newReport(t, db, "MEX", newCycle(t, db, 2026), me)

		must(t, db.AssignSection(ctx, r.ID, "II.g", a.ID, me))
		must(t, db.AssignSection(ctx, r.ID, "II.h", a.ID, me))
		must(t, db.AssignSection(ctx, r.ID, "II.g", b.ID, me)) // reassign
		must(t, db.AssignSection(ctx, r.ID, "II.h", 0, me))    // unassign
		must(t, db.AssignSection(ctx, r.ID, "II.h", 0, me))    // already unassigned: no entry
		wantErr(t, db.AssignSection(ctx, r.ID, "II.i", 9999, me), ErrNotFound)
		wantErr(t, db.AssignSection(ctx, 9999, "II.i", a.ID, me), ErrNotFound)
		as, err := db.SectionAssignments(ctx, r.ID)
		must(t, err)
		if len(as) != 1 || as["II.g"].ID != b.ID || as["II.g"].Email != b.Email {
			t.Errorf("assignments %+v", as)
		}
		es, _ := db.ListAudit(ctx, []int64{r.ID}, 2)
		if es[0].Action != ActionSectionAssign || es[0].OldValue != a.Email || es[0].NewValue != "" ||
			es[1].OldValue != a.Email || es[1].NewValue != b.Email || es[1].Detail != "section II.g" {
			t.Errorf("assignment entries %+v", es)
		}

		c1, err := db.AddComment(ctx, r.ID, "II.g", "  Please add the CI law.  ", actorOf(a))
		must(t, err)
		if c1.ID == 0 || c1.Body != "Please add the CI law." || c1.UserName != a.Name || !c1.CreatedAt.Equal(clk.t) {
			t.Errorf("comment %+v", c1)
		}
		clk.advance(time.Minute)
		_, err = db.AddComment(ctx, r.ID, "II.g", "Done.", actorOf(b))
		must(t, err)
		_, err = db.AddComment(ctx, r.ID, "", "Ready for review.", me)
		must(t, err)
		_, err = db.AddComment(ctx, r.ID, "II.g", "   ", me)
		wantErr(t, err, ErrInvalid)

		cs, err := db.ListComments(ctx, r.ID, "II.g")
		must(t, err)
		if len(cs) != 2 || cs[0].ID != c1.ID || cs[1].Body != "Done." || cs[1].UserName != b.Name || cs[1].UserID != b.ID ||
			cs[0].ReportID != r.ID || cs[0].SectionCode != "II.g" || !cs[1].CreatedAt.Equal(clk.t) {
			t.Errorf("II.g comments %+v", cs)
		}
		all, err := db.ListComments(ctx, r.ID, "")
		must(t, err)
		if len(all) != 3 {
			t.Errorf("all comments %+v", all)
		}

		want := []string{ActionReportCreate, ActionSectionAssign, ActionSectionAssign, ActionSectionAssign, ActionSectionAssign,
			ActionCommentAdd, ActionCommentAdd, ActionCommentAdd}
		if got := actions(t, db, r.ID); !slices.Equal(got, want) {
			t.Errorf("audit %v, want %v", got, want)
		}
	})
}
