package surveys

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// The built-in templates. A version used by a cycle never changes: a new
// version is a new file named after it (templates/v2.yaml holds version v2).
//
//go:embed templates/*.yaml
var builtinFS embed.FS

// Parse reads a template from YAML and validates it. name is the file name
// used in problem reports. On any problem (YAML syntax, unknown field, wrong
// type or a failed check) it returns a *ValidationError listing them all with
// file, line and question code.
func Parse(name string, data []byte) (*Template, error) {
	t, problems := parse(name, data)
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	return t, nil
}

// Check returns every problem of the template in data: YAML errors (with
// their line) or, when the YAML decodes, the problems found by Validate.
// It backs `natreport template check FILE`.
// A template that names a Previous version has its Replaces codes checked
// against the built-in template of that version.
func Check(name string, data []byte) []Problem {
	t, problems := parse(name, data)
	if len(problems) > 0 || t == nil || t.Previous == "" {
		return problems
	}
	all, err := Builtin()
	if err != nil {
		return []Problem{{File: name, Msg: "built-in templates: " + err.Error()}}
	}
	return CheckReplaces(t, all[t.Previous])
}

func parse(name string, data []byte) (*Template, []Problem) {
	// First pass: the node tree, for line numbers.
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlProblems(name, err)
	}
	if len(root.Content) == 0 {
		return nil, []Problem{{File: name, Line: 1, Msg: "empty template"}}
	}
	// Second pass: strict decoding. yaml.Node.Decode cannot refuse unknown
	// fields, so decode again through a Decoder with KnownFields.
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var t Template
	if err := dec.Decode(&t); err != nil {
		return nil, yamlProblems(name, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		line := extra.Line
		if err != nil {
			return nil, yamlProblems(name, err)
		}
		return nil, []Problem{{File: name, Line: line, Msg: "more than one YAML document in the file"}}
	}
	t.File = name
	setLines(&t, &root)
	if problems := Validate(&t); len(problems) > 0 {
		return &t, problems
	}
	t.Link()
	return &t, nil
}

var (
	yamlLineRe    = regexp.MustCompile(`^line (\d+): (.*)$`)
	yamlUnknownRe = regexp.MustCompile(`^field (\S+) not found in type surveys\.(\w+)$`)
)

// yamlTypeNames names the template's Go types as a template author knows them.
var yamlTypeNames = map[string]string{
	"Template": "template", "Part": "part", "Section": "section", "Question": "question",
	"Option": "option", "Column": "column", "Condition": "show_when", "Tags": "tags",
}

func yamlProblems(name string, err error) []Problem {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		out := make([]Problem, 0, len(te.Errors))
		for _, e := range te.Errors {
			out = append(out, yamlProblem(name, e))
		}
		return out
	}
	return []Problem{yamlProblem(name, err.Error())}
}

func yamlProblem(name, msg string) Problem {
	msg = strings.TrimPrefix(msg, "yaml: ")
	p := Problem{File: name}
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	if m := yamlUnknownRe.FindStringSubmatch(msg); m != nil {
		where := yamlTypeNames[m[2]]
		if where == "" {
			where = m[2]
		}
		msg = fmt.Sprintf("unknown field %q in %s", m[1], where)
	} else if strings.Contains(msg, "into surveys.Text") {
		msg = `expected a map of language codes to text, such as {en: "..."}`
	} else {
		msg = strings.ReplaceAll(msg, "surveys.", "")
	}
	p.Msg = msg
	return p
}

// setLines copies the line of each part, section and question from the node
// tree into the decoded template (both list them in the same order).
func setLines(t *Template, root *yaml.Node) {
	doc := root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		doc = doc.Content[0]
	}
	for i, pn := range seqItems(mapValue(doc, "parts")) {
		if i >= len(t.Parts) {
			break
		}
		p := &t.Parts[i]
		p.Line = pn.Line
		for j, sn := range seqItems(mapValue(pn, "sections")) {
			if j >= len(p.Sections) {
				break
			}
			s := &p.Sections[j]
			s.Line = sn.Line
			for k, qn := range seqItems(mapValue(sn, "questions")) {
				if k >= len(s.Questions) {
					break
				}
				s.Questions[k].Line = qn.Line
			}
		}
	}
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return deref(n.Content[i+1])
		}
	}
	return nil
}

func seqItems(n *yaml.Node) []*yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		out[i] = deref(c)
	}
	return out
}

var builtin struct {
	once sync.Once
	m    map[string]*Template
	err  error
}

// Builtin returns the embedded templates keyed by version ("v1", ...).
// They are parsed once and shared: callers must not modify them.
func Builtin() (map[string]*Template, error) {
	builtin.once.Do(func() { builtin.m, builtin.err = loadBuiltin(builtinFS) })
	if builtin.err != nil {
		return nil, builtin.err
	}
	out := make(map[string]*Template, len(builtin.m))
	for k, v := range builtin.m {
		out[k] = v
	}
	return out, nil
}

func loadBuiltin(fsys fs.FS) (map[string]*Template, error) {
	files, err := fs.Glob(fsys, "templates/*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	out := make(map[string]*Template, len(files))
	var errs []error
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		name := "surveys/" + f
		t, err := Parse(name, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		// The file is named after the version so that a new version is
		// always a new file and an old one is never edited in place.
		if want := strings.TrimSuffix(path.Base(f), ".yaml"); t.Version != want {
			errs = append(errs, fmt.Errorf("%s: version %q does not match the file name (want %q)", name, t.Version, want))
			continue
		}
		out[t.Version] = t
	}
	for _, v := range sortedVersions(out) {
		t := out[v]
		if problems := CheckReplaces(t, out[t.Previous]); len(problems) > 0 {
			errs = append(errs, &ValidationError{Problems: problems})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

func sortedVersions(m map[string]*Template) []string {
	out := make([]string, 0, len(m))
	for v := range m {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// MustBuiltin returns the embedded template of the given version and panics
// if it is missing or invalid (the embedded files are tested, so this is a
// programming error).
func MustBuiltin(version string) *Template {
	m, err := Builtin()
	if err != nil {
		panic(err)
	}
	t, ok := m[version]
	if !ok {
		panic(fmt.Sprintf("surveys: no built-in template %q", version))
	}
	return t
}

// Link indexes the questions by code and resolves each show_when reference,
// so that Question is fast and Visible follows chains of conditions. Parse
// calls it; call it yourself on a template built in Go, after building it.
func (t *Template) Link() {
	t.index = make(map[string]*Question)
	qs := t.AllQuestions()
	for _, q := range qs {
		if _, dup := t.index[q.Code]; !dup {
			t.index[q.Code] = q
		}
	}
	for _, q := range qs {
		q.cond = nil
		if q.ShowWhen != nil {
			q.cond = t.index[q.ShowWhen.Question]
		}
	}
}

// Question returns the question with the given code.
func (t *Template) Question(code string) (*Question, bool) {
	if q, ok := t.index[code]; ok && q.Code == code {
		return q, true
	}
	for _, q := range t.AllQuestions() {
		if q.Code == code {
			return q, true
		}
	}
	return nil, false
}

// Section returns the section with the given code and the part holding it.
func (t *Template) Section(code string) (*Section, *Part, bool) {
	for i := range t.Parts {
		p := &t.Parts[i]
		for j := range p.Sections {
			if p.Sections[j].Code == code {
				return &p.Sections[j], p, true
			}
		}
	}
	return nil, nil, false
}

// Part returns the part with the given code.
func (t *Template) Part(code string) (*Part, bool) {
	for i := range t.Parts {
		if t.Parts[i].Code == code {
			return &t.Parts[i], true
		}
	}
	return nil, false
}

// AllQuestions returns every question in template order. The pointers point
// into the template.
func (t *Template) AllQuestions() []*Question {
	var out []*Question
	for i := range t.Parts {
		p := &t.Parts[i]
		for j := range p.Sections {
			s := &p.Sections[j]
			for k := range s.Questions {
				out = append(out, &s.Questions[k])
			}
		}
	}
	return out
}

// Sections returns every section in template order. The pointers point into
// the template.
func (t *Template) Sections() []*Section {
	var out []*Section
	for i := range t.Parts {
		p := &t.Parts[i]
		for j := range p.Sections {
			out = append(out, &p.Sections[j])
		}
	}
	return out
}
