package views

import (
	"context"
	"strings"
	"testing"

	"github.com/a-h/templ"

	"github.com/natreport/natreport/i18n"
	"github.com/natreport/natreport/surveys"
)

// TestOptionListKeepsOnlyListedValues: the kept option lists grow with the
// languages and the values of the list, never with values posted in a
// refused form, which are still shown.
func TestOptionListKeepsOnlyListedValues(t *testing.T) {
	ctx := context.Background()
	size := func() int {
		fragments.RLock()
		defer fragments.RUnlock()
		return len(fragments.m)
	}
	typeOptionList(ctx, surveys.AssistanceTypes[0])
	before := size()
	for _, bogus := range []string{"not-a-type-1", "not-a-type-2", "<script>"} {
		out := string(typeOptionList(ctx, bogus))
		if !strings.Contains(out, `value="`+surveys.AssistanceTypes[0]+`"`) {
			t.Errorf("the list lacks its options: %.200s", out)
		}
		if strings.Contains(out, "<script>") {
			t.Errorf("a posted value is written unescaped: %.200s", out)
		}
	}
	if got := size(); got != before {
		t.Errorf("%d fragments kept after refused values, want %d", got, before)
	}
	first := typeOptionList(ctx, surveys.AssistanceTypes[1])
	if again := typeOptionList(ctx, surveys.AssistanceTypes[1]); again != first || size() != before+1 {
		t.Errorf("a listed value is not kept once: %d fragments, want %d", size(), before+1)
	}
}

// TestKeptQuestionsMatchDrawn: every question of the built-in templates,
// in every language, in several states one after another, comes out of
// keptQuestion (drawn, then kept) exactly as drawn directly, so a changed
// value, version or visibility is never answered with the HTML kept for
// the one before; a
// question with errors or a conflict is never kept.
func TestKeptQuestionsMatchDrawn(t *testing.T) {
	tmpls, err := surveys.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	render := func(ctx context.Context, c templ.Component) string {
		var b strings.Builder
		if err := c.Render(ctx, &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	states := []QuestionView{
		{Visible: true},
		{Visible: true, Version: 1, Shown: "a", Value: surveys.Value{Status: "yes", Challenges: "First <text>"}},
		{Visible: true, Version: 2, Shown: "b", Value: surveys.Value{Status: "yes", Challenges: "Second text"}},
		{Visible: true, Version: 2, Shown: "b", Value: surveys.Value{Status: "yes", Challenges: "Second text", Text: "مرحبا"}},
		{Visible: false, Version: 2, Shown: "b", Value: surveys.Value{Status: "yes", Challenges: "Second text"}},
		{Visible: true, Version: 3, Shown: "c", Carried: "2024-2025", NotShared: true},
	}
	for _, lang := range i18n.Languages {
		ctx := i18n.WithPrinter(context.Background(), i18n.NewPrinter(lang))
		for _, tm := range tmpls {
			for _, q := range tm.AllQuestions() {
				for i, st := range states {
					st.Q = q
					for _, d := range []struct {
						what string
						draw func(QuestionView) templ.Component
					}{{"form", questionForm}, {"read", questionRead}} {
						want := render(ctx, d.draw(st))
						for range 2 {
							if got := render(ctx, keptQuestion(ctx, d.what, st, d.draw)); got != want {
								t.Fatalf("%s %s %s state %d: kept %q, drawn %q", lang, q.Code, d.what, i, got, want)
							}
						}
					}
				}
			}
		}
	}
	keptQuestions.Lock()
	n := len(keptQuestions.m)
	keptQuestions.Unlock()
	q := tmpls["v1"].AllQuestions()[0]
	for _, st := range []QuestionView{
		{Q: q, Visible: true, Errors: surveys.FieldErrors{q.Code + ".status": "form.invalid"}},
		{Q: q, Visible: true, Conflict: &Conflict{Mine: "a", Theirs: "b", By: "Someone"}},
	} {
		render(context.Background(), keptQuestion(context.Background(), "form", st, questionForm))
	}
	keptQuestions.Lock()
	defer keptQuestions.Unlock()
	if len(keptQuestions.m) != n {
		t.Errorf("a question with errors or a conflict was kept")
	}
}
