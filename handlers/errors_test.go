package handlers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/natreport/natreport/models"
	"github.com/natreport/natreport/surveys"
)

// TestDomainErrorTable: each domain error gets its one status, wrapped or
// not, whether the page or its script asked; anything else is a 500 that
// shows nothing of the cause.
func TestDomainErrorTable(t *testing.T) {
	s := &Server{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	cases := []struct {
		err    error
		status int
	}{
		{models.ErrNotFound, http.StatusNotFound},
		{models.ErrReadOnly, http.StatusConflict},
		{models.ErrConflict, http.StatusConflict},
		{models.ErrDuplicate, http.StatusConflict},
		{models.ErrInvalid, http.StatusUnprocessableEntity},
		{surveys.ErrStepRefused, http.StatusConflict},
		{surveys.ErrUnknownStep, http.StatusBadRequest},
		{errForbidden, http.StatusForbidden},
		{withCause(errReportLocked, errors.New("secret cause")), http.StatusConflict},
		{errors.New("secret cause"), http.StatusInternalServerError},
	}
	for _, c := range cases {
		for _, accept := range []string{"text/html", "application/json"} {
			t.Run(fmt.Sprintf("%v/%s", c.err, accept), func(t *testing.T) {
				for _, err := range []error{c.err, fmt.Errorf("saving: %w", c.err)} {
					if he := httpErrorOf(err); c.status == http.StatusInternalServerError {
						if he != nil {
							t.Fatalf("httpErrorOf(%v) = %v, want nil (internal)", err, he)
						}
					} else if he == nil || he.status != c.status {
						t.Fatalf("httpErrorOf(%v) = %v, want status %d", err, he, c.status)
					}
					r := gin.New()
					r.GET("/", s.h(func(*gin.Context) error { return err }))
					req := httptest.NewRequest(http.MethodGet, "/", nil)
					req.Header.Set("Accept", accept)
					w := httptest.NewRecorder()
					r.ServeHTTP(w, req)
					wantStatus(t, w, c.status)
					noBody(t, w, "secret cause")
				}
			})
		}
	}
}

// TestReadOnlySameStatusEverywhere: a report that is no longer a draft
// refuses a change with the same 409 whichever way the change comes: the
// section form without JavaScript, or the autosave.
func TestReadOnlySameStatusEverywhere(t *testing.T) {
	forEachApp(t, func(t *testing.T, a *app) {
		ra := newReportApp(t, a)
		ra.start(t)
		r, err := a.db.GetReport(context.Background(), "JPN", "2026-2027", 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.db.SetReportStatus(context.Background(), r.ID, models.StatusDraft, models.StatusSubmitted, models.Actor{}); err != nil {
			t.Fatal(err)
		}
		form := url.Values{"v.II.a.1": {"0"}, "II.a.1.status": {"yes"}}
		wantStatus(t, ra.fp.post(base+"/sections/II.a", form), http.StatusConflict)
		ra.fp.accept = "application/json"
		wantStatus(t, ra.fp.post(base+"/answers/II.a.1", form), http.StatusConflict)
		wantStatus(t, ra.fp.post(base+"/sections/II.a/confirm", nil), http.StatusConflict)
		// The store says the same, and the door maps it the same.
		_, err = a.db.SaveAnswer(context.Background(), r.ID, "II.a.1", surveys.Value{Status: "yes"}, 0, models.Actor{}, nil)
		if !errors.Is(err, models.ErrReadOnly) {
			t.Fatalf("SaveAnswer on a submitted report: %v, want ErrReadOnly", err)
		}
		if he := httpErrorOf(err); he == nil || he.status != http.StatusConflict {
			t.Fatalf("ErrReadOnly maps to %v, want 409", he)
		}
	})
}
