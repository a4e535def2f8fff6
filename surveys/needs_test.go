package surveys

import (
	"net/url"
	"reflect"
	"testing"
)

func TestCanMoveNeed(t *testing.T) {
	tests := []struct {
		from, to string
		want     bool
	}{
		{NeedOpen, NeedDiscussion, true},
		{NeedOpen, NeedWithdrawn, true},
		{NeedDiscussion, NeedMatched, true},
		{NeedMatched, NeedInProgress, true},
		{NeedInProgress, NeedCompleted, true},
		{NeedCompleted, NeedOpen, false},
		{NeedCompleted, NeedWithdrawn, false},
		{NeedWithdrawn, NeedOpen, true},
		{NeedWithdrawn, NeedMatched, false},
		{NeedInProgress, NeedOpen, false},
		{NeedOpen, NeedOpen, false},
		{"bogus", NeedOpen, false},
		{NeedOpen, "bogus", false},
	}
	for _, tt := range tests {
		t.Run(tt.from+"→"+tt.to, func(t *testing.T) {
			if got := CanMoveNeed(tt.from, tt.to); got != tt.want {
				t.Errorf("CanMoveNeed(%q, %q) = %v, want %v", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestRegionsServed(t *testing.T) {
	tests := []struct {
		text   string
		groups []string
		global bool
	}{
		{"Africa; Eastern Europe", []string{"African", "Eastern European"}, false},
		{"Global", nil, true},
		{"Pacific island States", []string{"Asia-Pacific"}, false},
		{"Latin America and the Caribbean", []string{"Latin American and Caribbean"}, false},
		{"", nil, true},
		{"ASEAN members and all others", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			g, gl := RegionsServed(tt.text)
			if !reflect.DeepEqual(g, tt.groups) || gl != tt.global {
				t.Errorf("RegionsServed(%q) = %v, %v; want %v, %v", tt.text, g, gl, tt.groups, tt.global)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	kenCI := MatchNeed{ID: 1, Area: "critical-infrastructure", Norm: "g", Type: "technical-assistance", StateISO3: "KEN", Group: "African"}
	fjiLaw := MatchNeed{ID: 2, Area: "international-law", Type: "training", StateISO3: "FJI", Group: "Asia-Pacific"}
	chlCrime := MatchNeed{ID: 3, Area: "cybercrime", Norm: "d", Type: "legal-drafting", StateISO3: "CHL", Group: "Latin American and Caribbean"}
	csirtAfrica := MatchOffer{ID: 10, Areas: []string{"incident-response", "critical-infrastructure"}, Types: []string{"technical-assistance"}, Groups: []string{"African"}}
	lawGlobal := MatchOffer{ID: 11, Areas: []string{"international-law"}, Types: []string{"training"}, Global: true}
	fijiOnly := MatchOffer{ID: 12, Areas: []string{"other"}, Types: []string{"training"}, States: []string{"FJI"}}
	ciNorm := MatchOffer{ID: 13, Areas: []string{"critical-infrastructure"}, Types: []string{"equipment"}}
	tests := []struct {
		name   string
		needs  []MatchNeed
		offers []MatchOffer
		limit  int
		want   []Suggestion
	}{
		{"area, norm, type and region", []MatchNeed{kenCI}, []MatchOffer{csirtAfrica}, 0,
			[]Suggestion{{NeedID: 1, OfferID: 10, Score: 9, Reasons: []string{ReasonArea, ReasonNorm, ReasonType, ReasonRegion}}}},
		{"a region alone is no reason", []MatchNeed{chlCrime}, []MatchOffer{lawGlobal, csirtAfrica}, 0, nil},
		{"ranked by score, ties by id", []MatchNeed{kenCI, fjiLaw}, []MatchOffer{csirtAfrica, lawGlobal, fijiOnly, ciNorm}, 0,
			[]Suggestion{
				{NeedID: 1, OfferID: 10, Score: 9, Reasons: []string{ReasonArea, ReasonNorm, ReasonType, ReasonRegion}},
				{NeedID: 2, OfferID: 11, Score: 6, Reasons: []string{ReasonArea, ReasonType, ReasonGlobal}},
				{NeedID: 1, OfferID: 13, Score: 5, Reasons: []string{ReasonArea, ReasonNorm}},
				{NeedID: 2, OfferID: 12, Score: 5, Reasons: []string{ReasonType, ReasonState}},
			}},
		{"limit", []MatchNeed{kenCI, fjiLaw}, []MatchOffer{csirtAfrica, lawGlobal, fijiOnly, ciNorm}, 2,
			[]Suggestion{
				{NeedID: 1, OfferID: 10, Score: 9, Reasons: []string{ReasonArea, ReasonNorm, ReasonType, ReasonRegion}},
				{NeedID: 2, OfferID: 11, Score: 6, Reasons: []string{ReasonArea, ReasonType, ReasonGlobal}},
			}},
		{"nothing to match", nil, []MatchOffer{csirtAfrica}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Suggest(tt.needs, tt.offers, tt.limit)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Suggest = %+v\nwant      %+v", got, tt.want)
			}
		})
	}
}

func TestParseAssistanceMark(t *testing.T) {
	q := &Question{Code: "II.g.1", Kind: KindStatus}
	tests := []struct {
		name     string
		form     url.Values
		want     Value
		errField string
	}{
		{"type and priority", url.Values{"II.g.1.status": {"no"}, "II.g.1.assistance": {"on"},
			"II.g.1.assistance_type": {"training"}, "II.g.1.assistance_priority": {"high"}, "II.g.1.assistance_text": {"Sector risk assessments"}},
			Value{Status: "no", AssistanceNeeded: true, AssistanceType: "training", AssistancePriority: "high", AssistanceText: "Sector risk assessments"}, ""},
		{"unknown type", url.Values{"II.g.1.assistance": {"on"}, "II.g.1.assistance_type": {"=cmd"}},
			Value{AssistanceNeeded: true, AssistanceType: "=cmd"}, "II.g.1.assistance_type"},
		{"unknown priority", url.Values{"II.g.1.assistance_priority": {"urgent"}},
			Value{AssistancePriority: "urgent"}, "II.g.1.assistance_priority"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, errs := ParseAnswer(q, tt.form)
			if !Equal(v, tt.want) {
				t.Errorf("value = %+v, want %+v", v, tt.want)
			}
			if tt.errField == "" && len(errs) > 0 {
				t.Errorf("errors %v", errs)
			}
			if tt.errField != "" && errs[tt.errField] != ErrOption {
				t.Errorf("errors %v, want %s on %s", errs, ErrOption, tt.errField)
			}
			if v.IsEmpty(KindStatus) {
				t.Errorf("a mark with only a type or priority counts as empty")
			}
		})
	}
}
