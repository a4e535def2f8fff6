package surveys

// Change says how the answer to a question moved between two reports.
type Change string

// The kinds of change.
const (
	Changed   Change = "changed"   // answered in both, differently
	Unchanged Change = "unchanged" // answered in both, the same
	New       Change = "new"       // answered now, not before
	Removed   Change = "removed"   // answered before, no longer answered
)

// Diff is the comparison of one question's answers.
type Diff struct {
	Code     string
	Question *Question
	Old, New Value
	Change   Change
}

// Compare compares two sets of answers to template t (for example last
// cycle's report and this one's), in template order. Questions answered in
// neither are left out. An answer to a question hidden by its condition in
// its own report counts as no answer: it is not part of what that report says.
func Compare(t *Template, old, new map[string]Value) []Diff {
	var out []Diff
	for _, q := range t.AllQuestions() {
		o, n := shownAnswer(q, old), shownAnswer(q, new)
		oe, ne := o.IsEmpty(q.Kind), n.IsEmpty(q.Kind)
		d := Diff{Code: q.Code, Question: q, Old: o, New: n}
		switch {
		case oe && ne:
			continue
		case oe:
			d.Change = New
		case ne:
			d.Change = Removed
		case Equal(o, n):
			d.Change = Unchanged
		default:
			d.Change = Changed
		}
		out = append(out, d)
	}
	return out
}

// shownAnswer is the answer to q when q is visible, else the empty value.
func shownAnswer(q *Question, answers map[string]Value) Value {
	if !Visible(q, answers) {
		return Value{}
	}
	return answers[q.Code]
}
