package surveys

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
)

func TestNormOverview(t *testing.T) {
	tpl := fixture(t)
	tests := []struct {
		name    string
		answers map[string]Value
		want    map[string]NormCounts // norms not listed must be all zero
	}{
		{"nothing answered: I.a.3 hidden, not counted", nil, map[string]NormCounts{
			"a": {Norm: "a", Unanswered: 2},
			"g": {Norm: "g", Unanswered: 1},
		}},
		{"answers", map[string]Value{"I.a.1": status("yes"), "I.a.3": status("na"), "I.b.1": status("partly")}, map[string]NormCounts{
			"a": {Norm: "a", Yes: 1, Partly: 1},
			"g": {Norm: "g", NA: 1, Partly: 1},
		}},
		{"no and challenges only", map[string]Value{"I.a.1": status("no"), "I.b.1": {Challenges: "x"}}, map[string]NormCounts{
			"a": {Norm: "a", No: 1, Unanswered: 1},
			"g": {Norm: "g", Unanswered: 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NormOverview(tpl, tt.answers)
			if len(got) != 11 {
				t.Fatalf("%d norms, want 11", len(got))
			}
			for i, c := range got {
				if c.Norm != TagNorms[i] {
					t.Errorf("norm %d = %q, want %q", i, c.Norm, TagNorms[i])
				}
				want, ok := tt.want[c.Norm]
				if !ok {
					want = NormCounts{Norm: c.Norm}
				}
				if c != want {
					t.Errorf("norm %s = %+v, want %+v", c.Norm, c, want)
				}
			}
		})
	}
	if got := (NormCounts{Yes: 1, Partly: 2, No: 3, NA: 4, Unanswered: 5}).Total(); got != 15 {
		t.Errorf("Total = %d", got)
	}
}

func TestNeedsAndOffers(t *testing.T) {
	tpl := fixture(t)
	answers := map[string]Value{
		"I.a.1": {Status: "partly", AssistanceNeeded: true, AssistanceText: "Help drafting the strategy"},
		"I.a.3": {Status: "no", AssistanceNeeded: true}, // hidden: I.a.1 is not yes
		"I.b.1": {Status: "no", AssistanceNeeded: true},
		"I.b.2": {Rows: []map[string]string{
			{"area": "ci", "norm": "g", "type": "training", "priority": "high", "timeframe": "2026", "budget": "50000", "description": "CI exercise"},
			{},
			{"area": "ci", "norm": "none", "description": "Sector lists"},
		}},
		"I.b.3": {Rows: []map[string]string{
			{"area": "ci", "type": "training", "regions": "Pacific", "modality": "bilateral", "description": "Courses"},
		}},
	}
	wantNeeds := []Need{
		{Code: "I.a.1", Row: -1, Area: "international-law", Norm: "a", Description: "Help drafting the strategy"},
		{Code: "I.b.1", Row: -1, Area: "international-law", Norm: "a", Description: "CI law?"},
		{Code: "I.b.2", Row: 0, Area: "ci", Norm: "g", Type: "training", Priority: "high", Timeframe: "2026", Budget: "50000", Description: "CI exercise"},
		{Code: "I.b.2", Row: 2, Area: "ci", Norm: "", Description: "Sector lists"},
	}
	if got := Needs(tpl, answers); !reflect.DeepEqual(got, wantNeeds) {
		t.Errorf("Needs =\n%+v\nwant\n%+v", got, wantNeeds)
	}
	wantOffers := []Offer{{Code: "I.b.3", Row: 0, Area: "ci", Type: "training", Regions: "Pacific", Modality: "bilateral", Description: "Courses"}}
	if got := Offers(tpl, answers); !reflect.DeepEqual(got, wantOffers) {
		t.Errorf("Offers =\n%+v\nwant\n%+v", got, wantOffers)
	}
	if got := Needs(tpl, nil); len(got) != 0 {
		t.Errorf("Needs(nil) = %+v", got)
	}
}

func TestNormLabels(t *testing.T) {
	for _, n := range TagNorms {
		t.Run(n, func(t *testing.T) {
			if NormLabels[n]["en"] == "" {
				t.Errorf("no label for norm %s", n)
			}
		})
	}
}

func TestBuiltinNeedsFromAssistance(t *testing.T) {
	tpl := MustBuiltin("v1")
	answers := map[string]Value{"II.g.1": {Status: "no", AssistanceNeeded: true, AssistanceText: "Identify sectors",
		AssistanceType: "training", AssistancePriority: "high"}}
	got := Needs(tpl, answers)
	want := []Need{{Code: "II.g.1", Row: -1, Area: "critical-infrastructure", Norm: "g", CMM: "policy-strategy",
		Type: "training", Priority: "high", Description: "Identify sectors"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Needs = %+v, want %+v", got, want)
	}
}

// TestNormLabelsInSixLanguages: the one copy of the norms' short labels
// speaks every interface language, in its own script.
func TestNormLabelsInSixLanguages(t *testing.T) {
	scripts := map[string]*unicode.RangeTable{"ar": unicode.Arabic, "zh": unicode.Han, "ru": unicode.Cyrillic}
	for _, n := range TagNorms {
		l, ok := NormLabels[n]
		if !ok {
			t.Fatalf("norm (%s) has no label", n)
		}
		for _, lang := range []string{"ar", "zh", "en", "fr", "ru", "es"} {
			s := l[lang]
			if s == "" {
				t.Errorf("norm (%s) has no %s label", n, lang)
				continue
			}
			if sc, ok := scripts[lang]; ok && !strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(sc, r) }) {
				t.Errorf("norm (%s) %s label %q is not in its script", n, lang, s)
			}
		}
	}
}
