package handlers

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/natreport/natreport/models"
)

// TestAxeTokens checks the token page with axe-core in English and
// Arabic: empty, after making a token (shown once), with a refused form,
// and with active and revoked tokens listed; made and revoked with the
// keyboard, without the page script.
func TestAxeTokens(t *testing.T) {
	axeSource, err := os.ReadFile("../testdata/axe.min.js")
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	bt := newBrowserTest(t, 5*time.Minute)
	bt.user("donor@d.example", models.RoleDonor, "")
	b := bt.tab()
	b.signIn("donor@d.example")

	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(b.ctx, 2*browserTimeout)
			defer cancel()
			b := b.in(t, ctx)
			b.openOK("/account/tokens?lang=" + lang)
			if dir := jsValue[string](b, `document.documentElement.dir`); lang == "ar" && dir != "rtl" || lang == "en" && dir != "ltr" {
				t.Errorf("dir %q", dir)
			}
			b.axe(axeSource)

			// A refused form: the error is announced beside the field.
			b.do("type a name and a past date", chromedp.SendKeys(chromedp.ID("name"), "Sync "+lang),
				chromedp.SetValue(chromedp.ID("expires"), "2001-01-01"))
			if st := b.press(`form[action="/account/tokens"] button[type="submit"]`); st != http.StatusUnprocessableEntity {
				t.Fatalf("past date: status %d", st)
			}
			if !b.js(`document.getElementById('expires').getAttribute('aria-invalid')==='true' && !!document.getElementById('expires-error') && document.getElementById('name').value.startsWith('Sync')`) {
				t.Errorf("the refused form lost its input or its error")
			}
			b.axe(axeSource)

			// Made: the token is shown once, then listed.
			b.do("clear the date", chromedp.SetValue(chromedp.ID("expires"), ""))
			if st := b.press(`form[action="/account/tokens"] button[type="submit"]`); st != http.StatusOK {
				t.Fatalf("make: status %d", st)
			}
			token := b.text("#new-token")
			if !strings.HasPrefix(token, models.APITokenPrefix) {
				t.Fatalf("token %q", token)
			}
			b.axe(axeSource)

			// Revoked with the keyboard: listed as revoked, the API refuses it.
			if st := b.press(`tbody tr:first-child form button`); st != http.StatusOK {
				t.Fatalf("revoke: status %d", st)
			}
			if b.js(`!!document.querySelector('tbody tr:first-child form')`) {
				t.Errorf("the revoked token can still be revoked")
			}
			wantAPIError(t, apiGet(bt.app, token, "/api/v1/cycles"), http.StatusUnauthorized)
			b.axe(axeSource)
		})
	}
}
