package models

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/natreport/natreport/surveys"
)

// The audit actions of the needs and offers registers.
const (
	ActionRegisterSync     = "needs.sync"
	ActionNeedStatus       = "need.status"
	ActionNeedEdit         = "need.edit"
	ActionOfferCreate      = "offer.create"
	ActionOfferEdit        = "offer.edit"
	ActionOfferWithdraw    = "offer.withdraw"
	ActionMatchWithdraw    = "match.withdraw"
	ActionMatchPropose     = "match.propose"
	ActionMatchDecide      = "match.decide"
	ActionUserOrganisation = "user.organisation"
)

// carriedPrefix starts the source key of a need carried from an earlier cycle.
const carriedPrefix = "carried#"

// Need is one need in the register: a row of a State's needs table or an
// "assistance needed" mark, keyed by State, cycle and SourceKey (question
// and row). Its Status is the register's, not the report's. Who may read
// it follows the report version it was last read from (ReportID): the
// Report* fields carry what surveys.Audience needs.
type Need struct {
	ID            int64     `gorm:"column:id"`
	StateISO3     string    `gorm:"column:state_iso3"`
	StateName     string    `gorm:"column:state_name"`
	RegionalGroup string    `gorm:"column:regional_group"`
	CycleID       int64     `gorm:"column:cycle_id"`
	CycleLabel    string    `gorm:"column:cycle_label"`
	SourceKey     string    `gorm:"column:source_key"`
	QuestionCode  string    `gorm:"column:question_code"`
	ReportID      int64     `gorm:"column:report_id"`
	ReportVersion int       `gorm:"column:report_version"`
	ReportStatus  string    `gorm:"column:report_status"`
	ReportVis     string    `gorm:"column:report_visibility"`
	Area          string    `gorm:"column:area"`
	Norm          string    `gorm:"column:norm"`
	CMM           string    `gorm:"column:cmm"`
	Type          string    `gorm:"column:type"`
	Priority      string    `gorm:"column:priority"`
	Timeframe     string    `gorm:"column:timeframe"`
	Budget        string    `gorm:"column:budget"`
	Description   string    `gorm:"column:description"`
	Status        string    `gorm:"column:status"`
	InReport      bool      `gorm:"column:in_report"`
	CarriedFromID *int64    `gorm:"column:carried_from_id"`
	CarriedTo     string    `gorm:"column:carried_to"` // label of the cycle it was carried to, if any
	Confirmed     bool      `gorm:"column:confirmed"`
	CreatedAt     time.Time `gorm:"column:created_at"`
	UpdatedAt     time.Time `gorm:"column:updated_at"`
}

// Ref is the report version the need was read from, for surveys.Audience.
func (n *Need) Ref() surveys.ReportRef {
	return surveys.ReportRef{StateISO3: n.StateISO3, Status: n.ReportStatus, Visibility: n.ReportVis}
}

// FromMark reports whether the need is an "assistance needed" mark.
func (n *Need) FromMark() bool { return strings.HasSuffix(n.SourceKey, "#mark") }

const needSelect = `SELECT n.id, n.state_iso3, s.name AS state_name, s.regional_group, n.cycle_id, c.label AS cycle_label,
	n.source_key, n.question_code, n.report_id, r.version AS report_version, r.status AS report_status,
	r.visibility AS report_visibility, n.area, n.norm, n.cmm, n.type, n.priority, n.timeframe, n.budget,
	n.description, n.status, n.in_report, n.carried_from_id,
	COALESCE((SELECT MIN(c2.label) FROM needs k JOIN cycles c2 ON c2.id = k.cycle_id WHERE k.carried_from_id = n.id), '') AS carried_to,
	n.confirmed, n.created_at, n.updated_at
	FROM needs n JOIN states s ON s.iso3 = n.state_iso3 JOIN cycles c ON c.id = n.cycle_id JOIN reports r ON r.id = n.report_id `

// NeedFilter narrows a list of needs; empty fields do not filter.
type NeedFilter struct {
	Cycle     string // cycle label
	Norm      string
	Area      string
	CMM       string
	Type      string
	Priority  string
	Group     string // UN regional group
	StateISO3 string
	Status    string
}

// where is the SQL of the filters on what every version of a need shares
// (cycle, group, State, status); the filters on what a version says are
// matched by matches, once each need is read as the reader's version.
func (f NeedFilter) where() (string, []any) {
	var conds []string
	var args []any
	add := func(cond, v string) {
		if v != "" {
			conds = append(conds, cond)
			args = append(args, v)
		}
	}
	add("c.label = ?", f.Cycle)
	add("s.regional_group = ?", f.Group)
	add("n.state_iso3 = ?", f.StateISO3)
	if f.Status != "" {
		// A need dropped by a version the reader may not read shows as it
		// stood before (unseenRemovals): matches decides on those.
		conds = append(conds, "(n.status = ? OR n.in_report = ?)")
		args = append(args, f.Status, false)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return "WHERE " + strings.Join(conds, " AND ") + " ", args
}

func scanNeeds(q *gorm.DB, where string, args ...any) ([]Need, error) {
	var out []Need
	if err := q.Raw(needSelect+where, args...).Scan(&out).Error; err != nil {
		return nil, err
	}
	for i := range out {
		out[i].CreatedAt, out[i].UpdatedAt = out[i].CreatedAt.UTC(), out[i].UpdatedAt.UTC()
	}
	return out, nil
}

// matches reports whether n, as read, passes the filters on what a
// version says.
func (f NeedFilter) matches(n *Need) bool {
	for _, c := range [][2]string{{f.Status, n.Status}, {f.Norm, n.Norm}, {f.Area, n.Area}, {f.CMM, n.CMM}, {f.Type, n.Type}, {f.Priority, n.Priority}} {
		if c[0] != "" && c[0] != c[1] {
			return false
		}
	}
	return true
}

// ListNeeds lists the needs that reader may read and that pass the
// filter, each as of the newest report version the reader may read that
// states it (see readable), newest cycle first, then by State name and id.
func (db *DB) ListNeeds(ctx context.Context, reader surveys.Reader, f NeedFilter) ([]Need, error) {
	where, args := f.where()
	q := db.read(ctx)
	all, err := scanNeeds(q, where+"ORDER BY c.opens_on DESC, s.name, n.id", args...)
	if err != nil {
		return nil, err
	}
	if all, err = readable(q, reader, all); err != nil {
		return nil, err
	}
	if err := unseenRemovals(q, reader, all); err != nil {
		return nil, err
	}
	out := all[:0]
	for _, n := range all {
		if f.matches(&n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// GetNeed returns the need with id as of the newest report version reader
// may read that states it; ErrNotFound when none, so that its existence
// does not leak.
func (db *DB) GetNeed(ctx context.Context, reader surveys.Reader, id int64) (*Need, error) {
	return GetNeedTx(db.read(ctx), reader, id)
}

// GetNeedTx is GetNeed read through tx (for notices written in the
// transaction of a change).
func GetNeedTx(tx *gorm.DB, reader surveys.Reader, id int64) (*Need, error) {
	ns, err := scanNeeds(tx, "WHERE n.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(ns) == 0 {
		return nil, ErrNotFound
	}
	return NeedAsReadTx(tx, reader, ns[0])
}

// NeedAsReadTx returns the need n (as stored) as reader may read it,
// through tx (ErrNotFound when they may not): for notices written in the
// transaction of a change, so that a notice says no more than its
// recipient may read.
func NeedAsReadTx(tx *gorm.DB, reader surveys.Reader, n Need) (*Need, error) {
	ns, err := readable(tx, reader, []Need{n})
	if err != nil {
		return nil, err
	}
	if len(ns) == 0 {
		return nil, ErrNotFound
	}
	if err := unseenRemovals(tx, reader, ns); err != nil {
		return nil, err
	}
	return &ns[0], nil
}

// seenVersions tells, for each State's report in a cycle, which of its
// version numbers a reader may read.
type seenVersions map[[2]any][]bool

// readVersions reads, for the State and cycle of each need in ids, which
// versions of its report reader may read.
func readVersions(q *gorm.DB, reader surveys.Reader, ids []int64) (seenVersions, error) {
	out := seenVersions{}
	var rs []struct {
		StateISO3  string `gorm:"column:state_iso3"`
		CycleID    int64  `gorm:"column:cycle_id"`
		Version    int    `gorm:"column:version"`
		Status     string `gorm:"column:status"`
		Visibility string `gorm:"column:visibility"`
	}
	err := q.Raw(`SELECT DISTINCT r.state_iso3, r.cycle_id, r.version, r.status, r.visibility FROM reports r
		JOIN needs n ON n.state_iso3 = r.state_iso3 AND n.cycle_id = r.cycle_id WHERE n.id IN ?`, ids).Scan(&rs).Error
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		k := [2]any{r.StateISO3, r.CycleID}
		for len(out[k]) <= r.Version {
			out[k] = append(out[k], false)
		}
		_, ok := surveys.Audience(reader, surveys.ReportRef{StateISO3: r.StateISO3, Status: r.Status, Visibility: r.Visibility})
		out[k][r.Version] = ok
	}
	return out, nil
}

// seen reports whether what version v of the State's report in the cycle
// says of a need is known to the reader: they may read v or a later
// version (which says of the need what v said, or more).
func (s seenVersions) seen(iso3 string, cycleID int64, v int) bool {
	vs := s[[2]any{iso3, cycleID}]
	return v >= 0 && slices.Contains(vs[min(v, len(vs)):], true)
}

// lastRemoval is the index in h (a need's history, oldest first) of the
// last time a report version dropped the need (-1 if none), and that
// version's number.
func lastRemoval(h []HistoryEntry) (int, int) {
	for i := len(h) - 1; i >= 0; i-- {
		if h[i].Event == EventRemoved {
			v, err := strconv.Atoi(h[i].Note)
			if err != nil {
				return -1, 0
			}
			return i, v
		}
	}
	return -1, 0
}

// movedSince reports whether someone changed the need's status after entry
// i of its history.
func movedSince(h []HistoryEntry, i int) bool {
	return slices.ContainsFunc(h[i+1:], func(e HistoryEntry) bool { return e.OldStatus != e.NewStatus })
}

// unseenRemovals shows each need dropped from its report by a version the
// reader may not read (an amendment not yet published to them, and none
// later) as it stands in what they may read: still in the report, and in
// the status it had before the drop withdrew it, unless someone moved it
// since. A need's displayed status is never caused by a version the
// reader may not read.
func unseenRemovals(q *gorm.DB, reader surveys.Reader, ns []Need) error {
	var ids []int64
	for _, n := range ns {
		if !n.InReport {
			ids = append(ids, n.ID)
		}
	}
	hs := map[int64][]HistoryEntry{}
	seen := seenVersions{}
	for start := 0; start < len(ids); start += 1000 {
		chunk := ids[start:min(len(ids), start+1000)]
		h, err := scanHistories(q, "need_history", "need_id", chunk)
		if err != nil {
			return err
		}
		maps.Copy(hs, h)
		sv, err := readVersions(q, reader, chunk)
		if err != nil {
			return err
		}
		maps.Copy(seen, sv)
	}
	for i := range ns {
		n := &ns[i]
		h := hs[n.ID]
		at, version := lastRemoval(h)
		if at < 0 || seen.seen(n.StateISO3, n.CycleID, version) {
			continue
		}
		n.InReport = true
		if !movedSince(h, at) && n.Status == h[at].NewStatus {
			n.Status = h[at].OldStatus
		}
	}
	return nil
}

// VisibleHistory keeps of a need's history what reader may see: an entry
// that a report version stated or dropped the need (events reported and
// removed) only when the reader may read that version or a later one.
// n is the need as the reader reads it.
func (db *DB) VisibleHistory(ctx context.Context, reader surveys.Reader, n *Need, h []HistoryEntry) ([]HistoryEntry, error) {
	seen, err := readVersions(db.read(ctx), reader, []int64{n.ID})
	if err != nil {
		return nil, err
	}
	out := make([]HistoryEntry, 0, len(h))
	for _, e := range h {
		if e.Event == EventReported || e.Event == EventRemoved {
			if v, err := strconv.Atoi(e.Note); err != nil || !seen.seen(n.StateISO3, n.CycleID, v) {
				continue
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// needVersion is a need as one report version stated it.
type needVersion struct {
	NeedID        int64  `gorm:"column:need_id"`
	ReportID      int64  `gorm:"column:report_id"`
	ReportVersion int    `gorm:"column:report_version"`
	ReportStatus  string `gorm:"column:report_status"`
	ReportVis     string `gorm:"column:report_visibility"`
	Area          string `gorm:"column:area"`
	Norm          string `gorm:"column:norm"`
	CMM           string `gorm:"column:cmm"`
	Type          string `gorm:"column:type"`
	Priority      string `gorm:"column:priority"`
	Timeframe     string `gorm:"column:timeframe"`
	Budget        string `gorm:"column:budget"`
	Description   string `gorm:"column:description"`
}

// readable keeps the needs reader may read, each as of the newest report
// version the reader may read (surveys.ReadableVersion) among those that
// stated it. A need is stored as the version it was last read from (with
// the State's edits); when the reader may not read that version — an
// amendment submitted but not yet published to them — it shows as the
// newest earlier version they may read stated it, or not at all.
func readable(q *gorm.DB, reader surveys.Reader, ns []Need) ([]Need, error) {
	var older []int64
	for _, n := range ns {
		if _, ok := surveys.Audience(reader, n.Ref()); !ok {
			older = append(older, n.ID)
		}
	}
	versions := map[int64][]needVersion{} // oldest first
	for start := 0; start < len(older); start += 1000 {
		var vs []needVersion
		err := q.Raw(`SELECT v.need_id, v.report_id, r.version AS report_version, r.status AS report_status,
			r.visibility AS report_visibility, v.area, v.norm, v.cmm, v.type, v.priority, v.timeframe, v.budget, v.description
			FROM need_versions v JOIN reports r ON r.id = v.report_id WHERE v.need_id IN ? ORDER BY v.need_id, r.version`,
			older[start:min(len(older), start+1000)]).Scan(&vs).Error
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			versions[v.NeedID] = append(versions[v.NeedID], v)
		}
	}
	out := ns[:0]
	for _, n := range ns {
		if _, ok := surveys.Audience(reader, n.Ref()); ok {
			out = append(out, n)
			continue
		}
		vs := versions[n.ID]
		refs := make([]surveys.ReportRef, 0, len(vs))
		for _, v := range vs {
			if v.ReportVersion >= n.ReportVersion { // only versions before the one it is stored as
				break
			}
			refs = append(refs, surveys.ReportRef{StateISO3: n.StateISO3, Status: v.ReportStatus, Visibility: v.ReportVis})
		}
		i, _, ok := surveys.ReadableVersion(reader, refs, 0)
		if !ok {
			continue
		}
		v := vs[i]
		n.ReportID, n.ReportVersion, n.ReportStatus, n.ReportVis = v.ReportID, v.ReportVersion, v.ReportStatus, v.ReportVis
		n.Area, n.Norm, n.CMM, n.Type, n.Priority = v.Area, v.Norm, v.CMM, v.Type, v.Priority
		n.Timeframe, n.Budget, n.Description = v.Timeframe, v.Budget, v.Description
		out = append(out, n)
	}
	return out, nil
}

// stateVersion records how report version reportID states the need.
func stateVersion(tx *gorm.DB, needID, reportID int64, n surveys.Need) error {
	if err := tx.Exec("DELETE FROM need_versions WHERE need_id = ? AND report_id = ?", needID, reportID).Error; err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO need_versions (need_id, report_id, area, norm, cmm, type, priority, timeframe, budget, description)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		needID, reportID, n.Area, n.Norm, n.CMM, n.Type, n.Priority, n.Timeframe, n.Budget, n.Description).Error
}

// HistoryEntry is one dated change of a need or a match. Event names what
// the register did by itself (one of the Event constants, "" for a change
// a person made); Note is then its argument (a version, a cycle, a
// provider), else the person's note.
type HistoryEntry struct {
	ID        int64     `gorm:"column:id"`
	At        time.Time `gorm:"column:at"`
	UserID    int64     `gorm:"column:user_id"`
	Email     string    `gorm:"column:email"`
	OldStatus string    `gorm:"column:old_status"`
	NewStatus string    `gorm:"column:new_status"`
	Event     string    `gorm:"column:event"`
	Note      string    `gorm:"column:note"`
}

// History events, so that views can word them in every language.
const (
	EventReported    = "reported"     // read from a report version (Note: the version)
	EventRemoved     = "removed"      // no longer in the report (Note: the version)
	EventCarriedFrom = "carried_from" // carried forward from a cycle (Note: its label)
	EventCarriedTo   = "carried_to"   // carried forward to a cycle (Note: its label)
	EventStatedAgain = "stated_again" // stated again in a later cycle's report (Note: its label)
	EventProposed    = "proposed"     // an offer was proposed (Note: the provider)
	EventAccepted    = "accepted"     // the State accepted a proposal (Note: the provider)
	EventDeclined    = "declined"     // the State declined a proposal (Note: the provider)
	EventConfirmed   = "confirmed"    // the State confirmed a carried need
	EventEdited      = "edited"       // the State edited the need
	EventWithdrawn   = "withdrawn"    // a proposal was withdrawn (Note: the provider)
	EventOfferEdited = "offer_edited" // the offer was edited
)

func scanHistory(q *gorm.DB, table, key string, id int64) ([]HistoryEntry, error) {
	hs, err := scanHistories(q, table, key, []int64{id})
	return hs[id], err
}

// scanHistories reads the histories of several records in one query,
// each oldest first.
func scanHistories(q *gorm.DB, table, key string, ids []int64) (map[int64][]HistoryEntry, error) {
	out := make(map[int64][]HistoryEntry, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		Owner int64 `gorm:"column:owner"`
		HistoryEntry
	}
	err := q.Raw("SELECT "+key+" AS owner, id, at, user_id, email, old_status, new_status, event, note FROM "+table+
		" WHERE "+key+" IN ? ORDER BY "+key+", id", ids).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		r.At = r.At.UTC()
		out[r.Owner] = append(out[r.Owner], r.HistoryEntry)
	}
	return out, nil
}

// NeedHistory lists the changes of a need, oldest first. Callers check
// first that the reader may read the need.
func (db *DB) NeedHistory(ctx context.Context, needID int64) ([]HistoryEntry, error) {
	return scanHistory(db.read(ctx), "need_history", "need_id", needID)
}

func (db *DB) history(tx *gorm.DB, table, key string, id int64, from, to, event, note string, actor Actor) error {
	return tx.Exec("INSERT INTO "+table+" ("+key+", at, user_id, email, old_status, new_status, event, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		id, db.Now(), actor.UserID, actor.Email, from, to, event, note).Error
}

// needKey is where in the report a need comes from: the question and the
// row, or "mark" for an "assistance needed" mark.
func needKey(n surveys.Need) string {
	if n.Row < 0 {
		return n.Code + "#mark"
	}
	return n.Code + "#" + strconv.Itoa(n.Row)
}

// offerKey is where in the report an offer comes from.
func offerKey(o surveys.Offer) string { return o.Code + "#" + strconv.Itoa(o.Row) }

// SyncResult counts what SyncRegisters changed.
type SyncResult struct {
	Added, Updated, Removed, Carried int // needs
	Offers, OffersRemoved            int
}

// sameContent reports whether the stored need s says what n says.
func sameContent(s Need, n surveys.Need) bool {
	return s.Area == n.Area && s.Norm == n.Norm && s.CMM == n.CMM && s.Type == n.Type && s.Priority == n.Priority &&
		s.Timeframe == n.Timeframe && s.Budget == n.Budget && s.Description == n.Description
}

// SyncRegisters brings the needs and offers registers in line with a
// submitted or published report version: needs and offers (from
// surveys.Needs and surveys.Offers of that version) are added or updated
// under their stable key (State, cycle, question, row), and now read from
// this version; those no longer in the report leave it (an open need is
// withdrawn, an offer made inactive). A need's status is the register's
// and is never reset. Then the State's needs still open from earlier
// cycles are carried forward into this cycle, unconfirmed, unless this
// report states the same need again. Running it twice changes nothing.
func (db *DB) SyncRegisters(ctx context.Context, reportID int64, needs []surveys.Need, offers []surveys.Offer, actor Actor) (SyncResult, error) {
	return db.SyncRegistersThen(ctx, reportID, needs, offers, actor, nil)
}

// NeedDrop is a need that a report version dropped from the report, which
// withdrew it: what notices to those who proposed offers for it hook into.
type NeedDrop struct {
	Need      Need    // as stored
	Report    Report  // the version synced, the dropping one or a later one
	HistoryID int64   // the drop's entry in the need's history
	Matches   []Match // every proposal made for the need, oldest first
}

// SyncRegistersThen is SyncRegisters; then, in the same transaction, it
// calls then (if not nil) with each need of the report that a version up
// to this one dropped and so withdrew, and that no one has moved since.
// It does so at every sync (submission, then publication), so that a
// notice can wait until its recipient may read the dropping version; the
// caller makes each notice once-only.
func (db *DB) SyncRegistersThen(ctx context.Context, reportID int64, needs []surveys.Need, offers []surveys.Offer, actor Actor,
	then func(tx *gorm.DB, d NeedDrop) error) (SyncResult, error) {
	var res SyncResult
	err := db.tx(ctx, func(tx *gorm.DB) error {
		r, err := getReport(tx, "WHERE r.id = ?", reportID)
		if err != nil {
			return err
		}
		if r.Status != StatusSubmitted && r.Status != StatusPublished {
			return fmt.Errorf("%w: report %d is %s; only submitted reports feed the registers", ErrConflict, reportID, r.Status)
		}
		if err := db.syncNeeds(tx, r, needs, actor, &res); err != nil {
			return err
		}
		if err := db.carryNeeds(tx, r, actor, &res); err != nil {
			return err
		}
		if err := db.syncOffers(tx, r, offers, &res); err != nil {
			return err
		}
		e := actor.entry(ActionRegisterSync, r.ID)
		e.Detail = fmt.Sprintf("needs: %d added, %d updated, %d removed, %d carried forward; offers: %d, %d removed",
			res.Added, res.Updated, res.Removed, res.Carried, res.Offers, res.OffersRemoved)
		if err := db.audit(ctx, tx, e); err != nil || then == nil {
			return err
		}
		drops, err := droppedNeeds(tx, r)
		if err != nil {
			return err
		}
		for _, d := range drops {
			if err := then(tx, d); err != nil {
				return err
			}
		}
		return nil
	})
	return res, err
}

// droppedNeeds lists the needs of report r's State and cycle that a
// version up to r dropped, withdrawing them, and that no one moved since,
// with their proposals.
func droppedNeeds(tx *gorm.DB, r *Report) ([]NeedDrop, error) {
	ns, err := scanNeeds(tx, "WHERE n.state_iso3 = ? AND n.cycle_id = ? AND n.in_report = ? AND n.status = ? ORDER BY n.id",
		r.StateISO3, r.CycleID, false, surveys.NeedWithdrawn)
	if err != nil || len(ns) == 0 {
		return nil, err
	}
	ids := make([]int64, len(ns))
	for i, n := range ns {
		ids[i] = n.ID
	}
	hs, err := scanHistories(tx, "need_history", "need_id", ids)
	if err != nil {
		return nil, err
	}
	var out []NeedDrop
	for _, n := range ns {
		h := hs[n.ID]
		at, version := lastRemoval(h)
		if at < 0 || version > r.Version || h[at].NewStatus != surveys.NeedWithdrawn || h[at].OldStatus == surveys.NeedWithdrawn || movedSince(h, at) {
			continue
		}
		ms, err := scanMatches(tx, "WHERE m.need_id = ? ORDER BY m.id", n.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, NeedDrop{Need: n, Report: *r, HistoryID: h[at].ID, Matches: ms})
	}
	return out, nil
}

func (db *DB) syncNeeds(tx *gorm.DB, r *Report, needs []surveys.Need, actor Actor, res *SyncResult) error {
	stored, err := scanNeeds(tx, "WHERE n.state_iso3 = ? AND n.cycle_id = ? AND n.source_key NOT LIKE ?", r.StateISO3, r.CycleID, carriedPrefix+"%")
	if err != nil {
		return err
	}
	byKey := make(map[string]Need, len(stored))
	for _, s := range stored {
		byKey[s.SourceKey] = s
	}
	now := db.Now()
	seen := map[string]bool{}
	for _, n := range needs {
		key := needKey(n)
		seen[key] = true
		s, ok := byKey[key]
		if ok {
			if err := stateVersion(tx, s.ID, r.ID, n); err != nil {
				return err
			}
			if sameContent(s, n) && s.InReport && s.ReportID == r.ID {
				continue
			}
			err := tx.Exec(`UPDATE needs SET report_id = ?, area = ?, norm = ?, cmm = ?, type = ?, priority = ?, timeframe = ?,
				budget = ?, description = ?, in_report = ?, updated_at = ? WHERE id = ?`,
				r.ID, n.Area, n.Norm, n.CMM, n.Type, n.Priority, n.Timeframe, n.Budget, n.Description, true, now, s.ID).Error
			if err != nil {
				return err
			}
			if !sameContent(s, n) || !s.InReport {
				res.Updated++
			}
			continue
		}
		// A need carried into this cycle before the report was submitted,
		// and now stated in it again, becomes this row's need.
		var carried []int64
		err := tx.Raw(`SELECT id FROM needs WHERE state_iso3 = ? AND cycle_id = ? AND source_key LIKE ? AND question_code = ?
			AND description = ? ORDER BY id LIMIT 1`, r.StateISO3, r.CycleID, carriedPrefix+"%", n.Code, n.Description).Scan(&carried).Error
		if err != nil {
			return err
		}
		if len(carried) > 0 {
			err := tx.Exec(`UPDATE needs SET source_key = ?, report_id = ?, area = ?, norm = ?, cmm = ?, type = ?, priority = ?,
				timeframe = ?, budget = ?, in_report = ?, confirmed = ?, updated_at = ? WHERE id = ?`,
				key, r.ID, n.Area, n.Norm, n.CMM, n.Type, n.Priority, n.Timeframe, n.Budget, true, true, now, carried[0]).Error
			if err != nil {
				return err
			}
			if err := stateVersion(tx, carried[0], r.ID, n); err != nil {
				return err
			}
			var st string
			if err := tx.Raw("SELECT status FROM needs WHERE id = ?", carried[0]).Scan(&st).Error; err != nil {
				return err
			}
			if err := db.history(tx, "need_history", "need_id", carried[0], st, st, EventReported, strconv.Itoa(r.Version), actor); err != nil {
				return err
			}
			res.Updated++
			continue
		}
		var id int64
		err = tx.Raw(`INSERT INTO needs (state_iso3, cycle_id, source_key, question_code, report_id, area, norm, cmm, type, priority,
				timeframe, budget, description, status, in_report, confirmed, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			r.StateISO3, r.CycleID, key, n.Code, r.ID, n.Area, n.Norm, n.CMM, n.Type, n.Priority, n.Timeframe, n.Budget,
			n.Description, surveys.NeedOpen, true, true, now, now).Scan(&id).Error
		if err != nil {
			return err
		}
		if err := stateVersion(tx, id, r.ID, n); err != nil {
			return err
		}
		if err := db.history(tx, "need_history", "need_id", id, "", surveys.NeedOpen, EventReported, strconv.Itoa(r.Version), actor); err != nil {
			return err
		}
		res.Added++
	}
	for _, s := range stored {
		if seen[s.SourceKey] || !s.InReport {
			continue
		}
		to := s.Status
		if surveys.NeedIsOpen(s.Status) {
			to = surveys.NeedWithdrawn
		}
		if err := tx.Exec("UPDATE needs SET in_report = ?, status = ?, updated_at = ? WHERE id = ?", false, to, now, s.ID).Error; err != nil {
			return err
		}
		if err := db.history(tx, "need_history", "need_id", s.ID, s.Status, to, EventRemoved, strconv.Itoa(r.Version), actor); err != nil {
			return err
		}
		res.Removed++
	}
	return nil
}

// carryable lists the State's needs still open in cycles before cycleID
// and not carried forward yet.
func carryable(tx *gorm.DB, iso3 string, cycleID int64) ([]Need, error) {
	var old []Need
	err := tx.Raw(needSelect+`JOIN cycles cur ON cur.id = ?
		WHERE n.state_iso3 = ? AND c.opens_on < cur.opens_on AND n.status IN (?, ?)
		AND NOT EXISTS (SELECT 1 FROM needs k WHERE k.carried_from_id = n.id) ORDER BY n.id`,
		cycleID, iso3, surveys.NeedOpen, surveys.NeedDiscussion).Scan(&old).Error
	return old, err
}

// CarryableNeeds counts the State's needs that CarryNeeds would carry into
// the cycle.
func (db *DB) CarryableNeeds(ctx context.Context, iso3 string, cycleID int64) (int, error) {
	old, err := carryable(db.read(ctx), iso3, cycleID)
	return len(old), err
}

// CarryNeeds carries the State's needs still open in earlier cycles into
// the cycle now, before its report is submitted (submission does it too),
// and returns how many it carried. Audited.
func (db *DB) CarryNeeds(ctx context.Context, iso3 string, cycle *Cycle, actor Actor) (int, error) {
	var res SyncResult
	err := db.tx(ctx, func(tx *gorm.DB) error {
		r := &Report{StateISO3: iso3, CycleID: cycle.ID, CycleLabel: cycle.Label}
		if err := db.carryNeeds(tx, r, actor, &res); err != nil {
			return err
		}
		if res.Carried == 0 {
			return nil
		}
		e := actor.entry(ActionRegisterSync, 0)
		e.Detail = fmt.Sprintf("%s %s: %d needs carried forward", iso3, cycle.Label, res.Carried)
		return db.audit(ctx, tx, e)
	})
	return res.Carried, err
}

// carryNeeds carries the State's needs still open in earlier cycles, and
// not carried yet, into the cycle of report r (only its State, cycle id
// and label are used).
func (db *DB) carryNeeds(tx *gorm.DB, r *Report, actor Actor, res *SyncResult) error {
	old, err := carryable(tx, r.StateISO3, r.CycleID)
	if err != nil {
		return err
	}
	now := db.Now()
	for _, o := range old {
		// The same need stated again in this report: link it, do not copy it.
		var again []int64
		err := tx.Raw(`SELECT id FROM needs WHERE state_iso3 = ? AND cycle_id = ? AND question_code = ? AND description = ?
			AND carried_from_id IS NULL AND source_key NOT LIKE ? ORDER BY id LIMIT 1`,
			r.StateISO3, r.CycleID, o.QuestionCode, o.Description, carriedPrefix+"%").Scan(&again).Error
		if err != nil {
			return err
		}
		if len(again) > 0 {
			if err := tx.Exec("UPDATE needs SET carried_from_id = ? WHERE id = ?", o.ID, again[0]).Error; err != nil {
				return err
			}
			if err := db.history(tx, "need_history", "need_id", o.ID, o.Status, o.Status, EventStatedAgain, r.CycleLabel, actor); err != nil {
				return err
			}
			continue
		}
		var id int64
		err = tx.Raw(`INSERT INTO needs (state_iso3, cycle_id, source_key, question_code, report_id, area, norm, cmm, type, priority,
				timeframe, budget, description, status, in_report, carried_from_id, confirmed, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			r.StateISO3, r.CycleID, carriedPrefix+strconv.FormatInt(o.ID, 10), o.QuestionCode, o.ReportID, o.Area, o.Norm, o.CMM,
			o.Type, o.Priority, o.Timeframe, o.Budget, o.Description, surveys.NeedOpen, false, o.ID, false, now, now).Scan(&id).Error
		if err != nil {
			return err
		}
		if err := db.history(tx, "need_history", "need_id", id, "", surveys.NeedOpen, EventCarriedFrom, o.CycleLabel, actor); err != nil {
			return err
		}
		if err := db.history(tx, "need_history", "need_id", o.ID, o.Status, o.Status, EventCarriedTo, r.CycleLabel, actor); err != nil {
			return err
		}
		res.Carried++
	}
	return nil
}

// NeedChange is what happened when the State (or the secretariat for it)
// moved a need: the event that notices (mail to those who proposed offers
// for it) hook into.
type NeedChange struct {
	Need      Need // as stored after the change
	From, To  string
	Note      string
	By        Actor
	HistoryID int64   // the change's entry in the need's history
	Matches   []Match // every proposal made for the need, oldest first
}

// SetNeedStatus moves a need from status from to status to, if the domain
// allows it (surveys.CanMoveNeed, else ErrInvalid) and the need is still
// in from (ErrConflict otherwise). The change is dated in the need's
// history with the note, and audited; then (if not nil, e.g. queueing a
// notice) runs in the same transaction. Who may do it is the caller's rule.
func (db *DB) SetNeedStatus(ctx context.Context, needID int64, from, to, note string, actor Actor,
	then func(tx *gorm.DB, ch NeedChange) error) error {
	if !surveys.CanMoveNeed(from, to) {
		return fmt.Errorf("%w: a need cannot move from %q to %q", ErrInvalid, from, to)
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.moveNeed(ctx, tx, needID, from, to, "", note, actor); err != nil || then == nil {
			return err
		}
		ch := NeedChange{From: from, To: to, Note: note, By: actor}
		ns, err := scanNeeds(tx, "WHERE n.id = ?", needID)
		if err != nil {
			return err
		}
		ch.Need = ns[0]
		if err := tx.Raw("SELECT MAX(id) FROM need_history WHERE need_id = ?", needID).Scan(&ch.HistoryID).Error; err != nil {
			return err
		}
		if ch.Matches, err = scanMatches(tx, "WHERE m.need_id = ? ORDER BY m.id", needID); err != nil {
			return err
		}
		return then(tx, ch)
	})
}

func (db *DB) moveNeed(ctx context.Context, tx *gorm.DB, needID int64, from, to, event, note string, actor Actor) error {
	res := tx.Exec("UPDATE needs SET status = ?, updated_at = ? WHERE id = ? AND status = ?", to, db.Now(), needID, from)
	if res.Error != nil {
		return res.Error
	}
	var n []Need
	if err := tx.Raw(needSelect+"WHERE n.id = ?", needID).Scan(&n).Error; err != nil {
		return err
	}
	if len(n) == 0 {
		return ErrNotFound
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("%w: need %d is no longer %s", ErrConflict, needID, from)
	}
	if err := db.history(tx, "need_history", "need_id", needID, from, to, event, note, actor); err != nil {
		return err
	}
	e := actor.entry(ActionNeedStatus, n[0].ReportID)
	e.QuestionCode, e.OldValue, e.NewValue = n[0].QuestionCode, from, to
	e.Detail = fmt.Sprintf("need %d", needID)
	return db.audit(ctx, tx, e)
}

// NeedEdit is what the State may change of a need in the register: mostly
// for needs carried from an earlier cycle, which it confirms or edits.
type NeedEdit struct {
	Type, Priority, Timeframe, Description string
}

// EditNeed changes a need's type, priority, timeframe and description and
// marks it confirmed. Type and priority must be known values (ErrInvalid).
func (db *DB) EditNeed(ctx context.Context, needID int64, e NeedEdit, actor Actor) error {
	if e.Type != "" && !slices.Contains(surveys.AssistanceTypes, e.Type) || e.Priority != "" && !slices.Contains(surveys.NeedPriorities, e.Priority) {
		return fmt.Errorf("%w: type %q, priority %q", ErrInvalid, e.Type, e.Priority)
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		var n []Need
		if err := tx.Raw(needSelect+"WHERE n.id = ?", needID).Scan(&n).Error; err != nil {
			return err
		}
		if len(n) == 0 {
			return ErrNotFound
		}
		old := n[0]
		err := tx.Exec("UPDATE needs SET type = ?, priority = ?, timeframe = ?, description = ?, confirmed = ?, updated_at = ? WHERE id = ?",
			e.Type, e.Priority, e.Timeframe, e.Description, true, db.Now(), needID).Error
		if err != nil {
			return err
		}
		event := EventConfirmed
		if old.Type != e.Type || old.Priority != e.Priority || old.Timeframe != e.Timeframe || old.Description != e.Description {
			event = EventEdited
		}
		if err := db.history(tx, "need_history", "need_id", needID, old.Status, old.Status, event, "", actor); err != nil {
			return err
		}
		a := actor.entry(ActionNeedEdit, old.ReportID)
		a.QuestionCode = old.QuestionCode
		a.OldValue = strings.Join([]string{old.Type, old.Priority, old.Timeframe, old.Description}, " | ")
		a.NewValue = strings.Join([]string{e.Type, e.Priority, e.Timeframe, e.Description}, " | ")
		a.Detail = fmt.Sprintf("need %d %s", needID, event)
		return db.audit(ctx, tx, a)
	})
}
