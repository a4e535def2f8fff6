package i18n

import "testing"

// TestProcessTitle: the process names the secretariat types are given
// in each of the six languages, in the UN's terms, however they are typed;
// other names stay as typed.
func TestProcessTitle(t *testing.T) {
	for _, tt := range []struct {
		typed, lang, want string
	}{
		{"Global Mechanism on ICT security", "fr", "Mécanisme mondial sur la sécurité des TIC"},
		{"Global Mechanism", "zh", "全球机制"},
		{"Open-ended working group", "ru", "Рабочая группа открытого состава"},
		{"Open-ended Working Group", "fr", "Groupe de travail à composition non limitée"},
		{"open ended  working group", "es", "Grupo de Trabajo de Composición Abierta"},
		{"OEWG", "ar", "الفريق العامل المفتوح العضوية"},
		{"OEWG", "zh", "不限成员名额工作组"},
		{"OEWG", "en", "Open-ended working group"},
		{"Open-ended working group on ICT security", "ru", "Рабочая группа открытого состава по безопасности ИКТ"},
		{"Programme of Action", "es", "Programa de Acción"},
		{"Program of Action on ICT security", "fr", "Programme d'action sur la sécurité des TIC"},
		{"PoA", "ar", "برنامج العمل"},
		{"Annual review", "zh", "年度审议"},
		{"Annual conference", "ru", "Ежегодная конференция"},
		{"Regional workshop", "fr", "Regional workshop"},
	} {
		if got := ProcessTitle(tt.lang, tt.typed); got != tt.want {
			t.Errorf("ProcessTitle(%s, %q) = %q, want %q", tt.lang, tt.typed, got, tt.want)
		}
	}
	// Every name known is given in every language, not in English.
	for typed, key := range processKeys {
		en := ProcessTitle("en", typed)
		if en == key || processKeys[processKey(en)] != key {
			t.Errorf("%q in English = %q, which is not known as the same process", typed, en)
		}
		for _, lang := range []string{"ar", "zh", "fr", "ru", "es"} {
			if got := ProcessTitle(lang, typed); got == en || got == key {
				t.Errorf("%q in %s = %q", typed, lang, got)
			}
		}
	}
}
