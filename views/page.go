// Package views holds the server-rendered pages of natreport as templ
// components. Views take typed parameters, never database handles.
package views

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/natreport/natreport/i18n"
	"github.com/natreport/natreport/surveys"
)

// Viewer is the signed-in person as the layout needs them (nil when anonymous).
type Viewer struct {
	ID        int64
	Name      string
	Email     string
	Role      string
	StateISO3 string
	StateName string
}

// Page carries what the layout needs on every page.
type Page struct {
	Title  string
	Viewer *Viewer
	Flash  string
	Alert  string // a problem with what was just sent, above the page
	Path   string // the request path, for the language switcher
	Wide   bool
}

// Is reports whether the viewer has one of roles.
func (v *Viewer) Is(roles ...string) bool {
	if v == nil {
		return false
	}
	for _, r := range roles {
		if v.Role == r {
			return true
		}
	}
	return false
}

// T translates a message id in the language of ctx.
func T(ctx context.Context, id string, data ...map[string]any) string {
	return i18n.T(ctx, id, data...)
}

// Lang is the interface language of ctx.
func Lang(ctx context.Context) string { return i18n.Lang(ctx) }

// Dir is the text direction of the interface language of ctx.
func Dir(ctx context.Context) string { return i18n.Dir(i18n.Lang(ctx)) }

// Date writes a date as the page's language writes dates.
func Date(ctx context.Context, t time.Time) string { return i18n.FormatDate(Lang(ctx), t) }

// DatePtr writes an optional date as Date does.
func DatePtr(ctx context.Context, t *time.Time) string {
	if t == nil {
		return ""
	}
	return Date(ctx, *t)
}

// DateTime writes a time in UTC to the minute, as the page's language
// writes dates and times.
func DateTime(ctx context.Context, t time.Time) string { return i18n.FormatDateTime(Lang(ctx), t) }

// ISODate formats a date as ISO 8601, the form date inputs take.
func ISODate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// ISODatePtr formats an optional date as ISODate does.
func ISODatePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return ISODate(*t)
}

// Itoa formats an integer.
func Itoa[T ~int | ~int64](n T) string { return fmt.Sprint(n) }

// RoleLabel translates a role name.
func RoleLabel(ctx context.Context, role string) string { return T(ctx, "role."+role) }

// LangLink is one entry of the language switcher.
type LangLink struct {
	Code, Name string
	Current    bool
}

// LangLinks lists the six languages for the switcher.
func LangLinks(ctx context.Context) []LangLink {
	cur := Lang(ctx)
	out := make([]LangLink, 0, len(i18n.Languages))
	for _, l := range i18n.Languages {
		out = append(out, LangLink{Code: l, Name: i18n.Names[l], Current: l == cur})
	}
	return out
}

// invalidAttrs marks a field invalid and points to its message when it has an error.
func invalidAttrs(errs map[string]string, name string) templ.Attributes {
	if _, ok := errs[name]; ok {
		return templ.Attributes{"aria-invalid": "true", "aria-describedby": name + "-error"}
	}
	return templ.Attributes{}
}

// GroupLabel translates a UN regional group name ("" for none).
// GroupValue is how a board filter names a regional group: the group
// itself, or "none" for the States in no group.
func GroupValue(group string) string {
	if group == "" {
		return "none"
	}
	return group
}

func GroupLabel(ctx context.Context, group string) string {
	switch group {
	case "":
		return T(ctx, "group.none")
	case "African":
		return T(ctx, "group.african")
	case "Asia-Pacific":
		return T(ctx, "group.asia_pacific")
	case "Eastern European":
		return T(ctx, "group.eastern_european")
	case "Latin American and Caribbean":
		return T(ctx, "group.grulac")
	case "Western European and Others":
		return T(ctx, "group.weog")
	}
	return group
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

func columnLabels(ctx context.Context, cols []surveys.Column) string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Label.In(Lang(ctx))
	}
	return strings.Join(out, " · ")
}

// tagLine renders a question's tags compactly ("Norm (g) · CMM legal-regulatory · national").
func tagLine(ctx context.Context, t surveys.Tags) string {
	var parts []string
	for _, n := range t.Norms {
		parts = append(parts, T(ctx, "print.norm")+" ("+n+")")
	}
	for _, c := range t.CMM {
		parts = append(parts, "CMM "+c)
	}
	for _, g := range t.GCI {
		parts = append(parts, "GCI "+g)
	}
	parts = append(parts, t.Level...)
	return strings.Join(parts, " · ")
}
