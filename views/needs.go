package views

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/natreport/natreport/surveys"
)

// Option is one choice of a select or a set of checkboxes.
type Option struct{ Value, Label string }

// NeedFilters is the filter form of the needs lists, as read from the URL.
type NeedFilters struct {
	Action                                                       string // where the form goes: /needs or /donor
	Cycle, Norm, Area, CMM, Type, Priority, Group, State, Status string
	Cycles                                                       []string
	States                                                       []Option
	ExportQuery                                                  string // the filters as a query, for the export links
}

// NeedRow is one need as lists and pages show it.
type NeedRow struct {
	ID                                           int64
	StateISO3, StateName, Group, Cycle, Question string
	Area, Norm, CMM, Type, Priority              string
	Timeframe, Budget, Description, Status       string
	FromMark, Confirmed, InReport                bool
	CarriedTo                                    string
	ReportVersion                                int
	Updated                                      time.Time
}

// HistoryRow is one dated change of a need or a match. Event, when set,
// is what the register did by itself, worded by the view with Note as its
// argument; otherwise Note is a person's note.
type HistoryRow struct {
	At                           time.Time
	Email, From, To, Event, Note string
}

// MatchRow is one proposal as both sides see it.
type MatchRow struct {
	ID, NeedID, OfferID                   int64
	StateISO3, StateName, Cycle, NeedText string
	Provider, Status, Message, ProposedBy string
	Updated                               time.Time
	CanDecide, CanWithdraw                bool
	History                               []HistoryRow
}

// OfferRow is one offer of assistance.
type OfferRow struct {
	ID                                                      int64
	Provider, Organisation, StateISO3, Cycle                string
	Areas, Types                                            []string
	Regions, States, Modality, Period, Contact, Description string
	Active, FromReport                                      bool
}

// SuggestionRow is one suggested match with its reasons.
type SuggestionRow struct {
	NeedID, OfferID     int64
	NeedText, OfferText string
	Score               int
	Reasons             []string
}

// Pager is where a long list is: page Page of Pages, Total rows in all,
// with links to the pages before and after ("" at either end).
type Pager struct {
	Page, Pages, Total int
	PrevURL, NextURL   string
}

// NeedsData is the needs register page.
type NeedsData struct {
	Filters NeedFilters
	Pager   Pager
	Needs   []NeedRow  // the page's
	Pending []MatchRow // proposals awaiting the viewer's State's decision
	// CarryCycle and Carryable: the open cycle the focal point may carry
	// the State's Carryable open needs of earlier cycles into.
	CarryCycle string
	Carryable  int
}

// NeedEditForm is the State's edit of a need, as typed.
type NeedEditForm struct {
	Type, Priority, Timeframe, Description string
	Errors                                 map[string]string
}

// NeedData is one need's page.
type NeedData struct {
	Need        NeedRow
	History     []HistoryRow
	Matches     []MatchRow
	Next        []string // statuses the viewer may move the need to
	CanUpdate   bool
	Edit        NeedEditForm
	StatusError string
	NoteError   string // message id for the note
	Note        string
	Suggestions []SuggestionRow
}

// OffersData is the offers list.
type OffersData struct {
	Pager      Pager
	Offers     []OfferRow // the page's
	Area, Type string
	CanCreate  bool
}

// OfferData is one offer's page.
type OfferData struct {
	Offer       OfferRow
	CanChange   bool         // the viewer may edit and withdraw the offer
	History     []HistoryRow // of a recorded offer
	Matches     []MatchRow
	Suggestions []SuggestionRow
}

// OfferForm is the form of a new offer, as typed.
type OfferForm struct {
	Action                                                   string // where it posts: /offers-new, or /offers/{id}/edit
	Editing                                                  bool
	Organisation                                             string
	Provider, States, Modality, Period, Contact, Description string
	Areas, Types, Regions                                    []string
	Errors                                                   map[string]string
}

// DonorData is a donor's page.
type DonorData struct {
	Organisation string // "" when the account belongs to none
	Filters      NeedFilters
	Pager        Pager
	Needs        []NeedRow // the page's
	Offers       []OfferRow
	Proposals    []MatchRow
	Suggestions  []SuggestionRow
}

// OrgUser is a donor account and its organisation.
type OrgUser struct {
	ID                        int64
	Name, Email, Organisation string
}

// OrganisationsData is the admin page of donor organisations.
type OrganisationsData struct {
	Users         []OrgUser
	Organisations []string
	Error         int64  // the user whose change was refused
	ErrorMsg      string // why (a message id)
}

func needStatusText(ctx context.Context, st string) string  { return T(ctx, "needs.status."+st) }
func matchStatusText(ctx context.Context, st string) string { return T(ctx, "match.status."+st) }
func typeText(ctx context.Context, v string) string         { return labelOr(ctx, "needs.type.", v) }
func priorityText(ctx context.Context, v string) string     { return labelOr(ctx, "needs.priority.", v) }
func areaText(ctx context.Context, v string) string         { return labelOr(ctx, "needs.area.", v) }
func cmmText(ctx context.Context, v string) string          { return labelOr(ctx, "needs.cmm.", v) }
func modalityText(ctx context.Context, v string) string     { return labelOr(ctx, "needs.modality.", v) }
func offerStatusText(ctx context.Context, st string) string { return T(ctx, "offers.status."+st) }
func reasonText(ctx context.Context, v string) string       { return T(ctx, "needs.reason."+v) }

// Labels is how exports word stored codes in the reader's language: the
// same words the pages use.
type Labels struct{ Ctx context.Context }

func (l Labels) Area(v string) string        { return areaText(l.Ctx, v) }
func (l Labels) Type(v string) string        { return typeText(l.Ctx, v) }
func (l Labels) Priority(v string) string    { return priorityText(l.Ctx, v) }
func (l Labels) CMM(v string) string         { return cmmText(l.Ctx, v) }
func (l Labels) Modality(v string) string    { return modalityText(l.Ctx, v) }
func (l Labels) NeedStatus(v string) string  { return labelOr(l.Ctx, "needs.status.", v) }
func (l Labels) MatchStatus(v string) string { return labelOr(l.Ctx, "match.status.", v) }
func (l Labels) Norm(v string) string        { return normText(l.Ctx, v) }

// Group words a regional group; "" stays "".
func (l Labels) Group(v string) string {
	if v == "" {
		return ""
	}
	return GroupLabel(l.Ctx, v)
}

// Areas and Types word lists of codes, comma-separated.
func (l Labels) Areas(vs []string) string { return listText(l.Ctx, vs, areaText) }
func (l Labels) Types(vs []string) string { return listText(l.Ctx, vs, typeText) }

// Code is the header of the column that holds col's stored codes.
func (l Labels) Code(col string) string {
	return T(l.Ctx, "export.code_of", map[string]any{"Col": col})
}

// labelOr translates a known value; "" stays "" and an unknown value shows as stored.
func labelOr(ctx context.Context, prefix, v string) string {
	if v == "" {
		return ""
	}
	if s := T(ctx, prefix+v); s != prefix+v {
		return s
	}
	return v
}

func normText(ctx context.Context, n string) string {
	if n == "" {
		return ""
	}
	return T(ctx, "print.norm") + " (" + n + ")"
}

func listText(ctx context.Context, vals []string, f func(context.Context, string) string) string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = f(ctx, v)
	}
	return strings.Join(out, ", ")
}

func reasonsText(ctx context.Context, rs []string) string { return listText(ctx, rs, reasonText) }

func needURL(id int64) string  { return "/needs/" + Itoa(id) }
func offerURL(id int64) string { return "/offers/" + Itoa(id) }

func exportURL(base, query string) string {
	if query == "" {
		return base
	}
	return base + "?" + query
}

func hasValue(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Choice lists for the filter and offer forms.
func needStatusOptions() []string { return surveys.NeedStatuses }
func typeOptions() []string       { return surveys.AssistanceTypes }
func priorityOptions() []string   { return surveys.NeedPriorities }
func areaOptions() []string       { return surveys.Areas }
func cmmOptions() []string        { return surveys.CMMDimensions }
func modalityOptions() []string   { return surveys.Modalities }
func groupOptions() []string      { return surveys.RegionalGroups }
func normOptions() []string       { return surveys.TagNorms }

// EncodeFilters is the query string of the filters that are set.
func (f NeedFilters) EncodeFilters() string {
	v := url.Values{}
	for k, s := range map[string]string{"cycle": f.Cycle, "norm": f.Norm, "area": f.Area, "cmm": f.CMM, "type": f.Type,
		"priority": f.Priority, "group": f.Group, "state": f.State, "status": f.Status} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v.Encode()
}

func filterQuery(area, typ string) string { return OfferFilterQuery(area, typ) }

// OfferFilterQuery is the query of the offers filters that are set.
func OfferFilterQuery(area, typ string) string {
	v := url.Values{}
	if area != "" {
		v.Set("area", area)
	}
	if typ != "" {
		v.Set("type", typ)
	}
	return v.Encode()
}

// historyNote words a history entry's note: an event of the register in
// the reader's language, or the note a person wrote.
func historyNote(ctx context.Context, e HistoryRow) string {
	if e.Event == "" {
		return e.Note
	}
	return T(ctx, "history."+e.Event, map[string]any{"Arg": e.Note})
}
