package models

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/natreport/natreport/internal/testdb"
	"github.com/natreport/natreport/surveys"
)

// TestGroupCommit: many writers from several States save at once. Every
// acknowledged save is stored (also after reopening the file), a refusal
// (a submitted report) touches no other save of its group, and saves are
// really committed together.
func TestGroupCommit(t *testing.T) {
	tg := testdb.SQLite(t)
	db := openTarget(t, tg)
	if db.group == nil {
		t.Fatal("SQLite database without a group committer")
	}
	c := newCycle(t, db, 2026)
	states := []string{"JPN", "KEN", "FRA", "BRA"}
	reports := map[string]*Report{}
	users := map[string]*User{}
	for _, iso3 := range states {
		users[iso3] = newUser(t, db, RoleFocalPoint, iso3)
		reports[iso3] = newReport(t, db, iso3, c, actorOf(users[iso3]))
	}
	// Brazil's report is submitted: its saves must be refused.
	bra := reports["BRA"]
	must(t, db.SetReportStatus(ctx, bra.ID, surveys.ReportDraft, surveys.ReportReview, actorOf(users["BRA"])))
	must(t, db.SetReportStatus(ctx, bra.ID, surveys.ReportReview, surveys.ReportSubmitted, actorOf(users["BRA"])))

	const perState = 24
	type outcome struct {
		iso3, code string
		ans        Answer
		err        error
	}
	out := make(chan outcome, perState*len(states))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, iso3 := range states {
		for i := range perState {
			wg.Go(func() {
				<-start
				code := fmt.Sprintf("II.g.%d", i)
				a, err := db.SaveAnswer(ctx, reports[iso3].ID, code, surveys.Value{Text: iso3 + " " + code}, 0, actorOf(users[iso3]), nil)
				out <- outcome{iso3, code, a, err}
			})
		}
	}
	close(start)
	wg.Wait()
	close(out)
	saved := 0
	for o := range out {
		switch {
		case o.iso3 == "BRA":
			wantErr(t, o.err, ErrReadOnly)
		case o.err != nil:
			t.Fatalf("%s %s: %v", o.iso3, o.code, o.err)
		default:
			saved++
			if o.ans.Version != 1 || o.ans.Value.Text != o.iso3+" "+o.code {
				t.Errorf("%s %s: acknowledged %+v", o.iso3, o.code, o.ans)
			}
		}
	}
	if saved != perState*3 {
		t.Fatalf("%d saves acknowledged, want %d", saved, perState*3)
	}
	if g := db.group.largest.Load(); g < 2 {
		t.Errorf("largest group %d: concurrent saves were not committed together", g)
	}

	// Reopen the file: every acknowledged save is there, with its audit entry.
	must(t, db.Close())
	db2, err := Open(ctx, Config{SQLitePath: tg.SQLitePath, Logger: testLogger})
	must(t, err)
	t.Cleanup(func() { _ = db2.Close() })
	for _, iso3 := range states {
		got, err := db2.ListAnswers(ctx, reports[iso3].ID)
		must(t, err)
		want := perState
		if iso3 == "BRA" {
			want = 0
		}
		if len(got) != want {
			t.Errorf("%s: %d answers stored, want %d", iso3, len(got), want)
		}
		for code, a := range got {
			if a.Value.Text != iso3+" "+code {
				t.Errorf("%s %s stored %q", iso3, code, a.Value.Text)
			}
		}
		n := 0
		for _, act := range actions(t, db2, reports[iso3].ID) {
			if act == ActionAnswerSave {
				n++
			}
		}
		if n != want {
			t.Errorf("%s: %d audit entries for saves, want %d", iso3, n, want)
		}
	}
}

// boomReport is a draft of JPN and its focal point, on a database where
// the audit entry of a save whose text says "boom" fails, as a full disk
// or a broken constraint would fail one statement.
func boomReport(t *testing.T) (*DB, *User, *Report) {
	db := OpenTest(t)
	u := newUser(t, db, RoleFocalPoint, "JPN")
	r := newReport(t, db, "JPN", newCycle(t, db, 2026), actorOf(u))
	must(t, db.w.Exec(`CREATE TRIGGER boom BEFORE INSERT ON audit_log WHEN NEW.new_value LIKE '%boom%'
		BEGIN SELECT RAISE(ABORT, 'boom'); END`).Error)
	return db, u, r
}

// TestGroupCommitIsolatesFailures: a save whose statement fails inside a
// group is rolled back alone; the others of the group are stored.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	db, u, r := boomReport(t)
	const n = 32
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			text := fmt.Sprintf("answer %d", i)
			if i%8 == 3 {
				text = "boom " + text
			}
			_, errs[i] = db.SaveAnswer(ctx, r.ID, fmt.Sprintf("II.a.%d", i), surveys.Value{Text: text}, 0, actorOf(u), nil)
		})
	}
	close(start)
	wg.Wait()
	got, err := db.ListAnswers(ctx, r.ID)
	must(t, err)
	for i, err := range errs {
		code := fmt.Sprintf("II.a.%d", i)
		_, stored := got[code]
		if i%8 == 3 {
			if err == nil || stored {
				t.Errorf("%s: the failing save gave %v, stored %v", code, err, stored)
			}
			continue
		}
		if err != nil || !stored {
			t.Errorf("%s: err %v, stored %v", code, err, stored)
		}
	}
}

// TestGroupCommitCallerGone: a caller whose request ended before its turn
// is not stored and gets its context's error; the group goes on.
func TestGroupCommitCallerGone(t *testing.T) {
	db := OpenTest(t)
	u := newUser(t, db, RoleFocalPoint, "JPN")
	r := newReport(t, db, "JPN", newCycle(t, db, 2026), actorOf(u))
	gone, cancel := context.WithCancel(ctx)
	cancel()
	_, err := db.SaveAnswer(gone, r.ID, "II.a.1", surveys.Value{Text: "late"}, 0, actorOf(u), nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if _, err := db.GetAnswer(ctx, r.ID, "II.a.1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a save whose caller left was stored (%v)", err)
	}
	if _, err := db.SaveAnswer(ctx, r.ID, "II.a.1", surveys.Value{Text: "on time"}, 0, actorOf(u), nil); err != nil {
		t.Fatal(err)
	}
}

// TestGroupCommitRunsFailingGroupIsolated: a group runs without
// savepoints; a refusal inside it (a conflict) is answered within the
// group, while a save that fails after writing makes the group run again
// with each save under a savepoint, so that it alone is undone.
func TestGroupCommitRunsFailingGroupIsolated(t *testing.T) {
	db, u, r := boomReport(t)
	n := 0
	run := func(texts ...string) []groupReply {
		var group []*groupSave
		for _, text := range texts {
			n++
			req := SaveRequest{ReportID: r.ID, Code: fmt.Sprintf("II.b.%d", n), Value: surveys.Value{Text: text}, Actor: actorOf(u), Summary: valueJSON}
			if text == "conflict" {
				req.BaseVersion = 7
			}
			must(t, db.prepareSave(ctx, req))
			group = append(group, &groupSave{ctx: ctx, req: req, reply: make(chan groupReply, 1)})
		}
		db.group.commit(group)
		out := make([]groupReply, len(group))
		for i, s := range group {
			out[i] = <-s.reply
		}
		return out
	}
	got := run("one", "conflict", "three")
	wantErr(t, got[1].err, ErrConflict)
	if got[0].err != nil || got[2].err != nil || db.group.reruns.Load() != 0 {
		t.Fatalf("a conflict in a group: %v, %v, %d reruns", got[0].err, got[2].err, db.group.reruns.Load())
	}
	got = run("four", "boom five", "six")
	if got[0].err != nil || got[2].err != nil || got[1].err == nil || isRefusal(got[1].err) {
		t.Fatalf("a failing save in a group: %v, %v, %v", got[0].err, got[1].err, got[2].err)
	}
	if n := db.group.reruns.Load(); n != 1 {
		t.Errorf("%d groups run again, want 1", n)
	}
	stored, err := db.ListAnswers(ctx, r.ID)
	must(t, err)
	for code, want := range map[string]string{"II.b.1": "one", "II.b.3": "three", "II.b.4": "four", "II.b.6": "six"} {
		if stored[code].Value.Text != want {
			t.Errorf("%s: stored %q, want %q", code, stored[code].Value.Text, want)
		}
	}
	for _, code := range []string{"II.b.2", "II.b.5"} {
		if a, ok := stored[code]; ok {
			t.Errorf("%s: the refused or failing save was stored: %+v", code, a)
		}
	}
	saves := 0
	for _, act := range actions(t, db, r.ID) {
		if act == ActionAnswerSave {
			saves++
		}
	}
	if saves != 4 {
		t.Errorf("%d audit entries of saves, want 4 (one, three, four, six)", saves)
	}
}
