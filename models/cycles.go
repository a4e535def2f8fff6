package models

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// Cycle is one reporting cycle. The process name, the length of the cycle
// and the conference are configuration, not code. OpensOn, DueOn, ClosesOn
// and ConferenceOn are calendar days, stored as midnight UTC.
type Cycle struct {
	ID               int64      `gorm:"column:id"`
	Label            string     `gorm:"column:label"`
	ProcessName      string     `gorm:"column:process_name"`
	OpensOn          time.Time  `gorm:"column:opens_on"`
	DueOn            time.Time  `gorm:"column:due_on"`
	ClosesOn         time.Time  `gorm:"column:closes_on"`
	ConferenceOn     *time.Time `gorm:"column:conference_on"`
	ThematicPriority string     `gorm:"column:thematic_priority"`
	ThematicEnabled  bool       `gorm:"column:thematic_enabled"`
	TemplateVersion  string     `gorm:"column:template_version"`
	CreatedAt        time.Time  `gorm:"column:created_at"`
}

const cycleCols = "id, label, process_name, opens_on, due_on, closes_on, conference_on, thematic_priority, thematic_enabled, template_version, created_at"

func (c *Cycle) utc() {
	c.OpensOn, c.DueOn, c.ClosesOn, c.CreatedAt = c.OpensOn.UTC(), c.DueOn.UTC(), c.ClosesOn.UTC(), c.CreatedAt.UTC()
	if c.ConferenceOn != nil {
		t := c.ConferenceOn.UTC()
		c.ConferenceOn = &t
	}
}

// IsOpen reports whether now falls between the start of OpensOn and the end
// of ClosesOn (UTC).
func (c *Cycle) IsOpen(now time.Time) bool {
	return !now.Before(c.OpensOn) && now.Before(c.ClosesOn.AddDate(0, 0, 1))
}

// cycleLabel is a year ("2026") or a span of years ("2026-2027").
var cycleLabel = regexp.MustCompile(`^([0-9]{4})(?:-([0-9]{4}))?$`)

// ValidCycleLabel reports whether label is a year or an increasing span of
// years, such as "2026-2027".
func ValidCycleLabel(label string) bool {
	m := cycleLabel.FindStringSubmatch(label)
	if m == nil {
		return false
	}
	if m[2] == "" {
		return true
	}
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	return b > a
}

// day is t's calendar day as midnight UTC.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// normalize checks c and truncates its dates to days.
func (c *Cycle) normalize() error {
	if !ValidCycleLabel(c.Label) {
		return fmt.Errorf("%w: cycle label %q is not like 2026-2027", ErrInvalid, c.Label)
	}
	c.OpensOn, c.DueOn, c.ClosesOn = day(c.OpensOn), day(c.DueOn), day(c.ClosesOn)
	if c.ConferenceOn != nil {
		t := day(*c.ConferenceOn)
		c.ConferenceOn = &t
	}
	if c.DueOn.Before(c.OpensOn) || c.ClosesOn.Before(c.DueOn) {
		return fmt.Errorf("%w: cycle dates must run opens ≤ due ≤ closes", ErrInvalid)
	}
	return nil
}

func cycleJSON(c *Cycle) string {
	b, _ := json.Marshal(c)
	return string(b)
}

// CreateCycle stores c and fills c.ID and c.CreatedAt. A taken label is ErrDuplicate.
func (db *DB) CreateCycle(ctx context.Context, c *Cycle, actor Actor) error {
	if err := c.normalize(); err != nil {
		return err
	}
	now := db.Now()
	var id int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		err := tx.Raw(`INSERT INTO cycles (label, process_name, opens_on, due_on, closes_on, conference_on,
				thematic_priority, thematic_enabled, template_version, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			c.Label, c.ProcessName, c.OpensOn, c.DueOn, c.ClosesOn, c.ConferenceOn,
			c.ThematicPriority, c.ThematicEnabled, c.TemplateVersion, now).Scan(&id).Error
		if err != nil {
			return err
		}
		c.ID, c.CreatedAt = id, now
		e := actor.entry(ActionCycleCreate, 0)
		e.NewValue, e.Detail = cycleJSON(c), c.Label
		return db.audit(ctx, tx, e)
	})
	if isDuplicate(err) {
		c.ID = 0
		return fmt.Errorf("%w: cycle %s", ErrDuplicate, c.Label)
	}
	return err
}

// UpdateCycle stores the fields of c (found by c.ID) except CreatedAt.
func (db *DB) UpdateCycle(ctx context.Context, c *Cycle, actor Actor) error {
	if err := c.normalize(); err != nil {
		return err
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		old, err := getCycle(tx, "id = ?", c.ID)
		if err != nil {
			return err
		}
		err = tx.Exec(`UPDATE cycles SET label = ?, process_name = ?, opens_on = ?, due_on = ?, closes_on = ?,
				conference_on = ?, thematic_priority = ?, thematic_enabled = ?, template_version = ?
			WHERE id = ?`,
			c.Label, c.ProcessName, c.OpensOn, c.DueOn, c.ClosesOn, c.ConferenceOn,
			c.ThematicPriority, c.ThematicEnabled, c.TemplateVersion, c.ID).Error
		if err != nil {
			return err
		}
		c.CreatedAt = old.CreatedAt
		e := actor.entry(ActionCycleUpdate, 0)
		e.OldValue, e.NewValue, e.Detail = cycleJSON(old), cycleJSON(c), c.Label
		return db.audit(ctx, tx, e)
	})
	if isDuplicate(err) {
		return fmt.Errorf("%w: cycle %s", ErrDuplicate, c.Label)
	}
	return err
}

func getCycle(q *gorm.DB, where string, args ...any) (*Cycle, error) {
	var out []Cycle
	if err := q.Raw("SELECT "+cycleCols+" FROM cycles WHERE "+where, args...).Scan(&out).Error; err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, ErrNotFound
	}
	out[0].utc()
	return &out[0], nil
}

// GetCycle returns the cycle labelled label.
func (db *DB) GetCycle(ctx context.Context, label string) (*Cycle, error) {
	var out *Cycle
	err := db.hotRows(ctx, "SELECT "+cycleCols+" FROM cycles WHERE label = ?", func(rows *sql.Rows) error {
		c, err := scanCycle(rows)
		out = &c
		return err
	}, label)
	if err == nil && out == nil {
		err = ErrNotFound
	}
	return out, err
}

// scanCycle reads the cycleCols of a row, then the columns of more.
func scanCycle(rows *sql.Rows, more ...any) (Cycle, error) {
	var c Cycle
	var conf sql.NullTime
	err := rows.Scan(append([]any{&c.ID, &c.Label, &c.ProcessName, &c.OpensOn, &c.DueOn, &c.ClosesOn, &conf,
		&c.ThematicPriority, &c.ThematicEnabled, &c.TemplateVersion, &c.CreatedAt}, more...)...)
	if conf.Valid {
		c.ConferenceOn = &conf.Time
	}
	c.utc()
	return c, err
}

// GetCycleByID returns the cycle with id.
func (db *DB) GetCycleByID(ctx context.Context, id int64) (*Cycle, error) {
	return getCycle(db.read(ctx), "id = ?", id)
}

// ListCycles lists the cycles, newest (latest opening) first.
func (db *DB) ListCycles(ctx context.Context) ([]Cycle, error) {
	var out []Cycle
	if err := db.read(ctx).Raw("SELECT " + cycleCols + " FROM cycles ORDER BY opens_on DESC, id DESC").Scan(&out).Error; err != nil {
		return nil, err
	}
	for i := range out {
		out[i].utc()
	}
	return out, nil
}

// CurrentCycle is the cycle open at now (the latest opened, if several
// are), else the latest cycle; ErrNotFound when there is none.
func (db *DB) CurrentCycle(ctx context.Context, now time.Time) (*Cycle, error) {
	cs, err := db.ListCycles(ctx)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, ErrNotFound
	}
	for i := range cs {
		if cs[i].IsOpen(now) {
			return &cs[i], nil
		}
	}
	return &cs[0], nil
}

// PreviousCycle is the latest cycle that opened before c; ErrNotFound when
// c is the first.
func (db *DB) PreviousCycle(ctx context.Context, c *Cycle) (*Cycle, error) {
	return getCycle(db.read(ctx), "opens_on < ? ORDER BY opens_on DESC, id DESC LIMIT 1", c.OpensOn)
}
