package views

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/a-h/templ"

	"github.com/natreport/natreport/surveys"
)

func statusOptions() []string { return surveys.StatusValues }

func statusText(ctx context.Context, st string) string { return T(ctx, "answer."+st) }

func optionText(ctx context.Context, opts []surveys.Option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label.In(Lang(ctx))
		}
	}
	return v
}

func hasChoice(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// joinSources lists a question's sources, marking those that are not an
// agreed text as illustrative practice.
func joinSources(ctx context.Context, s []string) string {
	out := make([]string, len(s))
	for i, ref := range s {
		out[i] = ref
		if !surveys.AgreedSource(ref) {
			out[i] += " (" + T(ctx, "template.practice") + ")"
		}
	}
	return strings.Join(out, "; ")
}

// joinLines puts one item a line, as a textarea shows a list of links.
func joinLines(s []string) string { return strings.Join(s, "\n") }

// withBlankRow adds one empty row for a new entry.
func withBlankRow(rows []map[string]string) []map[string]string {
	out := append([]map[string]string(nil), rows...)
	return append(out, map[string]string{})
}

// inputType maps a question or column kind to an input type. Numbers are
// text fields with a decimal keyboard, so the server, not the browser,
// explains what is wrong with them.
func inputType(k surveys.Kind) string {
	switch k {
	case surveys.KindDate:
		return "date"
	case surveys.KindURL:
		return "url"
	}
	return "text"
}

func contactType(f string) string {
	switch f {
	case "email":
		return "email"
	case "phone":
		return "tel"
	}
	return "text"
}

// fieldAttrs marks a field invalid and links it to its message. Every
// field takes the direction of what is typed in it (dir="auto"), so that
// Latin text typed on an Arabic page keeps its punctuation where it belongs.
// The attributes are in the order of their names.
func fieldAttrs(errs surveys.FieldErrors, name string) templ.OrderedAttributes {
	if _, ok := errs[name]; ok {
		return templ.OrderedAttributes{{Key: "aria-describedby", Value: "e-" + name}, {Key: "aria-invalid", Value: "true"}, {Key: "dir", Value: "auto"}}
	}
	return autoDir
}

// scalarAttrs adds the input hints of a one-line question.
func scalarAttrs(q *surveys.Question, errs surveys.FieldErrors) templ.OrderedAttributes {
	a := fieldAttrs(errs, q.Code)
	if q.Kind != surveys.KindNumber && q.Kind != surveys.KindURL {
		return a
	}
	a = append(templ.OrderedAttributes(nil), a...) // autoDir is shared
	if q.Kind == surveys.KindNumber {
		a = append(a, templ.KeyValue[string, any]{Key: "inputmode", Value: "decimal"})
	}
	if q.Kind == surveys.KindURL {
		a = append(a, templ.KeyValue[string, any]{Key: "placeholder", Value: "https://"})
	}
	return a
}

// showWhenAttr encodes a question's display condition for the page script.
func showWhenAttr(q *surveys.Question) string {
	if q.ShowWhen == nil {
		return ""
	}
	b, _ := json.Marshal(q.ShowWhen)
	return string(b)
}

// safeLink reports whether s is an http(s) link that may be a href.
func safeLink(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

// commentErrors is the comment form's field error, if any.
func commentErrors(d SectionData) map[string]string {
	if d.CommentError == "" {
		return nil
	}
	return map[string]string{"comment-body": d.CommentError}
}
