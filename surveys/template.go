// Package surveys holds the domain of natreport in pure Go: the national-report
// template (parts, sections, questions), its loader and validator, answer
// values and their validation, conditional display, progress and the needs
// register. It imports neither Gin, GORM nor templ.
package surveys

// Languages are the six official UN languages every text may be given in.
// English is the source language: every Text must have it.
var Languages = []string{"ar", "zh", "en", "fr", "ru", "es"}

// Text is a translatable string keyed by language code ("en", "fr", ...).
type Text map[string]string

// In returns the text in lang, falling back to English.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	return t["en"]
}

// Kind is the kind of a question: what its answer looks like.
type Kind string

// The question kinds of the template format.
const (
	KindStatus  Kind = "status"  // yes / partly / no / not applicable, with challenges and assistance needed
	KindSingle  Kind = "single"  // one of Options
	KindMulti   Kind = "multi"   // any of Options
	KindShort   Kind = "short"   // one line of text
	KindLong    Kind = "long"    // paragraphs of text
	KindNumber  Kind = "number"  // a number, optionally within Min..Max
	KindDate    Kind = "date"    // YYYY-MM-DD
	KindURL     Kind = "url"     // an http(s) link to evidence
	KindRows    Kind = "rows"    // repeating rows with typed Columns
	KindContact Kind = "contact" // a contact block (never public)
)

// Status values of a status question.
const (
	StatusYes    = "yes"
	StatusPartly = "partly"
	StatusNo     = "no"
	StatusNA     = "na"
)

// StatusValues lists the status values in display order.
var StatusValues = []string{StatusYes, StatusPartly, StatusNo, StatusNA}

// Template is one immutable version of the national-report template.
type Template struct {
	Version string `yaml:"version" json:"version"`
	Title   Text   `yaml:"title" json:"title"`
	Intro   Text   `yaml:"intro,omitempty" json:"intro,omitempty"`
	Parts   []Part `yaml:"parts" json:"parts"`
	// Languages, when set, are the languages every text of the template
	// must have (v2 declares all six); without it only English is required.
	Languages []string `yaml:"languages,omitempty" json:"languages,omitempty"`
	// Previous is the version this one follows; the Replaces codes of its
	// questions are codes of that version (carry-forward and comparison
	// across versions follow them).
	Previous string `yaml:"previous,omitempty" json:"previous,omitempty"`
	// File is the name the template was parsed from, used in problem
	// reports (not serialised).
	File string `yaml:"-" json:"-"`

	// index maps question codes to questions; built by Link.
	index map[string]*Question
}

// Part is a top-level division of the template (Part 0, I, II, ...).
type Part struct {
	Code  string `yaml:"code" json:"code"`
	Title Text   `yaml:"title" json:"title"`
	Intro Text   `yaml:"intro,omitempty" json:"intro,omitempty"`
	// Thematic parts are shown only when the cycle switches them on.
	Thematic bool      `yaml:"thematic,omitempty" json:"thematic,omitempty"`
	Sections []Section `yaml:"sections" json:"sections"`
	// Line is the line of the part in its template file (not serialised).
	Line int `yaml:"-" json:"-"`
}

// Section is a group of questions inside a part; progress, assignment and
// carry-forward work per section.
type Section struct {
	Code      string     `yaml:"code" json:"code"`
	Title     Text       `yaml:"title" json:"title"`
	Intro     Text       `yaml:"intro,omitempty" json:"intro,omitempty"`
	Questions []Question `yaml:"questions" json:"questions"`
	// Line is the line of the section in its template file (not serialised).
	Line int `yaml:"-" json:"-"`
}

// Question is one question with a stable code such as "II.g.3".
type Question struct {
	Code     string `yaml:"code" json:"code"`
	Kind     Kind   `yaml:"kind" json:"kind"`
	Text     Text   `yaml:"text" json:"text"`
	Guidance Text   `yaml:"guidance,omitempty" json:"guidance,omitempty"`
	// Sources cite where the question comes from. A reference to an agreed
	// text (see AgreedSource) is an agreed source; any other reference is
	// illustrative practice. In a template that declares Languages, the
	// first source of a question that has an agreed source is that agreed
	// text, with its paragraph.
	Sources []string `yaml:"sources,omitempty" json:"sources,omitempty"`
	// Replaces lists the codes of the Previous version's questions whose
	// answers this question takes over (carry-forward, comparison).
	Replaces []string   `yaml:"replaces,omitempty" json:"replaces,omitempty"`
	Tags     Tags       `yaml:"tags,omitempty" json:"tags,omitempty"`
	Options  []Option   `yaml:"options,omitempty" json:"options,omitempty"`
	Columns  []Column   `yaml:"columns,omitempty" json:"columns,omitempty"`
	ShowWhen *Condition `yaml:"show_when,omitempty" json:"show_when,omitempty"`
	// Required is false by default: no question is forced.
	Required bool `yaml:"required,omitempty" json:"required,omitempty"`
	// NeverPublish keeps the answer out of every copy but the State's own
	// and the secretariat's. Contact questions are never public either way.
	NeverPublish bool     `yaml:"never_publish,omitempty" json:"never_publish,omitempty"`
	MaxLength    int      `yaml:"max_length,omitempty" json:"max_length,omitempty"`
	Min          *float64 `yaml:"min,omitempty" json:"min,omitempty"`
	Max          *float64 `yaml:"max,omitempty" json:"max,omitempty"`
	// Register marks a rows question whose rows feed a register of their
	// own: "needs" (requests for assistance) or "offers" (offers of
	// assistance). See Needs and Offers.
	Register string `yaml:"register,omitempty" json:"register,omitempty"`
	// Line is the line of the question in its template file (not serialised).
	Line int `yaml:"-" json:"-"`

	// cond is the question ShowWhen refers to; set by Template.Link so that
	// Visible can follow chains of conditions.
	cond *Question
}

// Tags classify a question so donors and the secretariat can roll answers up.
type Tags struct {
	Norms []string `yaml:"norms,omitempty" json:"norms,omitempty"` // a..k
	CMM   []string `yaml:"cmm,omitempty" json:"cmm,omitempty"`     // Oxford CMM dimensions
	GCI   []string `yaml:"gci,omitempty" json:"gci,omitempty"`     // ITU GCI pillars
	Level []string `yaml:"level,omitempty" json:"level,omitempty"` // national, regional, global
}

// Option is one choice of a single, multi or choice column.
type Option struct {
	Value string `yaml:"value" json:"value"`
	Label Text   `yaml:"label" json:"label"`
}

// Column is one typed column of a repeating-rows question.
type Column struct {
	Key       string   `yaml:"key" json:"key"`
	Kind      Kind     `yaml:"kind" json:"kind"` // short, long, number, date, url, single
	Label     Text     `yaml:"label" json:"label"`
	Options   []Option `yaml:"options,omitempty" json:"options,omitempty"`
	MaxLength int      `yaml:"max_length,omitempty" json:"max_length,omitempty"`
}

// Condition shows a question only when another question's answer is one of
// the listed values ("show when II.g.1 is yes or partly").
type Condition struct {
	Question string   `yaml:"question" json:"question"`
	In       []string `yaml:"in" json:"in"`
}
