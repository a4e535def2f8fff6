package surveys

import "slices"

// NormLabels are short labels of the 11 norms (2015 GGE report, A/70/174
// para 13) in the six languages, keyed by letter: the one copy that pages,
// PDFs and exports use.
var NormLabels = map[string]Text{
	"a": {"ar": "التعاون من أجل الاستقرار والأمن", "zh": "为稳定与安全开展合作", "en": "Cooperate for stability and security", "fr": "Coopérer pour la stabilité et la sécurité", "ru": "Сотрудничать ради стабильности и безопасности", "es": "Cooperar por la estabilidad y la seguridad"},
	"b": {"ar": "النظر في جميع المعلومات ذات الصلة", "zh": "考虑所有相关信息", "en": "Consider all relevant information", "fr": "Examiner toutes les informations pertinentes", "ru": "Учитывать всю соответствующую информацию", "es": "Considerar toda la información pertinente"},
	"c": {"ar": "منع إساءة استخدام الإقليم", "zh": "防止领土被滥用", "en": "Prevent misuse of territory", "fr": "Empêcher l'utilisation abusive du territoire", "ru": "Не допускать злоупотребления своей территорией", "es": "Impedir el uso indebido del territorio"},
	"d": {"ar": "التعاون في مكافحة الجريمة والإرهاب", "zh": "合作打击犯罪和恐怖主义", "en": "Cooperate against crime and terrorism", "fr": "Coopérer contre la criminalité et le terrorisme", "ru": "Сотрудничать в борьбе с преступностью и терроризмом", "es": "Cooperar contra la delincuencia y el terrorismo"},
	"e": {"ar": "احترام حقوق الإنسان والخصوصية", "zh": "尊重人权和隐私", "en": "Respect human rights and privacy", "fr": "Respecter les droits de l'homme et la vie privée", "ru": "Уважать права человека и неприкосновенность частной жизни", "es": "Respetar los derechos humanos y la privacidad"},
	"f": {"ar": "عدم الإضرار بالبنية التحتية الحيوية", "zh": "不损害关键基础设施", "en": "Do not damage critical infrastructure", "fr": "Ne pas endommager les infrastructures critiques", "ru": "Не повреждать критически важную инфраструктуру", "es": "No dañar la infraestructura crítica"},
	"g": {"ar": "حماية البنية التحتية الحيوية", "zh": "保护关键基础设施", "en": "Protect critical infrastructure", "fr": "Protéger les infrastructures critiques", "ru": "Защищать критически важную инфраструктуру", "es": "Proteger la infraestructura crítica"},
	"h": {"ar": "الاستجابة لطلبات المساعدة", "zh": "回应援助请求", "en": "Respond to requests for assistance", "fr": "Répondre aux demandes d'assistance", "ru": "Отвечать на просьбы о помощи", "es": "Responder a las solicitudes de asistencia"},
	"i": {"ar": "سلامة سلسلة الإمداد", "zh": "供应链完整性", "en": "Supply-chain integrity", "fr": "Intégrité de la chaîne d'approvisionnement", "ru": "Целостность цепочки поставок", "es": "Integridad de la cadena de suministro"},
	"j": {"ar": "الإبلاغ عن مواطن الضعف في تكنولوجيا المعلومات والاتصالات", "zh": "报告信通技术漏洞", "en": "Report ICT vulnerabilities", "fr": "Signaler les vulnérabilités des TIC", "ru": "Сообщать об уязвимостях в ИКТ", "es": "Informar sobre vulnerabilidades de las TIC"},
	"k": {"ar": "عدم إلحاق الضرر بأفرقة الاستجابة للطوارئ", "zh": "不损害应急响应小组", "en": "Do no harm to response teams", "fr": "Ne pas nuire aux équipes d'intervention", "ru": "Не причинять вреда группам реагирования", "es": "No perjudicar a los equipos de respuesta"},
}

// NormCounts is the distribution of status answers for one norm. It is a
// distribution, never a score.
type NormCounts struct {
	Norm                            string
	Yes, Partly, No, NA, Unanswered int
	NotShared                       int // answers kept from the reader (see QuestionWithheld)
}

// Total is the number of status questions counted.
func (n NormCounts) Total() int { return n.Yes + n.Partly + n.No + n.NA + n.Unanswered + n.NotShared }

// NormOverview counts, for each norm a..k in order, the status answers of
// the status questions tagged with that norm (a question tagged with two
// norms counts for both). Only visible questions are counted: a question
// hidden by its condition was not asked, so it is neither answered nor
// unanswered. A visible question without a status is Unanswered.
func NormOverview(t *Template, answers map[string]Value) []NormCounts {
	return NormOverviewFor(AudState, t, answers)
}

// NormOverviewFor is NormOverview as audience aud sees it: shown are the
// answers aud may see (ForAudience), and a question whose answer is kept
// from aud counts as NotShared, never as unanswered.
func NormOverviewFor(aud string, t *Template, shown map[string]Value) []NormCounts {
	out := make([]NormCounts, len(TagNorms))
	for i, n := range TagNorms {
		out[i].Norm = n
	}
	for pi := range t.Parts {
		p := &t.Parts[pi]
		for si := range p.Sections {
			for qi := range p.Sections[si].Questions {
				q := &p.Sections[si].Questions[qi]
				if q.Kind != KindStatus || len(q.Tags.Norms) == 0 || !Visible(q, shown) {
					continue
				}
				withheld := aud != AudState && QuestionWithheld(aud, p, q, shown)
				countNorms(out, q, shown[q.Code].Status, withheld)
			}
		}
	}
	return out
}

// countNorms adds a status answer to the counts of the norms of q.
func countNorms(out []NormCounts, q *Question, status string, withheld bool) {
	for i, n := range TagNorms {
		if !slices.Contains(q.Tags.Norms, n) {
			continue
		}
		c := &out[i]
		if withheld {
			c.NotShared++
			continue
		}
		switch status {
		case StatusYes:
			c.Yes++
		case StatusPartly:
			c.Partly++
		case StatusNo:
			c.No++
		case StatusNA:
			c.NA++
		default:
			c.Unanswered++
		}
	}
}

// Need is one request for assistance found in a report: a row of a rows
// question with register "needs", or a status answer with assistance needed.
// Values of choice columns are option values, not labels.
type Need struct {
	Code string // the question code
	// Row is the index of the row in the needs question, or -1 when the
	// need comes from a status answer's "assistance needed".
	Row         int
	Area        string // area option; for a status answer, the area of its section (AreaOfSection)
	Norm        string // a..k, or "" when none
	CMM         string // CMM dimension, when given
	Type        string
	Priority    string
	Timeframe   string
	Description string
	Budget      string // as typed; a number
}

// Needs collects the needs of a report in template order: every row of the
// visible "needs" rows questions, and every visible status answer that asks
// for assistance (its description is the assistance text, or the question
// text when the State gave none).
func Needs(t *Template, answers map[string]Value) []Need {
	return needsIn(t, answers, true)
}

// needsIn is Needs; without checkVisible it takes every answer as shown
// (answers already reduced to what their report shows, see ReaderCopy).
func needsIn(t *Template, answers map[string]Value, checkVisible bool) []Need {
	var out []Need
	for _, p := range t.Parts {
		for _, s := range p.Sections {
			for i := range s.Questions {
				q := &s.Questions[i]
				if checkVisible && !Visible(q, answers) {
					continue
				}
				v := answers[q.Code]
				switch {
				case q.Kind == KindRows && q.Register == RegisterNeeds:
					for r, row := range v.Rows {
						if emptyMap(row) {
							continue
						}
						norm := row["norm"]
						if norm == "none" {
							norm = ""
						}
						out = append(out, Need{
							Code: q.Code, Row: r, Area: row["area"], Norm: norm, CMM: row["cmm"],
							Type: row["type"], Priority: row["priority"], Timeframe: row["timeframe"],
							Description: row["description"], Budget: row["budget"],
						})
					}
				case q.Kind == KindStatus && v.AssistanceNeeded:
					n := Need{Code: q.Code, Row: -1, Area: AreaOfSection(s.Code), Type: v.AssistanceType,
						Priority: v.AssistancePriority, Description: v.AssistanceText}
					if n.Description == "" {
						n.Description = q.Text["en"]
					}
					if len(q.Tags.Norms) > 0 {
						n.Norm = q.Tags.Norms[0]
					}
					if len(q.Tags.CMM) > 0 {
						n.CMM = q.Tags.CMM[0]
					}
					out = append(out, n)
				}
			}
		}
	}
	return out
}

// Offer is one offer of assistance: a row of a rows question with register
// "offers".
type Offer struct {
	Code        string // the question code
	Row         int    // index of the row
	Area        string // area option value
	Type        string // type option value
	Regions     string
	Modality    string
	Description string
}

// Offers collects the rows of the visible "offers" rows questions in
// template order.
func Offers(t *Template, answers map[string]Value) []Offer {
	var out []Offer
	for _, q := range t.AllQuestions() {
		if q.Kind != KindRows || q.Register != RegisterOffers || !Visible(q, answers) {
			continue
		}
		for r, row := range answers[q.Code].Rows {
			if emptyMap(row) {
				continue
			}
			out = append(out, Offer{
				Code: q.Code, Row: r, Area: row["area"], Type: row["type"],
				Regions: row["regions"], Modality: row["modality"], Description: row["description"],
			})
		}
	}
	return out
}
