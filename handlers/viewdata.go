package handlers

import (
	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/views"
)

// The stored rows as pages see them: views take these, never a row.

func stateRef(st models.State) views.State {
	return views.State{ISO3: st.ISO3, Name: st.Name, RegionalGroup: st.RegionalGroup, M49Region: st.M49Region, Observer: st.Observer}
}

func stateRefs(sts []models.State) []views.State {
	out := make([]views.State, len(sts))
	for i, st := range sts {
		out[i] = stateRef(st)
	}
	return out
}

func cycleView(cy *models.Cycle) views.Cycle {
	return views.Cycle{Label: cy.Label, ProcessName: cy.ProcessName, OpensOn: cy.OpensOn, DueOn: cy.DueOn, ClosesOn: cy.ClosesOn,
		ConferenceOn: cy.ConferenceOn, ThematicPriority: cy.ThematicPriority, ThematicEnabled: cy.ThematicEnabled, TemplateVersion: cy.TemplateVersion}
}

func cycleViews(cys []models.Cycle) []views.Cycle {
	out := make([]views.Cycle, len(cys))
	for i := range cys {
		out[i] = cycleView(&cys[i])
	}
	return out
}

func userRow(u models.User) views.User {
	return views.User{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, StateISO3: u.StateISO3, Disabled: u.Disabled}
}

func userRows(us []models.User) []views.User {
	out := make([]views.User, len(us))
	for i, u := range us {
		out[i] = userRow(u)
	}
	return out
}

func commentViews(cs []models.Comment) []views.Comment {
	out := make([]views.Comment, len(cs))
	for i, c := range cs {
		out[i] = views.Comment{UserName: c.UserName, Body: c.Body, CreatedAt: c.CreatedAt}
	}
	return out
}

func auditViews(es []models.AuditEntry) []views.AuditEntry {
	out := make([]views.AuditEntry, len(es))
	for i, e := range es {
		out[i] = views.AuditEntry{At: e.At, Email: e.Email, IP: e.IP, ReportID: e.ReportID, Action: e.Action,
			QuestionCode: e.QuestionCode, OldValue: e.OldValue, NewValue: e.NewValue, Detail: e.Detail}
	}
	return out
}
