package models

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// AssignSection makes userID responsible for drafting a section of a report;
// userID 0 removes the assignment. The notices in mail are queued in the
// same transaction (see EnqueueTx).
func (db *DB) AssignSection(ctx context.Context, reportID int64, sectionCode string, userID int64, actor Actor, mail ...*Mail) error {
	if sectionCode == "" {
		return fmt.Errorf("%w: empty section code", ErrInvalid)
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if _, err := getReport(tx, "WHERE r.id = ?", reportID); err != nil {
			return err
		}
		var old []string
		err := tx.Raw(`SELECT u.email FROM section_assignments a JOIN users u ON u.id = a.user_id
			WHERE a.report_id = ? AND a.section_code = ?`, reportID, sectionCode).Scan(&old).Error
		if err != nil {
			return err
		}
		e := actor.entry(ActionSectionAssign, reportID)
		e.Detail = "section " + sectionCode
		if len(old) > 0 {
			e.OldValue = old[0]
		}
		if userID == 0 {
			if len(old) == 0 {
				return nil
			}
			if err := tx.Exec("DELETE FROM section_assignments WHERE report_id = ? AND section_code = ?", reportID, sectionCode).Error; err != nil {
				return err
			}
			return db.audit(ctx, tx, e)
		}
		u, err := getUserTx(tx, userID)
		if err != nil {
			return err
		}
		err = tx.Exec(`INSERT INTO section_assignments (report_id, section_code, user_id, assigned_by, assigned_at)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (report_id, section_code) DO UPDATE SET
				user_id = excluded.user_id, assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at`,
			reportID, sectionCode, userID, actor.UserID, db.Now()).Error
		if err != nil {
			return err
		}
		e.NewValue = u.Email
		if err := db.audit(ctx, tx, e); err != nil {
			return err
		}
		return db.EnqueueTx(tx, mail...)
	})
	return err
}

func getUserTx(tx *gorm.DB, id int64) (*User, error) {
	var out []User
	if err := tx.Raw("SELECT "+userCols("")+" FROM users WHERE id = ?", id).Scan(&out).Error; err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("user %d: %w", id, ErrNotFound)
	}
	out[0].utc()
	return &out[0], nil
}

// SectionAssignments returns who drafts which section of a report, keyed
// by section code.
func (db *DB) SectionAssignments(ctx context.Context, reportID int64) (map[string]User, error) {
	out := map[string]User{}
	err := db.hotRows(ctx, "SELECT a.section_code, "+userCols("u.")+
		" FROM section_assignments a JOIN users u ON u.id = a.user_id WHERE a.report_id = ?", func(rows *sql.Rows) error {
		var code string
		u, err := scanUser(rows, &code)
		out[code] = u
		return err
	}, reportID)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Comment is a note left on a section of a report during drafting and
// review; UserName is filled from users.
type Comment struct {
	ID          int64     `gorm:"column:id"`
	ReportID    int64     `gorm:"column:report_id"`
	SectionCode string    `gorm:"column:section_code"`
	UserID      int64     `gorm:"column:user_id"`
	UserName    string    `gorm:"column:user_name"`
	Body        string    `gorm:"column:body"`
	CreatedAt   time.Time `gorm:"column:created_at"`
}

// AddComment adds actor's comment body on a section of a report ("" for
// the report as a whole).
func (db *DB) AddComment(ctx context.Context, reportID int64, sectionCode, body string, actor Actor) (*Comment, error) {
	body = strings.TrimSpace(body)
	if body == "" {
		return nil, fmt.Errorf("%w: empty comment", ErrInvalid)
	}
	c := &Comment{ReportID: reportID, SectionCode: sectionCode, UserID: actor.UserID, Body: body, CreatedAt: db.Now()}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if _, err := getReport(tx, "WHERE r.id = ?", reportID); err != nil {
			return err
		}
		u, err := getUserTx(tx, actor.UserID)
		if err != nil {
			return err
		}
		c.UserName = u.Name
		err = tx.Raw(`INSERT INTO comments (report_id, section_code, user_id, body, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, reportID, sectionCode, actor.UserID, body, c.CreatedAt).Scan(&c.ID).Error
		if err != nil {
			return err
		}
		e := actor.entry(ActionCommentAdd, reportID)
		e.NewValue = body
		e.Detail = "section " + sectionCode
		return db.audit(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// ListComments lists the comments on a section of a report, oldest first;
// sectionCode "" lists those of every section.
func (db *DB) ListComments(ctx context.Context, reportID int64, sectionCode string) ([]Comment, error) {
	if sectionCode != "" {
		return db.sectionComments(ctx, reportID, sectionCode)
	}
	q := db.read(ctx).Table("comments c").
		Select("c.id, c.report_id, c.section_code, c.user_id, u.name AS user_name, c.body, c.created_at").
		Joins("JOIN users u ON u.id = c.user_id").
		Where("c.report_id = ?", reportID).Order("c.id")
	if sectionCode != "" {
		q = q.Where("c.section_code = ?", sectionCode)
	}
	var out []Comment
	if err := q.Scan(&out).Error; err != nil {
		return nil, err
	}
	for i := range out {
		out[i].CreatedAt = out[i].CreatedAt.UTC()
	}
	return out, nil
}

// sectionComments is ListComments of one section (every section page).
func (db *DB) sectionComments(ctx context.Context, reportID int64, sectionCode string) ([]Comment, error) {
	var out []Comment
	err := db.hotRows(ctx, `SELECT c.id, c.report_id, c.section_code, c.user_id, u.name, c.body, c.created_at
		FROM comments c JOIN users u ON u.id = c.user_id WHERE c.report_id = ? AND c.section_code = ? ORDER BY c.id`, func(rows *sql.Rows) error {
		var cm Comment
		err := rows.Scan(&cm.ID, &cm.ReportID, &cm.SectionCode, &cm.UserID, &cm.UserName, &cm.Body, &cm.CreatedAt)
		cm.CreatedAt = cm.CreatedAt.UTC()
		out = append(out, cm)
		return err
	}, reportID, sectionCode)
	return out, err
}
