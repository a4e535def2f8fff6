package handlers

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/natreport/natreport/models"
)

// submitDuringSave makes the next save submit iso3's report after the
// handler's own checks and just before the store writes: the race of a
// colleague submitting while a section is being saved.
func submitDuringSave(t *testing.T, db *models.DB, iso3 string, by *models.User) {
	t.Helper()
	saveHooks.before = func() {
		saveHooks.before = nil
		r, err := db.GetReport(context.Background(), iso3, "2026-2027", 0)
		if err != nil {
			t.Error(err)
			return
		}
		if err := db.SetReportStatus(context.Background(), r.ID, models.StatusDraft, models.StatusSubmitted,
			models.Actor{UserID: by.ID, Email: by.Email}); err != nil {
			t.Error(err)
		}
	}
	t.Cleanup(func() { saveHooks.before = nil })
}

// TestSaveRefusedAsReadOnly: a report submitted between the checks of a
// save and its write is refused inside the store (ErrReadOnly): 409 on
// the section form, with the person's text kept in it, and 409 on
// autosave; nothing is stored.
func TestSaveRefusedAsReadOnly(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		ra := newReportApp(t, a)
		ra.start(t)
		const typed = "typed while a colleague submitted"

		submitDuringSave(t, a.db, "JPN", ra.fpUser)
		w := ra.fp.post(base+"/sections/II.a", url.Values{"v.II.a.1": {"0"}, "II.a.1.status": {"yes"}, "II.a.1.challenges": {typed}})
		wantStatus(t, w, http.StatusConflict)
		wantBody(t, w, typed, `name="II.a.1.challenges"`, `id="form-locked"`)
		if saveHooks.before != nil {
			t.Fatal("the section save did not reach the store")
		}
		if _, ok := ra.answers(t, 0)["II.a.1"]; ok {
			t.Errorf("a refused section save was stored")
		}

		// Autosave, on a fresh report of the next State.
		frUser := a.user("fp@fr.example", models.RoleFocalPoint, "FRA")
		fr := a.login("fp@fr.example")
		wantStatus(t, fr.post("/reports/FRA/2026-2027/start", nil), http.StatusSeeOther)
		submitDuringSave(t, a.db, "FRA", frUser)
		w = fr.post("/reports/FRA/2026-2027/answers/II.a.1", url.Values{"v.II.a.1": {"0"}, "II.a.1.status": {"yes"}, "II.a.1.challenges": {typed}})
		wantStatus(t, w, http.StatusConflict)
		if saveHooks.before != nil {
			t.Fatal("the autosave did not reach the store")
		}
		r, err := a.db.GetReport(context.Background(), "FRA", "2026-2027", 0)
		if err != nil {
			t.Fatal(err)
		}
		if ans, err := a.db.ListAnswers(context.Background(), r.ID); err != nil || len(ans) != 0 {
			t.Errorf("a refused autosave was stored: %v, %v", ans, err)
		}
	})
}

// TestAutosaveReplyFromTheWrite: once a save has committed, its reply is
// built from the write itself. Every read of the request fails from the
// moment the store answered (its context is cancelled), and the reply is
// still 200 with the saved version and value, and the save is stored.
func TestAutosaveReplyFromTheWrite(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		ra := newReportApp(t, a)
		ra.start(t)
		for i, text := range []string{"first", "second"} {
			ctx, cancel := context.WithCancel(context.Background())
			saveHooks.after = func() { saveHooks.after = nil; cancel() }
			t.Cleanup(func() { saveHooks.after = nil; cancel() })
			form := url.Values{"v.II.a.1": {itoa(int64(i))}, "II.a.1.status": {"yes"}, "II.a.1.challenges": {text},
				"save_id": {"reply-from-write-" + text}}
			req := httptest.NewRequest(http.MethodPost, base+"/answers/II.a.1", strings.NewReader(form.Encode())).WithContext(ctx)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := ra.fp.do(req)
			if saveHooks.after != nil {
				t.Fatal("the autosave did not reach the store")
			}
			wantStatus(t, w, http.StatusOK)
			var got answerJSON
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			stored := ra.answers(t, 0)["II.a.1"]
			if got.Version != i+1 || stored.Version != i+1 || stored.Value.Challenges != text {
				t.Errorf("reply version %d, stored %d %q; want %d %q", got.Version, stored.Version, stored.Value.Challenges, i+1, text)
			}
			if got.Shown != fingerprint(stored.Value) {
				t.Errorf("reply shows %q, not the saved value", got.Shown)
			}
		}
	})
}
