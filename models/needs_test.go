package models

import (
	"slices"
	"strconv"
	"testing"

	"gorm.io/gorm"

	"github.com/natreport/natreport/surveys"
)

// submitted makes a report of iso3 in cycle c and moves it to status
// (submitted or published) at visibility vis.
func submitted(t *testing.T, db *DB, iso3 string, c *Cycle, status, vis string) *Report {
	t.Helper()
	a := Actor{Email: "fp@example.org"}
	r := newReport(t, db, iso3, c, a)
	must(t, db.SetVisibility(ctx, r.ID, vis, a))
	must(t, db.SetReportStatus(ctx, r.ID, StatusDraft, StatusSubmitted, a))
	if status == StatusPublished {
		must(t, db.SetReportStatus(ctx, r.ID, StatusSubmitted, StatusPublished, a))
	}
	r.Status, r.Visibility = status, vis
	return r
}

var (
	secretariat = surveys.Reader{Role: RoleSecretariat}
	needRow     = surveys.Need{Code: "IV.a.4", Row: 0, Area: "critical-infrastructure", Norm: "g", Type: "technical-assistance", Priority: "high", Description: "CI risk assessment"}
	needMark    = surveys.Need{Code: "II.d.1", Row: -1, Area: "cybercrime", Norm: "d", Type: "legal-drafting", Description: "Cybercrime law"}
	offerRow    = surveys.Offer{Code: "IV.b.2", Row: 0, Area: "incident-response", Type: "training", Regions: "Africa", Modality: "bilateral", Description: "CSIRT training"}
)

func needByKey(t *testing.T, ns []Need, key string) Need {
	t.Helper()
	for _, n := range ns {
		if n.SourceKey == key {
			return n
		}
	}
	t.Fatalf("no need %s among %d", key, len(ns))
	return Need{}
}

func TestSyncRegisters(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		c := newCycle(t, db, 2026)
		actor := Actor{Email: "fp@example.org"}
		draft := newReport(t, db, "GHA", c, actor)
		_, err := db.SyncRegisters(ctx, draft.ID, []surveys.Need{needRow}, nil, actor)
		wantErr(t, err, ErrConflict)

		r := submitted(t, db, "KEN", c, StatusSubmitted, VisibilityRestricted)
		res, err := db.SyncRegisters(ctx, r.ID, []surveys.Need{needRow, needMark}, []surveys.Offer{offerRow}, actor)
		must(t, err)
		if res != (SyncResult{Added: 2, Offers: 1}) {
			t.Fatalf("first sync = %+v", res)
		}
		ns, err := db.ListNeeds(ctx, secretariat, NeedFilter{})
		must(t, err)
		if len(ns) != 2 {
			t.Fatalf("%d needs, want 2", len(ns))
		}
		row := needByKey(t, ns, "IV.a.4#0")
		if row.Status != surveys.NeedOpen || row.Area != "critical-infrastructure" || row.Priority != "high" || row.StateName != "Kenya" ||
			row.RegionalGroup != "African" || row.CycleLabel != c.Label || row.ReportID != r.ID || !row.InReport || !row.Confirmed {
			t.Errorf("row need = %+v", row)
		}
		if mark := needByKey(t, ns, "II.d.1#mark"); !mark.FromMark() || mark.Norm != "d" {
			t.Errorf("mark need = %+v", mark)
		}
		h, err := db.NeedHistory(ctx, row.ID)
		must(t, err)
		if len(h) != 1 || h[0].OldStatus != "" || h[0].NewStatus != surveys.NeedOpen || h[0].Event != EventReported || h[0].Note != "1" || h[0].At.IsZero() {
			t.Errorf("history = %+v", h)
		}

		// Again, unchanged: nothing happens.
		res, err = db.SyncRegisters(ctx, r.ID, []surveys.Need{needRow, needMark}, []surveys.Offer{offerRow}, actor)
		must(t, err)
		if res != (SyncResult{Offers: 1}) {
			t.Errorf("second sync = %+v", res)
		}

		// The lifecycle status survives a new version; a need dropped from
		// the report is withdrawn, the offer made inactive.
		must(t, db.SetNeedStatus(ctx, row.ID, surveys.NeedOpen, surveys.NeedDiscussion, "", actor, nil))
		v2, err := db.NewVersion(ctx, r.ID, actor)
		must(t, err)
		must(t, db.SetReportStatus(ctx, v2.ID, StatusDraft, StatusSubmitted, actor))
		changed := needRow
		changed.Description = "CI risk assessment and sector lists"
		res, err = db.SyncRegisters(ctx, v2.ID, []surveys.Need{changed}, nil, actor)
		must(t, err)
		if res != (SyncResult{Updated: 1, Removed: 1, OffersRemoved: 1}) {
			t.Errorf("third sync = %+v", res)
		}
		ns, err = db.ListNeeds(ctx, secretariat, NeedFilter{})
		must(t, err)
		row = needByKey(t, ns, "IV.a.4#0")
		if row.Status != surveys.NeedDiscussion || row.Description != changed.Description || row.ReportID != v2.ID || row.ReportVersion != 2 {
			t.Errorf("row after v2 = %+v", row)
		}
		mark := needByKey(t, ns, "II.d.1#mark")
		if mark.Status != surveys.NeedWithdrawn || mark.InReport {
			t.Errorf("dropped mark = %+v", mark)
		}
		offers, err := db.ListOffers(ctx, secretariat, OfferFilter{})
		must(t, err)
		if len(offers) != 1 || offers[0].Active || offers[0].Provider != "Kenya" {
			t.Errorf("offers = %+v", offers)
		}
		if got := actions(t, db, v2.ID); !slices.Contains(got, ActionRegisterSync) {
			t.Errorf("audit of v2 = %v, want a %s entry", got, ActionRegisterSync)
		}
	})
}

func TestNeedLifecycle(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		clk := fixClock(db, date(2026, 5, 1))
		c := newCycle(t, db, 2026)
		fp := newUser(t, db, RoleFocalPoint, "KEN")
		r := submitted(t, db, "KEN", c, StatusPublished, VisibilityRestricted)
		_, err := db.SyncRegisters(ctx, r.ID, []surveys.Need{needRow}, nil, actorOf(fp))
		must(t, err)
		ns, err := db.ListNeeds(ctx, secretariat, NeedFilter{})
		must(t, err)
		id := ns[0].ID

		steps := []struct{ from, to string }{
			{surveys.NeedOpen, surveys.NeedDiscussion},
			{surveys.NeedDiscussion, surveys.NeedMatched},
			{surveys.NeedMatched, surveys.NeedInProgress},
			{surveys.NeedInProgress, surveys.NeedCompleted},
		}
		for _, s := range steps {
			clk.advance(24 * 3600e9)
			must(t, db.SetNeedStatus(ctx, id, s.from, s.to, "step "+s.to, actorOf(fp), nil))
		}
		wantErr(t, db.SetNeedStatus(ctx, id, surveys.NeedCompleted, surveys.NeedOpen, "", actorOf(fp), nil), ErrInvalid)
		wantErr(t, db.SetNeedStatus(ctx, id, surveys.NeedOpen, surveys.NeedWithdrawn, "", actorOf(fp), nil), ErrConflict)
		wantErr(t, db.SetNeedStatus(ctx, 99999, surveys.NeedOpen, surveys.NeedWithdrawn, "", actorOf(fp), nil), ErrNotFound)

		h, err := db.NeedHistory(ctx, id)
		must(t, err)
		if len(h) != 5 {
			t.Fatalf("%d history entries, want 5: %+v", len(h), h)
		}
		for i, s := range steps {
			e := h[i+1]
			if e.OldStatus != s.from || e.NewStatus != s.to || e.Note != "step "+s.to || e.Email != fp.Email || !e.At.Equal(date(2026, 5, 2+i)) {
				t.Errorf("history %d = %+v", i+1, e)
			}
		}
		n := 0
		for _, a := range actions(t, db, r.ID) {
			if a == ActionNeedStatus {
				n++
			}
		}
		if n != 4 {
			t.Errorf("%d %s audit entries, want 4", n, ActionNeedStatus)
		}
	})
}

func TestCarryForward(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		actor := Actor{Email: "fp@example.org"}
		c24, c26 := newCycle(t, db, 2024), newCycle(t, db, 2026)
		r24 := submitted(t, db, "FJI", c24, StatusPublished, VisibilityDonors)
		open := surveys.Need{Code: "IV.a.4", Row: 0, Area: "international-law", Type: "training", Description: "Workshops on international law"}
		done := surveys.Need{Code: "IV.a.4", Row: 1, Area: "cbm", Type: "training", Description: "POC training"}
		again := surveys.Need{Code: "IV.a.4", Row: 2, Area: "incident-response", Type: "equipment", Description: "CSIRT equipment"}
		_, err := db.SyncRegisters(ctx, r24.ID, []surveys.Need{open, done, again}, nil, actor)
		must(t, err)
		old, err := db.ListNeeds(ctx, secretariat, NeedFilter{Cycle: c24.Label})
		must(t, err)
		must(t, db.SetNeedStatus(ctx, needByKey(t, old, "IV.a.4#1").ID, surveys.NeedOpen, surveys.NeedCompleted, "", actor, nil))

		// 2026: the State states the equipment need again (as row 0).
		r26 := submitted(t, db, "FJI", c26, StatusSubmitted, VisibilityDonors)
		again26 := again
		again26.Row = 0
		res, err := db.SyncRegisters(ctx, r26.ID, []surveys.Need{again26}, nil, actor)
		must(t, err)
		if res.Added != 1 || res.Carried != 1 {
			t.Fatalf("sync 2026 = %+v, want 1 added and 1 carried", res)
		}
		cur, err := db.ListNeeds(ctx, secretariat, NeedFilter{Cycle: c26.Label})
		must(t, err)
		if len(cur) != 2 {
			t.Fatalf("%d needs in 2026, want 2", len(cur))
		}
		oldOpen := needByKey(t, old, "IV.a.4#0")
		carried := needByKey(t, cur, "carried#"+itoa(oldOpen.ID))
		if carried.Confirmed || carried.Status != surveys.NeedOpen || carried.Description != open.Description ||
			carried.CarriedFromID == nil || *carried.CarriedFromID != oldOpen.ID || carried.ReportID != r24.ID {
			t.Errorf("carried need = %+v", carried)
		}
		stated := needByKey(t, cur, "IV.a.4#0")
		if stated.CarriedFromID == nil || *stated.CarriedFromID != needByKey(t, old, "IV.a.4#2").ID {
			t.Errorf("need stated again is not linked to its predecessor: %+v", stated)
		}
		old, err = db.ListNeeds(ctx, secretariat, NeedFilter{Cycle: c24.Label})
		must(t, err)
		if got := needByKey(t, old, "IV.a.4#0").CarriedTo; got != c26.Label {
			t.Errorf("old need carried to %q, want %s", got, c26.Label)
		}

		// Running the sync again carries nothing twice.
		res, err = db.SyncRegisters(ctx, r26.ID, []surveys.Need{again26}, nil, actor)
		must(t, err)
		if res.Carried != 0 || res.Added != 0 {
			t.Errorf("second sync = %+v", res)
		}

		// The State confirms it with an edit, then closes it.
		must(t, db.EditNeed(ctx, carried.ID, NeedEdit{Type: "training", Priority: "high", Description: "Workshops for legal advisers"}, actor))
		wantErr(t, db.EditNeed(ctx, carried.ID, NeedEdit{Type: "=HYPERLINK()"}, actor), ErrInvalid)
		must(t, db.SetNeedStatus(ctx, carried.ID, surveys.NeedOpen, surveys.NeedWithdrawn, "no longer needed", actor, nil))
		n, err := db.GetNeed(ctx, secretariat, carried.ID)
		must(t, err)
		if !n.Confirmed || n.Priority != "high" || n.Description != "Workshops for legal advisers" || n.Status != surveys.NeedWithdrawn {
			t.Errorf("after confirm and close = %+v", n)
		}
		h, err := db.NeedHistory(ctx, carried.ID)
		must(t, err)
		if len(h) != 3 || h[1].Event != EventEdited || h[2].NewStatus != surveys.NeedWithdrawn {
			t.Errorf("history = %+v", h)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestNeedVisibility: a need is read as the report version it came from.
func TestNeedVisibility(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		c := newCycle(t, db, 2026)
		actor := Actor{Email: "fp@example.org"}
		reports := map[string]*Report{
			"SEN": submitted(t, db, "SEN", c, StatusSubmitted, VisibilityPrivate),
			"CHL": submitted(t, db, "CHL", c, StatusSubmitted, VisibilityRestricted),
			"BRA": submitted(t, db, "BRA", c, StatusPublished, VisibilityRestricted),
			"FJI": submitted(t, db, "FJI", c, StatusPublished, VisibilityDonors),
			"EST": submitted(t, db, "EST", c, StatusPublished, VisibilityPublic),
		}
		for _, r := range reports {
			_, err := db.SyncRegisters(ctx, r.ID, []surveys.Need{needRow}, nil, actor)
			must(t, err)
		}
		tests := []struct {
			name   string
			reader surveys.Reader
			want   []string
		}{
			{"Senegal", surveys.Reader{Role: RoleFocalPoint, StateISO3: "SEN"}, []string{"BRA", "EST", "FJI", "SEN"}},
			{"secretariat", secretariat, []string{"BRA", "CHL", "EST", "FJI"}},
			{"another State", surveys.Reader{Role: RoleContributor, StateISO3: "KEN"}, []string{"BRA", "EST", "FJI"}},
			{"donor", surveys.Reader{Role: RoleDonor}, []string{"EST", "FJI"}},
			{"public", surveys.Reader{}, []string{"EST"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ns, err := db.ListNeeds(ctx, tt.reader, NeedFilter{})
				must(t, err)
				var got []string
				for _, n := range ns {
					got = append(got, n.StateISO3)
				}
				slices.Sort(got)
				if !slices.Equal(got, tt.want) {
					t.Errorf("needs of %v, want %v", got, tt.want)
				}
				_, err = db.GetNeed(ctx, tt.reader, func() int64 {
					all, _ := db.ListNeeds(ctx, Reader("SEN"), NeedFilter{StateISO3: "SEN"})
					return all[0].ID
				}())
				if tt.name != "Senegal" {
					wantErr(t, err, ErrNotFound)
				} else {
					must(t, err)
				}
			})
		}
		// Filters narrow in SQL.
		ns, err := db.ListNeeds(ctx, secretariat, NeedFilter{Group: "Latin American and Caribbean", Priority: "high", Norm: "g", Type: "technical-assistance", Area: "critical-infrastructure", Status: surveys.NeedOpen, Cycle: c.Label})
		must(t, err)
		if len(ns) != 2 {
			t.Errorf("GRULAC filter: %d needs, want 2 (Brazil, Chile)", len(ns))
		}
		ns, err = db.ListNeeds(ctx, secretariat, NeedFilter{Priority: "low"})
		must(t, err)
		if len(ns) != 0 {
			t.Errorf("low priority: %d needs, want 0", len(ns))
		}
	})
}

// Reader is the focal point of iso3.
func Reader(iso3 string) surveys.Reader { return surveys.Reader{Role: RoleFocalPoint, StateISO3: iso3} }

func TestMatches(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		c := newCycle(t, db, 2026)
		fp := newUser(t, db, RoleFocalPoint, "KEN")
		donor, rival := newUser(t, db, RoleDonor, ""), newUser(t, db, RoleDonor, "")
		must(t, db.SetUserOrganisation(ctx, donor.ID, "Cyber Fund (demo)", Actor{Email: "admin@example.org"}))
		must(t, db.SetUserOrganisation(ctx, rival.ID, "Other Fund", Actor{Email: "admin@example.org"}))
		org, err := db.UserOrganisation(ctx, donor.ID)
		must(t, err)
		rivalOrg, err := db.UserOrganisation(ctx, rival.ID)
		must(t, err)
		_, err = db.UserOrganisation(ctx, fp.ID)
		wantErr(t, err, ErrNotFound)

		r := submitted(t, db, "KEN", c, StatusPublished, VisibilityDonors)
		_, err = db.SyncRegisters(ctx, r.ID, []surveys.Need{needRow}, nil, actorOf(fp))
		must(t, err)
		ns, err := db.ListNeeds(ctx, secretariat, NeedFilter{})
		must(t, err)
		need := ns[0]

		bad := &Offer{OrganisationID: org.ID, Provider: " ", AreasText: "space", TypesText: ""}
		wantErr(t, db.CreateOffer(ctx, bad, actorOf(donor)), ErrInvalid)
		if errs := bad.Check(); errs["provider"] != surveys.ErrRequired || errs["areas"] != surveys.ErrOption || errs["types"] != surveys.ErrRequired {
			t.Errorf("offer errors = %v", errs)
		}
		o1 := &Offer{OrganisationID: org.ID, Provider: "Cyber Fund", AreasText: "critical-infrastructure", TypesText: "technical-assistance",
			Regions: "African", Modality: "bilateral", Period: "2026-2028", Contact: "cb@fund.example"}
		o2 := &Offer{OrganisationID: org.ID, Provider: "Cyber Fund", AreasText: "critical-infrastructure,incident-response", TypesText: "training"}
		must(t, db.CreateOffer(ctx, o1, actorOf(donor)))
		must(t, db.CreateOffer(ctx, o2, actorOf(donor)))
		if mo := o1.ForMatching(); !slices.Equal(mo.Groups, []string{"African"}) || mo.Global {
			t.Errorf("o1 for matching = %+v", mo)
		}

		m1, err := db.ProposeMatch(ctx, need.ID, o1.ID, "We can help", actorOf(donor))
		must(t, err)
		_, err = db.ProposeMatch(ctx, need.ID, o1.ID, "", actorOf(donor))
		wantErr(t, err, ErrDuplicate)
		m2, err := db.ProposeMatch(ctx, need.ID, o2.ID, "", actorOf(donor))
		must(t, err)
		if n, _ := db.GetNeed(ctx, secretariat, need.ID); n.Status != surveys.NeedDiscussion {
			t.Errorf("need after proposal is %s, want %s", n.Status, surveys.NeedDiscussion)
		}

		// Who sees the proposals.
		for _, tt := range []struct {
			name   string
			reader MatchReader
			want   int
		}{
			{"the State", MatchReader{Reader: Reader("KEN")}, 2},
			{"the proposing organisation", MatchReader{Reader: surveys.Reader{Role: RoleDonor}, OrganisationID: org.ID}, 2},
			{"another organisation", MatchReader{Reader: surveys.Reader{Role: RoleDonor}, OrganisationID: rivalOrg.ID}, 0},
			{"another State", MatchReader{Reader: Reader("SEN")}, 0},
			{"the secretariat", MatchReader{Reader: secretariat}, 2},
			{"the public", MatchReader{}, 0},
		} {
			ms, err := db.ListMatches(ctx, tt.reader, MatchFilter{NeedID: need.ID})
			must(t, err)
			if len(ms) != tt.want {
				t.Errorf("%s sees %d matches, want %d", tt.name, len(ms), tt.want)
			}
		}

		var events []MatchDecision
		record := func(tx *gorm.DB, d MatchDecision) error { events = append(events, d); return nil }
		d, err := db.DecideMatch(ctx, m1.ID, false, "Not now", actorOf(fp), record)
		must(t, err)
		if d.Accepted || d.Match.Status != surveys.MatchDeclined || len(events) != 1 || events[0].Match.ID != m1.ID {
			t.Errorf("decline = %+v, events %d", d, len(events))
		}
		if n, _ := db.GetNeed(ctx, secretariat, need.ID); n.Status != surveys.NeedDiscussion {
			t.Errorf("need with a proposal still pending is %s, want %s", n.Status, surveys.NeedDiscussion)
		}
		_, err = db.DecideMatch(ctx, m1.ID, true, "", actorOf(fp), record)
		wantErr(t, err, ErrConflict)
		d, err = db.DecideMatch(ctx, m2.ID, true, "Welcome", actorOf(fp), record)
		must(t, err)
		if !d.Accepted || d.Match.Status != surveys.MatchAccepted || d.Match.NeedStatus != surveys.NeedMatched {
			t.Errorf("accept = %+v", d.Match)
		}
		h, err := db.MatchHistory(ctx, m2.ID)
		must(t, err)
		if len(h) != 2 || h[1].NewStatus != surveys.MatchAccepted || h[1].Note != "Welcome" || h[1].Email != fp.Email {
			t.Errorf("match history = %+v", h)
		}
		nh, err := db.NeedHistory(ctx, need.ID)
		must(t, err)
		if last := nh[len(nh)-1]; last.OldStatus != surveys.NeedDiscussion || last.NewStatus != surveys.NeedMatched {
			t.Errorf("need history ends with %+v", last)
		}
		_, err = db.ProposeMatch(ctx, need.ID, o1.ID+100, "", actorOf(donor))
		wantErr(t, err, ErrConflict) // the need is matched now
	})
}

// TestCarryBeforeSubmission: a State carries its open needs into the new
// cycle before it reports; the report then states one again, which takes
// over the carried record instead of doubling it.
func TestCarryBeforeSubmission(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		actor := Actor{Email: "fp@example.org"}
		c24, c26 := newCycle(t, db, 2024), newCycle(t, db, 2026)
		r24 := submitted(t, db, "KEN", c24, StatusPublished, VisibilityRestricted)
		a := surveys.Need{Code: "IV.a.4", Row: 0, Area: "cybercrime", Type: "training", Description: "Judges' training"}
		b := surveys.Need{Code: "II.g.1", Row: -1, Area: "critical-infrastructure", Norm: "g", Description: "Sector lists"}
		_, err := db.SyncRegisters(ctx, r24.ID, []surveys.Need{a, b}, nil, actor)
		must(t, err)

		n, err := db.CarryableNeeds(ctx, "KEN", c26.ID)
		must(t, err)
		if n != 2 {
			t.Fatalf("%d carryable needs, want 2", n)
		}
		got, err := db.CarryNeeds(ctx, "KEN", c26, actor)
		must(t, err)
		if got != 2 {
			t.Fatalf("carried %d, want 2", got)
		}
		got, err = db.CarryNeeds(ctx, "KEN", c26, actor)
		must(t, err)
		if got != 0 {
			t.Errorf("carried %d the second time, want 0", got)
		}

		r26 := submitted(t, db, "KEN", c26, StatusSubmitted, VisibilityRestricted)
		a.Priority = "high"
		res, err := db.SyncRegisters(ctx, r26.ID, []surveys.Need{a}, nil, actor)
		must(t, err)
		if res.Added != 0 || res.Updated != 1 || res.Carried != 0 {
			t.Errorf("sync = %+v, want the carried need taken over", res)
		}
		cur, err := db.ListNeeds(ctx, secretariat, NeedFilter{Cycle: c26.Label})
		must(t, err)
		if len(cur) != 2 {
			t.Fatalf("%d needs in 2026, want 2: %+v", len(cur), cur)
		}
		taken := needByKey(t, cur, "IV.a.4#0")
		if !taken.Confirmed || !taken.InReport || taken.Priority != "high" || taken.ReportID != r26.ID || taken.CarriedFromID == nil {
			t.Errorf("need taken over = %+v", taken)
		}
		for _, n := range cur {
			if n.ID != taken.ID && (n.Confirmed || n.Description != b.Description) {
				t.Errorf("the other carried need = %+v", n)
			}
		}
	})
}
