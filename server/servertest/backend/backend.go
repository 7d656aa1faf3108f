// Package backend is the part of servertest's stack below the HTTP layers:
// a real SQLite file in t.TempDir() (or the PostgreSQL database of
// Config.DatabaseURL) with the test's offices, staff (PIN
// 1234) and devices, a fake clock, the hub and the engine. servertest puts
// the API and the web pages on it; the API's and the pages' own tests,
// which servertest cannot serve (it imports them: an import cycle), put
// their own handler on it. It is for tests only.
package backend

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"luot/assets"
	"luot/internal/clock"
	"luot/server/auth"
	"luot/server/dossier"
	"luot/server/dossierfile"
	"luot/server/engine"
	"luot/server/feedback"
	"luot/server/feedbackfile"
	"luot/server/hub"
	"luot/server/photo"
	"luot/server/queue"
	"luot/server/store"
)

// Start is where the fake clock starts when Config.Start is zero: Friday
// 27 November 2026, 08:00 in Hồ Chí Minh City.
var Start = time.Date(2026, 11, 27, 8, 0, 0, 0, time.FixedZone("ICT", 7*3600))

// PIN is the PIN of every staff member.
const PIN = "1234"

// Device is a device to register, with its key.
type Device struct {
	queue.Device
	Key string
}

// Config is what to build.
type Config struct {
	// Office is the main office; Others are stored beside it.
	Office queue.Office
	Others []queue.Office
	// Staff all get the PIN PIN; an empty Office is the main office.
	Staff []queue.Staff
	// Devices are registered with their keys; an empty Office is the main
	// office, an empty Kind a kiosk.
	Devices []Device
	// Start is the fake clock's start (Start when zero).
	Start time.Time
	// Log is the engine's log (discarded when nil).
	Log *slog.Logger
	// HubBuffer is the hub's per-subscriber buffer (hub.New's).
	HubBuffer int
	// PublishHook, when set, sees every published event before the hub.
	PublishHook func(office string, seq int64)
	// Feedback is the main office's feedback configuration (the demo's,
	// DemoFeedback, on the office's calendar when nil); its Office is set
	// to the main office.
	Feedback *feedback.Config
	// Dossiers is the main office's dossier configuration (the demo's,
	// DemoDossiers, for the main office when nil); its Office is set to
	// the main office.
	Dossiers *dossier.Config
	// DatabaseURL, when set, is an empty PostgreSQL database to run on
	// (e.g. pgtest.Get(t).NewDatabase(t)) instead of a SQLite file.
	DatabaseURL string
}

// Backend is a loaded store, engine and hub on a fake clock, closed by
// t.Cleanup.
type Backend struct {
	DB     *store.DB
	Engine *engine.Engine
	Hub    *hub.Hub
	// Clock is the engine's clock; it moves only when told.
	Clock *clock.Fake
	// Keys are the devices' keys, by device id.
	Keys map[string]string
	// Feedback is the main office's feedback configuration, validated;
	// FeedbackMap the demo's map when Config.Feedback was nil.
	Feedback    *feedback.Config
	FeedbackMap feedbackfile.Map
	// Dossiers is the main office's dossier configuration, validated.
	Dossiers *dossier.Config
	// Photos is the reports' photo folder, in t.TempDir(); Pipeline
	// processes photos with the default limits, two at once.
	Photos   *photo.Dir
	Pipeline *photo.Pipeline
}

// New builds c.
func New(t testing.TB, c Config) *Backend {
	t.Helper()
	if c.Start.IsZero() {
		c.Start = Start
	}
	if c.Log == nil {
		c.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	ctx := context.Background()
	var db *store.DB
	var err error
	if c.DatabaseURL != "" {
		db, err = store.OpenPostgres(c.DatabaseURL)
	} else {
		db, err = store.Open(filepath.Join(t.TempDir(), "luot.db"))
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	b := &Backend{DB: db, Clock: clock.NewFake(c.Start), Keys: map[string]string{}}
	for _, o := range append([]queue.Office{c.Office}, c.Others...) {
		if err := db.CreateOffice(ctx, o, b.Clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if len(c.Staff) > 0 {
		// MinCost: the PIN's hashing is not under test; keep the set-up quick.
		pin, _ := bcrypt.GenerateFromPassword([]byte(PIN), bcrypt.MinCost)
		for _, st := range c.Staff {
			if st.Office == "" {
				st.Office = c.Office.ID
			}
			if err := db.PutStaff(ctx, st, pin); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, d := range c.Devices {
		if d.Office == "" {
			d.Office = c.Office.ID
		}
		if d.Kind == "" {
			d.Kind = queue.DeviceKiosk
		}
		if err := db.PutDevice(ctx, d.Device, auth.Hash(d.Key)); err != nil {
			t.Fatal(err)
		}
		b.Keys[d.ID] = d.Key
	}
	b.Hub = hub.New(c.HubBuffer)
	t.Cleanup(b.Hub.Close)
	var pub engine.Publisher = b.Hub
	if c.PublishHook != nil {
		pub = publisher{hook: c.PublishHook, hub: b.Hub}
	}
	b.Engine = engine.New(db, pub, b.Clock.Now, c.Log)
	if err := b.Engine.Load(ctx); err != nil {
		t.Fatal(err)
	}
	b.Feedback = c.Feedback
	if b.Feedback == nil {
		f := DemoFeedback(t)
		b.Feedback, b.FeedbackMap = &f.Config, f.Map
		b.Feedback.Calendar = feedback.OfficeCalendar(&c.Office)
	}
	b.Feedback.Office = c.Office.ID
	if err := b.Feedback.Validate(); err != nil {
		t.Fatal(err)
	}
	b.Dossiers = c.Dossiers
	if b.Dossiers == nil {
		if b.Dossiers, err = DemoDossiers(t).For(&c.Office); err != nil {
			t.Fatal(err)
		}
	}
	b.Dossiers.Office = c.Office.ID
	if err := b.Dossiers.Validate(); err != nil {
		t.Fatal(err)
	}
	if b.Photos, err = photo.NewDir(filepath.Join(t.TempDir(), "photos")); err != nil {
		t.Fatal(err)
	}
	b.Pipeline = photo.NewPipeline(photo.DefaultLimits, 2, 0)
	return b
}

// DemoFeedback is the demo's feedback file (assets.DemoFeedback, its
// wards assets.DemoWards), read as the server reads it; its Office and
// Calendar are left for the caller (New gives them the main office's).
func DemoFeedback(t testing.TB) *feedbackfile.File {
	t.Helper()
	f, err := feedbackfile.Parse(assets.DemoFeedback, func(name string) ([]byte, error) {
		if name != "wards.geojson" {
			return nil, fmt.Errorf("the demo feedback file names %q, not wards.geojson", name)
		}
		return assets.DemoWards, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// DemoDossiers is the demo's dossier file (assets.DemoDossiers), read as
// the server reads it; File.For makes it an office's.
func DemoDossiers(t testing.TB) *dossierfile.File {
	t.Helper()
	f, err := dossierfile.Parse(assets.DemoDossiers)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// DossierStaff are the dossier handlers of the demo's departments
// (Office left empty): "xl-tuphap" (tu-phap), "xl-tckh" (tckh),
// "xl-ldtbxh" (ldtbxh) and "xl-tnmt" (tnmt); the handler of qldt is
// FeedbackStaff's "xl-qldt", whose unit handles both. Tests add them to
// the staff they want.
func DossierStaff() []queue.Staff {
	return []queue.Staff{
		{ID: "xl-tuphap", Name: "Cán bộ Phòng Tư pháp", Role: queue.RoleHandler, Unit: "tu-phap"},
		{ID: "xl-tckh", Name: "Cán bộ Phòng Tài chính – Kế hoạch", Role: queue.RoleHandler, Unit: "tckh"},
		{ID: "xl-ldtbxh", Name: "Cán bộ Phòng Lao động – Thương binh và Xã hội", Role: queue.RoleHandler, Unit: "ldtbxh"},
		{ID: "xl-tnmt", Name: "Cán bộ Phòng Tài nguyên và Môi trường", Role: queue.RoleHandler, Unit: "tnmt"},
	}
}

// FeedbackStaff are the feedback reports' staff for the units of
// DemoFeedback (Office left empty): the moderator "kiemduyet", and the
// handlers "xl-qldt" (Phòng Quản lý đô thị) and "xl-dong" (Phường Đông
// (mẫu)).
// Tests add them to the staff they want.
func FeedbackStaff() []queue.Staff {
	return []queue.Staff{
		{ID: "kiemduyet", Name: "Cán bộ kiểm duyệt", Role: queue.RoleModerator},
		{ID: "xl-qldt", Name: "Cán bộ Phòng Quản lý đô thị", Role: queue.RoleHandler, Unit: "qldt"},
		{ID: "xl-dong", Name: "Cán bộ Phường Đông", Role: queue.RoleHandler, Unit: "phuong-dong"},
	}
}

// DemoOffice is a demo-like office, "demo", open around the clock: four
// services (xay-dung A, ho-kinh-doanh B, chung-thuc C, ho-tich D), the
// results service tra-ket-qua R of the dossiers' pickup tickets, and four
// counters q1…q4 (q3 and q4 also hand results over).
func DemoOffice() queue.Office {
	return queue.Office{
		ID: "demo", Name: "UBND thành phố — Bộ phận Một cửa", NameEN: "City One-stop shop",
		Timezone: "Asia/Ho_Chi_Minh", Hours: queue.AlwaysOpen(), Policy: queue.DefaultPolicy(),
		Ticker: "Công dân vui lòng giữ phiếu số thứ tự.",
		Services: []queue.Service{
			{ID: "xay-dung", Name: "Cấp giấy phép xây dựng", NameEN: "Construction permits", Prefix: "A", DefaultMinutes: 15, Active: true},
			{ID: "ho-kinh-doanh", Name: "Đăng ký hộ kinh doanh", NameEN: "Household business", Prefix: "B", DefaultMinutes: 10, Active: true},
			{ID: "chung-thuc", Name: "Chứng thực bản sao", NameEN: "Certified copies", Prefix: "C", DefaultMinutes: 3, Active: true},
			{ID: "ho-tich", Name: "Hộ tịch", NameEN: "Civil status", Prefix: "D", DefaultMinutes: 8, Active: true},
			{ID: "tra-ket-qua", Name: "Nhận kết quả hồ sơ", NameEN: "Collect the result of an application", Prefix: "R", DefaultMinutes: 3, Active: true},
		},
		Counters: []queue.Counter{
			{ID: "q1", Number: 1, Name: "Quầy 1", Services: []queue.CounterService{{Service: "xay-dung"}, {Service: "ho-tich", OffsetMinutes: 10}}},
			{ID: "q2", Number: 2, Name: "Quầy 2", Services: []queue.CounterService{{Service: "ho-kinh-doanh"}, {Service: "chung-thuc", OffsetMinutes: 10}}},
			{ID: "q3", Number: 3, Name: "Quầy 3", Services: []queue.CounterService{{Service: "chung-thuc"}, {Service: "ho-tich"}, {Service: "tra-ket-qua"}}},
			{ID: "q4", Number: 4, Name: "Quầy 4", Services: []queue.CounterService{{Service: "ho-tich"}, {Service: "xay-dung", OffsetMinutes: 15}, {Service: "tra-ket-qua"}}},
		},
	}
}

// Clerks are nv1…nvN, clerks named "Nhân viên N" (Office left empty).
func Clerks(n int) []queue.Staff {
	var l []queue.Staff
	for i := 1; i <= n; i++ {
		l = append(l, queue.Staff{ID: fmt.Sprintf("nv%d", i), Name: fmt.Sprintf("Nhân viên %d", i), Role: queue.RoleClerk})
	}
	return l
}

// TestLog is a logger that sends warnings and errors to the test's log.
func TestLog(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// publisher forwards to the hub after calling the hook.
type publisher struct {
	hook func(office string, seq int64)
	hub  *hub.Hub
}

func (p publisher) Publish(office string, seq int64, msg, staff []byte) {
	p.hook(office, seq)
	p.hub.Publish(office, seq, msg, staff)
}

type testLog struct{ t testing.TB }

func (l testLog) Write(b []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}
