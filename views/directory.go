package views

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// ContactRow is one point of contact as the directory shows it.
type ContactRow struct {
	ID                                          int64
	StateISO3, StateName, Kind                  string
	Function, Organisation, Mailbox, PersonName string
	Phone, Languages, TimeZone, Hours           string
	ConfirmedAt                                 *time.Time
	Stale, PingFailed                           bool
}

// ContactForm is the state of a form that adds or edits a point of contact.
type ContactForm struct {
	ID                                     int64
	Kind, Function, Organisation, Mailbox  string
	PersonName, Phone, Languages, TimeZone string
	Hours                                  string
	Errors                                 map[string]string
}

// ContactFormOf is the edit form of a row.
func ContactFormOf(r ContactRow) ContactForm {
	return ContactForm{ID: r.ID, Kind: r.Kind, Function: r.Function, Organisation: r.Organisation, Mailbox: r.Mailbox,
		PersonName: r.PersonName, Phone: r.Phone, Languages: r.Languages, TimeZone: r.TimeZone, Hours: r.Hours}
}

// DirectoryData is the directory of every State's points of contact.
type DirectoryData struct {
	Rows      []ContactRow
	Groups    []string
	Group     string
	StaleOnly bool
	CanExport bool
	OwnState  string // the reader's State, linked for its focal point
}

// DirectoryStateData is one State's page of the directory.
type DirectoryStateData struct {
	ISO3, Name string
	Rows       []ContactRow
	Forms      []ContactForm // one per row, for the focal point
	New        ContactForm
	CanEdit    bool
	// Cycle is the label of the current cycle whose report section 0.b
	// the entries can be filled from or copied into ("" when none).
	Cycle       string
	CanFillFrom bool // the State's report has contact answers
	CanCopyTo   bool // the State's report is a draft
}

// ContactKinds are the kinds of point of contact, in display order.
var ContactKinds = []string{"diplomatic", "technical"}

// RoundRow is one ping round in a list.
type RoundRow struct {
	ID                   int64
	Scope                string
	StartedAt, ExpiresAt time.Time
	Targets, Confirmed   int
	Open                 bool
}

// RoundForm is the state of the form that starts a ping round.
type RoundForm struct {
	Scope, Group, List, Days string
	Errors                   map[string]string
}

// RoundsData is the list of ping rounds with the form to start one.
type RoundsData struct {
	Rounds []RoundRow
	Groups []string
	Form   RoundForm
}

// RoundTarget is one point of contact reached by a round.
type RoundTarget struct {
	StateISO3, StateName, Kind, Mailbox string
	SentAt                              time.Time
	ConfirmedAt                         *time.Time
	Chases                              int
	MailStatus, MailError               string
}

// After is how long the target took to confirm ("" if it has not).
func (t RoundTarget) After() string {
	if t.ConfirmedAt == nil {
		return ""
	}
	return Duration(t.ConfirmedAt.Sub(t.SentAt))
}

// Duration writes d as days, hours and minutes (d, h, min are understood
// in every language of the UN).
func Duration(d time.Duration) string {
	d = d.Round(time.Minute)
	days := int(d / (24 * time.Hour))
	h := int(d/time.Hour) % 24
	m := int(d/time.Minute) % 60
	switch {
	case days > 0:
		return fmt.Sprintf("%dd %dh", days, h)
	case h > 0:
		return fmt.Sprintf("%dh %dmin", h, m)
	}
	return fmt.Sprintf("%dmin", m)
}

// RoundData is one ping round's page.
type RoundData struct {
	Round   RoundRow
	Targets []RoundTarget
	Median  string // median time to confirm, "" when nobody confirmed
}

// ConfirmData is the page a confirmation link opens.
type ConfirmData struct {
	Token, StateName, Kind, Mailbox string
	ExpiresAt                       time.Time
	// Outcome: "ask" (show the button), "done", "spent" (used or expired).
	Outcome string
}

// OutboxRow is one queued or sent message.
type OutboxRow struct {
	ID                                     int64
	CreatedAt                              time.Time
	Kind, To, Lang, Subject, Status, Error string
	Attempts                               int
	SentAt                                 *time.Time
	Body                                   string
}

// OutboxData is the admin's view of the outbox.
type OutboxData struct {
	Rows    []OutboxRow
	Counts  map[string]int
	Status  string
	Sending bool // an SMTP server is configured
}

// NotifyKind is one optional notice a person may turn off.
type NotifyKind struct {
	Kind string
	On   bool
}

// NotificationsData is the account page of language and notices.
type NotificationsData struct {
	Lang     string
	Optional []NotifyKind
	Saved    bool
}

// RemindersForm is the form of a cycle's reminder days.
type RemindersForm struct {
	Cycle, Days string
	Errors      map[string]string
}

// ScopeLabel writes whom a ping round reached: all States, a regional
// group or a list of ISO codes (as recorded: "all", "group:G", "list:A,B").
func ScopeLabel(ctx context.Context, scope string) string {
	switch {
	case scope == "all":
		return T(ctx, "poc.scope_all")
	case strings.HasPrefix(scope, "group:"):
		return GroupLabel(ctx, strings.TrimPrefix(scope, "group:"))
	case strings.HasPrefix(scope, "list:"):
		return strings.ReplaceAll(strings.TrimPrefix(scope, "list:"), ",", ", ")
	}
	return scope
}
