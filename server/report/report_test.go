package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"luot/server/queue"
)

var ict = time.FixedZone("ICT", 7*3600)

func at(hhmm string) time.Time {
	if hhmm == "" {
		return time.Time{}
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", "2026-11-27 "+hhmm, ict)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// FixtureDay is the hand-computed day of the report tests: seven tickets
// of 2026-11-27 in two services at two counters, plus one of the day
// before that must not count.
func FixtureDay() ([]queue.Ticket, []queue.Rating) {
	row := func(id, svc, counter, staff string, src queue.Source, st queue.Status, issued, called, serving, finished string, est int) queue.Ticket {
		return queue.Ticket{ID: id, Day: "2026-11-27", Service: svc, Counter: counter, Staff: staff, Source: src, Status: st,
			IssuedAt: at(issued), CalledAt: at(called), ServingAt: at(serving), FinishedAt: at(finished), EstimateSeconds: est}
	}
	rows := []queue.Ticket{
		row("t1", "a", "q1", "nv1", queue.SourceKiosk, queue.StatusDone, "08:00", "08:05", "08:06", "08:16", 420),
		row("t2", "a", "q1", "nv1", queue.SourceRemote, queue.StatusDone, "08:10", "08:20", "08:20", "08:25", 480),
		row("t3", "b", "q2", "nv2", queue.SourceKiosk, queue.StatusNoShow, "08:15", "08:30", "", "", 600),
		row("t4", "b", "q2", "nv2", queue.SourceBooking, queue.StatusDone, "09:00", "09:02", "09:03", "09:13", -1),
		row("t5", "a", "", "", queue.SourceKiosk, queue.StatusCancelled, "09:10", "", "", "", 600),
		row("t6", "b", "q2", "nv2", queue.SourceClerk, queue.StatusDone, "09:30", "09:50", "", "10:00", 900),
		row("t7", "a", "", "", queue.SourceKiosk, queue.StatusExpired, "10:05", "", "", "", 60),
	}
	old := row("t0", "a", "q1", "nv1", queue.SourceKiosk, queue.StatusDone, "07:00", "07:30", "07:31", "07:40", 10)
	old.Day = "2026-11-26"
	rows = append(rows, old)
	var ratings []queue.Rating
	for _, r := range []struct {
		ticket string
		score  int
	}{{"t1", 4}, {"t2", 3}, {"t4", 4}, {"t6", 1}, {"nope", 2}, {"t0", 4}, {"t3", 9}} {
		ratings = append(ratings, queue.Rating{Ticket: r.ticket, Score: r.score})
	}
	return rows, ratings
}

func check(t *testing.T, what string, got, want any) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func TestFixtureDay(t *testing.T) {
	rows, ratings := FixtureDay()
	r := Compute(rows, ratings, "2026-11-27", "2026-11-28", ict)
	s := r.Total
	check(t, "tickets", s.Tickets, 7)
	check(t, "kiosk", s.BySource[queue.SourceKiosk], 4)
	check(t, "remote", s.BySource[queue.SourceRemote], 1)
	check(t, "booking", s.BySource[queue.SourceBooking], 1)
	check(t, "clerk", s.BySource[queue.SourceClerk], 1)
	check(t, "served", s.Served, 4)
	check(t, "no-show", s.NoShow, 1)
	check(t, "cancelled", s.Cancelled, 1)
	check(t, "expired", s.Expired, 1)
	// Waits 300, 600, 900, 120, 1200 s.
	check(t, "wait", s.Wait, Duration{N: 5, Avg: 624, P90: 1200, Max: 1200})
	// Service times 600, 300, 600 and 600 (t6 from its call: no start).
	check(t, "service", s.Service, Duration{N: 4, Avg: 525, P90: 600, Max: 600})
	// Estimate errors −120, +120, +300, +300 (t4 had none).
	check(t, "estimate n", s.EstimateN, 4)
	check(t, "estimate bias", s.EstimateBias, 150.0)
	check(t, "estimate mae", s.EstimateMAE, 210.0)
	check(t, "ratings", s.Ratings, [5]int{0, 1, 0, 1, 2})
	check(t, "rating avg", s.RatingAvg(), 3.0)

	if len(r.ByService) != 2 || r.ByService[0].Key != "a" || r.ByService[1].Key != "b" {
		t.Fatalf("services %+v", r.ByService)
	}
	a, b := r.ByService[0].Stats, r.ByService[1].Stats
	check(t, "a tickets", a.Tickets, 4)
	check(t, "a served/cancelled/expired", [3]int{a.Served, a.Cancelled, a.Expired}, [3]int{2, 1, 1})
	check(t, "a wait", a.Wait, Duration{N: 2, Avg: 450, P90: 600, Max: 600})
	check(t, "a service", a.Service, Duration{N: 2, Avg: 450, P90: 600, Max: 600})
	check(t, "a bias/mae", [2]float64{a.EstimateBias, a.EstimateMAE}, [2]float64{0, 120})
	check(t, "a ratings", a.Ratings, [5]int{0, 0, 0, 1, 1})
	check(t, "b tickets", b.Tickets, 3)
	check(t, "b served/no-show", [2]int{b.Served, b.NoShow}, [2]int{2, 1})
	check(t, "b wait", b.Wait, Duration{N: 3, Avg: 740, P90: 1200, Max: 1200})
	check(t, "b service", b.Service, Duration{N: 2, Avg: 600, P90: 600, Max: 600})
	check(t, "b bias/mae", [2]float64{b.EstimateBias, b.EstimateMAE}, [2]float64{300, 300})
	check(t, "b ratings", b.Ratings, [5]int{0, 1, 0, 0, 1})

	if len(r.ByCounter) != 2 || r.ByCounter[0].Key != "q1" || r.ByCounter[0].Tickets != 2 || r.ByCounter[1].Tickets != 3 {
		t.Fatalf("counters %+v", r.ByCounter)
	}
	check(t, "q1 wait", r.ByCounter[0].Wait, Duration{N: 2, Avg: 450, P90: 600, Max: 600})
	if len(r.ByStaff) != 2 || r.ByStaff[1].Key != "nv2" || r.ByStaff[1].Served != 2 || r.ByStaff[1].Wait.Avg != 740 {
		t.Fatalf("staff %+v", r.ByStaff)
	}
	if len(r.ByHour) != 24 {
		t.Fatalf("%d hours", len(r.ByHour))
	}
	check(t, "08h tickets", r.ByHour[8].Tickets, 3)
	check(t, "08h wait avg", r.ByHour[8].Wait.Avg, 600.0)
	check(t, "09h tickets", r.ByHour[9].Tickets, 3)
	check(t, "10h tickets", r.ByHour[10].Tickets, 1)
	check(t, "07h tickets (other day)", r.ByHour[7].Tickets, 0)
	if len(r.ByDay) != 2 || r.ByDay[0].Key != "2026-11-27" || r.ByDay[0].Tickets != 7 || r.ByDay[1].Tickets != 0 {
		t.Fatalf("days %+v", r.ByDay)
	}
}

func TestPercentileNearestRank(t *testing.T) {
	for _, c := range []struct {
		xs   []float64
		p    float64
		want float64
	}{
		{nil, 90, 0}, {[]float64{5}, 90, 5}, {[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 90, 9},
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 90, 10}, {[]float64{1, 2}, 50, 1},
	} {
		if got := Percentile(c.xs, c.p); got != c.want {
			t.Errorf("P%v(%v) = %v, want %v", c.p, c.xs, got, c.want)
		}
	}
}

func TestCSVSameFigures(t *testing.T) {
	rows, ratings := FixtureDay()
	r := Compute(rows, ratings, "2026-11-27", "2026-11-27", ict)
	var buf bytes.Buffer
	err := WriteCSV(&buf, &r, func(section, key string) string {
		if section == "service" && key == "a" {
			return "=HYPERLINK(\"x\") <script>alert(1)</script>"
		}
		return ""
	}, "en")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	total := recs[1]
	// Times in minutes with one decimal, as the page: 624 s = 10.4 min.
	for k, want := range map[string]string{"Section": "Total", "Tickets": "7", "Served": "4", "No-shows": "1", "Cancelled": "1",
		"Avg wait (min)": "10.4", "P90 wait (min)": "20.0", "Avg service (min)": "8.8", "Estimate bias (min)": "2.5", "Estimate MAE (min)": "3.5",
		"Ratings 4": "2", "Avg rating": "3.0", "Kiosk": "4"} {
		check(t, "csv total "+k, total[col[k]], want)
	}
	sa := recs[2]
	check(t, "csv service a", sa[col["Key"]], "a")
	check(t, "csv service section", sa[col["Section"]], "Service")
	check(t, "csv label is not a formula", sa[col["Name"]], "'=HYPERLINK(\"x\") <script>alert(1)</script>")
	check(t, "csv lines", len(recs), 1+1+2+2+2+24+1)
}

// TestCSVInVietnamese: the Vietnamese export has Vietnamese headers and
// section names, the same columns and the same figures as the English.
func TestCSVInVietnamese(t *testing.T) {
	rows, ratings := FixtureDay()
	r := Compute(rows, ratings, "2026-11-27", "2026-11-27", ict)
	read := func(lang string) [][]string {
		var buf bytes.Buffer
		if err := WriteCSV(&buf, &r, nil, lang); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	vi, en := read("vi"), read("en")
	if len(vi) != len(en) || len(vi[0]) != len(en[0]) {
		t.Fatalf("vi %dx%d, en %dx%d", len(vi), len(vi[0]), len(en), len(en[0]))
	}
	check(t, "vi header", strings.Join(vi[0][:4], "|"), "Phần|Mã|Tên|Số phiếu")
	check(t, "vi wait header", vi[0][13], "Chờ TB (phút)")
	check(t, "vi total", vi[1][0], "Tổng")
	check(t, "vi service", vi[2][0], "Lĩnh vực")
	for i := range vi[1] {
		if i > 0 && vi[1][i] != en[1][i] {
			t.Errorf("column %s: vi %q, en %q", en[0][i], vi[1][i], en[1][i])
		}
	}
	for _, h := range vi[0] {
		if strings.Contains(h, "_") || h != strings.TrimSpace(h) {
			t.Errorf("header %q is not readable", h)
		}
	}
}

func TestBarChartEscapes(t *testing.T) {
	svg := BarChart("<script>alert(1)</script>", []Bar{{"<b>x</b>", 3}, {"y", 0}}, " s")
	if strings.Contains(svg, "<script>") || strings.Contains(svg, "<b>") || !strings.Contains(svg, "&lt;script&gt;") {
		t.Fatalf("not escaped: %s", svg)
	}
	if !strings.HasPrefix(svg, "<svg") || strings.Count(svg, "<rect") != 2 {
		t.Fatal(svg)
	}
}
