package surveys

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Problem is one thing wrong with a template, located by file, line and
// (when it concerns a part, section or question) its code.
type Problem struct {
	File string
	Line int
	Code string
	Msg  string
}

// String formats the problem as "FILE:LINE: CODE: message", leaving out
// "CODE: " when the problem concerns no question, part or section, and
// "LINE:" when the line is unknown (a template built in Go).
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	b.WriteString(":")
	if p.Line > 0 {
		fmt.Fprintf(&b, "%d:", p.Line)
	}
	b.WriteString(" ")
	if p.Code != "" {
		b.WriteString(p.Code)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// ValidationError is returned by Parse when a template has problems.
type ValidationError struct {
	Problems []Problem
}

// Error lists the problems, one per line.
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// SourcePrefixes are the documents a question's source reference may cite.
// A reference starts with one of them, followed by nothing or by a locator
// after a space, comma or parenthesis ("GGE2021 norm (g)", "OSCE CBM 8",
// "A/75/816 para 56").
var SourcePrefixes = []string{
	"GGE2013",          // 2013 GGE report, A/68/98
	"GGE2015",          // 2015 GGE report, A/70/174 (the 11 norms, para 13)
	"GGE2021",          // 2021 GGE report, A/76/135 (guidance per norm)
	"A/68/98",          // 2013 GGE report
	"A/70/174",         // 2015 GGE report
	"A/75/816",         // 2021 OEWG final report (capacity-building principles)
	"A/76/135",         // 2021 GGE report
	"A/76/136",         // compendium of national positions on international law
	"A/77/275",         // OEWG first annual progress report (2022)
	"A/78/265",         // OEWG second annual progress report (2023)
	"A/79/214",         // OEWG third annual progress report (2024)
	"A/RES",            // General Assembly resolutions, e.g. A/RES/68/167
	"A/HRC/RES",        // Human Rights Council resolutions, e.g. A/HRC/RES/20/8
	"OEWG",             // the 2021-2025 open-ended working group, in general
	"OEWG-APR",         // its annual progress reports (APR1 2022, APR2 2023, APR3 2024)
	"OEWG-FR",          // its final report (2025)
	"Global Mechanism", // the permanent mechanism agreed in 2025
	"UN POC Directory", // Global Intergovernmental Points of Contact Directory
	"OSCE CBM",         // OSCE cyber CBMs, PC.DEC/1106 (2013) and PC.DEC/1202 (2016)
	"OSCE",             // other OSCE documents
	"OAS",              // OAS / CICTE cyber CBMs and directory
	"ARF",              // ASEAN Regional Forum ICT security work plan
	"ASEAN",            // ASEAN norms implementation checklist and other ASEAN work
	"AU",               // African Union, e.g. the Common African Position (2024)
	"Malabo",           // AU Convention on Cyber Security and Personal Data Protection
	"Budapest",         // Council of Europe Convention on Cybercrime
	"UNCC",             // UN Convention against Cybercrime (2024)
	"UNIDIR",           // UNIDIR National Survey, publications, training
	"ITU",              // ITU Global Cybersecurity Index, National Cybersecurity Strategy guide
	"CMM",              // Oxford Cybersecurity Capacity Maturity Model
	"GFCE",             // Global Forum on Cyber Expertise themes
	"FOC",              // Freedom Online Coalition recommendations
	"FIRST",            // Forum of Incident Response and Security Teams
	"PoA",              // the Small Arms PoA reporting model (structure only)
	"general practice", // common national practice without a single source
}

var (
	codeRe      = regexp.MustCompile(`^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$`)
	versionRe   = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	keyRe       = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	optionValRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*$`)
)

// Valid tag values.
var (
	TagNorms  = []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}
	TagCMM    = []string{"policy-strategy", "culture-society", "knowledge-capabilities", "legal-regulatory", "standards-technologies"}
	TagGCI    = []string{"legal", "technical", "organisational", "capacity-development", "cooperation"}
	TagLevels = []string{"national", "regional", "global"}
)

// Registers a rows question may feed (see Question.Register).
const (
	RegisterNeeds  = "needs"
	RegisterOffers = "offers"
)

// columnKinds are the kinds a rows column may have.
var columnKinds = []Kind{KindShort, KindLong, KindNumber, KindDate, KindURL, KindSingle}

var knownKinds = []Kind{KindStatus, KindSingle, KindMulti, KindShort, KindLong, KindNumber, KindDate, KindURL, KindRows, KindContact}

// AgreedPrefixes are the references to texts States agreed by consensus
// (GGE and OEWG reports, General Assembly and Human Rights Council
// resolutions). Every other reference is illustrative practice.
var AgreedPrefixes = []string{"GGE2013", "GGE2015", "GGE2021", "A/68/98", "A/70/174", "A/75/816",
	"A/76/135", "A/77/275", "A/78/265", "A/79/214", "OEWG-APR", "OEWG-FR", "A/RES", "A/HRC/RES"}

// AgreedSource reports whether the reference ref cites an agreed text
// rather than illustrative practice.
func AgreedSource(ref string) bool {
	for _, p := range AgreedPrefixes {
		if hasRefPrefix(ref, p) {
			return true
		}
	}
	return false
}

// paraRe matches a paragraph locator of an agreed reference in a template
// that declares its languages: "A/70/174 para 13(g)", "A/RES/68/167 para 4".
var paraRe = regexp.MustCompile(`^\S+ (para|paras|annex|section|norm|norms) \S`)

// validator collects problems while walking a template.
type validator struct {
	file     string
	langs    []string // languages every text must have, besides English
	problems []Problem
}

func (v *validator) add(line int, code, format string, args ...any) {
	v.problems = append(v.problems, Problem{File: v.file, Line: line, Code: code, Msg: fmt.Sprintf(format, args...)})
}

// text checks that a Text uses only the six UN languages and, when
// required, has English.
func (v *validator) text(line int, code, what string, t Text, required bool) {
	if required && strings.TrimSpace(t["en"]) == "" {
		v.add(line, code, "%s has no English text", what)
	}
	if required || len(t) > 0 {
		for _, l := range v.langs {
			if l != "en" && strings.TrimSpace(t[l]) == "" {
				v.add(line, code, "%s has no %s text (the template declares languages %s)", what, l, strings.Join(v.langs, ", "))
			}
		}
	}
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(Languages, k) {
			v.add(line, code, "%s: unknown language %q (want one of %s)", what, k, strings.Join(Languages, ", "))
		}
	}
}

// Validate checks a decoded template and returns its problems in template
// order; none means the template can be used. It checks the version, English
// texts, unique codes (parts, sections and questions share one namespace),
// kinds, options, columns, conditions, sources, tags, languages and limits.
func Validate(t *Template) []Problem {
	v := &validator{file: t.File}
	for _, l := range t.Languages {
		if !slices.Contains(Languages, l) {
			v.add(1, "", "languages: unknown language %q (want one of %s)", l, strings.Join(Languages, ", "))
		} else if !slices.Contains(v.langs, l) {
			v.langs = append(v.langs, l)
		}
	}
	if len(t.Languages) > 0 && !slices.Contains(t.Languages, "en") {
		v.add(1, "", "languages must include en")
	}
	if t.Previous != "" && t.Previous == t.Version {
		v.add(1, "", "previous must name an earlier version, not %q itself", t.Version)
	}
	if t.Version == "" {
		v.add(1, "", "version is not set")
	} else if !versionRe.MatchString(t.Version) {
		v.add(1, "", "version %q: use lower-case letters, digits, '.', '_' or '-'", t.Version)
	}
	v.text(1, "", "title", t.Title, true)
	v.text(1, "", "intro", t.Intro, false)
	if len(t.Parts) == 0 {
		v.add(1, "", "the template has no parts")
	}

	seen := map[string]int{} // code -> line of its first use
	unique := func(line int, code, what string) {
		if code == "" {
			v.add(line, "", "%s has no code", what)
			return
		}
		if !codeRe.MatchString(code) {
			v.add(line, code, "%s code must be letters and digits separated by dots", what)
		}
		if first, dup := seen[code]; dup {
			v.add(line, code, "duplicate code (first used on line %d)", first)
			return
		}
		seen[code] = line
	}
	earlier := map[string]*Question{} // questions seen so far, by code

	for i := range t.Parts {
		p := &t.Parts[i]
		unique(p.Line, p.Code, "part")
		v.text(p.Line, p.Code, "part title", p.Title, true)
		v.text(p.Line, p.Code, "part intro", p.Intro, false)
		if len(p.Sections) == 0 {
			v.add(p.Line, p.Code, "part has no sections")
		}
		for j := range p.Sections {
			s := &p.Sections[j]
			unique(s.Line, s.Code, "section")
			if s.Code != "" && p.Code != "" && !strings.HasPrefix(s.Code, p.Code+".") {
				v.add(s.Line, s.Code, "section code must start with its part code %q", p.Code+".")
			}
			v.text(s.Line, s.Code, "section title", s.Title, true)
			v.text(s.Line, s.Code, "section intro", s.Intro, false)
			if len(s.Questions) == 0 {
				v.add(s.Line, s.Code, "section has no questions")
			}
			for k := range s.Questions {
				q := &s.Questions[k]
				unique(q.Line, q.Code, "question")
				if q.Code != "" && s.Code != "" && !strings.HasPrefix(q.Code, s.Code+".") {
					v.add(q.Line, q.Code, "question code must start with its section code %q", s.Code+".")
				}
				v.question(q, earlier)
				if _, ok := earlier[q.Code]; !ok && q.Code != "" {
					earlier[q.Code] = q
				}
			}
		}
	}
	return v.problems
}

func (v *validator) question(q *Question, earlier map[string]*Question) {
	line, code := q.Line, q.Code
	kindOK := slices.Contains(knownKinds, q.Kind)
	if q.Kind == "" {
		v.add(line, code, "kind is not set")
	} else if !kindOK {
		v.add(line, code, "unknown kind %q", q.Kind)
	}
	v.text(line, code, "text", q.Text, true)
	v.text(line, code, "guidance", q.Guidance, false)

	// Options.
	switch {
	case q.Kind == KindSingle || q.Kind == KindMulti:
		if len(q.Options) == 0 {
			v.add(line, code, "%s question needs options", q.Kind)
		}
		v.options(line, code, "option", q.Options)
	case len(q.Options) > 0 && kindOK:
		v.add(line, code, "options are only for single and multi questions, not %s", q.Kind)
	}

	// Columns.
	switch {
	case q.Kind == KindRows:
		if len(q.Columns) == 0 {
			v.add(line, code, "rows question needs columns")
		}
		keys := map[string]bool{}
		for _, c := range q.Columns {
			switch {
			case c.Key == "":
				v.add(line, code, "column has no key")
			case !keyRe.MatchString(c.Key):
				v.add(line, code, "column key %q: use lower-case letters, digits and '_'", c.Key)
			case keys[c.Key]:
				v.add(line, code, "duplicate column key %q", c.Key)
			}
			keys[c.Key] = true
			v.text(line, code, fmt.Sprintf("column %q label", c.Key), c.Label, true)
			if !slices.Contains(columnKinds, c.Kind) {
				v.add(line, code, "column %q: kind %q is not one of short, long, number, date, url, single", c.Key, c.Kind)
			}
			if c.Kind == KindSingle {
				if len(c.Options) == 0 {
					v.add(line, code, "column %q: single column needs options", c.Key)
				}
				v.options(line, code, fmt.Sprintf("column %q option", c.Key), c.Options)
			} else if len(c.Options) > 0 {
				v.add(line, code, "column %q: options are only for single columns", c.Key)
			}
			if c.MaxLength < 0 {
				v.add(line, code, "column %q: max_length must not be negative", c.Key)
			}
		}
	case len(q.Columns) > 0:
		v.add(line, code, "columns are only for rows questions, not %s", q.Kind)
	}

	// Register.
	switch q.Register {
	case "":
	case RegisterNeeds, RegisterOffers:
		if q.Kind != KindRows {
			v.add(line, code, "register %q is only for rows questions", q.Register)
		}
	default:
		v.add(line, code, "unknown register %q (want needs or offers)", q.Register)
	}

	// Condition.
	if w := q.ShowWhen; w != nil {
		target, ok := earlier[w.Question]
		switch {
		case w.Question == "":
			v.add(line, code, "show_when has no question")
		case w.Question == q.Code:
			v.add(line, code, "show_when refers to the question itself")
		case !ok:
			v.add(line, code, "show_when refers to %q, which is not an earlier question", w.Question)
		case target.Kind != KindStatus && target.Kind != KindSingle && target.Kind != KindMulti:
			v.add(line, code, "show_when refers to %s, a %s question (want status, single or multi)", w.Question, target.Kind)
		default:
			if len(w.In) == 0 {
				v.add(line, code, "show_when has no values in \"in\"")
			}
			valid := StatusValues
			if target.Kind != KindStatus {
				valid = optionValues(target.Options)
			}
			for _, val := range w.In {
				if !slices.Contains(valid, val) {
					v.add(line, code, "show_when: %q is not a value of %s (want one of %s)", val, w.Question, strings.Join(valid, ", "))
				}
			}
		}
	}

	// Sources.
	agreed := -1
	for i, s := range q.Sources {
		if strings.TrimSpace(s) == "" {
			v.add(line, code, "empty source reference")
		} else if !knownSource(s) {
			v.add(line, code, "source %q does not start with a known reference (see SourcePrefixes)", s)
		}
		if AgreedSource(s) && agreed < 0 {
			agreed = i
		}
	}
	// The stricter source rules of a template that declares its languages
	// (v2): an agreed text comes first and names its paragraph.
	if len(v.langs) > 0 && agreed >= 0 {
		if agreed > 0 {
			v.add(line, code, "source %q cites an agreed text: list it before illustrative practice", q.Sources[agreed])
		}
		if !paraRe.MatchString(q.Sources[agreed]) {
			v.add(line, code, "source %q: name the paragraph of the agreed text (\"A/70/174 para 13(g)\")", q.Sources[agreed])
		}
	}

	// Replaces.
	for _, r := range q.Replaces {
		if !codeRe.MatchString(r) {
			v.add(line, code, "replaces: %q is not a question code", r)
		}
	}

	// Tags.
	v.tags(line, code, "norms", q.Tags.Norms, TagNorms)
	v.tags(line, code, "cmm", q.Tags.CMM, TagCMM)
	v.tags(line, code, "gci", q.Tags.GCI, TagGCI)
	v.tags(line, code, "level", q.Tags.Level, TagLevels)

	// Limits.
	if q.MaxLength < 0 {
		v.add(line, code, "max_length must not be negative")
	}
	if (q.Min != nil || q.Max != nil) && q.Kind != KindNumber && kindOK {
		v.add(line, code, "min and max are only for number questions")
	}
	if q.Min != nil && q.Max != nil && *q.Min > *q.Max {
		v.add(line, code, "min %v is greater than max %v", *q.Min, *q.Max)
	}
	if q.Kind == KindContact && !q.NeverPublish {
		v.add(line, code, "contact questions must set never_publish: true")
	}
}

func (v *validator) options(line int, code, what string, opts []Option) {
	seen := map[string]bool{}
	for _, o := range opts {
		switch {
		case o.Value == "":
			v.add(line, code, "%s has no value", what)
		case !optionValRe.MatchString(o.Value):
			v.add(line, code, "%s value %q: use lower-case letters, digits, '.', '_' or '-'", what, o.Value)
		case seen[o.Value]:
			v.add(line, code, "duplicate %s value %q", what, o.Value)
		}
		seen[o.Value] = true
		v.text(line, code, fmt.Sprintf("%s %q label", what, o.Value), o.Label, true)
	}
}

func (v *validator) tags(line int, code, what string, got, valid []string) {
	for _, g := range got {
		if !slices.Contains(valid, g) {
			v.add(line, code, "unknown %s tag %q (want one of %s)", what, g, strings.Join(valid, ", "))
		}
	}
}

func optionValues(opts []Option) []string {
	out := make([]string, len(opts))
	for i, o := range opts {
		out[i] = o.Value
	}
	return out
}

// knownSource reports whether s starts with one of SourcePrefixes, followed
// by its end, a space, a comma or an opening parenthesis.
func knownSource(s string) bool {
	for _, p := range SourcePrefixes {
		if hasRefPrefix(s, p) {
			return true
		}
	}
	return false
}

// hasRefPrefix reports whether s is the reference p, optionally followed by
// a locator after a space, comma, parenthesis or (for document symbols) a
// slash: "A/RES" covers "A/RES/68/167".
func hasRefPrefix(s, p string) bool {
	if !strings.HasPrefix(s, p) {
		return false
	}
	rest := s[len(p):]
	return rest == "" || rest[0] == ' ' || rest[0] == ',' || rest[0] == '(' || (rest[0] == '/' && strings.HasPrefix(p, "A/"))
}

// CheckReplaces checks the Replaces codes of t against prev, the version t
// declares as Previous: each must be a question of prev, and no two
// questions of t may take over the same one. prev nil with t.Previous set
// is itself a problem.
func CheckReplaces(t, prev *Template) []Problem {
	v := &validator{file: t.File}
	if t.Previous == "" {
		for _, q := range t.AllQuestions() {
			if len(q.Replaces) > 0 {
				v.add(q.Line, q.Code, "replaces is set but the template names no previous version")
			}
		}
		return v.problems
	}
	if prev == nil {
		v.add(1, "", "previous version %q is not known", t.Previous)
		return v.problems
	}
	taken := map[string]string{}
	for _, q := range t.AllQuestions() {
		for _, r := range q.Replaces {
			if _, ok := prev.Question(r); !ok {
				v.add(q.Line, q.Code, "replaces %s, which is not a question of %s", r, prev.Version)
				continue
			}
			if by, dup := taken[r]; dup {
				v.add(q.Line, q.Code, "replaces %s, which %s already replaces", r, by)
				continue
			}
			taken[r] = q.Code
		}
	}
	return v.problems
}
