package handlers

import (
	"context"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// TestAxeGaps runs axe-core on the capacity-gap page (with a cell opened),
// the side-by-side view and the compilation page, in English and Arabic,
// and fails on serious or critical violations.
func TestAxeGaps(t *testing.T) {
	axeSource, err := os.ReadFile("../testdata/axe.min.js")
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	bt := newBrowserTest(t, 5*time.Minute)
	bt.user("sec@un.org", models.RoleSecretariat, "")
	cy := currentCycle(bt.app)
	g := &gapsApp{app: bt.app, cycle: cy}
	g.file(t, cy, "FRA", strategy, models.StatusPublished, models.VisibilityPublic)
	g.file(t, cy, "JPN", map[string]surveys.Value{"II.a.1": {Status: surveys.StatusNo}}, models.StatusSubmitted, models.VisibilityRestricted)
	anon, sec := bt.tab(), bt.tab()
	sec.signIn("sec@un.org")
	gaps := "/cycles/" + cycleLabel + "/gaps"
	pages := []struct {
		b    *tab
		who  string
		path string
	}{
		{anon, "anonymous", gaps + "?"},
		{anon, "anonymous", gaps + "?norm=a&group=Western+European+and+Others&"},
		{anon, "anonymous", "/compare?cycle=" + cycleLabel + "&part=II&states=FRA,JPN&"},
		{sec, "secretariat", gaps + "?"},
		{sec, "secretariat", "/cycles/" + cycleLabel + "/compilation?"},
	}
	for _, p := range pages {
		for _, lang := range []string{"en", "ar"} {
			t.Run(p.who+" "+p.path+" "+lang, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(p.b.ctx, browserTimeout)
				defer cancel()
				b := p.b.in(t, ctx)
				if got := b.open(p.path + "lang=" + lang); got != http.StatusOK {
					t.Fatalf("status %d", got)
				}
				b.axe(axeSource)
			})
		}
	}
}
