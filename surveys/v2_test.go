package surveys

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// v2By returns the v2 question that replaces the v1 question code.
func v2By(t *testing.T, v1code string) *Question {
	t.Helper()
	for _, q := range MustBuiltin("v2").AllQuestions() {
		if slices.Contains(q.Replaces, v1code) {
			return q
		}
	}
	t.Fatalf("no v2 question replaces %s", v1code)
	return nil
}

// eachText calls f for every text of the template, named for messages.
func eachText(tm *Template, f func(what string, tx Text)) {
	f("title", tm.Title)
	f("intro", tm.Intro)
	for _, p := range tm.Parts {
		f(p.Code+" title", p.Title)
		f(p.Code+" intro", p.Intro)
		for _, s := range p.Sections {
			f(s.Code+" title", s.Title)
			f(s.Code+" intro", s.Intro)
			for _, q := range s.Questions {
				f(q.Code+" text", q.Text)
				f(q.Code+" guidance", q.Guidance)
				for _, o := range q.Options {
					f(q.Code+" option "+o.Value, o.Label)
				}
				for _, c := range q.Columns {
					f(q.Code+" column "+c.Key, c.Label)
					for _, o := range c.Options {
						f(q.Code+" column "+c.Key+" option "+o.Value, o.Label)
					}
				}
			}
		}
	}
}

var scripts = map[string]*regexp.Regexp{
	"ar": regexp.MustCompile(`\p{Arabic}`), "zh": regexp.MustCompile(`\p{Han}`), "ru": regexp.MustCompile(`\p{Cyrillic}`),
}

func TestV2EveryTextInSixLanguages(t *testing.T) {
	v2 := MustBuiltin("v2")
	if !slices.Equal(v2.Languages, Languages) {
		t.Fatalf("languages = %v, want %v", v2.Languages, Languages)
	}
	n := 0
	eachText(v2, func(what string, tx Text) {
		if len(tx) == 0 {
			return
		}
		n++
		for _, l := range Languages {
			if strings.TrimSpace(tx[l]) == "" {
				t.Errorf("%s: no %s text", what, l)
			}
		}
		for l, re := range scripts {
			// Proper names and acronyms (FIRST, APCERT) stay in Latin script.
			if tx[l] != "" && tx[l] != tx["en"] && !re.MatchString(tx[l]) {
				t.Errorf("%s: %s text %q is not in its script", what, l, tx[l])
			}
		}
	})
	if n < 380 {
		t.Errorf("only %d texts checked", n)
	}
}

func TestV2UsesUNTerms(t *testing.T) {
	// The established terms of the official language versions of the
	// consensus reports, as they appear in v2's norm (g) title and (k).
	terms := map[string][]string{
		"en": {"critical infrastructure", "emergency response team"},
		"fr": {"infrastructures critiques", "équipes d'intervention d'urgence"},
		"es": {"infraestructura crítica", "equipos autorizados de respuesta a emergencias"},
		"ru": {"критически важной инфраструктуры", "групп реагирования"},
		"zh": {"关键基础设施", "应急响应小组"},
		"ar": {"البنية التحتية الحيوية", "أفرقة الاستجابة لحالات الطوارئ"},
	}
	v2 := MustBuiltin("v2")
	g, _, _ := v2.Section("II.g")
	k := v2By(t, "II.k.1")
	for l, ts := range terms {
		all := g.Title[l] + " " + k.Text[l]
		for _, term := range ts {
			if !strings.Contains(all, term) {
				t.Errorf("%s: %q not used in %q", l, term, all)
			}
		}
	}
	p3, _ := v2.Part("III")
	for l, want := range map[string]string{"en": "Confidence-building measures", "fr": "Mesures de confiance", "es": "Medidas de fomento de la confianza", "ru": "Меры укрепления доверия", "zh": "建立信任措施", "ar": "تدابير بناء الثقة"} {
		if p3.Title[l] != want {
			t.Errorf("Part III %s title = %q, want %q", l, p3.Title[l], want)
		}
	}
}

// practiceOnly are the v2 norm questions whose idea comes from practice,
// not from the text of the norm: how any ICT capabilities are governed, and
// the protection of the response team's own systems.
var practiceOnly = []string{"II.f.3", "II.k.4"}

func TestV2ReplacesAndSources(t *testing.T) {
	v1, v2 := MustBuiltin("v1"), MustBuiltin("v2")
	if v2.Previous != "v1" {
		t.Fatalf("previous = %q", v2.Previous)
	}
	if p := CheckReplaces(v2, v1); len(p) > 0 {
		t.Fatalf("replaces: %v", p)
	}
	for _, q := range v2.AllQuestions() {
		agreed := slices.IndexFunc(q.Sources, AgreedSource)
		if agreed > 0 {
			t.Errorf("%s: agreed source %q is not first", q.Code, q.Sources[agreed])
		}
		if agreed == 0 && !paraRe.MatchString(q.Sources[0]) {
			t.Errorf("%s: %q names no paragraph", q.Code, q.Sources[0])
		}
		// Follow-up questions (which instruments, the team's name) and the
		// optional II.f.3 are practice; every other norm question is agreed.
		if strings.HasPrefix(q.Code, "II.") && !slices.Contains(practiceOnly, q.Code) && q.ShowWhen == nil && agreed != 0 {
			t.Errorf("%s: a norm question cites no agreed text first: %v", q.Code, q.Sources)
		}
	}
	// Every norm question of Part II cites its norm's paragraph first.
	for _, q := range v2.AllQuestions() {
		if strings.HasPrefix(q.Code, "II.") && !slices.Contains(practiceOnly, q.Code) && q.ShowWhen == nil {
			norm := strings.Split(q.Code, ".")[1]
			if want := "A/70/174 para 13(" + norm + ")"; q.Sources[0] != want {
				t.Errorf("%s: first source %q, want %q", q.Code, q.Sources[0], want)
			}
		}
	}
	// A v2 question of another kind than what it replaces would lose the answer.
	for _, q := range v2.AllQuestions() {
		for _, r := range q.Replaces {
			if old, _ := v1.Question(r); old.Kind != q.Kind {
				t.Errorf("%s (%s) replaces %s (%s)", q.Code, q.Kind, r, old.Kind)
			}
		}
	}
}

func TestV2Corrections(t *testing.T) {
	v2 := MustBuiltin("v2")
	f := v2By(t, "II.f.2")
	for _, el := range []string{"conduct", "knowingly support", "contrary to its obligations under international law", "intentionally damages critical infrastructure", "otherwise impairs the use and operation of critical infrastructure", "services to the public"} {
		if !strings.Contains(f.Text["en"], el) {
			t.Errorf("II.f.2 → %s lacks %q", f.Code, el)
		}
	}
	if f.Sources[0] != "A/70/174 para 13(f)" {
		t.Errorf("II.f.2 → %s first source %q", f.Code, f.Sources[0])
	}
	for _, q := range v2.AllQuestions() {
		en := strings.ToLower(q.Text["en"])
		for _, bad := range []string{"offensive", "limits on targets", "operations reviewed", "safe haven", "independent and separate", "adequately resourced"} {
			if strings.Contains(en, bad) {
				t.Errorf("%s presumes or judges: %q", q.Code, bad)
			}
		}
		for _, old := range []string{"II.f.4", "II.f.5", "II.f.6", "II.b.2"} {
			if slices.Contains(q.Replaces, old) && q.Code != "II.b.1" {
				t.Errorf("%s carries %s forward", q.Code, old)
			}
		}
	}
	// One optional question on how any ICT capabilities are governed.
	f3, _ := v2.Question("II.f.3")
	if !strings.Contains(f3.Text["en"], "made public how it governs any ICT capabilities") || !strings.HasPrefix(f3.Text["en"], "Optional") {
		t.Errorf("II.f.3 = %q", f3.Text["en"])
	}
	k := v2By(t, "II.k.1")
	if k != v2By(t, "II.k.3") || strings.Contains(k.Text["en"], "independent") {
		t.Errorf("II.k.1 and II.k.3 are not one question true to norm (k): %s %q", k.Code, k.Text["en"])
	}
	c := v2By(t, "II.c.4")
	if !strings.Contains(c.Text["en"], "notified") || !strings.Contains(c.Text["en"], "infrastructure on your State's territory") {
		t.Errorf("II.c.4 → %s = %q", c.Code, c.Text["en"])
	}
	for _, code := range []string{"II.e.2", "II.e.4"} {
		q := v2By(t, code)
		if !slices.ContainsFunc(q.Sources, func(s string) bool {
			return strings.HasPrefix(s, "A/RES/68/167") || strings.HasPrefix(s, "A/RES/69/166") || strings.HasPrefix(s, "A/HRC/RES/")
		}) {
			t.Errorf("%s → %s not anchored in the texts norm (e) names: %v", code, q.Code, q.Sources)
		}
	}
	if g := v2By(t, "II.e.6"); !strings.HasPrefix(g.Code, "0.") {
		t.Errorf("gender question %s is not cross-cutting", g.Code)
	}
	a, _, _ := v2.Section("II.a")
	var bi, reg, un bool
	for _, q := range a.Questions {
		en := q.Text["en"]
		bi = bi || strings.Contains(en, "bilaterally")
		reg = reg || strings.Contains(en, "regional")
		un = un || strings.Contains(en, "United Nations")
	}
	if !bi || !reg || !un {
		t.Errorf("II.a lacks cooperation bilaterally %v, regionally %v, in the UN %v", bi, reg, un)
	}
	if v2By(t, "II.b.2") != v2By(t, "II.b.1") {
		t.Error("II.b.2 is not folded into II.b.1")
	}
	// Ask once and refer across.
	for _, pair := range [][2]string{{"II.f.1", "II.g.1"}, {"II.h.4", "III.a.1"}, {"I.c.1", "II.a.6"}} {
		if v2By(t, pair[0]) != v2By(t, pair[1]) {
			t.Errorf("%s and %s are asked twice", pair[0], pair[1])
		}
	}
	for _, old := range []string{"II.h.7"} {
		for _, q := range v2.AllQuestions() {
			if slices.Contains(q.Replaces, old) {
				t.Errorf("%s is asked again as %s; III.d.2 asks it", old, q.Code)
			}
		}
	}
	h, _ := v2.Question("II.h.3")
	if !strings.Contains(h.Guidance["en"], "III.a") || !strings.Contains(h.Guidance["en"], "III.d.2") {
		t.Errorf("II.h does not refer across: %q", h.Guidance["en"])
	}
	info := v2By(t, "III.c.1")
	for _, v := range []string{"doctrine", "incident-categories", "ci-designation"} {
		if !hasOption(info.Options, v) {
			t.Errorf("III.c.1 lacks option %s", v)
		}
	}
	if !hasOption(v2By(t, "II.g.2").Options, "internet-core") {
		t.Error("II.g.2 lacks the technical infrastructure essential to the Internet")
	}
	if p, _ := v2.Part("V"); !p.Thematic || !strings.Contains(p.Intro["en"], "thematic priority") {
		t.Errorf("Part V: %+v", p.Intro)
	}
}

func TestCheckFailsOnMissingLanguage(t *testing.T) {
	src := strings.Replace(header, "version: v1\n", "version: x\nlanguages: [en, fr]\n", 1)
	got := Check("t.yaml", []byte(src))
	if len(got) == 0 || !strings.Contains(got[0].String(), "has no fr text") {
		t.Fatalf("problems = %v", got)
	}
	full := strings.NewReplacer("{en: T}", "{en: T, fr: T}", "{en: P}", "{en: P, fr: P}", "{en: S}", "{en: S, fr: S}", "{en: Q1}", "{en: Q1, fr: Q1}").Replace(src)
	if got := Check("t.yaml", []byte(full)); len(got) > 0 {
		t.Fatalf("complete template: %v", got)
	}
	bad := strings.Replace(full, "version: x\n", "version: x\nprevious: v1\n", 1) + "            replaces: [II.z.9]\n"
	if got := Check("t.yaml", []byte(bad)); len(got) != 1 || !strings.Contains(got[0].Msg, "II.z.9, which is not a question of v1") {
		t.Fatalf("bad replaces: %v", got)
	}
}

func TestAcrossVersions(t *testing.T) {
	v1, v2 := MustBuiltin("v1"), MustBuiltin("v2")
	old := map[string]Value{
		"II.f.2": {Status: StatusYes, Measures: "Statement 2024"},
		"II.f.4": {Status: StatusYes}, // dropped: presumed capabilities
		"II.k.1": {},                  // empty: II.k.3's answer is taken
		"II.k.3": {Status: StatusPartly},
		"II.g.1": {Status: StatusYes},
		"II.g.2": {Choices: []string{"energy", "health"}},
		"II.a.8": {Text: "https://example.org/strategy"}, // a url question v2 drops
		"0.a.2":  {Text: "Cyber office"},                 // carried as stored; v2's conditions hide it as v1's did
	}
	src := CarrySources(v2, v1, old)
	want := map[string]string{"II.f.1": "II.f.2", "II.k.1": "II.k.3", "II.g.1": "II.g.1", "II.g.2": "II.g.2", "0.a.2": "0.a.2"}
	if len(src) != len(want) {
		t.Errorf("carry sources = %v, want %v", src, want)
	}
	for to, from := range want {
		if src[to] != from {
			t.Errorf("%s carried from %q, want %q", to, src[to], from)
		}
	}
	same := CarrySources(v1, v1, old)
	if same["II.f.4"] != "II.f.4" || same["II.a.8"] != "II.a.8" || same["II.k.1"] != "" {
		t.Errorf("same version: %v", same)
	}
	// A choice v2 no longer offers is not carried.
	if got := CarrySources(v2, v1, map[string]Value{"II.g.1": {Status: StatusYes}, "II.g.2": {Choices: []string{"gone"}}}); got["II.g.2"] != "" {
		t.Errorf("invalid choice carried: %v", got)
	}
	diffs := CompareAcross(v2, v1, old, map[string]Value{"II.f.1": {Status: StatusYes, Measures: "Statement 2024"}, "II.k.1": {Status: StatusYes}})
	got := map[string]Change{}
	for _, d := range diffs {
		got[d.Code] = d.Change
	}
	for code, c := range map[string]Change{"II.f.1": Unchanged, "II.k.1": Changed, "II.g.1": Removed} {
		if got[code] != c {
			t.Errorf("%s: %q, want %q (all %v)", code, got[code], c, got)
		}
	}
}

func TestStatusDetails(t *testing.T) {
	q := &Question{Code: "X.1", Kind: KindStatus}
	v, errs := ParseAnswer(q, url.Values{"X.1.status": {"yes"}, "X.1.measures": {" Act 12 of 2024 \r\n"},
		"X.1.links": {"https://example.org/a\r\n\r\nhttps://example.org/b\nhttps://example.org/a"}})
	if errs != nil || v.Measures != "Act 12 of 2024" || !slices.Equal(v.Links, []string{"https://example.org/a", "https://example.org/b"}) {
		t.Fatalf("value %+v, errs %v", v, errs)
	}
	if s := v.Summary(q, "fr"); !strings.Contains(s, "Mesures prises: Act 12 of 2024") || !strings.Contains(s, "Liens: https://example.org/a") {
		t.Errorf("summary %q", s)
	}
	if (Value{Measures: "x"}).IsEmpty(KindStatus) || (Value{Links: []string{"https://e.org"}}).IsEmpty(KindStatus) {
		t.Error("details alone count as empty")
	}
	if Equal(v, Value{Status: "yes", Measures: "Act 12 of 2024"}) {
		t.Error("links ignored by Equal")
	}
	_, errs = ParseAnswer(q, url.Values{"X.1.links": {"ftp://example.org\nnot a link"}})
	if errs[LinksField("X.1")] != ErrURL {
		t.Errorf("errs = %v", errs)
	}
	many := strings.Repeat("https://example.org/x\n", 1)
	for i := 0; i <= MaxLinks; i++ {
		many += "https://example.org/" + strings.Repeat("y", i+1) + "\n"
	}
	if _, errs = ParseAnswer(q, url.Values{"X.1.links": {many}}); errs[LinksField("X.1")] != ErrTooManyLinks {
		t.Errorf("errs = %v", errs)
	}
}
