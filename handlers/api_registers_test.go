package handlers

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"testing"

	"github.com/natreport/natreport/models"
)

// apiTokenOf makes a token for the user with email.
func apiTokenOf(t *testing.T, a *app, email string) string {
	t.Helper()
	u, err := a.db.GetUserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := a.db.CreateAPIToken(context.Background(), u.ID, "test", nil, models.Actor{UserID: u.ID})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// registerReaders are the readers of the needs fixture (newNeedsApp) with
// the States whose needs and reports each may read.
var registerReaders = []struct {
	who, email string
	sees       []string
}{
	{"Senegal", "fp@sn.example", []string{"BRA", "EST", "FJI", "KEN", "SEN"}},
	{"Kenya", "fp@ke.example", []string{"BRA", "EST", "FJI", "KEN"}},
	{"secretariat", "sec@un.example", []string{"BRA", "CHL", "EST", "FJI", "KEN"}},
	{"donor", "donor@fund.example", []string{"EST", "FJI", "KEN"}},
	{"anonymous", "", []string{"EST"}},
}

func TestAPINeedsAndOffers(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		na := newNeedsApp(t, a)
		offerID := na.offer(t, na.orgID, "critical-infrastructure", "training")
		for _, r := range registerReaders {
			t.Run(r.who, func(t *testing.T) {
				tok := ""
				if r.email != "" {
					tok = apiTokenOf(t, a, r.email)
				}
				// Needs: exactly those of the readable reports, each once, walked by pages of 2.
				var states []string
				path := "/api/v1/needs?limit=2"
				for path != "" {
					w := apiGet(a, tok, path)
					var page apiList[apiNeed]
					decodeJSON(t, w, http.StatusOK, &page)
					checkSchema(t, "NeedList", w.Body.Bytes())
					for _, n := range page.Items {
						states = append(states, n.State)
						if n.Description != needText(n.State) || n.Norm != "g" || n.Priority != "high" || n.Source != "row" || n.Cycle != needsCycle {
							t.Errorf("need %+v", n)
						}
					}
					path = ""
					if page.Next != nil {
						path = *page.Next
					}
				}
				sort.Strings(states)
				if !slices.Equal(states, r.sees) {
					t.Errorf("needs of %v, want %v", states, r.sees)
				}
				// The filters of /needs, and their refusals.
				var page apiList[apiNeed]
				decodeJSON(t, apiGet(a, tok, "/api/v1/needs?state=EST&priority=high"), http.StatusOK, &page)
				if len(page.Items) != 1 || page.Items[0].State != "EST" {
					t.Errorf("EST filter: %+v", page.Items)
				}
				decodeJSON(t, apiGet(a, tok, "/api/v1/needs?priority=low"), http.StatusOK, &page)
				if len(page.Items) != 0 {
					t.Errorf("low priority: %+v", page.Items)
				}
				wantAPIError(t, apiGet(a, tok, "/api/v1/needs?priority=urgent"), http.StatusBadRequest)
				wantAPIError(t, apiGet(a, tok, "/api/v1/needs?limit=0"), http.StatusBadRequest)

				// Offers: the recorded one to those signed in, never to the public.
				w := apiGet(a, tok, "/api/v1/offers")
				var offers apiList[apiOffer]
				decodeJSON(t, w, http.StatusOK, &offers)
				checkSchema(t, "OfferList", w.Body.Bytes())
				var ids []int64
				for _, o := range offers.Items {
					ids = append(ids, o.ID)
				}
				if want := r.email != ""; slices.Contains(ids, offerID) != want {
					t.Errorf("recorded offer listed: %v, want %v", !want, want)
				}
				decodeJSON(t, apiGet(a, tok, "/api/v1/offers?type=legal-drafting"), http.StatusOK, &offers)
				if len(offers.Items) != 0 {
					t.Errorf("type filter: %+v", offers.Items)
				}
				wantAPIError(t, apiGet(a, tok, "/api/v1/offers?area=nowhere"), http.StatusBadRequest)
			})
		}
	})
}
