package surveys

import (
	"math"
	"net/mail"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Message keys of FieldErrors. The handlers translate them; their English
// wording lives with the other messages.
const (
	ErrRequired     = "error.required"       // the template makes this question required
	ErrURL          = "error.url"            // not an absolute http(s) link
	ErrNumber       = "error.number"         // not a number
	ErrNumberRange  = "error.number_between" // a number outside the question's min..max (MessageArgs says them)
	ErrNumberMin    = "error.number_min"     // a number below the question's min, which has no max
	ErrNumberMax    = "error.number_max"     // a number above the question's max, which has no min
	ErrDate         = "error.date"           // not a YYYY-MM-DD date
	ErrTooLong      = "error.too_long"       // longer than the limit
	ErrOption       = "error.option"         // not one of the options (or status values)
	ErrEmail        = "error.email"          // not an e-mail address
	ErrTooManyRows  = "error.too_many_rows"  // more rows than MaxRows
	ErrTooManyLinks = "error.too_many_links" // more links than MaxLinks
)

// MaxLinks is the most links a status answer's details accept.
const MaxLinks = 20

// Default length limits, in characters (runes), when the template sets none.
const (
	DefaultShortLength      = 300
	DefaultLongLength       = 10000
	DefaultChallengesLength = 4000
)

// MaxRows is the most rows a rows question accepts; row indices in the form
// at or above MaxRowIndex are ignored.
const (
	MaxRows     = 200
	MaxRowIndex = 1000
)

// FieldErrors maps a form field name ("II.g.1.status", "IV.a.2.rows.0.budget")
// to a message key such as ErrURL.
type FieldErrors map[string]string

// Add records key for field unless the field already has an error.
func (fe FieldErrors) Add(field, key string) {
	if _, ok := fe[field]; !ok {
		fe[field] = key
	}
}

// Has reports whether field has an error.
func (fe FieldErrors) Has(field string) bool {
	_, ok := fe[field]
	return ok
}

// HasQuestion reports whether any field of the question code has an error.
func (fe FieldErrors) HasQuestion(code string) bool {
	for f := range fe {
		if f == code || strings.HasPrefix(f, code+".") {
			return true
		}
	}
	return false
}

// Fields returns the fields with errors, sorted.
func (fe FieldErrors) Fields() []string {
	out := make([]string, 0, len(fe))
	for f := range fe {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// Merge copies the errors of other into fe, keeping fe's where both have one.
func (fe FieldErrors) Merge(other FieldErrors) {
	for f, k := range other {
		fe.Add(f, k)
	}
}

// Form field names of a question, built from its code.
func statusField(code string) string     { return code + ".status" }
func challengesField(code string) string { return code + ".challenges" }
func assistField(code string) string     { return code + ".assistance" }
func assistTextField(code string) string { return code + ".assistance_text" }
func assistTypeField(code string) string { return code + ".assistance_type" }
func assistPrioField(code string) string { return code + ".assistance_priority" }

// MeasuresField and LinksField are the form fields of a status answer's
// details: the measures taken (text) and links, one per line.
func MeasuresField(code string) string { return code + ".measures" }

// LinksField is the form field of a status answer's links, one per line.
func LinksField(code string) string { return code + ".links" }

// RowField is the form field of one cell of a rows question.
func RowField(code string, row int, key string) string {
	return code + ".rows." + strconv.Itoa(row) + "." + key
}

// ContactField is the form field of one contact field.
func ContactField(code, field string) string { return code + ".contact." + field }

// cleanText trims surrounding space and turns CRLF (as browsers send from a
// textarea) into LF, so that lengths count what the user sees.
func cleanText(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

// ParseAnswer reads the answer to q from form and validates it. Fields are
// named after the question code:
//
//	status:   CODE.status, CODE.measures, CODE.links (one per line),
//	          CODE.challenges, CODE.assistance ("on"), CODE.assistance_text,
//	          CODE.assistance_type, CODE.assistance_priority
//	single, short, long, number, date, url: CODE
//	multi:    CODE, repeated
//	rows:     CODE.rows.N.COLKEY for N = 0, 1, ...
//	contact:  CODE.contact.FIELD for each of ContactFields
//
// Rows are kept in order of N; fully empty rows are dropped and the rest
// renumbered from 0, and errors of rows name the renumbered index, so a form
// re-rendered from the returned value shows each error on its row. On errors
// the value is still returned as typed, so the form keeps the user's input.
func ParseAnswer(q *Question, form url.Values) (Value, FieldErrors) {
	var v Value
	errs := FieldErrors{}
	code := q.Code
	// Text that cannot be stored is refused first, field by field.
	for name, vals := range form {
		if name != code && !strings.HasPrefix(name, code+".") {
			continue
		}
		for _, s := range vals {
			if !CheckText(s) {
				errs.Add(name, ErrText)
			}
		}
	}
	switch q.Kind {
	case KindStatus:
		v.Status = strings.TrimSpace(form.Get(statusField(code)))
		if v.Status != "" && !slices.Contains(StatusValues, v.Status) {
			errs.Add(statusField(code), ErrOption)
		}
		limit := DefaultChallengesLength
		if q.MaxLength > 0 {
			limit = q.MaxLength
		}
		v.Measures = cleanText(form.Get(MeasuresField(code)))
		checkLength(errs, MeasuresField(code), v.Measures, DefaultLongLength)
		v.Links = parseLinks(errs, LinksField(code), form.Get(LinksField(code)))
		v.Challenges = cleanText(form.Get(challengesField(code)))
		checkLength(errs, challengesField(code), v.Challenges, limit)
		switch form.Get(assistField(code)) {
		case "on", "true", "1", "yes":
			v.AssistanceNeeded = true
		}
		v.AssistanceText = cleanText(form.Get(assistTextField(code)))
		checkLength(errs, assistTextField(code), v.AssistanceText, limit)
		v.AssistanceType = strings.TrimSpace(form.Get(assistTypeField(code)))
		if v.AssistanceType != "" && !slices.Contains(AssistanceTypes, v.AssistanceType) {
			errs.Add(assistTypeField(code), ErrOption)
		}
		v.AssistancePriority = strings.TrimSpace(form.Get(assistPrioField(code)))
		if v.AssistancePriority != "" && !slices.Contains(NeedPriorities, v.AssistancePriority) {
			errs.Add(assistPrioField(code), ErrOption)
		}
	case KindMulti:
		for _, c := range form[code] {
			c = strings.TrimSpace(c)
			if c == "" || slices.Contains(v.Choices, c) {
				continue
			}
			v.Choices = append(v.Choices, c)
			if !hasOption(q.Options, c) {
				errs.Add(code, ErrOption)
			}
		}
	case KindRows:
		v.Rows = parseRows(q, form, errs)
	case KindContact:
		for _, f := range ContactFields {
			s := cleanText(form.Get(ContactField(code, f)))
			if s == "" {
				continue
			}
			if v.Contact == nil {
				v.Contact = map[string]string{}
			}
			v.Contact[f] = s
			checkLength(errs, ContactField(code, f), s, DefaultShortLength)
			if f == "email" && !isEmail(s) {
				errs.Add(ContactField(code, f), ErrEmail)
			}
		}
	default: // single and the text-like kinds
		v.Text = cleanText(form.Get(code))
		checkScalar(errs, code, q.Kind, v.Text, q.Options, q.MaxLength, q.Min, q.Max)
	}
	if q.Required && v.IsEmpty(q.Kind) {
		field := code
		if q.Kind == KindStatus {
			field = statusField(code)
		}
		errs.Add(field, ErrRequired)
	}
	if len(errs) == 0 {
		return v, nil
	}
	return v, errs
}

// parseLinks reads links given one per line (blank lines ignored, repeats
// dropped); each must be an http(s) link.
func parseLinks(errs FieldErrors, field, s string) []string {
	var out []string
	for _, l := range strings.Split(cleanText(s), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || slices.Contains(out, l) {
			continue
		}
		out = append(out, l)
		if !isHTTPURL(l) {
			errs.Add(field, ErrURL)
		} else {
			checkLength(errs, field, l, 2000)
		}
	}
	if len(out) > MaxLinks {
		errs.Add(field, ErrTooManyLinks)
	}
	return out
}

// parseRows collects CODE.rows.N.KEY fields, in order of N.
func parseRows(q *Question, form url.Values, errs FieldErrors) []map[string]string {
	prefix := q.Code + ".rows."
	byIndex := map[int]map[string]string{}
	for field, vals := range form {
		rest, ok := strings.CutPrefix(field, prefix)
		if !ok || len(vals) == 0 {
			continue
		}
		n, key, ok := strings.Cut(rest, ".")
		if !ok {
			continue
		}
		i, err := strconv.Atoi(n)
		if err != nil || i < 0 || i >= MaxRowIndex || columnOf(q, key) == nil {
			continue
		}
		s := cleanText(vals[0])
		if s == "" {
			continue
		}
		if byIndex[i] == nil {
			byIndex[i] = map[string]string{}
		}
		byIndex[i][key] = s
	}
	if len(byIndex) == 0 {
		return nil
	}
	idx := make([]int, 0, len(byIndex))
	for i := range byIndex {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	rows := make([]map[string]string, 0, len(idx))
	for _, i := range idx {
		rows = append(rows, byIndex[i])
	}
	if len(rows) > MaxRows {
		errs.Add(q.Code, ErrTooManyRows)
	}
	for r, row := range rows {
		for _, c := range q.Columns {
			if s, ok := row[c.Key]; ok {
				checkScalar(errs, RowField(q.Code, r, c.Key), c.Kind, s, c.Options, c.MaxLength, nil, nil)
			}
		}
	}
	return rows
}

func columnOf(q *Question, key string) *Column {
	for i := range q.Columns {
		if q.Columns[i].Key == key {
			return &q.Columns[i]
		}
	}
	return nil
}

// checkScalar validates one text-like value s of the given kind.
func checkScalar(errs FieldErrors, field string, kind Kind, s string, opts []Option, maxLen int, lo, hi *float64) {
	if s == "" {
		return
	}
	switch kind {
	case KindSingle:
		if !hasOption(opts, s) {
			errs.Add(field, ErrOption)
		}
	case KindNumber:
		f, err := strconv.ParseFloat(s, 64)
		switch {
		case err != nil || math.IsNaN(f) || math.IsInf(f, 0):
			errs.Add(field, ErrNumber)
		case lo != nil && f < *lo, hi != nil && f > *hi:
			switch {
			case hi == nil:
				errs.Add(field, ErrNumberMin)
			case lo == nil:
				errs.Add(field, ErrNumberMax)
			default:
				errs.Add(field, ErrNumberRange)
			}
		}
	case KindDate:
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			errs.Add(field, ErrDate)
		}
	case KindURL:
		if !isHTTPURL(s) {
			errs.Add(field, ErrURL)
		} else {
			checkLength(errs, field, s, limitOr(maxLen, 2000))
		}
	case KindLong:
		checkLength(errs, field, s, limitOr(maxLen, DefaultLongLength))
	default:
		checkLength(errs, field, s, limitOr(maxLen, DefaultShortLength))
	}
}

func limitOr(n, def int) int {
	if n > 0 {
		return n
	}
	return def
}

func checkLength(errs FieldErrors, field, s string, limit int) {
	if utf8.RuneCountInString(s) > limit {
		errs.Add(field, ErrTooLong)
	}
}

func hasOption(opts []Option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return false
	}
	return !strings.ContainsAny(s, " \t\n")
}

// isEmail accepts a bare address (no display name) with a dotted domain.
func isEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && strings.Contains(s[at+1:], ".")
}

// IsEmpty reports whether the value holds no answer for a question of the
// given kind. A status answer with only challenges or an assistance request
// is not empty: the State has told us something.
func (v Value) IsEmpty(kind Kind) bool {
	switch kind {
	case KindStatus:
		return v.Status == "" && v.Measures == "" && len(v.Links) == 0 && v.Challenges == "" && !v.AssistanceNeeded && v.AssistanceText == "" &&
			v.AssistanceType == "" && v.AssistancePriority == ""
	case KindMulti:
		return len(v.Choices) == 0
	case KindRows:
		for _, r := range v.Rows {
			if !emptyMap(r) {
				return false
			}
		}
		return true
	case KindContact:
		return emptyMap(v.Contact)
	case KindSingle, KindShort, KindLong, KindNumber, KindDate, KindURL:
		return v.Text == ""
	}
	return Equal(v, Value{})
}

func emptyMap(m map[string]string) bool {
	for _, s := range m {
		if s != "" {
			return false
		}
	}
	return true
}

// Equal reports whether two values hold the same answer. Nil and empty
// slices or maps are equal, and empty cells or contact fields are ignored;
// the order of choices and rows matters.
func Equal(a, b Value) bool {
	if a.Status != b.Status || a.Challenges != b.Challenges || a.AssistanceNeeded != b.AssistanceNeeded ||
		a.AssistanceText != b.AssistanceText || a.AssistanceType != b.AssistanceType ||
		a.AssistancePriority != b.AssistancePriority || a.Text != b.Text || a.Measures != b.Measures {
		return false
	}
	if !slices.Equal(a.Links, b.Links) {
		return false
	}
	if !slices.Equal(a.Choices, b.Choices) {
		return false
	}
	if len(a.Rows) != len(b.Rows) {
		return false
	}
	for i := range a.Rows {
		if !sameMap(a.Rows[i], b.Rows[i]) {
			return false
		}
	}
	return sameMap(a.Contact, b.Contact)
}

func sameMap(a, b map[string]string) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	for k, v := range b {
		if a[k] != v {
			return false
		}
	}
	return true
}

// StatusLabels are the labels of the status values.
var StatusLabels = map[string]Text{
	StatusYes:    {"ar": "نعم", "zh": "是", "en": "Yes", "fr": "Oui", "ru": "Да", "es": "Sí"},
	StatusPartly: {"ar": "جزئيا / قيد التنفيذ", "zh": "部分 / 进行中", "en": "Partly / in progress", "fr": "En partie / en cours", "ru": "Частично / в процессе", "es": "Parcialmente / en curso"},
	StatusNo:     {"ar": "لا", "zh": "否", "en": "No", "fr": "Non", "ru": "Нет", "es": "No"},
	StatusNA:     {"ar": "لا ينطبق", "zh": "不适用", "en": "Not applicable", "fr": "Sans objet", "ru": "Неприменимо", "es": "No procede"},
}

// summaryLabels name the parts of a summary in each language.
var summaryLabels = map[string]Text{
	"challenges": {"ar": "التحديات", "zh": "挑战", "en": "Challenges", "fr": "Difficultés", "ru": "Трудности", "es": "Dificultades"},
	"assistance": {"ar": "المساعدة المطلوبة", "zh": "所需援助", "en": "Assistance needed", "fr": "Assistance requise", "ru": "Необходимая помощь", "es": "Asistencia necesaria"},
	"rows":       {"ar": "صفوف", "zh": "行", "en": "rows", "fr": "lignes", "ru": "строк", "es": "filas"},
	"measures":   {"ar": "التدابير المتخذة", "zh": "已采取的措施", "en": "Measures taken", "fr": "Mesures prises", "ru": "Принятые меры", "es": "Medidas adoptadas"},
	"links":      {"ar": "روابط", "zh": "链接", "en": "Links", "fr": "Liens", "ru": "Ссылки", "es": "Enlaces"},
	"thematic":   {"ar": "الأولوية المواضيعية لهذه الدورة", "zh": "本周期的专题优先事项", "en": "Thematic priority of this cycle", "fr": "Priorité thématique du cycle", "ru": "Тематический приоритет цикла", "es": "Prioridad temática del ciclo"},
}

// DetailLabel names a status answer's details in lang: "measures" (the
// measures taken) or "links"; "thematic" names the cycle's thematic
// priority (shown on the thematic part).
func DetailLabel(key, lang string) string { return summaryLabels[key].In(lang) }

// summaryLimit is the most characters of free text a summary shows.
const summaryLimit = 120

// Summary renders the value on one line for the audit log and comparisons,
// with option labels (in lang, falling back to English) rather than values.
// Free text is shortened. The empty value gives "".
func (v Value) Summary(q *Question, lang string) string {
	if v.IsEmpty(q.Kind) {
		return ""
	}
	switch q.Kind {
	case KindStatus:
		var parts []string
		if v.Status != "" {
			parts = append(parts, statusLabel(v.Status, lang))
		}
		if v.Measures != "" {
			parts = append(parts, summaryLabels["measures"].In(lang)+": "+shorten(v.Measures))
		}
		if len(v.Links) > 0 {
			parts = append(parts, summaryLabels["links"].In(lang)+": "+strings.Join(v.Links, " "))
		}
		if v.Challenges != "" {
			parts = append(parts, summaryLabels["challenges"].In(lang)+": "+shorten(v.Challenges))
		}
		if v.AssistanceNeeded || v.AssistanceText != "" {
			s := summaryLabels["assistance"].In(lang)
			if v.AssistanceText != "" {
				s += ": " + shorten(v.AssistanceText)
			}
			if v.AssistanceType != "" || v.AssistancePriority != "" {
				s += " (" + strings.Trim(v.AssistanceType+", "+v.AssistancePriority, ", ") + ")"
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, "; ")
	case KindSingle:
		return optionLabel(q.Options, v.Text, lang)
	case KindMulti:
		labels := make([]string, len(v.Choices))
		for i, c := range v.Choices {
			labels[i] = optionLabel(q.Options, c, lang)
		}
		return strings.Join(labels, ", ")
	case KindRows:
		var rows []string
		for _, r := range v.Rows {
			if emptyMap(r) {
				continue
			}
			var cells []string
			for _, c := range q.Columns {
				s := r[c.Key]
				if s == "" {
					continue
				}
				if c.Kind == KindSingle {
					s = optionLabel(c.Options, s, lang)
				}
				cells = append(cells, shorten(s))
			}
			rows = append(rows, strings.Join(cells, " / "))
		}
		return summaryLabels["rows"].In(lang) + " (" + strconv.Itoa(len(rows)) + "): " + strings.Join(rows, " | ")
	case KindContact:
		var fields []string
		for _, f := range ContactFields {
			if s := v.Contact[f]; s != "" {
				fields = append(fields, s)
			}
		}
		return strings.Join(fields, ", ")
	}
	return shorten(v.Text)
}

func statusLabel(s, lang string) string {
	if t, ok := StatusLabels[s]; ok {
		return t.In(lang)
	}
	return s
}

func optionLabel(opts []Option, v, lang string) string {
	for _, o := range opts {
		if o.Value == v {
			if l := o.Label.In(lang); l != "" {
				return l
			}
		}
	}
	return v
}

// shorten puts text on one line and cuts it to summaryLimit characters.
func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= summaryLimit {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:summaryLimit-1])) + "…"
}

// maxConditionDepth bounds the walk up a chain of conditions; a validated
// template has no cycles, an unvalidated one might.
const maxConditionDepth = 32

// Visible reports whether q is shown given the answers so far: a question
// without show_when is visible; one with show_when is visible when the
// referred question's answer is one of the listed values (a status, a single
// choice, or any of the multi choices) and that question is visible itself.
// Chains are followed on templates that went through Parse or Link.
func Visible(q *Question, answers map[string]Value) bool {
	for depth := 0; q != nil && q.ShowWhen != nil; depth++ {
		if depth >= maxConditionDepth {
			return false
		}
		if !conditionMet(q.ShowWhen, q.cond, answers[q.ShowWhen.Question]) {
			return false
		}
		q = q.cond
	}
	return true
}

// conditionMet checks one condition; target may be nil (unlinked template),
// in which case any of the value's status, text or choices may match.
func conditionMet(c *Condition, target *Question, v Value) bool {
	var kind Kind
	if target != nil {
		kind = target.Kind
	}
	if (kind == "" || kind == KindStatus) && v.Status != "" && slices.Contains(c.In, v.Status) {
		return true
	}
	if (kind == "" || kind == KindSingle) && v.Text != "" && slices.Contains(c.In, v.Text) {
		return true
	}
	if kind == "" || kind == KindMulti {
		for _, ch := range v.Choices {
			if slices.Contains(c.In, ch) {
				return true
			}
		}
	}
	return false
}

// MessageArgs returns the values that the error messages of q's fields
// name: Min and Max, so that a range error says the range.
func (q *Question) MessageArgs() map[string]any {
	args := map[string]any{}
	if q.Min != nil {
		args["Min"] = strconv.FormatFloat(*q.Min, 'f', -1, 64)
	}
	if q.Max != nil {
		args["Max"] = strconv.FormatFloat(*q.Max, 'f', -1, 64)
	}
	return args
}
