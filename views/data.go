package views

import "time"

// The types below are what pages show of stored rows. Handlers build them
// (handlers/viewdata.go); views never see a database row, so a page cannot
// show what it was not given (a password hash, an internal id).

// State is a State as pages show it.
type State struct {
	ISO3, Name    string
	RegionalGroup string
	M49Region     string
	Observer      bool
}

// Cycle is a reporting cycle as pages show it.
type Cycle struct {
	Label, ProcessName       string
	OpensOn, DueOn, ClosesOn time.Time
	ConferenceOn             *time.Time
	ThematicPriority         string
	ThematicEnabled          bool
	TemplateVersion          string
}

// User is an account as pages show it: never its password.
type User struct {
	ID                int64
	Email, Name, Role string
	StateISO3         string
	Disabled          bool
}

// ReportStatus is where a report version stands.
type ReportStatus struct {
	Status  string
	Version int
}

// Comment is an internal comment on a section.
type Comment struct {
	UserName, Body string
	CreatedAt      time.Time
}

// AuditEntry is one line of a report's record of changes.
type AuditEntry struct {
	At                 time.Time
	Email, IP          string
	ReportID           *int64
	Action             string
	QuestionCode       string
	OldValue, NewValue string
	Detail             string
}
