package models

import (
	"errors"
	"sort"
	"testing"
)

func TestStatesLoaded(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		all, err := db.ListStates(ctx, "")
		must(t, err)
		if len(all) != 195 {
			t.Fatalf("%d States, want 193 members and 2 observers", len(all))
		}
		if !sort.SliceIsSorted(all, func(i, j int) bool { return all[i].Name < all[j].Name }) {
			t.Error("States not sorted by name")
		}
		members := map[string]int{}
		var observers []string
		for _, s := range all {
			if s.Observer {
				observers = append(observers, s.ISO3)
				continue
			}
			// The United States belongs to no group but is counted in WEOG
			// for elections, which is how the list files it.
			if s.ISO3 == "USA" {
				if s.RegionalGroup != "Western European and Others" || s.GroupNote == "" {
					t.Errorf("USA = %+v, want WEOG with a note", s)
				}
				continue
			}
			members[s.RegionalGroup]++
		}
		if n := len(all) - len(observers); n != 193 {
			t.Errorf("%d members, want 193", n)
		}
		want := map[string]int{"African": 54, "Asia-Pacific": 54, "Eastern European": 23,
			"Latin American and Caribbean": 33, "Western European and Others": 28}
		if len(members) != len(want) {
			t.Errorf("member groups %v, want %v", members, want)
		}
		for g, n := range want {
			if members[g] != n {
				t.Errorf("group %s has %d members, want %d", g, members[g], n)
			}
		}
		if len(observers) != 2 {
			t.Errorf("observers %v, want the Holy See and Palestine", observers)
		}

		groups, err := db.RegionalGroups(ctx)
		must(t, err)
		if len(groups) != 5 || groups[0] != "African" || groups[4] != "Western European and Others" {
			t.Errorf("regional groups %v", groups)
		}
		weog, err := db.ListStates(ctx, "Western European and Others")
		must(t, err)
		if len(weog) != 29 {
			t.Errorf("WEOG lists %d States, want 28 and the United States", len(weog))
		}

		jpn, err := db.GetState(ctx, "JPN")
		must(t, err)
		wantJPN := State{ISO3: "JPN", ISO2: "JP", M49: "392", Name: "Japan", RegionalGroup: "Asia-Pacific",
			M49Region: "Asia", M49Subregion: "Eastern Asia"}
		if *jpn != wantJPN {
			t.Errorf("JPN = %+v, want %+v", *jpn, wantJPN)
		}
		afg, err := db.GetState(ctx, "AFG")
		must(t, err)
		if afg.M49 != "004" {
			t.Errorf("AFG m49 %q, want the leading zeros kept", afg.M49)
		}
		vat, err := db.GetState(ctx, "VAT")
		must(t, err)
		if !vat.Observer || vat.RegionalGroup != "" || vat.GroupNote == "" {
			t.Errorf("Holy See = %+v, want an observer in no group, with a note", *vat)
		}
		pse, err := db.GetState(ctx, "PSE")
		must(t, err)
		if !pse.Observer || pse.RegionalGroup != "Asia-Pacific" {
			t.Errorf("Palestine = %+v", *pse)
		}
		_, err = db.GetState(ctx, "XXX")
		wantErr(t, err, ErrNotFound)
	})
}

// TestStateCacheGivesCopies: the States are read once and kept; what a
// caller does with its copy never reaches the next caller.
func TestStateCacheGivesCopies(t *testing.T) {
	db := OpenTest(t)
	st, err := db.GetState(ctx, "JPN")
	must(t, err)
	st.Name = "changed by a caller"
	again, err := db.GetState(ctx, "JPN")
	must(t, err)
	if again.Name != "Japan" {
		t.Errorf("GetState after a caller's change: %q", again.Name)
	}
	list, err := db.ListStates(ctx, "")
	must(t, err)
	list[0].Name = "changed"
	list2, err := db.ListStates(ctx, "")
	must(t, err)
	if list2[0].Name == "changed" {
		t.Error("ListStates shares its slice with the cache")
	}
	if _, err := db.GetState(ctx, "XXX"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown State: %v", err)
	}
}
