package servertest_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"luot/server/api"
	"luot/server/client"
	"luot/server/queue"
	"luot/server/servertest"
	"luot/server/servertest/backend"
)

// TestDefaultStack: the default server has the demo office, its staff log
// in with PIN 1234, its kiosk issues with KioskKey, the engine sees the
// ticket at the fake clock's time, and the pages and the API share the
// server.
func TestDefaultStack(t *testing.T) {
	s := servertest.New(t)
	if s.Office != "demo" || s.Keys["kiosk1"] != servertest.KioskKey {
		t.Fatalf("office %q, keys %v", s.Office, s.Keys)
	}
	if tok := s.Login(t, "nv1", "q1"); tok == "" {
		t.Fatal("login gave no token")
	}
	s.Login(t, "admin", "q2")
	s.Clock.Advance(time.Minute)
	tk := s.Issue(t, "ho-tich")
	v, err := s.Engine.View("demo")
	if err != nil {
		t.Fatal(err)
	}
	got, ok := v.Tickets[tk.ID]
	if !ok || got.Display != "D001" || !got.IssuedAt.Equal(servertest.Start.Add(time.Minute)) {
		t.Fatalf("ticket %+v (issued as %+v)", got, tk)
	}
	res, err := http.Get(s.URL + "/o/demo")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /o/demo: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	// A wrong PIN is refused: the PIN is the known one, not any.
	s.Call(t, "POST", "/api/v1/sessions", nil, map[string]string{"office": "demo", "staff": "nv2", "counter": "q2", "pin": "9999"}, http.StatusUnauthorized, nil)
}

// TestOptions: the office, staff, devices, clock start, API configuration,
// publish hook and wrapper are the test's, and WithoutWeb serves the API
// alone.
func TestOptions(t *testing.T) {
	o := servertest.DemoOffice()
	o.ID = "other"
	t0 := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
	var published []int64
	var seen []string
	s := servertest.New(t,
		servertest.WithOffice(o),
		servertest.WithStaff(queue.Staff{ID: "x", Name: "X", Role: queue.RoleClerk}),
		servertest.WithDevices(servertest.Device{Device: queue.Device{ID: "k", Name: "K"}, Key: "k-key-0123456789"}),
		servertest.WithStart(t0),
		servertest.WithPublishHook(func(_ string, seq int64) { published = append(published, seq) }),
		servertest.WithWrap(func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				seen = append(seen, r.URL.Path)
				h.ServeHTTP(w, r)
			})
		}),
		servertest.WithoutWeb(),
	)
	if s.Clock.Now() != t0 || s.Web != nil {
		t.Fatalf("clock %v, web %v", s.Clock.Now(), s.Web)
	}
	s.Login(t, "x", "q1")
	s.Call(t, "POST", "/api/v1/sessions", nil, map[string]string{"office": "other", "staff": "nv1", "counter": "q1", "pin": servertest.PIN}, http.StatusUnauthorized, nil)
	tk := s.IssueAt(t, "k", "xay-dung")
	if tk.Number != "A001" || len(published) == 0 {
		t.Fatalf("ticket %+v, published %v", tk, published)
	}
	res, err := http.Get(s.URL + "/o/other")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound || len(seen) != 4 {
		t.Fatalf("GET /o/other without the pages: %d; requests seen %v", res.StatusCode, seen)
	}
}

// TestCitizenLimitsOption: the limits given are the API's from the first
// request: with one write per address, the second booking request from
// this address is refused (429) whatever it asks.
func TestCitizenLimitsOption(t *testing.T) {
	s := servertest.New(t, servertest.WithCitizenLimits(api.CitizenLimits{PerIPBurst: 1, PerIPEvery: time.Hour, PerPhoneBurst: 100, PerPhoneEvery: time.Second}))
	body := map[string]string{"service": "xay-dung", "date": "2026-11-27", "slot": "09:00", "name": "A", "phone": "0912345678"}
	// xay-dung takes no appointments in DemoOffice: 409, but it counts.
	s.Call(t, "POST", "/api/v1/offices/demo/bookings", nil, body, http.StatusConflict, nil)
	s.Call(t, "POST", "/api/v1/offices/demo/bookings", nil, body, http.StatusTooManyRequests, nil)
}

// TestAPIConfigOption: the API's configuration is the test's (here the
// largest body).
func TestAPIConfigOption(t *testing.T) {
	s := servertest.New(t, servertest.WithAPIConfig(func(c *api.Config) { c.MaxBody = 16 }))
	s.Call(t, "POST", "/api/v1/offices/demo/tickets", map[string]string{"X-Device-Key": servertest.KioskKey},
		map[string]string{"service": "ho-tich-with-a-long-name"}, http.StatusRequestEntityTooLarge, nil)
}

// TestOtherOffice: a further office is stored beside the main one, with
// its own staff, who log in there and not in the main office.
func TestOtherOffice(t *testing.T) {
	o := servertest.DemoOffice()
	o.ID = "hn"
	s := servertest.New(t, servertest.WithOtherOffice(o),
		servertest.WithStaff(queue.Staff{ID: "nv1", Name: "A", Role: queue.RoleClerk}, queue.Staff{ID: "nv9", Office: "hn", Name: "B", Role: queue.RoleClerk}))
	s.Call(t, "POST", "/api/v1/sessions", nil, map[string]string{"office": "hn", "staff": "nv9", "counter": "q1", "pin": servertest.PIN}, http.StatusCreated, nil)
	s.Call(t, "POST", "/api/v1/sessions", nil, map[string]string{"office": "demo", "staff": "nv9", "counter": "q1", "pin": servertest.PIN}, http.StatusUnauthorized, nil)
	s.Login(t, "nv1", "q1")
}

// TestFeedbackStack: the default server serves the feedback reports of
// the demo office (backend.DemoFeedback, with its wards) and keeps their
// photos; moderators and handlers log in without a counter and reach the
// inbox, a clerk does not.
func TestFeedbackStack(t *testing.T) {
	staff := append(servertest.Clerks(1), backend.FeedbackStaff()...)
	s := servertest.New(t, servertest.WithStaff(staff...))
	if s.Feedback == nil || s.Feedback.Office != "demo" || s.Photos == nil || s.Pipeline == nil {
		t.Fatalf("feedback %+v, photos %v, pipeline %v", s.Feedback, s.Photos, s.Pipeline)
	}
	var cfg struct {
		Categories []struct{ ID string } `json:"categories"`
		Wards      *struct {
			Features []any `json:"features"`
		} `json:"wards"`
	}
	s.Call(t, "GET", "/api/v1/offices/demo/feedback", nil, nil, http.StatusOK, &cfg)
	if len(cfg.Categories) != len(s.Feedback.Categories) || cfg.Wards == nil || len(cfg.Wards.Features) != 3 {
		t.Fatalf("feedback configuration: %+v", cfg)
	}
	for _, id := range []string{"kiemduyet", "xl-dong"} {
		tok := s.Login(t, id, "")
		s.Call(t, "GET", "/api/v1/feedback/reports", map[string]string{"Authorization": "Bearer " + tok}, nil, http.StatusOK, nil)
	}
	tok := s.Login(t, "nv1", "q1")
	s.Call(t, "GET", "/api/v1/feedback/reports", map[string]string{"Authorization": "Bearer " + tok}, nil, http.StatusForbidden, nil)
	// A clerk still needs a counter.
	s.Call(t, "POST", "/api/v1/sessions", nil, map[string]string{"office": "demo", "staff": "nv1", "pin": servertest.PIN}, http.StatusBadRequest, nil)
}

// TestDossierStack: the default server serves the demo's dossier
// catalogue for the demo office; a dossier received at q4 and completed
// by its handler is on the ready list the client reads, and the kiosk's
// client gets a pickup ticket of the results service, linked to it.
func TestDossierStack(t *testing.T) {
	staff := append(servertest.Clerks(4), backend.DossierStaff()...)
	s := servertest.New(t, servertest.WithStaff(staff...))
	if s.Dossiers == nil || s.Dossiers.Office != "demo" || s.Dossiers.Prefix != "TP" || s.Dossiers.PickupService != "tra-ket-qua" {
		t.Fatalf("dossiers %+v", s.Dossiers)
	}
	var cat api.CatalogueJSON
	s.Call(t, "GET", "/api/v1/offices/demo/dossier-catalogue", nil, nil, http.StatusOK, &cat)
	if len(cat.Procedures) != len(s.Dossiers.Procedures) || len(cat.Procedures) < 11 {
		t.Fatalf("catalogue of %d procedures", len(cat.Procedures))
	}
	clerk := map[string]string{"Authorization": "Bearer " + s.Login(t, "nv4", "q4")}
	s.Call(t, "POST", "/api/v1/counters/q4/open", clerk, nil, http.StatusOK, nil)
	tk := s.Issue(t, "ho-tich")
	s.Call(t, "POST", "/api/v1/counters/q4/call", clerk, map[string]string{"number": tk.Number}, http.StatusOK, nil)
	var rd api.ReceivedDossierJSON
	s.Call(t, "POST", "/api/v1/counters/q4/dossiers", clerk, map[string]any{"procedure": "HT-01",
		"applicant": map[string]string{"name": "Lê Thị Cúc", "phone": "0912345678"}, "papers": []string{"to-khai", "chung-sinh", "cccd"}}, http.StatusCreated, &rd)
	if rd.Dossier.Department != "tu-phap" || rd.Print == nil || rd.Print.Error != "no_station" {
		t.Fatalf("received %+v, print %+v", rd.Dossier, rd.Print)
	}
	handler := map[string]string{"Authorization": "Bearer " + s.Login(t, "xl-tuphap", "")}
	s.Call(t, "POST", "/api/v1/dossiers/"+rd.Dossier.Code+"/actions/complete", handler, map[string]string{"result": "Giấy khai sinh"}, http.StatusOK, nil)

	ctx := context.Background()
	anyone, err := client.New(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	ready, err := anyone.ReadyDossierList(ctx, "demo")
	if err != nil || len(ready.Dossiers) != 1 || ready.Dossiers[0].Code != rd.Dossier.Code || ready.Dossiers[0].Name != "Lê T. C." {
		t.Fatalf("ready %+v, %v", ready, err)
	}
	kiosk, err := client.New(s.URL, client.WithDeviceKey(servertest.KioskKey))
	if err != nil {
		t.Fatal(err)
	}
	code, k, ok := client.ScannedDossier(rd.Link)
	if !ok || code != rd.Dossier.Code {
		t.Fatalf("the receipt's link %q reads as %q %q %v", rd.Link, code, k, ok)
	}
	p, err := kiosk.PickupDossier(ctx, "demo", code, k, "scan-1")
	if err != nil || p.Ticket == nil || p.Dossier.Status != "completed" || !strings.HasPrefix(p.Ticket.Number, "R") {
		t.Fatalf("pickup %+v, %v", p, err)
	}
	pt, _, err := s.Engine.FindTicket(ctx, p.Ticket.ID)
	if err != nil || pt == nil || pt.Dossier != code || pt.Service != "tra-ket-qua" {
		t.Fatalf("pickup ticket %+v, %v", pt, err)
	}
	_, err = kiosk.PickupDossier(ctx, "demo", code, "", "scan-2")
	var ce *client.Error
	if !errors.As(err, &ce) || ce.Code != client.CodePickupIssued {
		t.Fatalf("a second pickup: %v", err)
	}
}
