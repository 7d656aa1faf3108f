package notifyjobs_test

import (
	"context"
	"crypto/sha256"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata"

	"luot/server/api"
	"luot/server/engine"
	"luot/server/notify"
	"luot/server/notifyjobs"
	"luot/server/queue"
	"luot/server/store"
)

var ctx = context.Background()

var _ api.PhoneVerifier = (*notifyjobs.PhoneCodes)(nil)

// clock is a fake clock tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

var hcm, _ = time.LoadLocation("Asia/Ho_Chi_Minh")

// 08:00 on Friday 27 November 2026 in Hà Nội.
var t0 = time.Date(2026, 11, 27, 8, 0, 0, 0, hcm)

type fixture struct {
	db    *store.DB
	eng   *engine.Engine
	clock *clock
}

// newFixture is an office whose service "a" takes appointments every 30
// minutes around the clock, on a real store and engine.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "luot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	o := queue.Office{
		ID: "hk", Name: "Hoàn Kiếm", Timezone: "Asia/Ho_Chi_Minh", Hours: queue.AlwaysOpen(), Policy: queue.DefaultPolicy(),
		Services: []queue.Service{{ID: "a", Name: "Xây dựng", NameEN: "Construction", Prefix: "A", DefaultMinutes: 10, SlotMinutes: 30, SlotCapacity: 2, Active: true}},
		Counters: []queue.Counter{{ID: "q1", Number: 1, Services: []queue.CounterService{{Service: "a"}}}},
	}
	if err := db.CreateOffice(ctx, o, t0); err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, clock: &clock{t: t0}}
	f.eng = engine.New(db, nil, f.clock.now, nil)
	if err := f.eng.Load(ctx); err != nil {
		t.Fatal(err)
	}
	return f
}

// tokenHash is the hash of a booking's manage token in these tests.
func tokenHash(code string) []byte {
	h := sha256.Sum256([]byte("token of " + code))
	return h[:]
}

// book books code at date and slot and, when follow, subscribes to it by SMS.
func (f *fixture) book(t *testing.T, code, date, slot, phone string, follow bool) {
	t.Helper()
	if _, err := f.eng.Do(ctx, "hk", func(s *queue.State, now time.Time) (*queue.Change, error) {
		return s.Book(now, queue.BookRequest{Code: code, Service: "a", Date: date, Slot: slot, Name: "Nguyễn Văn An", Phone: phone, TokenHash: tokenHash(code)})
	}); err != nil {
		t.Fatal(err)
	}
	if follow {
		it := notify.Item{Type: notify.ItemBooking, ID: code, Office: "hk"}
		if _, err := f.db.Subscribe(ctx, notify.Subscription{Item: it, Channel: notify.SMS, Lang: "vi", Phone: phone, Created: f.clock.now()}); err != nil {
			t.Fatal(err)
		}
	}
}

// claim takes the due messages, marks them sent and returns them.
func (f *fixture) claim(t *testing.T) []notify.Message {
	t.Helper()
	ms, err := f.db.Claim(ctx, f.clock.now(), time.Minute, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if err := f.db.MarkSent(ctx, m.ID, f.clock.now()); err != nil {
			t.Fatal(err)
		}
	}
	return ms
}

func keys(ms []notify.Message) []string {
	var k []string
	for _, m := range ms {
		k = append(k, m.Notice.Key)
	}
	slices.Sort(k)
	return k
}

func (f *fixture) remind(t *testing.T) []string {
	t.Helper()
	if err := notifyjobs.Reminders(ctx, f.eng, f.db, f.clock.now()); err != nil {
		t.Fatal(err)
	}
	return keys(f.claim(t))
}

func TestRemindersDayAndHourBefore(t *testing.T) {
	f := newFixture(t)
	f.book(t, "AAAAAA", "2026-11-27", "08:30", "+84912000001", true) // in 30 minutes
	f.book(t, "CCCCCC", "2026-11-28", "07:00", "+84912000002", true) // in 23 hours
	f.book(t, "EEEEEE", "2026-11-28", "09:00", "+84912000003", true) // in 25 hours
	f.book(t, "FFFFFF", "2026-11-27", "09:00", "+84912000004", false)
	f.book(t, "GGGGGG", "2026-11-27", "08:30", "+84912000005", true) // cancelled below
	if _, err := f.eng.Do(ctx, "hk", func(s *queue.State, now time.Time) (*queue.Change, error) {
		return s.CancelBooking(now, "GGGGGG", tokenHash("GGGGGG"))
	}); err != nil {
		t.Fatal(err)
	}

	// 08:00: AAAAAA within the hour gets only the hour reminder; CCCCCC
	// the day's; EEEEEE nothing yet; FFFFFF is followed by nobody.
	got := f.remind(t)
	if want := []string{"booking/AAAAAA/hour-before", "booking/CCCCCC/day-before"}; !slices.Equal(got, want) {
		t.Fatalf("08:00: %v, want %v", got, want)
	}
	// The next minute: nothing again.
	f.clock.set(t0.Add(time.Minute))
	if got := f.remind(t); len(got) != 0 {
		t.Fatalf("08:01: %v sent again", got)
	}
	// 09:00 (the day after's 09:00 is 24 hours away): EEEEEE's day reminder.
	f.clock.set(t0.Add(time.Hour))
	if got, want := f.remind(t), []string{"booking/EEEEEE/day-before"}; !slices.Equal(got, want) {
		t.Fatalf("09:00: %v, want %v", got, want)
	}
	// The next morning at 06:00: CCCCCC's hour.
	f.clock.set(t0.Add(22 * time.Hour))
	f.eng.Tick(ctx)
	if got, want := f.remind(t), []string{"booking/CCCCCC/hour-before"}; !slices.Equal(got, want) {
		t.Fatalf("06:00 the next day: %v, want %v", got, want)
	}
}

func TestReminderContent(t *testing.T) {
	f := newFixture(t)
	f.book(t, "CCCCCC", "2026-11-28", "07:00", "+84912000002", true)
	if err := notifyjobs.Reminders(ctx, f.eng, f.db, f.clock.now()); err != nil {
		t.Fatal(err)
	}
	ms := f.claim(t)
	if len(ms) != 1 {
		t.Fatalf("%d messages", len(ms))
	}
	n := ms[0].Notice
	want := map[string]string{"time": "2026-11-28T07:00:00+07:00", "date": "2026-11-28T07:00:00+07:00", "service": "Xây dựng", "service_en": "Construction"}
	if n.Kind != notify.BookingDayBefore || n.Item != (notify.Item{Type: notify.ItemBooking, ID: "CCCCCC", Office: "hk"}) ||
		!n.At.Equal(t0) || len(n.Params) != len(want) || ms[0].Sub.Phone != "+84912000002" {
		t.Fatalf("reminder %+v to %s", n, ms[0].Sub.Phone)
	}
	for k, v := range want {
		if n.Params[k] != v {
			t.Errorf("param %s = %q, want %q", k, n.Params[k], v)
		}
	}
	// What the citizen reads, in the office's zone.
	_, body := notify.Render(n.InZone(hcm), "vi")
	if !strings.Contains(body, "Xây dựng lúc 07:00 ngày 28/11/2026") {
		t.Errorf("the reminder says %q", body)
	}
}

func TestPhoneCodesGoToThePhone(t *testing.T) {
	f := newFixture(t)
	p := &notifyjobs.PhoneCodes{Store: f.db, Now: f.clock.now}
	for _, code := range []string{"123456", "654321"} {
		if err := p.SendCode(ctx, "hk", "+84912345678", code); err != nil {
			t.Fatal(err)
		}
	}
	ms := f.claim(t)
	if len(ms) != 2 {
		t.Fatalf("%d messages, want one per code", len(ms))
	}
	var codes []string
	for _, m := range ms {
		n := m.Notice
		if n.Kind != notify.PhoneCode || !strings.HasPrefix(n.Key, "phone-code/") || n.Item.Office != "hk" ||
			m.Sub.Channel != notify.SMS || m.Sub.Phone != "+84912345678" || m.Sub.ID != 0 || n.Lang != "vi" || !n.At.Equal(t0) {
			t.Errorf("message %+v", m)
		}
		codes = append(codes, n.Params["code"])
	}
	slices.Sort(codes)
	if !slices.Equal(codes, []string{"123456", "654321"}) {
		t.Fatalf("codes %v", codes)
	}

	en := &notifyjobs.PhoneCodes{Store: f.db, Now: f.clock.now, Lang: "en"}
	if err := en.SendCode(ctx, "hk", "+84912345679", "111111"); err != nil {
		t.Fatal(err)
	}
	if ms := f.claim(t); len(ms) != 1 || ms[0].Notice.Lang != "en" {
		t.Fatalf("English code: %+v", ms)
	}
}

func TestPhoneCodesRefuseBadInput(t *testing.T) {
	f := newFixture(t)
	p := &notifyjobs.PhoneCodes{Store: f.db, Now: f.clock.now}
	for _, tc := range []struct{ office, phone, code string }{
		{"hk", "", "123456"},
		{"hk", "+84912345678", ""},
		{"", "+84912345678", "123456"},
		{"hk", "0912345678", "123456"},   // not normalised
		{"nowhere", "+84912345678", "1"}, // no such office
	} {
		if err := p.SendCode(ctx, tc.office, tc.phone, tc.code); err == nil {
			t.Errorf("SendCode(%q, %q, %q) accepted", tc.office, tc.phone, tc.code)
		} else if strings.Contains(err.Error(), "0912345678") {
			t.Errorf("the error shows the phone: %v", err)
		}
	}
	if ms := f.claim(t); len(ms) != 0 {
		t.Fatalf("bad input queued %d messages", len(ms))
	}
}
