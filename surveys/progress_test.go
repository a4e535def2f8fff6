package surveys

import "testing"

func TestProgress(t *testing.T) {
	tpl := fixture(t)
	secA, _, _ := tpl.Section("I.a")
	secB, _, _ := tpl.Section("I.b")
	partI, _ := tpl.Part("I")
	answers := map[string]Value{
		"I.a.1": status("yes"),
		"I.a.2": {Text: "https://example.gov"},
		"I.a.4": {Text: "hidden: I.a.3 is unanswered"},
		"I.a.5": {Choices: []string{"x"}},
		"V.a.1": {Text: "Measures"},
	}
	tests := []struct {
		name        string
		got         Progress
		want        Progress
		wantPercent int
	}{
		{"section with hidden answered question", SectionProgress(secA, answers), Progress{Answered: 3, Visible: 4}, 75},
		{"section untouched", SectionProgress(secB, answers), Progress{Answered: 0, Visible: 3}, 0},
		{"section empty answers", SectionProgress(secA, nil), Progress{Answered: 0, Visible: 2}, 0},
		{"part", PartProgress(partI, answers), Progress{Answered: 3, Visible: 7}, 42},
		{"template without thematic part", TemplateProgress(tpl, answers, false), Progress{Answered: 3, Visible: 7}, 42},
		{"template with thematic part", TemplateProgress(tpl, answers, true), Progress{Answered: 4, Visible: 8}, 50},
		{"chain fully answered", SectionProgress(secA, map[string]Value{
			"I.a.1": status("yes"), "I.a.2": {Text: "https://x.example"}, "I.a.3": status("yes"),
			"I.a.4": {Text: "n"}, "I.a.5": {Choices: []string{"y"}},
		}), Progress{Answered: 5, Visible: 5}, 100},
		{"nothing visible", Progress{}, Progress{}, 0},
		{"rounds down", Progress{Answered: 199, Visible: 200}, Progress{Answered: 199, Visible: 200}, 99},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("progress = %+v, want %+v", tt.got, tt.want)
			}
			if p := tt.got.Percent(); p != tt.wantPercent {
				t.Errorf("Percent = %d, want %d", p, tt.wantPercent)
			}
		})
	}
}
