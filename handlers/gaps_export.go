package handlers

import (
	"context"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/surveys"
	"github.com/natreport/natreport/views"
)

// table is a header and rows of text, ready for CSV or XLSX.
type table struct {
	header []string
	rows   [][]string
}

// sendFile writes t as CSV or XLSX after the extension of file, through
// the registers' sendTable; any other extension is not found.
func (s *Server) sendFile(c *gin.Context, file string, t table) error {
	ext := path.Ext(file)
	if ext != ".csv" && ext != ".xlsx" {
		return errNotFound
	}
	return s.sendTable(c, ext[1:], strings.TrimSuffix(file, ext), t.header, t.rows)
}

// exportFormat checks the :file parameter: NAME.csv or NAME.xlsx.
func exportFormat(file string) (name string, ok bool) {
	ext := path.Ext(file)
	if ext != ".csv" && ext != ".xlsx" {
		return "", false
	}
	return strings.TrimSuffix(file, ext), true
}

// gapsExport downloads one table of the gap summary, made like the page
// of what the requester may read.
func (s *Server) gapsExport(c *gin.Context) error {
	name, ok := exportFormat(c.Param("file"))
	if !ok {
		return errNotFound
	}
	build, ok := gapTables[name]
	if !ok {
		return errNotFound
	}
	ctx := c.Request.Context()
	cy, err := s.db.GetCycle(ctx, c.Param("cycle"))
	if err != nil {
		return err
	}
	d, err := s.readGaps(ctx, readerOf(currentUser(c)), cy)
	if err != nil {
		return err
	}
	return s.sendFile(c, "gaps-"+name+"-"+cy.Label+path.Ext(c.Param("file")), build(ctx, d))
}

// gapTables are the tables of the gap summary, by export name.
var gapTables = map[string]func(ctx context.Context, d *cycleData) table{
	"norms":         normsTable,
	"cells":         cellsTable,
	"kinds-groups":  func(ctx context.Context, d *cycleData) table { return kindsTable(ctx, d, d.gaps.ByGroup, true) },
	"kinds-cmm":     func(ctx context.Context, d *cycleData) table { return kindsTable(ctx, d, d.gaps.ByCMM, false) },
	"progress":      progressTable,
	"participation": participationTable,
}

func distHeader(ctx context.Context, first ...string) []string {
	h := append([]string(nil), first...)
	for _, k := range views.DistKeys {
		h = append(h, views.T(ctx, "gaps.key."+k))
	}
	h = append(h, views.T(ctx, "gaps.total"))
	for _, k := range views.DistKeys {
		h = append(h, views.T(ctx, "gaps.key."+k)+" %")
	}
	return h
}

func distRow(d surveys.Distribution, first ...string) []string {
	counts := []int{d.Yes, d.Partly, d.No, d.NA, d.Unanswered, d.NotShared}
	row := append([]string(nil), first...)
	for _, n := range counts {
		row = append(row, strconv.Itoa(n))
	}
	row = append(row, strconv.Itoa(d.Total()))
	for _, n := range counts {
		row = append(row, strconv.Itoa(d.Share(n)))
	}
	return row
}

func normsTable(ctx context.Context, d *cycleData) table {
	t := table{header: distHeader(ctx, views.T(ctx, "print.norm"))}
	for i, n := range d.gaps.Norms {
		t.rows = append(t.rows, distRow(d.gaps.NormTotals[i], n))
	}
	return t
}

// cellsTable is the norms × regional groups table in long format, with
// the number of States not shared with the reader.
func cellsTable(ctx context.Context, d *cycleData) table {
	t := table{header: append(distHeader(ctx, views.T(ctx, "print.norm"), views.T(ctx, "states.group")),
		views.T(ctx, "gaps.states_behind"), views.T(ctx, "gaps.states_withheld"))}
	for ni, n := range d.gaps.Norms {
		for gi, g := range d.gaps.Groups {
			cell := d.gaps.Cells[ni][gi]
			t.rows = append(t.rows, append(distRow(cell.Distribution, n, views.GroupLabel(ctx, g)),
				strconv.Itoa(len(cell.States)), strconv.Itoa(cell.Withheld)))
		}
	}
	return t
}

func kindsTable(ctx context.Context, d *cycleData, rows []surveys.KindRow, byGroup bool) table {
	first := views.T(ctx, "gaps.cmm")
	if byGroup {
		first = views.T(ctx, "states.group")
	}
	t := table{header: []string{first}}
	for _, k := range d.gaps.Kinds {
		t.header = append(t.header, views.KindLabel(ctx, d.tmpl, k, "type"))
	}
	t.header = append(t.header, views.T(ctx, "gaps.total"))
	for _, r := range rows {
		key := views.KindLabel(ctx, d.tmpl, r.Key, "cmm")
		if byGroup {
			key = views.GroupLabel(ctx, r.Key)
		}
		row := []string{key}
		for _, n := range r.Counts {
			row = append(row, strconv.Itoa(n))
		}
		t.rows = append(t.rows, append(row, strconv.Itoa(r.Total)))
	}
	return t
}

func progressTable(ctx context.Context, d *cycleData) table {
	t := table{header: []string{views.T(ctx, "print.norm"), views.T(ctx, "gaps.moved"), views.T(ctx, "gaps.states_moved"),
		views.T(ctx, "gaps.moves"), views.T(ctx, "gaps.needs_opened"), views.T(ctx, "gaps.needs_closed")}}
	for _, p := range d.gaps.Progress {
		t.rows = append(t.rows, []string{p.Norm, strconv.Itoa(p.Moved), strconv.Itoa(p.StatesMoved), views.Moves(ctx, p),
			strconv.Itoa(p.NeedsOpened), strconv.Itoa(p.NeedsClosed)})
	}
	return t
}

func participationTable(ctx context.Context, d *cycleData) table {
	t := table{header: []string{views.T(ctx, "states.group"), views.T(ctx, "gaps.states")}}
	for _, k := range views.ParticipationKeys {
		t.header = append(t.header, views.T(ctx, "gaps.key."+k))
	}
	for _, p := range d.gaps.Participation {
		t.rows = append(t.rows, []string{views.GroupLabel(ctx, p.Group), strconv.Itoa(p.States),
			strconv.Itoa(p.Shared), strconv.Itoa(p.Withheld), strconv.Itoa(p.NoReport)})
	}
	return t
}

// answersExport downloads every answer the requester may read in a cycle,
// one row per State and question (long format).
func (s *Server) answersExport(c *gin.Context) error {
	ctx := c.Request.Context()
	ext := path.Ext(c.Request.URL.Path)
	cy, err := s.db.GetCycle(ctx, c.Param("cycle"))
	if err != nil {
		return err
	}
	// The copies alone: the long format needs no summary, nor the cycle before.
	d, _, err := s.readCopies(ctx, readerOf(currentUser(c)), cy, false)
	if err != nil {
		return err
	}
	return s.sendFile(c, "answers-"+cy.Label+ext, answersTable(ctx, d))
}

// answersTable is the long format of the copies in d: State, cycle,
// version, question code, question, answer, challenges, assistance
// needed, measures.
func answersTable(ctx context.Context, d *cycleData) table {
	lang := views.Lang(ctx)
	t := table{header: []string{views.T(ctx, "gaps.state"), "ISO3", views.T(ctx, "sidebyside.cycle"), views.T(ctx, "export.version"),
		views.T(ctx, "export.code"), views.T(ctx, "sidebyside.question"), views.T(ctx, "export.answer"),
		views.T(ctx, "export.challenges"), views.T(ctx, "export.assistance"), views.T(ctx, "export.measures")}}
	questions := d.tmpl.AllQuestions()
	for _, st := range d.states {
		if !st.Shared {
			continue
		}
		version := strconv.Itoa(d.read[st.ISO3].Version)
		for _, q := range questions {
			v, ok := st.Answers[q.Code]
			if !ok {
				continue
			}
			row := []string{st.Name, st.ISO3, d.cycle.Label, version, q.Code, q.Text.In(lang)}
			if q.Kind == surveys.KindStatus {
				assist := ""
				if v.AssistanceNeeded {
					assist = views.T(ctx, "answer.yes")
					if v.AssistanceText != "" {
						assist += ": " + v.AssistanceText
					}
				}
				row = append(row, statusAnswer(ctx, v.Status), v.Challenges, assist, measures(v))
			} else {
				row = append(row, v.Summary(q, lang), "", "", "")
			}
			t.rows = append(t.rows, row)
		}
	}
	return t
}

func statusAnswer(ctx context.Context, s string) string {
	if s == "" {
		return ""
	}
	return views.T(ctx, "answer."+s)
}

// measures is the "measures taken" of a status answer with its links to
// laws, strategies or documents (template v2; empty in v1).
func measures(v surveys.Value) string {
	return strings.Join(slices.DeleteFunc(append([]string{v.Measures}, v.Links...), func(s string) bool { return s == "" }), " · ")
}
