package reports

import (
	"fmt"
	"time"

	"github.com/natreport/natreport/surveys"
)

// tx builds a Text from the six languages in the order ar, zh, en, fr, ru, es.
func tx(ar, zh, en, fr, ru, es string) surveys.Text {
	return surveys.Text{"ar": ar, "zh": zh, "en": en, "fr": fr, "ru": ru, "es": es}
}

func opt(value string, label surveys.Text) surveys.Option {
	return surveys.Option{Value: value, Label: label}
}

var (
	optAreas = []surveys.Option{
		opt("cert", tx("تطوير أفرقة CERT/CSIRT", "CERT/CSIRT 建设", "CERT/CSIRT development", "Développement des CERT/CSIRT", "Развитие CERT/CSIRT", "Desarrollo de CERT/CSIRT")),
		opt("law", tx("الصياغة القانونية", "法律起草", "Legal drafting", "Rédaction juridique", "Разработка законодательства", "Redacción jurídica")),
		opt("ci", tx("حماية البنية التحتية الحيوية", "关键基础设施保护", "Critical infrastructure protection", "Protection des infrastructures critiques", "Защита критически важной инфраструктуры", "Protección de la infraestructura crítica")),
	}
	optTypes = []surveys.Option{
		opt("training", tx("التدريب", "培训", "Training", "Formation", "Обучение", "Capacitación")),
		opt("technical", tx("المساعدة التقنية", "技术援助", "Technical assistance", "Assistance technique", "Техническая помощь", "Asistencia técnica")),
		opt("equipment", tx("المعدات", "设备", "Equipment", "Équipement", "Оборудование", "Equipo")),
	}
	optPriority = []surveys.Option{
		opt("high", tx("عالية", "高", "High", "Élevée", "Высокий", "Alta")),
		opt("medium", tx("متوسطة", "中", "Medium", "Moyenne", "Средний", "Media")),
		opt("low", tx("منخفضة", "低", "Low", "Faible", "Низкий", "Baja")),
	}
	optTopics = []surveys.Option{
		opt("sovereignty", tx("السيادة", "主权", "Sovereignty", "Souveraineté", "Суверенитет", "Soberanía")),
		opt("due_diligence", tx("العناية الواجبة", "尽职调查", "Due diligence", "Diligence requise", "Должная осмотрительность", "Diligencia debida")),
		opt("responsibility", tx("مسؤولية الدول", "国家责任", "State responsibility", "Responsabilité de l'État", "Ответственность государств", "Responsabilidad del Estado")),
		opt("ihl", tx("القانون الإنساني الدولي", "国际人道法", "International humanitarian law", "Droit international humanitaire", "Международное гуманитарное право", "Derecho internacional humanitario")),
	}
	optLawStatus = []surveys.Option{
		opt("adopted", tx("اعتمد", "已通过", "Adopted", "Adoptée", "Принят", "Aprobada")),
		opt("drafting", tx("قيد الصياغة", "起草中", "Being drafted", "En cours de rédaction", "В процессе разработки", "En preparación")),
		opt("none", tx("لا يوجد", "无", "None", "Aucune", "Отсутствует", "Ninguna")),
	}
)

// testTemplate is a small template with every question kind.
func testTemplate() *surveys.Template {
	return &surveys.Template{
		Version: "2026.1",
		Title: tx("الاستبيان الوطني بشأن السلوك المسؤول للدول في الفضاء السيبراني", "关于网络空间负责任国家行为的国家调查",
			"National survey on responsible State behaviour in cyberspace", "Enquête nationale sur le comportement responsable des États dans le cyberespace",
			"Национальный обзор ответственного поведения государств в киберпространстве", "Encuesta nacional sobre el comportamiento responsable de los Estados en el ciberespacio"),
		Parts: []surveys.Part{
			{
				Code:  "0",
				Title: tx("معلومات عامة", "一般信息", "General information", "Informations générales", "Общие сведения", "Información general"),
				Sections: []surveys.Section{{
					Code:  "0.1",
					Title: tx("جهات الاتصال والاستراتيجية", "联络点和战略", "Points of contact and strategy", "Points de contact et stratégie", "Контактные лица и стратегия", "Puntos de contacto y estrategia"),
					Questions: []surveys.Question{
						{Code: "0.1.1", Kind: surveys.KindContact, Text: tx("جهة الاتصال الوطنية لهذا التقرير", "本报告的国家联络点", "National point of contact for this report", "Point de contact national pour ce rapport", "Национальное контактное лицо по настоящему докладу", "Punto de contacto nacional para este informe")},
						{Code: "0.1.2", Kind: surveys.KindShort, Text: tx("الجهة الرائدة في مجال الأمن السيبراني", "网络安全牵头机构", "Lead agency for cybersecurity", "Organisme chef de file pour la cybersécurité", "Ведущее ведомство по кибербезопасности", "Organismo rector de ciberseguridad")},
						{Code: "0.1.3", Kind: surveys.KindDate, Text: tx("تاريخ اعتماد الاستراتيجية الوطنية", "国家战略通过日期", "Date the national strategy was adopted", "Date d'adoption de la stratégie nationale", "Дата принятия национальной стратегии", "Fecha de aprobación de la estrategia nacional")},
						{Code: "0.1.4", Kind: surveys.KindURL, Text: tx("رابط الاستراتيجية الوطنية", "国家战略链接", "Link to the national strategy", "Lien vers la stratégie nationale", "Ссылка на национальную стратегию", "Enlace a la estrategia nacional")},
					},
				}},
			},
			{
				Code:  "I",
				Title: tx("القانون الدولي", "国际法", "International law", "Droit international", "Международное право", "Derecho internacional"),
				Intro: tx("يطبق القانون الدولي على استخدام الدول لتكنولوجيا المعلومات والاتصالات.", "国际法适用于国家使用信通技术的行为。", "International law applies to the use of ICTs by States.", "Le droit international s'applique à l'utilisation des TIC par les États.", "Международное право применимо к использованию ИКТ государствами.", "El derecho internacional se aplica al uso de las TIC por los Estados."),
				Sections: []surveys.Section{{
					Code:  "I.1",
					Title: tx("الموقف الوطني", "国家立场", "National position", "Position nationale", "Национальная позиция", "Posición nacional"),
					Questions: []surveys.Question{
						{Code: "I.1.1", Kind: surveys.KindStatus, Sources: []string{"A/76/135 para 71(g)"},
							Text: tx("هل نشرت الدولة موقفا وطنيا بشأن تطبيق القانون الدولي؟", "贵国是否发布了关于国际法如何适用的国家立场？", "Has the State published a national position on how international law applies?", "L'État a-t-il publié une position nationale sur l'application du droit international ?", "Опубликовало ли государство национальную позицию о применении международного права?", "¿Ha publicado el Estado una posición nacional sobre la aplicación del derecho internacional?")},
						{Code: "I.1.2", Kind: surveys.KindMulti, Options: optTopics, Sources: []string{"A/76/135 para 70-73"},
							Text: tx("ما المواضيع التي يتناولها الموقف؟", "该立场涉及哪些议题？", "Which topics does the position cover?", "Quels sujets la position couvre-t-elle ?", "Какие темы охватывает позиция?", "¿Qué temas abarca la posición?")},
						{Code: "I.1.3", Kind: surveys.KindLong,
							Text: tx("لخص الموقف", "请概述该立场", "Summarise the position", "Résumez la position", "Кратко изложите позицию", "Resuma la posición")},
					},
				}},
			},
			{
				Code:  "II",
				Title: tx("القواعد", "规范", "Norms", "Normes", "Нормы", "Normas"),
				Sections: []surveys.Section{
					{
						Code:  "II.g",
						Title: tx("القاعدة (g): حماية البنية التحتية الحيوية", "规范(g)：保护关键基础设施", "Norm (g): protect critical infrastructure", "Norme g) : protéger les infrastructures critiques", "Норма g): защита критически важной инфраструктуры", "Norma g): proteger la infraestructura crítica"),
						Questions: []surveys.Question{
							{Code: "II.g.1", Kind: surveys.KindStatus, Tags: surveys.Tags{Norms: []string{"g", "f"}}, Sources: []string{"A/70/174 para 13(g)", "A/76/135 para 44-46"},
								Text: tx("هل حددت الدولة قطاعات البنية التحتية الحيوية؟", "贵国是否已确定关键基础设施部门？", "Has the State designated its critical infrastructure sectors?", "L'État a-t-il désigné ses secteurs d'infrastructures critiques ?", "Определило ли государство секторы критически важной инфраструктуры?", "¿Ha designado el Estado sus sectores de infraestructura crítica?")},
							{Code: "II.g.2", Kind: surveys.KindSingle, Options: optLawStatus, Tags: surveys.Tags{Norms: []string{"g"}}, Sources: []string{"A/70/174 para 13(g)"},
								Text: tx("ما حالة قانون حماية البنية التحتية الحيوية؟", "关键基础设施保护法的现状如何？", "What is the status of the critical infrastructure protection law?", "Où en est la loi sur la protection des infrastructures critiques ?", "Каков статус закона о защите критически важной инфраструктуры?", "¿En qué situación se encuentra la ley de protección de la infraestructura crítica?")},
							{Code: "II.g.3", Kind: surveys.KindNumber,
								Text: tx("عدد القطاعات الحيوية المحددة", "已确定的关键部门数量", "Number of critical sectors designated", "Nombre de secteurs critiques désignés", "Число определённых критически важных секторов", "Número de sectores críticos designados")},
							{Code: "II.g.4", Kind: surveys.KindRows, Sources: []string{"PoA II.2", "A/76/135 para 45"},
								Text: tx("القوانين واللوائح ذات الصلة", "相关法律法规", "Relevant laws and regulations", "Lois et règlements pertinents", "Соответствующие законы и нормативные акты", "Leyes y reglamentos pertinentes"),
								Columns: []surveys.Column{
									{Key: "title", Kind: surveys.KindShort, Label: tx("العنوان", "标题", "Title", "Titre", "Название", "Título")},
									{Key: "date", Kind: surveys.KindDate, Label: tx("التاريخ", "日期", "Date", "Date", "Дата", "Fecha")},
									{Key: "scope", Kind: surveys.KindLong, Label: tx("النطاق", "范围", "Scope", "Portée", "Сфера действия", "Alcance")},
									{Key: "link", Kind: surveys.KindURL, Label: tx("الرابط", "链接", "Link", "Lien", "Ссылка", "Enlace")},
								}},
						},
					},
					{
						Code:  "II.h",
						Title: tx("القاعدتان (h) و(k): الاستجابة للحوادث", "规范(h)和(k)：事件响应", "Norms (h) and (k): incident response", "Normes h) et k) : réponse aux incidents", "Нормы h) и k): реагирование на инциденты", "Normas h) y k): respuesta a incidentes"),
						Questions: []surveys.Question{
							{Code: "II.h.1", Kind: surveys.KindStatus, Tags: surveys.Tags{Norms: []string{"h", "k"}}, Sources: []string{"A/70/174 para 13(h), (k)"},
								Text: tx("هل لدى الدولة فريق وطني للاستجابة لحوادث الحاسوب (CERT)؟", "贵国是否设有国家计算机应急响应小组（CERT）？", "Does the State have a national computer emergency response team (CERT)?", "L'État dispose-t-il d'une équipe nationale d'intervention en cas d'urgence informatique (CERT) ?", "Есть ли в государстве национальная группа реагирования на компьютерные инциденты (CERT)?", "¿Cuenta el Estado con un equipo nacional de respuesta a emergencias informáticas (CERT)?")},
							{Code: "II.h.2", Kind: surveys.KindStatus, Tags: surveys.Tags{Norms: []string{"h"}},
								Text: tx("هل عينت الدولة جهة اتصال لطلبات المساعدة؟", "贵国是否指定了处理援助请求的联络点？", "Has the State designated a point of contact for requests for assistance?", "L'État a-t-il désigné un point de contact pour les demandes d'assistance ?", "Назначило ли государство контактное лицо для просьб о помощи?", "¿Ha designado el Estado un punto de contacto para las solicitudes de asistencia?")},
							{Code: "II.j.1", Kind: surveys.KindStatus, Tags: surveys.Tags{Norms: []string{"j"}},
								Text: tx("هل لدى الدولة سياسة للإفصاح المنسق عن الثغرات؟", "贵国是否有协调漏洞披露政策？", "Does the State have a coordinated vulnerability disclosure policy?", "L'État dispose-t-il d'une politique de divulgation coordonnée des vulnérabilités ?", "Есть ли в государстве политика скоординированного раскрытия уязвимостей?", "¿Cuenta el Estado con una política de divulgación coordinada de vulnerabilidades?")},
							{Code: "II.c.1", Kind: surveys.KindStatus, Tags: surveys.Tags{Norms: []string{"c"}},
								Text: tx("هل توجد إجراءات للتعامل مع الأنشطة الضارة الصادرة من الإقليم؟", "是否有处理来自本国领土的恶意活动的程序？", "Are there procedures to deal with harmful activity from the territory?", "Existe-t-il des procédures pour traiter les activités malveillantes provenant du territoire ?", "Существуют ли процедуры реагирования на вредоносную деятельность с территории государства?", "¿Existen procedimientos para hacer frente a actividades dañinas desde el territorio?")},
						},
					},
					{
						Code:      "II.e",
						Title:     tx("القاعدة (e): حقوق الإنسان", "规范(e)：人权", "Norm (e): human rights", "Norme e) : droits de l'homme", "Норма e): права человека", "Norma e): derechos humanos"),
						Questions: []surveys.Question{{Code: "II.e.1", Kind: surveys.KindStatus, Tags: surveys.Tags{Norms: []string{"e"}}, Text: tx("هل توجد ضمانات لحقوق الإنسان في قوانين الفضاء السيبراني؟", "网络法律中是否有人权保障？", "Are there human-rights safeguards in cyber laws?", "Les lois sur le cyberespace prévoient-elles des garanties en matière de droits de l'homme ?", "Предусматривают ли законы о киберпространстве гарантии прав человека?", "¿Incluyen las leyes cibernéticas salvaguardias de derechos humanos?")}},
					},
				},
			},
			{
				Code:  "IV",
				Title: tx("بناء القدرات", "能力建设", "Capacity-building", "Renforcement des capacités", "Наращивание потенциала", "Creación de capacidad"),
				Sections: []surveys.Section{{
					Code:  "IV.1",
					Title: tx("الاحتياجات والعروض", "需求和提供", "Needs and offers", "Besoins et offres", "Потребности и предложения", "Necesidades y ofertas"),
					Questions: []surveys.Question{
						{Code: "IV.1.1", Kind: surveys.KindRows, Sources: []string{"A/76/135 para 93"},
							Text: tx("احتياجات بناء القدرات", "能力建设需求", "Capacity-building needs", "Besoins en matière de renforcement des capacités", "Потребности в наращивании потенциала", "Necesidades de creación de capacidad"),
							Columns: []surveys.Column{
								{Key: "area", Kind: surveys.KindSingle, Options: optAreas, Label: tx("المجال", "领域", "Area", "Domaine", "Область", "Ámbito")},
								{Key: "type", Kind: surveys.KindSingle, Options: optTypes, Label: tx("النوع", "类型", "Type", "Type", "Вид", "Tipo")},
								{Key: "priority", Kind: surveys.KindSingle, Options: optPriority, Label: tx("الأولوية", "优先级", "Priority", "Priorité", "Приоритет", "Prioridad")},
								{Key: "detail", Kind: surveys.KindLong, Label: tx("التفاصيل", "详情", "Details", "Détails", "Подробности", "Detalles")},
							}},
						{Code: "IV.1.2", Kind: surveys.KindRows,
							Text: tx("عروض المساعدة", "提供的援助", "Offers of assistance", "Offres d'assistance", "Предложения помощи", "Ofertas de asistencia"),
							Columns: []surveys.Column{
								{Key: "area", Kind: surveys.KindSingle, Options: optAreas, Label: tx("المجال", "领域", "Area", "Domaine", "Область", "Ámbito")},
								{Key: "modality", Kind: surveys.KindShort, Label: tx("الطريقة", "方式", "Modality", "Modalité", "Формат", "Modalidad")},
							}},
					},
				}},
			},
			{
				Code:     "V",
				Thematic: true,
				Title:    tx("الأولوية المواضيعية", "专题优先事项", "Thematic priority", "Priorité thématique", "Тематический приоритет", "Prioridad temática"),
				Sections: []surveys.Section{{
					Code:      "V.1",
					Title:     tx("سلسلة الإمداد", "供应链", "Supply chain", "Chaîne d'approvisionnement", "Цепочка поставок", "Cadena de suministro"),
					Questions: []surveys.Question{{Code: "V.1.1", Kind: surveys.KindStatus, Tags: surveys.Tags{Norms: []string{"i"}}, Text: tx("هل توجد سياسة لأمن سلسلة الإمداد؟", "是否有供应链安全政策？", "Is there a supply-chain security policy?", "Existe-t-il une politique de sécurité de la chaîne d'approvisionnement ?", "Существует ли политика безопасности цепочки поставок?", "¿Existe una política de seguridad de la cadena de suministro?")}},
				}},
			},
		},
	}
}

// sentences are answer texts in one language, with numbers and Latin
// acronyms embedded as real reports have them.
type sentences struct {
	state, process, lead, long, challenges, assistance, cert, law, modality string
}

var answerTexts = map[string]sentences{
	"en": {
		state:      "Republic of Examplia",
		process:    "Global Mechanism on ICT security",
		lead:       "National Cyber Security Centre (NCSC)",
		long:       "The national position on the application of international law was published in May 2021. It covers sovereignty, due diligence and State responsibility, and was presented to the OEWG in 2021.",
		challenges: "Coordination between the national CERT and 14 sector regulators remains uneven; only 9 of 14 sectors report incidents within 72 hours.",
		assistance: "Training for CERT analysts on industrial control systems (ICS), about 20 people in 2025.",
		cert:       "The national CERT was established in 2021 and joined FIRST in 2023.",
		law:        "Law No. %d/%d on the security of networks and information systems",
		modality:   "Online courses in English and French",
	},
	"fr": {
		state:      "République d'Examplie",
		process:    "Mécanisme mondial sur la sécurité des TIC",
		lead:       "Agence nationale de la sécurité des systèmes d'information (ANSSI)",
		long:       "La position nationale sur l'application du droit international a été publiée en mai 2021. Elle traite de la souveraineté, de la diligence requise et de la responsabilité de l'État, et a été présentée au GTCNL en 2021.",
		challenges: "La coordination entre le CERT national et 14 régulateurs sectoriels reste inégale : seuls 9 secteurs sur 14 signalent les incidents sous 72 heures.",
		assistance: "Formation des analystes du CERT aux systèmes de contrôle industriels (ICS), environ 20 personnes en 2025.",
		cert:       "Le CERT national a été créé en 2021 et a rejoint FIRST en 2023.",
		law:        "Loi n° %d/%d relative à la sécurité des réseaux et des systèmes d'information",
		modality:   "Cours en ligne en anglais et en français",
	},
	"es": {
		state:      "República de Examplia",
		process:    "Mecanismo Mundial sobre la seguridad de las TIC",
		lead:       "Centro Nacional de Ciberseguridad (CNCS)",
		long:       "La posición nacional sobre la aplicación del derecho internacional se publicó en mayo de 2021. Abarca la soberanía, la diligencia debida y la responsabilidad del Estado, y se presentó al GTCA en 2021.",
		challenges: "La coordinación entre el CERT nacional y 14 reguladores sectoriales sigue siendo desigual: solo 9 de los 14 sectores notifican los incidentes en 72 horas.",
		assistance: "Capacitación de analistas del CERT en sistemas de control industrial (ICS), unas 20 personas en 2025.",
		cert:       "El CERT nacional se creó en 2021 y se incorporó a FIRST en 2023.",
		law:        "Ley n.º %d/%d sobre la seguridad de las redes y sistemas de información",
		modality:   "Cursos en línea en inglés y francés",
	},
	"ru": {
		state:      "Республика Экзамплия",
		process:    "Глобальный механизм по безопасности ИКТ",
		lead:       "Национальный координационный центр по компьютерным инцидентам (НКЦКИ)",
		long:       "Национальная позиция о применении международного права опубликована в мае 2021 года. Она охватывает суверенитет, должную осмотрительность и ответственность государств и была представлена РГОС в 2021 году.",
		challenges: "Координация между национальным CERT и 14 отраслевыми регуляторами остаётся неравномерной: лишь 9 из 14 отраслей сообщают об инцидентах в течение 72 часов.",
		assistance: "Обучение аналитиков CERT по промышленным системам управления (ICS), около 20 человек в 2025 году.",
		cert:       "Национальный CERT создан в 2021 году и вступил в FIRST в 2023 году.",
		law:        "Закон № %d/%d о безопасности сетей и информационных систем",
		modality:   "Онлайн-курсы на английском и французском языках",
	},
	"zh": {
		state:      "示例共和国",
		process:    "信通技术安全全球机制",
		lead:       "国家互联网应急中心（CNCERT）",
		long:       "关于国际法适用问题的国家立场已于2021年5月发布。该立场涵盖主权、尽职调查和国家责任，并于2021年提交不限成员名额工作组。",
		challenges: "国家CERT与14个行业监管机构之间的协调仍不均衡：14个行业中只有9个能在72小时内报告事件。",
		assistance: "为CERT分析人员提供工业控制系统（ICS）培训，2025年约20人。",
		cert:       "国家CERT成立于2021年，并于2023年加入FIRST。",
		law:        "第%d/%d号网络和信息系统安全法",
		modality:   "英语和法语在线课程",
	},
	"ar": {
		state:      "جمهورية إكزامبليا",
		process:    "الآلية العالمية المعنية بأمن تكنولوجيا المعلومات والاتصالات",
		lead:       "المركز الوطني للأمن السيبراني (NCSC)",
		long:       "نُشر الموقف الوطني بشأن تطبيق القانون الدولي في أيار/مايو 2021. ويتناول السيادة والعناية الواجبة ومسؤولية الدول، وقد عُرض على الفريق العامل المفتوح العضوية في عام 2021.",
		challenges: "لا يزال التنسيق بين فريق CERT الوطني و14 جهة تنظيمية قطاعية متفاوتا: إذ لا يبلغ عن الحوادث في غضون 72 ساعة سوى 9 قطاعات من أصل 14.",
		assistance: "تدريب محللي فريق CERT على نظم التحكم الصناعي (ICS)، لنحو 20 شخصا في عام 2025.",
		cert:       "أنشئ فريق CERT الوطني في عام 2021 وانضم إلى منتدى FIRST في عام 2023.",
		law:        "القانون رقم %d/%d بشأن أمن الشبكات ونظم المعلومات",
		modality:   "دورات على الإنترنت باللغتين الإنكليزية والفرنسية",
	},
}

// testAnswers answers the test template in lang. II.j.1 is left unanswered.
func testAnswers(lang string) map[string]surveys.Value {
	s := answerTexts[lang]
	laws := make([]map[string]string, 0, 16)
	for i := range 16 {
		scope := s.cert
		if i%3 == 1 {
			scope = s.challenges + " " + s.long
		}
		laws = append(laws, map[string]string{
			"title": fmt.Sprintf(s.law, 12+i, 2010+i%12),
			"date":  fmt.Sprintf("%d-%02d-15", 2010+i%12, 1+i%12),
			"scope": scope,
			"link":  fmt.Sprintf("https://laws.example.org/examplia/%d/%d", 2010+i%12, 12+i),
		})
	}
	return map[string]surveys.Value{
		"0.1.1": {Contact: map[string]string{"name": "Amina Haddad", "position": "Director, CERT", "organisation": s.lead, "email": "poc@cert.example.org", "phone": "+1 555 0100", "languages": "ar, en, fr"}},
		"0.1.2": {Text: s.lead},
		"0.1.3": {Text: "2021-05-28"},
		"0.1.4": {Text: "https://www.example.org/strategy-2021.pdf"},
		"I.1.1": {Status: "yes"},
		"I.1.2": {Choices: []string{"sovereignty", "due_diligence", "ihl"}},
		"I.1.3": {Text: s.long + "\n" + s.cert},
		"II.g.1": {Status: "partly", Challenges: s.challenges, AssistanceNeeded: true, AssistanceText: s.assistance,
			AssistanceType: "legal-drafting", AssistancePriority: "high"},
		"II.g.2": {Text: "drafting"},
		"II.g.3": {Text: "14"},
		"II.g.4": {Rows: laws},
		"II.h.1": {Status: "yes", Challenges: s.cert},
		"II.h.2": {Status: "no", AssistanceNeeded: true},
		"II.c.1": {Status: "na"},
		"IV.1.1": {Rows: []map[string]string{
			{"area": "cert", "type": "training", "priority": "high", "detail": s.assistance},
			{"area": "law", "type": "technical", "priority": "medium", "detail": s.long},
			{"area": "ci", "type": "equipment", "priority": "low", "detail": s.challenges},
		}},
		"IV.1.2": {Rows: []map[string]string{{"area": "cert", "modality": s.modality}}},
		"V.1.1":  {Status: "partly", Challenges: s.challenges},
	}
}

// testDocument is the test report in lang.
func testDocument(lang string) Document {
	s := answerTexts[lang]
	return Document{
		Lang: lang,
		Meta: Meta{
			StateName:   s.state,
			ISO3:        "EXA",
			Cycle:       "2026–2027",
			ProcessName: s.process,
			Version:     3,
			Status:      "submitted",
			SubmittedAt: time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC),
			Visibility:  "restricted",
			Audience:    "secretariat",
			Thematic:    true,
			Generated:   time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC),
		},
		Template: testTemplate(),
		Answers:  testAnswers(lang),
	}
}

// bigDocument is a complete report of about 150 answered questions: the
// test template plus a norms part of eleven sections of twelve questions.
func bigDocument(lang string) Document {
	d := testDocument(lang)
	s := answerTexts[lang]
	l := labelsFor(lang)
	kinds := []surveys.Kind{surveys.KindStatus, surveys.KindStatus, surveys.KindStatus, surveys.KindLong, surveys.KindSingle, surveys.KindShort}
	part := surveys.Part{Code: "N", Title: surveys.Text{lang: l.Norm, "en": "Norms"}}
	for ni, nk := range normKeys {
		sec := surveys.Section{Code: "N." + nk, Title: surveys.Text{lang: l.Norms[nk], "en": l.Norms[nk]}}
		for qi := range 12 {
			code := fmt.Sprintf("N.%s.%d", nk, qi+1)
			q := surveys.Question{
				Code: code, Kind: kinds[qi%len(kinds)],
				Text:    surveys.Text{lang: s.cert + " " + l.Norms[nk] + "?", "en": "Question"},
				Tags:    surveys.Tags{Norms: []string{nk}},
				Sources: []string{fmt.Sprintf("A/70/174 para 13(%s)", nk)},
				Options: optLawStatus,
			}
			sec.Questions = append(sec.Questions, q)
			var v surveys.Value
			switch q.Kind {
			case surveys.KindStatus:
				v = surveys.Value{Status: surveys.StatusValues[(ni+qi)%4], Challenges: s.challenges}
				if qi%3 == 0 {
					v.AssistanceNeeded, v.AssistanceText = true, s.assistance
				}
			case surveys.KindLong:
				v = surveys.Value{Text: s.long}
			case surveys.KindSingle:
				v = surveys.Value{Text: "adopted"}
			default:
				v = surveys.Value{Text: s.lead}
			}
			d.Answers[code] = v
		}
		part.Sections = append(part.Sections, sec)
	}
	d.Template.Parts = append(d.Template.Parts, part)
	return d
}
