package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/jpeg"
	_ "image/png" // the tests' photos are PNGs too
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/image/draw"

	"luot/server/api"
	"luot/server/feedback"
	"luot/server/geo"
	"luot/server/queue"
	"luot/server/servertest/backend"
)

// paOffice is the office of the feedback pages' tests: the crawl's
// office, open around the clock.
func paFeedback() *feedback.Config {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	return &feedback.Config{
		Office: "hcm-q1",
		Categories: []feedback.Category{
			{ID: "rac-thai", Name: "Rác thải, vệ sinh môi trường", NameEN: "Rubbish and cleanliness", Hint: "Rác đổ trộm, cống bẩn", HintEN: "Dumped rubbish, dirty drains", Unit: "moi-truong", AckDays: 1, ResolveDays: 5},
			{ID: "via-he", Name: "Lấn chiếm vỉa hè", NameEN: "Pavement encroachment", Unit: "phuong-ben-nghe", ByWard: true, AckDays: 1, ResolveDays: 7},
			{ID: "xay-dung", Name: "Trật tự xây dựng", NameEN: "Illegal building", Unit: "xay-dung", AckDays: 2, ResolveDays: 10},
		},
		Units: []feedback.Unit{
			{ID: "moi-truong", Name: "Phòng Tài nguyên và Môi trường", NameEN: "Natural Resources and Environment Division", Kind: feedback.UnitDepartment},
			{ID: "xay-dung", Name: "Phòng Quản lý đô thị", NameEN: "Urban Management Division", Kind: feedback.UnitDepartment},
			{ID: "phuong-ben-nghe", Name: "UBND phường Bến Nghé", NameEN: "Ben Nghe Ward People's Committee", Kind: feedback.UnitWard},
		},
		Templates: []feedback.Template{{ID: "da-xu-ly", Title: "Đã xử lý", Text: "Đơn vị đã xử lý xong.", TextEN: "The unit has dealt with it."}},
		Calendar:  feedback.Calendar{Location: loc},
	}
}

// paCenter is where the tests' reports are: near the office.
var paCenter = geo.Point{Lat: 10.7769, Lon: 106.7009}

// newPAStack is newStack with the feedback reports' API and pages: the
// feedback configuration of paFeedback, photos kept in a temporary
// folder (testPhotos), and a map without tiles. Staff may include
// moderators and handlers.
func newPAStack(t testing.TB, s stack) *env {
	t.Helper()
	k := s.kiosk
	k.Office, k.Kind = s.office.ID, queue.DeviceKiosk
	log := backend.TestLog(t)
	b := backend.New(t, backend.Config{
		Office: s.office, Staff: s.staff, Devices: []backend.Device{{Device: k, Key: kioskKey}},
		Start: start, Log: log,
	})
	fc := paFeedback()
	fc.Office = s.office.ID
	a, err := api.New(api.Config{Engine: b.Engine, Store: b.DB, Hub: b.Hub, Now: b.Clock.Now, Log: log,
		Feedback: fc, Photos: newTestPhotos(t), FeedbackMap: api.FeedbackMap{Center: paCenter, Zoom: 16}})
	if err != nil {
		t.Fatal(err)
	}
	w, err := New(Config{Engine: b.Engine, DB: b.DB, Hub: b.Hub, Now: b.Clock.Now, Log: log, Feedback: FeedbackPages{Office: s.office.ID}})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", a)
	mux.Handle("/", w)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &env{t: t, officeID: s.office.ID, db: b.DB, eng: b.Engine, clock: b.Clock, srv: srv, web: w}
}

// testPhotos keeps the tests' photos the way the API's Photos contract
// says (decoded, re-encoded as JPEG without metadata, a thumbnail, named
// by the SHA-256 of the JPEG), in a temporary folder. It stands in for
// server/photo, which these tests do not test: they test the pages.
type testPhotos struct{ dir string }

func newTestPhotos(t testing.TB) testPhotos { return testPhotos{dir: t.TempDir()} }

// Put decodes data, re-encodes it and keeps it with its thumbnail.
func (p testPhotos) Put(_ context.Context, data []byte) (string, bool, error) {
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return "", false, queue.NewError(queue.KindInvalid, "invalid_photo", "the photo could not be read")
	}
	var full, thumb bytes.Buffer
	if err := jpeg.Encode(&full, img, &jpeg.Options{Quality: 85}); err != nil {
		return "", false, err
	}
	sum := sha256.Sum256(full.Bytes())
	hash := hex.EncodeToString(sum[:])
	if _, err := os.Stat(p.path(hash, false)); err == nil {
		return hash, false, nil
	}
	r := img.Bounds()
	tw, th := 320, 320*r.Dy()/max(1, r.Dx())
	small := image.NewRGBA(image.Rect(0, 0, tw, max(1, th)))
	draw.ApproxBiLinear.Scale(small, small.Bounds(), img, r, draw.Src, nil)
	if err := jpeg.Encode(&thumb, small, &jpeg.Options{Quality: 80}); err != nil {
		return "", false, err
	}
	if err := os.WriteFile(p.path(hash, false), full.Bytes(), 0o644); err != nil {
		return "", false, err
	}
	return hash, true, os.WriteFile(p.path(hash, true), thumb.Bytes(), 0o644)
}

// Remove deletes a photo and its thumbnail.
func (p testPhotos) Remove(hash string) error {
	os.Remove(p.path(hash, true))
	return os.Remove(p.path(hash, false))
}

// Open opens a kept photo or its thumbnail.
func (p testPhotos) Open(hash string, thumb bool) (*os.File, error) { return os.Open(p.path(hash, thumb)) }

func (p testPhotos) path(hash string, thumb bool) string {
	if thumb {
		return filepath.Join(p.dir, hash+".t.jpg")
	}
	return filepath.Join(p.dir, hash+".jpg")
}
