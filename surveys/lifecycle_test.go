package surveys

import (
	"errors"
	"slices"
	"testing"
)

// TestAudience is role × status × visibility: who reads which version of
// a report, and which copy. Every combination is listed; a missing one
// fails the test, so a new role, status or level must be decided here.
func TestAudience(t *testing.T) {
	const jpn, ken = "JPN", "KEN"
	readers := map[string]Reader{
		"own-fp":   {Role: RoleFocalPoint, StateISO3: jpn},
		"own-co":   {Role: RoleContributor, StateISO3: jpn},
		"other-fp": {Role: RoleFocalPoint, StateISO3: ken},
		"sec":      {Role: RoleSecretariat},
		"admin":    {Role: RoleAdmin},
		"donor":    {Role: RoleDonor},
		"anon":     {},
	}
	// want[status][visibility][reader] = audience ("" = may not read).
	own := map[string]string{"own-fp": AudState, "own-co": AudState}
	with := func(extra map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range own {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	staff := map[string]string{"sec": AudSecretariat, "admin": AudSecretariat}
	unpublished := map[string]map[string]string{VisPrivate: own, VisRestricted: own, VisDonors: own, VisPublic: own}
	sent := map[string]map[string]string{VisPrivate: own, VisRestricted: with(staff), VisDonors: with(staff), VisPublic: with(staff)}
	want := map[string]map[string]map[string]string{
		ReportDraft:     unpublished,
		ReportReview:    unpublished,
		ReportWithdrawn: unpublished,
		ReportSubmitted: sent,
		ReportPublished: {
			VisPrivate:    own,
			VisRestricted: with(map[string]string{"sec": AudSecretariat, "admin": AudSecretariat, "other-fp": AudStates}),
			VisDonors:     with(map[string]string{"sec": AudSecretariat, "admin": AudSecretariat, "other-fp": AudStates, "donor": AudDonors}),
			VisPublic:     with(map[string]string{"sec": AudSecretariat, "admin": AudSecretariat, "other-fp": AudStates, "donor": AudPublic, "anon": AudPublic}),
		},
	}
	for _, status := range Statuses {
		for _, vis := range VisibilityLevels {
			exp, ok := want[status][vis]
			if !ok {
				t.Fatalf("no expectation for %s/%s", status, vis)
			}
			for name, r := range readers {
				t.Run(status+"/"+vis+"/"+name, func(t *testing.T) {
					aud, ok := Audience(r, ReportRef{StateISO3: jpn, Status: status, Visibility: vis})
					if aud != exp[name] || ok != (exp[name] != "") {
						t.Errorf("Audience = %q, %v; want %q, %v", aud, ok, exp[name], exp[name] != "")
					}
					if member := r.IsStateMember(ReportRef{StateISO3: jpn}); member != (name == "own-fp" || name == "own-co") {
						t.Errorf("IsStateMember = %v", member)
					}
				})
			}
		}
	}
}

// TestNext is every step from every status: where it leads or why not.
func TestNext(t *testing.T) {
	cases := []struct {
		step, from, vis string
		to              string
		err             error
	}{
		{StepReview, ReportDraft, VisRestricted, ReportReview, nil},
		{StepReopen, ReportReview, VisRestricted, ReportDraft, nil},
		{StepSubmit, ReportDraft, VisRestricted, ReportSubmitted, nil},
		{StepSubmit, ReportReview, VisRestricted, ReportSubmitted, nil},
		{StepPublish, ReportSubmitted, VisRestricted, ReportPublished, nil},
		{StepPublish, ReportSubmitted, VisPrivate, "", ErrPrivate},
		{StepPublish, ReportDraft, VisPrivate, "", ErrPrivate},
		{StepWithdraw, ReportPublished, VisPublic, ReportSubmitted, nil},
		{StepAmend, ReportSubmitted, VisRestricted, "", nil},
		{StepAmend, ReportPublished, VisPublic, "", nil},
		{"delete", ReportDraft, VisRestricted, "", ErrUnknownStep},
		{"", ReportDraft, VisRestricted, "", ErrUnknownStep},
	}
	steps := []string{StepReview, StepReopen, StepSubmit, StepPublish, StepWithdraw, StepAmend}
	// Every pair not listed above is refused.
	listed := map[[2]string]bool{}
	for _, c := range cases {
		listed[[2]string{c.step, c.from}] = true
	}
	for _, step := range steps {
		for _, from := range Statuses {
			if !listed[[2]string{step, from}] {
				cases = append(cases, struct {
					step, from, vis string
					to              string
					err             error
				}{step, from, VisRestricted, "", ErrStepRefused})
			}
		}
	}
	for _, c := range cases {
		t.Run(c.step+"/"+c.from+"/"+c.vis, func(t *testing.T) {
			to, err := Next(c.step, ReportRef{StateISO3: "JPN", Status: c.from, Visibility: c.vis})
			if to != c.to || !errors.Is(err, c.err) || (c.err == nil) != (err == nil) {
				t.Errorf("Next = %q, %v; want %q, %v", to, err, c.to, c.err)
			}
		})
	}
}

// TestAllowed: the store's question, "may a report go from this status to
// that one?", answered from the same table as the buttons.
func TestAllowed(t *testing.T) {
	allowed := map[[2]string]bool{
		{ReportDraft, ReportReview}:        true,
		{ReportReview, ReportDraft}:        true,
		{ReportDraft, ReportSubmitted}:     true,
		{ReportReview, ReportSubmitted}:    true,
		{ReportSubmitted, ReportPublished}: true,
		{ReportPublished, ReportSubmitted}: true,
	}
	for _, from := range Statuses {
		for _, to := range Statuses {
			if got := Allowed(from, to); got != allowed[[2]string{from, to}] {
				t.Errorf("Allowed(%s, %s) = %v", from, to, got)
			}
		}
	}
}

// TestReadableVersion: the newest version the reader may read, or the one
// asked for if they may read it.
func TestReadableVersion(t *testing.T) {
	v := func(status, vis string) ReportRef {
		return ReportRef{StateISO3: "JPN", Status: status, Visibility: vis}
	}
	pubDraft := []ReportRef{v(ReportPublished, VisPublic), v(ReportDraft, VisPublic)}
	own, sec, anon := Reader{Role: RoleFocalPoint, StateISO3: "JPN"}, Reader{Role: RoleSecretariat}, Reader{}
	cases := []struct {
		name     string
		r        Reader
		versions []ReportRef
		asked    int
		i        int
		aud      string
		ok       bool
	}{
		{"state gets the draft", own, pubDraft, 0, 1, AudState, true},
		{"public gets the published v1", anon, pubDraft, 0, 0, AudPublic, true},
		{"secretariat gets v1 while v2 is drafted", sec, pubDraft, 0, 0, AudSecretariat, true},
		{"asked for v1", own, pubDraft, 1, 0, AudState, true},
		{"asked for a draft it may not read", anon, pubDraft, 2, 1, "", false},
		{"asked beyond the last", own, pubDraft, 3, 0, "", false},
		{"nothing readable", anon, []ReportRef{v(ReportDraft, VisPublic)}, 0, 0, "", false},
		{"no versions", own, nil, 0, 0, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			i, aud, ok := ReadableVersion(c.r, c.versions, c.asked)
			if i != c.i || aud != c.aud || ok != c.ok {
				t.Errorf("ReadableVersion = %d, %q, %v; want %d, %q, %v", i, aud, ok, c.i, c.aud, c.ok)
			}
		})
	}
}

func TestReadableVersions(t *testing.T) {
	v := func(status, vis string) ReportRef {
		return ReportRef{StateISO3: "JPN", Status: status, Visibility: vis}
	}
	versions := []ReportRef{v(ReportPublished, VisPublic), v(ReportSubmitted, VisPublic), v(ReportDraft, VisPublic)}
	cases := []struct {
		name string
		r    Reader
		want []int
	}{
		{"state", Reader{Role: RoleContributor, StateISO3: "JPN"}, []int{0, 1, 2}},
		{"secretariat", Reader{Role: RoleAdmin}, []int{0, 1}},
		{"public", Reader{}, []int{0}},
	}
	for _, c := range cases {
		if got := ReadableVersions(c.r, versions); !slices.Equal(got, c.want) {
			t.Errorf("%s: ReadableVersions = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestEditableUnsubmitted(t *testing.T) {
	for _, s := range Statuses {
		if got, want := Editable(s), s == ReportDraft; got != want {
			t.Errorf("Editable(%s) = %v", s, got)
		}
		if got, want := Unsubmitted(s), s == ReportDraft || s == ReportReview; got != want {
			t.Errorf("Unsubmitted(%s) = %v", s, got)
		}
	}
}
