package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// Generated describes what Synthetic wrote.
type Generated struct {
	// Cycles are the two cycle labels, the earlier first, and Templates
	// their template versions (as in the demo: v1, then v2).
	Cycles, Templates [2]string
	// States are the ISO3 codes of the States with reports, in the
	// database's order.
	States []string
	// Secretariat is the e-mail of the secretariat account; every account
	// has the password Password.
	Secretariat string
	// Focal maps each State to its focal point's e-mail.
	Focal map[string]string
	// Drafts are the States whose report of the later cycle is a draft.
	Drafts []string
	// Status counts the reports of each cycle by status; Visibility by
	// visibility.
	Status, Visibility map[string]map[string]int
	// Answers is the number of answers written.
	Answers int
}

// syntheticActor is who the audit log says wrote the generated data.
var syntheticActor = models.Actor{Email: "synthetic data", IP: demoIP}

// Synthetic fills an empty database with generated data for benchmarks: the
// first n member States (observers left out), a focal point for each and a
// secretariat account, two cycles (the earlier on template v1, the later on
// v2, as in the demo), and a report of each State in each cycle answering
// every question of its cycle's template. The earlier cycle's
// reports are submitted or published; the later one's are a mix of draft,
// review, submitted and published. Visibilities are mixed; only the later
// cycle has private reports, so the secretariat reads every report of the
// earlier one. It writes
// through the bulk import path (models.ImportReport, ImportUsers): one
// transaction per report, so 193 States take seconds, not the minutes the
// demo's save-by-save path would.
func Synthetic(ctx context.Context, db *models.DB, templates map[string]*surveys.Template, n int) (*Generated, error) {
	tmpls := [2]*surveys.Template{templates[templateVersion], templates[curTemplateVersion]}
	if tmpls[0] == nil || tmpls[1] == nil {
		return nil, fmt.Errorf("synthetic: template %s or %s is missing", templateVersion, curTemplateVersion)
	}
	states, err := db.ListStates(ctx, "")
	if err != nil {
		return nil, err
	}
	var members []string
	for _, st := range states {
		if !st.Observer {
			members = append(members, st.ISO3)
		}
	}
	if n < 1 || n > len(members) {
		return nil, fmt.Errorf("synthetic: %d States asked, %d member States exist", n, len(members))
	}
	g := &Generated{Cycles: [2]string{cyclePrev, cycleCur}, Templates: [2]string{tmpls[0].Version, tmpls[1].Version},
		States: members[:n], Secretariat: "secretariat@" + Domain,
		Focal: map[string]string{}, Status: map[string]map[string]int{}, Visibility: map[string]map[string]int{}}

	users := []*models.User{{Email: g.Secretariat, Name: "Synthetic Secretariat Officer", Role: models.RoleSecretariat}}
	for _, iso3 := range g.States {
		g.Focal[iso3] = focalEmail(iso3)
		users = append(users, &models.User{Email: focalEmail(iso3), Name: "Synthetic Focal Point (" + iso3 + ")", Role: models.RoleFocalPoint, StateISO3: iso3})
	}
	if err := db.ImportUsers(ctx, users, Password, syntheticActor); err != nil {
		return nil, fmt.Errorf("synthetic: %w", err)
	}
	focalID := map[string]int64{}
	for _, u := range users[1:] {
		focalID[u.StateISO3] = u.ID
	}

	for _, t := range tmpls {
		for i, q := range t.AllQuestions() {
			if err := check(q, SyntheticValue(q, i)); err != nil {
				return nil, fmt.Errorf("synthetic: template %s: %w", t.Version, err)
			}
		}
	}
	vis := []string{models.VisibilityPublic, models.VisibilityPublic, models.VisibilityRestricted, models.VisibilityDonors, models.VisibilityPublic, models.VisibilityPrivate}
	// The later cycle: three drafts in eight, one in review, two submitted, two published.
	later := []string{models.StatusDraft, models.StatusReview, models.StatusSubmitted, models.StatusDraft,
		models.StatusPublished, models.StatusSubmitted, models.StatusDraft, models.StatusPublished}
	for ci, c := range []*models.Cycle{
		{Label: cyclePrev, ProcessName: "Global Mechanism on ICT security", OpensOn: day("2024-01-15"),
			DueOn: day("2024-12-31"), ClosesOn: day("2025-03-31"), ThematicEnabled: true,
			ThematicPriority: "Protection of critical infrastructure", TemplateVersion: tmpls[0].Version},
		{Label: cycleCur, ProcessName: "Global Mechanism on ICT security", OpensOn: day("2026-01-15"),
			DueOn: day("2027-03-31"), ClosesOn: day("2027-06-30"), ThematicEnabled: true,
			ThematicPriority: "Protection of critical infrastructure", TemplateVersion: tmpls[1].Version},
	} {
		questions := tmpls[ci].AllQuestions()
		if err := db.CreateCycle(ctx, c, syntheticActor); err != nil {
			return nil, fmt.Errorf("synthetic: cycle %s: %w", c.Label, err)
		}
		g.Status[c.Label], g.Visibility[c.Label] = map[string]int{}, map[string]int{}
		written := c.OpensOn.Add(100 * 24 * time.Hour)
		for si, iso3 := range g.States {
			status := models.StatusPublished
			if ci == 0 && si%5 == 0 {
				status = models.StatusSubmitted
			}
			if ci == 1 {
				status = later[si%len(later)]
			}
			v := vis[(si+ci)%len(vis)]
			if ci == 0 && v == models.VisibilityPrivate {
				// The earlier cycle is what the secretariat's ZIP and the
				// compilation draw: every report readable by the secretariat.
				v = models.VisibilityRestricted
			}
			r := &models.Report{StateISO3: iso3, CycleID: c.ID, Status: status, Visibility: v,
				CreatedAt: c.OpensOn.Add(24 * time.Hour), UpdatedAt: written}
			if status == models.StatusSubmitted || status == models.StatusPublished {
				by := focalID[iso3]
				r.SubmittedAt, r.SubmittedBy = &written, &by
			}
			if status == models.StatusPublished {
				pub := written.Add(7 * 24 * time.Hour)
				r.PublishedAt = &pub
			}
			answers := make(map[string]surveys.Value, len(questions))
			for qi, q := range questions {
				answers[q.Code] = SyntheticValue(q, si+qi+ci)
			}
			if err := db.ImportReport(ctx, r, answers, syntheticActor); err != nil {
				return nil, fmt.Errorf("synthetic: %s %s: %w", iso3, c.Label, err)
			}
			if r.SubmittedAt != nil {
				// As submitting does: the needs and offers registers, which
				// the gap summary and the compilation count from.
				if _, err := db.SyncRegisters(ctx, r.ID, surveys.Needs(tmpls[ci], answers), surveys.Offers(tmpls[ci], answers), syntheticActor); err != nil {
					return nil, fmt.Errorf("synthetic: registers of %s %s: %w", iso3, c.Label, err)
				}
			}
			g.Status[c.Label][status]++
			g.Visibility[c.Label][r.Visibility]++
			g.Answers += len(answers)
			if ci == 1 && status == models.StatusDraft {
				g.Drafts = append(g.Drafts, iso3)
			}
		}
	}
	return g, nil
}

// SyntheticValue is a plausible, valid answer to q; seed varies it (the
// generated States of make bench and the benchmarks use it).
func SyntheticValue(q *surveys.Question, seed int) surveys.Value {
	switch q.Kind {
	case surveys.KindStatus:
		v := surveys.Value{Status: surveys.StatusValues[seed%len(surveys.StatusValues)]}
		if seed%3 == 0 {
			v.Challenges = "Staff and budget are limited; coordination between agencies takes time."
		}
		if seed%7 == 0 {
			v.AssistanceNeeded, v.AssistanceText = true, "Training for the national team."
		}
		return v
	case surveys.KindSingle:
		if len(q.Options) > 0 {
			return surveys.Value{Text: q.Options[seed%len(q.Options)].Value}
		}
	case surveys.KindMulti:
		if len(q.Options) > 0 {
			return surveys.Value{Choices: []string{q.Options[seed%len(q.Options)].Value}}
		}
	case surveys.KindNumber:
		return surveys.Value{Text: "2024"}
	case surveys.KindDate:
		return surveys.Value{Text: "2025-06-30"}
	case surveys.KindURL:
		return surveys.Value{Text: "https://www.example.org/strategy.pdf"}
	case surveys.KindContact:
		return surveys.Value{Contact: map[string]string{"name": "Focal point", "email": "poc@" + Domain}}
	case surveys.KindRows:
		var rows []map[string]string
		for r := range 2 {
			row := map[string]string{}
			for _, c := range q.Columns {
				switch {
				case c.Kind == surveys.KindSingle && len(c.Options) > 0:
					row[c.Key] = c.Options[(seed+r)%len(c.Options)].Value
				case c.Kind == surveys.KindNumber:
					row[c.Key] = "50000"
				case c.Kind == surveys.KindDate:
					row[c.Key] = "2026-01-01"
				case c.Kind == surveys.KindURL:
					row[c.Key] = "https://www.example.org/"
				default:
					row[c.Key] = "A programme with the regional organisation."
				}
			}
			rows = append(rows, row)
		}
		return surveys.Value{Rows: rows}
	}
	text := strings.TrimSpace(strings.Repeat("Measures are in place and reviewed every two years by the national coordinating body, with partners from industry. ", 1+seed%3))
	limit := q.MaxLength
	if limit == 0 && q.Kind != surveys.KindLong {
		limit = surveys.DefaultShortLength
	}
	if limit > 0 && len(text) > limit {
		text = strings.TrimSpace(text[:limit])
	}
	return surveys.Value{Text: text}
}
