package models

import (
	"testing"
	"time"
)

func TestValidCycleLabel(t *testing.T) {
	for label, want := range map[string]bool{
		"2026-2027": true, "2026": true, "2027-2026": false, "2026-2026": false,
		"26-27": false, "2026/2027": false, "": false, " 2026-2027": false,
	} {
		if got := ValidCycleLabel(label); got != want {
			t.Errorf("ValidCycleLabel(%q) = %v, want %v", label, got, want)
		}
	}
}

func TestCycles(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		clk := fixClock(db, time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC))
		admin := Actor{UserID: 0, Email: "admin@example.org", IP: "192.0.2.1"}
		conf := time.Date(2027, 7, 6, 15, 30, 0, 0, time.UTC)
		c := &Cycle{Label: "2026-2027", ProcessName: "Global Mechanism on ICT security",
			OpensOn: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC), DueOn: date(2027, 3, 31), ClosesOn: date(2027, 12, 31),
			ConferenceOn: &conf, ThematicPriority: "critical infrastructure", ThematicEnabled: true, TemplateVersion: "2026.1"}
		must(t, db.CreateCycle(ctx, c, admin))
		if c.ID == 0 || !c.CreatedAt.Equal(clk.t) || !c.OpensOn.Equal(date(2026, 3, 1)) {
			t.Fatalf("created %+v", c)
		}
		got, err := db.GetCycle(ctx, "2026-2027")
		must(t, err)
		if got.ID != c.ID || got.ProcessName != c.ProcessName || !got.OpensOn.Equal(date(2026, 3, 1)) ||
			!got.DueOn.Equal(c.DueOn) || !got.ClosesOn.Equal(c.ClosesOn) || got.ConferenceOn == nil ||
			!got.ConferenceOn.Equal(date(2027, 7, 6)) || got.ThematicPriority != c.ThematicPriority ||
			!got.ThematicEnabled || got.TemplateVersion != "2026.1" || !got.CreatedAt.Equal(clk.t) {
			t.Errorf("got %+v, want %+v", got, c)
		}
		if got.OpensOn.Location() != time.UTC {
			t.Errorf("times read back in %v, want UTC", got.OpensOn.Location())
		}
		byID, err := db.GetCycleByID(ctx, c.ID)
		must(t, err)
		if byID.Label != c.Label {
			t.Errorf("by id %+v", byID)
		}
		_, err = db.GetCycle(ctx, "1999-2000")
		wantErr(t, err, ErrNotFound)

		wantErr(t, db.CreateCycle(ctx, &Cycle{Label: "2026-2027", OpensOn: date(2030, 1, 1), DueOn: date(2030, 1, 1), ClosesOn: date(2030, 1, 1)}, admin), ErrDuplicate)
		wantErr(t, db.CreateCycle(ctx, &Cycle{Label: "next", OpensOn: date(2030, 1, 1), DueOn: date(2030, 1, 1), ClosesOn: date(2030, 1, 1)}, admin), ErrInvalid)
		wantErr(t, db.CreateCycle(ctx, &Cycle{Label: "2030-2031", OpensOn: date(2030, 1, 1), DueOn: date(2029, 1, 1), ClosesOn: date(2030, 1, 1)}, admin), ErrInvalid)

		older := newCycle(t, db, 2024)
		newer := newCycle(t, db, 2028)
		list, err := db.ListCycles(ctx)
		must(t, err)
		if len(list) != 3 || list[0].ID != newer.ID || list[1].ID != c.ID || list[2].ID != older.ID {
			t.Errorf("cycles not newest first: %v", list)
		}

		// 2024-2025 runs 1 Mar 2024 to 28 Feb 2026; 2026-2027 from 1 Mar 2026.
		for _, tc := range []struct {
			now  time.Time
			want int64
		}{
			{time.Date(2026, 2, 28, 23, 59, 0, 0, time.UTC), older.ID}, // the closing day counts whole
			{time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), c.ID},
			{time.Date(2027, 12, 31, 20, 0, 0, 0, time.UTC), c.ID},
			{time.Date(2028, 1, 10, 0, 0, 0, 0, time.UTC), newer.ID}, // none open: the latest
			{time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), newer.ID},
		} {
			cur, err := db.CurrentCycle(ctx, tc.now)
			must(t, err)
			if cur.ID != tc.want {
				t.Errorf("CurrentCycle(%v) = %s, want id %d", tc.now, cur.Label, tc.want)
			}
		}
		prev, err := db.PreviousCycle(ctx, c)
		must(t, err)
		if prev.ID != older.ID {
			t.Errorf("previous of %s is %s", c.Label, prev.Label)
		}
		_, err = db.PreviousCycle(ctx, older)
		wantErr(t, err, ErrNotFound)

		c.ThematicEnabled = false
		c.ConferenceOn = nil
		c.ProcessName = "Global Mechanism"
		must(t, db.UpdateCycle(ctx, c, admin))
		got, _ = db.GetCycle(ctx, "2026-2027")
		if got.ThematicEnabled || got.ConferenceOn != nil || got.ProcessName != "Global Mechanism" || !got.CreatedAt.Equal(c.CreatedAt) {
			t.Errorf("after update %+v", got)
		}
		c.Label = "2024-2025"
		wantErr(t, db.UpdateCycle(ctx, c, admin), ErrDuplicate)
		wantErr(t, db.UpdateCycle(ctx, &Cycle{ID: 9999, Label: "2040", OpensOn: date(2040, 1, 1), DueOn: date(2040, 1, 1), ClosesOn: date(2040, 1, 1)}, admin), ErrNotFound)

		es, err := db.ListAuditAll(ctx, 10)
		must(t, err)
		var kinds []string
		for _, e := range es {
			kinds = append(kinds, e.Action+" "+e.Detail)
		}
		want := []string{"cycle.update 2026-2027", "cycle.create 2028-2029", "cycle.create 2024-2025", "cycle.create 2026-2027"}
		if len(kinds) != len(want) {
			t.Fatalf("audit %v, want %v", kinds, want)
		}
		for i := range want {
			if kinds[i] != want[i] {
				t.Errorf("audit %v, want %v", kinds, want)
				break
			}
		}
		if es[0].Email != admin.Email || es[0].IP != admin.IP || es[0].OldValue == "" || es[0].NewValue == "" || es[0].ReportID != nil {
			t.Errorf("update entry %+v", es[0])
		}
	})
}

func TestCurrentCycleNone(t *testing.T) {
	db := OpenTest(t)
	_, err := db.CurrentCycle(ctx, time.Now())
	wantErr(t, err, ErrNotFound)
}
