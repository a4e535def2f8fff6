package surveys

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func ptr(f float64) *float64 { return &f }

var (
	qStatus  = &Question{Code: "II.g.1", Kind: KindStatus}
	qSingle  = &Question{Code: "S", Kind: KindSingle, Options: []Option{{Value: "x", Label: Text{"en": "Ex"}}, {Value: "y", Label: Text{"en": "Why"}}}}
	qMulti   = &Question{Code: "M", Kind: KindMulti, Options: qSingle.Options}
	qShort   = &Question{Code: "T", Kind: KindShort}
	qShort5  = &Question{Code: "T5", Kind: KindShort, MaxLength: 5}
	qLong    = &Question{Code: "L", Kind: KindLong}
	qNumber  = &Question{Code: "N", Kind: KindNumber, Min: ptr(2000), Max: ptr(2100)}
	qAtLeast = &Question{Code: "N", Kind: KindNumber, Min: ptr(0)}
	qAtMost  = &Question{Code: "N", Kind: KindNumber, Max: ptr(12.5)}
	qDate    = &Question{Code: "D", Kind: KindDate}
	qURL     = &Question{Code: "U", Kind: KindURL}
	qReq     = &Question{Code: "R", Kind: KindStatus, Required: true}
	qContact = &Question{Code: "C", Kind: KindContact, NeverPublish: true}
	qRows    = &Question{Code: "IV.a.4", Kind: KindRows, Columns: []Column{
		{Key: "title", Kind: KindShort, Label: Text{"en": "Title"}},
		{Key: "date", Kind: KindDate, Label: Text{"en": "Date"}},
		{Key: "link", Kind: KindURL, Label: Text{"en": "Link"}},
		{Key: "budget", Kind: KindNumber, Label: Text{"en": "Budget"}},
		{Key: "type", Kind: KindSingle, Label: Text{"en": "Type"}, Options: []Option{{Value: "training", Label: Text{"en": "Training"}}}},
	}}
)

func TestParseAnswer(t *testing.T) {
	tests := []struct {
		name     string
		q        *Question
		form     url.Values
		want     Value
		wantErrs FieldErrors
	}{
		{"status full", qStatus, url.Values{
			"II.g.1.status": {"partly"}, "II.g.1.challenges": {" Few staff \r\nand funds "},
			"II.g.1.assistance": {"on"}, "II.g.1.assistance_text": {"Training"},
		}, Value{Status: "partly", Challenges: "Few staff \nand funds", AssistanceNeeded: true, AssistanceText: "Training"}, nil},
		{"status empty", qStatus, url.Values{}, Value{}, nil},
		{"status bad value", qStatus, url.Values{"II.g.1.status": {"maybe"}},
			Value{Status: "maybe"}, FieldErrors{"II.g.1.status": ErrOption}},
		{"status challenges too long", qStatus, url.Values{"II.g.1.status": {"no"}, "II.g.1.challenges": {strings.Repeat("é", 4001)}},
			Value{Status: "no", Challenges: strings.Repeat("é", 4001)}, FieldErrors{"II.g.1.challenges": ErrTooLong}},
		{"status challenges at limit", qStatus, url.Values{"II.g.1.challenges": {strings.Repeat("é", 4000)}},
			Value{Challenges: strings.Repeat("é", 4000)}, nil},
		{"required missing", qReq, url.Values{}, Value{}, FieldErrors{"R.status": ErrRequired}},
		{"single", qSingle, url.Values{"S": {"y"}}, Value{Text: "y"}, nil},
		{"single unknown", qSingle, url.Values{"S": {"z"}}, Value{Text: "z"}, FieldErrors{"S": ErrOption}},
		{"multi keeps order, drops blanks and repeats", qMulti, url.Values{"M": {"y", "", "x", "y"}}, Value{Choices: []string{"y", "x"}}, nil},
		{"multi unknown", qMulti, url.Values{"M": {"x", "q"}}, Value{Choices: []string{"x", "q"}}, FieldErrors{"M": ErrOption}},
		{"short trimmed", qShort, url.Values{"T": {"  Cyber Act  "}}, Value{Text: "Cyber Act"}, nil},
		{"short default limit", qShort, url.Values{"T": {strings.Repeat("a", 301)}}, Value{Text: strings.Repeat("a", 301)}, FieldErrors{"T": ErrTooLong}},
		{"short own limit", qShort5, url.Values{"T5": {"abcdef"}}, Value{Text: "abcdef"}, FieldErrors{"T5": ErrTooLong}},
		{"long within limit", qLong, url.Values{"L": {strings.Repeat("a", 10000)}}, Value{Text: strings.Repeat("a", 10000)}, nil},
		{"long too long", qLong, url.Values{"L": {strings.Repeat("a", 10001)}}, Value{Text: strings.Repeat("a", 10001)}, FieldErrors{"L": ErrTooLong}},
		{"number", qNumber, url.Values{"N": {"2024"}}, Value{Text: "2024"}, nil},
		{"number not a number", qNumber, url.Values{"N": {"twenty"}}, Value{Text: "twenty"}, FieldErrors{"N": ErrNumber}},
		{"number NaN", qNumber, url.Values{"N": {"NaN"}}, Value{Text: "NaN"}, FieldErrors{"N": ErrNumber}},
		{"number below min", qNumber, url.Values{"N": {"1999.5"}}, Value{Text: "1999.5"}, FieldErrors{"N": ErrNumberRange}},
		{"number above max", qNumber, url.Values{"N": {"2101"}}, Value{Text: "2101"}, FieldErrors{"N": ErrNumberRange}},
		{"number below min only", qAtLeast, url.Values{"N": {"-1"}}, Value{Text: "-1"}, FieldErrors{"N": ErrNumberMin}},
		{"number above max only", qAtMost, url.Values{"N": {"13"}}, Value{Text: "13"}, FieldErrors{"N": ErrNumberMax}},
		{"date", qDate, url.Values{"D": {"2024-02-29"}}, Value{Text: "2024-02-29"}, nil},
		{"date invalid day", qDate, url.Values{"D": {"2023-02-29"}}, Value{Text: "2023-02-29"}, FieldErrors{"D": ErrDate}},
		{"date wrong format", qDate, url.Values{"D": {"29/02/2024"}}, Value{Text: "29/02/2024"}, FieldErrors{"D": ErrDate}},
		{"url", qURL, url.Values{"U": {"https://example.gov/strategy.pdf"}}, Value{Text: "https://example.gov/strategy.pdf"}, nil},
		{"url relative", qURL, url.Values{"U": {"example.gov/x"}}, Value{Text: "example.gov/x"}, FieldErrors{"U": ErrURL}},
		{"url javascript", qURL, url.Values{"U": {"javascript:alert(1)"}}, Value{Text: "javascript:alert(1)"}, FieldErrors{"U": ErrURL}},
		{"url ftp", qURL, url.Values{"U": {"ftp://example.gov/x"}}, Value{Text: "ftp://example.gov/x"}, FieldErrors{"U": ErrURL}},
		{"contact", qContact, url.Values{"C.contact.name": {"Cyber desk"}, "C.contact.email": {"cyber@mfa.example"}, "C.contact.languages": {"en, fr"}},
			Value{Contact: map[string]string{"name": "Cyber desk", "email": "cyber@mfa.example", "languages": "en, fr"}}, nil},
		{"contact bad email", qContact, url.Values{"C.contact.email": {"Desk <desk@mfa.example>"}},
			Value{Contact: map[string]string{"email": "Desk <desk@mfa.example>"}}, FieldErrors{"C.contact.email": ErrEmail}},
		{"contact email without dot", qContact, url.Values{"C.contact.email": {"desk@localhost"}},
			Value{Contact: map[string]string{"email": "desk@localhost"}}, FieldErrors{"C.contact.email": ErrEmail}},
		{"contact empty", qContact, url.Values{"C.contact.name": {"  "}}, Value{}, nil},
		{"rows ordered by index, empty rows dropped", qRows, url.Values{
			"IV.a.4.rows.10.title":   {"Third"},
			"IV.a.4.rows.2.title":    {"Second"},
			"IV.a.4.rows.2.type":     {"training"},
			"IV.a.4.rows.0.title":    {"First"},
			"IV.a.4.rows.0.date":     {"2020-01-01"},
			"IV.a.4.rows.1.title":    {"  "},
			"IV.a.4.rows.1.link":     {""},
			"IV.a.4.rows.3.unknown":  {"ignored"},
			"IV.a.4.rows.x.title":    {"ignored"},
			"IV.a.4.rows.1000.title": {"ignored"},
			"IV.a.4.rows.-1.title":   {"ignored"},
			"IV.a.5.rows.0.title":    {"other question"},
		}, Value{Rows: []map[string]string{
			{"title": "First", "date": "2020-01-01"},
			{"title": "Second", "type": "training"},
			{"title": "Third"},
		}}, nil},
		{"rows invalid cells keep input, errors on renumbered rows", qRows, url.Values{
			"IV.a.4.rows.0.title":  {"Fine"},
			"IV.a.4.rows.3.date":   {"soon"},
			"IV.a.4.rows.3.link":   {"www.example.org"},
			"IV.a.4.rows.5.budget": {"lots"},
			"IV.a.4.rows.5.type":   {"equipment"},
		}, Value{Rows: []map[string]string{
			{"title": "Fine"},
			{"date": "soon", "link": "www.example.org"},
			{"budget": "lots", "type": "equipment"},
		}}, FieldErrors{
			"IV.a.4.rows.1.date":   ErrDate,
			"IV.a.4.rows.1.link":   ErrURL,
			"IV.a.4.rows.2.budget": ErrNumber,
			"IV.a.4.rows.2.type":   ErrOption,
		}},
		{"rows none", qRows, url.Values{"IV.a.4.rows.0.title": {""}}, Value{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := ParseAnswer(tt.q, tt.form)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("value = %#v\nwant %#v", got, tt.want)
			}
			if !reflect.DeepEqual(errs, tt.wantErrs) {
				t.Errorf("errors = %v, want %v", errs, tt.wantErrs)
			}
		})
	}
}

func TestParseAnswerTooManyRows(t *testing.T) {
	form := url.Values{}
	for i := 0; i <= MaxRows; i++ {
		form.Set(RowField("IV.a.4", i, "title"), "x")
	}
	v, errs := ParseAnswer(qRows, form)
	if len(v.Rows) != MaxRows+1 || errs["IV.a.4"] != ErrTooManyRows {
		t.Errorf("%d rows, errors %v", len(v.Rows), errs)
	}
}

func TestFieldErrors(t *testing.T) {
	fe := FieldErrors{}
	fe.Add("II.g.1.status", ErrOption)
	fe.Add("II.g.1.status", ErrRequired) // first error wins
	fe.Merge(FieldErrors{"II.g.10": ErrURL, "II.g.1.status": ErrTooLong})
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"first error kept", fe["II.g.1.status"], ErrOption},
		{"Has", fe.Has("II.g.10"), true},
		{"Has missing", fe.Has("II.g.2"), false},
		{"HasQuestion prefix", fe.HasQuestion("II.g.1"), true},
		{"HasQuestion exact", fe.HasQuestion("II.g.10"), true},
		{"HasQuestion not a prefix of another code", fe.HasQuestion("II.g"), true},
		{"HasQuestion none", fe.HasQuestion("II.g.2"), false},
		{"Fields sorted", fe.Fields(), []string{"II.g.1.status", "II.g.10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestIsEmpty(t *testing.T) {
	tests := []struct {
		name string
		v    Value
		kind Kind
		want bool
	}{
		{"zero status", Value{}, KindStatus, true},
		{"status set", Value{Status: "no"}, KindStatus, false},
		{"only challenges", Value{Challenges: "x"}, KindStatus, false},
		{"only assistance", Value{AssistanceNeeded: true}, KindStatus, false},
		{"text", Value{Text: "x"}, KindShort, false},
		{"text for status kind ignored", Value{Text: "x"}, KindStatus, true},
		{"multi empty slice", Value{Choices: []string{}}, KindMulti, true},
		{"multi", Value{Choices: []string{"x"}}, KindMulti, false},
		{"rows of empty cells", Value{Rows: []map[string]string{{"a": ""}}}, KindRows, true},
		{"rows", Value{Rows: []map[string]string{{"a": "x"}}}, KindRows, false},
		{"contact blank", Value{Contact: map[string]string{"name": ""}}, KindContact, true},
		{"contact", Value{Contact: map[string]string{"name": "x"}}, KindContact, false},
		{"unknown kind zero", Value{}, Kind("x"), true},
		{"unknown kind", Value{Text: "x"}, Kind("x"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.v.IsEmpty(tt.kind); got != tt.want {
				t.Errorf("IsEmpty = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestEqual(t *testing.T) {
	tests := []struct {
		name string
		a, b Value
		want bool
	}{
		{"zero", Value{}, Value{}, true},
		{"nil and empty", Value{Choices: nil, Contact: nil}, Value{Choices: []string{}, Contact: map[string]string{}}, true},
		{"status differs", Value{Status: "yes"}, Value{Status: "no"}, false},
		{"challenges differ", Value{Status: "yes", Challenges: "a"}, Value{Status: "yes"}, false},
		{"assistance differs", Value{AssistanceNeeded: true}, Value{}, false},
		{"choice order matters", Value{Choices: []string{"x", "y"}}, Value{Choices: []string{"y", "x"}}, false},
		{"rows equal ignoring blank cells", Value{Rows: []map[string]string{{"a": "1", "b": ""}}}, Value{Rows: []map[string]string{{"a": "1"}}}, true},
		{"rows differ", Value{Rows: []map[string]string{{"a": "1"}}}, Value{Rows: []map[string]string{{"a": "2"}}}, false},
		{"row count differs", Value{Rows: []map[string]string{{"a": "1"}}}, Value{}, false},
		{"contact differs", Value{Contact: map[string]string{"name": "A"}}, Value{Contact: map[string]string{"name": "B"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Equal(tt.a, tt.b); got != tt.want {
				t.Errorf("Equal = %v, want %v", got, tt.want)
			}
			if got := Equal(tt.b, tt.a); got != tt.want {
				t.Errorf("Equal reversed = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSummary(t *testing.T) {
	qLabels := &Question{Code: "S", Kind: KindSingle, Options: []Option{{Value: "x", Label: Text{"en": "Ex", "fr": "Ixe"}}}}
	tests := []struct {
		name string
		q    *Question
		v    Value
		lang string
		want string
	}{
		{"empty", qStatus, Value{}, "en", ""},
		{"status", qStatus, Value{Status: "partly"}, "en", "Partly / in progress"},
		{"status full", qStatus, Value{Status: "no", Challenges: "No budget\nyet", AssistanceNeeded: true, AssistanceText: "Funding"}, "fr",
			"Non; Difficultés: No budget yet; Assistance requise: Funding"},
		{"assistance without text", qStatus, Value{AssistanceNeeded: true}, "en", "Assistance needed"},
		{"single label in language", qLabels, Value{Text: "x"}, "fr", "Ixe"},
		{"single falls back to English", qLabels, Value{Text: "x"}, "ar", "Ex"},
		{"single unknown value shown as is", qLabels, Value{Text: "gone"}, "en", "gone"},
		{"multi", qMulti, Value{Choices: []string{"y", "x"}}, "en", "Why, Ex"},
		{"long shortened", qLong, Value{Text: strings.Repeat("a", 200)}, "en", strings.Repeat("a", 119) + "…"},
		{"rows", qRows, Value{Rows: []map[string]string{{"title": "Act", "type": "training"}, {}, {"date": "2020-01-01"}}}, "en",
			"rows (2): Act / Training | 2020-01-01"},
		{"one row", qRows, Value{Rows: []map[string]string{{"title": "Act"}}}, "en", "rows (1): Act"},
		{"contact", qContact, Value{Contact: map[string]string{"email": "a@b.example", "name": "Desk"}}, "en", "Desk, a@b.example"},
		{"number", qNumber, Value{Text: "2024"}, "en", "2024"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.v.Summary(tt.q, tt.lang); got != tt.want {
				t.Errorf("Summary = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestVisible(t *testing.T) {
	tpl := fixture(t)
	tests := []struct {
		name    string
		code    string
		answers map[string]Value
		want    bool
	}{
		{"no condition", "I.a.1", nil, true},
		{"condition unanswered", "I.a.2", nil, false},
		{"condition met", "I.a.2", map[string]Value{"I.a.1": status("partly")}, true},
		{"condition not met", "I.a.2", map[string]Value{"I.a.1": status("no")}, false},
		{"chain met", "I.a.4", map[string]Value{"I.a.1": status("yes"), "I.a.3": status("yes")}, true},
		{"chain parent hidden", "I.a.4", map[string]Value{"I.a.1": status("partly"), "I.a.3": status("yes")}, false},
		{"chain own condition not met", "I.a.4", map[string]Value{"I.a.1": status("yes"), "I.a.3": status("no")}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Visible(mustQuestion(t, tpl, tt.code), tt.answers); got != tt.want {
				t.Errorf("Visible(%s) = %v, want %v", tt.code, got, tt.want)
			}
		})
	}

	// Conditions on single and multi questions, on a template built in Go
	// and linked.
	built := &Template{Parts: []Part{{Code: "I", Sections: []Section{{Code: "I.a", Questions: []Question{
		{Code: "I.a.1", Kind: KindSingle, Options: qSingle.Options},
		{Code: "I.a.2", Kind: KindMulti, Options: qSingle.Options},
		{Code: "I.a.3", Kind: KindShort, ShowWhen: &Condition{Question: "I.a.1", In: []string{"x"}}},
		{Code: "I.a.4", Kind: KindShort, ShowWhen: &Condition{Question: "I.a.2", In: []string{"y"}}},
	}}}}}}
	built.Link()
	choice := []struct {
		name    string
		code    string
		answers map[string]Value
		want    bool
	}{
		{"single met", "I.a.3", map[string]Value{"I.a.1": {Text: "x"}}, true},
		{"single not met", "I.a.3", map[string]Value{"I.a.1": {Text: "y"}}, false},
		{"status field ignored for single", "I.a.3", map[string]Value{"I.a.1": {Status: "x"}}, false},
		{"multi any choice", "I.a.4", map[string]Value{"I.a.2": {Choices: []string{"x", "y"}}}, true},
		{"multi no match", "I.a.4", map[string]Value{"I.a.2": {Choices: []string{"x"}}}, false},
	}
	// A cycle (impossible in a validated template) ends hidden, not in a loop.
	cyclic := &Template{Parts: []Part{{Code: "I", Sections: []Section{{Code: "I.a", Questions: []Question{
		{Code: "I.a.1", Kind: KindStatus, ShowWhen: &Condition{Question: "I.a.2", In: []string{"yes"}}},
		{Code: "I.a.2", Kind: KindStatus, ShowWhen: &Condition{Question: "I.a.1", In: []string{"yes"}}},
	}}}}}}
	cyclic.Link()
	if Visible(mustQuestion(t, cyclic, "I.a.1"), map[string]Value{"I.a.1": status("yes"), "I.a.2": status("yes")}) {
		t.Error("cyclic condition visible")
	}
	for _, tt := range choice {
		t.Run(tt.name, func(t *testing.T) {
			if got := Visible(mustQuestion(t, built, tt.code), tt.answers); got != tt.want {
				t.Errorf("Visible(%s) = %v, want %v", tt.code, got, tt.want)
			}
		})
	}
}

func TestMessageArgs(t *testing.T) {
	for _, tt := range []struct {
		q    *Question
		want map[string]any
	}{
		{qNumber, map[string]any{"Min": "2000", "Max": "2100"}},
		{qAtLeast, map[string]any{"Min": "0"}},
		{qAtMost, map[string]any{"Max": "12.5"}},
		{qShort, map[string]any{}},
	} {
		if got := tt.q.MessageArgs(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: MessageArgs = %v, want %v", tt.q.Code, got, tt.want)
		}
	}
}
