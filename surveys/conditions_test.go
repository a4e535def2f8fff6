package surveys

import (
	"slices"
	"testing"
)

func TestConditions(t *testing.T) {
	// I.a.4 depends on I.a.3, which depends on I.a.1 in another section:
	// both are needed to decide whether I.a.4 shows.
	tpl := &Template{Parts: []Part{{Code: "I", Sections: []Section{
		{Code: "I.a", Questions: []Question{{Code: "I.a.1", Kind: KindStatus}}},
		{Code: "I.b", Questions: []Question{
			{Code: "I.a.3", Kind: KindStatus, ShowWhen: &Condition{Question: "I.a.1", In: []string{"yes"}}},
			{Code: "I.a.4", Kind: KindShort, ShowWhen: &Condition{Question: "I.a.3", In: []string{"yes"}}},
			{Code: "I.a.5", Kind: KindShort, ShowWhen: &Condition{Question: "I.a.3", In: []string{"no"}}},
			{Code: "I.a.6", Kind: KindShort},
		}},
	}}}}
	tpl.Link()
	secs := tpl.Sections()
	if got := Conditions(secs[0]); len(got) != 0 {
		t.Errorf("section without conditions: %v", got)
	}
	got := Conditions(secs[1])
	slices.Sort(got)
	if want := []string{"I.a.1", "I.a.3"}; !slices.Equal(got, want) {
		t.Errorf("Conditions = %v, want %v", got, want)
	}
	if Conditions(nil) != nil {
		t.Error("nil section")
	}
	// The values of those questions alone decide visibility as all would.
	all := map[string]Value{"I.a.1": status("yes"), "I.a.3": status("yes"), "I.a.6": {Text: "x"}}
	some := map[string]Value{}
	for _, c := range got {
		some[c] = all[c]
	}
	for _, code := range []string{"I.a.3", "I.a.4", "I.a.5"} {
		q := mustQuestion(t, tpl, code)
		if Visible(q, all) != Visible(q, some) {
			t.Errorf("%s: visibility differs with only the conditions' values", code)
		}
	}
}
