package surveys

import "slices"

// Conditions lists the questions whose answers decide which questions of
// sec show: every question a show_when names, following chains of
// conditions (a follow-up of a follow-up) across sections.
func Conditions(sec *Section) []string {
	if sec == nil {
		return nil
	}
	var codes []string
	for i := range sec.Questions {
		q := &sec.Questions[i]
		for depth := 0; q != nil && q.ShowWhen != nil && depth < maxConditionDepth; depth++ {
			if !slices.Contains(codes, q.ShowWhen.Question) {
				codes = append(codes, q.ShowWhen.Question)
			}
			q = q.cond
		}
	}
	return codes
}
