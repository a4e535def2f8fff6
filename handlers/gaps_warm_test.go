package handlers

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// TestGapsKeptReady: the warmer computes the gap summary of every cycle
// for the secretariat, donors and the public once their data changed, so
// that readers find it ready; a State's reader is never cached.
func TestGapsKeptReady(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		g := newGapsApp(t, a)
		fra := g.file(t, g.cycle, "FRA", strategy, models.StatusPublished, models.VisibilityPublic)
		s := newServer(a.db, builtinTemplates, Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		cached := func(r surveys.Reader) bool {
			t.Helper()
			ok, err := s.gapCached(ctx, r, g.cycle)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		for _, r := range warmReaders {
			if cached(r) {
				t.Fatalf("%+v: a summary cached before any reader or warm-up", r)
			}
		}
		if err := s.warmGapsOnce(ctx); err != nil {
			t.Fatal(err)
		}
		for _, r := range warmReaders {
			if !cached(r) {
				t.Errorf("%+v: no summary ready after the warm-up", r)
			}
		}
		if cached(surveys.Reader{Role: models.RoleFocalPoint, StateISO3: "KEN"}) {
			t.Errorf("a State's reader is cached")
		}
		// A change makes the summaries stale; the next pass makes them again.
		if err := a.db.SetVisibility(ctx, fra.ID, models.VisibilityDonors, models.Actor{Email: "test"}); err != nil {
			t.Fatal(err)
		}
		if cached(warmReaders[0]) {
			t.Fatalf("the summary of before the change is taken as current")
		}
		// The background loop of New does the same on its own.
		bg, stop := context.WithCancel(ctx)
		defer stop()
		New(a.db, builtinTemplates, Config{Background: bg, GapWarmEvery: 20 * time.Millisecond}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		deadline := time.Now().Add(20 * time.Second)
		for !cached(warmReaders[1]) || !cached(warmReaders[2]) || !cached(warmReaders[0]) {
			if time.Now().After(deadline) {
				t.Fatal("the background warm-up did not make the summaries after a change")
			}
			time.Sleep(20 * time.Millisecond)
		}
		// What it made is what a reader gets: donors now read France's
		// report, which the cached summary counts as shared.
		d, err := s.readGaps(ctx, warmReaders[1], g.cycle)
		if err != nil {
			t.Fatal(err)
		}
		shared := false
		for _, st := range d.states {
			shared = shared || (st.ISO3 == "FRA" && st.Shared)
		}
		if !shared {
			t.Errorf("the donors' cached summary does not count France's report, now published to donors")
		}
	})
}

// gapCached reports whether the cache holds the current summary of cy for
// reader.
func (s *Server) gapCached(ctx context.Context, reader surveys.Reader, cy *models.Cycle) (bool, error) {
	if readerKey(reader) == "" {
		return false, nil
	}
	fp, err := s.compilationFingerprint(ctx, cy)
	if err != nil {
		return false, err
	}
	gapCache.Lock()
	defer gapCache.Unlock()
	_, ok := gapCache.m[s.gapKey(reader, cy, fp)]
	return ok, nil
}
