package handlers

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/i18n"
	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// The API's JSON shapes. Field names are snake_case and stable: a change
// is a new API version. openapi.json describes each of them.

type apiCycle struct {
	Label            string  `json:"label"`
	ProcessName      string  `json:"process_name"`
	OpensOn          string  `json:"opens_on"`
	DueOn            string  `json:"due_on"`
	ClosesOn         string  `json:"closes_on"`
	ConferenceOn     *string `json:"conference_on"`
	ThematicPriority string  `json:"thematic_priority"`
	ThematicEnabled  bool    `json:"thematic_enabled"`
	TemplateVersion  string  `json:"template_version"`
	Open             bool    `json:"open"`
	URL              string  `json:"url"`
	ReportsURL       string  `json:"reports_url"`
}

type apiState struct {
	Code          string `json:"code"`
	ISO2          string `json:"iso2"`
	M49           string `json:"m49"`
	Name          string `json:"name"`
	RegionalGroup string `json:"regional_group"`
	Observer      bool   `json:"observer"`
}

// apiReportVersion is one report version a reader may read.
type apiReportVersion struct {
	State       string     `json:"state"`
	StateName   string     `json:"state_name"`
	Cycle       string     `json:"cycle"`
	Version     int        `json:"version"`
	Status      string     `json:"status"`
	Visibility  string     `json:"visibility"`
	Audience    string     `json:"audience"`
	Language    string     `json:"language"`
	SubmittedAt *time.Time `json:"submitted_at"`
	PublishedAt *time.Time `json:"published_at"`
	URL         string     `json:"url"`
}

type apiReport struct {
	apiReportVersion
	TemplateVersion string      `json:"template_version"`
	Versions        []int       `json:"versions"`
	Answers         []apiAnswer `json:"answers"`
}

// apiAnswer is one answer as the reader's audience may see it; which
// value fields are set depends on the question's kind (their names are
// those of surveys.Value, flattened; openapi.json lists them and the tests
// hold the two together).
type apiAnswer struct {
	Question     string `json:"question"`
	QuestionText string `json:"question_text"`
	Part         string `json:"part"`
	Section      string `json:"section"`
	Kind         string `json:"kind"`
	surveys.Value
}

func apiDate(t time.Time) string { return t.Format(time.DateOnly) }

func cycleJSON(cy *models.Cycle, now time.Time) apiCycle {
	out := apiCycle{Label: cy.Label, ProcessName: cy.ProcessName, OpensOn: apiDate(cy.OpensOn), DueOn: apiDate(cy.DueOn),
		ClosesOn: apiDate(cy.ClosesOn), ThematicPriority: cy.ThematicPriority, ThematicEnabled: cy.ThematicEnabled,
		TemplateVersion: cy.TemplateVersion, Open: cy.IsOpen(now),
		URL: apiPrefix + "/cycles/" + url.PathEscape(cy.Label), ReportsURL: apiPrefix + "/cycles/" + url.PathEscape(cy.Label) + "/reports"}
	if cy.ConferenceOn != nil {
		d := apiDate(*cy.ConferenceOn)
		out.ConferenceOn = &d
	}
	return out
}

// apiCycles lists the reporting cycles, oldest first. Cycles are public.
func (s *Server) apiCycles(c *gin.Context) error {
	p, err := parsePage(c)
	if err != nil {
		return err
	}
	cycles, err := s.db.ListCycles(c.Request.Context())
	if err != nil {
		return err
	}
	out := make([]apiCycle, len(cycles))
	now := s.now()
	for i := range cycles {
		out[i] = cycleJSON(&cycles[i], now)
	}
	apiJSON(c, paginate(c, out, func(x apiCycle) string { return x.OpensOn + " " + x.Label }, p))
	return nil
}

func (s *Server) apiCycle(c *gin.Context) error {
	cy, err := s.db.GetCycle(c.Request.Context(), c.Param("cycle"))
	if err != nil {
		return err
	}
	apiJSON(c, cycleJSON(cy, s.now()))
	return nil
}

// apiStates lists the States by code, optionally of one regional group.
func (s *Server) apiStates(c *gin.Context) error {
	p, err := parsePage(c)
	if err != nil {
		return err
	}
	group := c.Query("regional_group")
	if group == "" && c.Request.URL.Query().Has("regional_group") {
		return withCause(errBadRequest, fmt.Errorf("empty regional_group"))
	}
	states, err := s.db.ListStates(c.Request.Context(), group)
	if err != nil {
		return err
	}
	out := make([]apiState, len(states))
	for i, st := range states {
		out[i] = apiState{Code: st.ISO3, ISO2: st.ISO2, M49: st.M49, Name: st.Name, RegionalGroup: st.RegionalGroup, Observer: st.Observer}
	}
	apiJSON(c, paginate(c, out, func(x apiState) string { return x.Code }, p))
	return nil
}

// apiCycleReports lists every report version of a cycle the reader may
// read, by State and version.
func (s *Server) apiCycleReports(c *gin.Context) error {
	p, err := parsePage(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	cy, err := s.db.GetCycle(ctx, c.Param("cycle"))
	if err != nil {
		return err
	}
	versions, err := s.db.CycleReportVersions(ctx, cy.ID)
	if err != nil {
		return err
	}
	names, err := s.stateNames(c)
	if err != nil {
		return err
	}
	reader := readerOf(currentUser(c))
	var out []apiReportVersion
	for _, vs := range versions {
		for i := range vs {
			if aud, ok := surveys.Audience(reader, refOf(&vs[i])); ok {
				out = append(out, reportVersionJSON(&vs[i], names[vs[i].StateISO3], aud))
			}
		}
	}
	apiJSON(c, paginate(c, out, func(x apiReportVersion) string {
		return fmt.Sprintf("%s %09d", x.State, x.Version)
	}, p))
	return nil
}

func reportVersionJSON(r *models.Report, stateName, aud string) apiReportVersion {
	return apiReportVersion{State: r.StateISO3, StateName: stateName, Cycle: r.CycleLabel, Version: r.Version,
		Status: r.Status, Visibility: r.Visibility, Audience: aud, Language: r.Lang,
		SubmittedAt: r.SubmittedAt, PublishedAt: r.PublishedAt,
		URL: apiPrefix + "/reports/" + r.StateISO3 + "/" + url.PathEscape(r.CycleLabel) + "?v=" + strconv.Itoa(r.Version)}
}

// apiReport is one report version with its answers as the reader's
// audience may see them: the newest version the reader may read, or
// ?v=N. A report the reader may not read is a 404, as on the pages.
// Internal comments never leave the State and are not in the API.
func (s *Server) apiReport(c *gin.Context) error {
	ctx := c.Request.Context()
	want := 0
	if v, ok := c.GetQuery("v"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return withCause(errBadVersion, fmt.Errorf("v=%q", v))
		}
		want = n
	}
	st, err := s.db.GetState(ctx, strings.ToUpper(c.Param("iso3")))
	if err != nil {
		return err
	}
	cy, err := s.db.GetCycle(ctx, c.Param("cycle"))
	if err != nil {
		return err
	}
	tmpl, ok := s.templates[cy.TemplateVersion]
	if !ok {
		return fmt.Errorf("cycle %s uses unknown template %s", cy.Label, cy.TemplateVersion)
	}
	versions, err := s.db.ListReportVersions(ctx, st.ISO3, cy.Label)
	if err != nil {
		return err
	}
	reader := readerOf(currentUser(c))
	refs := refsOf(versions)
	idx, aud, ok := surveys.ReadableVersion(reader, refs, want)
	if !ok {
		return withCause(errNotFound, fmt.Errorf("%s %s v%d: nothing readable", st.ISO3, cy.Label, want))
	}
	rep := &versions[idx]
	readable := []int{}
	for _, i := range surveys.ReadableVersions(reader, refs) {
		readable = append(readable, versions[i].Version)
	}
	stored, err := s.db.ListAnswers(ctx, rep.ID)
	if err != nil {
		return err
	}
	vals := make(map[string]surveys.Value, len(stored))
	for code, a := range stored {
		vals[code] = a.Value
	}
	out := apiReport{apiReportVersion: reportVersionJSON(rep, st.Name, aud), TemplateVersion: cy.TemplateVersion,
		Versions: readable, Answers: answersJSON(tmpl, tmpl.ForAudience(aud, vals), i18n.Lang(ctx))}
	apiJSON(c, out)
	return nil
}

// answersJSON lists the answers in template order, question texts in lang.
func answersJSON(tmpl *surveys.Template, vals map[string]surveys.Value, lang string) []apiAnswer {
	out := []apiAnswer{}
	for _, p := range tmpl.Parts {
		for _, sec := range p.Sections {
			for _, q := range sec.Questions {
				v, ok := vals[q.Code]
				if !ok {
					continue
				}
				out = append(out, apiAnswer{Question: q.Code, QuestionText: q.Text.In(lang), Part: p.Code, Section: sec.Code,
					Kind: string(q.Kind), Value: v})
			}
		}
	}
	return out
}
