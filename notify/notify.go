// Package notify writes the messages natreport sends: confirmation links
// of ping rounds, reminders of due dates, notices and the secretariat's
// digest, each in its recipient's language. It only composes; the caller
// queues the result in the outbox (models.EnqueueTx) within the
// transaction of the change that causes it, and the mailer sends it.
package notify

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/natreport/natreport/i18n"
	"github.com/natreport/natreport/models"
)

// The kinds of message.
const (
	KindPing      = "ping"       // a ping round's confirmation link (essential)
	KindDue       = "due"        // a report's due date is near (essential)
	KindCycleOpen = "cycle_open" // a reporting cycle opened
	KindAssigned  = "assigned"   // a section was assigned to the recipient
	KindMatch     = "match"      // a State accepted or declined a proposed match
	KindDigest    = "digest"     // the secretariat's weekly digest
	KindWithdrawn = "withdrawn"  // a proposal was withdrawn, or the need it was for
)

// Optional lists the kinds a person may turn off on /account/notifications;
// the others are essential to reporting and always sent.
var Optional = []string{KindCycleOpen, KindAssigned, KindMatch, KindWithdrawn, KindDigest}

// IsOptional reports whether a person may turn kind off.
func IsOptional(kind string) bool { return slices.Contains(Optional, kind) }

// Composer writes messages with links under BaseURL.
type Composer struct {
	BaseURL string
}

func (c Composer) link(path string) string {
	return strings.TrimRight(c.BaseURL, "/") + path
}

// LangOf is the language to write to r in: the one r last used, else English.
func LangOf(r models.Recipient) string {
	if i18n.Supported(r.Lang) {
		return r.Lang
	}
	return "en"
}

// ContactLang is the language to write to a point of contact in: the first
// of its working languages that natreport speaks, else English.
func ContactLang(languages string) string {
	for _, f := range strings.FieldsFunc(strings.ToLower(languages), func(r rune) bool { return r == ',' || r == ' ' || r == ';' || r == '/' }) {
		if i18n.Supported(f) {
			return f
		}
	}
	return "en"
}

// compose fills a message: subject and body from the catalogue, the body
// ending with the link and a footer that says it was sent automatically
// (and, for optional kinds, where to turn it off). Each of extra, a
// paragraph, follows the body.
func (c Composer) compose(kind, to, lang, subjectID, bodyID, link string, data map[string]any, extra ...string) *models.Mail {
	p := i18n.NewPrinter(lang)
	var b strings.Builder
	b.WriteString(p.T(bodyID, data))
	b.WriteString("\n\n")
	for _, x := range extra {
		b.WriteString(x)
		b.WriteString("\n\n")
	}
	if link != "" {
		b.WriteString(link)
		b.WriteString("\n\n")
	}
	b.WriteString("-- \n")
	b.WriteString(p.T("mail.footer"))
	if IsOptional(kind) {
		b.WriteString("\n")
		b.WriteString(p.T("mail.footer_optional", map[string]any{"URL": c.link("/account/notifications")}))
	}
	b.WriteString("\n")
	return &models.Mail{Kind: kind, To: to, Lang: p.Lang, Subject: p.T(subjectID, data), Body: b.String()}
}

// Ping is the message that carries a ping round's confirmation link.
func (c Composer) Ping(t *models.PingTarget, ct *models.Contact, stateName, token string, expires time.Time) *models.Mail {
	lang := ContactLang(ct.Languages)
	p := i18n.NewPrinter(lang)
	data := map[string]any{"State": stateName, "Kind": p.T("contact.kind." + t.Kind), "Expires": expires.UTC().Format("2006-01-02")}
	return c.compose(KindPing, t.Mailbox, lang, "mail.ping.subject", "mail.ping.body", c.link("/confirm/"+url.PathEscape(token)), data)
}

func dear(r models.Recipient) map[string]any {
	name := r.Name
	if name == "" {
		name = r.Email
	}
	return map[string]any{"Name": name}
}

// CycleOpen tells a focal point that a reporting cycle opened (once per
// cycle and person).
func (c Composer) CycleOpen(r models.Recipient, cy *models.Cycle) *models.Mail {
	data := dear(r)
	data["Cycle"], data["Process"], data["Due"] = cy.Label, i18n.ProcessTitle(LangOf(r), cy.ProcessName), cy.DueOn.Format("2006-01-02")
	m := c.compose(KindCycleOpen, r.Email, LangOf(r), "mail.open.subject", "mail.open.body", c.link("/cycles/"+url.PathEscape(cy.Label)), data)
	m.DedupKey = models.Key(fmt.Sprintf("cycle_open:%d:%d", cy.ID, r.UserID))
	return m
}

// Due reminds a focal point that the State's report is due in days days
// (once per cycle, reminder and person).
func (c Composer) Due(r models.Recipient, stateName string, cy *models.Cycle, reminder, daysLeft int) *models.Mail {
	data := dear(r)
	data["State"], data["Cycle"], data["Due"], data["Days"] = stateName, cy.Label, cy.DueOn.Format("2006-01-02"), daysLeft
	m := c.compose(KindDue, r.Email, LangOf(r), "mail.due.subject", "mail.due.body",
		c.link("/reports/"+url.PathEscape(r.StateISO3)+"/"+url.PathEscape(cy.Label)), data)
	m.DedupKey = models.Key(fmt.Sprintf("due:%d:%d:%d", cy.ID, reminder, r.UserID))
	return m
}

// Assigned tells r that by asked them to draft a section of a report.
func (c Composer) Assigned(r models.Recipient, by, stateName, cycleLabel, sectionCode, sectionTitle string) *models.Mail {
	data := dear(r)
	data["By"], data["State"], data["Cycle"], data["Section"] = by, stateName, cycleLabel, sectionCode+" "+sectionTitle
	return c.compose(KindAssigned, r.Email, LangOf(r), "mail.assigned.subject", "mail.assigned.body",
		c.link("/reports/"+url.PathEscape(r.StateISO3)+"/"+url.PathEscape(cycleLabel)+"/sections/"+url.PathEscape(sectionCode)), data)
}

// MatchDecision tells r that stateName accepted or declined a proposed
// match between a need and an offer; path is the page of the match. The
// needs register calls it and queues the result with its decision.
func (c Composer) MatchDecision(r models.Recipient, stateName, need string, accepted bool, path string) *models.Mail {
	data := dear(r)
	data["State"], data["Need"] = stateName, need
	subj, body := "mail.match.declined.subject", "mail.match.declined.body"
	if accepted {
		subj, body = "mail.match.accepted.subject", "mail.match.accepted.body"
	}
	return c.compose(KindMatch, r.Email, LangOf(r), subj, body, c.link(path), data)
}

// noteOf is the paragraph quoting the note of a change, none when empty.
func noteOf(lang, note string) []string {
	if note = strings.TrimSpace(note); note == "" {
		return nil
	}
	return []string{i18n.NewPrinter(lang).T("mail.withdrawn.note", map[string]any{"Note": note})}
}

// ProposalWithdrawn tells r, a focal point of the State that had the
// proposal to decide, that it was withdrawn (by its proposer or the
// secretariat, or with its offer, withOffer); path is the need's page.
// Once per proposal and person.
func (c Composer) ProposalWithdrawn(r models.Recipient, m *models.Match, withOffer bool, note, path string) *models.Mail {
	lang := LangOf(r)
	data := dear(r)
	data["Provider"], data["State"], data["Need"] = m.Provider, m.StateName, m.NeedDescription
	body := "mail.withdrawn.proposal.body"
	if withOffer {
		body = "mail.withdrawn.offer.body"
	}
	mail := c.compose(KindWithdrawn, r.Email, lang, "mail.withdrawn.proposal.subject", body, c.link(path), data, noteOf(lang, note)...)
	mail.DedupKey = models.Key(fmt.Sprintf("match_withdrawn:%d:%d", m.ID, r.UserID))
	return mail
}

// YourProposalWithdrawn tells r, who proposed the match, that by (the
// secretariat, or someone of r's organisation withdrawing the offer)
// withdrew it; need is the need as r may read it. Once per proposal.
func (c Composer) YourProposalWithdrawn(r models.Recipient, m *models.Match, by, need, note, path string) *models.Mail {
	lang := LangOf(r)
	data := dear(r)
	data["Provider"], data["State"], data["Need"], data["By"] = m.Provider, m.StateName, need, by
	mail := c.compose(KindWithdrawn, r.Email, lang, "mail.withdrawn.yours.subject", "mail.withdrawn.yours.body", c.link(path), data, noteOf(lang, note)...)
	mail.DedupKey = models.Key(fmt.Sprintf("match_withdrawn:%d:%d", m.ID, r.UserID))
	return mail
}

// NeedWithdrawn tells r, who proposed the offer of provider for a need of
// stateName, that the State withdrew the need; change is the withdrawal's
// entry in the need's history (once per withdrawal and person).
func (c Composer) NeedWithdrawn(r models.Recipient, stateName, need, provider string, needID, change int64, note, path string) *models.Mail {
	lang := LangOf(r)
	data := dear(r)
	data["State"], data["Need"], data["Provider"] = stateName, need, provider
	m := c.compose(KindWithdrawn, r.Email, lang, "mail.withdrawn.need.subject", "mail.withdrawn.need.body", c.link(path), data, noteOf(lang, note)...)
	m.DedupKey = models.Key(fmt.Sprintf("need_withdrawn:%d:%d:%d", needID, change, r.UserID))
	return m
}

// DigestCycle is one open cycle in the digest.
type DigestCycle struct {
	Label     string
	Due       time.Time
	Started   int
	Submitted int
}

// Digest is what the secretariat's weekly digest says.
type Digest struct {
	Week       string // ISO week, e.g. 2026-W49
	Cycles     []DigestCycle
	Stale      int // directory entries that stand out
	FailedMail int // messages that could not be delivered
}

// DigestMail writes the weekly digest to r (once per week and person).
func (c Composer) DigestMail(r models.Recipient, d Digest) *models.Mail {
	lang := LangOf(r)
	p := i18n.NewPrinter(lang)
	var lines []string
	for _, cy := range d.Cycles {
		lines = append(lines, p.T("mail.digest.cycle", map[string]any{"Cycle": cy.Label, "Due": cy.Due.Format("2006-01-02"),
			"Started": cy.Started, "Submitted": cy.Submitted}))
	}
	if len(d.Cycles) == 0 {
		lines = append(lines, p.T("mail.digest.no_cycle"))
	}
	lines = append(lines, p.T("mail.digest.stale", map[string]any{"N": d.Stale}), p.T("mail.digest.failed", map[string]any{"N": d.FailedMail}))
	data := dear(r)
	data["Week"], data["Lines"] = d.Week, strings.Join(lines, "\n")
	m := c.compose(KindDigest, r.Email, lang, "mail.digest.subject", "mail.digest.body", c.link("/directory"), data)
	m.DedupKey = models.Key(fmt.Sprintf("digest:%s:%d", d.Week, r.UserID))
	return m
}

// MatchNotices writes MatchDecision to each of recipients who did not turn
// the notice off. The needs register queues them with models.EnqueueTx in
// the transaction that records the decision.
func (c Composer) MatchNotices(recipients []models.Recipient, stateName, need string, accepted bool, path string) []*models.Mail {
	var out []*models.Mail
	for _, r := range recipients {
		if !r.Off(KindMatch) {
			out = append(out, c.MatchDecision(r, stateName, need, accepted, path))
		}
	}
	return out
}
