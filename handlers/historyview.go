package handlers

import "github.com/natreport/natreport/models"

// outsideHistory lists what the record of changes shows outside the State
// (the secretariat and the admin, once a version was submitted): how the
// report moved (created, status, visibility, new versions and amendments)
// and which answers changed, but not what the State wrote while drafting
// nor its internal comments and assignments.
var outsideHistory = map[string]bool{
	models.ActionReportCreate:     true,
	models.ActionReportStatus:     true,
	models.ActionReportVisibility: true,
	"report.version":              true,
	models.ActionAnswerSave:       true, // shown without old and new values
	models.ActionAnswersCarry:     true,
	models.ActionAnswersConfirm:   true,
}

// historyFor is the record of changes as a reader sees it. The State's
// own people see every entry with its values; outside the State only the
// entries of outsideHistory, without the text of draft-stage edits.
// Internet addresses reach admins only.
func historyFor(entries []models.AuditEntry, member, admin bool) []models.AuditEntry {
	out := make([]models.AuditEntry, 0, len(entries))
	for _, e := range entries {
		if !admin {
			e.IP = ""
		}
		if !member {
			if !outsideHistory[e.Action] {
				continue
			}
			if e.Action != models.ActionReportStatus && e.Action != models.ActionReportVisibility {
				e.OldValue, e.NewValue, e.Detail = "", "", ""
			}
		}
		out = append(out, e)
	}
	return out
}
