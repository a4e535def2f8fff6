package demo

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"

	"github.com/natreport/natreport/surveys"
)

// profile describes a demo State other than Japan. Its answers are
// generic and plausible, not facts about the State: a deterministic mix of
// statuses suited to its level, generic names marked "(demo data)", and the
// needs and offers donors and the secretariat look for.
type profile struct {
	iso3, name string
	level      int      // 1 starting out, 2 developing, 3 established
	langs      []string // working languages of the contacts (0.b.4)
	regional   []string // regional CBM programmes (III.b.1)
	csirts     []string // CSIRT networks (III.d.2)
	crime      []string // cybercrime instruments (II.d.5); none: not party to one
	il         string   // status of a national position on international law (I.a.1)
	regionalIL string   // regional common position (I.b.2); "": none in the region
	sectors    []string // critical sectors (II.g.2)
	// needs are rows of IV.a.4; the first is new in 2026-2027.
	needs  []map[string]string
	offers []map[string]string // rows of IV.b.2
	// programmes are rows of IV.c.1.
	programmes []map[string]string
	prev, cur  *stage // the reports of 2024-2025 and 2026-2027; nil: none
	extra      answers
}

// stage is how far a State got with its report in one cycle.
type stage struct {
	start, status, visibility string
	parts                     []string // the parts answered so far; none: all
	confirm                   []string // carried sections confirmed unchanged
	amend                     answers  // a second version after publication
}

var (
	cap2024 = "Common African Position on the application of international law to the use of ICTs in cyberspace (African Union, 2024)"
	eu2024  = "Declaration of the EU and its Member States on a common understanding of international law in cyberspace (2024)"
)

// profiles are the other demo States, covering the five regional groups and
// every status of a report in 2026-2027. Ghana has an account but has not
// started its report.
var profiles = []profile{
	{iso3: "KEN", name: "Kenya", level: 2, langs: []string{"en"}, regional: []string{"au"}, csirts: []string{"africacert", "first"},
		il: "yes", regionalIL: cap2024, sectors: []string{"energy", "water", "finance", "telecoms", "government", "transport"},
		needs: []map[string]string{
			need("critical-infrastructure", "g", "standards-technologies", "technical-assistance", "high", "2026-2027", "250000",
				"Sector risk assessments and baseline security requirements for energy and water operators."),
			need("incident-response", "h", "knowledge-capabilities", "training", "high", "12 months", "",
				"Incident handling and digital forensics training for national CSIRT analysts."),
			need("cybercrime", "d", "legal-regulatory", "training", "medium", "2026-2028", "",
				"Training of prosecutors and judges on electronic evidence."),
			need("international-law", "none", "policy-strategy", "training", "low", "2027", "",
				"Workshops for legal advisers on how international law applies in cyberspace."),
		},
		programmes: []map[string]string{cells("partner", "Bilateral partner (demo data)", "role", "recipient", "area", "incident-response",
			"start", "2024-06-01", "end", "2026-05-31", "description", "Support to the national CSIRT: tooling and analyst training.")},
		prev: &stage{start: "2024-04-15", status: "published"},
		cur:  &stage{start: "2026-02-02", status: "draft", confirm: []string{"0.a", "0.b", "I.a", "I.b"}}},
	{iso3: "GHA", name: "Ghana", level: 2},
	{iso3: "SEN", name: "Senegal", level: 2, langs: []string{"fr"}, regional: []string{"au", "ecowas"}, csirts: []string{"africacert"},
		crime: []string{"budapest", "malabo"}, il: "partly", regionalIL: cap2024, sectors: []string{"energy", "water", "finance", "telecoms", "government"},
		needs: []map[string]string{
			need("critical-infrastructure", "g", "policy-strategy", "legal-drafting", "high", "2026-2027", "",
				"Drafting of a regulation setting security duties for operators of critical infrastructure."),
			need("skills-awareness", "none", "culture-society", "training", "medium", "2026-2028", "",
				"Cyber hygiene training for civil servants in ministries and regions."),
		},
		cur: &stage{start: "2026-03-02", status: "submitted", visibility: "private"}},
	{iso3: "IDN", name: "Indonesia", level: 2, langs: []string{"en"}, regional: []string{"asean", "arf"}, csirts: []string{"apcert", "oic-cert", "first"},
		crime: []string{"bilateral"}, il: "partly", sectors: []string{"energy", "finance", "transport", "telecoms", "government", "health"},
		needs: []map[string]string{
			need("vulnerabilities", "j", "standards-technologies", "technical-assistance", "medium", "2026-2027", "",
				"Design of a coordinated vulnerability disclosure programme for government systems."),
			need("supply-chain", "i", "standards-technologies", "training", "medium", "2027", "",
				"Training on supply-chain risk management in public procurement."),
		},
		cur: &stage{start: "2026-04-06", status: "draft", parts: []string{"0", "I", "II"}}},
	{iso3: "FJI", name: "Fiji", level: 1, langs: []string{"en"}, regional: []string{"pif"},
		il: "no", sectors: []string{"energy", "water", "finance", "telecoms", "government"},
		needs: []map[string]string{
			need("critical-infrastructure", "g", "standards-technologies", "technical-assistance", "high", "2026-2027", "150000",
				"Identify critical infrastructure and set baseline security requirements for its operators."),
			need("incident-response", "h", "knowledge-capabilities", "institution-building", "high", "2025-2027", "400000",
				"Establish and staff a national CSIRT with a secure operations room."),
			need("policy-strategy", "a", "policy-strategy", "legal-drafting", "high", "2025-2026", "",
				"Review and update the national cybersecurity strategy and its action plan."),
			need("cybercrime", "d", "legal-regulatory", "legal-drafting", "medium", "2026", "",
				"Align cybercrime legislation with international instruments and train investigators."),
			need("skills-awareness", "none", "culture-society", "training", "medium", "ongoing", "",
				"Public awareness campaigns and cyber hygiene training for civil servants."),
			need("cbm", "none", "policy-strategy", "training", "low", "2026-2027", "",
				"Support to take part in regional confidence-building measures and keep points of contact current."),
		},
		programmes: []map[string]string{cells("partner", "Regional organisation (demo data)", "role", "recipient", "area", "policy-strategy",
			"start", "2024-01-01", "description", "Regional support for national cyber strategies and awareness.")},
		prev: &stage{start: "2024-05-06", status: "published", visibility: "donors"},
		cur:  &stage{start: "2026-02-16", status: "published", visibility: "donors", confirm: []string{"0.a", "0.b", "I.a", "I.b", "I.c", "II.a", "II.b"}}},
	{iso3: "BRA", name: "Brazil", level: 2, langs: []string{"en", "es", "other"}, regional: []string{"oas"}, csirts: []string{"csirtamericas", "first"},
		crime: []string{"budapest"}, il: "yes", sectors: []string{"energy", "water", "finance", "transport", "telecoms", "government", "health"},
		needs: []map[string]string{
			need("skills-awareness", "none", "knowledge-capabilities", "training", "medium", "2026-2027", "",
				"Exchange programme for cybersecurity specialists of federal and state governments."),
		},
		extra: answers{"0.b.5": text("Portuguese")},
		prev:  &stage{start: "2024-06-03", status: "published"},
		cur:   &stage{start: "2026-03-16", status: "review", confirm: []string{"0.a", "0.b", "I.a", "I.b", "I.c", "II.a", "II.b", "II.c", "II.d"}}},
	{iso3: "CHL", name: "Chile", level: 2, langs: []string{"es"}, regional: []string{"oas"}, csirts: []string{"csirtamericas", "first"},
		crime: []string{"budapest"}, il: "partly", sectors: []string{"energy", "water", "finance", "transport", "telecoms", "government", "health"},
		needs: []map[string]string{
			need("critical-infrastructure", "g", "legal-regulatory", "technical-assistance", "medium", "2026-2027", "",
				"Guidance for sector regulators on incident reporting by critical infrastructure operators."),
		},
		cur: &stage{start: "2026-02-23", status: "submitted"}},
	{iso3: "MEX", name: "Mexico", level: 2, langs: []string{"es"}, regional: []string{"oas"}, csirts: []string{"csirtamericas", "first"},
		crime: []string{"bilateral"}, il: "partly", sectors: []string{"energy", "finance", "transport", "telecoms", "government"},
		cur: &stage{start: "2026-09-14", status: "draft", parts: []string{"0", "I"}}},
	{iso3: "EST", name: "Estonia", level: 3, langs: []string{"en"}, regional: []string{"osce", "eu"}, csirts: []string{"first", "tf-csirt"},
		crime: []string{"budapest"}, il: "yes", regionalIL: eu2024, sectors: []string{"energy", "water", "health", "finance", "transport", "telecoms", "government", "emergency"},
		offers: []map[string]string{
			offer("governance", "training", "Eastern Europe; Africa", "bilateral", "Sharing experience of securing digital government services."),
			offer("policy-strategy", "legal-drafting", "Global", "multistakeholder", "Advice on drafting national cyber strategies, with academia."),
		},
		prev: &stage{start: "2024-03-11", status: "published", visibility: "public"},
		cur:  &stage{start: "2026-01-26", status: "published", visibility: "public", confirm: []string{"0.a", "0.b", "I.a", "I.b", "I.c", "II.a", "II.b", "II.c", "II.d", "II.e", "III.a", "III.b"}}},
	{iso3: "POL", name: "Poland", level: 3, langs: []string{"en"}, regional: []string{"osce", "eu"}, csirts: []string{"first", "tf-csirt"},
		crime: []string{"budapest"}, il: "yes", regionalIL: eu2024, sectors: []string{"energy", "water", "health", "finance", "transport", "telecoms", "government"},
		offers: []map[string]string{
			offer("incident-response", "exercises", "Eastern Europe", "regional", "Regional cyber exercises for national CSIRTs."),
		},
		cur: &stage{start: "2026-02-09", status: "submitted", visibility: "donors"}},
	{iso3: "DEU", name: "Germany", level: 3, langs: []string{"en", "fr"}, regional: []string{"osce", "eu"}, csirts: []string{"first", "tf-csirt"},
		crime: []string{"budapest"}, il: "yes", regionalIL: eu2024, sectors: []string{"energy", "water", "health", "finance", "transport", "telecoms", "government", "food"},
		offers: []map[string]string{
			offer("international-law", "training", "Global", "multilateral", "Training on international law and cyberspace for diplomats and legal advisers."),
			offer("incident-response", "technical-assistance", "Africa; Eastern Europe", "bilateral", "Support to set up and mature national CSIRTs."),
			offer("cybercrime", "training", "Global", "multilateral", "Training for police and prosecutors on electronic evidence through international organisations."),
		},
		prev: &stage{start: "2024-04-08", status: "published", visibility: "public"},
		cur: &stage{start: "2026-02-02", status: "published", visibility: "public", confirm: []string{"0.a", "0.b", "I.a", "I.b", "II.a", "II.b", "II.c"},
			amend: answers{"IV.b.2": rows(
				offer("international-law", "training", "Global", "multilateral", "Training on international law and cyberspace for diplomats and legal advisers."),
				offer("incident-response", "technical-assistance", "Africa; Eastern Europe", "bilateral", "Support to set up and mature national CSIRTs."),
				offer("cybercrime", "training", "Global", "multilateral", "Training for police and prosecutors on electronic evidence through international organisations."),
				offer("critical-infrastructure", "funding", "Global", "multilateral", "Contribution to a multi-donor fund supporting the protection of critical infrastructure."),
			)}}},
}

// need is a row of the needs table (IV.a.4).
func need(area, norm, cmm, kind, priority, timeframe, budget, description string) map[string]string {
	return cells("area", area, "norm", norm, "cmm", cmm, "type", kind, "priority", priority,
		"timeframe", timeframe, "budget", budget, "description", description)
}

// offer is a row of the offers table (IV.b.2).
func offer(area, kind, regions, modality, description string) map[string]string {
	return cells("area", area, "type", kind, "regions", regions, "modality", modality, "description", description)
}

// plans lists every demo report in the order it is written: the 2024-2025
// reports, then the 2026-2027 ones, each cycle by start date.
func plans(t *surveys.Template) []plan {
	jp := japanPlans()
	out := []plan{jp[0]}
	for _, p := range profiles {
		if p.prev != nil {
			out = append(out, p.plan(t, cyclePrev, p.prev))
		}
	}
	out = append(out, jp[1])
	for _, p := range profiles {
		if p.cur != nil {
			out = append(out, p.plan(t, cycleCur, p.cur))
		}
	}
	slices.SortStableFunc(out, func(a, b plan) int {
		if a.cycle != b.cycle {
			return strings.Compare(a.cycle, b.cycle)
		}
		return strings.Compare(a.start, b.start)
	})
	return out
}

func (p *profile) plan(t *surveys.Template, cycle string, s *stage) plan {
	return plan{iso3: p.iso3, cycle: cycle, start: s.start, status: s.status, visibility: s.visibility,
		answers: p.answers(t, cycle).only(s.parts...), carry: cycle == cycleCur && p.prev != nil,
		confirm: s.confirm, amend: s.amend}
}

// Pools of generic challenges and assistance requests.
var (
	challengePool = []string{
		"Too few trained specialists in government.",
		"Coordination between the agencies concerned is still informal.",
		"Funding for this measure has not yet been secured.",
		"The legal framework is being reviewed.",
		"Participation of the private sector is voluntary and uneven.",
		"Awareness outside the lead agency is still low.",
	}
	assistancePool = []string{
		"Training for officials of the lead agency.",
		"Technical assistance to design procedures and templates.",
		"Advice on drafting the legal framework.",
		"Exchange of good practice with States that have such measures.",
	}
	// assistanceKinds are the types of assistance of assistancePool's requests.
	assistanceKinds = []string{"training", "technical-assistance", "legal-drafting", "institution-building"}
)

// hash is a stable pseudo-random number for the parts given.
func hash(parts ...string) int {
	h := fnv.New32a()
	for _, s := range parts {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return int(h.Sum32() & 0x7fffffff)
}

// statusShare is, per level, the share (of 100) of status questions left
// unanswered, then answered yes, then partly; the rest are no.
var statusShare = map[int][3]int{1: {35, 15, 40}, 2: {25, 35, 45}, 3: {15, 75, 20}}

// answers builds the State's generic answers for a cycle. The statuses are
// drawn from the State's code and the question's, so the same question
// gets the same answer in both cycles except where the State made
// progress by 2026-2027 (about one answer in four that was not yes).
func (p *profile) answers(t *surveys.Template, cycle string) answers {
	a := answers{}
	later := cycle == cycleCur
	share := statusShare[p.level]
	for _, q := range t.AllQuestions() {
		if q.Kind != surveys.KindStatus || partOf(q.Code) == "V" {
			continue
		}
		h := hash(p.iso3, q.Code)
		if h%100 < share[0] {
			continue
		}
		r := h / 100 % 100
		st := surveys.StatusNo
		switch {
		case r < share[1]:
			st = surveys.StatusYes
		case r < share[1]+share[2]:
			st = surveys.StatusPartly
		}
		progressed := later && st != surveys.StatusYes && hash(p.iso3, q.Code, "progress")%4 == 0
		if progressed {
			st = map[string]string{surveys.StatusNo: surveys.StatusPartly, surveys.StatusPartly: surveys.StatusYes}[st]
		}
		v := surveys.Value{Status: st}
		if st != surveys.StatusYes && h%3 == 0 {
			v.Challenges = challengePool[h/7%len(challengePool)]
		}
		if p.level < 3 && st != surveys.StatusYes && h%5 < 3-p.level { // two in five at level 1, one in five at level 2
			i := h / 11 % len(assistancePool)
			v = help(v, assistancePool[i])
			v.AssistanceType, v.AssistancePriority = assistanceKinds[i], surveys.NeedPriorities[h/13%len(surveys.NeedPriorities)]
		}
		a[q.Code] = v
	}
	p.specific(a, later)
	for code, v := range p.extra {
		a[code] = v
	}
	return a.prune(t)
}

// specific adds the answers that are not generic statuses.
func (p *profile) specific(a answers, later bool) {
	iso := p.iso3
	lower := func(s string) string { return fmt.Sprintf("%s.%s@%s", strings.ToLower(iso), s, Domain) }
	a["0.a.1"] = yes("")
	a["0.a.2"] = text("National cybersecurity coordination committee (demo data)")
	agencies := []map[string]string{
		cells("agency", "Ministry of Foreign Affairs", "role", "lead", "contribution", "Parts I, III and IV; coordination of the report"),
		cells("agency", "National cybersecurity agency (demo data)", "role", "contributor", "contribution", "Part II"),
		cells("agency", "National CSIRT (demo data)", "role", "contributor", "contribution", "Norms (h), (j) and (k); cooperation between response teams"),
	}
	if p.level == 3 {
		agencies = append(agencies, cells("agency", "Ministry of Justice", "role", "reviewer", "contribution", "Norms (d) and (e)"))
	}
	a["0.a.3"] = rows(agencies...)
	a["0.a.4"] = choices([][]string{nil, {"technical-community"}, {"private-sector", "technical-community"},
		{"private-sector", "academia", "civil-society", "technical-community"}}[p.level]...)
	a["0.a.5"] = text(fmt.Sprintf("DEMO DATA, not a report of the Government of %s: generic answers made up for the natreport demonstration. In the demo workflow the ministry of foreign affairs drafts it with the national cybersecurity agency and CSIRT, and the coordination committee reviews it before the focal point submits it.", p.name))
	a["0.b.1"] = contact("Cyber Policy Desk (demo contact)", "Office mailbox", "Ministry of Foreign Affairs of "+p.name, lower("mfa-cyber"), "")
	a["0.b.2"] = contact("National CSIRT duty desk (demo contact)", "Team mailbox", "National CSIRT of "+p.name, lower("csirt"), "")
	a["0.b.3"] = contact("Demo Focal Point ("+p.name+")", "National focal point for this report", "Ministry of Foreign Affairs of "+p.name, focalEmail(iso), "")
	if len(p.langs) > 0 {
		a["0.b.4"] = choices(p.langs...)
	}

	if p.il != "" {
		a["I.a.1"] = status(p.il, "")
	}
	if p.level == 3 {
		a["I.a.2"] = choices("sovereignty", "non-intervention", "use-of-force", "ihl", "human-rights", "state-responsibility", "due-diligence", "countermeasures")
	} else {
		a["I.a.2"] = choices("sovereignty", "non-intervention", "peaceful-settlement", "human-rights")
	}
	a["I.a.5"] = yes("")
	a["I.a.6"] = text("The legal department of the foreign ministry is drafting a position. Training for legal advisers and exchanges with States that have published positions would help.")
	if p.regionalIL != "" {
		a["I.b.1"] = yes("")
		a["I.b.2"] = text(p.regionalIL)
	} else {
		a["I.b.1"] = na()
	}
	a["I.c.4"] = text([]string{"",
		"Very few officials specialise in international law and cyberspace, and most of the literature is in languages other than our own.",
		"Legal advisers have many other files; specialist training is occasional.",
		"Keeping the national position current as practice develops, and explaining it to other ministries."}[p.level])

	a["II.a.7"] = rows(law("", "National cybersecurity strategy (demo data)", "Sets national objectives, lead bodies and priorities for cybersecurity.", "", ""))
	a["II.a.8"] = text("https://" + Domain + "/" + strings.ToLower(iso) + "/strategy")
	if len(p.crime) > 0 {
		a["II.d.4"] = yes("")
		a["II.d.5"] = choices(p.crime...)
	}
	a["II.d.7"] = rows(law("", "Cybercrime law (demo data)", "Defines offences against and by means of computer systems and the powers to collect electronic evidence.", "", ""))
	a["II.e.7"] = rows(law("", "Data protection law (demo data)", "Protects personal data and sets up a supervisory authority.", "", ""))
	if len(p.sectors) > 0 {
		a["II.g.2"] = choices(p.sectors...)
	}
	a["II.g.8"] = rows(law("", "Critical infrastructure protection regulation (demo data)", "Lists critical sectors and sets security duties for their operators.", "", ""))
	a["II.h.2"] = text("National CSIRT (demo data)")
	if p.level == 3 {
		a["II.i.6"] = rows(law("", "ICT supply-chain security guidelines (demo data)", "Security requirements for ICT products and services bought by the public sector.", "", ""))
		a["III.d.4"] = rows(cells("partner", "CSIRTs of neighbouring States (demo data)", "subject", "Exchange of threat information and joint exercises"))
	}
	a["II.j.6"] = text("https://" + Domain + "/" + strings.ToLower(iso) + "/vulnerability-disclosure")

	if len(p.regional) > 0 {
		a["III.b.1"] = choices(p.regional...)
		a["III.b.4"] = text("Regional points of contact and table-top exercises have built working relations between our officials and their counterparts, which made later incidents easier to handle.")
	}
	a["III.c.1"] = choices([][]string{nil, {"strategy"}, {"strategy", "organisation", "laws"},
		{"threat-views", "strategy", "organisation", "laws", "il-position", "national-report"}}[p.level]...)
	if len(p.csirts) > 0 {
		a["III.d.2"] = choices(p.csirts...)
	}

	if len(p.needs) > 0 {
		a["IV.a.1"] = yes("")
		a["IV.a.2"] = text("cmm")
		a["IV.a.3"] = number(2023)
		needs := p.needs
		if !later {
			needs = needs[1:]
		}
		if len(needs) > 0 {
			a["IV.a.4"] = rows(needs...)
		}
	}
	if len(p.offers) > 0 {
		a["IV.b.1"] = yes("")
		a["IV.b.2"] = rows(p.offers...)
	} else if p.level < 3 {
		a["IV.b.1"] = na()
	}
	if len(p.programmes) > 0 {
		a["IV.c.1"] = rows(p.programmes...)
	}
	a["IV.c.5"] = text("Support works best when the receiving institution chooses the priorities and when training is followed by practice on its own systems.")

	if !later {
		return
	}
	// Part V: this cycle's thematic priority, protection of critical infrastructure.
	a["V.a.1"] = status([]string{"", surveys.StatusPartly, surveys.StatusPartly, surveys.StatusYes}[p.level], "")
	a["V.a.2"] = text("The list of critical sectors was reviewed with their regulators, and baseline security requirements for operators are being drafted.")
	a["V.a.3"] = text("Operators differ widely in capacity; small utilities lack security staff.")
	if p.level == 3 {
		a["V.a.4"] = text("A yearly cross-sector exercise with operators, followed by a public summary of lessons learned.")
	} else {
		a["V.a.5"] = text("Support to map dependencies between critical sectors and to train the security staff of operators.")
	}
}
