package surveys

import "testing"

// TestNotSharedIsNotUnanswered checks that what a reader may not see counts
// as not shared with that reader, apart from what is unanswered, in
// progress and in the norm overview, and that it tells nothing of whether
// the hidden questions were answered.
func TestNotSharedIsNotUnanswered(t *testing.T) {
	m, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	tpl := m["v1"]
	sec0b, part0, _ := tpl.Section("0.b")
	secIIf, partII, _ := tpl.Section("II.f")
	answered := map[string]Value{
		"0.b.1":  {Contact: map[string]string{"name": "A", "email": "a@x.org"}},
		"0.b.4":  {Choices: []string{"en"}},
		"II.f.1": {Status: "yes"},
		"II.f.2": {Status: "no", AssistanceNeeded: true, AssistanceText: "Training"},
	}
	for _, tt := range []struct {
		aud         string
		sec         *Section
		part        *Part
		want        Progress
		wantPercent int
	}{
		// 0.b: three contacts (never shown outside the State and the
		// secretariat), languages, and "other languages" hidden by its
		// condition.
		{AudState, sec0b, part0, Progress{Answered: 2, Visible: 4}, 50},
		{AudSecretariat, sec0b, part0, Progress{Answered: 2, Visible: 4}, 50},
		{AudPublic, sec0b, part0, Progress{Answered: 1, Visible: 4, NotShared: 3}, 100},
		{AudStates, sec0b, part0, Progress{Answered: 1, Visible: 4, NotShared: 3}, 100},
		// Donors see, outside part IV, only status answers that ask for
		// assistance.
		{AudDonors, sec0b, part0, Progress{Answered: 0, Visible: 4, NotShared: 4}, 0},
		{AudDonors, secIIf, partII, Progress{Answered: 1, Visible: len(secIIf.Questions), NotShared: len(secIIf.Questions) - 1}, 100},
	} {
		t.Run(tt.aud+"/"+tt.sec.Code, func(t *testing.T) {
			shown := tpl.ForAudience(tt.aud, answered)
			got := SectionProgressFor(tt.aud, tt.part, tt.sec, shown)
			if got != tt.want {
				t.Errorf("progress = %+v, want %+v", got, tt.want)
			}
			if p := got.Percent(); p != tt.wantPercent {
				t.Errorf("Percent = %d, want %d", p, tt.wantPercent)
			}
			// The same counts whatever the hidden answers are: nothing of
			// them leaks through the counts.
			empty := map[string]Value{}
			for code, v := range answered {
				if _, ok := shown[code]; ok {
					empty[code] = v
				}
			}
			if again := SectionProgressFor(tt.aud, tt.part, tt.sec, tpl.ForAudience(tt.aud, empty)); again != got {
				t.Errorf("progress without the hidden answers = %+v, with them %+v", again, got)
			}
		})
	}

	// The donors' norm overview: norm (f) is not shared, but for the
	// answer that asks for assistance.
	for _, n := range NormOverviewFor(AudDonors, tpl, tpl.ForAudience(AudDonors, answered)) {
		if n.Norm != "f" {
			continue
		}
		if n.Unanswered != 0 || n.NotShared == 0 || n.No != 1 || n.Yes != 0 {
			t.Errorf("donors' counts for norm (f): %+v, want one No and the rest not shared", n)
		}
	}
	for _, n := range NormOverview(tpl, answered) {
		if n.NotShared != 0 {
			t.Errorf("the State's own counts have %d not shared for norm (%s)", n.NotShared, n.Norm)
		}
	}
}

func TestUnreadableStatus(t *testing.T) {
	for _, tt := range []struct {
		status, vis, want string
	}{
		{ReportDraft, VisPublic, "none"},
		{ReportReview, VisPublic, "none"},
		{ReportSubmitted, VisRestricted, StatusWithheld},
		{ReportPublished, VisDonors, StatusWithheld},
		{ReportPublished, VisPrivate, "none"},
		{ReportSubmitted, VisPrivate, "none"},
	} {
		if got := UnreadableStatus(ReportRef{StateISO3: "FJI", Status: tt.status, Visibility: tt.vis}); got != tt.want {
			t.Errorf("%s/%s: %q, want %q", tt.status, tt.vis, got, tt.want)
		}
	}
}

// TestWithheldQuestions checks which questions a reader reads as "not
// shared with you" (the print view marks them): none for the State and
// the secretariat, the contacts for other States and the public, and for
// donors every question outside part IV but the status answers asking for
// assistance.
func TestWithheldQuestions(t *testing.T) {
	m, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	tpl := m["v1"]
	answered := map[string]Value{
		"0.b.1":  {Contact: map[string]string{"name": "A", "email": "a@x.org"}},
		"II.f.1": {Status: "yes"},
		"II.f.2": {Status: "no", AssistanceNeeded: true, AssistanceText: "Training"},
	}
	for _, tt := range []struct {
		aud           string
		want, notWant []string
	}{
		{AudState, nil, []string{"0.b.1", "0.b.2", "II.f.1", "II.f.2"}},
		{AudSecretariat, nil, []string{"0.b.1", "0.b.2", "II.f.1", "II.f.2"}},
		{AudStates, []string{"0.b.1", "0.b.2", "0.b.3"}, []string{"0.b.4", "II.f.1", "II.f.2"}},
		{AudPublic, []string{"0.b.1", "0.b.2", "0.b.3"}, []string{"0.b.4", "II.f.1", "II.f.2"}},
		{AudDonors, []string{"0.b.1", "0.b.4", "II.f.1", "II.f.3"}, []string{"II.f.2", "IV.a.4"}},
	} {
		t.Run(tt.aud, func(t *testing.T) {
			got := WithheldQuestions(tt.aud, tpl, tpl.ForAudience(tt.aud, answered))
			for _, c := range tt.want {
				if !got[c] {
					t.Errorf("%s not marked not shared", c)
				}
			}
			for _, c := range tt.notWant {
				if got[c] {
					t.Errorf("%s marked not shared", c)
				}
			}
			if tt.want == nil && len(got) != 0 {
				t.Errorf("marked %v, want none", got)
			}
		})
	}
}
