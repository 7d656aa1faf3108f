package web

import (
	"bytes"
	"encoding/binary"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestFavicon: the icon is served where browsers ask for it, cached, as a
// 32×32 ICO and an SVG, and every page names it.
func TestFavicon(t *testing.T) {
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		return w
	}
	w := get("/favicon.ico")
	if w.Code != 200 || w.Header().Get("Content-Type") != "image/x-icon" || !strings.Contains(w.Header().Get("Cache-Control"), "max-age=") {
		t.Fatalf("/favicon.ico: %d %v", w.Code, w.Header())
	}
	b := w.Body.Bytes()
	var h struct{ Reserved, Type, Count uint16 }
	if err := binary.Read(bytes.NewReader(b), binary.LittleEndian, &h); err != nil || h.Type != 1 || h.Count != 1 || b[6] != 32 || b[7] != 32 {
		t.Fatalf("/favicon.ico is not one 32×32 icon: % x", b[:min(len(b), 16)])
	}
	w = get("/favicon.svg")
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "image/svg+xml") || !strings.Contains(w.Body.String(), "<svg") {
		t.Fatalf("/favicon.svg: %d %v", w.Code, w.Header())
	}
	if w := get("/favicon.png"); w.Code != 404 {
		t.Errorf("/favicon.png: %d, want 404", w.Code)
	}
}
