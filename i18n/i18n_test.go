package i18n

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"text/template"
	"unicode"
)

// loadLocale reads every embedded message file of lang (the main one and
// each feature's), failing on a key that appears twice, in one file or
// across files (encoding/json would silently keep the last one).
func loadLocale(t *testing.T, lang string) map[string]string {
	t.Helper()
	files, err := LocaleFiles(lang)
	if err != nil {
		t.Fatalf("%s: %v", lang, err)
	}
	m := map[string]string{}
	for _, f := range files {
		for k, v := range loadLocaleFile(t, f) {
			if _, dup := m[k]; dup {
				t.Errorf("%s: key %q is already defined in another file of %s", f, k, lang)
			}
			m[k] = v
		}
	}
	return m
}

// loadLocaleFile reads one embedded message file, failing on duplicate keys.
func loadLocaleFile(t *testing.T, name string) map[string]string {
	t.Helper()
	b, err := localeFS.ReadFile(name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("%s: want a JSON object, got %v (%v)", name, tok, err)
	}
	m := map[string]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		key := tok.(string)
		var val string
		if err := dec.Decode(&val); err != nil {
			t.Fatalf("%s: %q: want a string: %v", name, key, err)
		}
		if _, dup := m[key]; dup {
			t.Errorf("%s: key %q appears twice", name, key)
		}
		m[key] = val
	}
	if _, err := dec.Token(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("%s: trailing data after the object", name)
	}
	return m
}

// translations are the languages other than English.
func translations() []string {
	var ls []string
	for _, l := range Languages {
		if l != "en" {
			ls = append(ls, l)
		}
	}
	return ls
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func TestLanguages(t *testing.T) {
	want := []string{"ar", "zh", "en", "fr", "ru", "es"}
	if !slices.Equal(Languages, want) {
		t.Errorf("Languages = %v, want %v", Languages, want)
	}
	for _, l := range Languages {
		if !Supported(l) {
			t.Errorf("Supported(%q) = false", l)
		}
		if Names[l] == "" {
			t.Errorf("Names[%q] is empty", l)
		}
	}
	for _, l := range []string{"", "de", "EN", "fr-FR", "zh-Hans"} {
		if Supported(l) {
			t.Errorf("Supported(%q) = true", l)
		}
	}
	if _, err := Bundle(); err != nil {
		t.Fatalf("Bundle: %v", err)
	}
}

func TestSameKeys(t *testing.T) {
	en := loadLocale(t, "en")
	if len(en) == 0 {
		t.Fatal("en.json has no messages")
	}
	for _, lang := range translations() {
		t.Run(lang, func(t *testing.T) {
			m := loadLocale(t, lang)
			var missing, extra []string
			for k := range en {
				if _, ok := m[k]; !ok {
					missing = append(missing, k)
				}
			}
			for k := range m {
				if _, ok := en[k]; !ok {
					extra = append(extra, k)
				}
			}
			sort.Strings(missing)
			sort.Strings(extra)
			if len(missing) > 0 {
				t.Errorf("%s.json lacks %d keys of en.json: %s", lang, len(missing), strings.Join(missing, ", "))
			}
			if len(extra) > 0 {
				t.Errorf("%s.json has %d keys that en.json lacks: %s", lang, len(extra), strings.Join(extra, ", "))
			}
		})
	}
}

func TestNoEmptyMessages(t *testing.T) {
	for _, lang := range Languages {
		m := loadLocale(t, lang)
		for _, k := range sortedKeys(m) {
			if strings.TrimSpace(m[k]) == "" {
				t.Errorf("%s: %q is empty", lang, k)
			}
		}
	}
}

var (
	goPlaceholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)
	jsPlaceholder = regexp.MustCompile(`\{(\w+)\}`) // filled in by static/app.js, e.g. {time}
)

// placeholders returns the sorted Go template fields ({{.N}}) and script
// fields ({time}) of s, and whether s holds other template syntax.
func placeholders(s string) (goFields, jsFields []string, stray bool) {
	for _, m := range goPlaceholder.FindAllStringSubmatch(s, -1) {
		goFields = append(goFields, m[1])
	}
	rest := goPlaceholder.ReplaceAllString(s, "")
	stray = strings.Contains(rest, "{{") || strings.Contains(rest, "}}")
	for _, m := range jsPlaceholder.FindAllStringSubmatch(rest, -1) {
		jsFields = append(jsFields, m[1])
	}
	sort.Strings(goFields)
	sort.Strings(jsFields)
	return slices.Compact(goFields), slices.Compact(jsFields), stray
}

func TestPlaceholderHelper(t *testing.T) {
	tests := []struct {
		in          string
		goFields    []string
		jsFields    []string
		wantStrayed bool
	}{
		{"{{.N}} States", []string{"N"}, nil, false},
		{"Opens {{.Opens}} · due {{ .Due }} · {{.Opens}}", []string{"Due", "Opens"}, nil, false},
		{"Saved at {time}", nil, []string{"time"}, false},
		{"{{.N} broken", nil, nil, true},
		{"{{N}}", nil, []string{"N"}, true}, // flagged as stray either way
		{"plain", nil, nil, false},
	}
	for _, tt := range tests {
		g, j, s := placeholders(tt.in)
		if !slices.Equal(g, tt.goFields) || !slices.Equal(j, tt.jsFields) || s != tt.wantStrayed {
			t.Errorf("placeholders(%q) = %v, %v, %v; want %v, %v, %v", tt.in, g, j, s, tt.goFields, tt.jsFields, tt.wantStrayed)
		}
	}
}

func TestSamePlaceholders(t *testing.T) {
	en := loadLocale(t, "en")
	for _, lang := range Languages {
		t.Run(lang, func(t *testing.T) {
			m := loadLocale(t, lang)
			for _, k := range sortedKeys(m) {
				src, ok := en[k]
				if !ok {
					continue // reported by TestSameKeys
				}
				wantGo, wantJS, _ := placeholders(src)
				gotGo, gotJS, stray := placeholders(m[k])
				if stray {
					t.Errorf("%s %q: malformed template braces in %q", lang, k, m[k])
				}
				if !slices.Equal(gotGo, wantGo) {
					t.Errorf("%s %q: placeholders %v, English has %v", lang, k, gotGo, wantGo)
				}
				if !slices.Equal(gotJS, wantJS) {
					t.Errorf("%s %q: script placeholders %v, English has %v", lang, k, gotJS, wantJS)
				}
			}
		})
	}
}

// untranslatable are messages that may read the same in every language.
var untranslatable = map[string]bool{
	"natreport": true,
	"CSV":       true,
	"PDF":       true,
	"ZIP":       true,
	"ISO":       true,
	"CERT":      true,
	"URL":       true,
}

// mayStayEnglish reports whether s needs no translation: a listed name or
// code, or nothing but placeholders, digits, punctuation and symbols.
func mayStayEnglish(s string) bool {
	if untranslatable[s] {
		return true
	}
	rest := goPlaceholder.ReplaceAllString(s, "")
	rest = strings.ReplaceAll(rest, "YYYY-MM-DD", "")
	return !strings.ContainsFunc(rest, unicode.IsLetter)
}

// scripts are the writing systems a translation must use.
var scripts = map[string]*unicode.RangeTable{
	"ar": unicode.Arabic,
	"zh": unicode.Han,
	"ru": unicode.Cyrillic,
}

func TestTranslated(t *testing.T) {
	en := loadLocale(t, "en")
	for _, lang := range []string{"ar", "zh", "ru"} {
		t.Run(lang, func(t *testing.T) {
			m := loadLocale(t, lang)
			var same []string
			for _, k := range sortedKeys(m) {
				if mayStayEnglish(m[k]) {
					continue
				}
				if m[k] == en[k] {
					same = append(same, k)
					continue
				}
				if !strings.ContainsFunc(m[k], func(r rune) bool { return unicode.Is(scripts[lang], r) }) {
					t.Errorf("%s %q has no %s letters: %q", lang, k, lang, m[k])
				}
			}
			if len(same) > 0 {
				t.Errorf("%s: %d messages are identical to English (not translated): %s", lang, len(same), strings.Join(same, ", "))
			}
		})
	}
	// French and Spanish share many words with English (Total, Question,
	// Version, No); a large share of identical messages means a copy.
	for _, lang := range []string{"fr", "es"} {
		t.Run(lang, func(t *testing.T) {
			m := loadLocale(t, lang)
			var same []string
			for _, k := range sortedKeys(m) {
				if m[k] == en[k] && !mayStayEnglish(m[k]) {
					same = append(same, k)
				}
			}
			if len(same)*10 > len(en) {
				t.Errorf("%s: %d of %d messages are identical to English: %s", lang, len(same), len(en), strings.Join(same, ", "))
			}
		})
	}
}

func TestMayStayEnglish(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"natreport", true},
		{"{{.N}}", true},
		{"{{.N}} / {{.M}}", true},
		{"YYYY-MM-DD", true},
		{"PDF", true},
		{"Home", false},
		{"{{.N}} States", false},
		{"Enter a date as YYYY-MM-DD.", false},
	}
	for _, tt := range tests {
		if got := mayStayEnglish(tt.in); got != tt.want {
			t.Errorf("mayStayEnglish(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// sampleData gives every placeholder of en.json a recognisable value.
func sampleData(en map[string]string) map[string]any {
	data := map[string]any{}
	for _, s := range en {
		fields, _, _ := placeholders(s)
		for _, f := range fields {
			data[f] = "<" + f + ">"
		}
	}
	data["N"] = 193
	return data
}

// TestPrinterRendersEveryMessage checks that the bundle serves each
// language's own text for every key, with the placeholders filled in.
func TestPrinterRendersEveryMessage(t *testing.T) {
	en := loadLocale(t, "en")
	data := sampleData(en)
	for _, lang := range Languages {
		t.Run(lang, func(t *testing.T) {
			p := NewPrinter(lang)
			if p.Lang != lang {
				t.Fatalf("NewPrinter(%q).Lang = %q", lang, p.Lang)
			}
			m := loadLocale(t, lang)
			for _, k := range sortedKeys(en) {
				src, ok := m[k]
				if !ok {
					continue // reported by TestSameKeys
				}
				tmpl, err := template.New(k).Parse(src)
				if err != nil {
					t.Errorf("%s %q: %v", lang, k, err)
					continue
				}
				var want strings.Builder
				if err := tmpl.Execute(&want, data); err != nil {
					t.Errorf("%s %q: %v", lang, k, err)
					continue
				}
				got := p.T(k, data)
				if got != want.String() {
					t.Errorf("%s T(%q) = %q, want %q", lang, k, got, want.String())
				}
				if strings.Contains(got, "{{") || strings.Contains(got, "<no value>") {
					t.Errorf("%s T(%q) = %q: placeholder not filled", lang, k, got)
				}
				fields, _, _ := placeholders(src)
				for _, f := range fields {
					if v := fmt.Sprint(data[f]); !strings.Contains(got, v) {
						t.Errorf("%s T(%q) = %q lacks the value of %s", lang, k, got, f)
					}
				}
			}
		})
	}
}

func TestT(t *testing.T) {
	en := loadLocale(t, "en")
	fr := loadLocale(t, "fr")
	type tCase struct {
		name string
		lang string
		id   string
		data map[string]any
		want string // exact, if set
		has  string // substring, if set
		not  string // must not equal, if set
	}
	tests := []tCase{
		{name: "French home", lang: "fr", id: "nav.home", want: fr["nav.home"], not: en["nav.home"]},
		{name: "French is not English", lang: "fr", id: "login.title", not: en["login.title"]},
		{name: "English home", lang: "en", id: "nav.home", want: en["nav.home"]},
		{name: "unknown language falls back to English", lang: "de", id: "nav.home", want: en["nav.home"]},
		{name: "empty language falls back to English", lang: "", id: "login.title", want: en["login.title"]},
		{name: "region tag is not a language", lang: "fr-FR", id: "nav.home", want: en["nav.home"]},
		{name: "missing message shows its id", lang: "fr", id: "no.such.message", want: "no.such.message"},
		{name: "English count", lang: "en", id: "home.states_n", data: map[string]any{"N": 193}, want: "193 States"},
	}
	for _, lang := range Languages {
		tests = append(tests,
			tCase{name: lang + " fills N", lang: lang, id: "home.states_n", data: map[string]any{"N": 193}, has: "193"},
			tCase{name: lang + " fills Cycle", lang: lang, id: "states.caption", data: map[string]any{"Cycle": "2026-2027"}, has: "2026-2027"},
		)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			if tt.data != nil {
				got = NewPrinter(tt.lang).T(tt.id, tt.data)
			} else {
				got = NewPrinter(tt.lang).T(tt.id)
			}
			if tt.want != "" && got != tt.want {
				t.Errorf("T(%q) in %q = %q, want %q", tt.id, tt.lang, got, tt.want)
			}
			if tt.has != "" && !strings.Contains(got, tt.has) {
				t.Errorf("T(%q) in %q = %q, want it to contain %q", tt.id, tt.lang, got, tt.has)
			}
			if tt.not != "" && got == tt.not {
				t.Errorf("T(%q) in %q = %q, the English text", tt.id, tt.lang, got)
			}
			if strings.Contains(got, "{{") {
				t.Errorf("T(%q) in %q = %q: placeholder left", tt.id, tt.lang, got)
			}
		})
	}
	if p := NewPrinter("xx"); p.Lang != "en" {
		t.Errorf("NewPrinter(xx).Lang = %q, want en", p.Lang)
	}
	var nilPrinter *Printer
	if got := nilPrinter.T("nav.home"); got != "nav.home" {
		t.Errorf("nil printer T = %q, want the id", got)
	}
}

func TestContext(t *testing.T) {
	ctx := t.Context()
	if got := Lang(ctx); got != "en" {
		t.Errorf("Lang(empty ctx) = %q, want en", got)
	}
	ctx = WithPrinter(ctx, NewPrinter("ru"))
	if got := Lang(ctx); got != "ru" {
		t.Errorf("Lang = %q, want ru", got)
	}
	ru := loadLocale(t, "ru")
	if got := T(ctx, "nav.home"); got != ru["nav.home"] {
		t.Errorf("T(ctx, nav.home) = %q, want %q", got, ru["nav.home"])
	}
}

func TestDir(t *testing.T) {
	tests := []struct{ lang, want string }{
		{"ar", "rtl"},
		{"zh", "ltr"},
		{"en", "ltr"},
		{"fr", "ltr"},
		{"ru", "ltr"},
		{"es", "ltr"},
		{"", "ltr"},
	}
	for _, tt := range tests {
		if got := Dir(tt.lang); got != tt.want {
			t.Errorf("Dir(%q) = %q, want %q", tt.lang, got, tt.want)
		}
	}
}

func TestMatch(t *testing.T) {
	tests := []struct{ header, want string }{
		{"fr-CH,fr;q=0.9", "fr"},
		{"", "en"},
		{"en-GB,en;q=0.8", "en"},
		{"ar-EG", "ar"},
		{"ar", "ar"},
		{"zh-CN,zh;q=0.9", "zh"},
		{"ru-RU,ru;q=0.9,en;q=0.5", "ru"},
		{"es-419", "es"},
		{"es-ES,es;q=0.9", "es"},
		{"de-DE,fr;q=0.7", "fr"},
		{"de-DE", "en"},
		{"*", "en"},
		{";;;garbage", "en"},
	}
	for _, tt := range tests {
		if got := Match(tt.header); got != tt.want {
			t.Errorf("Match(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}

func TestFromRequest(t *testing.T) {
	tests := []struct {
		name   string
		query  string
		cookie string
		accept string
		want   string
	}{
		{"query wins over cookie and header", "?lang=ru", "es", "fr", "ru"},
		{"cookie wins over header", "", "es", "fr", "es"},
		{"header when nothing else", "", "", "zh-CN,zh;q=0.9", "zh"},
		{"unsupported query is ignored", "?lang=de", "ar", "fr", "ar"},
		{"unsupported cookie is ignored", "", "xx", "fr-CH,fr;q=0.9", "fr"},
		{"empty query is ignored", "?lang=", "", "es", "es"},
		{"nothing at all", "", "", "", "en"},
		{"query alone", "?lang=ar", "", "", "ar"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/"+tt.query, nil)
			if tt.cookie != "" {
				r.AddCookie(&http.Cookie{Name: "lang", Value: tt.cookie})
			}
			if tt.accept != "" {
				r.Header.Set("Accept-Language", tt.accept)
			}
			if got := FromRequest(r); got != tt.want {
				t.Errorf("FromRequest = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestPrinterShared: one printer per language, safe for concurrent use;
// remembered texts equal rendered ones; unknown ids are not remembered.
func TestPrinterShared(t *testing.T) {
	if a, b := NewPrinter("fr"), NewPrinter("es"); a != NewPrinter("fr") || b != NewPrinter("es") || a == b {
		t.Error("two printers for French")
	}
	p := NewPrinter("ar")
	want := p.T("nav.home")
	done := make(chan string)
	for range 8 {
		go func() { done <- p.T("nav.home") }()
	}
	for range 8 {
		if got := <-done; got != want {
			t.Fatalf("concurrent T = %q, want %q", got, want)
		}
	}
	if got := p.T("no.such.message"); got != "no.such.message" {
		t.Errorf("unknown id: %q", got)
	}
	if _, ok := p.plain.Load("no.such.message"); ok {
		t.Error("an unknown id was remembered")
	}
	if got := NewPrinter("en").T("password.too_short", map[string]any{"N": 12}); !strings.Contains(got, "12") {
		t.Errorf("message with data: %q", got)
	}
}
