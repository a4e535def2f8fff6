package demo

import (
	"context"
	"testing"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// TestLoadRegisters: the demo shows the needs register, offers from
// Japan's report and from a donor organisation, and both outcomes of a
// proposal.
func TestLoadRegisters(t *testing.T) {
	ctx := context.Background()
	db, _ := load(t)
	sec := surveys.Reader{Role: models.RoleSecretariat}
	needs, err := db.ListNeeds(ctx, sec, models.NeedFilter{})
	if err != nil {
		t.Fatal(err)
	}
	openGroups, statuses := map[string]bool{}, map[string]int{}
	carried := 0
	for _, n := range needs {
		statuses[n.Status]++
		if surveys.NeedIsOpen(n.Status) {
			openGroups[n.RegionalGroup] = true
		}
		if n.CarriedFromID != nil {
			carried++
		}
	}
	if len(openGroups) < 3 {
		t.Errorf("open needs from %d regional groups, want at least 3: %v", len(openGroups), openGroups)
	}
	if statuses[surveys.NeedInProgress] != 1 || statuses[surveys.NeedOpen] == 0 {
		t.Errorf("need statuses %v, want open ones and one in progress", statuses)
	}
	if carried == 0 {
		t.Errorf("no need carried forward from %s", cyclePrev)
	}
	offers, err := db.ListOffers(ctx, sec, models.OfferFilter{ActiveOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var fromJapan, fromDonor int
	for _, o := range offers {
		switch {
		case o.StateISO3 == "JPN":
			fromJapan++
		case o.Organisation == DonorOrganisation:
			fromDonor++
		}
	}
	if fromJapan == 0 || fromDonor != 1 {
		t.Errorf("offers: %d from Japan, %d from the donor organisation", fromJapan, fromDonor)
	}
	ms, err := db.ListMatches(ctx, models.MatchReader{Reader: sec}, models.MatchFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, m := range ms {
		got[m.StateISO3] = m.Status
	}
	if got["FJI"] != surveys.MatchAccepted || got["KEN"] != surveys.MatchDeclined || len(ms) != 2 {
		t.Errorf("proposals = %v, want Fiji's accepted and Kenya's declined", got)
	}
	// Private reports feed nobody else's register.
	for _, n := range needs {
		if n.StateISO3 == "SEN" {
			t.Errorf("the secretariat reads a need of Senegal's private report: %+v", n)
		}
	}
}
