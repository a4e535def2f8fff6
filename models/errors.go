package models

import (
	"errors"
	"strings"

	"gorm.io/gorm"
)

// Errors returned by the store functions; test them with errors.Is.
var (
	// ErrNotFound: the row asked for does not exist (or, for sessions, is no
	// longer valid).
	ErrNotFound = errors.New("not found")
	// ErrConflict: the row changed since the caller read it (an answer's
	// version, a report's status), or the change does not fit its state.
	ErrConflict = errors.New("conflict")
	// ErrDuplicate: a unique key (email, cycle label, report version) is taken.
	ErrDuplicate = errors.New("duplicate")
	// ErrInvalid: the input breaks a rule of the data (unknown role, a
	// focal point without a State, a malformed cycle label, ...). The
	// wrapped message says which, and is safe to show.
	ErrInvalid = errors.New("invalid")
	// ErrReadOnly: the report is no longer a draft or in review, so its
	// answers cannot change; amend it with NewVersion.
	ErrReadOnly = errors.New("report is not editable")
)

// isDuplicate reports whether err is a unique-key violation (GORM translates
// both drivers' errors; the text match is a fallback).
func isDuplicate(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// isForeignKey reports whether err is a foreign-key violation.
func isForeignKey(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, gorm.ErrForeignKeyViolated) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "FOREIGN KEY constraint failed") || strings.Contains(s, "SQLSTATE 23503")
}

// isAny reports whether err is any of targets.
func isAny(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}
