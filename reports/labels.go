package reports

import (
	"fmt"
	"sync"

	"github.com/natreport/natreport/i18n"
	"github.com/natreport/natreport/surveys"
)

// labels are the fixed words of a report in one language. Template texts
// (titles, questions, options) come translated with the template; these are
// the report's own.
type labels struct {
	NationalReport   string
	Cover            string
	Contents         string
	Overview         string
	OverviewIntro    string
	Norm             string
	Sources          string
	Code             string
	Question         string
	Challenges       string
	AssistanceNeeded string
	EmptySection     string
	NotSharedSection string // format with the number of questions kept from the reader
	PageOf           string // format with the page number and the page count
	Colon            string // between a label and its value
	DraftMark        string
	State            string
	ISO              string
	Process          string
	Cycle            string
	Version          string
	TemplateVersion  string
	Status           string
	Submitted        string
	NotSubmitted     string
	Visibility       string
	CopyFor          string
	Generated        string
	// Answer values: yes, partly, no, na, "" (unanswered) and withheld (not
	// shared with the reader of this copy), and report status names: the
	// interface's words, from the i18n catalogue (answer.*,
	// print.unanswered, status.*), filled by labelsFor.
	Answer     map[string]string
	StatusName map[string]string
	// Visibility names: private, restricted, donors, public.
	VisibilityName map[string]string
	// Audience names: state, secretariat, donors, public.
	AudienceName map[string]string
	// Contact field names, keyed by surveys.ContactFields.
	Contact map[string]string
	// Short labels of the eleven norms (surveys.NormLabels), keyed a..k.
	Norms map[string]string
	// The type and priority of an "assistance needed" mark: the field
	// names, and the words for each value (surveys.AssistanceTypes,
	// surveys.NeedPriorities), from the catalogue (needs.*).
	AssistType, AssistPriority    string
	AssistTypes, AssistPriorities map[string]string
	// The headings of a status answer's measures and links, and of the
	// cycle's thematic priority (surveys.DetailLabel). Every word the
	// report draws is a field here, so that documentRunes finds it.
	Measures, Links, Thematic string
}

// normKeys are the eleven norms in order.
var normKeys = []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}

// answerKeys are the segments of the overview chart, in order.
var answerKeys = []string{"yes", "partly", "no", "na", "", withheldKey}

// withheldKey is the answer key of questions whose answers this copy's
// reader may not see: "not shared with you", never "unanswered".
const withheldKey = "withheld"

// labelsFor returns the labels of lang, English when lang is not one of
// the six.
func labelsFor(lang string) *labels {
	fromCatalogue.Do(func() {
		for lang, l := range allLabels {
			p := i18n.NewPrinter(lang)
			l.Answer = map[string]string{"": p.T("print.unanswered"), withheldKey: p.T("status.withheld")}
			for _, k := range surveys.StatusValues {
				l.Answer[k] = p.T("answer." + k)
			}
			l.StatusName = map[string]string{}
			for _, st := range surveys.Statuses {
				l.StatusName[st] = p.T("status." + st)
			}
			l.Norms = map[string]string{}
			for _, k := range normKeys {
				l.Norms[k] = surveys.NormLabels[k].In(lang)
			}
			l.AssistType, l.AssistPriority = p.T("needs.type"), p.T("needs.priority")
			l.AssistTypes, l.AssistPriorities = map[string]string{}, map[string]string{}
			for _, v := range surveys.AssistanceTypes {
				l.AssistTypes[v] = p.T("needs.type." + v)
			}
			for _, v := range surveys.NeedPriorities {
				l.AssistPriorities[v] = p.T("needs.priority." + v)
			}
			l.Measures, l.Links = surveys.DetailLabel("measures", lang), surveys.DetailLabel("links", lang)
			l.Thematic = surveys.DetailLabel("thematic", lang)
		}
	})
	if l, ok := allLabels[lang]; ok {
		return l
	}
	return allLabels["en"]
}

// fromCatalogue fills the labels the report shares with the interface.
var fromCatalogue sync.Once

// pageOf formats the "page x of y" footer.
func (l *labels) pageOf(page, pages int) string {
	return fmt.Sprintf(l.PageOf, page, pages)
}

// name looks a key up in one of the label maps and falls back to the key.
func name(m map[string]string, key string) string {
	if s, ok := m[key]; ok {
		return s
	}
	return key
}

var allLabels = map[string]*labels{
	"en": {
		Colon:            ": ",
		NationalReport:   "National report",
		Cover:            "Cover",
		Contents:         "Contents",
		Overview:         "Overview",
		OverviewIntro:    "Distribution of the answers to status questions tagged with each norm (A/70/174, para. 13). Counts only: this is not a score or a ranking.",
		Norm:             "Norm",
		Sources:          "Sources",
		Code:             "Code",
		Question:         "Question and answer",
		Challenges:       "Challenges",
		AssistanceNeeded: "Assistance needed",
		EmptySection:     "No answer is shown for this section.",
		NotSharedSection: "Questions of this section not shared with you: %d",
		PageOf:           "Page %d of %d",
		DraftMark:        "DRAFT: for internal coordination",
		State:            "State",
		ISO:              "ISO code",
		Process:          "Process",
		Cycle:            "Reporting cycle",
		Version:          "Version",
		TemplateVersion:  "Template version",
		Status:           "Status",
		Submitted:        "Submitted on",
		NotSubmitted:     "Not submitted",
		Visibility:       "Visibility",
		CopyFor:          "Copy for",
		Generated:        "Generated on",
		VisibilityName:   map[string]string{"private": "Private", "restricted": "Restricted", "donors": "Donors", "public": "Public"},
		AudienceName:     map[string]string{"state": "State", "secretariat": "Secretariat", "donors": "Donors", "public": "Public"},
		Contact:          map[string]string{"name": "Name", "position": "Position", "organisation": "Organisation", "email": "Email", "phone": "Telephone", "languages": "Languages"},
	},
	"fr": {
		Colon:            " : ",
		NationalReport:   "Rapport national",
		Cover:            "Couverture",
		Contents:         "Table des matières",
		Overview:         "Vue d'ensemble",
		OverviewIntro:    "Répartition des réponses aux questions de statut associées à chaque norme (A/70/174, par. 13). Simples décomptes : il ne s'agit ni d'une note ni d'un classement.",
		Norm:             "Norme",
		Sources:          "Sources",
		Code:             "Code",
		Question:         "Question et réponse",
		Challenges:       "Difficultés",
		AssistanceNeeded: "Assistance requise",
		EmptySection:     "Aucune réponse n'est affichée pour cette section.",
		NotSharedSection: "Questions de cette section non partagées avec vous : %d",
		PageOf:           "Page %d sur %d",
		DraftMark:        "PROJET : pour coordination interne",
		State:            "État",
		ISO:              "Code ISO",
		Process:          "Processus",
		Cycle:            "Cycle de rapport",
		Version:          "Version",
		TemplateVersion:  "Version du modèle",
		Status:           "Statut",
		Submitted:        "Soumis le",
		NotSubmitted:     "Non soumis",
		Visibility:       "Visibilité",
		CopyFor:          "Exemplaire destiné à",
		Generated:        "Généré le",
		VisibilityName:   map[string]string{"private": "Privé", "restricted": "Restreint", "donors": "Donateurs", "public": "Public"},
		AudienceName:     map[string]string{"state": "État", "secretariat": "Secrétariat", "donors": "Donateurs", "public": "Public"},
		Contact:          map[string]string{"name": "Nom", "position": "Fonction", "organisation": "Organisation", "email": "Courriel", "phone": "Téléphone", "languages": "Langues"},
	},
	"es": {
		Colon:            ": ",
		NationalReport:   "Informe nacional",
		Cover:            "Portada",
		Contents:         "Índice",
		Overview:         "Panorama general",
		OverviewIntro:    "Distribución de las respuestas a las preguntas de situación vinculadas a cada norma (A/70/174, párr. 13). Solo recuentos: no es una puntuación ni una clasificación.",
		Norm:             "Norma",
		Sources:          "Fuentes",
		Code:             "Código",
		Question:         "Pregunta y respuesta",
		Challenges:       "Dificultades",
		AssistanceNeeded: "Asistencia necesaria",
		EmptySection:     "No se muestra ninguna respuesta para esta sección.",
		NotSharedSection: "Preguntas de esta sección no compartidas con usted: %d",
		PageOf:           "Página %d de %d",
		DraftMark:        "BORRADOR: para coordinación interna",
		State:            "Estado",
		ISO:              "Código ISO",
		Process:          "Proceso",
		Cycle:            "Ciclo de presentación de informes",
		Version:          "Versión",
		TemplateVersion:  "Versión de la plantilla",
		Status:           "Situación",
		Submitted:        "Presentado el",
		NotSubmitted:     "No presentado",
		Visibility:       "Visibilidad",
		CopyFor:          "Copia para",
		Generated:        "Generado el",
		VisibilityName:   map[string]string{"private": "Privado", "restricted": "Restringido", "donors": "Donantes", "public": "Público"},
		AudienceName:     map[string]string{"state": "Estado", "secretariat": "Secretaría", "donors": "Donantes", "public": "Público"},
		Contact:          map[string]string{"name": "Nombre", "position": "Cargo", "organisation": "Organización", "email": "Correo electrónico", "phone": "Teléfono", "languages": "Idiomas"},
	},
	"ru": {
		Colon:            ": ",
		NationalReport:   "Национальный доклад",
		Cover:            "Обложка",
		Contents:         "Содержание",
		Overview:         "Обзор",
		OverviewIntro:    "Распределение ответов на вопросы о статусе, относящиеся к каждой норме (A/70/174, п. 13). Только подсчёт: это не оценка и не рейтинг.",
		Norm:             "Норма",
		Sources:          "Источники",
		Code:             "Код",
		Question:         "Вопрос и ответ",
		Challenges:       "Трудности",
		AssistanceNeeded: "Необходимая помощь",
		EmptySection:     "Для этого раздела ответы не отображаются.",
		NotSharedSection: "Вопросы этого раздела, не предоставленные вам: %d",
		PageOf:           "Страница %d из %d",
		DraftMark:        "ПРОЕКТ: для внутреннего согласования",
		State:            "Государство",
		ISO:              "Код ISO",
		Process:          "Процесс",
		Cycle:            "Цикл представления докладов",
		Version:          "Версия",
		TemplateVersion:  "Версия шаблона",
		Status:           "Статус",
		Submitted:        "Дата представления",
		NotSubmitted:     "Не представлен",
		Visibility:       "Доступ",
		CopyFor:          "Экземпляр для",
		Generated:        "Дата создания",
		VisibilityName:   map[string]string{"private": "Закрытый", "restricted": "Ограниченный", "donors": "Для доноров", "public": "Открытый"},
		AudienceName:     map[string]string{"state": "Государство", "secretariat": "Секретариат", "donors": "Доноры", "public": "Общественность"},
		Contact:          map[string]string{"name": "Имя", "position": "Должность", "organisation": "Организация", "email": "Электронная почта", "phone": "Телефон", "languages": "Языки"},
	},
	"zh": {
		Colon:            "：",
		NationalReport:   "国家报告",
		Cover:            "封面",
		Contents:         "目录",
		Overview:         "概览",
		OverviewIntro:    "与每项规范相关的状态问题的答复分布（A/70/174，第13段）。仅为计数：既非评分，也非排名。",
		Norm:             "规范",
		Sources:          "来源",
		Code:             "编号",
		Question:         "问题与答复",
		Challenges:       "挑战",
		AssistanceNeeded: "所需援助",
		EmptySection:     "本节没有显示任何答复。",
		NotSharedSection: "本节未与您共享的问题：%d",
		PageOf:           "第 %d 页，共 %d 页",
		DraftMark:        "草稿：仅供内部协调",
		State:            "国家",
		ISO:              "ISO 代码",
		Process:          "进程",
		Cycle:            "报告周期",
		Version:          "版本",
		TemplateVersion:  "模板版本",
		Status:           "状态",
		Submitted:        "提交日期",
		NotSubmitted:     "未提交",
		Visibility:       "可见范围",
		CopyFor:          "副本提供对象",
		Generated:        "生成日期",
		VisibilityName:   map[string]string{"private": "不公开", "restricted": "限制", "donors": "捐助方", "public": "公开"},
		AudienceName:     map[string]string{"state": "国家", "secretariat": "秘书处", "donors": "捐助方", "public": "公众"},
		Contact:          map[string]string{"name": "姓名", "position": "职务", "organisation": "机构", "email": "电子邮件", "phone": "电话", "languages": "语言"},
	},
	"ar": {
		Colon:            ": ",
		NationalReport:   "التقرير الوطني",
		Cover:            "الغلاف",
		Contents:         "المحتويات",
		Overview:         "نظرة عامة",
		OverviewIntro:    "توزيع الإجابات على أسئلة الحالة المرتبطة بكل قاعدة (A/70/174، الفقرة 13). أعداد فقط: ليست تقييما ولا ترتيبا.",
		Norm:             "القاعدة",
		Sources:          "المصادر",
		Code:             "الرمز",
		Question:         "السؤال والإجابة",
		Challenges:       "التحديات",
		AssistanceNeeded: "المساعدة المطلوبة",
		EmptySection:     "لا توجد إجابات معروضة في هذا القسم.",
		NotSharedSection: "أسئلة هذا القسم غير المتاحة لك: %d",
		PageOf:           "الصفحة %d من %d",
		DraftMark:        "مسودة: للتنسيق الداخلي",
		State:            "الدولة",
		ISO:              "رمز ISO",
		Process:          "العملية",
		Cycle:            "دورة الإبلاغ",
		Version:          "الإصدار",
		TemplateVersion:  "إصدار النموذج",
		Status:           "الحالة",
		Submitted:        "تاريخ التقديم",
		NotSubmitted:     "لم يقدم",
		Visibility:       "إمكانية الاطلاع",
		CopyFor:          "نسخة موجهة إلى",
		Generated:        "تاريخ الإنشاء",
		VisibilityName:   map[string]string{"private": "خاص", "restricted": "مقيد", "donors": "الجهات المانحة", "public": "علني"},
		AudienceName:     map[string]string{"state": "الدولة", "secretariat": "الأمانة", "donors": "الجهات المانحة", "public": "الجمهور"},
		Contact:          map[string]string{"name": "الاسم", "position": "المنصب", "organisation": "المنظمة", "email": "البريد الإلكتروني", "phone": "الهاتف", "languages": "اللغات"},
	},
}
