package servertest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"luot/server/api"
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
