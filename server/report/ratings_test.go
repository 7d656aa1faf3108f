package report

import (
	"bytes"
	"encoding/csv"
	"testing"

	"luot/server/queue"
)

// TestComputeRatings: ratings count for their clerk and counter, in their
// channel (phone when none); other days and impossible scores are left
// out, and a rating without a clerk counts only in the total.
func TestComputeRatings(t *testing.T) {
	d := "2026-11-27"
	rs := []queue.Rating{
		{Ticket: "a", Score: 4, Counter: "q1", Staff: "nv1", Day: d, Channel: queue.RatingStation},
		{Ticket: "b", Score: 1, Counter: "q1", Staff: "nv1", Day: d, Channel: queue.RatingStation, Reasons: []string{"wait", "attitude"}},
		{Ticket: "c", Score: 3, Counter: "q2", Staff: "nv1", Day: d},
		{Ticket: "d", Score: 2, Counter: "q2", Staff: "nv2", Day: d, Channel: queue.RatingPhone},
		{Ticket: "e", Score: 4, Day: d, Channel: queue.RatingPhone},
		{Ticket: "f", Score: 4, Counter: "q1", Staff: "nv1", Day: "2026-11-26", Channel: queue.RatingStation},
		{Ticket: "g", Score: 5, Counter: "q1", Staff: "nv1", Day: d, Channel: queue.RatingStation},
	}
	r := ComputeRatings(rs, d, d)
	if r.Total.N("") != 5 || r.Total.N(queue.RatingPhone) != 3 || len(r.ByStaff) != 2 || len(r.ByCounter) != 2 {
		t.Fatalf("report %+v", r)
	}
	nv1 := r.ByStaff[0]
	if nv1.Key != "nv1" || nv1.N("") != 3 || nv1.N(queue.RatingStation) != 2 || nv1.Avg(queue.RatingStation) != 2.5 ||
		nv1.Count(queue.RatingPhone, 3) != 1 || nv1.Reasons["wait"] != 1 || nv1.Reasons["attitude"] != 1 {
		t.Fatalf("nv1 %+v", nv1)
	}
	f := nv1.Figures("nv1", "Lan")
	if f.N != 3 || f.Avg != 2.7 || f.Scores != [4]int{1, 0, 1, 1} || f.ByChan[0].Channel != queue.RatingStation || f.ByChan[0].Scores != [4]int{1, 0, 0, 1} {
		t.Fatalf("figures %+v", f)
	}
	if q2 := r.ByCounter[1]; q2.Key != "q2" || q2.N(queue.RatingPhone) != 2 || q2.N(queue.RatingStation) != 0 || q2.Avg(queue.RatingStation) != 0 {
		t.Fatalf("q2 %+v", q2)
	}
	// CSV: a label that a spreadsheet would run is quoted out.
	var b bytes.Buffer
	label := func(section, key string) string {
		if key == "nv2" {
			return "=HYPERLINK(\"x\")"
		}
		return key
	}
	if err := WriteRatingsCSV(&b, &r, label, "en"); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil || len(recs) != 6 || len(recs[0]) != len(recs[1]) {
		t.Fatalf("csv %v %v", recs, err)
	}
	if recs[3][2] != "'=HYPERLINK(\"x\")" || recs[1][0] != "Total" || recs[2][3] != "3" {
		t.Fatalf("csv lines %v", recs)
	}
}
