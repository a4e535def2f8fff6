package surveys

// Progress counts the answered questions among the visible ones, as one
// audience sees them.
type Progress struct {
	// Visible counts the questions asked (not hidden by a condition),
	// NotShared those of them whose answers are kept from the reader, and
	// Answered those of the others that are answered.
	Answered, Visible, NotShared int
}

// Shared returns the number of visible questions the reader may read.
func (p Progress) Shared() int { return p.Visible - p.NotShared }

// Percent returns the share answered of the questions the reader may read,
// rounded down so that 100 means every one is answered; 0 when there are
// none.
func (p Progress) Percent() int {
	if p.Shared() <= 0 {
		return 0
	}
	return p.Answered * 100 / p.Shared()
}

// Add returns the sum of two progresses.
func (p Progress) Add(o Progress) Progress {
	return Progress{Answered: p.Answered + o.Answered, Visible: p.Visible + o.Visible, NotShared: p.NotShared + o.NotShared}
}

// SectionProgress counts the visible questions of s and how many of them
// are answered (not empty), as the reporting State sees them.
func SectionProgress(s *Section, answers map[string]Value) Progress {
	return SectionProgressFor(AudState, nil, s, answers)
}

// SectionProgressFor is SectionProgress as audience aud sees section s of
// part p: shown are the answers aud may see (ForAudience), and a question
// whose answer is kept from aud counts as not shared, never as unanswered.
func SectionProgressFor(aud string, p *Part, s *Section, shown map[string]Value) Progress {
	var out Progress
	for i := range s.Questions {
		q := &s.Questions[i]
		if !Visible(q, shown) {
			continue
		}
		out.Visible++
		if aud != AudState && QuestionWithheld(aud, p, q, shown) {
			out.NotShared++
			continue
		}
		if a, ok := shown[q.Code]; ok && !a.IsEmpty(q.Kind) {
			out.Answered++
		}
	}
	return out
}

// PartProgress sums SectionProgress over the sections of p.
func PartProgress(p *Part, answers map[string]Value) Progress {
	return PartProgressFor(AudState, p, answers)
}

// PartProgressFor sums SectionProgressFor over the sections of p.
func PartProgressFor(aud string, p *Part, shown map[string]Value) Progress {
	var out Progress
	for i := range p.Sections {
		out = out.Add(SectionProgressFor(aud, p, &p.Sections[i], shown))
	}
	return out
}

// TemplateProgress sums PartProgress over the parts of t; thematic parts
// count only when thematic is true (the cycle has a thematic priority).
func TemplateProgress(t *Template, answers map[string]Value, thematic bool) Progress {
	return TemplateProgressFor(AudState, t, answers, thematic)
}

// TemplateProgressFor sums PartProgressFor over the parts of t, as
// TemplateProgress does.
func TemplateProgressFor(aud string, t *Template, shown map[string]Value, thematic bool) Progress {
	var out Progress
	for i := range t.Parts {
		if t.Parts[i].Thematic && !thematic {
			continue
		}
		out = out.Add(PartProgressFor(aud, &t.Parts[i], shown))
	}
	return out
}
