package surveys

import (
	"reflect"
	"testing"
)

func TestCompare(t *testing.T) {
	tpl := fixture(t)
	old := map[string]Value{
		"I.a.1": status("partly"),
		"I.a.2": {Text: "https://old.example"},
		"I.a.5": {Choices: []string{"x"}},
		"I.b.1": status("yes"),
		"V.a.1": {Text: "gone"},
	}
	new := map[string]Value{
		"I.a.1": status("yes"),
		"I.a.2": {Text: "https://old.example"},
		"I.a.3": status("no"),
		"I.a.4": {Text: "hidden in both reports"},
		"I.a.5": {Choices: []string{}},
		"I.b.1": status("yes"),
		"V.a.1": {Text: ""},
	}
	type row struct {
		Code     string
		Old, New Value
		Change   Change
	}
	want := []row{
		{"I.a.1", status("partly"), status("yes"), Changed},
		{"I.a.2", Value{Text: "https://old.example"}, Value{Text: "https://old.example"}, Unchanged},
		{"I.a.3", Value{}, status("no"), New},
		{"I.a.5", Value{Choices: []string{"x"}}, Value{Choices: []string{}}, Removed},
		{"I.b.1", status("yes"), status("yes"), Unchanged},
		{"V.a.1", Value{Text: "gone"}, Value{}, Removed},
	}
	var got []row
	for _, d := range Compare(tpl, old, new) {
		if d.Question == nil || d.Question.Code != d.Code {
			t.Errorf("%s: question %v", d.Code, d.Question)
		}
		got = append(got, row{d.Code, d.Old, d.New, d.Change})
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Compare =\n%+v\nwant\n%+v", got, want)
	}

	t.Run("hidden answer counts as removed", func(t *testing.T) {
		before := map[string]Value{"I.a.1": status("yes"), "I.a.2": {Text: "https://x.example"}}
		after := map[string]Value{"I.a.1": status("no"), "I.a.2": {Text: "https://x.example"}}
		diffs := Compare(tpl, before, after)
		if len(diffs) != 2 || diffs[1].Code != "I.a.2" || diffs[1].Change != Removed || !Equal(diffs[1].New, Value{}) {
			t.Errorf("diffs = %+v", diffs)
		}
	})
	t.Run("nothing answered", func(t *testing.T) {
		if diffs := Compare(tpl, nil, nil); len(diffs) != 0 {
			t.Errorf("diffs = %+v", diffs)
		}
	})
}
