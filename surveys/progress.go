package surveys

// Progress counts the answered questions among the visible ones.
type Progress struct {
	Answered, Visible int
}

// Percent returns the share answered, rounded down so that 100 means every
// visible question is answered; 0 when nothing is visible.
func (p Progress) Percent() int {
	if p.Visible <= 0 {
		return 0
	}
	return p.Answered * 100 / p.Visible
}

// Add returns the sum of two progresses.
func (p Progress) Add(o Progress) Progress {
	return Progress{Answered: p.Answered + o.Answered, Visible: p.Visible + o.Visible}
}

// SectionProgress counts the visible questions of s and how many of them
// are answered (not empty).
func SectionProgress(s *Section, answers map[string]Value) Progress {
	var p Progress
	for i := range s.Questions {
		q := &s.Questions[i]
		if !Visible(q, answers) {
			continue
		}
		p.Visible++
		if a, ok := answers[q.Code]; ok && !a.IsEmpty(q.Kind) {
			p.Answered++
		}
	}
	return p
}

// PartProgress sums SectionProgress over the sections of p.
func PartProgress(p *Part, answers map[string]Value) Progress {
	var out Progress
	for i := range p.Sections {
		out = out.Add(SectionProgress(&p.Sections[i], answers))
	}
	return out
}

// TemplateProgress sums PartProgress over the parts of t; thematic parts
// count only when thematic is true (the cycle has a thematic priority).
func TemplateProgress(t *Template, answers map[string]Value, thematic bool) Progress {
	var out Progress
	for i := range t.Parts {
		if t.Parts[i].Thematic && !thematic {
			continue
		}
		out = out.Add(PartProgress(&t.Parts[i], answers))
	}
	return out
}
