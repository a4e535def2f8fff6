package views

import (
	"time"

	"github.com/natreport/natreport/surveys"
)

// ReportHeader is what every report page shows about the report version.
type ReportHeader struct {
	StateISO3, StateName, Cycle, ProcessName string
	Base                                     string // /reports/ISO3/CYCLE
	Version                                  int    // 0: not started
	Versions                                 []int  // versions the viewer may read
	Latest                                   bool
	Status, Visibility                       string
	SubmittedAt                              *time.Time
	DueOn                                    time.Time
	DaysToDue                                int
	Audience                                 string
	Member, Focal, CanEdit, Staff            bool
	// ReportLang is the language the report is written in (a State
	// answers in any language; its report keeps it).
	ReportLang string
	// ThematicPriority is the cycle's thematic priority, shown on the
	// thematic part's pages ("" when the cycle has none switched on).
	ThematicPriority string
	// Assignable: the focal point may assign sections now.
	Assignable bool
}

// VersionQuery is the query string selecting the shown version ("" for the latest).
func (h ReportHeader) VersionQuery() string {
	if h.Latest || h.Version == 0 {
		return ""
	}
	return "?v=" + Itoa(h.Version)
}

// SectionSummary is one section on the report overview.
type SectionSummary struct {
	Code, Title string
	Progress    surveys.Progress
	Assignee    string
	AssigneeID  int64
	Carried     int
}

// PartSummary is one part on the report overview.
type PartSummary struct {
	Code, Title string
	Progress    surveys.Progress
	Sections    []SectionSummary
}

// CarryOption is a section of the last submitted report that can prefill
// the new one.
type CarryOption struct {
	Code, Title string
	Answers     int
}

// ReportData is the report overview page.
type ReportData struct {
	H            ReportHeader
	Overall      surveys.Progress
	Parts        []PartSummary
	Contributors []User
	// Not started: what can be carried forward, and from which cycle.
	CarryFrom    string
	CarryOptions []CarryOption
	Visibilities []string
	HasPrevious  bool // a previous cycle's report exists to compare with
}

// QuestionView is one question on a section page.
type QuestionView struct {
	Q       *surveys.Question
	Value   surveys.Value
	Version int
	Shown   string // fingerprint of the stored value at Version, sent back with the form
	Carried string // cycle label when carried and not yet confirmed
	Visible bool
	// NotShared: the answer, if any, is kept from the reader (surveys.Withheld).
	NotShared bool
	Errors    surveys.FieldErrors
	Conflict  *Conflict
}

// Conflict is a save refused because someone else changed the answer.
type Conflict struct {
	Mine, Theirs string // summaries
	TheirVersion int
	By           string
	At           time.Time
}

// SectionData is a section page: the form, or the read-only answers.
type SectionData struct {
	H            ReportHeader
	Part         *surveys.Part
	Section      *surveys.Section
	Questions    []QuestionView
	Prev, Next   *surveys.Section
	Comments     []Comment
	Assignee     string
	Contributors []User
	Carried      int
	HasErrors    bool
	HasConflicts bool
	Locked       bool // the report left draft while this form was being saved
	Progress     surveys.Progress
	CommentText  string // a refused comment, as typed
	CommentError string
}

// SubmitData is the confirmation step before submission.
type SubmitData struct {
	H        ReportHeader
	Progress surveys.Progress
	Error    string
}

// HistoryData is the record of changes of a report.
type HistoryData struct {
	H       ReportHeader
	Entries []AuditEntry
	Version map[int64]int // report id -> version number
}

// CompareRow is one question in a comparison.
type CompareRow struct {
	Code, Question, Old, New, Change string
}

// CompareData compares two reports: two cycles, or two versions.
type CompareData struct {
	H        ReportHeader
	OldLabel string
	NewLabel string
	Rows     []CompareRow
	Counts   map[string]int
	Choices  []CompareChoice
	// Note says how two template versions are matched ("" when both
	// reports use the same one).
	Note string
}

// CompareChoice is one comparison the page offers.
type CompareChoice struct {
	Label, Query string
	Current      bool
}

// PrintData is the printable report: every answered question the reader
// may see, and every question whose answer is kept from them, marked "not
// shared with you" (Withheld, by code).
type PrintData struct {
	H        ReportHeader
	Template *surveys.Template
	Answers  map[string]surveys.Value
	Withheld map[string]bool
	Thematic bool
	Overview []surveys.NormCounts
	Draft    bool
}

// NotShared reports whether the overview counts answers kept from the
// reader, which then get a column of their own.
func (d PrintData) NotShared() bool {
	for _, n := range d.Overview {
		if n.NotShared > 0 {
			return true
		}
	}
	return false
}

// HasFollowUps reports whether some questions of the section show only
// after an answer: without JavaScript, they appear once the page is saved.
func (d SectionData) HasFollowUps() bool {
	for i := range d.Section.Questions {
		if d.Section.Questions[i].ShowWhen != nil {
			return true
		}
	}
	return false
}
