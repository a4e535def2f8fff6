package surveys

import "slices"

// Roles: what a person does on natreport. These are the only definitions;
// models stores them and handlers check them.
const (
	RoleAdmin       = "admin"       // runs the platform: users, cycles
	RoleSecretariat = "secretariat" // reads all reports, follows progress
	RoleDonor       = "donor"       // reads what States shared with donors
	RoleFocalPoint  = "focal-point" // a State's national point of contact: submits
	RoleContributor = "contributor" // drafts sections of the State's report
)

// Roles lists the roles in display order.
var Roles = []string{RoleAdmin, RoleSecretariat, RoleDonor, RoleFocalPoint, RoleContributor}

// ValidRole reports whether role is one of Roles.
func ValidRole(role string) bool { return slices.Contains(Roles, role) }

// RoleNeedsState reports whether people with role act for a State.
func RoleNeedsState(role string) bool { return role == RoleFocalPoint || role == RoleContributor }

// IsStaff reports whether role is the secretariat's or an admin's.
func IsStaff(role string) bool { return role == RoleSecretariat || role == RoleAdmin }

// Report statuses, in the order a report moves through them (see
// lifecycle.go for the steps between them).
const (
	ReportDraft     = "draft"     // being written by the State
	ReportReview    = "review"    // internal review inside the State
	ReportSubmitted = "submitted" // sent by the focal point
	ReportPublished = "published" // released at its visibility level
	ReportWithdrawn = "withdrawn" // a stored status no step leads to any more (withdraw goes back to submitted)
)

// Statuses lists the report statuses in life order.
var Statuses = []string{ReportDraft, ReportReview, ReportSubmitted, ReportPublished, ReportWithdrawn}

// ValidStatus reports whether s is one of Statuses.
func ValidStatus(s string) bool { return slices.Contains(Statuses, s) }

// Visibility levels a State chooses for its report; restricted is the default.
const (
	VisPrivate    = "private"    // the State only
	VisRestricted = "restricted" // States and the secretariat
	VisDonors     = "donors"     // restricted, plus donors see needs and offers
	VisPublic     = "public"     // everyone
)

// VisibilityLevels lists the visibility levels from narrowest to widest.
var VisibilityLevels = []string{VisPrivate, VisRestricted, VisDonors, VisPublic}

// ValidVisibility reports whether v is one of VisibilityLevels.
func ValidVisibility(v string) bool { return slices.Contains(VisibilityLevels, v) }

// Audiences: whose copy of a report is drawn. Each sees a different part.
const (
	AudState       = "state"       // the reporting State: everything
	AudSecretariat = "secretariat" // everything, points of contact included
	AudStates      = "states"      // other States: all but never-publish answers and contacts
	AudDonors      = "donors"      // needs and offers only (everything public when the report is public)
	AudPublic      = "public"      // all but never-publish answers and contacts
)

// Reader is who asks to read a report: a role ("" when anonymous) and,
// for State roles, the State.
type Reader struct {
	Role      string
	StateISO3 string
}

// ReportRef is what access decisions need to know of a report version.
type ReportRef struct {
	StateISO3  string
	Status     string
	Visibility string
}

// IsStateMember reports whether the reader works for the report's State.
func (r Reader) IsStateMember(rep ReportRef) bool {
	return RoleNeedsState(r.Role) && r.StateISO3 != "" && r.StateISO3 == rep.StateISO3
}

// Audience is the one visibility check every read path goes through: it
// says whether the reader may read the report version and, if so, which
// copy. Drafts stay within the State; the secretariat reads what was
// submitted (unless the State kept it private); others read what was
// published at a level that includes them.
func Audience(r Reader, rep ReportRef) (string, bool) {
	if r.IsStateMember(rep) {
		return AudState, true
	}
	submitted := rep.Status == ReportSubmitted || rep.Status == ReportPublished
	published := rep.Status == ReportPublished
	switch r.Role {
	case RoleSecretariat, RoleAdmin:
		if submitted && rep.Visibility != VisPrivate {
			return AudSecretariat, true
		}
	case RoleFocalPoint, RoleContributor:
		if published && rep.Visibility != VisPrivate {
			return AudStates, true
		}
	case RoleDonor:
		if published && rep.Visibility == VisPublic {
			return AudPublic, true
		}
		if published && rep.Visibility == VisDonors {
			return AudDonors, true
		}
	}
	if published && rep.Visibility == VisPublic {
		return AudPublic, true
	}
	return "", false
}

// StatusWithheld is the status boards show of a report that its reader may
// not read although the State reported: "not shared with you".
const StatusWithheld = "withheld"

// UnreadableStatus returns the status a board shows of a report that the
// reader may not read: "not shared with you" once the State has reported
// (submitted or published) for anyone beyond itself, otherwise "none", as
// for a State that has not started. A private report is never told apart
// from one not started.
func UnreadableStatus(rep ReportRef) string {
	if reportedBeyondState(rep) {
		return StatusWithheld
	}
	return "none"
}

// reportedBeyondState reports whether the State reported version v for
// anyone beyond itself: submitted or published, and not private. Boards
// (UnreadableStatus) and gap summaries (Withheld) count a version the
// reader may not read as "not shared with you" by this one rule.
func reportedBeyondState(v ReportRef) bool {
	return (v.Status == ReportSubmitted || v.Status == ReportPublished) && v.Visibility != VisPrivate
}

// donorPart is the code of the part donors see: international cooperation
// and assistance (needs, offers, programmes).
const donorPart = "IV"

// ForAudience returns the answers the audience may see: never-publish
// answers and contact blocks go only to the State and the secretariat;
// donors of a donors-level report see only the assistance part and the
// assistance-needed marks of status answers. It never changes answers.
func (t *Template) ForAudience(aud string, answers map[string]Value) map[string]Value {
	out := make(map[string]Value, len(answers))
	for _, p := range t.Parts {
		for _, s := range p.Sections {
			for i := range s.Questions {
				q := &s.Questions[i]
				v, ok := answers[q.Code]
				if !ok {
					continue
				}
				if v, ok = forAudience(aud, &p, q, v); ok {
					out[q.Code] = v
				}
			}
		}
	}
	return out
}

// forAudience returns what audience aud may see of the answer v to
// question q of part p, and false when it may see nothing of it.
func forAudience(aud string, p *Part, q *Question, v Value) (Value, bool) {
	switch aud {
	case AudState, AudSecretariat:
		return v, true
	case AudStates, AudPublic:
		return v, !q.NeverPublish && q.Kind != KindContact
	case AudDonors:
		if q.NeverPublish || q.Kind == KindContact {
			return Value{}, false
		}
		if p.Code == donorPart {
			return v, true
		}
		if q.Kind != KindStatus || !v.AssistanceNeeded {
			return Value{}, false
		}
		return Value{Status: v.Status, AssistanceNeeded: true, AssistanceText: v.AssistanceText,
			AssistanceType: v.AssistanceType, AssistancePriority: v.AssistancePriority}, true
	}
	return Value{}, false
}

// QuestionWithheld reports whether the answer to question q of part p, if there is
// one, is kept from audience aud, so that aud must read the question as
// "not shared with you" rather than as unanswered. shown are the answers
// aud may see (ForAudience). It tells nothing of whether a withheld
// question was answered.
func QuestionWithheld(aud string, p *Part, q *Question, shown map[string]Value) bool {
	switch aud {
	case AudState, AudSecretariat:
		return false
	case AudStates, AudPublic:
		return q.NeverPublish || q.Kind == KindContact
	case AudDonors:
		if q.NeverPublish || q.Kind == KindContact {
			return true
		}
		if p.Code == donorPart {
			return false
		}
		// Donors see a status answer elsewhere only when it asks for
		// assistance; any other answer there is kept from them.
		_, ok := shown[q.Code]
		return q.Kind != KindStatus || !ok
	}
	return true
}

// WithheldQuestions lists the codes of the questions of t that audience
// aud must read as "not shared with you" (QuestionWithheld): shown, to
// them, by their conditions on the answers they may see (shown), and
// without an answer they may see.
func WithheldQuestions(aud string, t *Template, shown map[string]Value) map[string]bool {
	out := map[string]bool{}
	for i := range t.Parts {
		p := &t.Parts[i]
		for j := range p.Sections {
			for k := range p.Sections[j].Questions {
				q := &p.Sections[j].Questions[k]
				if v, ok := shown[q.Code]; ok && !v.IsEmpty(q.Kind) {
					continue
				}
				if Visible(q, shown) && QuestionWithheld(aud, p, q, shown) {
					out[q.Code] = true
				}
			}
		}
	}
	return out
}

// SectionOf returns the section and part that hold question code.
func (t *Template) SectionOf(code string) (*Section, *Part, bool) {
	for i := range t.Parts {
		p := &t.Parts[i]
		for j := range p.Sections {
			s := &p.Sections[j]
			for k := range s.Questions {
				if s.Questions[k].Code == code {
					return s, p, true
				}
			}
		}
	}
	return nil, nil, false
}
