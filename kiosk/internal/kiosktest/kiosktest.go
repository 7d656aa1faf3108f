// Package kiosktest runs what the kiosk's tests talk to: a real Lượt API
// server in this process (servertest's stack: real engine, real SQLite
// file, real HTTP), with a clock the test moves and a switch that makes it
// unreachable. Bookings
// are made through the server's public booking endpoint (Book, Cancel) and
// checked in through its real check-in endpoint. It is imported by tests
// only.
package kiosktest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"luot/internal/clock"
	"luot/server/api"
	"luot/server/auth"
	"luot/server/dossier"
	"luot/server/engine"
	"luot/server/queue"
	"luot/server/servertest"
	"luot/server/store"
	"luot/server/workday"
)

// KioskKey is the device key of the test kiosk.
const KioskKey = "test-kiosk-key-0123456789"

// Start is the server's time at the start of a test: Friday 27 November
// 2026, 08:00 in Hồ Chí Minh City.
var Start = servertest.Start

// Office is the test office: nine services (two pages of six), one of
// them switched off and one that no counter serves, open 07:00–17:30
// Monday to Saturday. Construction permits and certified copies take
// appointments (30-minute slots from 07:00, four places each); the check-in
// window is the default [slot − 30 min, slot + 15 min], and a booking
// checked in after it is refused (Policy.LateCheckin "refuse").
func Office() queue.Office {
	h := queue.WeekHours{}
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri", "sat"} {
		h[d] = []queue.Span{{From: "07:00", To: "17:30"}}
	}
	p := queue.DefaultPolicy()
	p.LateCheckin = queue.LateRefuse
	return queue.Office{
		ID: "demo", Name: "UBND Phường Bến Nghé", NameEN: "Ben Nghe Ward People's Committee",
		Timezone: "Asia/Ho_Chi_Minh", Hours: h, Policy: p,
		Services: []queue.Service{
			{ID: "xay-dung", Prefix: "A", Name: "Cấp giấy phép xây dựng", NameEN: "Construction permits", DefaultMinutes: 15, Active: true, SlotMinutes: 30, SlotCapacity: 4},
			{ID: "ho-kinh-doanh", Prefix: "B", Name: "Đăng ký hộ kinh doanh", NameEN: "Household business registration", DefaultMinutes: 10, Active: true},
			{ID: "chung-thuc", Prefix: "C", Name: "Chứng thực bản sao, chữ ký", NameEN: "Certified copies and signatures", DefaultMinutes: 3, Active: true, SlotMinutes: 30, SlotCapacity: 4},
			{ID: "ho-tich", Prefix: "D", Name: "Hộ tịch (khai sinh, kết hôn, khai tử)", NameEN: "Civil status (births, marriages, deaths)", DefaultMinutes: 8, Active: true, DailyCap: 1},
			{ID: "dat-dai", Prefix: "E", Name: "Đất đai (giấy chứng nhận quyền sử dụng đất)", NameEN: "Land (land-use right certificates)", DefaultMinutes: 15, Active: true},
			{ID: "lao-dong", Prefix: "F", Name: "Lao động – Thương binh và Xã hội", NameEN: "Labour, war invalids and social affairs", DefaultMinutes: 10, Active: false},
			{ID: "moi-truong", Prefix: "G", Name: "Tài nguyên và Môi trường", NameEN: "Natural resources and environment", DefaultMinutes: 12, Active: true},
			{ID: "tu-phap", Prefix: "H", Name: "Tư pháp – Hòa giải", NameEN: "Justice and mediation", DefaultMinutes: 12, Active: true},
			{ID: "tra-ket-qua", Prefix: "R", Name: "Nhận kết quả hồ sơ", NameEN: "Collect the result of an application", DefaultMinutes: 3, Active: true},
		},
		Counters: []queue.Counter{
			{ID: "q1", Number: 1, Name: "Quầy 1", Services: []queue.CounterService{{Service: "xay-dung"}, {Service: "dat-dai"}, {Service: "moi-truong", OffsetMinutes: 10}}},
			{ID: "q2", Number: 2, Name: "Quầy 2", Services: []queue.CounterService{{Service: "ho-kinh-doanh"}, {Service: "lao-dong"}, {Service: "chung-thuc", OffsetMinutes: 10}}},
			{ID: "q3", Number: 3, Name: "Quầy 3", Services: []queue.CounterService{{Service: "chung-thuc"}, {Service: "ho-tich"}, {Service: "tra-ket-qua"}}},
		},
	}
}

// Dossiers is the test office's dossier configuration: codes TP-…, one
// procedure (birth registration, 3 working days, at the civil status
// service), pickup tickets of the results service (tra-ket-qua). Its
// calendar is the office's, whose time zone is known once the office is
// validated (queue.Office.Validate).
func Dossiers(o *queue.Office) *dossier.Config {
	return &dossier.Config{
		Office: o.ID, Prefix: "TP", Calendar: workday.Office(o), PickupService: "tra-ket-qua",
		Fields:      []dossier.Field{{ID: "ho-tich", Name: "Hộ tịch", NameEN: "Civil status"}},
		Departments: []dossier.Department{{ID: "tu-phap", Name: "Phòng Tư pháp", NameEN: "Justice office"}},
		Procedures: []dossier.Procedure{{Code: "HT-01", Name: "Đăng ký khai sinh", NameEN: "Birth registration",
			Field: "ho-tich", Service: "ho-tich", Department: "tu-phap", Days: 3,
			Papers: []dossier.Paper{{ID: "to-khai", Name: "Tờ khai đăng ký khai sinh", NameEN: "Birth registration form"}}}},
	}
}

// Env is a running server.
type Env struct {
	URL    string
	Clock  *clock.Fake // the server's clock; it moves only when told
	Engine *engine.Engine
	DB     *store.DB
	// Dossiers is the office's dossier configuration the API serves.
	Dossiers *dossier.Config
	office   string
	down     atomic.Bool
	drop     atomic.Int32
	reports  chan Report
	tokens   atomic.Int64
	// manage holds each booking's manage link, by code (Book, Cancel).
	manage sync.Map
}

// Report is a device.status report the server received.
type Report struct{ Status, Message string }

// New starts a server with the test office (or o, when given): the API
// alone (no pages, no staff), the kiosk "kiosk-1" with KioskKey, on
// servertest's stack.
func New(t testing.TB, o ...queue.Office) *Env {
	t.Helper()
	off := Office()
	if len(o) > 0 {
		off = o[0]
	}
	valid := off
	if err := valid.Validate(); err != nil {
		t.Fatal(err)
	}
	e := &Env{office: off.ID, reports: make(chan Report, 100), Dossiers: Dossiers(&valid)}
	if err := e.Dossiers.Validate(); err != nil {
		t.Fatal(err)
	}
	s := servertest.New(t,
		servertest.WithOffice(off),
		servertest.WithStaff(),
		servertest.WithDevices(servertest.Device{Device: queue.Device{ID: "kiosk-1", Name: "Ki-ốt 1", Kind: queue.DeviceKiosk}, Key: KioskKey}),
		servertest.WithStart(Start),
		servertest.WithoutWeb(),
		servertest.WithAPIConfig(func(c *api.Config) {
			c.PublicURL = "https://luot.example.gov.vn"
			c.Dossiers = e.Dossiers
		}),
		servertest.WithWrap(e.wrap),
	)
	e.URL, e.Clock, e.Engine, e.DB = s.URL, s.Clock, s.Engine, s.DB
	return e
}

// wrap is the server as the kiosk sees it: it records the device.status
// reports it accepts, and can be unreachable or lose its answers.
func (e *Env) wrap(a http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/devices/status", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var rep Report
		var b struct{ Status, Message string }
		json.Unmarshal(body, &b)
		rep.Status, rep.Message = b.Status, b.Message
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		rec := httptest.NewRecorder()
		a.ServeHTTP(rec, r)
		if rec.Code == http.StatusOK {
			select {
			case e.reports <- rep:
			default:
			}
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	})
	mux.Handle("/", a)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if e.down.Load() {
			// Unreachable: drop the connection without an answer.
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					c.Close()
					return
				}
			}
			http.Error(w, "down", http.StatusBadGateway)
			return
		}
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/tickets") && e.drop.Add(-1) >= 0 {
			// The server does the work, but the answer is lost on the way.
			mux.ServeHTTP(httptest.NewRecorder(), r)
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					c.Close()
					return
				}
			}
		}
		mux.ServeHTTP(w, r)
	})
}

// SetDown makes the server unreachable (every connection is dropped) or
// reachable again.
func (e *Env) SetDown(down bool) { e.down.Store(down) }

// DropAnswers makes the server lose its answers to the next n ticket
// requests after doing them, as a broken connection would.
func (e *Env) DropAnswers(n int) { e.drop.Store(int32(n)) }

// NextReport waits (at most d) for the next device.status report the
// server accepted.
func (e *Env) NextReport(d time.Duration) (Report, error) {
	select {
	case r := <-e.reports:
		return r, nil
	case <-time.After(d):
		return Report{}, fmt.Errorf("no device.status report within %s", d)
	}
}

// Ticket returns the server's ticket behind a tracking link.
func (e *Env) Ticket(trackURL string) (*queue.Ticket, error) {
	u, err := url.Parse(trackURL)
	if err != nil {
		return nil, err
	}
	id := u.Path[strings.LastIndex(u.Path, "/")+1:]
	t, _, err := e.Engine.FindTicket(context.Background(), id)
	if err != nil {
		return nil, err
	}
	if t == nil || t.Token != u.Query().Get("token") {
		return nil, fmt.Errorf("no ticket %s with the link's token", id)
	}
	return t, nil
}

// Book makes an appointment through the server's public booking endpoint
// (POST /offices/{office}/bookings) for today, on the server's clock, in
// the slot starting at slot ("HH:MM"), for the given phone number, and
// returns the booking's code. The slot must not have begun.
func (e *Env) Book(t testing.TB, service, slot, phone string) string {
	t.Helper()
	v, err := e.Engine.View(e.office)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Booking struct {
			Code      string `json:"code"`
			ManageURL string `json:"manage_url"`
		} `json:"booking"`
	}
	e.call(t, http.MethodPost, "/api/v1/offices/"+e.office+"/bookings", map[string]string{
		"service": service, "date": v.Office.Day(e.Clock.Now()), "slot": slot, "name": "Nguyễn Văn An", "phone": phone,
	}, http.StatusCreated, &out)
	if out.Booking.Code == "" {
		t.Fatal("the booking answer has no code")
	}
	e.manage.Store(out.Booking.Code, out.Booking.ManageURL)
	return out.Booking.Code
}

// Cancel cancels a booking made by Book as its holder does (DELETE
// /bookings/{code} with the token of the booking's manage link).
func (e *Env) Cancel(t testing.TB, code string) {
	t.Helper()
	link, _ := e.manage.Load(code)
	s, _ := link.(string)
	u, err := url.Parse(s)
	if err != nil || u.Query().Get("token") == "" {
		t.Fatalf("booking %s has no manage link with a token: %q", code, s)
	}
	e.call(t, http.MethodDelete, "/api/v1/bookings/"+code, map[string]string{"token": u.Query().Get("token")}, http.StatusOK, nil)
}

// Dossier records a dossier as the counter's clerk does (created and
// given to its department, in the store, through the domain), at the
// server's time, and takes it to status: "processing",
// "needs_supplement" (a handler asks for the parents' marriage
// certificate within 5 days), "completed" (a handler completes it) or
// "returned" (then the clerk hands it over). It returns the dossier's code and the applicant's
// token, the k of the receipt's QR link.
func (e *Env) Dossier(t testing.TB, status dossier.Status) (code, token string) {
	t.Helper()
	ctx := context.Background()
	cfg := e.Dossiers
	token = fmt.Sprintf("tok%016x", e.tokens.Add(1))
	now := e.Clock.Now()
	clerk := dossier.Actor{Role: dossier.RoleClerk, ID: "nv3", Name: "Lê Thị Hoa"}
	d, ev, err := dossier.Create(cfg, dossier.NewDossier{Procedure: "HT-01", Applicant: dossier.Applicant{Name: "Nguyễn Văn An", Phone: "0902000009"},
		Papers: []string{"to-khai"}, Counter: "q3", TokenHash: auth.Hash(token)}, clerk, now)
	if err != nil {
		t.Fatal(err)
	}
	d, _, _, err = e.DB.CreateDossier(ctx, d, ev, cfg.Prefix, "")
	if err != nil {
		t.Fatal(err)
	}
	do := func(cmd dossier.Command) {
		t.Helper()
		if _, _, err := e.DB.UpdateDossier(ctx, d.Code, func(cur dossier.Dossier) (dossier.Event, error) {
			return dossier.Decide(cfg, cur, cmd, now)
		}); err != nil {
			t.Fatalf("dossier %s, %s: %v", d.Code, cmd.Action, err)
		}
	}
	do(dossier.Command{Action: dossier.ActProcess, Actor: clerk, Department: "tu-phap"})
	handler := dossier.Actor{Role: dossier.RoleHandler, ID: "xl-tuphap", Name: "Trần Văn Bình", Unit: "tu-phap"}
	switch status {
	case dossier.StatusNeedsSupplement:
		do(dossier.Command{Action: dossier.ActSupplement, Actor: handler, What: "Giấy chứng nhận kết hôn của cha mẹ", By: now.AddDate(0, 0, 5)})
	case dossier.StatusCompleted, dossier.StatusReturned:
		do(dossier.Command{Action: dossier.ActComplete, Actor: handler, Result: "Giấy khai sinh bản chính"})
	}
	if status == dossier.StatusReturned {
		do(dossier.Command{Action: dossier.ActReturn, Actor: clerk})
	}
	return d.Code, token
}

// call sends a JSON request to the server and fails the test unless it
// answers want; the answer is decoded into out when out is not nil.
func (e *Env) call(t testing.TB, method, path string, body any, want int, out any) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(method, e.URL+path, strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("%s %s: %d %s, want %d", method, path, res.StatusCode, data, want)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}
