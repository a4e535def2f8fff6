package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/natreport/natreport/surveys"
)

// Organisation is a donor or provider organisation; donor accounts belong
// to one.
type Organisation struct {
	ID        int64     `gorm:"column:id"`
	Name      string    `gorm:"column:name"`
	CreatedAt time.Time `gorm:"column:created_at"`
}

// EnsureOrganisation returns the organisation called name, creating it if
// there is none.
func (db *DB) EnsureOrganisation(ctx context.Context, name string) (*Organisation, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 200 {
		return nil, fmt.Errorf("%w: organisation name %q", ErrInvalid, name)
	}
	var out []Organisation
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Raw("SELECT id, name, created_at FROM organisations WHERE name = ?", name).Scan(&out).Error; err != nil || len(out) > 0 {
			return err
		}
		o := Organisation{Name: name, CreatedAt: db.Now()}
		if err := tx.Raw("INSERT INTO organisations (name, created_at) VALUES (?, ?) RETURNING id", o.Name, o.CreatedAt).Scan(&o.ID).Error; err != nil {
			return err
		}
		out = []Organisation{o}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

// ListOrganisations lists the organisations by name.
func (db *DB) ListOrganisations(ctx context.Context) ([]Organisation, error) {
	var out []Organisation
	err := db.read(ctx).Raw("SELECT id, name, created_at FROM organisations ORDER BY name").Scan(&out).Error
	return out, err
}

// UserOrganisation returns the organisation of a user; ErrNotFound when
// the user belongs to none.
func (db *DB) UserOrganisation(ctx context.Context, userID int64) (*Organisation, error) {
	var out []Organisation
	err := db.read(ctx).Raw(`SELECT o.id, o.name, o.created_at FROM organisations o JOIN users u ON u.organisation_id = o.id
		WHERE u.id = ?`, userID).Scan(&out).Error
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, ErrNotFound
	}
	return &out[0], nil
}

// UserOrganisations maps user ids to the names of their organisations.
func (db *DB) UserOrganisations(ctx context.Context) (map[int64]string, error) {
	var rows []struct {
		ID   int64  `gorm:"column:id"`
		Name string `gorm:"column:name"`
	}
	err := db.read(ctx).Raw("SELECT u.id, o.name FROM users u JOIN organisations o ON o.id = u.organisation_id").Scan(&rows).Error
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, err
}

// SetUserOrganisation puts a user in the organisation called name (made
// if new), or in none when name is "". Audited.
func (db *DB) SetUserOrganisation(ctx context.Context, userID int64, name string, actor Actor) error {
	var orgID any
	if strings.TrimSpace(name) != "" {
		o, err := db.EnsureOrganisation(ctx, name)
		if err != nil {
			return err
		}
		orgID = o.ID
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := updateUser(tx, userID, "UPDATE users SET organisation_id = ? WHERE id = ?", orgID, userID); err != nil {
			return err
		}
		e := actor.entry(ActionUserOrganisation, 0)
		e.NewValue = strings.TrimSpace(name)
		e.Detail = fmt.Sprintf("user %d", userID)
		return db.audit(ctx, tx, e)
	})
}

// Offer is one offer of assistance: a row of a State's offers table
// (ReportID set; who may read it follows that report version) or an offer
// a donor organisation recorded (OrganisationID set; every signed-in
// person may read it). Regions is free text for report offers and the
// regional groups chosen for recorded ones; no regions and no States
// means the offer serves everyone.
type Offer struct {
	ID             int64     `gorm:"column:id"`
	StateISO3      string    `gorm:"column:state_iso3"`
	CycleLabel     string    `gorm:"column:cycle_label"`
	ReportID       int64     `gorm:"column:report_id"`
	ReportStatus   string    `gorm:"column:report_status"`
	ReportVis      string    `gorm:"column:report_visibility"`
	SourceKey      string    `gorm:"column:source_key"`
	OrganisationID int64     `gorm:"column:organisation_id"`
	Organisation   string    `gorm:"column:organisation"`
	Provider       string    `gorm:"column:provider"`
	AreasText      string    `gorm:"column:areas"`
	TypesText      string    `gorm:"column:types"`
	Regions        string    `gorm:"column:regions"`
	StatesText     string    `gorm:"column:states_served"`
	Modality       string    `gorm:"column:modality"`
	Period         string    `gorm:"column:period"`
	Contact        string    `gorm:"column:contact"`
	Description    string    `gorm:"column:description"`
	Active         bool      `gorm:"column:active"`
	CreatedBy      int64     `gorm:"column:created_by"`
	CreatedAt      time.Time `gorm:"column:created_at"`
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// Areas are the offer's areas of assistance.
func (o *Offer) Areas() []string { return splitList(o.AreasText) }

// Types are the offer's types of assistance.
func (o *Offer) Types() []string { return splitList(o.TypesText) }

// States are the ISO3 codes of the States the offer names.
func (o *Offer) States() []string { return splitList(o.StatesText) }

// FromReport reports whether the offer is a row of a State's report.
func (o *Offer) FromReport() bool { return o.ReportID != 0 }

// Readable reports whether reader may read the offer: report offers as
// their report version (surveys.Audience), recorded offers when signed in.
func (o *Offer) Readable(reader surveys.Reader) bool {
	if o.FromReport() {
		_, ok := surveys.Audience(reader, surveys.ReportRef{StateISO3: o.StateISO3, Status: o.ReportStatus, Visibility: o.ReportVis})
		return ok
	}
	return reader.Role != ""
}

// ForMatching is what surveys.Suggest needs of the offer.
func (o *Offer) ForMatching() surveys.MatchOffer {
	groups, global := surveys.RegionsServed(o.Regions)
	states := o.States()
	if len(states) > 0 && strings.TrimSpace(o.Regions) == "" {
		groups, global = nil, false
	}
	return surveys.MatchOffer{ID: o.ID, Areas: o.Areas(), Types: o.Types(), Groups: groups, States: states, Global: global}
}

const offerSelect = `SELECT f.id, COALESCE(f.state_iso3, '') AS state_iso3, COALESCE(c.label, '') AS cycle_label,
	COALESCE(f.report_id, 0) AS report_id, COALESCE(r.status, '') AS report_status, COALESCE(r.visibility, '') AS report_visibility,
	f.source_key, COALESCE(f.organisation_id, 0) AS organisation_id, COALESCE(o.name, '') AS organisation, f.provider,
	f.areas, f.types, f.regions, f.states_served, f.modality, f.period, f.contact, f.description, f.active, f.created_by, f.created_at
	FROM offers f LEFT JOIN cycles c ON c.id = f.cycle_id LEFT JOIN reports r ON r.id = f.report_id
	LEFT JOIN organisations o ON o.id = f.organisation_id `

// OfferFilter narrows a list of offers; empty fields do not filter.
type OfferFilter struct {
	Area, Type     string
	OrganisationID int64
	ActiveOnly     bool
}

func scanOffers(q *gorm.DB, where string, args ...any) ([]Offer, error) {
	var out []Offer
	err := q.Raw(offerSelect+where, args...).Scan(&out).Error
	for i := range out {
		out[i].CreatedAt = out[i].CreatedAt.UTC()
	}
	return out, err
}

// ListOffers lists the offers reader may read that pass the filter,
// recorded offers first, then by provider and id.
func (db *DB) ListOffers(ctx context.Context, reader surveys.Reader, f OfferFilter) ([]Offer, error) {
	var conds []string
	var args []any
	if f.OrganisationID != 0 {
		conds, args = append(conds, "f.organisation_id = ?"), append(args, f.OrganisationID)
	}
	if f.ActiveOnly {
		conds, args = append(conds, "f.active = ?"), append(args, true)
	}
	where := ""
	if len(conds) > 0 {
		where = "WHERE " + strings.Join(conds, " AND ") + " "
	}
	all, err := scanOffers(db.read(ctx), where+"ORDER BY f.report_id IS NOT NULL, f.provider, f.id", args...)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, o := range all {
		if !o.Readable(reader) || f.Area != "" && !slices.Contains(o.Areas(), f.Area) || f.Type != "" && !slices.Contains(o.Types(), f.Type) {
			continue
		}
		out = append(out, o)
	}
	return out, nil
}

// GetOffer returns the offer with id if reader may read it (ErrNotFound otherwise).
func (db *DB) GetOffer(ctx context.Context, reader surveys.Reader, id int64) (*Offer, error) {
	os, err := scanOffers(db.read(ctx), "WHERE f.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(os) == 0 || !os[0].Readable(reader) {
		return nil, ErrNotFound
	}
	return &os[0], nil
}

// OfferErrors maps the fields of a recorded offer to message keys.
type OfferErrors map[string]string

// Check validates a recorded offer: a provider, at least one area and one
// type, all known values, lengths within limits. It trims text fields.
func (o *Offer) Check() OfferErrors {
	errs := OfferErrors{}
	for _, p := range []*string{&o.Provider, &o.Regions, &o.StatesText, &o.Modality, &o.Period, &o.Contact, &o.Description} {
		*p = strings.TrimSpace(*p)
	}
	if o.Provider == "" {
		errs["provider"] = surveys.ErrRequired
	}
	checkList := func(field string, vals, allowed []string) {
		if len(vals) == 0 {
			errs[field] = surveys.ErrRequired
		}
		for _, v := range vals {
			if !slices.Contains(allowed, v) {
				errs[field] = surveys.ErrOption
			}
		}
	}
	checkList("areas", o.Areas(), surveys.Areas)
	checkList("types", o.Types(), surveys.AssistanceTypes)
	for _, g := range splitList(strings.ReplaceAll(o.Regions, ";", ",")) {
		if !slices.Contains(surveys.RegionalGroups, g) {
			errs["regions"] = surveys.ErrOption
		}
	}
	for _, s := range o.States() {
		if len(s) != 3 || strings.ToUpper(s) != s {
			errs["states"] = surveys.ErrOption
		}
	}
	if o.Modality != "" && !slices.Contains(surveys.Modalities, o.Modality) {
		errs["modality"] = surveys.ErrOption
	}
	for field, s := range map[string]string{"provider": o.Provider, "period": o.Period, "contact": o.Contact, "states": o.StatesText} {
		if utf8.RuneCountInString(s) > surveys.DefaultShortLength {
			errs[field] = surveys.ErrTooLong
		}
	}
	if utf8.RuneCountInString(o.Description) > surveys.DefaultChallengesLength {
		errs["description"] = surveys.ErrTooLong
	}
	return errs
}

// CreateOffer records an offer of the organisation o.OrganisationID (which
// must be set) and fills its id. Invalid offers are ErrInvalid (see Check).
func (db *DB) CreateOffer(ctx context.Context, o *Offer, actor Actor) error {
	if o.OrganisationID == 0 {
		return fmt.Errorf("%w: an offer needs an organisation", ErrInvalid)
	}
	if errs := o.Check(); len(errs) > 0 {
		return fmt.Errorf("%w: offer fields %v", ErrInvalid, errs)
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		now := db.Now()
		err := tx.Raw(`INSERT INTO offers (organisation_id, provider, areas, types, regions, states_served, modality, period, contact,
				description, active, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			o.OrganisationID, o.Provider, o.AreasText, o.TypesText, o.Regions, o.StatesText, o.Modality, o.Period, o.Contact,
			o.Description, true, actor.UserID, now, now).Scan(&o.ID).Error
		if err != nil {
			return err
		}
		o.Active, o.CreatedBy, o.CreatedAt = true, actor.UserID, now
		e := actor.entry(ActionOfferCreate, 0)
		e.NewValue = o.summary()
		e.Detail = fmt.Sprintf("offer %d", o.ID)
		return db.audit(ctx, tx, e)
	})
}

// OfferHistory lists the changes of a recorded offer, oldest first.
func (db *DB) OfferHistory(ctx context.Context, offerID int64) ([]HistoryEntry, error) {
	return scanHistory(db.read(ctx), "offer_history", "offer_id", offerID)
}

// recordedOffer reads the recorded (not report) offer id for a change:
// ErrNotFound for none or a report's offer, ErrConflict once withdrawn.
func recordedOffer(tx *gorm.DB, id int64) (*Offer, error) {
	os, err := scanOffers(tx, "WHERE f.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(os) == 0 || os[0].OrganisationID == 0 {
		return nil, ErrNotFound
	}
	if !os[0].Active {
		return nil, fmt.Errorf("%w: offer %d is withdrawn", ErrConflict, id)
	}
	return &os[0], nil
}

func (o *Offer) summary() string { return o.Provider + ": " + o.AreasText + " / " + o.TypesText }

const (
	offerActive    = "active"
	offerWithdrawn = "withdrawn"
)

// UpdateOffer saves the fields of a recorded offer still active (o.ID set;
// its organisation stays). Invalid fields are ErrInvalid (see Check).
// Audited, and kept in the offer's history. Who may edit is the caller's
// rule: the organisation's donors or the secretariat.
func (db *DB) UpdateOffer(ctx context.Context, o *Offer, actor Actor) error {
	if errs := o.Check(); len(errs) > 0 {
		return fmt.Errorf("%w: offer fields %v", ErrInvalid, errs)
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		old, err := recordedOffer(tx, o.ID)
		if err != nil {
			return err
		}
		err = tx.Exec(`UPDATE offers SET provider = ?, areas = ?, types = ?, regions = ?, states_served = ?, modality = ?, period = ?,
				contact = ?, description = ?, updated_at = ? WHERE id = ?`,
			o.Provider, o.AreasText, o.TypesText, o.Regions, o.StatesText, o.Modality, o.Period, o.Contact, o.Description, db.Now(), o.ID).Error
		if err != nil {
			return err
		}
		if err := db.history(tx, "offer_history", "offer_id", o.ID, offerActive, offerActive, EventOfferEdited, "", actor); err != nil {
			return err
		}
		e := actor.entry(ActionOfferEdit, 0)
		e.OldValue, e.NewValue = old.summary(), o.summary()
		e.Detail = fmt.Sprintf("offer %d", o.ID)
		return db.audit(ctx, tx, e)
	})
}

// WithdrawOffer withdraws a recorded offer: it is no longer active, no
// longer suggested or proposed, and its pending proposals are withdrawn
// with it, then (if not nil) called for each in the same transaction.
// Audited, with history. Who may is the caller's rule.
func (db *DB) WithdrawOffer(ctx context.Context, offerID int64, note string, actor Actor,
	then func(tx *gorm.DB, w MatchWithdrawal) error) error {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxMatchMessage {
		return fmt.Errorf("%w: note too long", ErrInvalid)
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		o, err := recordedOffer(tx, offerID)
		if err != nil {
			return err
		}
		if err := tx.Exec("UPDATE offers SET active = ?, updated_at = ? WHERE id = ?", false, db.Now(), offerID).Error; err != nil {
			return err
		}
		if err := db.history(tx, "offer_history", "offer_id", offerID, offerActive, offerWithdrawn, "", note, actor); err != nil {
			return err
		}
		var pending []int64
		if err := tx.Raw("SELECT id FROM matches WHERE offer_id = ? AND status = ? ORDER BY id", offerID, surveys.MatchProposed).Scan(&pending).Error; err != nil {
			return err
		}
		for _, id := range pending {
			if err := db.withdrawMatch(ctx, tx, id, note, actor, true, then); err != nil {
				return err
			}
		}
		e := actor.entry(ActionOfferWithdraw, 0)
		e.OldValue, e.NewValue = offerActive, offerWithdrawn
		e.Detail = fmt.Sprintf("offer %d (%s), %d pending proposals withdrawn", offerID, o.Provider, len(pending))
		return db.audit(ctx, tx, e)
	})
}

// syncOffers adds or updates the offers of report r under their key and
// makes those no longer in the report inactive.
func (db *DB) syncOffers(tx *gorm.DB, r *Report, offers []surveys.Offer, res *SyncResult) error {
	var name string
	if err := tx.Raw("SELECT name FROM states WHERE iso3 = ?", r.StateISO3).Scan(&name).Error; err != nil {
		return err
	}
	var stored []struct {
		ID        int64  `gorm:"column:id"`
		SourceKey string `gorm:"column:source_key"`
		Active    bool   `gorm:"column:active"`
	}
	if err := tx.Raw("SELECT id, source_key, active FROM offers WHERE state_iso3 = ? AND cycle_id = ?", r.StateISO3, r.CycleID).Scan(&stored).Error; err != nil {
		return err
	}
	ids := map[string]int64{}
	for _, s := range stored {
		ids[s.SourceKey] = s.ID
	}
	now := db.Now()
	seen := map[string]bool{}
	for _, o := range offers {
		key := offerKey(o)
		seen[key] = true
		if id, ok := ids[key]; ok {
			err := tx.Exec(`UPDATE offers SET report_id = ?, provider = ?, areas = ?, types = ?, regions = ?, modality = ?,
				description = ?, active = ?, updated_at = ? WHERE id = ?`,
				r.ID, name, o.Area, o.Type, o.Regions, o.Modality, o.Description, true, now, id).Error
			if err != nil {
				return err
			}
			res.Offers++
			continue
		}
		err := tx.Exec(`INSERT INTO offers (state_iso3, cycle_id, report_id, source_key, provider, areas, types, regions, modality,
				description, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.StateISO3, r.CycleID, r.ID, key, name, o.Area, o.Type, o.Regions, o.Modality, o.Description, true, now, now).Error
		if err != nil {
			return err
		}
		res.Offers++
	}
	for _, s := range stored {
		if seen[s.SourceKey] || !s.Active {
			continue
		}
		if err := tx.Exec("UPDATE offers SET active = ?, updated_at = ? WHERE id = ?", false, now, s.ID).Error; err != nil {
			return err
		}
		res.OffersRemoved++
	}
	return nil
}
