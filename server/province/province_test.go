package province_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"luot/server/province"
	"luot/server/queue"
	"luot/server/store"
)

func TestPeriod(t *testing.T) {
	for _, c := range []struct {
		from, to, wantFrom, wantTo, field, reason string
	}{
		{"", "", "2026-12-03", "2026-12-03", "", ""},
		{"2026-12-01", "", "2026-12-01", "2026-12-01", "", ""},
		{"", "2026-12-31", "2026-12-03", "2026-12-31", "", ""},
		{"2025-12-01", "2026-12-01", "2025-12-01", "2026-12-01", "", ""}, // 366 days
		{"2025-11-30", "2026-12-01", "", "", "to", "length"},
		{"2026-12-02", "2026-12-01", "", "", "to", "order"},
		{"2026-02-30", "", "", "", "from", "date"},
		{"2026-12-01", "1/12/2026", "", "", "to", "date"},
	} {
		f, to, err := province.Period(c.from, c.to, "2026-12-03")
		var pe *province.PeriodError
		switch {
		case c.reason == "" && (err != nil || f != c.wantFrom || to != c.wantTo):
			t.Errorf("%q %q: %q %q %v", c.from, c.to, f, to, err)
		case c.reason != "" && (!errors.As(err, &pe) || pe.Field != c.field || pe.Reason != c.reason || pe.Error() == ""):
			t.Errorf("%q %q: %v, want %s %s", c.from, c.to, err, c.field, c.reason)
		}
	}
}

// TestGatherStorageFails: a store that cannot be read fails the figures
// with an error naming the office, not figures of zeros.
func TestGatherStorageFails(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "luot.db"))
	if err != nil {
		t.Fatal(err)
	}
	o := queue.Office{ID: "hcm-q1", Name: "Quận 1", Timezone: "Asia/Ho_Chi_Minh", Hours: queue.AlwaysOpen(), Policy: queue.DefaultPolicy(),
		Services: []queue.Service{{ID: "a", Name: "A", Prefix: "A", DefaultMinutes: 5, Active: true}},
		Counters: []queue.Counter{{ID: "q1", Number: 1, Services: []queue.CounterService{{Service: "a"}}}}}
	if err := db.CreateOffice(context.Background(), o, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := province.Gather(context.Background(), province.Sources{Queue: db}, []*queue.Office{&o}, "2026-12-01", "2026-12-03", time.Now()); err != nil {
		t.Fatalf("open store: %v", err)
	}
	db.Close()
	p, err := province.Gather(context.Background(), province.Sources{Queue: db}, []*queue.Office{&o}, "2026-12-01", "2026-12-03", time.Now())
	if err == nil || !strings.Contains(err.Error(), "office hcm-q1") || p.Offices != nil {
		t.Fatalf("closed store: %+v, %v", p, err)
	}
}
