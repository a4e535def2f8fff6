package demo

import (
	"slices"

	"github.com/natreport/natreport/surveys"
)

// Japan's demo reports. The facts come from Japan's public statements in
// shared/seeds (OEWG statements of November 2020 and of the 2022 session on
// confidence-building measures, a 2020 speech on Japan's cyber diplomacy,
// the position paper for the 2019-2021 OEWG and the submission on the
// Programme of Action) and from well-known public facts (Japan's ministries,
// JPCERT/CC, party to the Budapest Convention since 2012, the 2022 Economic
// Security Promotion Act). What those sources do not say is left
// unanswered or described generically. It remains demo data: Japan did not
// submit these reports, as 0.a.5 says.

// jpnDemoNote opens 0.a.5 of both reports.
const jpnDemoNote = "DEMO DATA, not a report of the Government of Japan: compiled for the natreport demonstration from Japan's public statements (OEWG statements of 2020 and 2022, a 2020 speech on Japan's cyber diplomacy, the submission on a Programme of Action) and well-known public facts. "

// japanPrev is Japan's 2024-2025 report.
func japanPrev() answers {
	const (
		mofa   = "Ministry of Foreign Affairs of Japan"
		nisc   = "National center of Incident readiness and Strategy for Cybersecurity (NISC), Cabinet Secretariat"
		jpcert = "JPCERT/CC (Japan Computer Emergency Response Team Coordination Center)"
	)
	return answers{
		// Part 0: coordination and points of contact.
		"0.a.1": yes(""),
		"0.a.2": text("Ministry of Foreign Affairs (cyber policy), in consultation with NISC, which coordinates cybersecurity policy across government"),
		"0.a.3": rows(
			cells("agency", "Ministry of Foreign Affairs", "role", "lead", "contribution", "Parts I, III and IV; coordination of the report"),
			cells("agency", nisc, "role", "contributor", "contribution", "Part II: national strategy, critical infrastructure, government systems"),
			cells("agency", "National Police Agency", "role", "contributor", "contribution", "Norms (c) and (d): cybercrime and international investigative cooperation"),
			cells("agency", jpcert, "role", "contributor", "contribution", "Norms (h), (j) and (k); cooperation between response teams (III.d)"),
			cells("agency", "Ministry of Economy, Trade and Industry", "role", "reviewer", "contribution", "Norm (i): supply chain and industry"),
		),
		"0.a.4": choices("technical-community"),
		"0.a.5": text(jpnDemoNote + "In the demo workflow the report was drafted by the Ministry of Foreign Affairs with contributions from NISC, the National Police Agency and JPCERT/CC (which drafted the sections on response teams), printed for internal approval and submitted by the national focal point."),
		// Japan said in 2020 that it would give the POC directory office
		// mailboxes that do not change with staff (seeds/000).
		"0.b.1": contact("Cyber Policy Office (demo contact)", "Office mailbox, diplomatic point of contact", mofa, "jpn.mfa-cyber@"+Domain, "English, Japanese"),
		"0.b.2": contact("Technical point of contact (demo contact)", "Team mailbox", nisc, "jpn.tech-poc@"+Domain, "English, Japanese"),
		"0.b.3": contact("Demo Focal Point (Japan)", "National focal point for this report", mofa, focalEmail("JPN"), "English, Japanese"),
		"0.b.4": choices("en", "other"),
		"0.b.5": text("Japanese"),

		// Part I: the Basic Position of May 2021 (seeds/004).
		"I.a.1": yes(""),
		"I.a.2": choices("sovereignty", "non-intervention", "use-of-force", "peaceful-settlement", "ihl", "human-rights",
			"state-responsibility", "due-diligence", "countermeasures"),
		"I.a.3": text("https://www.mofa.go.jp/files/100200935.pdf"),
		"I.a.4": text("2021-05-28"),
		"I.a.5": yes(""),
		"I.b.1": na(),
		"I.b.3": yes(""),
		"I.c.3": yes(""),
		"I.c.4": text("Views still differ among States on how some rules apply, and some States argue for a new treaty; Japan sees no need for one at present and prefers to clarify how existing treaties and customary international law apply. Japan hopes that more States will announce national positions and that the application of international law by international and domestic courts and tribunals will deepen the shared understanding."),

		// Part II: the norms.
		"II.a.1": yes(""),
		"II.a.2": yes(""),
		"II.a.3": yes(""),
		"II.a.4": yes("Policy is coordinated by the Cybersecurity Strategic Headquarters in the Cabinet, with NISC as its secretariat."),
		"II.a.5": yes(""),
		"II.a.7": rows(
			law("サイバーセキュリティ基本法", "Basic Act on Cybersecurity (2014)", "Sets the basic principles of national cybersecurity policy and establishes the Cybersecurity Strategic Headquarters, with NISC as its secretariat.", "", ""),
			law("サイバーセキュリティ戦略", "Cybersecurity Strategy (revised 2021)", "National strategy adopted by the Cabinet. Cyber diplomacy under it has three pillars: the rule of law, confidence-building measures and capacity-building.", "", ""),
		),
		"II.a.8": text("https://www.nisc.go.jp/eng/"),
		"II.b.2": yes("Attribution is technically difficult. Japan has used public attribution statements to show attackers the costs of their acts: in 2017 on North Korea's involvement in WannaCry, in 2018 condemning the attacks of the group known as APT10."),
		"II.b.4": yes("Cooperation through points of contact depends on trust; it is inefficient if malicious activity from one side continues."),
		"II.c.1": yes("The origin of malicious activity is hard to establish. Japan's view: a State told that malicious activity comes from its territory should respond to a request for assistance even when the perpetrator cannot be traced."),
		"II.c.4": yes(""),
		"II.d.1": yes(""),
		"II.d.2": yes(""),
		"II.d.3": yes(""),
		"II.d.4": yes(""),
		"II.d.5": choices("budapest", "bilateral"),
		"II.d.7": rows(
			law("不正アクセス行為の禁止等に関する法律", "Act on the Prohibition of Unauthorized Computer Access", "Makes unauthorised access to computers, and acts that facilitate it, criminal offences.", "", ""),
			law("", "Convention on Cybercrime (Budapest Convention)", "Japan is a party; basis for international investigative cooperation and information sharing.", "2012-11-01", "https://www.coe.int/en/web/cybercrime/the-budapest-convention"),
		),
		"II.e.1": yes(""),
		"II.e.5": yes(""),
		"II.e.7": rows(
			law("個人情報の保護に関する法律", "Act on the Protection of Personal Information", "Rules for handling personal information, supervised by the independent Personal Information Protection Commission.", "", ""),
		),
		"II.e.8": text("https://www.ppc.go.jp/en/"),
		"II.f.1": yes(""),
		"II.f.3": yes("In June 2020 Japan and five other States proposed in the OEWG that medical services and facilities be treated as critical infrastructure, like electricity and water."),
		"II.g.1": yes(""),
		"II.g.2": choices("energy", "water", "health", "finance", "transport", "telecoms", "government", "other"),
		"II.g.3": yes(""),
		"II.g.4": partly("Reporting duties differ from sector to sector."),
		"II.g.5": yes(""),
		"II.g.6": yes("As co-chair of the ARF inter-sessional meeting on ICT security, Japan facilitated exchanges of good practice on protecting critical information infrastructure."),
		"II.g.7": yes(""),
		"II.g.8": rows(
			law("重要インフラのサイバーセキュリティに係る行動計画", "Cybersecurity Policy for Critical Infrastructure Protection", "Names the critical infrastructure sectors and sets what operators and the responsible ministries are expected to do.", "", ""),
			law("", "Economic Security Promotion Act (2022)", "Among other things, provides for prior screening of critical equipment introduced by designated infrastructure operators.", "", ""),
		),
		"II.h.1": yes(""),
		"II.h.2": text(jpcert),
		"II.h.3": yes(""),
		"II.h.4": yes(""),
		"II.h.7": yes(""),
		"II.h.8": text("https://www.jpcert.or.jp/english/"),
		"II.i.1": yes(""),
		"II.i.3": yes(""),
		"II.i.4": yes(""),
		"II.i.5": yes(""),
		"II.i.6": rows(
			law("", "Economic Security Promotion Act (2022)", "Prior screening of critical equipment for designated infrastructure, to manage supply-chain risks.", "", ""),
		),
		"II.j.1": yes(""),
		"II.j.3": yes(""),
		"II.j.5": yes(""),
		"II.j.6": text("https://jvn.jp/en/"),
		"II.k.1": yes(""),
		"II.k.3": yes(""),
		"II.k.4": yes(""),
		"II.k.6": text("https://www.jpcert.or.jp/english/"),

		// Part III: confidence-building measures (seeds/000, 002, 003).
		"III.a.1": yes(""),
		"III.a.2": yes(""),
		"III.a.3": yes(""),
		"III.a.4": yes("Keeping names and numbers current is the main difficulty. Japan uses e-mail addresses tied to the responsible office, which do not change when the person in charge changes."),
		"III.b.1": choices("arf"),
		"III.b.2": yes(""),
		"III.b.3": yes(""),
		"III.b.4": text("Japan is not a member of ASEAN but takes part in the ASEAN Regional Forum. As a co-chair of the ARF inter-sessional meeting on ICT security, with Singapore and Malaysia, Japan initiated CBMs in the ARF: (a) a directory of points of contact; (b) sharing information on national laws, policies, best practices and strategies, rules and regulations; (c) awareness-raising and information sharing on emergency response to security incidents; (d) workshops on building security in the use of ICTs in the national context. Regional experience should inform the global directory, since incidents do not always happen between States of one region."),
		"III.c.1": choices("strategy", "laws", "il-position"),
		"III.c.2": yes("Japan has held cyber policy consultations and dialogues with 14 countries and regions; in 2019 bilateral consultations with Australia, the EU, France, India, Russia and the United States, and a trilateral dialogue with China and the Republic of Korea."),
		"III.c.3": yes(""),
		"III.d.1": yes(""),
		"III.d.2": choices("first", "apcert"),
		"III.d.3": yes(""),

		// Part IV: Japan offers assistance (seeds/002 and 004).
		"IV.b.1": yes(""),
		"IV.b.2": rows(
			cells("area", "incident-response", "type", "training", "regions", "ASEAN Member States", "modality", "regional",
				"description", "ASEAN-Japan Cybersecurity Capacity Building Centre (AJCCBC) in Thailand: training for cybersecurity officials and critical information infrastructure operators of ASEAN."),
			cells("area", "cybercrime", "type", "training", "regions", "Asia, the Middle East and Africa", "modality", "bilateral",
				"description", "JICA group and region-focused trainings: lectures, exercises and facility tours for policy advisers and criminal justice practitioners."),
			cells("area", "cybercrime", "type", "technical-assistance", "regions", "ASEAN Member States", "modality", "multilateral",
				"description", "Support, through the Japan-ASEAN Integration Fund, for the ASEAN Joint Operations Against Cybercrime and the ASEAN Cyber Capacity Development Project run by the INTERPOL Global Complex for Innovation."),
			cells("area", "policy-strategy", "type", "funding", "regions", "Global", "modality", "multilateral",
				"description", "Contribution to the World Bank Cybersecurity Multi-Donor Trust Fund."),
		),
		"IV.c.1": rows(
			cells("partner", "ASEAN Member States (AJCCBC)", "role", "provider", "area", "incident-response",
				"description", "Capacity Building Centre set up in Thailand in 2018; joint table-top exercises and workshops with ASEAN officials."),
			cells("partner", "INTERPOL Global Complex for Innovation", "role", "provider", "area", "cybercrime",
				"description", "ASEAN Joint Operations Against Cybercrime; ASEAN Cyber Capacity Development Project."),
			cells("partner", "World Bank", "role", "provider", "area", "policy-strategy",
				"description", "Cybersecurity Multi-Donor Trust Fund."),
		),
		"IV.c.2": yes(""),
		"IV.c.3": yes("Japan's cooperation rests on partnership and ownership: the recipient country is best placed to identify its demand, needs and priorities, and to coordinate support."),
		"IV.c.5": text("\"Helping others is helping oneself\": capacity-building reduces gaps that put everyone at risk. Support works best when it is tailor-made to the recipient's national situation rather than one-size-fits-all or hit-and-away, when the recipient owns and coordinates it, and when it builds on existing institutions (for example the foreign ministry) rather than new ones."),
	}
}

// japanCur is Japan's 2026-2027 report: the 2024-2025 answers carried
// forward, then updated. Compared with the last cycle some answers change
// (II.g.4, II.h.3, 0.a.2, 0.a.5, II.g.8, IV.b.2), some are new (II.c.5,
// II.h.5, Part V on the thematic priority), some gain details (II.a.1,
// II.g.1) and some are removed (II.k.6, a duplicate of II.h.8; I.b.1).
// The codes are v1's; the loader maps them onto template v2.
func japanCur(prev answers) answers {
	a := prev.clone()
	a["0.a.2"] = text("Ministry of Foreign Affairs (cyber policy), in consultation with the Cabinet Secretariat's body coordinating cybersecurity policy (NISC until its 2025 reorganisation)")
	a["0.a.5"] = text(jpnDemoNote + "For this cycle the report was started by carrying forward the 2024-2025 report; sections with no change were confirmed and the rest updated. JPCERT/CC updated the sections on response teams.")
	a["II.c.5"] = partly("Legislation adopted in 2025 provides for measures against servers used in serious attacks; the procedures are still being put in place. (Wording simplified for the demo.)")
	a["II.g.4"] = yes("Legislation adopted in 2025 on active cyber defence provides for reporting of incidents by designated critical infrastructure operators. (Wording simplified for the demo.)")
	a["II.g.8"] = rows(append(slices.Clone(prev["II.g.8"].Rows),
		law("", "Legislation on active cyber defence (2025; title simplified for the demo)", "Incident reporting by designated critical infrastructure operators, information sharing between government and operators, and measures against servers used in serious attacks.", "", ""))...)
	a["II.h.3"] = yes("Procedures are being updated to match the 2025 legislation.")
	// Template v2 lets a status be backed up with the measures taken and links.
	a["II.a.1"] = details(a["II.a.1"], "Cybersecurity Strategy adopted by the Cabinet in 2021; a new strategy is in preparation after the 2025 legislation. (Wording simplified for the demo.)",
		"https://www.nisc.go.jp/eng/")
	a["II.g.1"] = details(a["II.g.1"], "Critical infrastructure sectors are designated in the Cybersecurity Policy for Critical Infrastructure Protection. (Wording simplified for the demo.)",
		"https://www.nisc.go.jp/eng/")
	a["II.h.5"] = partly("Steps for handling requests under the 2025 legislation are being written down.")
	a["II.k.6"] = text("")       // removed: the same link is given under II.h.8 (neither is in template v2)
	a["I.b.1"] = surveys.Value{} // no longer answered: it was "not applicable"
	a["IV.b.2"] = rows(append(slices.Clone(prev["IV.b.2"].Rows)[:3],
		cells("area", "policy-strategy", "type", "funding", "regions", "Global", "modality", "multilateral",
			"description", "Contribution to the World Bank Cybersecurity Multi-Donor Trust Fund, which supports national cybersecurity capacity in developing countries."))...)
	// Part V: this cycle's thematic priority, protection of critical infrastructure.
	a["V.a.1"] = yes("")
	a["V.a.2"] = text("Critical infrastructure sectors are designated in the Cybersecurity Policy for Critical Infrastructure Protection; the Economic Security Promotion Act (2022) screens critical equipment; legislation adopted in 2025 adds incident reporting by designated operators and information sharing between government and operators; cross-sector exercises are held with operators.")
	a["V.a.3"] = text("Bringing smaller operators and the supply chains of critical infrastructure to the same level of protection, and recruiting enough specialists.")
	a["V.a.4"] = text("Training critical information infrastructure operators of ASEAN Member States at the ASEAN-Japan Cybersecurity Capacity Building Centre, together with joint table-top exercises.")
	a["V.a.6"] = text("https://www.nisc.go.jp/eng/")
	return a
}

// details backs a status answer up with the measures taken and links.
func details(v surveys.Value, measures string, links ...string) surveys.Value {
	v.Measures, v.Links = measures, links
	return v
}

// japanPlans are Japan's two reports.
func japanPlans() []plan {
	prev := japanPrev()
	focal := focalEmail("JPN")
	drafters := map[string]string{"II.h": jpnCERT, "II.k": jpnCERT, "III.d": jpnCERT}
	return []plan{
		{iso3: "JPN", cycle: cyclePrev, start: "2024-03-04", status: "published", visibility: "public",
			answers: prev, drafters: drafters},
		{iso3: "JPN", cycle: cycleCur, start: "2026-01-19", status: "published", visibility: "public",
			answers: japanCur(prev), carry: true, drafters: drafters,
			// Left carried: II.e, II.f, II.i, III.c and IV.c.
			confirm: []string{"0.a", "0.b", "I.a", "I.b", "I.c", "II.a", "II.b", "II.c", "II.d", "II.g", "II.h", "II.j", "II.k",
				"III.a", "III.b", "III.d", "IV.b"},
			comments: []comment{
				{"II.h", jpnCERT, "Updated II.h.3 and II.h.5 for the 2025 legislation; please check the wording before internal review. (Demo comment.)"},
				{"II.h", focal, "Checked with the legal division, fine for submission. (Demo comment.)"},
			}},
	}
}
