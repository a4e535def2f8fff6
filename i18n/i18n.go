// Package i18n translates the user interface into the six UN languages.
// Messages live in locales/LANG.json (one flat file per language, keyed by
// message id) and in locales/AREA/LANG.json for each larger feature, so
// that features add their messages without touching one shared file. All
// are embedded in the binary; a key may appear in one file only. English
// is the source.
package i18n

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
	"sync"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales
var localeFS embed.FS

// LocaleFiles lists the embedded message files of lang: locales/LANG.json
// first, then locales/AREA/LANG.json in name order.
func LocaleFiles(lang string) ([]string, error) {
	files := []string{"locales/" + lang + ".json"}
	more, err := fs.Glob(localeFS, "locales/*/"+lang+".json")
	if err != nil {
		return nil, err
	}
	sort.Strings(more)
	return append(files, more...), nil
}

// Languages are the supported interface languages, in the order the UN lists them.
var Languages = []string{"ar", "zh", "en", "fr", "ru", "es"}

// Names are the languages' own names, for the language switcher.
var Names = map[string]string{
	"ar": "العربية", "zh": "中文", "en": "English", "fr": "Français", "ru": "Русский", "es": "Español",
}

var (
	bundleOnce sync.Once
	bundle     *goi18n.Bundle
	bundleErr  error
	matcher    = language.NewMatcher([]language.Tag{
		language.English, language.Arabic, language.Chinese, language.French, language.Russian, language.Spanish,
	})
)

// Bundle returns the message bundle, loading the embedded files once.
func Bundle() (*goi18n.Bundle, error) {
	bundleOnce.Do(func() {
		b := goi18n.NewBundle(language.English)
		b.RegisterUnmarshalFunc("json", json.Unmarshal)
		for _, l := range Languages {
			files, err := LocaleFiles(l)
			if err != nil {
				bundleErr = fmt.Errorf("i18n: %w", err)
				return
			}
			for _, f := range files {
				if _, err := b.LoadMessageFileFS(localeFS, f); err != nil {
					bundleErr = fmt.Errorf("i18n: %s: %w", f, err)
					return
				}
			}
		}
		bundle = b
	})
	return bundle, bundleErr
}

// Supported reports whether lang is one of the six languages.
func Supported(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// Match picks the best supported language for an Accept-Language header.
func Match(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return "en"
	}
	_, idx, conf := matcher.Match(tags...)
	if conf == language.No {
		return "en"
	}
	return []string{"en", "ar", "zh", "fr", "ru", "es"}[idx]
}

// Dir returns "rtl" for right-to-left languages and "ltr" otherwise.
func Dir(lang string) string {
	if lang == "ar" {
		return "rtl"
	}
	return "ltr"
}

// Printer translates messages into one language. There is one per
// language, shared by every request: it is safe for concurrent use.
type Printer struct {
	Lang  string
	loc   *goi18n.Localizer
	plain sync.Map // message id → text, for messages rendered without data
}

var (
	printersOnce sync.Once
	printers     map[string]*Printer
)

// NewPrinter returns the printer for lang (English if lang is unsupported).
func NewPrinter(lang string) *Printer {
	if !Supported(lang) {
		lang = "en"
	}
	printersOnce.Do(func() {
		printers = map[string]*Printer{}
		b, err := Bundle()
		for _, l := range Languages {
			if err != nil {
				// The embedded files are checked by tests; fall back to message ids.
				printers[l] = &Printer{Lang: l}
				continue
			}
			printers[l] = &Printer{Lang: l, loc: goi18n.NewLocalizer(b, l, "en")}
		}
	})
	return printers[lang]
}

// T translates id; data fills {{.Name}} placeholders. A missing message
// shows its id, so a gap is visible rather than silent. Messages without
// data are rendered once and remembered: pages ask for dozens of them.
func (p *Printer) T(id string, data ...map[string]any) string {
	if p == nil || p.loc == nil {
		return id
	}
	if len(data) == 0 {
		if s, ok := p.plain.Load(id); ok {
			return s.(string)
		}
	}
	cfg := &goi18n.LocalizeConfig{MessageID: id}
	if len(data) > 0 {
		cfg.TemplateData = data[0]
	}
	s, err := p.loc.Localize(cfg)
	if err != nil || s == "" {
		// Not cached: ids can come from requests (a flash cookie), and
		// only the catalogue's own ids may fill the cache.
		return id
	}
	if len(data) == 0 {
		p.plain.Store(id, s)
	}
	return s
}

type ctxKey struct{}

// WithPrinter returns a context that carries p.
func WithPrinter(ctx context.Context, p *Printer) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// From returns the printer of ctx, English if none.
func From(ctx context.Context) *Printer {
	if p, ok := ctx.Value(ctxKey{}).(*Printer); ok {
		return p
	}
	return NewPrinter("en")
}

// T translates id in the language of ctx.
func T(ctx context.Context, id string, data ...map[string]any) string {
	return From(ctx).T(id, data...)
}

// Lang returns the language of ctx.
func Lang(ctx context.Context) string { return From(ctx).Lang }

// FromRequest chooses the language of a request: ?lang=, then the "lang"
// cookie, then Accept-Language.
func FromRequest(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); Supported(l) {
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && Supported(c.Value) {
		return c.Value
	}
	return Match(r.Header.Get("Accept-Language"))
}
