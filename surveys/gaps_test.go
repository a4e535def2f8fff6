package surveys

import (
	"reflect"
	"testing"
)

func TestReadableVersionAndWithheld(t *testing.T) {
	sec := Reader{Role: "secretariat"}
	donor := Reader{Role: "donor"}
	other := Reader{Role: "focal-point", StateISO3: "KEN"}
	own := Reader{Role: "contributor", StateISO3: "JPN"}
	v := func(status, vis string) ReportRef {
		return ReportRef{StateISO3: "JPN", Status: status, Visibility: vis}
	}
	tests := []struct {
		name     string
		r        Reader
		versions []ReportRef
		idx      int
		aud      string
		withheld bool
	}{
		{"no report", sec, nil, -1, "", false},
		{"draft: nothing outside the State", sec, []ReportRef{v(ReportDraft, VisPublic)}, -1, "", false},
		{"own draft", own, []ReportRef{v(ReportDraft, VisPrivate)}, 0, AudState, false},
		{"private submitted: counts for no one", sec, []ReportRef{v(ReportSubmitted, VisPrivate)}, -1, "", false},
		{"private published: not for donors either", donor, []ReportRef{v(ReportPublished, VisPrivate)}, -1, "", false},
		{"restricted submitted: secretariat reads", sec, []ReportRef{v(ReportSubmitted, VisRestricted)}, 0, AudSecretariat, false},
		{"restricted submitted: other States do not", other, []ReportRef{v(ReportSubmitted, VisRestricted)}, -1, "", true},
		{"restricted published: other States read", other, []ReportRef{v(ReportPublished, VisRestricted)}, 0, AudStates, false},
		{"restricted published: donors do not", donor, []ReportRef{v(ReportPublished, VisRestricted)}, -1, "", true},
		{"donors published: donors' copy", donor, []ReportRef{v(ReportPublished, VisDonors)}, 0, AudDonors, false},
		{"donors published: the public does not", Reader{}, []ReportRef{v(ReportPublished, VisDonors)}, -1, "", true},
		{"amendment in draft leaves v1", sec, []ReportRef{v(ReportSubmitted, VisRestricted), v(ReportDraft, VisRestricted)}, 0, AudSecretariat, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idx, aud, ok := ReadableVersion(tt.r, tt.versions, 0)
			if ok != (tt.idx >= 0) || ok && (idx != tt.idx || aud != tt.aud) {
				t.Errorf("ReadableVersion = %d, %q, %v; want %d, %q", idx, aud, ok, tt.idx, tt.aud)
			}
			if got := Withheld(tt.r, tt.versions); got != tt.withheld {
				t.Errorf("Withheld = %v, want %v", got, tt.withheld)
			}
		})
	}
}

// gapFixture is the hand-worked example of TestComputeGaps. In the
// fixture template norm a has I.a.1 and I.b.1; norm g has I.a.3 (asked
// only when I.a.1 is yes) and I.b.1.
func gapFixture(t *testing.T) GapInput {
	tpl := fixture(t)
	need := func(norm, typ string) map[string]string {
		return map[string]string{"area": "ci", "norm": norm, "type": typ, "description": "x"}
	}
	aaa := map[string]Value{
		"I.a.1": status("yes"), "I.a.3": status("no"),
		"I.b.1": {Status: "partly", AssistanceNeeded: true},
		"I.b.2": {Rows: []map[string]string{need("g", "training")}},
	}
	bbb := map[string]Value{"I.a.1": status("no"), "I.a.3": status("yes") /* hidden: I.a.1 is no */}
	ddd := map[string]Value{"I.a.1": status("yes"), "I.a.3": {Status: "yes", AssistanceNeeded: true}, "I.b.1": status("no")}
	fff := map[string]Value{"I.a.1": status("partly"), "I.b.1": status("yes")}
	return GapInput{
		Template: tpl,
		Groups:   []string{"G1", "G2"},
		States: []GapState{
			{ISO3: "BBB", Name: "Bravo", Group: "G1", Shared: true, Audience: AudSecretariat, Answers: ReaderCopy(tpl, AudSecretariat, bbb)},
			{ISO3: "AAA", Name: "Alpha", Group: "G1", Shared: true, Audience: AudSecretariat, Answers: ReaderCopy(tpl, AudSecretariat, aaa)},
			{ISO3: "CCC", Name: "Charlie", Group: "G2", Withheld: true},
			{ISO3: "DDD", Name: "Delta", Group: "G2", Shared: true, Audience: AudDonors, Answers: ReaderCopy(tpl, AudDonors, ddd)},
			{ISO3: "EEE", Name: "Echo", Group: "G1"},
			{ISO3: "FFF", Name: "Foxtrot", Group: "", Shared: true, Audience: AudSecretariat, Answers: ReaderCopy(tpl, AudSecretariat, fff)},
		},
		// The register as the reader may read it (TestComputeGaps).
		Needs: []RegisterNeed{
			{Group: "G1", Type: "training", Status: NeedOpen},                                // Alpha's row
			{Group: "G1", Status: NeedDiscussion},                                            // Alpha's mark
			{Group: "G1", Type: "equipment", Status: NeedCompleted},                          // Alpha, done
			{Group: "G1", Type: "training", Status: NeedWithdrawn},                           // Bravo, withdrawn
			{Group: "G2", CMM: "legal-regulatory", Status: NeedOpen},                         // Delta's mark
			{Group: "", Type: "training", Status: NeedMatched},                               // Foxtrot
			{Group: "G1", CMM: "legal-regulatory", Type: "training", Status: NeedInProgress}, // Alpha, type set by the secretariat
		},
	}
}

func TestComputeGaps(t *testing.T) {
	in := gapFixture(t)
	g := ComputeGaps(in)
	a, gn := 0, 6 // indexes of norms a and g
	type D = Distribution
	cells := []struct {
		name     string
		got      GapCell
		want     D
		states   []string
		withheld int
	}{
		// Alpha: a yes+partly, g no+partly. Bravo: a no + I.b.1 unanswered,
		// g only I.b.1 unanswered (I.a.3 not asked).
		{"a × G1", g.Cells[a][0], D{Yes: 1, Partly: 1, No: 1, Unanswered: 1}, []string{"AAA", "BBB"}, 0},
		{"g × G1", g.Cells[gn][0], D{Partly: 1, No: 1, Unanswered: 1}, []string{"AAA", "BBB"}, 0},
		// Charlie is withheld: both questions of each norm not shared.
		// Delta's donors' copy has only I.a.3 (asked for assistance).
		{"a × G2", g.Cells[a][1], D{NotShared: 4}, []string{"DDD"}, 1},
		{"g × G2", g.Cells[gn][1], D{Yes: 1, NotShared: 3}, []string{"DDD"}, 1},
		{"b × G1", g.Cells[1][0], D{}, nil, 0},
	}
	for _, c := range cells {
		if c.got.Distribution != c.want {
			t.Errorf("%s = %+v, want %+v", c.name, c.got.Distribution, c.want)
		}
		var iso []string
		for _, s := range c.got.States {
			iso = append(iso, s.ISO3)
		}
		if !reflect.DeepEqual(iso, c.states) {
			t.Errorf("%s States = %v, want %v", c.name, iso, c.states)
		}
		if c.got.Withheld != c.withheld {
			t.Errorf("%s Withheld = %d, want %d", c.name, c.got.Withheld, c.withheld)
		}
	}
	if got := g.Cells[a][0].States[0].Distribution; got != (D{Yes: 1, Partly: 1}) {
		t.Errorf("drill-down Alpha × a = %+v", got)
	}
	if c := g.Cells[gn][1]; c.Share(c.Yes) != 25 || c.Share(c.NotShared) != 75 {
		t.Errorf("g × G2 shares = %d%%, %d%%; want 25, 75", c.Share(c.Yes), c.Share(c.NotShared))
	}
	// Foxtrot has no group: it counts in the totals only.
	if got, want := g.NormTotals[a], (D{Yes: 2, Partly: 2, No: 1, Unanswered: 1, NotShared: 4}); got != want {
		t.Errorf("total a = %+v, want %+v", got, want)
	}
	if got, want := g.NormTotals[gn], (D{Yes: 2, Partly: 1, No: 1, Unanswered: 1, NotShared: 3}); got != want {
		t.Errorf("total g = %+v, want %+v", got, want)
	}
	wantPart := []Participation{
		{Group: "G1", States: 3, Shared: 2, NoReport: 1},
		{Group: "G2", States: 2, Shared: 1, Withheld: 1},
	}
	if !reflect.DeepEqual(g.Participation, wantPart) {
		t.Errorf("participation = %+v, want %+v", g.Participation, wantPart)
	}
	// Kinds come from the register (gapFixture's Needs), not the answers:
	// training is requested by Alpha's open row, Alpha's need in progress
	// (its type set by the secretariat) and Foxtrot's matched need (no
	// group: totals and dimensions only); no kind ("") by Alpha's mark in
	// discussion and Delta's open mark. Alpha's completed equipment need
	// and Bravo's withdrawn one are no longer requested.
	if want := []string{"training", ""}; !reflect.DeepEqual(g.Kinds, want) {
		t.Errorf("kinds = %q, want %q", g.Kinds, want)
	}
	wantGroup := []KindRow{{Key: "G1", Counts: []int{2, 1}, Total: 3}, {Key: "G2", Counts: []int{0, 1}, Total: 1}}
	if !reflect.DeepEqual(g.ByGroup, wantGroup) {
		t.Errorf("by group = %+v, want %+v", g.ByGroup, wantGroup)
	}
	// A dimension named before none ("" last).
	wantCMM := []KindRow{{Key: "legal-regulatory", Counts: []int{1, 1}, Total: 2}, {Key: "", Counts: []int{2, 1}, Total: 3}}
	if !reflect.DeepEqual(g.ByCMM, wantCMM) {
		t.Errorf("by CMM = %+v, want %+v", g.ByCMM, wantCMM)
	}
	if g.Progress != nil || g.Compared != 0 {
		t.Errorf("progress without a previous cycle: %+v", g.Progress)
	}
}

func TestComputeGapsProgress(t *testing.T) {
	in := gapFixture(t)
	tpl := in.Template
	prevAAA := map[string]Value{
		"I.a.1": status("yes"), "I.a.3": {Status: "yes", AssistanceNeeded: true}, "I.b.1": status("no"),
		"I.b.2": {Rows: []map[string]string{{"area": "ci", "norm": "g", "type": "training", "description": "older words"}}},
	}
	prevDDD := map[string]Value{"I.a.1": status("yes"), "I.a.3": status("yes"), "I.b.1": status("no")}
	in.Previous = []GapState{
		{ISO3: "AAA", Group: "G1", Shared: true, Audience: AudSecretariat, Answers: ReaderCopy(tpl, AudSecretariat, prevAAA)},
		{ISO3: "BBB", Group: "G1", Withheld: true},
		{ISO3: "DDD", Group: "G2", Shared: true, Audience: AudPublic, Answers: ReaderCopy(tpl, AudPublic, prevDDD)},
	}
	g := ComputeGaps(in)
	if g.Compared != 2 {
		t.Errorf("compared %d States, want 2 (Alpha, Delta)", g.Compared)
	}
	y, p, n := 0, 1, 2
	// Alpha: I.a.1 yes→yes, I.a.3 yes→no, I.b.1 no→partly; its training
	// row stays (same need, new words), its mark moved from I.a.3 (g) to
	// I.b.1 (a). Delta: only I.a.3 is in its donors' copy now, yes→yes;
	// its mark on I.a.3 is new.
	var wantA, wantG NormProgress
	wantA.Norm, wantG.Norm = "a", "g"
	wantA.Moves[y][y], wantA.Moves[n][p] = 1, 1
	wantA.Moved, wantA.StatesMoved, wantA.NeedsOpened = 1, 1, 1
	wantG.Moves[y][n], wantG.Moves[n][p], wantG.Moves[y][y] = 1, 1, 1
	wantG.Moved, wantG.StatesMoved, wantG.NeedsOpened, wantG.NeedsClosed = 2, 1, 1, 1
	if g.Progress[0] != wantA {
		t.Errorf("progress a = %+v, want %+v", g.Progress[0], wantA)
	}
	if g.Progress[6] != wantG {
		t.Errorf("progress g = %+v, want %+v", g.Progress[6], wantG)
	}
	if g.Progress[1] != (NormProgress{Norm: "b"}) {
		t.Errorf("progress b = %+v", g.Progress[1])
	}
}

// TestComputeGapsPrivateChangesNothing: a report that is withheld or not
// there at all gives the same numbers to everyone outside the State
// except in the "not shared" counts, and a private one (neither shared
// nor withheld) none at all.
func TestComputeGapsPrivateChangesNothing(t *testing.T) {
	in := gapFixture(t)
	before := ComputeGaps(in)
	in.States = append(in.States, GapState{ISO3: "GGG", Name: "Golf", Group: "G1"}) // a private report: neither shared nor withheld
	after := ComputeGaps(in)
	before.Participation[0].States++
	before.Participation[0].NoReport++
	if !reflect.DeepEqual(before, after) {
		t.Errorf("a private report changed the summary:\n%+v\n%+v", before, after)
	}
}

func TestGapCodes(t *testing.T) {
	// Status questions, the needs rows, and I.a.3's condition chain
	// (I.a.1, itself a status question); not the url, short, multi,
	// offers or thematic long questions.
	want := []string{"I.a.1", "I.a.3", "I.b.1", "I.b.2"}
	if got := GapCodes(fixture(t)); !reflect.DeepEqual(got, want) {
		t.Errorf("GapCodes = %v, want %v", got, want)
	}
	// Summaries from the answers of these codes alone are the same.
	in := gapFixture(t)
	keep := map[string]bool{}
	for _, c := range GapCodes(in.Template) {
		keep[c] = true
	}
	full := ComputeGaps(in)
	for i := range in.States {
		st := &in.States[i]
		if st.Answers == nil {
			continue
		}
		part := map[string]Value{}
		for c, v := range st.Answers {
			if keep[c] {
				part[c] = v
			}
		}
		st.Answers = part
	}
	if got := ComputeGaps(in); !reflect.DeepEqual(got, full) {
		t.Errorf("summary from GapCodes answers differs")
	}
}
