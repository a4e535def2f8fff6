package models

import (
	"bytes"
	"context"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"

	"gorm.io/gorm"
)

// State is a UN member or observer State. RegionalGroup is the UN regional
// group (empty for the Holy See), not the M49 geographic region.
type State struct {
	ISO3          string `gorm:"column:iso3"`
	ISO2          string `gorm:"column:iso2"`
	M49           string `gorm:"column:m49"`
	Name          string `gorm:"column:name"`
	RegionalGroup string `gorm:"column:regional_group"`
	GroupNote     string `gorm:"column:group_note"`
	M49Region     string `gorm:"column:m49_region"`
	M49Subregion  string `gorm:"column:m49_subregion"`
	Observer      bool   `gorm:"column:observer"`
}

const stateCols = "iso3, iso2, m49, name, regional_group, group_note, m49_region, m49_subregion, observer"

// stateTable is the States as read once from the database. The table is
// written only by migrations, which run before a process serves (a new
// release is a restart), so a process may keep it for its lifetime: every
// page names States, and this saves a query per page.
type stateTable struct {
	byName []State // sorted by name
	byISO3 map[string]*State
}

// stateCache returns the States, reading them on first use.
func (db *DB) stateCache(ctx context.Context) (*stateTable, error) {
	if t := db.states.Load(); t != nil {
		return t, nil
	}
	var all []State
	if err := db.read(ctx).Table("states").Select(stateCols).Order("name").Scan(&all).Error; err != nil {
		return nil, err
	}
	t := &stateTable{byName: all, byISO3: make(map[string]*State, len(all))}
	for i := range all {
		t.byISO3[all[i].ISO3] = &all[i]
	}
	if len(all) > 0 { // not before migration 2
		db.states.Store(t)
	}
	return t, nil
}

// ListStates lists the States sorted by name: all of them (members and
// observers) when group is "", else those of that regional group.
func (db *DB) ListStates(ctx context.Context, group string) ([]State, error) {
	t, err := db.stateCache(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]State, 0, len(t.byName))
	for _, st := range t.byName {
		if group == "" || st.RegionalGroup == group {
			out = append(out, st)
		}
	}
	return out, nil
}

// GetState returns the State with the ISO 3166-1 alpha-3 code iso3.
func (db *DB) GetState(ctx context.Context, iso3 string) (*State, error) {
	t, err := db.stateCache(ctx)
	if err != nil {
		return nil, err
	}
	st, ok := t.byISO3[iso3]
	if !ok {
		return nil, ErrNotFound
	}
	cp := *st
	return &cp, nil
}

// RegionalGroups lists the non-empty regional groups, sorted.
func (db *DB) RegionalGroups(ctx context.Context) ([]string, error) {
	var out []string
	err := db.read(ctx).Raw("SELECT DISTINCT regional_group FROM states WHERE regional_group <> '' ORDER BY regional_group").Scan(&out).Error
	return out, err
}

// stateData holds the State lists loaded by migration 2. They are inputs of
// a released migration: corrections go in a new migration, not in the files.
//
//go:embed data/un-member-states.csv data/un-observer-states.csv
var stateData embed.FS

// loadStates is migration 2.
func loadStates(tx *gorm.DB) error {
	for _, f := range []struct {
		path     string
		observer bool
	}{{"data/un-member-states.csv", false}, {"data/un-observer-states.csv", true}} {
		b, err := stateData.ReadFile(f.path)
		if err != nil {
			return err
		}
		r := csv.NewReader(bytes.NewReader(b))
		head, err := r.Read()
		if err != nil {
			return fmt.Errorf("%s: %w", f.path, err)
		}
		want := []string{"iso3", "iso2", "m49", "name", "regional_group", "group_note", "m49_region", "m49_subregion"}
		if fmt.Sprint(head) != fmt.Sprint(want) {
			return fmt.Errorf("%s: header %v, want %v", f.path, head, want)
		}
		for {
			rec, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return fmt.Errorf("%s: %w", f.path, err)
			}
			if err := tx.Exec(`INSERT INTO states (iso3, iso2, m49, name, regional_group, group_note, m49_region, m49_subregion, observer)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				rec[0], rec[1], rec[2], rec[3], rec[4], rec[5], rec[6], rec[7], f.observer).Error; err != nil {
				return fmt.Errorf("%s: %s: %w", f.path, rec[0], err)
			}
		}
	}
	return nil
}
