package handlers

import (
	"context"
	"fmt"
	"sync"

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
	rk := readerKey(reader)
	if rk == "" {
		return s.readCycleCodes(ctx, reader, cy, true)
	}
	fp, err := s.compilationFingerprint(ctx, cy)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("%p|%d|%s|%s", s.db, cy.ID, rk, fp)
	gapCache.Lock()
	d, ok := gapCache.m[key]
	gapCache.Unlock()
	if ok {
		return d, nil
	}
	d, err = s.readCycleCodes(ctx, reader, cy, true)
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
