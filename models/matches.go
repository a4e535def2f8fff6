package models

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/natreport/natreport/surveys"
)

// Match is a proposal to meet a need with an offer: proposed by a donor or
// the secretariat, accepted or declined by the State that has the need.
type Match struct {
	ID            int64     `gorm:"column:id"`
	NeedID        int64     `gorm:"column:need_id"`
	OfferID       int64     `gorm:"column:offer_id"`
	Status        string    `gorm:"column:status"`
	ProposedBy    int64     `gorm:"column:proposed_by"`
	ProposerEmail string    `gorm:"column:proposer_email"`
	Message       string    `gorm:"column:message"`
	CreatedAt     time.Time `gorm:"column:created_at"`
	UpdatedAt     time.Time `gorm:"column:updated_at"`
	// Of the need: its State, cycle and report version (for visibility).
	StateISO3       string `gorm:"column:state_iso3"`
	StateName       string `gorm:"column:state_name"`
	CycleLabel      string `gorm:"column:cycle_label"`
	NeedDescription string `gorm:"column:need_description"`
	NeedStatus      string `gorm:"column:need_status"`
	ReportVersion   int    `gorm:"column:report_version"`
	ReportStatus    string `gorm:"column:report_status"`
	ReportVis       string `gorm:"column:report_visibility"`
	// Of the offer.
	Provider       string `gorm:"column:provider"`
	OfferOrgID     int64  `gorm:"column:offer_org_id"`
	OfferStateISO3 string `gorm:"column:offer_state_iso3"`
}

// MatchReader is who reads matches: the reader of reports, and the
// organisation of a donor (0 for none).
type MatchReader struct {
	surveys.Reader
	OrganisationID int64
}

// Readable reports whether the reader may see the match: they must be
// able to read the need, and be of its State, of the secretariat, of the
// organisation whose offer it is, or of the State whose offer it is.
// Other donors do not see each other's proposals.
func (m *Match) Readable(r MatchReader) bool {
	if _, ok := surveys.Audience(r.Reader, surveys.ReportRef{StateISO3: m.StateISO3, Status: m.ReportStatus, Visibility: m.ReportVis}); !ok {
		return false
	}
	switch {
	case r.IsStateMember(surveys.ReportRef{StateISO3: m.StateISO3}):
		return true
	case surveys.IsStaff(r.Role):
		return true
	case r.Role == RoleDonor && r.OrganisationID != 0 && r.OrganisationID == m.OfferOrgID:
		return true
	case m.OfferStateISO3 != "" && r.IsStateMember(surveys.ReportRef{StateISO3: m.OfferStateISO3}):
		return true
	}
	return false
}

const matchSelect = `SELECT m.id, m.need_id, m.offer_id, m.status, m.proposed_by, u.email AS proposer_email, m.message,
	m.created_at, m.updated_at, n.state_iso3, s.name AS state_name, c.label AS cycle_label, n.description AS need_description,
	n.status AS need_status, r.version AS report_version, r.status AS report_status, r.visibility AS report_visibility, f.provider,
	COALESCE(f.organisation_id, 0) AS offer_org_id, COALESCE(f.state_iso3, '') AS offer_state_iso3
	FROM matches m JOIN needs n ON n.id = m.need_id JOIN states s ON s.iso3 = n.state_iso3 JOIN cycles c ON c.id = n.cycle_id
	JOIN reports r ON r.id = n.report_id JOIN offers f ON f.id = m.offer_id JOIN users u ON u.id = m.proposed_by `

// MatchFilter narrows a list of matches; zero fields do not filter.
type MatchFilter struct {
	NeedID, OfferID, OrganisationID int64
	StateISO3, Status               string
}

func scanMatches(q *gorm.DB, where string, args ...any) ([]Match, error) {
	var out []Match
	err := q.Raw(matchSelect+where, args...).Scan(&out).Error
	for i := range out {
		out[i].CreatedAt, out[i].UpdatedAt = out[i].CreatedAt.UTC(), out[i].UpdatedAt.UTC()
	}
	return out, err
}

// ListMatches lists the matches the reader may see (Match.Readable) that
// pass the filter, newest first.
func (db *DB) ListMatches(ctx context.Context, reader MatchReader, f MatchFilter) ([]Match, error) {
	var conds []string
	var args []any
	addID := func(cond string, v int64) {
		if v != 0 {
			conds, args = append(conds, cond), append(args, v)
		}
	}
	addID("m.need_id = ?", f.NeedID)
	addID("m.offer_id = ?", f.OfferID)
	addID("f.organisation_id = ?", f.OrganisationID)
	if f.StateISO3 != "" {
		conds, args = append(conds, "n.state_iso3 = ?"), append(args, f.StateISO3)
	}
	if f.Status != "" {
		conds, args = append(conds, "m.status = ?"), append(args, f.Status)
	}
	where := ""
	if len(conds) > 0 {
		where = "WHERE " + strings.Join(conds, " AND ") + " "
	}
	q := db.read(ctx)
	all, err := scanMatches(q, where+"ORDER BY m.updated_at DESC, m.id DESC", args...)
	if err != nil {
		return nil, err
	}
	if all, err = asReadable(q, reader.Reader, all); err != nil {
		return nil, err
	}
	out := all[:0]
	for _, m := range all {
		if m.Readable(reader) {
			out = append(out, m)
		}
	}
	return out, nil
}

// asReadable reads the need of each match as the reader may read it (see
// readable): a need amended in a version the reader may not read yet
// shows, with its proposals, as the version they may read.
func asReadable(q *gorm.DB, reader surveys.Reader, ms []Match) ([]Match, error) {
	ns := make([]Need, len(ms))
	for i, m := range ms {
		ns[i] = Need{ID: m.NeedID, StateISO3: m.StateISO3, ReportVersion: m.ReportVersion, ReportStatus: m.ReportStatus,
			ReportVis: m.ReportVis, Description: m.NeedDescription}
	}
	ns, err := readable(q, reader, ns)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]Need, len(ns))
	for _, n := range ns {
		byID[n.ID] = n
	}
	out := ms[:0]
	for _, m := range ms {
		n, ok := byID[m.NeedID]
		if !ok {
			continue
		}
		m.ReportVersion, m.ReportStatus, m.ReportVis, m.NeedDescription = n.ReportVersion, n.ReportStatus, n.ReportVis, n.Description
		out = append(out, m)
	}
	return out, nil
}

// GetMatch returns the match with id if the reader may see it (ErrNotFound otherwise).
func (db *DB) GetMatch(ctx context.Context, reader MatchReader, id int64) (*Match, error) {
	q := db.read(ctx)
	ms, err := scanMatches(q, "WHERE m.id = ?", id)
	if err != nil {
		return nil, err
	}
	if ms, err = asReadable(q, reader.Reader, ms); err != nil {
		return nil, err
	}
	if len(ms) == 0 || !ms[0].Readable(reader) {
		return nil, ErrNotFound
	}
	return &ms[0], nil
}

// MatchHistory lists the changes of a match, oldest first.
func (db *DB) MatchHistory(ctx context.Context, matchID int64) ([]HistoryEntry, error) {
	return scanHistory(db.read(ctx), "match_history", "match_id", matchID)
}

// MatchHistories reads the histories of several matches in one query: the
// changes of each, oldest first, by match id. Callers check first that the
// reader may see the matches.
func (db *DB) MatchHistories(ctx context.Context, matchIDs []int64) (map[int64][]HistoryEntry, error) {
	return scanHistories(db.read(ctx), "match_history", "match_id", matchIDs)
}

// reopenIfIdle moves a need in discussion back to open when no proposal
// for it is pending any more (after one was declined or withdrawn).
func (db *DB) reopenIfIdle(ctx context.Context, tx *gorm.DB, m *Match, event string, actor Actor) error {
	if m.NeedStatus != surveys.NeedDiscussion {
		return nil
	}
	var pending int64
	if err := tx.Raw("SELECT COUNT(*) FROM matches WHERE need_id = ? AND status = ?", m.NeedID, surveys.MatchProposed).Scan(&pending).Error; err != nil || pending > 0 {
		return err
	}
	return db.moveNeed(ctx, tx, m.NeedID, m.NeedStatus, surveys.NeedOpen, event, m.Provider, actor)
}

// MatchWithdrawal is what happened when a pending proposal was withdrawn,
// by itself or with its offer: the event that notices (mail to the State
// that had it to decide) hook into.
type MatchWithdrawal struct {
	Match     Match // as it is after the withdrawal
	WithOffer bool  // withdrawn because its offer was
	Note      string
	By        Actor
}

// WithdrawMatch withdraws a proposal still pending (ErrConflict
// otherwise): the State no longer has it to decide and sees it withdrawn;
// a need in discussion with no other pending proposal goes back to open.
// Everything, including then (if not nil, e.g. queueing a notice), happens
// in one transaction. Who may withdraw is the caller's rule: the proposer
// or the secretariat.
func (db *DB) WithdrawMatch(ctx context.Context, matchID int64, note string, actor Actor,
	then func(tx *gorm.DB, w MatchWithdrawal) error) error {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxMatchMessage {
		return fmt.Errorf("%w: note too long", ErrInvalid)
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		return db.withdrawMatch(ctx, tx, matchID, note, actor, false, then)
	})
}

func (db *DB) withdrawMatch(ctx context.Context, tx *gorm.DB, matchID int64, note string, actor Actor, withOffer bool,
	then func(tx *gorm.DB, w MatchWithdrawal) error) error {
	res := tx.Exec("UPDATE matches SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
		surveys.MatchWithdrawn, db.Now(), matchID, surveys.MatchProposed)
	if res.Error != nil {
		return res.Error
	}
	ms, err := scanMatches(tx, "WHERE m.id = ?", matchID)
	if err != nil {
		return err
	}
	if len(ms) == 0 {
		return ErrNotFound
	}
	m := ms[0]
	if res.RowsAffected == 0 {
		return fmt.Errorf("%w: match %d is already %s", ErrConflict, matchID, m.Status)
	}
	if err := db.history(tx, "match_history", "match_id", matchID, surveys.MatchProposed, surveys.MatchWithdrawn, "", note, actor); err != nil {
		return err
	}
	if err := db.reopenIfIdle(ctx, tx, &m, EventWithdrawn, actor); err != nil {
		return err
	}
	var reportID int64
	if err := tx.Raw("SELECT report_id FROM needs WHERE id = ?", m.NeedID).Scan(&reportID).Error; err != nil {
		return err
	}
	e := actor.entry(ActionMatchWithdraw, reportID)
	e.OldValue, e.NewValue = surveys.MatchProposed, surveys.MatchWithdrawn
	e.Detail = fmt.Sprintf("match %d: need %d, offer %d (%s)", matchID, m.NeedID, m.OfferID, m.Provider)
	if err := db.audit(ctx, tx, e); err != nil || then == nil {
		return err
	}
	after, err := scanMatches(tx, "WHERE m.id = ?", matchID)
	if err != nil {
		return err
	}
	return then(tx, MatchWithdrawal{Match: after[0], WithOffer: withOffer, Note: note, By: actor})
}

// MaxMatchMessage is the longest message of a proposal or a decision, in characters.
const MaxMatchMessage = 2000

// ProposeMatch proposes to meet need with offer. The need must still be
// open or in discussion (ErrConflict), the pair new (ErrDuplicate); the
// State that has the need must be able to read the offer (ErrInvalid), so
// a proposal never shows it an offer it may not read. An open need moves
// to "in discussion". Who may propose which offer is the caller's rule.
func (db *DB) ProposeMatch(ctx context.Context, needID, offerID int64, message string, actor Actor) (*Match, error) {
	message = strings.TrimSpace(message)
	if utf8.RuneCountInString(message) > MaxMatchMessage {
		return nil, fmt.Errorf("%w: message too long", ErrInvalid)
	}
	var id int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var ns []Need
		if err := tx.Raw(needSelect+"WHERE n.id = ?", needID).Scan(&ns).Error; err != nil {
			return err
		}
		if len(ns) == 0 {
			return ErrNotFound
		}
		n := ns[0]
		if !surveys.NeedIsOpen(n.Status) {
			return fmt.Errorf("%w: need %d is %s", ErrConflict, needID, n.Status)
		}
		os, err := scanOffers(tx, "WHERE f.id = ?", offerID)
		if err != nil {
			return err
		}
		if len(os) == 0 {
			return ErrNotFound
		}
		if !os[0].Active || !os[0].Readable(surveys.Reader{Role: RoleFocalPoint, StateISO3: n.StateISO3}) {
			return fmt.Errorf("%w: offer %d is not open to %s", ErrInvalid, offerID, n.StateISO3)
		}
		now := db.Now()
		err = tx.Raw(`INSERT INTO matches (need_id, offer_id, status, proposed_by, message, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, needID, offerID, surveys.MatchProposed, actor.UserID, message, now, now).Scan(&id).Error
		if isDuplicate(err) {
			return fmt.Errorf("%w: need %d and offer %d were matched before", ErrDuplicate, needID, offerID)
		}
		if err != nil {
			return err
		}
		if err := db.history(tx, "match_history", "match_id", id, "", surveys.MatchProposed, "", message, actor); err != nil {
			return err
		}
		if n.Status == surveys.NeedOpen {
			if err := db.moveNeed(ctx, tx, needID, n.Status, surveys.NeedDiscussion, EventProposed, os[0].Provider, actor); err != nil {
				return err
			}
		}
		e := actor.entry(ActionMatchPropose, n.ReportID)
		e.QuestionCode, e.NewValue = n.QuestionCode, surveys.MatchProposed
		e.Detail = fmt.Sprintf("match %d: need %d, offer %d (%s)", id, needID, offerID, os[0].Provider)
		return db.audit(ctx, tx, e)
	})
	if isDuplicate(err) {
		return nil, fmt.Errorf("%w: need %d and offer %d were matched before", ErrDuplicate, needID, offerID)
	}
	if err != nil {
		return nil, err
	}
	ms, err := scanMatches(db.read(ctx), "WHERE m.id = ?", id)
	if err != nil || len(ms) == 0 {
		return nil, fmt.Errorf("match %d after insert: %w", id, err)
	}
	return &ms[0], nil
}

// MatchDecision is what happened when a State decided on a proposal: the
// event that notices (mail to the proposer) hook into.
type MatchDecision struct {
	Match    Match // as it is after the decision
	Accepted bool
	Note     string
	By       Actor
}

// DecideMatch records the State's answer to a proposal: accepted, the need
// becomes matched; declined, a need in discussion with no other pending
// proposal goes back to open. Only a proposal still pending can be decided
// (ErrConflict). Everything, including then (if not nil, e.g. queueing a
// notice), happens in one transaction. Who may decide is the caller's
// rule: the focal point of the need's State.
func (db *DB) DecideMatch(ctx context.Context, matchID int64, accept bool, note string, actor Actor,
	then func(tx *gorm.DB, d MatchDecision) error) (*MatchDecision, error) {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxMatchMessage {
		return nil, fmt.Errorf("%w: note too long", ErrInvalid)
	}
	to := surveys.MatchDeclined
	if accept {
		to = surveys.MatchAccepted
	}
	var d *MatchDecision
	err := db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec("UPDATE matches SET status = ?, updated_at = ? WHERE id = ? AND status = ?", to, db.Now(), matchID, surveys.MatchProposed)
		if res.Error != nil {
			return res.Error
		}
		ms, err := scanMatches(tx, "WHERE m.id = ?", matchID)
		if err != nil {
			return err
		}
		if len(ms) == 0 {
			return ErrNotFound
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("%w: match %d is already %s", ErrConflict, matchID, ms[0].Status)
		}
		m := ms[0]
		if err := db.history(tx, "match_history", "match_id", matchID, surveys.MatchProposed, to, "", note, actor); err != nil {
			return err
		}
		switch {
		case accept && surveys.NeedIsOpen(m.NeedStatus):
			err = db.moveNeed(ctx, tx, m.NeedID, m.NeedStatus, surveys.NeedMatched, EventAccepted, m.Provider, actor)
		case accept:
			return fmt.Errorf("%w: need %d is %s", ErrConflict, m.NeedID, m.NeedStatus)
		default:
			err = db.reopenIfIdle(ctx, tx, &m, EventDeclined, actor)
		}
		if err != nil {
			return err
		}
		var reportID int64
		if err := tx.Raw("SELECT report_id FROM needs WHERE id = ?", m.NeedID).Scan(&reportID).Error; err != nil {
			return err
		}
		e := actor.entry(ActionMatchDecide, reportID)
		e.OldValue, e.NewValue = surveys.MatchProposed, to
		e.Detail = fmt.Sprintf("match %d: need %d, offer %d (%s)", matchID, m.NeedID, m.OfferID, m.Provider)
		if err := db.audit(ctx, tx, e); err != nil {
			return err
		}
		after, err := scanMatches(tx, "WHERE m.id = ?", matchID)
		if err != nil {
			return err
		}
		d = &MatchDecision{Match: after[0], Accepted: accept, Note: note, By: actor}
		if then != nil {
			return then(tx, *d)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}
