package demo

import (
	"fmt"
	"strings"
	"time"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/notify"
)

// demoContact is one directory entry of a demo State.
type demoContact struct {
	kind, function, organisation, mailbox, langs, tz, hours string
}

// directory is the demo points-of-contact directory: the mailboxes the
// States give in section 0.b of their reports (all at the reserved demo
// domain, so no message can reach anyone).
func directory() map[string][]demoContact {
	out := map[string][]demoContact{
		"JPN": {
			{models.ContactDiplomatic, "Cyber Policy Office (demo contact)", "Ministry of Foreign Affairs of Japan", "jpn.mfa-cyber@" + Domain, "en", "Asia/Tokyo", "09:30-18:15 Mon-Fri"},
			{models.ContactTechnical, "Technical point of contact (demo contact)", "National Center of Incident Readiness and Strategy for Cybersecurity", "jpn.tech-poc@" + Domain, "en", "Asia/Tokyo", "24/7"},
		},
	}
	for _, p := range profiles {
		iso := strings.ToLower(p.iso3)
		langs := strings.Join(p.langs, ", ")
		out[p.iso3] = []demoContact{
			{models.ContactDiplomatic, "Cyber Policy Desk (demo contact)", "Ministry of Foreign Affairs of " + p.name, iso + ".mfa-cyber@" + Domain, langs, "", "Office hours"},
			{models.ContactTechnical, "National CSIRT duty desk (demo contact)", "National CSIRT of " + p.name, iso + ".csirt@" + Domain, langs, "", "24/7"},
		}
	}
	return out
}

// createDirectory fills the directory and runs one past ping round
// (June 2026) that most points of contact answered within days; the two
// that did not (Kenya's diplomatic desk, Ghana's CSIRT) stand out as
// never confirmed.
func (l *loader) createDirectory() error {
	if err := l.clock.set("2025-03-03"); err != nil {
		return err
	}
	dir := directory()
	var states []string
	for _, iso := range sortedKeys(dir) {
		states = append(states, iso)
		focal := l.actor(focalEmail(iso))
		for _, c := range dir[iso] {
			ct := &models.Contact{StateISO3: iso, Kind: c.kind, Function: c.function, Organisation: c.organisation,
				Mailbox: c.mailbox, Languages: c.langs, TimeZone: c.tz, Hours: c.hours}
			if err := l.db.SaveContact(l.ctx, ct, focal); err != nil {
				return fmt.Errorf("contact %s: %w", c.mailbox, err)
			}
		}
	}
	if err := l.clock.set("2026-06-01"); err != nil {
		return err
	}
	secretariat := l.actor("secretariat@" + Domain)
	names := map[string]string{"JPN": "Japan"}
	for _, p := range profiles {
		names[p.iso3] = p.name
	}
	comp := notify.Composer{BaseURL: "http://localhost:8080"}
	expires := l.clock.now().Add(14 * 24 * time.Hour)
	tokens := map[string]string{}
	_, err := l.db.StartPingRound(l.ctx, "all", states, expires, secretariat, func(t *models.PingTarget, c *models.Contact, token string) *models.Mail {
		tokens[c.Mailbox] = token
		return comp.Ping(t, c, names[t.StateISO3], token, expires)
	})
	if err != nil {
		return err
	}
	// The round's messages went out in June 2026 (the demo records them as
	// sent; the addresses are at a reserved domain).
	msgs, err := l.db.ClaimMail(l.ctx, "demo", 1000, time.Hour)
	if err != nil {
		return err
	}
	for i := range msgs {
		if err := l.db.MarkMailSent(l.ctx, &msgs[i]); err != nil {
			return err
		}
	}
	// Everyone but Ghana's technical desk and Kenya's diplomatic desk
	// confirmed, within hours or days.
	for _, iso := range states {
		for _, c := range dir[iso] {
			if c.mailbox == "gha.csirt@"+Domain || c.mailbox == "ken.mfa-cyber@"+Domain {
				continue
			}
			if _, err := l.db.ConfirmPing(l.ctx, tokens[c.mailbox]); err != nil {
				return fmt.Errorf("confirm %s: %w", c.mailbox, err)
			}
		}
		l.clock.days(1)
	}
	return nil
}
