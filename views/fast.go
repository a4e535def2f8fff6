package views

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/a-h/templ"

	"github.com/natreport/natreport/surveys"
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
	s, err := renderEscaped(ctx, c())
	if err != nil {
		// Rendering these fixed fragments cannot fail; if it did, show
		// nothing rather than keep a broken one.
		return ""
	}
	fragments.Lock()
	fragments.m[k] = s
	fragments.Unlock()
	return s
}

// renderEscaped is the HTML c renders, to keep.
func renderEscaped(ctx context.Context, c templ.Component) (escaped, error) {
	var b strings.Builder
	err := c.Render(ctx, &b)
	return escaped(b.String()), err
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
		if h, err := renderEscaped(ctx, render()); err == nil {
			return h
		}
		return ""
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

// A section page is mostly its questions, and a question's HTML depends
// only on the language, the question and how it stands (its value,
// version, carried label, visibility): after a change, a page is drawn
// again around the one answer that changed. Kept questions hold that
// HTML, keyed by all of it (the value as JSON, exactly), within a bound;
// a question with errors or a conflict is drawn every time.

// keptQuestionsLimit bounds the bytes of kept question HTML and keys.
const keptQuestionsLimit = 32 << 20

var keptQuestions = struct {
	sync.Mutex
	m     map[string]escaped
	bytes int
}{m: map[string]escaped{}}

// keptQuestion is the question drawn by draw ("form" or "read" for what)
// as kept, drawing and keeping it the first time.
func keptQuestion(ctx context.Context, what string, qv QuestionView, draw func(QuestionView) templ.Component) templ.Component {
	if len(qv.Errors) > 0 || qv.Conflict != nil {
		return draw(qv)
	}
	value, err := json.Marshal(qv.Value)
	id := questionIdentity(qv.Q)
	if err != nil || id == "" {
		return draw(qv)
	}
	var b strings.Builder
	b.Grow(64 + len(value))
	for _, s := range []string{Lang(ctx), what, qv.Q.Code, id,
		Itoa(qv.Version), qv.Shown, qv.Carried, strconv.FormatBool(qv.Visible), strconv.FormatBool(qv.NotShared)} {
		b.WriteString(s)
		b.WriteByte(0)
	}
	b.Write(value)
	key := b.String()
	keptQuestions.Lock()
	h, ok := keptQuestions.m[key]
	keptQuestions.Unlock()
	if ok {
		return h
	}
	h, err = renderEscaped(ctx, draw(qv))
	if err != nil {
		return draw(qv)
	}
	keptQuestions.Lock()
	defer keptQuestions.Unlock()
	if _, ok := keptQuestions.m[key]; !ok {
		keptQuestions.m[key] = h
		keptQuestions.bytes += len(key) + len(h)
	}
	for k, old := range keptQuestions.m {
		if keptQuestions.bytes <= keptQuestionsLimit {
			break
		}
		keptQuestions.bytes -= len(k) + len(old)
		delete(keptQuestions.m, k)
	}
	return h
}

// questionIDs maps each question seen to the hash of all it says (its
// texts, options and rules), so that kept questions of two templates, or
// of a question and another at the same address, never mix. The map holds the pointer,
// so its memory is not reused by another question meanwhile. Questions
// are never changed once their template is parsed.
var questionIDs sync.Map // *surveys.Question → string

func questionIdentity(q *surveys.Question) string {
	if id, ok := questionIDs.Load(q); ok {
		return id.(string)
	}
	b, err := json.Marshal(q)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	id := hex.EncodeToString(sum[:16])
	questionIDs.Store(q, id)
	return id
}
