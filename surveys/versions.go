package surveys

import "slices"

// codeMap maps each question code of template to onto the codes of
// template from whose answers it takes over: the same code when both are
// one version, the Replaces codes when from is to's Previous version, and
// the composition through the built-in versions in between otherwise
// (v3 → v2 → v1). Questions with nothing to take over are left out.
func codeMap(to, from *Template) map[string][]string {
	out := map[string][]string{}
	if to == nil || from == nil {
		return out
	}
	if to.Version == from.Version {
		for _, q := range to.AllQuestions() {
			out[q.Code] = []string{q.Code}
		}
		return out
	}
	if to.Previous == "" {
		return out
	}
	direct := func() map[string][]string {
		for _, q := range to.AllQuestions() {
			if len(q.Replaces) > 0 {
				out[q.Code] = slices.Clone(q.Replaces)
			}
		}
		return out
	}
	if to.Previous == from.Version {
		return direct()
	}
	all, err := Builtin()
	if err != nil || all[to.Previous] == nil || to.Previous == to.Version {
		return out
	}
	mid := codeMap(all[to.Previous], from)
	for code, prevCodes := range direct() {
		var through []string
		for _, p := range prevCodes {
			through = append(through, mid[p]...)
		}
		if len(through) > 0 {
			out[code] = through
		} else {
			delete(out, code)
		}
	}
	return out
}

// CarrySources says, for each question of template to, which question of
// template from its answer is carried forward from: the first of the
// questions it replaces that was answered in the old report, is of the
// same kind, and whose answer is valid for the new question (its
// choices and columns exist). Across one version it maps each answered
// code to itself. answers are the old report's, keyed by from's codes.
func CarrySources(to, from *Template, answers map[string]Value) map[string]string {
	out := map[string]string{}
	for code, olds := range codeMap(to, from) {
		q, ok := to.Question(code)
		if !ok {
			continue
		}
		for _, old := range olds {
			oq, ok := from.Question(old)
			v, answered := answers[old]
			if !ok || !answered || oq.Kind != q.Kind || v.IsEmpty(oq.Kind) || !Fits(q, v) {
				continue
			}
			out[code] = old
			break
		}
	}
	return out
}

// MapAnswers rewrites the answers of a report to template from as answers
// to template to, following CarrySources, so that two reports to different
// template versions can be compared question by question.
func MapAnswers(to, from *Template, answers map[string]Value) map[string]Value {
	out := map[string]Value{}
	for code, old := range CarrySources(to, from, answers) {
		out[code] = answers[old]
	}
	return out
}

// CompareAcross compares an old report to template from with a new one to
// template to, in to's order, mapping the old answers through MapAnswers.
func CompareAcross(to, from *Template, old, new map[string]Value) []Diff {
	return Compare(to, MapAnswers(to, from, old), new)
}

// Fits reports whether v is a valid answer to q: its status, choices,
// options, columns, numbers, dates and links are all ones q accepts.
func Fits(q *Question, v Value) bool {
	errs := FieldErrors{}
	switch q.Kind {
	case KindStatus:
		if v.Status != "" && !slices.Contains(StatusValues, v.Status) {
			return false
		}
	case KindMulti:
		for _, c := range v.Choices {
			if !hasOption(q.Options, c) {
				return false
			}
		}
	case KindRows:
		for r, row := range v.Rows {
			for key, s := range row {
				c := columnOf(q, key)
				if c == nil {
					return false
				}
				checkScalar(errs, RowField(q.Code, r, key), c.Kind, s, c.Options, c.MaxLength, nil, nil)
			}
		}
	case KindContact:
	default:
		checkScalar(errs, q.Code, q.Kind, v.Text, q.Options, q.MaxLength, q.Min, q.Max)
	}
	return len(errs) == 0
}
