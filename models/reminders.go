package models

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// DefaultReminderDays is when focal points are reminded of a due date,
// in days before it, for a new cycle.
const DefaultReminderDays = "30,7,1"

// ParseReminderDays reads a list of days before the due date such as
// "30,7,1": whole numbers from 1 to 365, sorted from the largest, without
// repeats. An empty list turns the reminders off.
func ParseReminderDays(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 || n > 365 {
			return nil, fmt.Errorf("%w: reminder days %q: want whole numbers from 1 to 365", ErrInvalid, s)
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b int) int { return b - a })
	return out, nil
}

// FormatReminderDays writes days as ParseReminderDays reads them.
func FormatReminderDays(days []int) string {
	parts := make([]string, len(days))
	for i, d := range days {
		parts[i] = strconv.Itoa(d)
	}
	return strings.Join(parts, ",")
}

// CycleReminderDays returns the reminder days of cycle id.
func (db *DB) CycleReminderDays(ctx context.Context, cycleID int64) ([]int, error) {
	var s []string
	if err := db.read(ctx).Raw("SELECT reminder_days FROM cycles WHERE id = ?", cycleID).Scan(&s).Error; err != nil {
		return nil, err
	}
	if len(s) == 0 {
		return nil, ErrNotFound
	}
	return ParseReminderDays(s[0])
}

// SetCycleReminderDays changes the reminder days of cycle id (audited as
// a cycle update).
func (db *DB) SetCycleReminderDays(ctx context.Context, cycleID int64, days []int, actor Actor) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		var old []struct {
			Label string `gorm:"column:label"`
			Days  string `gorm:"column:reminder_days"`
		}
		if err := tx.Raw("SELECT label, reminder_days FROM cycles WHERE id = ?", cycleID).Scan(&old).Error; err != nil {
			return err
		}
		if len(old) == 0 {
			return ErrNotFound
		}
		s := FormatReminderDays(days)
		if err := tx.Exec("UPDATE cycles SET reminder_days = ? WHERE id = ?", s, cycleID).Error; err != nil {
			return err
		}
		e := actor.entry(ActionCycleUpdate, 0)
		e.Detail, e.OldValue, e.NewValue = old[0].Label+" reminder days", old[0].Days, s
		return db.audit(ctx, tx, e)
	})
}
