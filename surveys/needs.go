package surveys

import (
	"slices"
	"sort"
	"strings"
)

// Need statuses: the life of a need in the register, kept apart from the
// report it came from. A need starts open; a proposal puts it in
// discussion; an accepted proposal matches it; then work starts and ends.
// The State (or the secretariat on its behalf) may withdraw it at any time.
const (
	NeedOpen       = "open"
	NeedDiscussion = "discussion"
	NeedMatched    = "matched"
	NeedInProgress = "in-progress"
	NeedCompleted  = "completed"
	NeedWithdrawn  = "withdrawn"
)

// NeedStatuses lists the need statuses in life order.
var NeedStatuses = []string{NeedOpen, NeedDiscussion, NeedMatched, NeedInProgress, NeedCompleted, NeedWithdrawn}

// needMoves says which status may follow which. A completed need stays
// completed; a withdrawn one may be reopened.
var needMoves = map[string][]string{
	NeedOpen:       {NeedDiscussion, NeedMatched, NeedInProgress, NeedCompleted, NeedWithdrawn},
	NeedDiscussion: {NeedOpen, NeedMatched, NeedWithdrawn},
	NeedMatched:    {NeedOpen, NeedInProgress, NeedCompleted, NeedWithdrawn},
	NeedInProgress: {NeedCompleted, NeedWithdrawn},
	NeedWithdrawn:  {NeedOpen},
}

// CanMoveNeed reports whether a need in status from may move to status to.
func CanMoveNeed(from, to string) bool { return slices.Contains(needMoves[from], to) }

// NextNeedStatuses lists the statuses a need in status from may move to.
func NextNeedStatuses(from string) []string { return slices.Clone(needMoves[from]) }

// NeedIsOpen reports whether a need in status st still waits for help:
// open or in discussion. Such needs are matched and carried forward.
func NeedIsOpen(st string) bool { return st == NeedOpen || st == NeedDiscussion }

// NeedIsOutstanding reports whether a need in status st is still
// requested: neither completed nor withdrawn. The gap summary counts the
// kinds of assistance of such needs.
func NeedIsOutstanding(st string) bool { return st != NeedCompleted && st != NeedWithdrawn }

// Match statuses: a donor or the secretariat proposes, the State decides;
// the proposer may withdraw a proposal still pending.
const (
	MatchProposed  = "proposed"
	MatchAccepted  = "accepted"
	MatchDeclined  = "declined"
	MatchWithdrawn = "withdrawn"
)

// AssistanceTypes are the types of assistance, as in the needs and offers
// tables of template v1.
var AssistanceTypes = []string{"training", "technical-assistance", "legal-drafting", "equipment",
	"institution-building", "exercises", "funding", "other"}

// NeedPriorities are the priorities of a need.
var NeedPriorities = []string{"high", "medium", "low"}

// Areas are the areas of assistance of the needs and offers tables.
var Areas = []string{"policy-strategy", "governance", "incident-assessment", "cybercrime", "human-rights",
	"critical-infrastructure", "incident-response", "supply-chain", "vulnerabilities", "international-law",
	"cbm", "diplomacy", "skills-awareness", "other"}

// CMMDimensions are the five dimensions of the Oxford capacity maturity model.
var CMMDimensions = []string{"policy-strategy", "culture-society", "knowledge-capabilities", "legal-regulatory", "standards-technologies"}

// Modalities are how an offer is delivered.
var Modalities = []string{"bilateral", "regional", "multilateral", "multistakeholder"}

// RegionalGroups are the five UN regional groups, as stored with the States.
var RegionalGroups = []string{"African", "Asia-Pacific", "Eastern European", "Latin American and Caribbean", "Western European and Others"}

// AreaNorms are the norms each area of assistance serves (the labels of
// the area options say the same).
var AreaNorms = map[string][]string{
	"policy-strategy":         {"a"},
	"governance":              {"a"},
	"incident-assessment":     {"b", "c"},
	"cybercrime":              {"d"},
	"human-rights":            {"e"},
	"critical-infrastructure": {"f", "g"},
	"incident-response":       {"h", "k"},
	"supply-chain":            {"i"},
	"vulnerabilities":         {"j"},
}

// sectionAreas give the area of assistance of an "assistance needed" mark
// by the section it was raised in.
var sectionAreas = map[string]string{
	"0.a": "governance", "0.b": "governance",
	"I.a": "international-law", "I.b": "international-law", "I.c": "international-law",
	"II.a": "policy-strategy", "II.b": "incident-assessment", "II.c": "incident-assessment",
	"II.d": "cybercrime", "II.e": "human-rights", "II.f": "critical-infrastructure",
	"II.g": "critical-infrastructure", "II.h": "incident-response", "II.i": "supply-chain",
	"II.j": "vulnerabilities", "II.k": "incident-response",
	"III.a": "cbm", "III.b": "cbm", "III.c": "cbm", "III.d": "incident-response",
	"IV.a": "other", "IV.b": "other", "IV.c": "diplomacy",
}

// AreaOfSection is the area of assistance of a section; "other" when none fits.
func AreaOfSection(section string) string {
	if a, ok := sectionAreas[section]; ok {
		return a
	}
	return "other"
}

// regionWords map words of a free-text "regions served" to regional groups.
var regionWords = []struct{ word, group string }{
	{"africa", "African"},
	{"asia", "Asia-Pacific"},
	{"pacific", "Asia-Pacific"},
	{"eastern europe", "Eastern European"},
	{"latin america", "Latin American and Caribbean"},
	{"caribbean", "Latin American and Caribbean"},
	{"western europe", "Western European and Others"},
}

// RegionsServed reads the regions of an offer typed as free text ("Africa;
// Eastern Europe", "Global", "Pacific island States"): the regional groups
// named, and whether it serves everyone ("global", "all", "any", or
// nothing recognised at all).
func RegionsServed(text string) (groups []string, global bool) {
	t := strings.ToLower(text)
	for _, w := range []string{"global", "worldwide", "all ", "any "} {
		if strings.Contains(t+" ", w) {
			global = true
		}
	}
	for _, rw := range regionWords {
		if strings.Contains(t, rw.word) && !slices.Contains(groups, rw.group) {
			groups = append(groups, rw.group)
		}
	}
	for _, g := range RegionalGroups {
		if strings.Contains(t, strings.ToLower(g)) && !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	if len(groups) == 0 {
		global = true
	}
	sort.Strings(groups)
	return groups, global
}

// MatchNeed is what matching needs to know of a need.
type MatchNeed struct {
	ID        int64
	Area      string
	Norm      string
	Type      string
	StateISO3 string
	Group     string // the State's regional group
}

// MatchOffer is what matching needs to know of an offer. An offer with
// neither Groups nor States (nor Global) serves no one in particular and
// gets no region reason.
type MatchOffer struct {
	ID     int64
	Areas  []string
	Types  []string
	Groups []string // regional groups served
	States []string // ISO3 codes of States served
	Global bool     // serves every region
}

// Reasons why a match is suggested, strongest first; each adds its weight
// to the score.
const (
	ReasonArea   = "area"   // the offer covers the need's area
	ReasonNorm   = "norm"   // the offer's areas serve the need's norm
	ReasonType   = "type"   // the offer gives the type of assistance asked
	ReasonState  = "state"  // the offer names the State
	ReasonRegion = "region" // the offer serves the State's regional group
	ReasonGlobal = "global" // the offer serves every region
)

var reasonWeights = map[string]int{ReasonArea: 3, ReasonNorm: 2, ReasonType: 2, ReasonState: 3, ReasonRegion: 2, ReasonGlobal: 1}

// Suggestion is one suggested match of a need with an offer.
type Suggestion struct {
	NeedID, OfferID int64
	Score           int
	Reasons         []string // in the order of the Reason constants
}

// Suggest ranks the pairs of needs and offers by the overlap of area, norm,
// type and region. A pair is suggested only when it shares an area, a norm
// or a type (a region alone is no reason). Higher scores come first; ties
// keep need and offer order by id. limit <= 0 means all.
func Suggest(needs []MatchNeed, offers []MatchOffer, limit int) []Suggestion {
	var out []Suggestion
	for _, n := range needs {
		for _, o := range offers {
			var reasons []string
			if n.Area != "" && slices.Contains(o.Areas, n.Area) {
				reasons = append(reasons, ReasonArea)
			}
			if n.Norm != "" && offerServesNorm(o, n.Norm) {
				reasons = append(reasons, ReasonNorm)
			}
			if n.Type != "" && slices.Contains(o.Types, n.Type) {
				reasons = append(reasons, ReasonType)
			}
			if len(reasons) == 0 {
				continue
			}
			switch {
			case n.StateISO3 != "" && slices.Contains(o.States, n.StateISO3):
				reasons = append(reasons, ReasonState)
			case n.Group != "" && slices.Contains(o.Groups, n.Group):
				reasons = append(reasons, ReasonRegion)
			case o.Global:
				reasons = append(reasons, ReasonGlobal)
			}
			s := Suggestion{NeedID: n.ID, OfferID: o.ID, Reasons: reasons}
			for _, r := range reasons {
				s.Score += reasonWeights[r]
			}
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.NeedID != b.NeedID {
			return a.NeedID < b.NeedID
		}
		return a.OfferID < b.OfferID
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

func offerServesNorm(o MatchOffer, norm string) bool {
	for _, a := range o.Areas {
		if slices.Contains(AreaNorms[a], norm) {
			return true
		}
	}
	return false
}
