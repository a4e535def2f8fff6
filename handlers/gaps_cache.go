package handlers

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/natreport/natreport/internal/every"
	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// gapCache keeps computed gap summaries, without the answers they were
// computed from, keyed by database, cycle, kind of reader and the
// fingerprint of the cycle's versions: a summary is reused until a report
// of the cycle (or of the one before) changes status, visibility or
// version. Readers from a State are never cached: their own drafts change
// without changing the fingerprint.
var gapCache = struct {
	sync.Mutex
	m map[string]*cycleData
}{m: map[string]*cycleData{}}

// gapCacheSize bounds the cache; when full it starts afresh.
const gapCacheSize = 64

// readerKey is the kind of reader for the cache, "" when not cacheable.
func readerKey(r surveys.Reader) string {
	switch r.Role {
	case models.RoleSecretariat, models.RoleAdmin:
		return "secretariat"
	case models.RoleDonor:
		return "donor"
	case "":
		return "public"
	}
	return ""
}

// readGaps is readCycle for pages and exports that need the summary but
// not the answers: d.states carry only the answers the summary reads, or
// none when it comes from the cache.
func (s *Server) readGaps(ctx context.Context, reader surveys.Reader, cy *models.Cycle) (*cycleData, error) {
	if readerKey(reader) == "" {
		return s.readCycleCodes(ctx, reader, cy, true)
	}
	fp, err := s.compilationFingerprint(ctx, cy)
	if err != nil {
		return nil, err
	}
	return s.readGapsAt(ctx, reader, cy, fp)
}

// readGapsAt is readGaps for a cacheable reader, the cycle's data being
// at fingerprint fp.
func (s *Server) readGapsAt(ctx context.Context, reader surveys.Reader, cy *models.Cycle, fp string) (*cycleData, error) {
	key := s.gapKey(reader, cy, fp)
	gapCache.Lock()
	d, ok := gapCache.m[key]
	gapCache.Unlock()
	if ok {
		return d, nil
	}
	d, err := s.readCycleCodes(ctx, reader, cy, true)
	if err != nil {
		return nil, err
	}
	light := *d
	light.states = make([]surveys.GapState, len(d.states))
	for i, st := range d.states {
		st.Answers = nil
		light.states[i] = st
	}
	gapCache.Lock()
	if len(gapCache.m) >= gapCacheSize {
		gapCache.m = map[string]*cycleData{}
	}
	gapCache.m[key] = &light
	gapCache.Unlock()
	return d, nil
}

// warmReaders are the kinds of reader whose gap summaries are cached.
var warmReaders = []surveys.Reader{{Role: models.RoleSecretariat}, {Role: models.RoleDonor}, {}}

// warmGaps keeps the gap summaries of every cycle ready for the kinds of
// reader the cache serves, until ctx ends: every period it reads each
// cycle's fingerprint (one cheap query) and computes only the summaries
// whose data changed. Without it the first reader after any change of a
// report or need waits for the computation (about 200 ms of CPU at 193
// States); with it, only a reader within one period of a change does.
func (s *Server) warmGaps(ctx context.Context, period time.Duration) {
	every.Period(ctx, period, func(ctx context.Context) {
		if err := s.warmGapsOnce(ctx); err != nil && ctx.Err() == nil {
			s.log.WarnContext(ctx, "keeping gap summaries ready", "err", err)
		}
	})
}

// warmGapsOnce makes sure the cache holds the current gap summary of each
// cycle for each kind of reader it serves.
func (s *Server) warmGapsOnce(ctx context.Context) error {
	cycles, err := s.db.ListCycles(ctx)
	if err != nil {
		return err
	}
	for i := range cycles {
		fp, err := s.compilationFingerprint(ctx, &cycles[i])
		if err != nil {
			return err
		}
		for _, r := range warmReaders {
			if _, err := s.readGapsAt(ctx, r, &cycles[i], fp); err != nil {
				return err
			}
		}
	}
	return nil
}

// gapKey is the cache key of cy's gap summary for a cacheable reader, the
// cycle's data being at fingerprint fp.
func (s *Server) gapKey(reader surveys.Reader, cy *models.Cycle, fp string) string {
	return fmt.Sprintf("%p|%d|%s|%s", s.db, cy.ID, readerKey(reader), fp)
}
