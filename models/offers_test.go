package models

import (
	"maps"
	"strconv"
	"testing"

	"github.com/natreport/natreport/surveys"
)

func hasAudit(es []AuditEntry, action, oldValue, newValue string) bool {
	for _, e := range es {
		if e.Action == action && e.OldValue == oldValue && e.NewValue == newValue {
			return true
		}
	}
	return false
}

// TestOfferEditWithdraw: a recorded offer is edited and withdrawn, each
// change audited and in its history; withdrawing it withdraws its pending
// proposals, and a withdrawn or a report's offer cannot be changed.
func TestOfferEditWithdraw(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		c := newCycle(t, db, 2026)
		donor := newUser(t, db, RoleDonor, "")
		must(t, db.SetUserOrganisation(ctx, donor.ID, "Cyber Fund", Actor{Email: "admin@example.org"}))
		org, err := db.UserOrganisation(ctx, donor.ID)
		must(t, err)
		r := submitted(t, db, "KEN", c, StatusPublished, VisibilityDonors)
		_, err = db.SyncRegisters(ctx, r.ID, []surveys.Need{needRow}, []surveys.Offer{offerRow}, actorOf(donor))
		must(t, err)
		ns, err := db.ListNeeds(ctx, secretariat, NeedFilter{})
		must(t, err)

		o := &Offer{OrganisationID: org.ID, Provider: "Cyber Fund", AreasText: "critical-infrastructure", TypesText: "training"}
		must(t, db.CreateOffer(ctx, o, actorOf(donor)))
		edit := *o
		edit.TypesText, edit.Contact = "technical-assistance", "desk@fund.example"
		must(t, db.UpdateOffer(ctx, &edit, actorOf(donor)))
		got, err := db.GetOffer(ctx, secretariat, o.ID)
		must(t, err)
		if got.TypesText != "technical-assistance" || got.Contact != "desk@fund.example" || got.OrganisationID != org.ID || !got.Active {
			t.Errorf("edited offer = %+v", got)
		}
		bad := edit
		bad.AreasText = "space"
		wantErr(t, db.UpdateOffer(ctx, &bad, actorOf(donor)), ErrInvalid)

		m, err := db.ProposeMatch(ctx, ns[0].ID, o.ID, "", actorOf(donor))
		must(t, err)
		must(t, db.WithdrawOffer(ctx, o.ID, "Budget spent", actorOf(donor), nil))
		got, err = db.GetOffer(ctx, secretariat, o.ID)
		must(t, err)
		if got.Active {
			t.Errorf("withdrawn offer still active")
		}
		if m2, err := db.GetMatch(ctx, MatchReader{Reader: secretariat}, m.ID); err != nil || m2.Status != surveys.MatchWithdrawn || m2.NeedStatus != surveys.NeedOpen {
			t.Errorf("proposal of a withdrawn offer = %+v, %v", m2, err)
		}
		wantErr(t, db.WithdrawOffer(ctx, o.ID, "", actorOf(donor), nil), ErrConflict)
		wantErr(t, db.UpdateOffer(ctx, &edit, actorOf(donor)), ErrConflict)
		_, err = db.ProposeMatch(ctx, ns[0].ID, o.ID, "", actorOf(donor))
		wantErr(t, err, ErrInvalid)

		// A report's offer changes only with its report.
		all, err := db.ListOffers(ctx, secretariat, OfferFilter{})
		must(t, err)
		for _, ro := range all {
			if ro.FromReport() {
				wantErr(t, db.WithdrawOffer(ctx, ro.ID, "", actorOf(donor), nil), ErrNotFound)
				e := ro
				e.AreasText, e.TypesText, e.Regions = "critical-infrastructure", "training", ""
				wantErr(t, db.UpdateOffer(ctx, &e, actorOf(donor)), ErrNotFound)
			}
		}

		h, err := db.OfferHistory(ctx, o.ID)
		must(t, err)
		if len(h) != 2 || h[0].Event != EventOfferEdited || h[1].NewStatus != offerWithdrawn || h[1].Note != "Budget spent" || h[1].Email != donor.Email {
			t.Errorf("offer history = %+v", h)
		}
		es, err := db.ListAuditAll(ctx, 0)
		must(t, err)
		if !hasAudit(es, ActionOfferEdit, "Cyber Fund: critical-infrastructure / training", "Cyber Fund: critical-infrastructure / technical-assistance") ||
			!hasAudit(es, ActionOfferWithdraw, offerActive, offerWithdrawn) ||
			!hasAudit(es, ActionMatchWithdraw, surveys.MatchProposed, surveys.MatchWithdrawn) {
			t.Errorf("audit lacks the offer's changes: %+v", es)
		}
	})
}

// TestWithdrawMatch: a pending proposal is withdrawn once; the need goes
// back to open when no other proposal is pending; decided ones stay.
func TestWithdrawMatch(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		c := newCycle(t, db, 2026)
		fp := newUser(t, db, RoleFocalPoint, "KEN")
		donor := newUser(t, db, RoleDonor, "")
		must(t, db.SetUserOrganisation(ctx, donor.ID, "Cyber Fund", Actor{Email: "admin@example.org"}))
		org, err := db.UserOrganisation(ctx, donor.ID)
		must(t, err)
		r := submitted(t, db, "KEN", c, StatusPublished, VisibilityDonors)
		_, err = db.SyncRegisters(ctx, r.ID, []surveys.Need{needRow}, nil, actorOf(fp))
		must(t, err)
		ns, err := db.ListNeeds(ctx, secretariat, NeedFilter{})
		must(t, err)
		need := ns[0]
		o1 := &Offer{OrganisationID: org.ID, Provider: "Cyber Fund", AreasText: "critical-infrastructure", TypesText: "training"}
		o2 := &Offer{OrganisationID: org.ID, Provider: "Cyber Fund", AreasText: "critical-infrastructure", TypesText: "equipment"}
		must(t, db.CreateOffer(ctx, o1, actorOf(donor)))
		must(t, db.CreateOffer(ctx, o2, actorOf(donor)))
		m1, err := db.ProposeMatch(ctx, need.ID, o1.ID, "", actorOf(donor))
		must(t, err)
		m2, err := db.ProposeMatch(ctx, need.ID, o2.ID, "", actorOf(donor))
		must(t, err)

		must(t, db.WithdrawMatch(ctx, m1.ID, "Sent by mistake", actorOf(donor), nil))
		wantErr(t, db.WithdrawMatch(ctx, m1.ID, "", actorOf(donor), nil), ErrConflict)
		wantErr(t, db.WithdrawMatch(ctx, m1.ID+1000, "", actorOf(donor), nil), ErrNotFound)
		if n, _ := db.GetNeed(ctx, secretariat, need.ID); n.Status != surveys.NeedDiscussion {
			t.Errorf("need with a proposal still pending is %s", n.Status)
		}
		_, err = db.DecideMatch(ctx, m1.ID, true, "", actorOf(fp), nil)
		wantErr(t, err, ErrConflict)
		must(t, db.WithdrawMatch(ctx, m2.ID, "", actorOf(donor), nil))
		n, err := db.GetNeed(ctx, secretariat, need.ID)
		must(t, err)
		if n.Status != surveys.NeedOpen {
			t.Errorf("need with no pending proposal is %s, want open", n.Status)
		}
		nh, err := db.NeedHistory(ctx, need.ID)
		must(t, err)
		if last := nh[len(nh)-1]; last.Event != EventWithdrawn || last.NewStatus != surveys.NeedOpen {
			t.Errorf("need history ends with %+v", last)
		}

		// The histories of several matches in one read.
		hs, err := db.MatchHistories(ctx, []int64{m1.ID, m2.ID, m2.ID + 1000})
		must(t, err)
		if len(hs) != 2 || len(hs[m1.ID]) != 2 || hs[m1.ID][1].NewStatus != surveys.MatchWithdrawn || hs[m1.ID][1].Note != "Sent by mistake" ||
			len(hs[m2.ID]) != 2 || hs[m2.ID][0].NewStatus != surveys.MatchProposed || hs[m1.ID][0].At.IsZero() {
			t.Errorf("histories = %+v", hs)
		}
		if one, err := db.MatchHistory(ctx, m1.ID); err != nil || len(one) != 2 {
			t.Errorf("one history = %+v, %v", one, err)
		}
		if none, err := db.MatchHistories(ctx, nil); err != nil || len(none) != 0 {
			t.Errorf("no histories = %+v, %v", none, err)
		}
	})
}

// TestNeedsAfterAmendment: while an amended version is submitted but not
// yet published, readers outside the State still see each need as the
// published version stated it; a need new in the amendment stays hidden
// from them; once published, everyone sees the new version.
func TestNeedsAfterAmendment(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		c := newCycle(t, db, 2026)
		actor := Actor{Email: "fp@example.org"}
		v1 := submitted(t, db, "KEN", c, StatusPublished, VisibilityPublic)
		kept, dropped := needRow, needMark
		_, err := db.SyncRegisters(ctx, v1.ID, []surveys.Need{kept, dropped}, nil, actor)
		must(t, err)

		v2, err := db.NewVersion(ctx, v1.ID, actor)
		must(t, err)
		must(t, db.SetReportStatus(ctx, v2.ID, StatusDraft, StatusSubmitted, actor))
		changed := kept
		changed.Description, changed.Priority = "CI risk assessment, amended", "low"
		added := surveys.Need{Code: "IV.a.4", Row: 1, Area: "cybercrime", Norm: "d", Type: "training", Description: "New in v2"}
		_, err = db.SyncRegisters(ctx, v2.ID, []surveys.Need{changed, added}, nil, actor)
		must(t, err)

		describe := func(reader surveys.Reader, f NeedFilter) map[string]string {
			t.Helper()
			ns, err := db.ListNeeds(ctx, reader, f)
			must(t, err)
			out := map[string]string{}
			for _, n := range ns {
				out[n.SourceKey] = n.Description + "/" + n.Priority + "/v" + strconv.Itoa(n.ReportVersion)
				got, err := db.GetNeed(ctx, reader, n.ID)
				must(t, err)
				if got.Description != n.Description || got.ReportVersion != n.ReportVersion {
					t.Errorf("GetNeed %d = %q v%d, ListNeeds %q v%d", n.ID, got.Description, got.ReportVersion, n.Description, n.ReportVersion)
				}
			}
			return out
		}
		public, state := surveys.Reader{}, Reader("KEN")
		inV1 := map[string]string{"IV.a.4#0": "CI risk assessment/high/v1", "II.d.1#mark": "Cybercrime law//v1"}
		inV2 := map[string]string{"IV.a.4#0": "CI risk assessment, amended/low/v2", "II.d.1#mark": "Cybercrime law//v1", "IV.a.4#1": "New in v2//v2"}
		for _, tt := range []struct {
			name   string
			reader surveys.Reader
			f      NeedFilter
			want   map[string]string
		}{
			{"the public, while v2 is submitted", public, NeedFilter{}, inV1},
			{"a donor, while v2 is submitted", surveys.Reader{Role: RoleDonor}, NeedFilter{}, inV1},
			{"the public, filtered on v1's priority", public, NeedFilter{Priority: "high"}, map[string]string{"IV.a.4#0": inV1["IV.a.4#0"]}},
			{"the public, filtered on v2's priority", public, NeedFilter{Priority: "low"}, map[string]string{}},
			{"the State", state, NeedFilter{}, inV2},
			{"the secretariat", secretariat, NeedFilter{}, inV2},
		} {
			if got := describe(tt.reader, tt.f); !maps.Equal(got, tt.want) {
				t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
			}
		}
		ns, err := db.ListNeeds(ctx, secretariat, NeedFilter{})
		must(t, err)
		for _, n := range ns {
			if n.SourceKey == "IV.a.4#1" {
				_, err := db.GetNeed(ctx, public, n.ID)
				wantErr(t, err, ErrNotFound)
			}
		}

		must(t, db.SetReportStatus(ctx, v2.ID, StatusSubmitted, StatusPublished, actor))
		if got := describe(public, NeedFilter{}); !maps.Equal(got, inV2) {
			t.Errorf("the public, once v2 is published: %v, want %v", got, inV2)
		}
	})
}
