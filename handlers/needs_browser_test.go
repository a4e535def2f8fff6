package handlers

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/natreport/natreport/models"
)

// TestAxeNeeds runs axe-core on the pages of the needs and offers
// registers, as the roles that use them, in English and Arabic.
func TestAxeNeeds(t *testing.T) {
	axeSource, err := os.ReadFile("../testdata/axe.min.js")
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	bt := newBrowserTest(t, 10*time.Minute)
	na := newNeedsApp(t, bt.app)
	offer := na.offer(t, na.orgID, "critical-infrastructure", "technical-assistance")
	d, err := na.db.GetUserByEmail(context.Background(), "donor@fund.example")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := na.db.ProposeMatch(context.Background(), na.need["KEN"], offer, "We can help", models.Actor{UserID: d.ID, Email: d.Email}); err != nil {
		t.Fatal(err)
	}
	bt.user("admin@un.example", models.RoleAdmin, "")

	anon, focal, sec, donor, admin := bt.tab(), bt.tab(), bt.tab(), bt.tab(), bt.tab()
	focal.signIn("fp@ke.example")
	sec.signIn("sec@un.example")
	donor.signIn("donor@fund.example")
	admin.signIn("admin@un.example")

	check := func(b *tab, who, path string, status int64) {
		for _, lang := range []string{"en", "ar"} {
			t.Run(who+" "+path+" "+lang, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(b.ctx, browserTimeout)
				defer cancel()
				b := b.in(t, ctx)
				sep := "?"
				if strings.Contains(path, "?") {
					sep = "&"
				}
				if got := b.open(path + sep + "lang=" + lang); got != status {
					t.Fatalf("status %d, want %d; page: %.300s", got, status, b.text("main"))
				}
				b.axe(axeSource)
			})
		}
	}
	kenNeed := needPath(na.need["KEN"])
	check(anon, "anonymous", "/needs", http.StatusOK)
	check(focal, "focal point", "/needs", http.StatusOK)
	check(focal, "focal point", kenNeed, http.StatusOK)
	check(sec, "secretariat", "/needs?group=African&status=discussion", http.StatusOK)
	check(sec, "secretariat", "/offers", http.StatusOK)
	check(donor, "donor", "/donor", http.StatusOK)
	check(donor, "donor", kenNeed, http.StatusOK)
	check(donor, "donor", "/offers/"+itoa(offer), http.StatusOK)
	check(donor, "donor", "/offers-new", http.StatusOK)
	check(admin, "admin", "/admin/organisations", http.StatusOK)
}
