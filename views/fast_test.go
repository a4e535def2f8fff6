package views

import (
	"context"
	"strings"
	"testing"

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
