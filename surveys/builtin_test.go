package surveys

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestBuiltinFilesHaveNoProblems(t *testing.T) {
	files, err := fs.Glob(builtinFS, "templates/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no embedded templates: %v", err)
	}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			data, err := fs.ReadFile(builtinFS, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range Check(f, data) {
				t.Error(p)
			}
		})
	}
}

func TestBuiltinV1(t *testing.T) {
	m, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	tpl, ok := m["v1"]
	if !ok {
		t.Fatal("no v1")
	}
	if MustBuiltin("v1") != tpl {
		t.Error("MustBuiltin(v1) is not the shared v1")
	}
	qs := tpl.AllQuestions()

	t.Run("question count", func(t *testing.T) {
		if n := len(qs); n < 120 || n > 200 {
			t.Errorf("%d questions, want 120-200", n)
		}
	})

	t.Run("codes unique and lines set", func(t *testing.T) {
		seen := map[string]bool{}
		for i := range tpl.Parts {
			p := &tpl.Parts[i]
			for j := range p.Sections {
				s := &p.Sections[j]
				for _, c := range []string{p.Code, s.Code} {
					seen[c] = true
				}
				for k := range s.Questions {
					q := &s.Questions[k]
					if seen[q.Code] {
						t.Errorf("%s: duplicate code", q.Code)
					}
					seen[q.Code] = true
					if q.Line == 0 {
						t.Errorf("%s: no line", q.Code)
					}
				}
			}
		}
	})

	t.Run("conditions refer to earlier choice questions", func(t *testing.T) {
		pos := map[string]int{}
		for i, q := range qs {
			pos[q.Code] = i
		}
		for i, q := range qs {
			if q.ShowWhen == nil {
				continue
			}
			j, ok := pos[q.ShowWhen.Question]
			if !ok || j >= i {
				t.Errorf("%s: show_when %s is not earlier", q.Code, q.ShowWhen.Question)
				continue
			}
			target := qs[j]
			valid := StatusValues
			switch target.Kind {
			case KindStatus:
			case KindSingle, KindMulti:
				valid = optionValues(target.Options)
			default:
				t.Errorf("%s: show_when on a %s question", q.Code, target.Kind)
			}
			for _, v := range q.ShowWhen.In {
				if !slices.Contains(valid, v) {
					t.Errorf("%s: show_when value %q not valid for %s", q.Code, v, target.Code)
				}
			}
			if q.cond != target {
				t.Errorf("%s: condition not linked", q.Code)
			}
		}
	})

	t.Run("sources, tags and English text", func(t *testing.T) {
		for _, q := range qs {
			if len(q.Sources) == 0 {
				t.Errorf("%s: no sources", q.Code)
			}
			for _, s := range q.Sources {
				if !knownSource(s) {
					t.Errorf("%s: unknown source %q", q.Code, s)
				}
			}
			for _, tag := range q.Tags.Norms {
				if !slices.Contains(TagNorms, tag) {
					t.Errorf("%s: norm tag %q", q.Code, tag)
				}
			}
			for _, tag := range q.Tags.CMM {
				if !slices.Contains(TagCMM, tag) {
					t.Errorf("%s: cmm tag %q", q.Code, tag)
				}
			}
			for _, tag := range q.Tags.GCI {
				if !slices.Contains(TagGCI, tag) {
					t.Errorf("%s: gci tag %q", q.Code, tag)
				}
			}
			for _, tag := range q.Tags.Level {
				if !slices.Contains(TagLevels, tag) {
					t.Errorf("%s: level tag %q", q.Code, tag)
				}
			}
			if strings.TrimSpace(q.Text["en"]) == "" {
				t.Errorf("%s: no English text", q.Code)
			}
		}
	})

	t.Run("every norm has a section with 3-6 status questions", func(t *testing.T) {
		for _, n := range TagNorms {
			s, p, ok := tpl.Section("II." + n)
			if !ok || p.Code != "II" {
				t.Errorf("no section II.%s in part II", n)
				continue
			}
			count := 0
			for _, q := range s.Questions {
				if q.Kind == KindStatus {
					count++
					if !slices.Contains(q.Tags.Norms, n) {
						t.Errorf("%s: not tagged with norm %s", q.Code, n)
					}
				}
			}
			if count < 3 || count > 6 {
				t.Errorf("II.%s: %d status questions, want 3-6", n, count)
			}
		}
	})

	t.Run("restraint norms explain yes", func(t *testing.T) {
		for _, n := range []string{"c", "f", "k"} {
			s, _, _ := tpl.Section("II." + n)
			for _, q := range s.Questions {
				if q.Kind == KindStatus && !strings.Contains(q.Guidance["en"], "give effect to the restraint") {
					t.Errorf("%s: guidance does not explain what yes means for a restraint norm", q.Code)
				}
			}
		}
	})

	t.Run("contacts never published", func(t *testing.T) {
		contacts := 0
		for _, q := range qs {
			if q.Kind == KindContact {
				contacts++
				if !q.NeverPublish {
					t.Errorf("%s: contact without never_publish", q.Code)
				}
			}
		}
		if contacts < 2 {
			t.Errorf("%d contact questions, want diplomatic and technical at least", contacts)
		}
	})

	t.Run("parts and registers", func(t *testing.T) {
		var codes []string
		for _, p := range tpl.Parts {
			codes = append(codes, p.Code)
			if p.Thematic != (p.Code == "V") {
				t.Errorf("part %s thematic = %v", p.Code, p.Thematic)
			}
		}
		if want := []string{"0", "I", "II", "III", "IV", "V"}; !slices.Equal(codes, want) {
			t.Errorf("parts %v, want %v", codes, want)
		}
		registers := map[string]string{}
		for _, q := range qs {
			if q.Register != "" {
				registers[q.Register] = q.Code
			}
		}
		if registers[RegisterNeeds] == "" || registers[RegisterOffers] == "" {
			t.Errorf("registers = %v, want needs and offers", registers)
		}
		needs, _ := tpl.Question(registers[RegisterNeeds])
		var keys []string
		for _, c := range needs.Columns {
			keys = append(keys, c.Key)
		}
		if want := []string{"area", "norm", "cmm", "type", "priority", "timeframe", "budget", "description"}; !slices.Equal(keys, want) {
			t.Errorf("needs columns %v, want %v", keys, want)
		}
	})
}

func TestMustBuiltinPanicsOnUnknownVersion(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	MustBuiltin("v999")
}

func TestLoadBuiltinChecksFileName(t *testing.T) {
	fsys := fstest.MapFS{"templates/v2.yaml": {Data: withQuestions("")}}
	_, err := loadBuiltin(fsys)
	want := `surveys/templates/v2.yaml: version "v1" does not match the file name (want "v2")`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}
