package api

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"luot/server/queue"
)

// The attack: 160 online numbers with invented phones from 5 addresses in
// 10 s. Let through, they would push the next kiosk ticket's estimate
// from 15 minutes to 15.6 hours. The office-wide rate lets ~20
// through in those 10 s, the service's default daily cap of online
// numbers (a quarter of its day) stops the flood, and the kiosk ticket's
// estimate stays within the quarter of a day that the cap leaves to
// online numbers.
func TestRemoteFloodIsBounded(t *testing.T) {
	e := proxiedEnv(t)
	o := testOffice()
	o.Timezone = "Asia/Ho_Chi_Minh"
	o.Hours = queue.WeekHours{"fri": {{From: "07:30", To: "11:30"}, {From: "13:30", To: "17:00"}}}
	if _, err := e.eng.Do(context.Background(), office, func(s *queue.State, now time.Time) (*queue.Change, error) {
		return s.Reconfigure(now, o, "test")
	}); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"q1", "q2", "q4"} {
		e.clerk(t, "nv"+k[1:], k)
	}
	for range 6 {
		e.issue(t, "kiosk1", "ho-tich")
	}
	before := e.issue(t, "kiosk1", "ho-tich").ETASeconds
	v, _ := e.eng.View(office)
	limit := v.Office.RemoteLimit(v.Office.Service("ho-tich"), v.Office.Day(e.clock.Now()))
	if limit != 67 { // 450 open minutes × 3 counters / 5 minutes / 4
		t.Fatalf("default limit %d, want 67", limit)
	}

	addrs := []string{"203.0.113.1", "203.0.113.2", "2001:db8:a::1", "2001:db8:b::1", "198.51.100.5"}
	given, phone := 0, 0
	flood := func(n int, every time.Duration) {
		t.Helper()
		for i := range n {
			phone++
			r := e.do(t, req{method: "POST", path: "/api/v1/offices/" + office + "/remote-tickets",
				header: map[string]string{"X-Forwarded-For": addrs[i%len(addrs)]},
				body:   map[string]string{"service": "ho-tich", "phone": fmt.Sprintf("09%08d", phone), "name": "Người Giả"}})
			switch r.status {
			case http.StatusCreated:
				given++
			case http.StatusTooManyRequests, http.StatusConflict:
			default:
				t.Fatalf("flood request %d: %d %s", i, r.status, r.body)
			}
			e.clock.Advance(every)
		}
	}
	flood(160, 62500*time.Microsecond) // 160 in 10 s
	if given > 21 {
		t.Fatalf("%d online numbers in 10 s, want at most 21 (the office's rate)", given)
	}
	flood(400, 3*time.Second) // and on for 20 minutes
	if given != limit {
		t.Fatalf("%d online numbers given, want the daily cap %d", given, limit)
	}
	e.clock.Advance(time.Minute)
	r := e.do(t, req{method: "POST", path: "/api/v1/offices/" + office + "/remote-tickets",
		body: map[string]string{"service": "ho-tich", "phone": "0988000111", "name": "Chị Thật"}})
	wantErr(t, r, http.StatusConflict, "daily_cap_reached")
	// The kiosk still issues, and its estimate grows by at most the quarter
	// of the day that online numbers may take.
	after := e.issue(t, "kiosk1", "ho-tich").ETASeconds
	quarter := 450 * 60 / 4
	t.Logf("kiosk estimate %d s before the flood, %d s after (cap %d)", before, after, limit)
	if after-before > quarter {
		t.Fatalf("kiosk estimate went from %d s to %d s: more than a quarter of the day (%d s) added", before, after, quarter)
	}
}
