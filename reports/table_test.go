package reports

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/natreport/natreport/surveys"
)

func TestColumnWidths(t *testing.T) {
	tests := []struct {
		name          string
		w             float64
		weights, need []float64
		want          []float64
	}{
		{"weights when needs fit", 100, []float64{1, 1}, []float64{10, 10}, []float64{50, 50}},
		{"a column grows to its need", 100, []float64{1, 1, 2}, []float64{40, 5, 5}, []float64{40, 25 - 20*15.0/65, 50 - 45*15.0/65}},
		{"needs too wide: the spare room goes", 100, []float64{1, 1}, []float64{150, 20}, []float64{80, 20}},
		{"nothing to spare", 100, []float64{1, 1}, []float64{150, 60}, []float64{50, 50}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := columnWidths(tt.w, tt.weights, tt.need)
			for i := range got {
				if d := got[i] - tt.want[i]; d > 1e-9 || d < -1e-9 {
					t.Fatalf("columnWidths = %v, want %v", got, tt.want)
				}
			}
		})
	}
}

// TestTableBreaksBetweenWords checks that narrow columns wrap between words:
// no word of a rows table is cut while it could fit its column.
func TestTableBreaksBetweenWords(t *testing.T) {
	for _, lang := range []string{"en", "ru", "ar"} {
		t.Run(lang, func(t *testing.T) {
			d := testDocument(lang)
			words := map[string][]string{
				"en": {"infrastructure", "telecommunications", "interoperability"},
				"ru": {"инфраструктуры", "телекоммуникаций", "совместимость"},
				"ar": {"اللاسلكية", "والكهرومغناطيسية", "بالتشفيرات"},
			}[lang]
			text := strings.Join(words, " ")
			// Six columns, three of them narrow (dates and numbers).
			q := findQuestion(t, d, "II.g.4")
			q.Columns = append(q.Columns,
				surveys.Column{Key: "n1", Kind: surveys.KindNumber, Label: surveys.Text{"en": "N"}},
				surveys.Column{Key: "n2", Kind: surveys.KindNumber, Label: surveys.Text{"en": "M"}})
			d.Answers["II.g.4"] = surveys.Value{Rows: []map[string]string{
				{"title": "a", "date": "b", "scope": text, "link": "https://example.org/a", "n1": words[1], "n2": words[2]},
			}}
			path, _ := writeReport(t, d, "words_"+lang)
			got := strings.Fields(stripBidiMarks(strings.Join(pages(t, path), " ")))
			whole := map[string]int{}
			for _, g := range got {
				g = strings.Trim(g, "،.,")
				for _, w := range words {
					if g == w {
						whole[w]++
					} else if utf8.RuneCountInString(g) >= 4 && (strings.HasPrefix(w, g) || strings.HasSuffix(w, g)) {
						t.Errorf("%q is cut: %q", w, g)
					}
				}
			}
			for i, w := range words {
				if want := min(i, 1) + 1; whole[w] < want {
					t.Errorf("word %q found whole %d times, want at least %d", w, whole[w], want)
				}
			}
		})
	}
}

// findQuestion returns the question of d's template with code, to change.
func findQuestion(t *testing.T, d Document, code string) *surveys.Question {
	t.Helper()
	for pi := range d.Template.Parts {
		for si := range d.Template.Parts[pi].Sections {
			qs := d.Template.Parts[pi].Sections[si].Questions
			for qi := range qs {
				if qs[qi].Code == code {
					return &qs[qi]
				}
			}
		}
	}
	t.Fatalf("no question %s", code)
	return nil
}
