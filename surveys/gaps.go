package surveys

import (
	"cmp"
	"slices"
)

// Withheld reports whether a State's report, none of whose versions the
// reader may read, counts as "not shared with you": some version was
// submitted at a level other than private. A private report, a draft or
// no report counts as nothing at all, so that it changes no number anyone
// outside its State gets.
func Withheld(r Reader, versions []ReportRef) bool {
	if _, _, ok := ReadableVersion(r, versions, 0); ok {
		return false
	}
	return slices.ContainsFunc(versions, reportedBeyondState)
}

// GapState is one State as a gap summary sees it for one reader.
type GapState struct {
	ISO3, Name, Group string
	// Shared: the reader may read a version; Answers is that copy as its
	// Audience may see it (Template.ForAudience applied).
	Shared   bool
	Audience string
	Answers  map[string]Value
	// Withheld: the State has a report the reader may not read (see
	// Withheld); it is counted as "not shared with you", never read.
	Withheld bool
}

// StatusUnanswered is the key of a visible status question without a status
// in distributions.
const StatusUnanswered = ""

// Distribution counts status answers: one per State and status question.
// It is a distribution, never a score.
type Distribution struct {
	Yes, Partly, No, NA, Unanswered int
	// NotShared counts the answers the reader may not read: every status
	// question of the norm in a report not shared with them, and in a
	// donors' copy the status answers left out of it.
	NotShared int
}

// Total is the number of answers counted, those not shared included.
func (d Distribution) Total() int { return d.Yes + d.Partly + d.No + d.NA + d.Unanswered + d.NotShared }

// Of returns the count for a status value (StatusUnanswered for
// unanswered).
func (d Distribution) Of(status string) int {
	switch status {
	case StatusYes:
		return d.Yes
	case StatusPartly:
		return d.Partly
	case StatusNo:
		return d.No
	case StatusNA:
		return d.NA
	}
	return d.Unanswered
}

// Share is n as a whole percentage of the total (0 when empty), rounded
// half up.
func (d Distribution) Share(n int) int {
	t := d.Total()
	if t == 0 {
		return 0
	}
	return (200*n + t) / (2 * t)
}

func (d *Distribution) add(status string) {
	switch status {
	case StatusYes:
		d.Yes++
	case StatusPartly:
		d.Partly++
	case StatusNo:
		d.No++
	case StatusNA:
		d.NA++
	default:
		d.Unanswered++
	}
}

func (d *Distribution) merge(o Distribution) {
	d.Yes += o.Yes
	d.Partly += o.Partly
	d.No += o.No
	d.NA += o.NA
	d.Unanswered += o.Unanswered
	d.NotShared += o.NotShared
}

// GapCell is the distribution of one norm in one regional group.
type GapCell struct {
	Distribution
	// States are the States shared with the reader that count in the cell,
	// with their own part of it, sorted by name: the drill-down.
	States []CellState
	// Withheld is how many States of the group are not shared with the
	// reader; they are never named.
	Withheld int
}

// CellState is one State's part of a cell.
type CellState struct {
	ISO3, Name string
	Distribution
}

// KindRow counts needs by kind of assistance for one group or one
// capacity dimension; Counts follow Gaps.Kinds.
type KindRow struct {
	Key    string
	Counts []int
	Total  int
}

// Participation counts the States of one regional group.
type Participation struct {
	Group    string
	States   int // States in the group
	Shared   int // with a report the reader may read
	Withheld int // with a report not shared with the reader
	NoReport int // the rest: no report the reader can know of
}

// NormProgress is how one norm moved since the previous cycle, for the
// States whose reports the reader may read in both cycles.
type NormProgress struct {
	Norm string
	// Moves counts answers by previous status then current status, each
	// indexed like ProgressStatuses.
	Moves [5][5]int
	// Moved counts answers whose status changed; StatesMoved the States
	// with at least one such answer.
	Moved, StatesMoved int
	// NeedsOpened are needs of this norm in this cycle that the State's
	// previous report did not have; NeedsClosed the other way round.
	NeedsOpened, NeedsClosed int
}

// ProgressStatuses orders the statuses of NormProgress.Moves.
var ProgressStatuses = []string{StatusYes, StatusPartly, StatusNo, StatusNA, StatusUnanswered}

// Gaps is the capacity-gap summary of a cycle for one reader: made only
// of what the reader may read, with what they may not counted apart.
type Gaps struct {
	Norms  []string // a..k
	Groups []string // regional groups, in the order given
	// Cells is indexed [norm][group]; NormTotals sums each norm over the
	// groups.
	Cells      [][]GapCell
	NormTotals []Distribution
	// Kinds are the kinds of assistance requested, most requested first
	// ("" for needs that name none), counted over the outstanding needs of
	// the register the reader may read (GapInput.Needs). ByGroup and ByCMM
	// count them per regional group and per capacity dimension ("" when
	// none given).
	Kinds   []string
	ByGroup []KindRow
	ByCMM   []KindRow
	// Participation per regional group, in the order of Groups.
	Participation []Participation
	// Progress per norm; nil when there is no previous cycle.
	Progress []NormProgress
	// Compared is how many States count in Progress.
	Compared int
}

// GapInput is what a gap summary is computed from. States and Previous
// hold every State the reader could know of, built with ReadableVersion
// and Withheld; Previous is nil when the cycle has no predecessor.
type GapInput struct {
	Template     *Template
	Groups       []string
	States       []GapState
	PrevTemplate *Template
	Previous     []GapState
	// Needs are the needs of the cycle's register that the reader may
	// read, each as the reader's version states it, with the register's
	// status: the kinds of assistance are counted from them.
	Needs []RegisterNeed
}

// RegisterNeed is what the gap summary counts of a need of the register:
// the regional group of its State, its capacity dimension, its kind of
// assistance and its status in the register.
type RegisterNeed struct {
	Group, CMM, Type, Status string
}

// statusQuestion is a status question tagged with norms, with its part.
type statusQuestion struct {
	q    *Question
	part string
}

func normQuestions(t *Template) []statusQuestion {
	var out []statusQuestion
	for i := range t.Parts {
		p := &t.Parts[i]
		for j := range p.Sections {
			s := &p.Sections[j]
			for k := range s.Questions {
				q := &s.Questions[k]
				if q.Kind == KindStatus && len(q.Tags.Norms) > 0 {
					out = append(out, statusQuestion{q, p.Code})
				}
			}
		}
	}
	return out
}

// shared reports whether the audience's copy would hold an answer to q at
// all, and so whether its absence means "unanswered" or "not shared".
func shared(aud, part string, q *Question, present bool) bool {
	switch aud {
	case AudState, AudSecretariat:
		return true
	case AudStates, AudPublic:
		return !q.NeverPublish && q.Kind != KindContact
	case AudDonors:
		if q.NeverPublish || q.Kind == KindContact {
			return false
		}
		return part == donorPart || present
	}
	return false
}

// ReaderCopy is a report's answers as a reader of audience aud sees them:
// the answers its conditional display shows, then only those the audience
// may see. Visibility is decided on the State's own answers, before
// anything is withheld, so that a donors' copy keeps an assistance mark on
// a question whose condition it does not see.
func ReaderCopy(t *Template, aud string, answers map[string]Value) map[string]Value {
	vis := make(map[string]Value, len(answers))
	for code, v := range answers {
		if q, ok := t.Question(code); ok && Visible(q, answers) && !v.IsEmpty(q.Kind) {
			vis[code] = v
		}
	}
	return t.ForAudience(aud, vis)
}

// stateNorms is one shared State's distribution per norm (indexed like
// TagNorms) and the status of each question it counts as shared and
// asked ("" when unanswered). Answers are a ReaderCopy: an answer in it
// was asked; a question missing from it is unanswered when the audience
// would see it and its condition holds, not shared when the audience
// would not see it.
func stateNorms(qs []statusQuestion, st *GapState) ([]Distribution, map[string]string) {
	out := make([]Distribution, len(TagNorms))
	statuses := map[string]string{}
	for _, sq := range qs {
		v, present := st.Answers[sq.q.Code]
		isShared := shared(st.Audience, sq.part, sq.q, present)
		if isShared && !present && !Visible(sq.q, st.Answers) {
			continue // not asked
		}
		for _, n := range sq.q.Tags.Norms {
			i := slices.Index(TagNorms, n)
			if i < 0 {
				continue
			}
			if !isShared {
				out[i].NotShared++
				continue
			}
			out[i].add(v.Status)
		}
		if isShared {
			statuses[sq.q.Code] = v.Status
		}
	}
	return out, statuses
}

// ComputeGaps computes the gap summary. It is pure: the reader's rights
// were applied when in was built.
func ComputeGaps(in GapInput) *Gaps {
	t := in.Template
	g := &Gaps{Norms: TagNorms, Groups: in.Groups}
	gi := make(map[string]int, len(in.Groups))
	for i, grp := range in.Groups {
		gi[grp] = i
	}
	g.Cells = make([][]GapCell, len(TagNorms))
	for i := range g.Cells {
		g.Cells[i] = make([]GapCell, len(in.Groups))
	}
	g.NormTotals = make([]Distribution, len(TagNorms))
	g.Participation = make([]Participation, len(in.Groups))
	for i, grp := range in.Groups {
		g.Participation[i].Group = grp
	}
	qs := normQuestions(t)
	// A withheld report counts every status question of the norm.
	perNorm := make([]int, len(TagNorms))
	for _, sq := range qs {
		for _, n := range sq.q.Tags.Norms {
			if i := slices.Index(TagNorms, n); i >= 0 {
				perNorm[i]++
			}
		}
	}

	kindCount := map[string]int{}
	byGroup := make([]map[string]int, len(in.Groups))
	byCMM := map[string]map[string]int{}
	for i := range byGroup {
		byGroup[i] = map[string]int{}
	}
	typeCol := needsColumn(t, "type")
	cmmCol := needsColumn(t, "cmm")

	for si := range in.States {
		st := &in.States[si]
		gIdx, inGroup := gi[st.Group]
		if inGroup {
			p := &g.Participation[gIdx]
			p.States++
			switch {
			case st.Shared:
				p.Shared++
			case st.Withheld:
				p.Withheld++
			default:
				p.NoReport++
			}
		}
		switch {
		case st.Withheld:
			for n := range TagNorms {
				g.NormTotals[n].NotShared += perNorm[n]
				if inGroup {
					c := &g.Cells[n][gIdx]
					c.NotShared += perNorm[n]
					c.Withheld++
				}
			}
			continue
		case !st.Shared:
			continue
		}
		dist, _ := stateNorms(qs, st)
		for n := range TagNorms {
			g.NormTotals[n].merge(dist[n])
			if inGroup && dist[n].Total() > 0 {
				c := &g.Cells[n][gIdx]
				c.merge(dist[n])
				c.States = append(c.States, CellState{ISO3: st.ISO3, Name: st.Name, Distribution: dist[n]})
			}
		}
	}
	// Kinds of assistance: the needs still requested, as the register
	// holds them (a need completed or withdrawn is no longer requested;
	// the secretariat's corrections of type count).
	for _, nd := range in.Needs {
		if !NeedIsOutstanding(nd.Status) {
			continue
		}
		kindCount[nd.Type]++
		if i, ok := gi[nd.Group]; ok {
			byGroup[i][nd.Type]++
		}
		if byCMM[nd.CMM] == nil {
			byCMM[nd.CMM] = map[string]int{}
		}
		byCMM[nd.CMM][nd.Type]++
	}
	for n := range g.Cells {
		for gIdx := range g.Cells[n] {
			slices.SortFunc(g.Cells[n][gIdx].States, func(a, b CellState) int {
				return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ISO3, b.ISO3))
			})
		}
	}

	// Kinds: most requested first, then in the template's order.
	order := optionOrder(typeCol)
	for k := range kindCount {
		g.Kinds = append(g.Kinds, k)
	}
	slices.SortFunc(g.Kinds, func(a, b string) int {
		return cmp.Or(cmp.Compare(kindCount[b], kindCount[a]), cmp.Compare(order(a), order(b)), cmp.Compare(a, b))
	})
	row := func(key string, m map[string]int) KindRow {
		r := KindRow{Key: key, Counts: make([]int, len(g.Kinds))}
		for i, k := range g.Kinds {
			r.Counts[i] = m[k]
			r.Total += m[k]
		}
		return r
	}
	for i, grp := range in.Groups {
		g.ByGroup = append(g.ByGroup, row(grp, byGroup[i]))
	}
	cmmOrder := optionOrder(cmmCol)
	cmms := make([]string, 0, len(byCMM))
	for k := range byCMM {
		cmms = append(cmms, k)
	}
	slices.SortFunc(cmms, func(a, b string) int { return cmp.Or(cmp.Compare(cmmOrder(a), cmmOrder(b)), cmp.Compare(a, b)) })
	for _, k := range cmms {
		g.ByCMM = append(g.ByCMM, row(k, byCMM[k]))
	}

	if in.Previous != nil {
		g.Progress, g.Compared = progress(in, qs)
	}
	return g
}

// GapCodes are the codes of the questions a gap summary reads: status
// questions (their statuses and assistance marks), the rows of the needs
// register, and every question their display depends on. Reading only
// these answers is enough for ComputeGaps.
func GapCodes(t *Template) []string {
	seen := map[string]bool{}
	var out []string
	for _, q := range t.AllQuestions() {
		if q.Kind != KindStatus && (q.Kind != KindRows || q.Register != RegisterNeeds) {
			continue
		}
		for c := q; c != nil && !seen[c.Code]; c = c.cond {
			seen[c.Code] = true
			out = append(out, c.Code)
		}
	}
	slices.Sort(out)
	return out
}

// needsColumn is the column key of the template's needs question.
func needsColumn(t *Template, key string) *Column {
	for _, q := range t.AllQuestions() {
		if q.Kind == KindRows && q.Register == RegisterNeeds {
			return columnOf(q, key)
		}
	}
	return nil
}

// optionOrder gives the position of an option value in a column, options
// before unknown values, "" (none given) last.
func optionOrder(c *Column) func(string) int {
	return func(v string) int {
		if v == "" {
			return 1 << 20
		}
		if c != nil {
			for i, o := range c.Options {
				if o.Value == v {
					return i
				}
			}
		}
		return 1 << 19
	}
}

// progress compares, per norm, the States shared with the reader in both
// cycles.
func progress(in GapInput, qs []statusQuestion) ([]NormProgress, int) {
	out := make([]NormProgress, len(TagNorms))
	for i, n := range TagNorms {
		out[i].Norm = n
	}
	prevT := in.PrevTemplate
	if prevT == nil {
		prevT = in.Template
	}
	prevQs := normQuestions(prevT)
	prev := make(map[string]*GapState, len(in.Previous))
	for i := range in.Previous {
		if in.Previous[i].Shared {
			prev[in.Previous[i].ISO3] = &in.Previous[i]
		}
	}
	compared := 0
	statusIdx := func(s string) int {
		if i := slices.Index(ProgressStatuses, s); i >= 0 {
			return i
		}
		return len(ProgressStatuses) - 1
	}
	for si := range in.States {
		st := &in.States[si]
		p, ok := prev[st.ISO3]
		if !st.Shared || !ok {
			continue
		}
		compared++
		_, now := stateNorms(qs, st)
		_, before := stateNorms(prevQs, p)
		moved := make([]bool, len(TagNorms))
		for _, sq := range qs {
			a, okNow := now[sq.q.Code]
			b, okBefore := before[sq.q.Code]
			if !okNow || !okBefore {
				continue
			}
			for _, n := range sq.q.Tags.Norms {
				ni := slices.Index(TagNorms, n)
				if ni < 0 {
					continue
				}
				out[ni].Moves[statusIdx(b)][statusIdx(a)]++
				if a != b {
					out[ni].Moved++
					moved[ni] = true
				}
			}
		}
		for ni, m := range moved {
			if m {
				out[ni].StatesMoved++
			}
		}
		opened, closed := needsDiff(needsIn(prevT, p.Answers, false), needsIn(in.Template, st.Answers, false))
		for _, nd := range opened {
			if ni := slices.Index(TagNorms, nd.Norm); ni >= 0 {
				out[ni].NeedsOpened++
			}
		}
		for _, nd := range closed {
			if ni := slices.Index(TagNorms, nd.Norm); ni >= 0 {
				out[ni].NeedsClosed++
			}
		}
	}
	return out, compared
}

// needKey identifies a need across cycles: a row by what it asks for, a
// status mark by its question.
func needKey(n Need) string {
	if n.Row < 0 {
		return "q\x00" + n.Code
	}
	return "r\x00" + n.Area + "\x00" + n.Norm + "\x00" + n.CMM + "\x00" + n.Type
}

// needsDiff returns the needs of now that before did not have (opened) and
// those of before that now does not have (closed), as multisets.
func needsDiff(before, now []Need) (opened, closed []Need) {
	left := map[string]int{}
	for _, n := range before {
		left[needKey(n)]++
	}
	for _, n := range now {
		k := needKey(n)
		if left[k] > 0 {
			left[k]--
			continue
		}
		opened = append(opened, n)
	}
	for _, n := range before {
		k := needKey(n)
		if left[k] > 0 {
			left[k]--
			closed = append(closed, n)
		}
	}
	return opened, closed
}
