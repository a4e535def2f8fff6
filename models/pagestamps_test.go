package models

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/natreport/natreport/surveys"
)

// TestEveryTableStamped: every table of the schema either bumps a page
// stamp on each write (insert, update, delete) or is listed as one no kept
// page reads. A new table must take a side.
func TestEveryTableStamped(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		tablesQ := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
		triggersQ := "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'"
		if db.Dialect == DialectPostgres {
			tablesQ = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
			triggersQ = "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid " +
				"WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal"
		}
		var tables []string
		if err := db.r.Raw(tablesQ).Scan(&tables).Error; err != nil {
			t.Fatal(err)
		}
		var trig []struct{ TblName, Name string }
		if db.Dialect == DialectPostgres {
			var rows []struct{ Relname, Tgname string }
			if err := db.r.Raw(triggersQ).Scan(&rows).Error; err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				trig = append(trig, struct{ TblName, Name string }{r.Relname, r.Tgname})
			}
		} else if err := db.r.Raw(triggersQ).Scan(&trig).Error; err != nil {
			t.Fatal(err)
		}
		has := map[string][]string{}
		for _, tr := range trig {
			if strings.HasPrefix(tr.Name, "page_stamp_") {
				has[tr.TblName] = append(has[tr.TblName], tr.Name)
			}
		}
		want := map[string]int{DialectSQLite: 3, DialectPostgres: 2}[db.Dialect]
		stamped := map[string]bool{}
		for _, st := range stampedTables {
			stamped[st.table] = true
		}
		sort.Strings(tables)
		for _, tb := range tables {
			switch {
			case stamped[tb] && len(has[tb]) != want:
				t.Errorf("table %s: triggers %v, want %d page stamp triggers", tb, has[tb], want)
			case !stamped[tb] && !slices.Contains(UnstampedTables, tb):
				t.Errorf("table %s is neither stamped (stampedTables) nor listed in UnstampedTables", tb)
			case !stamped[tb] && len(has[tb]) > 0:
				t.Errorf("table %s is unstamped but has triggers %v", tb, has[tb])
			}
		}
		for tb := range stamped {
			if !slices.Contains(tables, tb) {
				t.Errorf("stamped table %s does not exist", tb)
			}
		}
	})
}

// TestPageStampsFollowWrites: a write to a State's data moves that
// State's stamp and no other State's; shared data moves the global one;
// a rolled-back write moves nothing.
func TestPageStampsFollowWrites(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		read := func(iso3 string) PageStamp {
			t.Helper()
			ps, err := db.ReadPageStamp(ctx, iso3)
			if err != nil {
				t.Fatal(err)
			}
			return ps
		}
		cy := newCycle(t, db, 2026)
		fp := newUser(t, db, RoleFocalPoint, "JPN")
		r := newReport(t, db, "JPN", cy, actorOf(fp))
		jpn, fra := read("JPN"), read("FRA")
		if jpn.State == 0 || jpn.Global == 0 {
			t.Fatalf("after a user, a cycle and a report: %+v", jpn)
		}
		step := func(what string, write func() error, stateMoves, globalMoves bool) {
			t.Helper()
			before, otherBefore := read("JPN"), read("FRA")
			if err := write(); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			after, otherAfter := read("JPN"), read("FRA")
			if (after.State != before.State) != stateMoves || (after.Global != before.Global) != globalMoves {
				t.Errorf("%s: stamp %+v → %+v, want State moved %v, global moved %v", what, before, after, stateMoves, globalMoves)
			}
			if otherAfter.State != otherBefore.State {
				t.Errorf("%s moved another State's stamp", what)
			}
		}
		step("answer", func() error {
			_, err := db.SaveAnswer(ctx, r.ID, "I.a.1", surveys.Value{Status: "yes"}, 0, actorOf(fp), nil)
			return err
		}, true, false)
		step("comment", func() error { _, err := db.AddComment(ctx, r.ID, "I.a", "A note", actorOf(fp)); return err }, true, false)
		step("assignment", func() error { return db.AssignSection(ctx, r.ID, "I.a", fp.ID, actorOf(fp)) }, true, false)
		step("visibility", func() error { return db.SetVisibility(ctx, r.ID, surveys.VisPublic, actorOf(fp)) }, true, false)
		step("user disabled", func() error { return db.SetUserDisabled(ctx, fp.ID, true) }, true, false)
		step("staff user", func() error { newUser(t, db, RoleSecretariat, ""); return nil }, false, true)
		step("cycle", func() error { newCycle(t, db, 2030); return nil }, false, true)
		step("rolled back", func() error {
			tx := db.w.Begin()
			if err := tx.Exec("UPDATE reports SET visibility = ? WHERE id = ?", surveys.VisPrivate, r.ID).Error; err != nil {
				return err
			}
			return tx.Rollback().Error
		}, false, false)
		if got := read("FRA"); got.State != fra.State {
			t.Errorf("FRA's stamp moved: %+v → %+v", fra, got)
		}
		// A row moved from one State to another moves both stamps.
		co := newUser(t, db, RoleContributor, "JPN")
		j, f := read("JPN"), read("FRA")
		if err := db.SetUserRole(ctx, co.ID, RoleContributor, "FRA"); err != nil {
			t.Fatal(err)
		}
		if read("JPN").State == j.State || read("FRA").State == f.State {
			t.Errorf("a user moved from JPN to FRA: JPN %d → %d, FRA %d → %d", j.State, read("JPN").State, f.State, read("FRA").State)
		}
	})
}

// TestPageStampsNoDeadlock: transactions writing two States' data in
// opposite orders, at once, all commit: on PostgreSQL the counters are
// bumped in sorted order at commit, never held from the first write (the
// rows written are distinct; only the two counters are shared).
func TestPageStampsNoDeadlock(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		cy := newCycle(t, db, 2026)
		a := newUser(t, db, RoleFocalPoint, "JPN")
		b := newUser(t, db, RoleFocalPoint, "FRA")
		ra, rb := newReport(t, db, "JPN", cy, actorOf(a)), newReport(t, db, "FRA", cy, actorOf(b))
		before, err := db.ReadPageStamp(ctx, "JPN")
		if err != nil {
			t.Fatal(err)
		}
		const n = 20
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make(chan error, 2*n)
		for i := 0; i < 2*n; i++ {
			order := []struct{ report, user int64 }{{ra.ID, a.ID}, {rb.ID, b.ID}}
			if i%2 == 1 {
				order[0], order[1] = order[1], order[0]
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				tx := db.w.Begin()
				for _, w := range order {
					if err := tx.Exec("INSERT INTO comments (report_id, section_code, user_id, body, created_at) VALUES (?, 'I.a', ?, 'x', ?)",
						w.report, w.user, db.Now()).Error; err != nil {
						tx.Rollback()
						errs <- err
						return
					}
					time.Sleep(time.Millisecond) // let the other order take its first row
				}
				errs <- tx.Commit().Error
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("transaction: %v", err)
			}
		}
		after, err := db.ReadPageStamp(ctx, "JPN")
		if err != nil {
			t.Fatal(err)
		}
		if after.State != before.State+2*n {
			t.Errorf("JPN stamp %d → %d after %d transactions", before.State, after.State, 2*n)
		}
	})
}

// TestLookupSessionStamped: the lean lookup of every request gives the
// same user and the same session times as LookupSession, and the same
// stamp as ReadPageStamp, in one round trip; it refuses what LookupSession
// refuses.
func TestLookupSessionStamped(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		u := newUser(t, db, RoleFocalPoint, "JPN")
		token, err := db.CreateSession(ctx, u.ID, "192.0.2.7", "Firefox", time.Hour)
		must(t, err)
		full, fu, err := db.LookupSession(ctx, token, time.Hour)
		must(t, err)
		lean, lu, ps, err := db.LookupSessionStamped(ctx, token, time.Hour, "JPN")
		must(t, err)
		want, err := db.ReadPageStamp(ctx, "JPN")
		must(t, err)
		if *lu != *fu || lean.ID != full.ID || lean.UserID != full.UserID || !lean.LastSeenAt.Equal(full.LastSeenAt) ||
			!lean.ExpiresAt.Equal(full.ExpiresAt) || ps != want || ps.State == 0 {
			t.Fatalf("lean %+v %+v %+v; full %+v %+v; stamp %+v", lean, lu, ps, full, fu, want)
		}
		must(t, db.SetUserDisabled(ctx, u.ID, true))
		_, _, _, err = db.LookupSessionStamped(ctx, token, time.Hour, "JPN")
		wantErr(t, err, ErrNotFound)
	})
}
