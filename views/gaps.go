package views

import (
	"context"
	"strconv"
	"strings"

	"github.com/natreport/natreport/surveys"
)

// GapsData is what the capacity-gap page shows: the summary made of the
// reports the reader may read.
type GapsData struct {
	Cycle, ProcessName string
	Gaps               *surveys.Gaps
	Template           *surveys.Template
	Staff              bool // may build the compilation
	Drill              *GapDrill
}

// GapDrill is one cell opened: the States behind it, as far as the reader
// may read them, each with a link to the version read.
type GapDrill struct {
	Norm, Group string
	Cell        surveys.GapCell
	Links       []string // one per Cell.States
}

// DistKeys are the parts of a distribution, in chart order; each is a
// message "gaps.key.KEY" and a pattern "p-KEY".
var DistKeys = []string{"yes", "partly", "no", "na", "unanswered", "not_shared"}

// distCounts lists a distribution's counts in DistKeys order.
func distCounts(d surveys.Distribution) []int {
	return []int{d.Yes, d.Partly, d.No, d.NA, d.Unanswered, d.NotShared}
}

// Bar is one bar of a stacked bar chart.
type Bar struct {
	Label string
	Segs  []Seg
	Total int
}

// Seg is one segment of a bar: its key, count and place (in chart units).
type Seg struct {
	Key      string
	Count    int
	X, W     float64
	Label    string // the count, when the segment is wide enough to hold it
	TextX    float64
	TextDark bool
}

// Chart geometry, in SVG user units.
const (
	chartLabelW = 210.0
	chartBarW   = 420.0
	chartBarH   = 22.0
	chartGap    = 8.0
)

// stackedBars lays bars out: each bar the full width, split by share.
func stackedBars(labels []string, keys []string, counts [][]int) []Bar {
	out := make([]Bar, len(labels))
	for i, l := range labels {
		b := Bar{Label: l}
		for _, n := range counts[i] {
			b.Total += n
		}
		x := chartLabelW
		for k, n := range counts[i] {
			if n == 0 || b.Total == 0 {
				continue
			}
			w := chartBarW * float64(n) / float64(b.Total)
			s := Seg{Key: keys[k], Count: n, X: x, W: w, TextX: x + w/2, TextDark: keys[k] != "yes" && keys[k] != "no"}
			if w >= 22 {
				s.Label = Itoa(n)
			}
			b.Segs = append(b.Segs, s)
			x += w
		}
		out[i] = b
	}
	return out
}

// chartHeight is the height of a chart of n bars.
func chartHeight(n int) float64 { return float64(n)*(chartBarH+chartGap) + chartGap }

func barY(i int) float64 { return chartGap + float64(i)*(chartBarH+chartGap) }

// NormLabel is "(a) Cooperate for stability and security" in the
// interface language when the label has it.
func NormLabel(ctx context.Context, n string) string {
	return "(" + n + ") " + surveys.NormLabels[n].In(Lang(ctx))
}

// normBars is one bar per norm.
func normBars(ctx context.Context, g *surveys.Gaps, dists []surveys.Distribution) []Bar {
	labels := make([]string, len(g.Norms))
	counts := make([][]int, len(g.Norms))
	for i, n := range g.Norms {
		labels[i] = "(" + n + ")"
		counts[i] = distCounts(dists[i])
	}
	return stackedBars(labels, DistKeys, counts)
}

// groupColumn is the distributions of one group, per norm.
func groupColumn(g *surveys.Gaps, gi int) []surveys.Distribution {
	out := make([]surveys.Distribution, len(g.Norms))
	for n := range g.Norms {
		out[n] = g.Cells[n][gi].Distribution
	}
	return out
}

// groupEmpty reports whether no answer of the group counts, shared or not.
func groupEmpty(g *surveys.Gaps, gi int) bool {
	for n := range g.Norms {
		if g.Cells[n][gi].Total() > 0 {
			return false
		}
	}
	return true
}

// chartDesc describes a distribution chart in words for screen readers.
func chartDesc(ctx context.Context, bars []Bar) string {
	var parts []string
	for _, b := range bars {
		var segs []string
		for _, s := range b.Segs {
			segs = append(segs, T(ctx, "gaps.key."+s.Key)+" "+Itoa(s.Count))
		}
		if len(segs) == 0 {
			segs = append(segs, "0")
		}
		parts = append(parts, b.Label+": "+strings.Join(segs, ", "))
	}
	return strings.Join(parts, "; ")
}

// KindLabel names a kind of assistance from the template's needs question.
func KindLabel(ctx context.Context, t *surveys.Template, key, column string) string {
	if key == "" {
		return T(ctx, "gaps.kind_none")
	}
	for _, q := range t.AllQuestions() {
		if q.Kind != surveys.KindRows || q.Register != "needs" {
			continue
		}
		for _, c := range q.Columns {
			if c.Key == column {
				return optionText(ctx, c.Options, key)
			}
		}
	}
	return key
}

// participationBars is one bar per regional group: shared, not shared,
// no report.
func participationBars(ctx context.Context, ps []surveys.Participation) []Bar {
	labels := make([]string, len(ps))
	counts := make([][]int, len(ps))
	for i, p := range ps {
		labels[i] = GroupLabel(ctx, p.Group)
		counts[i] = []int{p.Shared, p.Withheld, p.NoReport}
	}
	return stackedBars(labels, ParticipationKeys, counts)
}

// ParticipationKeys are the parts of a participation bar.
var ParticipationKeys = []string{"shared", "not_shared", "no_report"}

// kindBars is one bar per kind of assistance, its count across the rows.
func kindBars(ctx context.Context, t *surveys.Template, g *surveys.Gaps) []Bar {
	labels := make([]string, len(g.Kinds))
	counts := make([][]int, len(g.Kinds))
	for i, k := range g.Kinds {
		labels[i] = KindLabel(ctx, t, k, "type")
		n := 0
		for _, r := range g.ByGroup {
			n += r.Counts[i]
		}
		counts[i] = []int{n}
	}
	return stackedBars(labels, []string{"needs"}, counts)
}

// Moves lists the status changes of a norm as "from → to: n".
func Moves(ctx context.Context, p surveys.NormProgress) string {
	var out []string
	for i, from := range surveys.ProgressStatuses {
		for j, to := range surveys.ProgressStatuses {
			if i == j || p.Moves[i][j] == 0 {
				continue
			}
			out = append(out, statusKey(ctx, from)+" → "+statusKey(ctx, to)+": "+Itoa(p.Moves[i][j]))
		}
	}
	return strings.Join(out, "; ")
}

func statusKey(ctx context.Context, s string) string {
	if s == "" {
		return T(ctx, "gaps.key.unanswered")
	}
	return T(ctx, "gaps.key."+s)
}

// share formats n of d as a whole percentage.
func share(d surveys.Distribution, n int) string { return Itoa(d.Share(n)) + "%" }

// SideBySideData is the side-by-side view of up to three States.
type SideBySideData struct {
	Cycle, Part string
	Cycles      []string
	AllStates   []StateOption
	States      []string // ISO3 codes asked for
	Parts       []PartOption
	Sections    []surveys.Section
	Columns     []SideBySideColumn
}

// StateOption is a State in a choice list.
type StateOption struct{ ISO3, Name string }

// PartOption is a part of the template in a choice list.
type PartOption struct{ Code, Title string }

// SideBySideColumn is one State's copy, or nothing when the reader may read
// no version of its report.
type SideBySideColumn struct {
	ISO3, Name string
	Readable   bool
	Version    int
	Answers    map[string]surveys.Value
}

// compareCell is one State's answer to q, as one line.
func compareCell(ctx context.Context, col SideBySideColumn, q *surveys.Question) string {
	v, ok := col.Answers[q.Code]
	if !ok {
		return "—"
	}
	return v.Summary(q, Lang(ctx))
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

func textFill(dark bool) string {
	if dark {
		return "#111"
	}
	return "#fff"
}

func textHalo(dark bool) string {
	if dark {
		return "#fff"
	}
	return "#111"
}

func joinStates(s []string) string { return strings.Join(s, ",") }
