package handlers

import (
	"bytes"
	"testing"
)

func TestFavicon(t *testing.T) {
	a := newApp(t)
	w := a.anon().get("/favicon.ico")
	if w.Code != 200 {
		t.Fatalf("GET /favicon.ico: %d", w.Code)
	}
	if ct := w.Header().Get("Content-Type"); ct != "image/x-icon" {
		t.Errorf("Content-Type %q", ct)
	}
	// An icon directory of one image, holding a PNG.
	b := w.Body.Bytes()
	if !bytes.HasPrefix(b, []byte{0, 0, 1, 0, 1, 0}) || !bytes.Contains(b, []byte("\x89PNG")) {
		t.Errorf("not an icon file: % x", b[:min(len(b), 16)])
	}
}
