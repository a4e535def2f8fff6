package demo

import (
	"fmt"
	"slices"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// DonorOrganisation is the organisation of the demo donor account.
const DonorOrganisation = "Global Cyber Capacity Fund (demo data)"

// syncRegisters feeds the needs and offers registers from a report version
// just submitted or published, as the site does.
func (l *loader) syncRegisters(reportID int64, by models.Actor) error {
	stored, err := l.db.ListAnswers(l.ctx, reportID)
	if err != nil {
		return err
	}
	vals := make(map[string]surveys.Value, len(stored))
	for code, a := range stored {
		vals[code] = a.Value
	}
	_, err = l.db.SyncRegisters(l.ctx, reportID, surveys.Needs(l.t, vals), surveys.Offers(l.t, vals), by)
	return err
}

// registers gives the demo donor its organisation and an offer, and plays
// two proposals: the donor's offer for Fiji's critical-infrastructure need,
// accepted and under way; Japan's training offer proposed by the
// secretariat for one of Kenya's needs, declined by Kenya.
func (l *loader) registers() error {
	if err := l.clock.set("2026-10-05"); err != nil {
		return err
	}
	admin, donor, sec := l.actor("admin@"+Domain), l.actor("donor@"+Domain), l.actor("secretariat@"+Domain)
	if err := l.db.SetUserOrganisation(l.ctx, donor.UserID, DonorOrganisation, admin); err != nil {
		return err
	}
	org, err := l.db.UserOrganisation(l.ctx, donor.UserID)
	if err != nil {
		return err
	}
	l.clock.days(2)
	offer := &models.Offer{OrganisationID: org.ID, Provider: DonorOrganisation,
		AreasText: "critical-infrastructure,incident-response", TypesText: "technical-assistance,training,equipment",
		Regions: "African; Asia-Pacific", Modality: "multistakeholder", Period: "2026-2028",
		Contact:     "capacity@fund.demo.natreport.example",
		Description: "Grants and expert support for national CSIRTs and critical-infrastructure protection, delivered with regional partners. (Demo data.)"}
	if err := l.db.CreateOffer(l.ctx, offer, donor); err != nil {
		return fmt.Errorf("donor offer: %w", err)
	}
	readAll := surveys.Reader{Role: models.RoleSecretariat}
	fiji, err := l.db.ListNeeds(l.ctx, readAll, models.NeedFilter{StateISO3: "FJI", Cycle: cycleCur, Area: "critical-infrastructure", Status: surveys.NeedOpen})
	if err != nil {
		return err
	}
	// The row of Fiji's needs table, rather than an "assistance needed" mark.
	fiji = slices.DeleteFunc(fiji, func(n models.Need) bool { return n.FromMark() })
	if len(fiji) == 0 {
		return fmt.Errorf("no open critical-infrastructure need of Fiji")
	}
	l.clock.days(3)
	m, err := l.db.ProposeMatch(l.ctx, fiji[0].ID, offer.ID, "We can fund a sector risk assessment and train the national CSIRT's analysts. (Demo data.)", donor)
	if err != nil {
		return fmt.Errorf("proposal to Fiji: %w", err)
	}
	l.clock.days(6)
	fijiFocal := l.actor(focalEmail("FJI"))
	if _, err := l.db.DecideMatch(l.ctx, m.ID, true, "Welcome; our CERT will coordinate. (Demo data.)", fijiFocal, nil); err != nil {
		return err
	}
	l.clock.days(20)
	if err := l.db.SetNeedStatus(l.ctx, fiji[0].ID, surveys.NeedMatched, surveys.NeedInProgress, "Work plan agreed. (Demo data.)", fijiFocal, nil); err != nil {
		return err
	}

	japan, err := l.db.ListOffers(l.ctx, readAll, models.OfferFilter{ActiveOnly: true})
	if err != nil {
		return err
	}
	var jp *models.Offer
	for i := range japan {
		if japan[i].StateISO3 == "JPN" && japan[i].CycleLabel == cycleCur {
			jp = &japan[i]
			break
		}
	}
	kenya, err := l.db.ListNeeds(l.ctx, readAll, models.NeedFilter{StateISO3: "KEN", Status: surveys.NeedOpen})
	if err != nil {
		return err
	}
	if jp == nil || len(kenya) == 0 {
		return fmt.Errorf("no offer of Japan or no open need of Kenya")
	}
	l.clock.days(1)
	m, err = l.db.ProposeMatch(l.ctx, kenya[0].ID, jp.ID, "Japan's programme may fit this need. (Demo data.)", sec)
	if err != nil {
		return fmt.Errorf("proposal to Kenya: %w", err)
	}
	l.clock.days(5)
	_, err = l.db.DecideMatch(l.ctx, m.ID, false, "Already covered by a regional programme. (Demo data.)", l.actor(focalEmail("KEN")), nil)
	return err
}
