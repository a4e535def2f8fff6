package views

import (
	"context"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/a-h/templ"
)

// The section form repeats the same labels and option lists for every
// question: a section of status questions showed each translated label,
// and each list of assistance types and priorities, once per question,
// every one through templ's string conversion (fmt) and escaping. What
// depends only on the language (and on which option is selected) is
// rendered once, escaped by templ itself, and kept.

// escaped is HTML escaped by templ, written as it is.
type escaped string

// Render writes the HTML.
func (e escaped) Render(_ context.Context, w io.Writer) error {
	_, err := io.WriteString(w, string(e))
	return err
}

// fragmentKey names a kept fragment: the language, what it is, and the
// selected value of a list.
type fragmentKey struct{ lang, what, selected string }

var fragments = struct {
	sync.RWMutex
	m map[fragmentKey]escaped
}{m: map[fragmentKey]escaped{}}

// fragment returns the kept fragment k, rendering it with c the first time.
func fragment(ctx context.Context, k fragmentKey, c func() templ.Component) escaped {
	fragments.RLock()
	s, ok := fragments.m[k]
	fragments.RUnlock()
	if ok {
		return s
	}
	var b strings.Builder
	if err := c().Render(ctx, &b); err != nil {
		// Rendering these fixed fragments cannot fail; if it did, show
		// nothing rather than keep a broken one.
		return ""
	}
	s = escaped(b.String())
	fragments.Lock()
	fragments.m[k] = s
	fragments.Unlock()
	return s
}

// tr is the translation of a message id without arguments, escaped.
func tr(ctx context.Context, id string) escaped {
	return fragment(ctx, fragmentKey{lang: Lang(ctx), what: id}, func() templ.Component { return templ.Raw(templ.EscapeString(T(ctx, id))) })
}

// typeOptionList is the <option>s of the assistance types, sel selected.
func typeOptionList(ctx context.Context, sel string) escaped {
	return optionList(ctx, "#types", typeOptions(), typeText, sel)
}

// priorityOptionList is the <option>s of the priorities, sel selected.
func priorityOptionList(ctx context.Context, sel string) escaped {
	return optionList(ctx, "#priorities", priorityOptions(), priorityText, sel)
}

// optionList is the <option>s of a fixed list, sel selected. Only a
// selected value of the list (or none) is kept: a form coming back with
// a refused value must not add a kept fragment per value posted.
func optionList(ctx context.Context, what string, values []string, text func(context.Context, string) string, sel string) escaped {
	render := func() templ.Component { return fixedOptions(values, text, sel) }
	if sel != "" && !slices.Contains(values, sel) {
		var b strings.Builder
		if err := render().Render(ctx, &b); err != nil {
			return ""
		}
		return escaped(b.String())
	}
	return fragment(ctx, fragmentKey{lang: Lang(ctx), what: what, selected: sel}, render)
}

// autoDir is fieldAttrs of a field without an error: shared, never changed.
var autoDir = templ.OrderedAttributes{{Key: "dir", Value: "auto"}}

// answerStatusKey is the message id of an answer status.
func answerStatusKey(st string) string {
	if k, ok := answerStatusKeys[st]; ok {
		return k
	}
	return "answer." + st
}

var answerStatusKeys = func() map[string]string {
	m := map[string]string{}
	for _, st := range statusOptions() {
		m[st] = "answer." + st
	}
	return m
}()

// spaceTr is tr after a space (a label's text after its input).
func spaceTr(ctx context.Context, id string) escaped {
	return fragment(ctx, fragmentKey{lang: Lang(ctx), what: id, selected: " "}, func() templ.Component { return templ.Raw(" " + templ.EscapeString(T(ctx, id))) })
}
